#include "results_io/vc_table.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "sim/error.h"

namespace fastgpu::h5 {

Handle vc_row_type(std::size_t name_bytes) {
  Handle name = fixed_string_type(name_bytes);
  Handle type = make_type(H5Tcreate(H5T_COMPOUND, sizeof(VcRow)), "creating the vcs row type");
  auto add = [&](const char* column, std::size_t at, hid_t t) {
    check_status(H5Tinsert(type, column, at, t), std::string("adding column ") + column);
  };
  add("name", offsetof(VcRow, name), name);
  add("gpus", offsetof(VcRow, gpus), H5T_NATIVE_UINT32);
  add("jobs_total", offsetof(VcRow, jobs_total), H5T_NATIVE_UINT64);
  add("jobs_completed", offsetof(VcRow, jobs_completed), H5T_NATIVE_UINT64);
  add("jobs_rejected", offsetof(VcRow, jobs_rejected), H5T_NATIVE_UINT64);
  add("wait_mean", offsetof(VcRow, wait_mean), H5T_NATIVE_DOUBLE);
  add("jct_mean", offsetof(VcRow, jct_mean), H5T_NATIVE_DOUBLE);
  add("utilisation", offsetof(VcRow, utilisation), H5T_NATIVE_DOUBLE);
  add("lent_gpu_seconds", offsetof(VcRow, lent_gpu_seconds), H5T_NATIVE_DOUBLE);
  add("reclaims", offsetof(VcRow, reclaims), H5T_NATIVE_UINT64);
  return type;
}

std::vector<VcRow> to_vc_rows(const std::vector<VcSummary>& vcs) {
  std::vector<VcRow> rows(vcs.size());
  for (std::size_t v = 0; v < vcs.size(); ++v) {
    const VcSummary& s = vcs[v];
    if (s.name.size() >= kVcNameBytes)
      throw InternalError("virtual cluster name longer than " + std::to_string(kVcNameBytes - 1) + " bytes");
    VcRow& r = rows[v];
    std::memset(&r, 0, sizeof r);
    std::memcpy(r.name, s.name.data(), s.name.size());
    r.gpus = s.gpus;
    r.jobs_total = s.jobs_total;
    r.jobs_completed = s.jobs_completed;
    r.jobs_rejected = s.jobs_rejected;
    r.reclaims = s.reclaims;
    r.wait_mean = s.wait_mean;
    r.jct_mean = s.jct_mean;
    r.utilisation = s.utilisation;
    r.lent_gpu_seconds = s.lent_gpu_seconds;
  }
  return rows;
}

std::vector<VcSummary> from_vc_rows(const std::vector<VcRow>& rows) {
  std::vector<VcSummary> out(rows.size());
  for (std::size_t v = 0; v < rows.size(); ++v) {
    const VcRow& r = rows[v];
    VcSummary& s = out[v];
    s.name.assign(r.name, strnlen(r.name, kVcNameBytes));
    s.gpus = r.gpus;
    s.jobs_total = r.jobs_total;
    s.jobs_completed = r.jobs_completed;
    s.jobs_rejected = r.jobs_rejected;
    s.reclaims = r.reclaims;
    s.wait_mean = r.wait_mean;
    s.jct_mean = r.jct_mean;
    s.utilisation = r.utilisation;
    s.lent_gpu_seconds = r.lent_gpu_seconds;
  }
  return out;
}

}  // namespace fastgpu::h5

#include "results_io/packed_rows.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace fastgpu::h5 {

namespace {

std::string member_name(hid_t type, unsigned k) {
  const std::unique_ptr<char, void (*)(void*)> name(H5Tget_member_name(type, k), [](void* p) { H5free_memory(p); });
  return name ? std::string(name.get()) : std::string();
}

}  // namespace

std::optional<PackedRows> PackedRows::plan(hid_t mem_type, hid_t file_type) {
  if (H5Tget_class(mem_type) != H5T_COMPOUND || H5Tget_class(file_type) != H5T_COMPOUND) return std::nullopt;
  const int n = H5Tget_nmembers(file_type);
  if (n <= 0 || n != H5Tget_nmembers(mem_type)) return std::nullopt;
  PackedRows p;
  p.mem_bytes_ = H5Tget_size(mem_type);
  p.file_bytes_ = H5Tget_size(file_type);
  for (unsigned k = 0; k < static_cast<unsigned>(n); ++k) {
    const std::string name = member_name(file_type, k);
    const int m = H5Tget_member_index(mem_type, name.c_str());
    if (m < 0) return std::nullopt;
    const hid_t file_member = H5Tget_member_type(file_type, k);
    const hid_t mem_member = H5Tget_member_type(mem_type, static_cast<unsigned>(m));
    const bool equal = file_member >= 0 && mem_member >= 0 && H5Tequal(file_member, mem_member) > 0;
    const std::size_t bytes = equal ? H5Tget_size(file_member) : 0;
    if (file_member >= 0) H5Tclose(file_member);
    if (mem_member >= 0) H5Tclose(mem_member);
    if (!equal) return std::nullopt;
    p.runs_.push_back({H5Tget_member_offset(mem_type, static_cast<unsigned>(m)), H5Tget_member_offset(file_type, k),
                       bytes});
  }
  // Adjacent in both layouts: one copy.
  std::sort(p.runs_.begin(), p.runs_.end(), [](const Run& a, const Run& b) { return a.to < b.to; });
  std::vector<Run> merged;
  for (const Run& r : p.runs_) {
    if (!merged.empty() && merged.back().to + merged.back().bytes == r.to &&
        merged.back().from + merged.back().bytes == r.from) {
      merged.back().bytes += r.bytes;
    } else {
      merged.push_back(r);
    }
  }
  p.runs_ = std::move(merged);
  return p;
}

void PackedRows::pack(const std::byte* from, std::size_t rows, std::byte* to) const {
  for (std::size_t r = 0; r < rows; ++r, from += mem_bytes_, to += file_bytes_)
    for (const Run& run : runs_) std::memcpy(to + run.to, from + run.from, run.bytes);
}

}  // namespace fastgpu::h5

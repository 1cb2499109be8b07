#pragma once
// The per-run `vcs` table: one row per virtual cluster (RunResult::vcs),
// written only for runs on a cluster with [[cluster.vcs]] (docs/hdf5-schema.md).
#include <cstdint>
#include <vector>

#include <hdf5.h>

#include "results_io/hdf5_common.h"
#include "sim/run_result.h"

namespace fastgpu::h5 {

inline constexpr const char* kVcsDataset = "vcs";
inline constexpr std::size_t kVcNameBytes = 256;  // a VC name is at most 255 bytes (config check)

// A row in memory; the file's name column is as long as the longest name.
struct VcRow {
  char name[kVcNameBytes];
  std::uint32_t gpus;
  std::uint64_t jobs_total, jobs_completed, jobs_rejected, reclaims;
  double wait_mean, jct_mean, utilisation, lent_gpu_seconds;
};

Handle vc_row_type(std::size_t name_bytes = kVcNameBytes);
std::vector<VcRow> to_vc_rows(const std::vector<VcSummary>& vcs);
std::vector<VcSummary> from_vc_rows(const std::vector<VcRow>& rows);

}  // namespace fastgpu::h5

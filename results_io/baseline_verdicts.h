#pragma once
// The paired comparisons of `fastgpu compare --baseline` as stored in the
// results file: one row of /baseline_verdicts per workload, policy and metric
// (docs/hdf5-schema.md), so that reports and exports show the same verdicts
// the command printed.
#include <cstdint>
#include <string>
#include <vector>

namespace fastgpu {

struct BaselineVerdict {
  std::string workload;
  std::string baseline;             // the baseline policy label
  std::string policy;               // the compared policy label
  std::string metric;               // a summary field name (jct_mean, utilisation, ...), in its HDF5 unit
  std::uint64_t pairs = 0;          // seeds both policies ran
  double baseline_mean = 0;         // over the paired seeds
  double policy_mean = 0;
  double difference_mean = 0;       // of policy - baseline, per seed
  double difference_half_width = 0; // of its 95% Student-t interval; NaN below 2 pairs
  std::string verdict;              // better, worse, different, no significant difference, undetermined
};

// The /baseline_verdicts table of a results file; empty when the file has
// none (written without --baseline). InputError naming the file when it
// cannot be read.
std::vector<BaselineVerdict> read_baseline_verdicts(const std::string& path);

}  // namespace fastgpu

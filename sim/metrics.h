#pragma once
// Summary metrics of a run, computed from its job records and raw accounting.
// The formulas (and their units) are defined in docs/metrics.md; this is the
// only place that implements them.
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/run_result.h"

namespace fastgpu {

// Fills every Summary field the engine does not fill itself (the engine fills
// reservation_hits/misses, reserved_idle_gpu_seconds, preemptions, migrations,
// scheduler_seconds, wall_seconds and events). `seed_alpha` is the seed's
// alpha weighting GPU load in F (dimension: seconds per unit of busy fraction).
// Idempotent. Throws InternalError when the records and the accounting are
// inconsistent (a finished job without an end, a CSR offset table of the wrong
// size, a GPU index out of range, per-type vectors of different lengths).
void compute_summary(RunResult& r, double seed_alpha);

// The seed's F = sum_i 1 / (f_i + alpha * l_i) over tasks i with completion
// time f_i (seconds) and load l_i of their GPU. Higher is better. Terms whose
// denominator is 0 would be infinite and are left out (documented). Throws
// InternalError when the spans differ in length.
double seed_F(std::span<const double> completion, std::span<const double> load, double alpha);

// The seed's L: population variance (1/n) sum_j (l_j - mean)^2 of the loads;
// 0 for an empty span. Lower is better.
double seed_L(std::span<const double> loads);

// Nearest-rank percentile of `sorted` (ascending, non-empty): the value at
// rank ceil(p/100 * n), 1-based, with p an integer percent in [1, 100].
double nearest_rank_percentile(std::span<const double> sorted, unsigned percent);

// Every Summary field by name, in a fixed order: the one list of the fields,
// used for the HDF5 attributes, the /summary table and the CLI tables.
// Counts are converted to double (exact below 2^53).
std::vector<std::pair<std::string, double>> summary_fields(const Summary& s);

}  // namespace fastgpu

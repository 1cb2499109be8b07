#pragma once
// Summary metrics of a run, computed from its job records and raw accounting.
// The formulas (and their units) are defined in docs/metrics.md; this is the
// only place that implements them.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/run_result.h"

namespace fastgpu {

// Fills every Summary field the engine does not fill itself (the engine fills
// reservation_hits/misses, reserved_idle_gpu_seconds, preemptions, migrations,
// scheduler_seconds, wall_seconds and events). `responsiveness_alpha` is the
// alpha weighting GPU load in the responsiveness F (dimension: seconds per unit
// of busy fraction).
// Idempotent. Throws InternalError when the records and the accounting are
// inconsistent (a finished job without an end, a CSR offset table of the wrong
// size, a GPU index out of range, per-type vectors of different lengths).
void compute_summary(RunResult& r, double responsiveness_alpha);

// The responsiveness F = sum_i 1 / (f_i + alpha * l_i) over tasks i with completion
// time f_i (seconds) and load l_i of their GPU. Higher is better. Terms whose
// denominator is 0 would be infinite and are left out (docs/metrics.md). Throws
// InternalError when the spans differ in length.
double responsiveness(std::span<const double> completion, std::span<const double> load, double alpha);

// The busy variance L: population variance (1/n) sum_j (l_j - mean)^2 of the loads;
// 0 for an empty span. Lower is better.
double busy_variance(std::span<const double> loads);

// The current name of a summary metric that older results files and baselines
// wrote under a former name (seed_F -> responsiveness, seed_L ->
// busy_variance); any other name is returned unchanged. Kept for one release.
std::string current_metric_name(std::string_view name);

// Nearest-rank percentile of `sorted` (ascending, non-empty): the value at
// rank ceil(p/100 * n), 1-based, with p an integer percent in [1, 100].
double nearest_rank_percentile(std::span<const double> sorted, unsigned percent);

// Every Summary field by name, in a fixed order: the one list of the fields,
// used for the HDF5 attributes, the /summary table and the CLI tables.
// Counts are converted to double (exact below 2^53).
std::vector<std::pair<std::string, double>> summary_fields(const Summary& s);

}  // namespace fastgpu

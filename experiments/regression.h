#pragma once
// The scheduling-quality regression gate: a baseline (TOML, format in
// docs/ci-regression.md) lists per (policy, workload, metric) the expected
// mean over a set of seeds, a tolerance and which direction is worse; a
// results file (/summary table) is checked against it. Used by
// `fastgpu regress`.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/error.h"
#include "results_io/hdf5_reader.h"
#include "experiments/metric_direction.h"

namespace fastgpu {

// One metric of one run. A change is within tolerance when
// |current - value| <= max(tolerance x |value|, absolute_tolerance).
struct BaselineCheck {
  std::string metric;                // a summary_fields() name
  double value = 0;                  // mean over the run's seeds
  double tolerance = 0;              // relative (0.02 = 2 %)
  double absolute_tolerance = 0;     // in the metric's unit
  Direction direction = Direction::either;
  bool inline_table = false;         // written as { value = ..., ... } (options given explicitly)
  SourceLocation where;
};

// One (policy, workload) pair: the seeds its means are taken over.
struct BaselineRun {
  std::string policy, workload;
  std::vector<std::uint64_t> seeds;  // sorted
  std::vector<BaselineCheck> checks;
  SourceLocation where;
};

struct Baseline {
  double tolerance = 0.02;           // [defaults]: for metrics written as a bare value
  double absolute_tolerance = 1e-9;
  std::vector<std::string> metrics;  // [defaults] metrics: what --update records for a new run
  std::vector<BaselineRun> runs;
};

// The metrics a new baseline records by default: the deterministic quality
// metrics (no wall-clock times).
std::vector<std::string> default_regression_metrics();

// Reads a baseline. InputError (file, line, key) on a missing file, bad TOML,
// an unknown key, a metric summary_fields() does not know, a bad direction or
// a negative tolerance.
Baseline read_baseline(const std::string& path);
Baseline parse_baseline(const std::string& text, const std::string& path);

// The baseline as TOML text (round-trips through parse_baseline exactly);
// `comment` lines are written at the top, each prefixed with "# ".
std::string format_baseline(const Baseline& baseline, const std::vector<std::string>& comment = {});
// Writes format_baseline to `path` atomically (sim/output_file.h).
void write_baseline(const std::string& path, const Baseline& baseline, const std::vector<std::string>& comment = {});

// A baseline with the values of `rows`: runs that `previous` lists keep their
// metrics, tolerances and directions with new values and seeds; new runs get
// previous.metrics (or the defaults) with previous's default tolerances. In
// the order of `rows`. InputError when a kept metric is missing in the rows.
Baseline update_baseline(const Baseline& previous, const std::vector<SummaryRow>& rows,
                         const std::string& results_path);

enum class CheckStatus { unchanged, within_tolerance, better, worse };
std::string to_string(CheckStatus s);  // "unchanged", "within tolerance", "better", "WORSE"

struct CheckOutcome {
  std::string policy, workload;
  BaselineCheck check;
  double current = 0;                // mean over the seeds in the results
  CheckStatus status = CheckStatus::unchanged;
};

struct RegressionReport {
  std::vector<CheckOutcome> outcomes;                               // baseline order
  std::vector<std::pair<std::string, std::string>> not_in_baseline; // (policy, workload) only in the results
  std::size_t count(CheckStatus s) const;
  bool regressed() const { return count(CheckStatus::worse) > 0; }
};

// The status of one value against its check. NaN equal to NaN is unchanged;
// NaN on one side only is worse (a metric that stopped or started being
// defined, e.g. mean JCT when no job finishes, needs a look and --update).
CheckStatus classify(const BaselineCheck& check, double current);

// Checks every baseline entry against `rows` (read_summary_table of
// `results_path`). InputError when a baseline run is absent from the results,
// its seeds differ, or a metric is not a column of the results.
RegressionReport check_regressions(const Baseline& baseline, const std::vector<SummaryRow>& rows,
                                   const std::string& results_path);

}  // namespace fastgpu

#pragma once
// Experiment configuration, read from TOML (docs/config.md lists every key).
// Unknown keys, wrong types and out-of-range values are InputErrors naming the
// file, line and key. CLI flags override keys through `overrides`.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cluster_spec.h"
#include "sim/engine_options.h"
#include "sim/policy_params.h"

namespace fastgpu {

// Parameters of the synthetic generator ([workload] with kind = "synthetic").
struct SyntheticSpec {
  std::uint64_t jobs = 1000;
  std::string arrival = "poisson";      // poisson | bursty | diurnal
  double rate = 0;                      // jobs per second; 0 = derive from `load`
  double load = 0.8;                    // offered GPU load / cluster GPUs, used when rate = 0
  double burst_factor = 5;              // bursty: rate multiplier inside bursts
  double burst_fraction = 0.2;          // bursty: fraction of time spent in bursts
  Seconds burst_period = 3600;          // bursty: mean length of one on+off cycle (s)
  double diurnal_amplitude = 0.5;       // diurnal: rate x (1 + a sin(2 pi t / period))
  Seconds diurnal_period = 86400;
  std::vector<std::uint32_t> gpu_counts{1, 2, 4, 8};
  std::vector<double> gpu_count_weights{0.6, 0.2, 0.12, 0.08};
  std::string duration = "lognormal";   // lognormal | trace
  Seconds duration_median = 1800;       // lognormal median (reference seconds)
  double duration_sigma = 1.0;          // lognormal sigma
  Seconds duration_min = 10, duration_max = 7 * 86400.0;
  std::string duration_trace;           // duration = trace: CSV with a runtime column (s)
  std::vector<std::int32_t> priorities{0};
  std::vector<double> priority_weights{1};
  double deadline_fraction = 0;         // share of jobs with a deadline
  double deadline_slack_min = 1.5, deadline_slack_max = 4.0;  // deadline = start of window + slack x runtime
  double window_fraction = 0;           // share of jobs with an earliest start later than submit
  Seconds window_delay_max = 3600;      // earliest_start = submit + U(0, max)
  std::uint32_t users = 16;
  double user_zipf = 1.0;               // user popularity skew (0 = uniform)
  double share_fraction = 0;            // share of 1-GPU jobs asking for a fraction of a GPU
  double preemptible_fraction = 1.0;
  std::vector<std::string> gpu_type_choices;  // constraint drawn from these ...
  double gpu_type_fraction = 0;               // ... for this share of jobs
};

struct WorkloadSpec {
  std::string kind = "synthetic";       // synthetic | trace
  std::string name;                     // defaults to the kind or the trace file's stem
  SyntheticSpec synthetic;
  std::vector<std::string> trace_paths; // kind = trace (paths relative to the config file)
  std::string format = "csv";           // trace format, see workloads/trace_reader.h
  bool skip_bad_rows = false;           // skip malformed rows (counted) instead of failing
  double gpus_per_proc = 1.0;           // SWF: GPUs per processor
};

struct PolicyConfig {
  std::string label;                    // name shown in tables and HDF5 groups
  std::string policy;                   // registry name (= label unless aliased)
  RawParams params;
  SourceLocation where;                 // where the registry name was written (for "unknown policy")
};

struct ExperimentConfig {
  std::string path;                     // the config file
  std::string text;                     // its full text (stored in HDF5)
  std::string name = "experiment";
  ClusterSpec cluster;
  WorkloadSpec workload;
  EngineOptions engine;
  std::vector<PolicyConfig> policies;   // what runs: experiment.policies, or every [policies.*] table
  std::vector<PolicyConfig> other_policies;  // [policies.*] tables not listed in experiment.policies
  std::vector<std::uint64_t> seeds{1};
  std::string output;                   // HDF5 path; empty = results/<name>.h5
  unsigned threads = 0;                 // 0 = hardware concurrency

  // The policy called `label` in `policies` or `other_policies`; InputError if absent.
  const PolicyConfig& policy(const std::string& label) const;
};

// `overrides` are "dotted.key=value" strings (value in TOML syntax, or a bare
// string) applied on top of the file before validation.
ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides = {});
ExperimentConfig parse_config(const std::string& text, const std::string& path,
                              const std::vector<std::string>& overrides = {});

}  // namespace fastgpu

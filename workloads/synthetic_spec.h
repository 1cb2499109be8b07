#pragma once
// Parameters of the synthetic workload generator (workloads/synthetic.h) and
// their one validation. They are keys of a config's [workload] table
// (docs/config.md lists every key and its range).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/types.h"

namespace fastgpu {

struct ClusterSpec;

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

// Throws InputError on the first invalid parameter; its location names the key
// ("workload.<key>", "workload.<key>[i]" for one entry of a list) and no file,
// so that the config reader can add where the key was written. `cluster` is
// needed for gpu_type_choices. GPU counts larger than the cluster are valid
// here: the engine rejects those jobs.
void validate(const SyntheticSpec& spec, const ClusterSpec& cluster);

}  // namespace fastgpu

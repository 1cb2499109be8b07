#pragma once
// Synthetic workload generator ([workload] kind = "synthetic", SyntheticSpec in
// workloads/synthetic_spec.h). Arrivals: Poisson, bursty (on/off modulated Poisson) or diurnal
// (sinusoidal rate, by thinning). Job attributes are drawn independently per job
// from a counter-based generator (Philox4x32, keyed by the seed, counter = job
// index and attribute), so a job's GPU count does not change when, say, the
// deadline fraction does, and results are the same on every platform.
#include <cstdint>
#include <vector>

#include "sim/cluster_spec.h"
#include "workloads/synthetic_spec.h"
#include "sim/workload.h"

namespace fastgpu {

// Jobs 0..n-1 in arrival order, named "synthetic", finalized. Throws the
// InputError of validate(spec, cluster) for an invalid spec.
Workload generate_synthetic(const SyntheticSpec& spec, const ClusterSpec& cluster, std::uint64_t seed);

// The arrival rate the generator uses (jobs per second): spec.rate, or when it
// is 0, load x cluster GPUs / E[GPUs held per job x work], where the GPUs held
// count a shared GPU as its fraction (1-GPU jobs asking for 0.25/0.5/0.75).
double synthetic_arrival_rate(const SyntheticSpec& spec, const ClusterSpec& cluster);

// E[min(max(X, lo), hi)] for X log-normal with the given median and sigma
// (closed form with the normal CDF). Seconds.
double clamped_lognormal_mean(double median, double sigma, double lo, double hi);

// Positive runtimes (seconds) from the `runtime` column of a CSV file, each
// clamped to [lo, hi]; zero, negative and empty ones are skipped.
std::vector<double> load_runtime_samples(const std::string& path, double lo, double hi);

}  // namespace fastgpu

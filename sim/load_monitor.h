#pragma once
// Per-GPU accounting over time: busy GPU-seconds, reserved-idle GPU-seconds,
// GPU memory held, and the monitor samples (per-GPU load over the last
// interval and one time-series row per sample).
//
// A sample costs O(GPUs whose usage changed), not O(GPUs): a GPU whose usage
// did not change during a window was busy at its current share for all of it,
// so its load is that share. `changed_` lists the GPUs that changed in the
// current window (flag in `dirty_`), `settling_` those that changed in the
// previous one (their load becomes their share now).
#include <cstdint>
#include <span>
#include <vector>

#include "sim/cluster_state.h"
#include "sim/run_result.h"

namespace fastgpu {

class LoadMonitor {
 public:
  explicit LoadMonitor(const ClusterState& cluster);

  // Bracket every change of GPU g's allocation or reservation:
  // before_change flushes its integrals under the old state (and, on its first
  // change in a window, records its busy integral at the window's start, which
  // the lazy sample needs); after_change counts the new state.
  void before_change(GpuIndex g, Seconds now) {
    if (!dirty_[g]) {
      dirty_[g] = 1;
      changed_.push_back(g);
      integral_at_sample_[g] = busy_integral_[g] + share(g) * (last_sample_time_ - last_change_[g]);
    }
    reserved_idle_now_ -= reserved_idle(g);
    close_integrals(g, now);
  }
  void after_change(GpuIndex g) { reserved_idle_now_ += reserved_idle(g); }

  // GPU memory held by running jobs, added per GPU as it is allocated or freed.
  void memory_held(double gb) { memory_used_gb_ += gb; }
  void memory_freed(double gb) { memory_used_gb_ -= gb; }

  // The first window begins at t (the first submit): time averages cover the
  // workload's span, not the idle stretch before it. Call before any sample.
  void start(Seconds t) { last_sample_time_ = t; }

  // Updates the per-GPU loads over the window since the last sample and
  // appends a time-series row.
  void sample(Seconds now, std::uint32_t queue_length, std::uint32_t running);
  // Flushes every GPU's integrals up to now, at the end of the run.
  void close(Seconds now);

  Seconds last_sample_time() const { return last_sample_time_; }
  // Busy fraction of each GPU over the last window (0..1).
  std::span<const double> loads() const { return load_; }
  // The GPUs whose load the last sample changed.
  std::span<const GpuIndex> loads_changed() const { return load_updated_; }
  // Per GPU, shares counted; complete after close().
  std::span<const double> busy_gpu_seconds() const { return busy_integral_; }
  double reserved_idle_gpu_seconds() const { return reserved_idle_gpu_seconds_; }
  std::vector<TimeSample> take_samples() { return std::move(samples_); }
  std::size_t sample_count() const { return samples_.size(); }  // for the run's memory budget

 private:
  double share(GpuIndex g) const { return cluster_.used_milli(g) * (1.0 / kMilliPerGpu); }
  bool reserved_idle(GpuIndex g) const { return cluster_.is_reserved(g) && cluster_.is_free(g); }
  // Busy-time and reserved-idle integrals of GPU g up to now.
  void close_integrals(GpuIndex g, Seconds now) {
    const Seconds dt = now - last_change_[g];
    if (dt > 0) {
      busy_integral_[g] += share(g) * dt;
      if (reserved_idle(g)) reserved_idle_gpu_seconds_ += dt;
    }
    last_change_[g] = now;
  }

  const ClusterState& cluster_;
  std::vector<double> busy_integral_;        // GPU-seconds, shares counted, up to last_change_
  std::vector<Seconds> last_change_;
  std::vector<double> integral_at_sample_;   // busy_integral_ at the current window's start
  std::vector<double> load_;
  std::vector<GpuIndex> changed_, settling_;
  std::vector<GpuIndex> load_updated_;
  std::vector<std::uint8_t> dirty_;
  double load_sum_ = 0, load_sum_sq_ = 0;    // over load_
  std::uint64_t samples_since_exact_ = 0;
  double memory_used_gb_ = 0;
  std::uint32_t reserved_idle_now_ = 0;      // GPUs reserved and wholly free
  Seconds last_sample_time_ = 0;
  double reserved_idle_gpu_seconds_ = 0;
  std::vector<TimeSample> samples_;
};

}  // namespace fastgpu

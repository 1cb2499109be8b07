#include "sim/load_monitor.h"

#include <algorithm>

namespace fastgpu {

LoadMonitor::LoadMonitor(const ClusterState& cluster) : cluster_(cluster) {
  const std::uint32_t gpus = cluster.num_gpus();
  busy_integral_.assign(gpus, 0);
  last_change_.assign(gpus, 0);
  integral_at_sample_.assign(gpus, 0);
  load_.assign(gpus, 0);
  dirty_.assign(gpus, 0);
}

void LoadMonitor::sample(Seconds now, std::uint32_t queue_length, std::uint32_t running) {
  const Seconds interval = now - last_sample_time_;
  const std::uint32_t gpus = cluster_.num_gpus();
  const double inv_interval = interval > 0 ? 1.0 / interval : 0.0;
  load_updated_.clear();
  // The sums are kept in locals while the loads change: the appends to
  // load_updated_ could alias the members, which would make the compiler
  // store and reload both sums at every GPU.
  double sum = load_sum_, sum_sq = load_sum_sq_;
  auto set_load = [&](GpuIndex g, double load) {
    const double old = load_[g];
    if (load == old) return;
    load_updated_.push_back(g);
    sum += load - old;
    sum_sq += load * load - old * old;
    load_[g] = load;
  };
  // Steady all this window after a change in the previous one: load = share.
  for (GpuIndex g : settling_) {
    if (!dirty_[g]) set_load(g, share(g));
  }
  // Changed in this window: busy GPU-seconds since the last sample / interval.
  // They settle in the next window.
  for (GpuIndex g : changed_) {
    const double integral_now = busy_integral_[g] + share(g) * (now - last_change_[g]);
    set_load(g, (integral_now - integral_at_sample_[g]) * inv_interval);
    dirty_[g] = 0;
  }
  load_sum_ = sum;
  load_sum_sq_ = sum_sq;
  settling_.swap(changed_);
  changed_.clear();
  // The running sums drift by rounding; recompute them exactly now and then.
  if (++samples_since_exact_ == 4096) {
    samples_since_exact_ = 0;
    load_sum_ = load_sum_sq_ = 0;
    for (GpuIndex g = 0; g < gpus; ++g) {
      load_sum_ += load_[g];
      load_sum_sq_ += load_[g] * load_[g];
    }
  }
  const double mean = gpus ? load_sum_ / gpus : 0;
  last_sample_time_ = now;
  TimeSample s;
  s.time = now;
  s.busy_gpus = cluster_.busy_gpus();
  s.utilisation = gpus ? s.busy_gpus / gpus : 0;
  s.load_variance = gpus ? std::max(0.0, load_sum_sq_ / gpus - mean * mean) : 0;
  s.queue_length = queue_length;
  s.running = running;
  s.reserved_idle = reserved_idle_now_;
  s.memory_used_gb = memory_used_gb_;
  samples_.push_back(s);
}

void LoadMonitor::close(Seconds now) {
  for (GpuIndex g = 0; g < cluster_.num_gpus(); ++g) close_integrals(g, now);
}

}  // namespace fastgpu

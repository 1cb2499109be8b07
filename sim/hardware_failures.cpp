#include "sim/hardware_failures.h"

#include <algorithm>
#include <cmath>

#include "sim/stable_random.h"

namespace fastgpu {

namespace {
constexpr std::uint64_t kRepairRank = 0, kFailureRank = 1;
constexpr int kSeqBits = 62;
// Keeps the failure draws apart from the other users of the run seed
// (estimate noise draws per job index, and GPU g would otherwise meet job g).
constexpr std::uint64_t kFailureSalt = 0x6661696c75726573ULL;  // "failures"

struct Later {
  template <class E>
  bool operator()(const E& a, const E& b) const {
    if (a.time != b.time) return a.time > b.time;
    return a.order > b.order;
  }
};
}  // namespace

HardwareFailures::HardwareFailures(std::shared_ptr<const FailureSpec> spec, const ClusterState& cluster,
                                   std::uint64_t seed)
    : spec_(spec && spec->active() ? std::move(spec) : nullptr),
      cluster_(cluster),
      seed_(splitmix64(seed ^ kFailureSalt)) {
  if (!spec_) return;
  if (spec_->model == FailureModel::trace) {
    for (const Outage& o : spec_->outages) push(o.time, false, o.first_gpu, o.gpus, o.duration);
    return;
  }
  draws_.assign(cluster_.num_gpus(), 0);
  for (GpuIndex g = 0; g < cluster_.num_gpus(); ++g) push_next_failure(g, 0);
}

void HardwareFailures::push(Seconds time, bool repair, GpuIndex first, std::uint32_t gpus, Seconds duration) {
  const std::uint64_t rank = repair ? kRepairRank : kFailureRank;
  heap_.push_back(Entry{time, rank << kSeqBits | next_seq_++, first, gpus, duration});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

// Draw k of GPU g: the time to failure from stream 2k, the repair time from 2k+1.
void HardwareFailures::push_next_failure(GpuIndex g, Seconds after) {
  const TypeReliability& rel = spec_->reliability[cluster_.type_of(g)];
  if (!std::isfinite(rel.mtbf)) return;
  const std::uint32_t k = draws_[g]++;
  const double u_fail = stable_uniform(seed_, g, 2 * std::uint64_t{k});
  const double u_repair = stable_uniform(seed_, g, 2 * std::uint64_t{k} + 1);
  double to_failure = 0;
  if (spec_->model == FailureModel::weibull) {
    // Mean of Weibull(shape, scale) is scale * Gamma(1 + 1/shape).
    const double shape = spec_->weibull_shape;
    const double scale = rel.mtbf / std::tgamma(1.0 + 1.0 / shape);
    to_failure = scale * std::pow(-std::log(u_fail), 1.0 / shape);
  } else {
    to_failure = -rel.mtbf * std::log(u_fail);
  }
  const double repair = -rel.mttr * std::log(u_repair);
  push(after + to_failure, false, g, 1, repair);
}

HardwareFailures::Change HardwareFailures::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  const Entry e = heap_.back();
  heap_.pop_back();
  const bool repair = (e.order >> kSeqBits) == kRepairRank;
  if (repair) {
    --down_;
    if (spec_->model != FailureModel::trace) push_next_failure(e.first_gpu, e.time);
  } else {
    ++failures_;
    ++down_;
    push(e.time + e.duration, true, e.first_gpu, e.gpus, 0);
  }
  return Change{.fails = !repair, .first_gpu = e.first_gpu, .gpus = e.gpus};
}

}  // namespace fastgpu

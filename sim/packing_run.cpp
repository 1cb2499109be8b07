#include "sim/packing_run.h"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "sim/error.h"
#include "sim/stable_random.h"

namespace fastgpu {

const PackingCurvePoint& PackingRunResult::at(double percent) const {
  if (curve.empty()) throw InternalError("packing: empty curve");
  std::size_t best = 0;
  for (std::size_t i = 0; i < curve.size(); ++i)
    if (curve[i].arrived_percent <= percent + 1e-9) best = i;
  return curve[best];
}

PackingRunResult run_packing(const PackingWorkload& workload, const PodShapes& shapes, PackingPlacement& placement,
                             const PackingRunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  if (workload.pods.empty()) throw InputError({workload.pod_path, 0, ""}, "the pod list has no pods");
  bool any_gpu = false;
  for (std::uint32_t p : workload.pods) any_gpu |= workload.requests[p].num_gpu > 0;
  if (!any_gpu)
    throw InputError({workload.pod_path, 0, "num_gpu"},
                     "no pod of the list requests a GPU, so the arrived GPU workload never grows");
  PackingState state(workload);
  const double capacity = static_cast<double>(state.gpu_capacity_milli());
  if (capacity <= 0) throw InputError({workload.node_path, 0, "gpu"}, "the node list has no GPU");

  PackingRunResult result;
  result.workload = workload.name;
  result.seed = options.seed;
  result.capacity_milli = state.gpu_capacity_milli();

  // Expected fragmentation per node, updated for the one node each pod changes.
  std::vector<double> node_frag(state.num_nodes());
  double frag = 0;
  for (std::uint32_t n = 0; n < state.num_nodes(); ++n) frag += node_frag[n] = node_fragmentation(shapes, state.view(n));

  placement.init(state);
  PackingCurvePoint now;
  auto snapshot = [&](double arrived_milli) {
    now.allocated_percent = 100.0 * static_cast<double>(state.allocated_gpu_milli()) / capacity;
    now.fragmented_percent = 100.0 * frag / capacity;
    const double free = capacity - static_cast<double>(state.allocated_gpu_milli());
    now.fragmented_of_free = free > 0 ? 100.0 * frag / free : 0.0;
    now.arrived_percent = 100.0 * arrived_milli / capacity;
  };
  snapshot(0);
  result.curve.push_back(now);
  std::size_t next_point = 1;
  const double target_milli = options.target * capacity;
  double arrived = 0, unplaceable_milli = 0;
  PackingChoice choice;
  const auto n_pods = static_cast<double>(workload.pods.size());
  for (std::uint64_t i = 0; arrived < target_milli; ++i) {
    const auto pick = static_cast<std::size_t>(std::floor(stable_uniform(options.seed, i) * n_pods));
    const std::uint32_t request = workload.pods[std::min(pick, workload.pods.size() - 1)];
    const PodRequest& r = workload.requests[request];
    arrived += static_cast<double>(r.gpu_milli_total());
    now.pods += 1;
    choice.gpus.clear();
    if (placement.choose(state, request, choice)) {
      state.allocate(choice.node, r, choice.gpus);
      frag -= node_frag[choice.node];
      frag += node_frag[choice.node] = node_fragmentation(shapes, state.view(choice.node));
      placement.placed(state, request, choice);
    } else {
      now.unplaceable_pods += 1;
      unplaceable_milli += static_cast<double>(r.gpu_milli_total());
      now.unplaceable_gpu_percent = 100.0 * unplaceable_milli / capacity;
    }
    snapshot(arrived);
    // Every grid point the arrived workload reached or passed gets this state.
    while (next_point * options.step_percent <= now.arrived_percent + 1e-9 &&
           next_point * options.step_percent <= options.target * 100.0 + 1e-9) {
      PackingCurvePoint p = now;
      p.arrived_percent = static_cast<double>(next_point) * options.step_percent;
      result.curve.push_back(p);
      ++next_point;
    }
  }
  result.end = now;
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace fastgpu

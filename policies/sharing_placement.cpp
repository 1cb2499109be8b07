#include "policies/sharing_placement.h"

#include <algorithm>
#include <limits>

#include "policies/packing_placements.h"

namespace fastgpu {

namespace {
constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max() / 4;

// The GPU types in `type_mask` that job j may use, as a mask.
std::uint64_t usable_types(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask) {
  std::uint64_t usable = 0;
  for (TypeIndex t = 0; t < ctx.cluster().num_types(); ++t)
    if ((type_mask >> t & 1) && ctx.type_allowed(j, t)) usable |= std::uint64_t{1} << t;
  return usable;
}
}  // namespace

SharingPlacement::SharingPlacement(std::string name) : name_(std::move(name)) {}
SharingPlacement::~SharingPlacement() = default;

void SharingPlacement::init(SchedulingContext& ctx) {
  const ClusterState& cluster = ctx.cluster();
  mirror_ = PackingWorkload{};
  mirror_.name = ctx.workload().name;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t) mirror_.models.push_back(cluster.gpu_type(t).name);
  for (NodeIndex n = 0; n < cluster.num_nodes(); ++n) {
    PackingNode node;
    node.cpu_milli = kUnbounded;
    node.memory_mib = kUnbounded;
    node.gpus = cluster.gpus_on_node(n);
    node.model = cluster.type_of_node(n);
    mirror_.nodes.push_back(node);
  }
  // The workload's shapes, for fgd's expected fragmentation.
  for (JobIndex j = 0; j < ctx.workload().jobs.size(); ++j) {
    const std::uint32_t r = request_of(ctx, j, ~std::uint64_t{0});
    ++mirror_.request_pods[r];
    mirror_.pods.push_back(r);
  }
  shapes_ = pod_shapes(mirror_);
  state_ = std::make_unique<PackingState>(mirror_);
  inner_ = make_packing_placement(name_, mirror_, shapes_, 1);
  inner_->init(*state_);
}

std::uint32_t SharingPlacement::request_of(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask) const {
  const Job& job = ctx.job(j);
  PodRequest r;
  r.num_gpu = job.num_gpus;
  r.gpu_milli = std::min<std::uint32_t>(1000, std::max<std::uint32_t>(1, job.milli_per_gpu()));
  r.models = usable_types(ctx, j, type_mask);
  const auto it = std::find(mirror_.requests.begin(), mirror_.requests.end(), r);
  if (it != mirror_.requests.end()) return static_cast<std::uint32_t>(it - mirror_.requests.begin());
  mirror_.requests.push_back(r);
  mirror_.request_pods.push_back(0);
  return static_cast<std::uint32_t>(mirror_.requests.size() - 1);
}

void SharingPlacement::sync(const SchedulingContext& ctx, const VcNodeFilter* allowed) const {
  const ClusterState& cluster = ctx.cluster();
  for (NodeIndex n = 0; n < cluster.num_nodes(); ++n) {
    scratch_.clear();
    const GpuIndex first = cluster.first_gpu(n);
    const bool outside = allowed != nullptr && !(*allowed)(n);
    for (GpuIndex g = first; g < first + cluster.gpus_on_node(n); ++g)
      scratch_.push_back(outside || cluster.is_reserved(g) ? 0 : static_cast<std::uint16_t>(cluster.free_milli(g)));
    state_->set_gpu_free(n, scratch_);
  }
}

bool SharingPlacement::place_on_types(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask,
                                      std::vector<GpuIndex>& gpus) const {
  gpus.clear();
  const Job& job = ctx.job(j);
  const ClusterState& cluster = ctx.cluster();
  const std::uint64_t usable = usable_types(ctx, j, type_mask);
  std::uint32_t largest = 0;
  for (TypeIndex t = 0; t < cluster.num_types(); ++t)
    if (usable >> t & 1) largest = std::max(largest, cluster.max_gpus_per_node(t));
  if (job.num_gpus > largest) return Placement::place_on_types(ctx, j, type_mask, gpus);
  const std::uint32_t request = request_of(ctx, j, type_mask);
  const VcPartition& vcs = ctx.vcs();
  if (vcs.vc_of(j) == kNoVc) {
    sync(ctx);
    return choose(ctx, request, gpus);
  }
  // A job of a virtual cluster: its VC's nodes, then those it may borrow.
  const VcNodeFilter own = vcs.filter(j, false);
  sync(ctx, &own);
  if (choose(ctx, request, gpus)) return true;
  if (!vcs.may_borrow(j, job)) return false;
  const VcNodeFilter borrow = vcs.filter(j, true);
  sync(ctx, &borrow);
  return choose(ctx, request, gpus);
}

bool SharingPlacement::choose(const SchedulingContext& ctx, std::uint32_t request, std::vector<GpuIndex>& gpus) const {
  choice_.gpus.clear();
  if (!inner_->choose(*state_, request, choice_)) return false;
  for (std::uint32_t g : choice_.gpus) gpus.push_back(ctx.cluster().first_gpu(choice_.node) + g);
  inner_->placed(*state_, request, choice_);
  return true;
}

}  // namespace fastgpu

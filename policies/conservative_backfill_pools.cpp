#include "policies/conservative_backfill_pools.h"

#include <cmath>
#include <limits>

namespace fastgpu {

void BackfillPools::init(const SchedulingContext& ctx) {
  const ClusterState& cluster = ctx.cluster();
  const VcPartition& vcs = ctx.vcs();
  types_ = cluster.num_types();
  partitions_ = vcs.active() ? vcs.num_vcs() + 1 : 1;
  partition_of_node_.assign(cluster.num_nodes(), 0);
  capacity_.assign(size(), 0);
  for (NodeIndex n = 0; n < cluster.num_nodes(); ++n) {
    const std::uint16_t owner = vcs.owner_of(n);
    partition_of_node_[n] = owner == kNoVc ? partitions_ - 1 : owner;
    capacity_[pool(partition_of_node_[n], cluster.type_of_node(n))] += cluster.gpus_on_node(n);
  }
  if (!partitioned()) return;
  free_.assign(size(), 0);
  releases_.assign(size(), {});
  release_at_.assign(cluster.num_gpus(), std::numeric_limits<Seconds>::quiet_NaN());
}

bool BackfillPools::may_use(const SchedulingContext& ctx, JobIndex j, std::uint32_t partition) const {
  const std::uint16_t vc = ctx.vcs().vc_of(j);
  return vc == kNoVc || vc == partition;
}

VcNodeFilter BackfillPools::nodes_of(const SchedulingContext& ctx, std::uint32_t partition) const {
  return ctx.vcs().partition(partition == partitions_ - 1 ? kNoVc : static_cast<std::uint16_t>(partition));
}

std::uint32_t BackfillPools::lane(const SchedulingContext& ctx, JobIndex j) const {
  const std::uint16_t vc = ctx.vcs().vc_of(j);
  return vc == kNoVc ? partitions_ - 1 : vc;
}

void BackfillPools::recount(const SchedulingContext& ctx) {
  const ClusterState& cluster = ctx.cluster();
  std::fill(free_.begin(), free_.end(), 0);
  for (NodeIndex n = 0; n < cluster.num_nodes(); ++n)
    free_[pool(partition_of_node_[n], cluster.type_of_node(n))] += cluster.free_gpus_on_node(n);
  for (auto& entries : releases_) entries.clear();
  busy_.clear();
  for (JobIndex r : ctx.running()) {
    const Seconds finish = ctx.estimated_finish(r);
    for (GpuIndex g : ctx.gpus_of(r)) {
      if (std::isnan(release_at_[g])) {
        release_at_[g] = finish;
        busy_.push_back(g);
      } else {
        release_at_[g] = std::max(release_at_[g], finish);  // a shared GPU: its last tenant
      }
    }
  }
  for (GpuIndex g : busy_) {
    releases_[pool_of_gpu(cluster, g)].insert(ReleaseIndex::Entry{release_at_[g], g, 1});
    release_at_[g] = std::numeric_limits<Seconds>::quiet_NaN();
  }
}

}  // namespace fastgpu

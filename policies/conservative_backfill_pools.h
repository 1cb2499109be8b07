#pragma once
// The GPU pools conservative-backfill keeps one availability profile for: one
// per GPU type, or, on a cluster with virtual clusters, one per GPU type
// within each partition (a VC's nodes, and the nodes no VC owns). A job of a
// VC is reserved only in its VC's pools, so a reservation there is a promise
// about its own GPUs; a job without a VC may be reserved in any partition's.
// With VCs, each rebuild recounts the pools from the running jobs (O(busy
// GPUs log)); without, the policy uses its incremental ReleaseIndex.
#include <cstdint>
#include <set>
#include <vector>

#include "policies/release_index.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

class BackfillPools {
 public:
  void init(const SchedulingContext& ctx);

  bool partitioned() const { return partitions_ > 1; }
  std::uint32_t partitions() const { return partitions_; }
  std::uint32_t size() const { return partitions_ * types_; }
  std::uint32_t pool(std::uint32_t partition, TypeIndex t) const { return partition * types_ + t; }
  std::uint32_t partition_of_pool(std::uint32_t pool) const { return pool / types_; }
  TypeIndex type_of_pool(std::uint32_t pool) const { return static_cast<TypeIndex>(pool % types_); }
  std::uint32_t pool_of_gpu(const ClusterState& cluster, GpuIndex g) const {
    return pool(partition_of_node_[cluster.node_of(g)], cluster.type_of(g));
  }
  std::int64_t capacity(std::uint32_t pool) const { return capacity_[pool]; }
  // Whether job j may be reserved in `partition`: its own VC's, any for a job without a VC.
  bool may_use(const SchedulingContext& ctx, JobIndex j, std::uint32_t partition) const;
  // The nodes of `partition` (partitioned only).
  VcNodeFilter nodes_of(const SchedulingContext& ctx, std::uint32_t partition) const;
  // The queue lane that a job that cannot be reserved holds up: its VC's
  // (jobs without a VC share the last); a single lane without VCs.
  std::uint32_t lane(const SchedulingContext& ctx, JobIndex j) const;

  // Partitioned only: the wholly free GPUs of every pool now and, per pool,
  // each busy GPU's estimated release (the latest estimated finish of the
  // jobs on it, kNever when unknown), as one-GPU release entries.
  void recount(const SchedulingContext& ctx);
  std::int64_t free_now(std::uint32_t pool) const { return free_[pool]; }
  const std::set<ReleaseIndex::Entry>& releases(std::uint32_t pool) const { return releases_[pool]; }

 private:
  std::uint32_t partitions_ = 1, types_ = 1;
  std::vector<std::uint32_t> partition_of_node_;  // VC index, or the last partition for nodes no VC owns
  std::vector<std::int64_t> capacity_, free_;
  std::vector<std::set<ReleaseIndex::Entry>> releases_;
  std::vector<Seconds> release_at_;  // per GPU, scratch of recount (NaN: not busy)
  std::vector<GpuIndex> busy_;
};

}  // namespace fastgpu

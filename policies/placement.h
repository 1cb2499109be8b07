#pragma once
// Placement: which GPUs a job gets. Policies combine an ordering (which job
// next) with a placement, so any pair works. A gang runs on GPUs of one type:
// a mixed-type gang would run at its slowest GPU's speed, which no scheduler
// wants. Single-node placements are tried first; a gang spreads over several
// nodes (paying the topology slowdown) only when no node can hold it, and
// with consolidation (consolidation.h) only over whole nodes, or not at all.
#include <memory>
#include <string>
#include <vector>

#include "policies/consolidation.h"
#include "policies/node_loads.h"
#include "policies/resort_moved.h"
#include "sim/node_free_buckets.h"
#include "sim/scheduling_context.h"

namespace fastgpu {

class Placement {
 public:
  virtual ~Placement() = default;
  virtual void init(SchedulingContext&) {}
  virtual void on_monitor(SchedulingContext&) {}
  virtual void finish(SchedulingContext&) {}
  void set_consolidation(Consolidation c) { consolidation_ = c; }
  const Consolidation& consolidation() const { return consolidation_; }

  // Fills `gpus` with a valid placement for pending job j and returns true, or
  // returns false when the job does not fit now. O(types x log nodes) for whole
  // GPUs; shared (fractional) jobs scan the GPUs.
  bool place(const SchedulingContext& ctx, JobIndex j, std::vector<GpuIndex>& gpus) const;
  // Same, restricted to the GPU types in `type_mask` (bit t = type t), e.g. the
  // type a heterogeneity heuristic chose for the job. Virtual so that a
  // placement may choose node and GPUs together (policies/sharing_placement.h).
  virtual bool place_on_types(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask,
                      std::vector<GpuIndex>& gpus) const;
  // Same, on the nodes `allowed` accepts only (one VC partition, or the nodes
  // a borrower may take), whatever the job's VC: for a policy that plans each
  // partition on its own (conservative-backfill). The same rules as place_on_types.
  bool place_on_nodes_of(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask,
                         const VcNodeFilter& allowed, std::vector<GpuIndex>& gpus) const;

 protected:
  // A node with at least k wholly free GPUs of a type in `types` (bit t =
  // type t) that this placement prefers, or kNoNode; only nodes `allowed`
  // accepts (a job of a virtual cluster), or any node when it is null. The
  // default takes the first such node in index_all / index_of_type order.
  virtual NodeIndex find_node(const SchedulingContext& ctx, std::uint64_t types, std::uint32_t k,
                              const VcNodeFilter* allowed) const;
  // The node order this placement prefers, over all nodes or one type's nodes
  // (also the order in which a gang too large for any node is spread).
  virtual const NodeFreeIndex& index_all(const SchedulingContext& ctx) const = 0;
  virtual const NodeFreeIndex& index_of_type(const SchedulingContext& ctx, TypeIndex t) const = 0;
  // Appends `count` free GPUs of `node` to `gpus`, in preference order.
  virtual void pick_on_node(const SchedulingContext& ctx, NodeIndex node, std::uint32_t count,
                            std::vector<GpuIndex>& gpus) const;
  // Whether a partly used GPU may take a shared (fractional) job; a placement
  // that hides some GPUs (e.g. reserved ones) says no for them.
  virtual bool shared_usable(const SchedulingContext&, GpuIndex) const { return true; }

 private:
  // A job of a virtual cluster (vc_placement.cpp): its own VC's nodes, then,
  // with lending, the nodes it may borrow.
  bool place_in_vc(const SchedulingContext& ctx, JobIndex j, std::uint64_t usable, std::vector<GpuIndex>& gpus) const;
  // In every helper below, `allowed` is the nodes the job may use (a job of
  // a virtual cluster), or null for all nodes.
  bool place_on_nodes(const SchedulingContext& ctx, JobIndex j, std::uint64_t usable, const VcNodeFilter* allowed,
                      std::vector<GpuIndex>& gpus) const;
  bool place_shared(const SchedulingContext& ctx, JobIndex j, std::uint64_t type_mask, const VcNodeFilter* allowed,
                    std::vector<GpuIndex>& gpus) const;
  bool place_spread(const SchedulingContext& ctx, const NodeFreeIndex& index, std::uint32_t count,
                    const VcNodeFilter* allowed, std::vector<GpuIndex>& gpus) const;
  // Consolidated gangs (consolidation.cpp); the caller found no single node.
  bool place_consolidated(const SchedulingContext& ctx, std::uint64_t usable, std::uint32_t k,
                          const VcNodeFilter* allowed, std::vector<GpuIndex>& gpus) const;
  bool place_whole_nodes(const SchedulingContext& ctx, TypeIndex t, std::uint32_t k, const VcNodeFilter* allowed,
                         std::vector<GpuIndex>& gpus) const;
  Consolidation consolidation_;
  mutable std::vector<std::uint32_t> taken_;  // place_spread's scratch, kept to spare an allocation per call
};

// Lowest-numbered node with room: packs jobs onto the first nodes.
class FirstFitPlacement : public Placement {
 protected:
  const NodeFreeIndex& index_all(const SchedulingContext& ctx) const override;
  const NodeFreeIndex& index_of_type(const SchedulingContext& ctx, TypeIndex t) const override;
};

// Chooses the node by how full it is: best fit (`fewest` = true) takes the
// node with the fewest free GPUs that still holds the job, packing jobs
// together and keeping whole nodes free for large gangs (the usual
// anti-fragmentation baseline, e.g. in Weng et al., ATC'23); spread takes the
// node with the most free GPUs, spreading jobs out. Ties go to the lowest
// node; across types, the better count wins, then the lower node. Gangs too
// large for one node are spread in node order (first-fit's indexes). O(types x GPUs per node) per
// placement plus O(1) per allocation change.
class FitPlacement : public FirstFitPlacement {
 public:
  explicit FitPlacement(bool fewest) : fewest_(fewest) {}
  void init(SchedulingContext& ctx) override;
  void finish(SchedulingContext& ctx) override;

 protected:
  NodeIndex find_node(const SchedulingContext& ctx, std::uint64_t types, std::uint32_t k,
                      const VcNodeFilter* allowed) const override;

 private:
  bool fewest_;
  NodeFreeBuckets buckets_;
};

// Appends to `gpus` the `count` free GPUs of `node` with the lowest monitored
// load, ties by index, in that order; `scratch` is reused between calls.
// InternalError if the node has fewer free GPUs.
void append_least_loaded_gpus(const SchedulingContext& ctx, NodeIndex node, std::uint32_t count,
                              std::vector<GpuIndex>& scratch, std::vector<GpuIndex>& gpus);

// Load balancing: the node, and within it the GPUs, with the lowest
// monitored load (busy fraction over the last monitor interval; ties by index).
// The node order is brought up to date at each monitor sample that changed a
// node's load.
class LeastLoadedPlacement : public Placement {
 public:
  void init(SchedulingContext& ctx) override;
  void on_monitor(SchedulingContext& ctx) override;
  void finish(SchedulingContext& ctx) override;
  // The node loads the order follows, current after on_monitor: a policy
  // that also reads them shares these rather than computing them again.
  const NodeLoads& node_loads() const { return node_loads_; }

 protected:
  const NodeFreeIndex& index_all(const SchedulingContext& ctx) const override { return all_; }
  const NodeFreeIndex& index_of_type(const SchedulingContext& ctx, TypeIndex t) const override {
    return by_type_.empty() ? all_ : by_type_[t];
  }
  void pick_on_node(const SchedulingContext& ctx, NodeIndex node, std::uint32_t count,
                    std::vector<GpuIndex>& gpus) const override;

 private:
  void reorder(const SchedulingContext& ctx);
  std::vector<NodeIndex> order_;             // all nodes, coldest first
  ResortScratch resort_scratch_;
  NodeFreeIndex all_;
  std::vector<NodeFreeIndex> by_type_;  // empty with one type: all_ serves it
  NodeLoads node_loads_;
  mutable std::vector<GpuIndex> scratch_;
};

// Names accepted by a policy's `placement` parameter.
const std::vector<std::string>& placement_names();
std::unique_ptr<Placement> make_placement(const std::string& name);

}  // namespace fastgpu

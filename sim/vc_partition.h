#pragma once
// Virtual clusters at run time: which VC owns each node, which VC each job
// belongs to, and which nodes a job may be placed on. A job of a VC runs on its
// VC's nodes only; with lending on, a preemptible job may also borrow the
// nodes of VCs that have no job waiting (and of nodes no VC owns), and the
// engine takes them back when the owner needs them (Engine::reclaim_lent_gpus).
// Inactive (no [[cluster.vcs]]): every query says "anywhere" and costs nothing.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/cluster_state.h"
#include "sim/workload.h"

namespace fastgpu {

inline constexpr std::uint16_t kNoVc = 0xffff;

// The nodes a job may use now. `lendable` is null for the job's own VC only.
struct VcNodeFilter {
  const std::uint16_t* owner = nullptr;    // per node: owning VC or kNoVc
  const std::uint8_t* lendable = nullptr;  // per VC: 1 if its idle nodes may be borrowed now
  std::uint16_t vc = kNoVc;
  bool operator()(NodeIndex n) const {
    const std::uint16_t o = owner[n];
    return o == vc || (lendable != nullptr && (o == kNoVc || lendable[o] != 0));
  }
};

class VcPartition {
 public:
  // Maps each job's VC name to the cluster's VCs. Throws InputError naming the
  // job when a job names a VC the cluster does not define (VCs configured only).
  VcPartition(const Workload& workload, const ClusterState& cluster);

  bool active() const { return !vc_names_.empty(); }
  bool lending() const { return lending_; }
  std::uint32_t num_vcs() const { return static_cast<std::uint32_t>(vc_names_.size()); }
  const std::string& name(std::uint16_t vc) const { return vc_names_[vc]; }
  // The job's VC, or kNoVc (no VCs configured, or the job names none: it may run anywhere).
  std::uint16_t vc_of(JobIndex j) const { return job_vc_.empty() ? kNoVc : job_vc_[j]; }
  std::uint16_t owner_of(NodeIndex n) const { return node_owner_.empty() ? kNoVc : node_owner_[n]; }
  std::span<const NodeIndex> nodes_of(std::uint16_t vc) const { return vc_nodes_[vc]; }
  std::uint32_t gpus_of(std::uint16_t vc) const { return vc_gpus_[vc]; }
  // GPUs of type t in the VC.
  std::uint32_t gpus_of_type(std::uint16_t vc, TypeIndex t) const { return vc_type_gpus_[vc][t]; }

  // Its own VC's nodes; `borrow` adds the nodes it may borrow now (lending on,
  // preemptible job).
  VcNodeFilter filter(JobIndex j, bool borrow) const {
    VcNodeFilter f{node_owner_.data(), nullptr, vc_of(j)};
    if (borrow) f.lendable = lendable_.data();
    return f;
  }
  bool may_borrow(JobIndex j, const Job& job) const { return lending_ && job.preemptible && vc_of(j) != kNoVc; }
  // The nodes of VC v (kNoVc: the nodes no VC owns), for a policy that plans each partition on its own.
  VcNodeFilter partition(std::uint16_t vc) const { return VcNodeFilter{node_owner_.data(), nullptr, vc}; }
  // The nodes a borrower may take now: those of VCs lending now and those no VC owns.
  VcNodeFilter borrowable() const { return VcNodeFilter{node_owner_.data(), lendable_.data(), kNoVc}; }

  // Why job j can never run in its VC (empty if it can): more GPUs than the
  // VC has of any type the job may use.
  std::string unplaceable_reason(JobIndex j, const Job& job, std::uint64_t allowed_types) const;

  // Lending: whether VC v's idle nodes may be borrowed (engine only).
  void set_lendable(std::uint16_t vc, bool lendable) { lendable_[vc] = lendable ? 1 : 0; }
  // A borrower was stopped to give VC v its GPUs back (engine only).
  void count_reclaim(std::uint16_t vc) { ++reclaims_[vc]; }
  std::uint64_t reclaims(std::uint16_t vc) const { return reclaims_[vc]; }
  // Job j held `milli_gpus`-thousandths GPUs on each of `gpus` for `seconds`:
  // the part on other VCs' nodes counts as lent by them (engine only).
  void account_release(JobIndex j, std::span<const GpuIndex> gpus, const ClusterState& cluster, double gpu_share,
                       Seconds seconds) {
    const std::uint16_t vc = vc_of(j);
    if (vc == kNoVc) return;
    for (GpuIndex g : gpus) {
      const std::uint16_t owner = node_owner_[cluster.node_of(g)];
      if (owner != vc && owner != kNoVc) lent_[owner] += gpu_share * seconds;
    }
  }
  double lent_gpu_seconds(std::uint16_t vc) const { return lent_[vc]; }

 private:
  std::vector<std::string> vc_names_;
  std::vector<std::uint16_t> job_vc_;        // empty when inactive
  std::vector<std::uint16_t> node_owner_;    // empty when inactive
  std::vector<std::vector<NodeIndex>> vc_nodes_;
  std::vector<std::uint32_t> vc_gpus_;
  std::vector<std::vector<std::uint32_t>> vc_type_gpus_;
  std::vector<std::uint8_t> lendable_;
  std::vector<std::uint64_t> reclaims_;
  std::vector<double> lent_;
  bool lending_ = false;
};

}  // namespace fastgpu

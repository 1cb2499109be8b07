#pragma once
// The fragmentation measure of GPU-sharing clusters: the GPU capacity that is
// free but that the pods of the workload could not use, in expectation over
// the workload's pod shapes.
//
// For a node n and a pod shape m, the fragmented amount F_n(m) (milli-GPUs) is
//  - all free GPU capacity of n when m asks for no GPU (it can use none of
//    it), or when m cannot run on n at all (its CPU or memory does not fit,
//    n's GPU model is not allowed, or fewer than num_gpu GPUs have gpu_milli
//    free);
//  - otherwise the free capacity of the GPUs that have less than m's
//    gpu_milli free (pieces too small for m).
// The node's expected fragmentation is F_n = sum over shapes of p_m F_n(m),
// where p_m is the shape's share of the pods of the list; the cluster's is the
// sum over nodes.
#include <cstdint>
#include <vector>

#include "sim/packing_state.h"

namespace fastgpu {

// The distribution of pod shapes a workload is expected to bring: the most
// popular requests of a pod list that together cover at least `coverage` of
// its pods (all of them with coverage = 1), with their shares renormalised to
// sum to 1. Ties in popularity keep the list's first-seen order. The kept
// shapes are stored by gpu_milli, highest first, so that a node's
// fragmentation is one merge of its sorted free capacities with the shapes.
struct PodShapes {
  std::vector<PodRequest> shapes;
  std::vector<double> weights;  // sum to 1
};
PodShapes pod_shapes(const PackingWorkload& workload, double coverage = 1.0);

// F_n(m) in milli-GPUs.
double shape_fragmentation(const PodRequest& shape, const PackingNodeView& node);
// F_n in milli-GPUs. O(shapes + GPUs log GPUs).
double node_fragmentation(const PodShapes& shapes, const PackingNodeView& node);

}  // namespace fastgpu

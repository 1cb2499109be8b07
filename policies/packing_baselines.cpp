#include "policies/packing_baselines.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/stable_random.h"

namespace fastgpu {

namespace {

// Scores every node the pod fits on; the lowest score wins, ties to the
// lowest node. The GPUs are the best fit on that node.
class ScoredPlacement : public PackingPlacement {
 public:
  explicit ScoredPlacement(const PackingWorkload& workload) : workload_(workload) {}
  bool choose(const PackingState& state, std::uint32_t request, PackingChoice& out) override {
    const PodRequest& r = workload_.requests[request];
    double best = std::numeric_limits<double>::infinity();
    std::uint32_t best_node = kNoModel;
    for (std::uint32_t n = 0; n < state.num_nodes(); ++n) {
      if (!request_fits(r, state.view(n))) continue;
      const double s = score(state, n, r);
      if (best_node == kNoModel || s < best) {
        best = s;
        best_node = n;
      }
    }
    if (best_node == kNoModel) return false;
    out.node = best_node;
    best_fit_gpus(r, state.gpu_free(best_node), out.gpus);
    return true;
  }

 protected:
  virtual double score(const PackingState& state, std::uint32_t n, const PodRequest& r) const = 0;
  // Free CPU and GPU of node n as fractions of its capacity (GPU 0 on a node without GPUs).
  static double cpu_fraction(const PackingState& s, std::uint32_t n, std::int64_t take = 0) {
    return static_cast<double>(s.cpu_free(n) - take) / static_cast<double>(s.node(n).cpu_milli);
  }
  static double gpu_fraction(const PackingState& s, std::uint32_t n, std::uint64_t take = 0) {
    const std::uint32_t gpus = s.node(n).gpus;
    return gpus == 0 ? 0.0 : static_cast<double>(s.gpu_free_milli(n) - take) / (1000.0 * gpus);
  }
  const PackingWorkload& workload_;
};

// Best fit: the node left with the least free CPU and GPU, each as a
// fraction of the node's capacity, summed.
class BestFit final : public ScoredPlacement {
 public:
  using ScoredPlacement::ScoredPlacement;

 protected:
  double score(const PackingState& s, std::uint32_t n, const PodRequest& r) const override {
    return cpu_fraction(s, n, r.cpu_milli) + gpu_fraction(s, n, r.gpu_milli_total());
  }
};

// Tetris: the largest dot product of the request and the node's free
// resources (CPU and GPU, each normalised by the node's capacity).
class DotProduct final : public ScoredPlacement {
 public:
  using ScoredPlacement::ScoredPlacement;

 protected:
  double score(const PackingState& s, std::uint32_t n, const PodRequest& r) const override {
    const PackingNode& node = s.node(n);
    double dot = static_cast<double>(r.cpu_milli) / static_cast<double>(node.cpu_milli) * cpu_fraction(s, n);
    if (node.gpus > 0) dot += static_cast<double>(r.gpu_milli_total()) / (1000.0 * node.gpus) * gpu_fraction(s, n);
    return -dot;
  }
};

// GPU packing: a partly used GPU that holds a 1-GPU shared pod first, then
// nodes that already run GPU pods, then idle nodes; within a tier the node
// left with the least free GPU.
class GpuPacking final : public ScoredPlacement {
 public:
  using ScoredPlacement::ScoredPlacement;

 protected:
  double score(const PackingState& s, std::uint32_t n, const PodRequest& r) const override {
    int tier = 2;
    if (s.gpu_free_milli(n) < 1000ull * s.node(n).gpus) tier = 1;
    if (r.num_gpu == 1 && r.gpu_milli < 1000) {
      for (std::uint16_t f : s.gpu_free(n))
        if (f < 1000 && f >= r.gpu_milli) tier = 0;
    }
    return tier * 4.0 + gpu_fraction(s, n, r.gpu_milli_total());
  }
};

// GPU clustering: nodes that already run a pod of the same GPU request
// (num_gpu, gpu_milli) first, then nodes that run no GPU pod, then the rest;
// the lowest node within a tier.
class GpuClustering final : public ScoredPlacement {
 public:
  using ScoredPlacement::ScoredPlacement;
  void init(const PackingState& state) override {
    classes_.clear();
    request_class_.clear();
    hosts_.assign(state.num_nodes(), {});
    busy_.assign(state.num_nodes(), 0);
  }
  bool choose(const PackingState& state, std::uint32_t request, PackingChoice& out) override {
    current_ = class_of(request);
    return ScoredPlacement::choose(state, request, out);
  }
  void placed(const PackingState&, std::uint32_t request, const PackingChoice& c) override {
    if (workload_.requests[request].num_gpu == 0) return;
    const std::uint32_t cls = class_of(request);
    std::vector<std::uint32_t>& h = hosts_[c.node];
    if (std::find(h.begin(), h.end(), cls) == h.end()) h.push_back(cls);
    busy_[c.node] = 1;
  }

 protected:
  double score(const PackingState&, std::uint32_t n, const PodRequest& r) const override {
    const std::vector<std::uint32_t>& h = hosts_[n];
    if (r.num_gpu > 0 && std::find(h.begin(), h.end(), current_) != h.end()) return 0;
    return busy_[n] ? 2 : 1;
  }

 private:
  // The class (num_gpu, gpu_milli) of a request, numbered as first met.
  std::uint32_t class_of(std::uint32_t request) {
    while (request_class_.size() <= request) {
      const PodRequest& r = workload_.requests[request_class_.size()];
      std::uint32_t c = 0;
      while (c < classes_.size() && !(classes_[c].first == r.num_gpu && classes_[c].second == r.gpu_milli)) ++c;
      if (c == classes_.size()) classes_.emplace_back(r.num_gpu, r.gpu_milli);
      request_class_.push_back(c);
    }
    return request_class_[request];
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> classes_;
  std::vector<std::uint32_t> request_class_;
  std::vector<std::vector<std::uint32_t>> hosts_;  // per node: classes of the GPU pods it runs
  std::vector<std::uint8_t> busy_;
  std::uint32_t current_ = 0;
};

// A uniformly random node among those the pod fits on, and random GPUs with
// room on it: draws are a pure function of the seed and the pod's position.
class RandomPlacement final : public PackingPlacement {
 public:
  RandomPlacement(const PackingWorkload& workload, std::uint64_t seed) : workload_(workload), seed_(seed) {}
  bool choose(const PackingState& state, std::uint32_t request, PackingChoice& out) override {
    const PodRequest& r = workload_.requests[request];
    const std::uint64_t pod = pods_++;
    fits_.clear();
    for (std::uint32_t n = 0; n < state.num_nodes(); ++n)
      if (request_fits(r, state.view(n))) fits_.push_back(n);
    if (fits_.empty()) return false;
    out.node = fits_[pick(pod, 0, fits_.size())];
    out.gpus.clear();
    room_.clear();
    const auto free = state.gpu_free(out.node);
    for (std::uint32_t g = 0; g < free.size(); ++g)
      if (free[g] >= r.gpu_milli) room_.push_back(g);
    for (std::uint32_t k = 0; k < r.num_gpu; ++k) {  // partial Fisher-Yates
      const std::size_t j = k + pick(pod, k + 1, room_.size() - k);
      std::swap(room_[k], room_[j]);
      out.gpus.push_back(room_[k]);
    }
    return true;
  }

 private:
  std::size_t pick(std::uint64_t pod, std::uint64_t stream, std::size_t count) const {
    const auto i = static_cast<std::size_t>(std::floor(stable_uniform(seed_ ^ 0x7061636b696e67ull, pod, stream) *
                                                       static_cast<double>(count)));
    return i < count ? i : count - 1;
  }
  const PackingWorkload& workload_;
  std::uint64_t seed_;
  std::uint64_t pods_ = 0;
  std::vector<std::uint32_t> fits_, room_;
};

}  // namespace

std::unique_ptr<PackingPlacement> make_packing_baseline(const std::string& name, const PackingWorkload& workload,
                                                        std::uint64_t seed) {
  if (name == "best-fit") return std::make_unique<BestFit>(workload);
  if (name == "dot-product") return std::make_unique<DotProduct>(workload);
  if (name == "gpu-packing") return std::make_unique<GpuPacking>(workload);
  if (name == "gpu-clustering") return std::make_unique<GpuClustering>(workload);
  if (name == "random") return std::make_unique<RandomPlacement>(workload, seed);
  return nullptr;
}

}  // namespace fastgpu

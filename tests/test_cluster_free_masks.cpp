// The cluster's per-node masks of wholly free GPUs say what is_free says of
// every GPU, through whole and shared allocations, releases, failures and
// repairs; a node of more than 64 GPUs turns them off.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "engine_fixtures.h"
#include "sim/cluster_state.h"

using namespace fastgpu;
using fastgpu::testing::uniform_cluster;

namespace {

void check_masks(const ClusterState& cluster) {
  for (NodeIndex n = 0; n < cluster.num_nodes(); ++n) {
    std::uint64_t want = 0;
    for (std::uint32_t i = 0; i < cluster.gpus_on_node(n); ++i)
      if (cluster.is_free(cluster.first_gpu(n) + i)) want |= std::uint64_t{1} << i;
    REQUIRE(cluster.free_mask(n) == want);
  }
}

}  // namespace

TEST_CASE("ClusterState free masks follow allocations, releases and failures") {
  for (const std::uint32_t per_node : {3u, 8u, 64u}) {
    ClusterState cluster(uniform_cluster(5, per_node));
    REQUIRE(cluster.has_free_masks());
    check_masks(cluster);
    std::mt19937_64 rng(per_node);
    std::vector<std::uint32_t> held(cluster.num_gpus(), 0);  // milli this test allocated
    for (int step = 0; step < 20000; ++step) {
      const auto g = static_cast<GpuIndex>(rng() % cluster.num_gpus());
      const auto roll = rng() % 10;
      if (roll < 4) {
        const std::uint32_t milli = rng() % 2 == 0 ? kMilliPerGpu : 250;
        if (!cluster.is_failed(g) && cluster.used_milli(g) + milli <= kMilliPerGpu) {
          cluster.allocate(g, milli);
          held[g] += milli;
        }
      } else if (roll < 8) {
        if (held[g] > 0) {
          const std::uint32_t milli = held[g] % kMilliPerGpu == 0 ? kMilliPerGpu : 250;
          cluster.release(g, std::min(milli, held[g]));
          held[g] -= std::min(milli, held[g]);
        }
      } else {
        cluster.set_failed(g, !cluster.is_failed(g));
      }
      check_masks(cluster);
    }
  }
}

TEST_CASE("ClusterState keeps no free masks when a node has more than 64 GPUs") {
  const ClusterState cluster(uniform_cluster(2, 65));
  CHECK_FALSE(cluster.has_free_masks());
}

// Consolidated gangs (`consolidate`, `spread_after`): schedules derived by
// hand on small clusters, and on random mixed workloads, for every policy that
// takes a placement, the shape of every gang checked from its GPUs alone.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "engine_fixtures.h"
#include "property_checks.h"
#include "sim/allowed_gpu_types.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;
using V = std::vector<GpuIndex>;

namespace {

RawParams consolidated(const std::string& placement, bool consolidate, double spread_after = -1) {
  RawParams p;
  p["placement"] = RawParam{placement, {}};
  p["consolidate"] = RawParam{consolidate, {}};
  p["spread_after"] = RawParam{spread_after, {}};
  return p;
}

// The GPUs in increasing order, "a,b,c": readable in a failed CHECK.
std::string text(V v) {
  std::sort(v.begin(), v.end());
  std::string out;
  for (const GpuIndex g : v) {
    if (!out.empty()) out += ',';
    out += std::to_string(g);
  }
  return out;
}

bool has_param(const PolicyInfo& info, const std::string& name) {
  return std::any_of(info.params.begin(), info.params.end(), [&](const ParamSpec& s) { return s.name == name; });
}

}  // namespace

TEST_CASE("consolidate: a 4-GPU gang waits for one node while the free GPUs are split 2+2") {
  // fifo, spread placement, 2 nodes x 4 GPUs (GPUs 4n..4n+3 on node n), one
  // switch: a gang over two nodes runs at 1/1.1 of its speed.
  //   J0 submit 0, 2 GPUs, work 100 -> node 0 {0,1}   free (2,4)
  //   J1 submit 0, 2 GPUs, work 100 -> node 1 {4,5}   free (2,2)  (emptiest)
  //   J2 submit 0, 4 GPUs, work 10: no node has 4 free.
  // consolidate = false: spread at 0 over {2,3} and {6,7}, ends 0 + 10 x 1.1.
  // consolidate = true: waits until J0 and J1 end at 100, then node 0 (tie,
  //   lowest) {0..3}, ends 110.
  // spread_after = 30: still consolidated at the events of t = 0; the next
  //   scheduling point after 30 s of waiting is the monitor sample at 60,
  //   where it spreads: {2,3,6,7}, ends 60 + 11.
  const Workload w = make_workload({{0, 2, 100}, {0, 2, 100}, {0, 4, 10}});
  const ClusterSpec c = uniform_cluster(2, 4);
  const RunResult free_spread = run_policy("fifo", w, c, {}, consolidated("spread", false));
  CHECK(free_spread.jobs[2].first_start == 0);
  CHECK(free_spread.jobs[2].end == doctest::Approx(11));
  CHECK(text(gpus(free_spread, 2)) == "2,3,6,7");

  const RunResult waits = run_policy("fifo", w, c, {}, consolidated("spread", true));
  CHECK(text(gpus(waits, 0)) == "0,1");
  CHECK(text(gpus(waits, 1)) == "4,5");
  CHECK(waits.jobs[2].first_start == 100);
  CHECK(waits.jobs[2].end == 110);
  CHECK(text(gpus(waits, 2)) == "0,1,2,3");

  EngineOptions options;
  options.monitor_interval = 60;
  const RunResult relaxed = run_policy("fifo", w, c, options, consolidated("spread", true, 30));
  CHECK(relaxed.jobs[2].first_start == 60);
  CHECK(relaxed.jobs[2].end == doctest::Approx(71));
  CHECK(text(gpus(relaxed, 2)) == "2,3,6,7");
}

TEST_CASE("consolidate: an 8-GPU gang on 4-GPU nodes takes two whole nodes") {
  // fifo, spread placement, 3 nodes x 4 GPUs.
  //   J0 submit 0, 1 GPU, work 100 -> node 0 {0}    free (3,4,4)
  //   J1 submit 0, 1 GPU, work 50  -> node 1 {4}    free (3,3,4)
  //   J2 submit 0, 8 GPUs, work 10: one whole node (2) only.
  // consolidate = false: whole node 2 {8..11}, then the rest in node order:
  //   node 0 {1,2,3}, node 1 {5}: starts 0 on three nodes, ends 11.
  // consolidate = true: waits until J1 ends at 50 (free (3,4,4)), then whole
  //   nodes 1 and 2 {4..11}, ends 50 + 10 x 1.1.
  const Workload w = make_workload({{0, 1, 100}, {0, 1, 50}, {0, 8, 10}});
  const ClusterSpec c = uniform_cluster(3, 4);
  const RunResult free_spread = run_policy("fifo", w, c, {}, consolidated("spread", false));
  CHECK(free_spread.jobs[2].first_start == 0);
  CHECK(text(gpus(free_spread, 2)) == "1,2,3,5,8,9,10,11");
  const RunResult whole = run_policy("fifo", w, c, {}, consolidated("spread", true));
  CHECK(whole.jobs[2].first_start == 50);
  CHECK(whole.jobs[2].end == doctest::Approx(61));
  CHECK(text(gpus(whole, 2)) == "4,5,6,7,8,9,10,11");
}

TEST_CASE("consolidate: a 6-GPU gang takes one whole node and the rest on one partly used node") {
  // fifo, spread placement, 3 nodes x 4 GPUs; J0 -> node 0 {0}, J1 -> node 1
  // {4}: free (3,3,4). J2, 6 GPUs = one whole node + 2 GPUs on one more node.
  // spread prefers the emptiest node for the 2, which is node 2, the only
  // whole node; so the 2 go to the first partly used node with room, node 0
  // {1,2}, and node 2 is the whole node {8..11}. Starts at 0, ends 0 + 10 x 1.1.
  // Under first-fit the 2 GPUs go to node 0 directly: the same GPUs.
  const Workload w = make_workload({{0, 1, 100}, {0, 1, 50}, {0, 6, 10}});
  const ClusterSpec c = uniform_cluster(3, 4);
  const RunResult r = run_policy("fifo", w, c, {}, consolidated("spread", true));
  CHECK(r.jobs[2].first_start == 0);
  CHECK(r.jobs[2].end == doctest::Approx(11));
  CHECK(text(gpus(r, 2)) == "1,2,8,9,10,11");
  // best-fit: J0 -> node 0 {0}, J1 -> node 0 {1} (fullest with room), free
  // (2,4,4): the 2 go to node 0 {2,3}, the whole node is node 1 {4..7}.
  const RunResult best = run_policy("fifo", w, c, {}, consolidated("best-fit", true));
  CHECK(best.jobs[2].first_start == 0);
  CHECK(text(gpus(best, 2)) == "2,3,4,5,6,7");
}

TEST_CASE("consolidate: every policy that takes a placement takes it, and every gang has the consolidated shape") {
  // Checked from the GPUs alone: a gang that fits on one node of a type it
  // may use (for policies that choose the type first: of that type) is on one node; a larger one, on a type of node size s, is on
  // ceil(k / s) nodes, all but at most one of them wholly its own.
  const ClusterSpec cluster = mixed_test_cluster();
  SyntheticSpec spec = mixed_test_spec();
  spec.jobs = 120;
  ClusterState state(cluster);
  std::uint64_t policies = 0;
  const std::set<std::string> type_first{"min-min", "max-min", "sufferage", "mct",
                                         "met",     "conservative-backfill", "easy-backfill", "las"};
  for (const PolicyInfo& info : builtin_policies().all()) {
    if (!has_param(info, "placement")) continue;
    CHECK(has_param(info, "consolidate"));
    CHECK(has_param(info, "spread_after"));
    if (info.name == "recorded") continue;  // needs recorded starts
    ++policies;
    for (const char* placement : {"first-fit", "best-fit", "least-loaded"}) {
      for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        CAPTURE(info.name);
        CAPTURE(std::string(placement));
        CAPTURE(seed);
        const Workload w = generate_synthetic(spec, cluster, seed);
        const AllowedGpuTypes allowed(w, cluster);
        EngineOptions options;
        options.seed = seed;
        const RunResult r = run_policy(info.name, w, cluster, options, consolidated(placement, true));
        check_every_job_ends_once(r, w);
        for (JobIndex j = 0; j < r.jobs.size(); ++j) {
          if (r.jobs[j].outcome != JobOutcome::finished) continue;
          const auto held = r.gpus_of(j);
          std::map<NodeIndex, std::uint32_t> per_node;
          for (const GpuIndex g : held) ++per_node[state.node_of(g)];
          const std::uint32_t k = w.jobs[j].num_gpus;
          const TypeIndex t = state.type_of(held.front());
          // Policies that may steer a job to one type (the ETC heuristics'
          // choice, a backfill reservation's type, las' claimed GPUs) judge
          // "fits on one node" within that type.
          std::uint32_t largest_allowed = state.max_gpus_per_node(t);
          for (TypeIndex u = 0; u < state.num_types() && !type_first.contains(info.name); ++u) {
            if (allowed.allowed(j, u)) largest_allowed = std::max(largest_allowed, state.max_gpus_per_node(u));
          }
          const std::string held_text = text(V(held.begin(), held.end()));
          CAPTURE(w.jobs[j].id);
          CAPTURE(k);
          CAPTURE(held_text);
          CAPTURE(r.jobs[j].preemptions);
          if (k <= largest_allowed) {
            CHECK(per_node.size() == 1);
          } else {
            const std::uint32_t size = state.max_gpus_per_node(t);
            CHECK(per_node.size() == (k + size - 1) / size);
            std::uint32_t partial = 0;
            for (const auto& [node, count] : per_node) partial += count != state.gpus_on_node(node);
            CHECK(partial <= 1);
          }
        }
      }
    }
  }
  CHECK(policies >= 10);
}

// Packing runs: the fragmentation measure on a hand-worked example, FGD's
// choice on a hand-built case, sampling, unplaceable pods, the shipped cut
// and every openb pod list of the shared data.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "policies/packing_placements.h"
#include "sim/error.h"
#include "sim/gpu_fragmentation.h"
#include "sim/packing_run.h"
#include "sim/stable_random.h"
#include "workloads/packing_workload.h"
#include "tests/skip.h"

namespace fastgpu {

namespace {

PackingNode node(std::int64_t cpu, std::uint32_t gpus, std::uint32_t model) {
  PackingNode n;
  n.cpu_milli = cpu;
  n.memory_mib = 1000;
  n.gpus = gpus;
  n.model = model;
  return n;
}

PodRequest pod(std::int64_t cpu, std::uint32_t num_gpu, std::uint32_t milli) {
  PodRequest r;
  r.cpu_milli = cpu;
  r.memory_mib = 100;
  r.num_gpu = num_gpu;
  r.gpu_milli = milli;
  return r;
}

// Adds request r `count` times to the list.
void add_pods(PackingWorkload& w, const PodRequest& r, std::uint32_t count) {
  w.requests.push_back(r);
  w.request_pods.push_back(count);
  for (std::uint32_t i = 0; i < count; ++i) w.pods.push_back(static_cast<std::uint32_t>(w.requests.size() - 1));
}

}  // namespace

TEST_CASE("packing: fragmentation of a 2-node example, worked by hand") {
  // Node A: model 0, 8 cores, GPUs with 1000 and 300 milli free.
  // Node B: model 1, 8 cores of which 1 is free, one GPU with 600 free.
  PackingWorkload w;
  w.models = {"X", "Y"};
  w.nodes = {node(8000, 2, 0), node(8000, 1, 1)};
  // Shapes: s1 (1 core, 1 GPU x 500) twice, s2 (2 cores, 1 whole GPU) once,
  // s3 (0.5 core, no GPU) once: weights 0.5, 0.25, 0.25.
  const PodRequest s1 = pod(1000, 1, 500), s2 = pod(2000, 1, 1000), s3 = pod(500, 0, 0);
  add_pods(w, s1, 2);
  add_pods(w, s2, 1);
  add_pods(w, s3, 1);
  const PodShapes shapes = pod_shapes(w);
  // Kept by gpu_milli, highest first.
  REQUIRE(shapes.shapes == std::vector<PodRequest>{s2, s1, s3});
  CHECK(shapes.weights == std::vector<double>{0.25, 0.5, 0.25});

  const std::vector<std::uint16_t> a_free{1000, 300}, b_free{600};
  const PackingNodeView a{0, 8000, 1000, a_free}, b{1, 1000, 1000, b_free};
  // A: s1 fits (the 1000 GPU); the 300 piece is too small: 300. s2 fits, 300
  // again. s3 uses no GPU: all 1300. F_A = 0.5*300 + 0.25*300 + 0.25*1300 = 550.
  CHECK(shape_fragmentation(s1, a) == 300);
  CHECK(shape_fragmentation(s2, a) == 300);
  CHECK(shape_fragmentation(s3, a) == 1300);
  CHECK(node_fragmentation(shapes, a) == doctest::Approx(550));
  // B: s1 fits exactly (1 core, 600 >= 500): 0. s2 needs 2 cores: all 600.
  // s3: all 600. F_B = 0 + 0.25*600 + 0.25*600 = 300.
  CHECK(shape_fragmentation(s1, b) == 0);
  CHECK(shape_fragmentation(s2, b) == 600);
  CHECK(shape_fragmentation(s3, b) == 600);
  CHECK(node_fragmentation(shapes, b) == doctest::Approx(300));

  // A model the shape does not allow: all free GPU is fragmented.
  PodRequest only_y = s1;
  only_y.models = 0b10;
  CHECK(shape_fragmentation(only_y, a) == 1300);
  CHECK(shape_fragmentation(only_y, b) == 0);

  // The same cluster built by allocation: the run's measure is the sum, 850
  // milli of 3000 = 28.33 % of the capacity before any pod of the run.
  PackingState state(w);
  const std::vector<std::uint32_t> g1{1};
  state.allocate(0, pod(0, 1, 700), g1);
  state.allocate(1, pod(7000, 1, 400), std::vector<std::uint32_t>{0});
  CHECK(node_fragmentation(shapes, state.view(0)) == doctest::Approx(550));
  CHECK(node_fragmentation(shapes, state.view(1)) == doctest::Approx(300));

  // The merged sweep of node_fragmentation equals the sum of the shapes'
  // F_n(m) taken one by one, on nodes of every kind of free pattern.
  const std::vector<std::vector<std::uint16_t>> patterns{{0, 0}, {1000, 1000}, {499, 500, 501, 1000}, {300, 700, 0, 1000}};
  for (const auto& free : patterns)
    for (std::int64_t cpu : {0, 999, 1000, 2000})
      for (std::uint32_t model : {0u, 1u}) {
        const PackingNodeView v{model, cpu, 1000, free};
        double direct = 0;
        for (std::size_t i = 0; i < shapes.shapes.size(); ++i)
          direct += shapes.weights[i] * shape_fragmentation(shapes.shapes[i], v);
        CHECK(node_fragmentation(shapes, v) == doctest::Approx(direct));
      }

  // Coverage 0.5 keeps only the most popular shape (2 of 4 pods), weight 1.
  const PodShapes top = pod_shapes(w, 0.5);
  REQUIRE(top.shapes.size() == 1);
  CHECK(top.shapes[0] == pod(1000, 1, 500));
  CHECK(top.weights[0] == 1.0);
}

TEST_CASE("packing: fgd takes the node and GPU whose fragmentation grows least; best-fit the tightest") {
  // Node 0: one GPU with 400 free; node 1: two GPUs with 400 and 700 free.
  // The workload's only shape asks 400 milli. A 300-milli pod on a 400 GPU
  // leaves 100, a piece no pod can use (growth +100 x weight); on the 700 GPU
  // it leaves 400, still usable (growth 0). So fgd takes node 1, GPU 1, while
  // best-fit takes the least free capacity left: node 0.
  PackingWorkload w;
  w.models = {"X"};
  w.nodes = {node(8000, 1, 0), node(8000, 2, 0)};
  add_pods(w, pod(0, 1, 400), 3);   // request 0: the shape of the workload
  add_pods(w, pod(0, 1, 300), 1);   // request 1: the arriving pod
  add_pods(w, pod(0, 1, 600), 0);   // request 2: fillers
  add_pods(w, pod(0, 1, 300), 0);
  PackingState state(w);
  state.allocate(0, pod(0, 1, 600), std::vector<std::uint32_t>{0});
  state.allocate(1, pod(0, 1, 600), std::vector<std::uint32_t>{0});
  state.allocate(1, pod(0, 1, 300), std::vector<std::uint32_t>{1});
  PodShapes shapes;
  shapes.shapes = {pod(0, 1, 400)};
  shapes.weights = {1.0};

  auto fgd = make_packing_placement("fgd", w, shapes, 1);
  fgd->init(state);
  PackingChoice c;
  REQUIRE(fgd->choose(state, 1, c));
  CHECK(c.node == 1);
  CHECK(c.gpus == std::vector<std::uint32_t>{1});

  auto best_fit = make_packing_placement("best-fit", w, shapes, 1);
  best_fit->init(state);
  REQUIRE(best_fit->choose(state, 1, c));
  CHECK(c.node == 0);
  CHECK(c.gpus == std::vector<std::uint32_t>{0});

  CHECK_THROWS_AS(make_packing_placement("tightest", w, shapes, 1), InputError);
}

TEST_CASE("packing: draws are seeded, uniform with replacement, and stop at target x capacity") {
  PackingWorkload w;
  w.name = "synthetic";
  w.models = {"X"};
  for (int i = 0; i < 4; ++i) w.nodes.push_back(node(64000, 8, 0));
  add_pods(w, pod(1000, 1, 1000), 1);
  add_pods(w, pod(1000, 1, 250), 1);
  add_pods(w, pod(1000, 4, 1000), 1);
  add_pods(w, pod(500, 0, 0), 1);
  const PodShapes shapes = pod_shapes(w);
  PackingRunOptions o;
  o.seed = 7;
  auto run = [&](std::uint64_t seed) {
    o.seed = seed;
    auto p = make_packing_placement("fgd", w, shapes, seed);
    return run_packing(w, shapes, *p, o);
  };
  const PackingRunResult a = run(7), b = run(7), c = run(8);
  // The draws, recomputed independently: pod i is list entry floor(u(seed, i) x 4).
  double arrived = 0;
  std::uint64_t pods = 0;
  while (arrived < 1.3 * 32000) {
    const auto k = static_cast<std::size_t>(std::floor(stable_uniform(7, pods) * 4));
    arrived += static_cast<double>(w.requests[w.pods[k]].gpu_milli_total());
    ++pods;
  }
  CHECK(a.end.pods == static_cast<double>(pods));
  CHECK(a.end.arrived_percent == doctest::Approx(100.0 * arrived / 32000));
  REQUIRE(a.curve.size() == b.curve.size());
  for (std::size_t i = 0; i < a.curve.size(); ++i) {
    CHECK(a.curve[i].allocated_percent == b.curve[i].allocated_percent);
    CHECK(a.curve[i].fragmented_percent == b.curve[i].fragmented_percent);
  }
  CHECK(a.curve.size() == 131);  // 0, 1, ..., 130 %
  CHECK(a.curve.back().arrived_percent == 130.0);
  CHECK(c.end.pods != a.end.pods);
}

TEST_CASE("packing: pods that fit nowhere are counted as unplaceable, not retried") {
  // One node with one GPU; every pod asks a whole GPU. The first pod fills
  // the node (arrived 100 %), the second arrives at 200 % and fits nowhere.
  PackingWorkload w;
  w.models = {"X", "Y"};
  w.nodes = {node(8000, 1, 0)};
  add_pods(w, pod(1000, 1, 1000), 1);
  const PodShapes shapes = pod_shapes(w);
  for (const std::string& name : packing_placement_names()) {
    auto p = make_packing_placement(name, w, shapes, 1);
    const PackingRunResult r = run_packing(w, shapes, *p, PackingRunOptions{});
    CAPTURE(name);
    CHECK(r.end.pods == 2);
    CHECK(r.end.unplaceable_pods == 1);
    CHECK(r.end.unplaceable_gpu_percent == 100.0);
    CHECK(r.end.allocated_percent == 100.0);
    CHECK(r.at(100.0).unplaceable_pods == 0);
    CHECK(r.at(100.0).allocated_percent == 100.0);
  }
  // A pod allowed only on a model the nodes do not have never fits.
  w.requests[0].models = 0b10;
  auto p = make_packing_placement("fgd", w, shapes, 1);
  const PackingRunResult r = run_packing(w, shapes, *p, PackingRunOptions{});
  CHECK(r.end.unplaceable_pods == 2);
  CHECK(r.end.allocated_percent == 0);
  // A list without GPU pods would never reach the target: an input error.
  PackingWorkload cpu_only = w;
  cpu_only.requests[0] = pod(1000, 0, 0);
  CHECK_THROWS_AS(run_packing(cpu_only, pod_shapes(cpu_only), *p, PackingRunOptions{}), InputError);
}

TEST_CASE("packing: the shipped openb cut loads with and without times") {
  const std::string dir = fastgpu::test::source_dir() + "/data/openb/";
  const PackingWorkload d =
      load_packing_workload(dir + "openb_pod_list_default_every8.csv", dir + "openb_node_list_gpu_node.csv");
  CHECK(d.nodes.size() == 1213);
  CHECK(d.gpu_capacity_milli() == 6212000);
  CHECK(d.pods.size() == 1019);
  CHECK(d.name == "openb_pod_list_default_every8");
  const PackingWorkload m =
      load_packing_workload(dir + "openb_pod_list_multigpu20_every8.csv", dir + "openb_node_list_gpu_node.csv");
  CHECK(m.pods.size() == 1041);
  // gpu_spec: the first pod of gpuspec20's cut allowed only some models.
  const PackingWorkload s =
      load_packing_workload(dir + "openb_pod_list_gpuspec20_every8.csv", dir + "openb_node_list_gpu_node.csv");
  std::size_t constrained = 0;
  for (std::uint32_t p : s.pods) constrained += s.requests[p].models != kAnyModel;
  CHECK(constrained > 0);
  CHECK(constrained < s.pods.size());
}

TEST_CASE("packing: every openb pod list of the shared data runs to 1.3 x capacity") {
  const std::filesystem::path dir = std::filesystem::path(fastgpu::test::shared_data_dir()) / "alibaba-gpu-v2023";
  const std::filesystem::path nodes = dir / "openb_node_list_gpu_node.csv";
  if (!std::filesystem::exists(nodes)) {
    FASTGPU_SKIP("the shared openb lists are not at ", dir.string());
  }
  std::size_t lists = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("openb_pod_list_", 0) != 0) continue;
    ++lists;
    CAPTURE(name);
    const PackingWorkload w = load_packing_workload(e.path().string(), nodes.string());
    const PodShapes shapes = pod_shapes(w);
    auto p = make_packing_placement("best-fit", w, shapes, 1);
    const PackingRunResult r = run_packing(w, shapes, *p, PackingRunOptions{});
    CHECK(r.end.arrived_percent >= 130.0);
    CHECK(r.at(100.0).allocated_percent > 50.0);
    CHECK(r.end.allocated_percent <= 100.0);
  }
  CHECK(lists >= 20);
}

}  // namespace fastgpu

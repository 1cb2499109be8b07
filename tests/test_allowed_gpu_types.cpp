#include <doctest/doctest.h>

#include <cstring>

#include "engine_fixtures.h"
#include "sim/allowed_gpu_types.h"

using namespace fastgpu;
using fastgpu::testing::uniform_cluster;

TEST_CASE("allowed GPU types: masks against a per-type reference, memory needs around each type's memory") {
  // Three types of 24, 40 and 80 GB, listed out of memory order; jobs need
  // memory below, at, between and above them, with and without a named type.
  ClusterSpec c = uniform_cluster(1, 2);
  c.gpu_types[0].memory_gb = 40;
  c.gpu_types.push_back(GpuType{.name = "small", .speed = 1.0, .memory_gb = 24});
  c.gpu_types.push_back(GpuType{.name = "large", .speed = 2.0, .memory_gb = 80});
  c.node_groups.push_back(NodeGroup{.name = "s", .count = 1, .gpus_per_node = 2, .gpu_type = 1});
  c.node_groups.push_back(NodeGroup{.name = "l", .count = 1, .gpus_per_node = 2, .gpu_type = 2});
  Workload w;
  const float needs[] = {0, 8, 24, 24.5f, 40, 41, 80, 81};
  int id = 0;
  for (const float gb : needs) {
    for (int named = 0; named < 2; ++named) {
      Job job{.id = id++, .submit = 0, .num_gpus = 1, .work = 1};
      job.gpu_memory_gb = gb;
      if (named) job.gpu_types = w.intern_type_constraint({"small", "large"});
      w.jobs.push_back(job);
    }
  }
  w.finalize("test");
  const AllowedGpuTypes allowed(w, c);
  const ClusterState state(c);
  for (JobIndex j = 0; j < w.jobs.size(); ++j) {
    const Job& job = w.jobs[j];
    CAPTURE(job.gpu_memory_gb);
    CAPTURE(job.gpu_types);
    std::uint64_t expected = 0;
    for (TypeIndex t = 0; t < c.gpu_types.size(); ++t) {
      const bool named = job.gpu_types == 0 || c.gpu_types[t].name != c.gpu_types[0].name;
      if (named && job.gpu_memory_gb <= c.gpu_types[t].memory_gb) expected |= 1ULL << t;
    }
    CHECK(allowed.mask(j) == expected);
    const char* reason = allowed.unplaceable_reason(j, job, state);
    if (expected == 0) {
      REQUIRE(reason != nullptr);
      CHECK(std::strcmp(reason, "no GPU type satisfies its type constraint and memory need") == 0);
    } else {
      CHECK(reason == nullptr);
    }
  }
}

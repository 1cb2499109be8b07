// CPU and CUDA backends of the GA give bit-identical best chromosomes and
// fitness histories. Needs a CUDA device: without one (or in a build without
// CUDA) each case says it is skipped and passes; test_ga_warp.cpp checks the
// same algorithm on an emulated warp.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "policies/ga/etc_instance.h"
#include "policies/ga/etc_io.h"
#include "policies/ga/ga.h"
#include "tests/skip.h"

using namespace fastgpu::ga;

namespace {

// Why the CUDA backend cannot run here, or "" when it can.
std::string no_device_reason() {
  if (cuda_device_count() > 0) return {};
  return cuda_built() ? "no CUDA device on this machine" : "built without CUDA (no nvcc found at configure time)";
}

void check_same_on_both(const EtcInstance& inst, GaParams p) {
  p.backend = Backend::cpu;
  p.threads = 0;
  GaResult cpu = run_ga(inst, p);
  p.backend = Backend::cuda;
  GaResult gpu = run_ga(inst, p);
  CHECK(gpu.backend == Backend::cuda);
  CHECK(cpu.generations_run == gpu.generations_run);
  REQUIRE(cpu.history.size() == gpu.history.size());
  for (std::size_t g = 0; g < cpu.history.size(); ++g) {
    INFO("generation ", g);
    CHECK(cpu.history[g].cost == gpu.history[g].cost);
    CHECK(cpu.history[g].makespan == gpu.history[g].makespan);
    CHECK(cpu.history[g].flowtime == gpu.history[g].flowtime);
    CHECK(cpu.history[g].F == gpu.history[g].F);
    CHECK(cpu.history[g].L == gpu.history[g].L);
  }
  CHECK(cpu.assignment == gpu.assignment);
  CHECK(cpu.fitness.cost == gpu.fitness.cost);
}

}  // namespace

TEST_CASE("ga cuda: bit-identical to the CPU backend on the Braun samples") {
  if (auto why = no_device_reason(); !why.empty()) FASTGPU_SKIP(why);
  for (const char* name : {"u_c_hihi.0", "u_i_lolo.0"}) {
    const std::string path = fastgpu::test::shared_data_dir() + "/braun-etc/" + name;
    if (!std::filesystem::exists(path)) {
      FASTGPU_SKIP(path, " is absent");
    }
    INFO(name);
    EtcInstance inst = make_instance(read_braun(path).spec);
    GaParams p;
    p.population = 256;
    p.generations = 100;
    p.seed = 9;
    check_same_on_both(inst, p);
    p.w_F = 0.5;
    p.w_flowtime = 0.1;
    p.stall_generations = 20;
    check_same_on_both(inst, p);
  }
}

TEST_CASE("ga cuda: bit-identical to the CPU backend with gangs, restricted slots and wide machines") {
  if (auto why = no_device_reason(); !why.empty()) FASTGPU_SKIP(why);
  // 1000 machines: per-warp scratch no longer fits in shared memory.
  for (std::uint32_t M : {24u, 1000u}) {
    EtcSpec spec;
    spec.tasks = 300;
    spec.machines = M;
    spec.etc.resize(std::size_t(spec.tasks) * M);
    std::uint64_t x = 12345 + M;
    for (double& e : spec.etc) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      e = 0.125 * double(1 + x % 1000);
    }
    spec.ready.assign(M, 0.0);
    for (std::uint32_t m = 0; m < M; m += 3) spec.ready[m] = m % 7;
    std::vector<std::uint32_t> all, upper, pairs, quads;
    for (std::uint32_t m = 0; m < M; ++m) all.push_back(m);
    for (std::uint32_t m = M / 2; m < M; ++m) upper.push_back(m);
    for (std::uint32_t m = 0; m + 2 <= M; m += 2) pairs.push_back(m);
    for (std::uint32_t m = 0; m + 4 <= M; m += 4) quads.push_back(m);
    spec.slot_lists = {all, upper, pairs, quads};
    const std::uint32_t widths[] = {1, 1, 2, 4};
    for (std::uint32_t t = 0; t < spec.tasks; ++t) {
      const std::uint32_t kind = t % 9 == 0 ? 3 : t % 7 == 0 ? 2 : t % 5 == 0 ? 1 : 0;
      spec.task_list.push_back(kind);
      spec.width.push_back(widths[kind]);
    }
    INFO("machines ", M);
    EtcInstance inst = make_instance(spec);
    GaParams p;
    p.population = 96;
    p.generations = 60;
    p.seed = 4;
    p.w_F = 0.2;
    check_same_on_both(inst, p);
  }
}

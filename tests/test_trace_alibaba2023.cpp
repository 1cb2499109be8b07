// The Alibaba 2023 "openb" pod-list reader: mapping (GPU sharing, type
// constraints, QoS), skip rules, --strict, malformed rows; the shared samples.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <string>

#include "tests/trace_fixtures.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const char* kHeader =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";
const char* kPods =
    "pod-0,12000,16384,1,1000,,LS,Running,100,1100,100\n"
    "pod-1,6000,12288,1,460,,BE,Succeeded,150,400,160\n"
    "pod-2,8000,30517,0,0,,LS,Running,200,900,201\n"
    "pod-3,8000,30517,2,1000,V100M16|V100M32|V100M32,Burstable,Failed,250,850,300\n"
    "pod-4,8000,30517,1,1000,T4,Guaranteed,Pending,300,900,\n"
    "pod-5,8000,30517,8,1000,G2,LS,Running,350,350,350\n";

}  // namespace

TEST_CASE("alibaba2023: mapping of pods to jobs") {
  TempDir dir;
  auto r = read("alibaba2023", {dir.write("pods.csv", std::string(kHeader) + kPods)});
  CHECK(r.report.rows == 6);
  CHECK(r.report.kept == 3);
  CHECK(r.report.skipped.at("no GPU requested") == 1);
  CHECK(r.report.skipped.at("never started") == 1);
  CHECK(r.report.skipped.at("zero runtime") == 1);
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 3);
  CHECK(w.job_names == std::vector<std::string>{"pod-0", "pod-1", "pod-3"});
  // pod-0: time origin, whole GPU, LS.
  CHECK(w.jobs[0].submit == 0);
  CHECK(w.jobs[0].work == 1000);
  CHECK(w.trace_fields_of(0).recorded_start == 0);
  CHECK(w.jobs[0].gpu_share == 1.0f);
  CHECK(w.jobs[0].priority == 3);
  CHECK_FALSE(w.jobs[0].preemptible);
  CHECK(w.jobs[0].gpu_types == 0);
  // pod-1: 460 milli-GPU, best effort.
  CHECK(w.jobs[1].submit == 50);
  CHECK(w.trace_fields_of(1).recorded_start == 60);
  CHECK(w.jobs[1].work == 240);
  CHECK(w.jobs[1].milli_per_gpu() == 460);
  CHECK(w.jobs[1].priority == 0);
  CHECK(w.jobs[1].preemptible);
  // pod-3: 2 GPUs restricted to the V100 types (duplicates merged), Burstable.
  CHECK(w.jobs[2].num_gpus == 2);
  CHECK(w.jobs[2].work == 550);
  CHECK(w.trace_fields_of(2).recorded_start == 200);
  CHECK(w.jobs[2].priority == 1);
  REQUIRE(w.jobs[2].gpu_types == 1);
  CHECK(w.type_constraints[0] == std::vector<std::string>{"V100M16", "V100M32"});
}

TEST_CASE("alibaba2023: columns are found by name") {
  TempDir dir;
  std::string text =
      "creation_time,scheduled_time,deletion_time,num_gpu,gpu_milli,name\n"
      "10,20,80,1,250,a\n";
  auto r = read("alibaba2023", {dir.write("pods.csv", text)});
  REQUIRE(r.workload.jobs.size() == 1);
  CHECK(r.workload.jobs[0].work == 60);
  CHECK(r.workload.trace_fields_of(0).recorded_start == 10);
  CHECK(r.workload.jobs[0].milli_per_gpu() == 250);
  CHECK(has_assumption(r.report, "no qos column"));
  InputError e = read_error("alibaba2023", {dir.write("bad.csv", "name,num_gpu\na,1\n")});
  CHECK(e.where().line == 1);
  CHECK(e.where().field == "gpu_milli");
  // The FGD artifact's packing inputs (openb_pod_list_multigpu*.csv) have no times at all.
  e = read_error("alibaba2023", {dir.write("multigpu.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np,1000,1024,1,1000\n")});
  CHECK(e.where().line == 1);
  CHECK(e.where().field == "creation_time");
  CHECK(std::string(e.what()).find("nothing to replay in time") != std::string::npos);
}

TEST_CASE("alibaba2023: --strict stops at the first pod that would be skipped") {
  TempDir dir;
  std::string path = dir.write("pods.csv", std::string(kHeader) + kPods);
  InputError e = read_error("alibaba2023", {path}, strict());
  CHECK(e.where().file == path);
  CHECK(e.where().line == 4);
  CHECK(e.where().field == "num_gpu");
  CHECK(std::string(e.what()).find("no GPU requested") != std::string::npos);
}

TEST_CASE("alibaba2023: malformed rows are errors, or counted with skip_bad_rows") {
  TempDir dir;
  const std::string good = std::string(kHeader) + "pod-0,12000,16384,1,1000,,LS,Running,100,1100,100\n";
  SUBCASE("wrong column count") {
    std::string p = dir.write("a.csv", good + "pod-9,1,2\n");
    InputError e = read_error("alibaba2023", {p});
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("expected 11 columns, found 3") != std::string::npos);
    auto r = read("alibaba2023", {p}, skip_bad());
    CHECK(r.report.kept == 1);
    CHECK(r.report.skipped.at("malformed row") == 1);
  }
  SUBCASE("cut mid-row") {
    std::string p = dir.write("b.csv", good + "pod-9,8000,30517,1,10");
    InputError e = read_error("alibaba2023", {p});
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("cut?") != std::string::npos);
  }
  SUBCASE("a number that is not one") {
    InputError e = read_error("alibaba2023", {dir.write("c.csv", good + "pod-9,1,1,1,1000,,LS,Running,1x0,200,150\n")});
    CHECK(e.where().line == 3);
    CHECK(e.where().field == "creation_time");
  }
  SUBCASE("gpu_milli out of range") {
    InputError e = read_error("alibaba2023", {dir.write("d.csv", good + "pod-9,1,1,1,1200,,LS,Running,100,200,150\n")});
    CHECK(e.where().field == "gpu_milli");
  }
  SUBCASE("bad UTF-8") {
    InputError e = read_error("alibaba2023", {dir.write("e.csv", good + "pod-\xc3\x28,1,1,1,1000,,LS,Running,100,200,150\n")});
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("UTF-8") != std::string::npos);
  }
  SUBCASE("empty file") {
    CHECK(std::string(read_error("alibaba2023", {dir.write("f.csv", "")}).what()).find("header") != std::string::npos);
  }
}

TEST_CASE("alibaba2023: shipped default pod list, and gpuspec10 from the shared data when present") {
  std::string path = sample("openb/openb_pod_list_default.csv");
  auto r = read("alibaba2023", {path});
  // Counts from awk on the same file: 8152 pods = 6203 kept + 1088 CPU-only +
  // 861 GPU pods without scheduled_time (Pending).
  CHECK(r.report.rows == 8152);
  CHECK(r.report.kept == 6203);
  CHECK(r.report.skipped.at("no GPU requested") == 1088);
  CHECK(r.report.skipped.at("never started") == 861);
  std::uint64_t milli = 0, shared = 0, ls = 0;
  double work = 0;
  for (const Job& j : r.workload.jobs) {
    milli += std::uint64_t{j.milli_per_gpu()} * j.num_gpus;
    shared += j.gpu_share < 1;
    ls += j.priority == 3;
    work += j.work;
  }
  CHECK(milli == 5484930);
  CHECK(shared == 2573);
  CHECK(ls == 3590);
  CHECK(work == 191369677.0);
  CHECK(r.workload.jobs.back().submit == 12901761);

  std::string spec = shared_data("alibaba-gpu-v2023/openb_pod_list_gpuspec10.csv");
  if (!spec.empty()) {
    auto s = read("alibaba2023", {spec});
    std::uint64_t constrained = 0;
    for (const Job& j : s.workload.jobs) constrained += j.gpu_types != 0;
    CHECK(s.report.kept == 6203);
    CHECK(constrained == 658);
  }
}

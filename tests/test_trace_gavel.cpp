// The Gavel .trace reader: the 7-, 9- and 10-field layouts, steps -> seconds
// through a rate or a per-type throughput table, SLO deadlines; the samples.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <string>

#include "tests/trace_fixtures.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const char* kTrace =
    "ResNet-18 (batch size 64)\tcd %s && python3 main.py --batch_size 64\t--num_steps\t1\t1000\t0.000000\t1\n"
    "LM (batch size 20)\tcd %s && python3 main.py\t--steps\t1\t4000\t6.000000\t4\n"
    "A3C\tcd %s && python3 main.py\t%s/a3c\t--max-steps\t0\t600\t2\t1.0\t1.2\t30.5\n"
    "CycleGAN\tcd %s && python3 main.py\t--n_steps\t1\t300\t1\t2.0\t-1\t12\n";

}  // namespace

TEST_CASE("gavel: layouts and steps at a uniform rate") {
  TempDir dir;
  auto r = read("gavel", {dir.write("a.trace", kTrace)});
  CHECK(r.report.rows == 4);
  CHECK(r.report.kept == 4);
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 4);
  // Sorted by submit: 0 (ResNet), 6 (LM), 12 (CycleGAN), 30.5 (A3C).
  CHECK(w.job_names == std::vector<std::string>{"0:ResNet-18 (batch size 64)", "1:LM (batch size 20)", "3:CycleGAN",
                                                "2:A3C"});
  CHECK(w.jobs[0].work == 1000);
  CHECK(w.jobs[0].num_gpus == 1);
  CHECK(w.jobs[1].submit == 6);
  CHECK(w.jobs[1].num_gpus == 4);
  CHECK(w.jobs[1].work == 4000);
  CHECK(w.jobs[2].priority == 2);
  CHECK_FALSE(w.jobs[2].has_deadline());
  CHECK(w.jobs[3].submit == 30.5);
  CHECK(w.jobs[3].num_gpus == 2);
  CHECK(w.jobs[3].deadline == doctest::Approx(30.5 + 1.2 * 600));
  CHECK(has_assumption(r.report, "7-field"));
  CHECK(has_assumption(r.report, "10-field"));
  CHECK(has_assumption(r.report, "9-field"));

  TraceReadOptions fast;
  fast.steps_per_second = 4;
  CHECK(read("gavel", {dir.file("a.trace")}, fast).workload.jobs[1].work == 1000);
}

TEST_CASE("gavel: per-job-type throughput table") {
  TempDir dir;
  TraceReadOptions o;
  o.gavel_throughputs = dir.write("rates.csv", "job_type,steps_per_second\nResNet-18 (batch size 64),10\nLM (batch size 20),2\n");
  auto r = read("gavel", {dir.write("a.trace", kTrace)}, o);
  const auto& w = r.workload;
  CHECK(w.jobs[0].work == 100);
  CHECK(w.jobs[1].work == 2000);
  CHECK(w.jobs[3].work == 600);  // A3C not in the table: 1 step/s
  CHECK(has_assumption(r.report, "job type 'A3C' not in the throughput table"));
  o.gavel_throughputs = dir.write("bad.csv", "job_type,steps_per_second\nA3C,0\n");
  CHECK(read_error("gavel", {dir.file("a.trace")}, o).where().field == "steps_per_second");
}

TEST_CASE("gavel: malformed rows") {
  TempDir dir;
  SUBCASE("field count") {
    InputError e = read_error("gavel", {dir.write("a.trace", std::string(kTrace) + "A3C\tcmd\t1\t2\t3\n")});
    CHECK(e.where().line == 5);
    CHECK(std::string(e.what()).find("found 5") != std::string::npos);
  }
  SUBCASE("scale factor") {
    InputError e = read_error("gavel", {dir.write("b.trace", "A3C\tcmd\t--s\t1\t10\t0.0\t1.5\n")});
    CHECK(e.where().field == "scale_factor");
  }
  SUBCASE("zero GPUs under --strict") {
    InputError e = read_error("gavel", {dir.write("c.trace", "A3C\tcmd\t--s\t1\t10\t0.0\t0\n")}, strict());
    CHECK(e.where().line == 1);
    CHECK(std::string(e.what()).find("no GPU requested") != std::string::npos);
  }
}

TEST_CASE("gavel: shipped msr seed=0 list of VC 6214e9") {
  auto vc = read("gavel", {sample("gavel/6214e9.trace")});
  CHECK(vc.report.kept == 2000);
  CHECK(vc.workload.jobs.back().submit == 4184082);
}

TEST_CASE("gavel: all 15 msr seed=0 lists of the shared data when present") {
  std::string one = shared_data("philly-derived/gavel_msr_seed0/6214e9.trace");
  if (one.empty()) {
    FASTGPU_SKIP("the shared samples are absent: ", fastgpu::test::shared_data_dir());
  }
  static const char* kVcs[] = {"0e4a51", "103959", "11cb48", "23dbec", "2869ce", "51b7ef", "6214e9", "6c71a0",
                               "795a4c", "7f04ca", "925e2b", "b436b2", "e13805", "ed69ec", "ee9e8c"};
  std::vector<std::string> all;
  for (const char* vc : kVcs) all.push_back(shared_data(std::string("philly-derived/gavel_msr_seed0/") + vc + ".trace"));
  auto r = read("gavel", all);
  // Python on the same files: 15264 jobs, 42192 GPUs, 71547598694 steps.
  CHECK(r.report.rows == 15264);
  CHECK(r.report.kept == 15264);
  std::uint64_t gpus = 0;
  double steps = 0;
  for (const Job& j : r.workload.jobs) {
    gpus += j.num_gpus;
    steps += j.work;
  }
  CHECK(gpus == 42192);
  CHECK(steps == 71547598694.0);
}

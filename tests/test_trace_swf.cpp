// The SWF reader: the 18 fields, processors -> GPUs, the variants met in the
// wild (no header, absolute epoch submits, extra fields), skip rules,
// malformed rows; the HPC2N sample.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "tests/trace_fixtures.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const char* kSwf =
    "; Version: 2.2\n"
    "; UnixStartTime: 1027839845\n"
    "; MaxProcs: 240\n"
    ";\n"
    "    1        0 308434  31405   30  31405    -1   30  37980    -1  1   1   1  -1 -1  1 -1 -1\n"
    "    2        8 308426  31039   30  31039    -1   30  37980    -1  1   1   1  -1 -1  1 -1 -1\n"
    "   12   342343      5 552.21   40 552.21    -1   40  43200    -1  1   4   1  -1 -1  1 -1 -1\n"
    "   16   347726      5     -1    8 240379    -1    8 345600    -1 -1   5   1  -1 -1  1 -1 -1\n"
    "   17   347844      9   2201   -1   2201    -1    8 432000    -1  5   5   1  -1 -1  1 -1 -1\n"
    "   18   347900      9    100    0   2201    -1    0 432000    -1  1   5   1  -1 -1  1 -1 -1\n";

}  // namespace

TEST_CASE("swf: fields, skip rules and processors -> GPUs") {
  TempDir dir;
  std::string path = dir.write("log.swf", kSwf);
  auto r = read("swf", {path});
  CHECK(r.report.rows == 6);
  CHECK(r.report.kept == 4);
  CHECK(r.report.skipped.at("missing runtime") == 1);
  CHECK(r.report.skipped.at("no GPU requested") == 1);
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 4);
  CHECK(w.jobs[0].id == 1);
  CHECK(w.jobs[0].submit == 0);
  CHECK(w.trace_fields_of(0).recorded_start == 308434);
  CHECK(w.jobs[0].work == 31405);
  CHECK(w.jobs[0].num_gpus == 30);
  CHECK(w.trace_fields_of(0).requested_time == 37980);
  CHECK(w.user_name(w.jobs[0].user) == "1");
  CHECK(w.jobs[2].id == 12);
  CHECK(w.jobs[2].work == doctest::Approx(552.21));
  CHECK(w.jobs[3].id == 17);
  CHECK(w.jobs[3].num_gpus == 8);  // allocation unknown: requested processors
  CHECK(has_assumption(r.report, "2002-07-28 07:04:05 UTC"));  // UnixStartTime, the first submit
  CHECK(has_assumption(r.report, "requested processors used"));
  CHECK(has_assumption(r.report, "status 5"));

  TraceReadOptions quarter;
  quarter.gpus_per_proc = 0.25;
  auto q = read("swf", {path}, quarter);
  CHECK(q.workload.jobs[0].num_gpus == 8);   // ceil(30 / 4)
  CHECK(q.workload.jobs[2].num_gpus == 10);  // 40 / 4
  CHECK(q.workload.jobs[3].num_gpus == 2);
  CHECK(has_assumption(q.report, "rounded up"));
  TraceReadOptions bad;
  bad.gpus_per_proc = 0;
  CHECK(read_error("swf", {path}, bad).where().field == "gpus_per_proc");
}

TEST_CASE("swf: variants without header, with epoch submits and extra fields") {
  TempDir dir;
  std::string text =
      "1 1027839845 10 100 4 -1 -1 4 200 -1 1 7 1 -1 -1 1 -1 -1 x y\n"
      "2 1027839900 -1 50 2 -1 -1 2 -1 -1 0 8 1 -1 -1 1 -1 -1\n";
  auto r = read("swf", {dir.write("plain.swf", text)});
  REQUIRE(r.workload.jobs.size() == 2);
  CHECK(r.workload.jobs[1].submit == 55);
  CHECK(r.workload.trace_fields_of(0).recorded_start == 10);
  CHECK(std::isnan(r.workload.trace_fields_of(1).recorded_start));
  CHECK(std::isnan(r.workload.trace_fields_of(1).requested_time));
  CHECK(has_assumption(r.report, "no SWF header"));
  CHECK(has_assumption(r.report, "absolute Unix times"));
  CHECK(has_assumption(r.report, "extra trailing fields"));
  CHECK(has_assumption(r.report, "2002-07-28 07:04:05 UTC"));
}

TEST_CASE("swf: malformed rows and --strict") {
  TempDir dir;
  std::string header = "; UnixStartTime: 0\n";
  SUBCASE("too few fields") {
    InputError e = read_error("swf", {dir.write("a.swf", header + "1 0 0 10 1 -1 -1 1 -1 -1 1 1 1\n")});
    CHECK(e.where().line == 2);
    CHECK(std::string(e.what()).find("expected 18 fields, found 13") != std::string::npos);
  }
  SUBCASE("a field that is not a number") {
    InputError e = read_error("swf", {dir.write("b.swf", header + "1 0 0 ten 1 -1 -1 1 -1 -1 1 1 1 -1 -1 1 -1 -1\n")});
    CHECK(e.where().field == "run_time");
  }
  SUBCASE("cut mid-row, then skipped") {
    std::string p = dir.write("c.swf", header + "1 0 0 10 1 -1 -1 1 -1 -1 1 1 1 -1 -1 1 -1 -1\n2 5 0 1");
    InputError e = read_error("swf", {p});
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("cut?") != std::string::npos);
    auto r = read("swf", {p}, skip_bad());
    CHECK(r.report.kept == 1);
    CHECK(r.report.skipped.at("malformed row") == 1);
  }
  SUBCASE("strict") {
    InputError e = read_error("swf", {dir.write("d.swf", kSwf)}, strict());
    CHECK(e.where().line == 8);
    CHECK(e.where().field == "run_time");
  }
}

TEST_CASE("swf: shipped HPC2N cut (2000 records)") {
  std::string path = sample("swf/hpc2n_alea_jobs0001-2000.swf");
  auto r = read("swf", {path});
  // awk on the same file: 2000 records, 15 with run time -1, no other skip.
  CHECK(r.report.rows == 2000);
  CHECK(r.report.kept == 1985);
  CHECK(r.report.skipped.at("missing runtime") == 15);
  CHECK(r.workload.jobs.front().id == 1);
  CHECK(r.workload.jobs.back().id == 5296);
  CHECK(r.workload.jobs.back().submit == 3757275);
  CHECK(has_assumption(r.report, "MaxProcs 240"));
}

TEST_CASE("swf: the shipped canonical CSV is the shipped SWF sample, converted") {
  // data/csv/hpc2n_jobs0001-2000.csv was written by `fastgpu convert --format
  // swf` from data/swf/; reading it back with the CSV reader must give the jobs
  // the SWF reader gives, field by field.
  auto swf = read("swf", {sample("swf/hpc2n_alea_jobs0001-2000.swf")});
  auto csv = read("csv", {sample("csv/hpc2n_jobs0001-2000.csv")});
  REQUIRE(csv.workload.jobs.size() == 1985);
  REQUIRE(swf.workload.jobs.size() == csv.workload.jobs.size());
  for (std::size_t i = 0; i < swf.workload.jobs.size(); ++i) {
    const Job& a = swf.workload.jobs[i];
    const Job& b = csv.workload.jobs[i];
    CAPTURE(a.id);
    CHECK(a.id == b.id);
    CHECK(a.submit == b.submit);
    CHECK(a.num_gpus == b.num_gpus);
    CHECK(a.work == b.work);
    const JobTraceFields& ta = swf.workload.trace_fields_of(i);
    const JobTraceFields& tb = csv.workload.trace_fields_of(i);
    CHECK(ta.requested_time == tb.requested_time);
    CHECK(ta.recorded_start == tb.recorded_start);
  }
}

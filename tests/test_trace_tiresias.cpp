// The Tiresias job-CSV reader. The first rows are from the Tiresias
// simulator's 60_job.csv.
#include <doctest/doctest.h>

#include <string>

#include "tests/trace_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const char* kJobs =
    "job_id,num_gpu,submit_time,iterations,model_name,duration,interval\n"
    "0,1,0,606,vgg19,164,30\n"
    "1,8,30,133,vgg11,147,23\n"
    "2,2,53,157,inception4,127,26\n"
    "3,0,79,513,vgg16,121,20\n"
    "4,4,99,138,vgg16,,33\n"
    "5,8,132,288,inception3,-5,44\n";

}  // namespace

TEST_CASE("tiresias: mapping and skip rules") {
  TempDir dir;
  auto r = read("tiresias", {dir.write("jobs.csv", kJobs)});
  CHECK(r.report.rows == 6);
  CHECK(r.report.kept == 3);
  CHECK(r.report.skipped.at("no GPU requested") == 1);
  CHECK(r.report.skipped.at("missing runtime") == 1);
  CHECK(r.report.skipped.at("negative runtime") == 1);
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 3);
  CHECK(w.jobs[1].id == 1);
  CHECK(w.jobs[1].num_gpus == 8);
  CHECK(w.jobs[1].submit == 30);
  CHECK(w.jobs[1].work == 147);
  CHECK(w.jobs[2].work == 127);
}

TEST_CASE("tiresias: errors name the field") {
  TempDir dir;
  std::string path = dir.write("jobs.csv", kJobs);
  InputError e = read_error("tiresias", {path}, strict());
  CHECK(e.where().line == 5);
  CHECK(e.where().field == "num_gpu");
  InputError m = read_error("tiresias", {dir.write("m.csv", "job_id,num_gpu,submit_time\n1,1,0\n")});
  CHECK(m.where().field == "duration");
  InputError n = read_error("tiresias", {dir.write("n.csv", std::string(kJobs) + "6,1,1x,1,m,10,1\n")});
  CHECK(n.where().line == 8);
  CHECK(n.where().field == "submit_time");
  InputError c = read_error("tiresias", {dir.write("c.csv", std::string(kJobs) + "6,1,200")});
  CHECK(std::string(c.what()).find("cut?") != std::string::npos);
}

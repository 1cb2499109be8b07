// The Helios cluster_log reader: mapping, skip rules, --strict, malformed rows.
// The first three rows are the published README example, whose `duration`
// column gives the expected run times.
#include <doctest/doctest.h>

#include <string>

#include "tests/trace_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const char* kLog =
    "job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n"
    "1425511,uXBbc,vcJkd,1,1,1,COMPLETED,2020-06-09 18:41:01,2020-06-09 18:41:01,2020-06-10 04:55:09,36848,0\n"
    "1425512,uVMrF,vchbv,4,16,1,FAILED,2020-06-09 18:41:27,2020-06-09 18:41:27,2020-06-09 18:45:36,249,0\n"
    "1425513,uzqls,vcpDC,1,1,1,CANCELLED,2020-06-09 18:41:28,2020-06-09 18:41:28,2020-06-17 14:15:21,675233,0\n"
    "1425514,uzqls,vcpDC,0,4,1,COMPLETED,2020-06-09 18:42:00,2020-06-09 18:42:00,2020-06-09 18:50:00,480,0\n"
    "1425515,uXBbc,vcJkd,8,32,1,CANCELLED,2020-06-09 18:43:00,,,0,0\n"
    "1425516,uXBbc,vcJkd,16,64,2,COMPLETED,2020-06-09 18:44:00,2020-06-09 19:44:00,2020-06-09 21:44:00,7200,3600\n";

}  // namespace

TEST_CASE("helios: mapping of cluster_log rows") {
  TempDir dir;
  auto r = read("helios", {dir.write("cluster_log.csv", kLog)});
  CHECK(r.report.rows == 6);
  CHECK(r.report.kept == 4);
  CHECK(r.report.skipped.at("no GPU requested") == 1);
  CHECK(r.report.skipped.at("never started") == 1);
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 4);
  CHECK(w.job_names.empty());
  CHECK(w.jobs[0].id == 1425511);
  CHECK(w.jobs[0].submit == 0);
  CHECK(w.jobs[0].work == 36848);
  CHECK(w.jobs[1].id == 1425512);
  CHECK(w.jobs[1].submit == 26);
  CHECK(w.jobs[1].num_gpus == 4);
  CHECK(w.jobs[1].work == 249);
  CHECK(w.jobs[2].work == 675233);
  CHECK(w.jobs[3].id == 1425516);
  CHECK(w.jobs[3].submit == 179);
  CHECK(w.trace_fields_of(3).recorded_start == 179 + 3600);
  CHECK(w.jobs[3].num_gpus == 16);
  CHECK(w.jobs[3].work == 7200);
  CHECK(w.user_name(w.jobs[0].user) == "uXBbc");
  CHECK(w.jobs[3].user == w.jobs[0].user);
  CHECK(w.user_name(w.jobs[2].user) == "uzqls");
  CHECK(has_assumption(r.report, "state CANCELLED"));
}

TEST_CASE("helios: --strict and malformed rows") {
  TempDir dir;
  std::string path = dir.write("cluster_log.csv", kLog);
  InputError e = read_error("helios", {path}, strict());
  CHECK(e.where().line == 5);
  CHECK(e.where().field == "gpu_num");

  std::string head = std::string(kLog).substr(0, std::string(kLog).find('\n') + 1);
  SUBCASE("impossible date") {
    InputError d = read_error(
        "helios", {dir.write("d.csv", head + "1,u,v,1,1,1,COMPLETED,2020-06-31 00:00:00,2020-06-31 00:00:00,2020-07-01 00:00:00,1,0\n")});
    CHECK(d.where().line == 2);
    CHECK(d.where().field == "submit_time");
  }
  SUBCASE("GPU count not a number, skipped with skip_bad_rows") {
    std::string p = dir.write("g.csv", std::string(kLog) + "9,u,v,x,1,1,COMPLETED,2020-06-09 18:41:01,2020-06-09 18:41:01,2020-06-09 18:42:01,60,0\n");
    CHECK(read_error("helios", {p}).where().field == "gpu_num");
    auto r = read("helios", {p}, skip_bad());
    CHECK(r.report.kept == 4);
    CHECK(r.report.skipped.at("malformed row") == 1);
  }
  SUBCASE("cut mid-row") {
    InputError c = read_error("helios", {dir.write("c.csv", std::string(kLog) + "1425517,uXBbc,vcJkd,1,1")});
    CHECK(c.where().line == 8);
    CHECK(std::string(c.what()).find("cut?") != std::string::npos);
  }
  SUBCASE("numeric times are seconds") {
    auto r = read("helios", {dir.write("n.csv", "job_id,gpu_num,submit_time,start_time,end_time\n7,2,100,130,190\n")});
    REQUIRE(r.workload.jobs.size() == 1);
    CHECK(r.workload.jobs[0].work == 60);
    CHECK(r.workload.trace_fields_of(0).recorded_start == 30);
  }
}

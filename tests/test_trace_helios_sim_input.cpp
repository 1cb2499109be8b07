// The `helios` reader on the Helios simulator's own input (rows with a
// duration and no start/end times), and the common rule that a trace keeping
// no job is an error for every reader, in replay and in convert.
#include "source_paths.h"
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "tests/trace_fixtures.h"
#include "workloads/workload_loader.h"

using namespace fastgpu;
using namespace fastgpu::testing;

TEST_CASE("helios: the simulator's Philly-style input (user,vc,jobname,gpu_num,state,submit_time,duration)") {
  // No job_id: ids are the data rows' positions from 0. Submit times rebase
  // to the first submit; run time = duration; no recorded start.
  TempDir dir;
  const std::string path = dir.write("cluster_log.csv",
                                     "user,vc,jobname,gpu_num,state,submit_time,duration\n"
                                     "u1,vc0,j0,2,Pass,2017-10-01 00:00:00,600\n"
                                     "u2,vc0,j1,0,Pass,2017-10-01 00:00:05,60\n"
                                     "u1,vc0,j2,8,Failed,2017-10-01 00:01:40,3600\n"
                                     "u3,vc0,j3,1,Killed,2017-10-01 00:01:40,0\n");
  auto r = read("helios", {path});
  CHECK(r.report.rows == 4);
  CHECK(r.report.kept == 2);
  CHECK(r.report.skipped.at("no GPU requested") == 1);
  CHECK(r.report.skipped.at("never started") == 1);  // duration 0 and no times: never ran
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 2);
  CHECK(w.jobs[0].id == 0);
  CHECK(w.jobs[0].submit == 0);
  CHECK(w.jobs[0].num_gpus == 2);
  CHECK(w.jobs[0].work == 600);
  CHECK(std::isnan(w.trace_fields_of(0).recorded_start));
  CHECK(w.jobs[1].id == 2);
  CHECK(w.jobs[1].submit == 100);
  CHECK(w.jobs[1].num_gpus == 8);
  CHECK(w.jobs[1].work == 3600);
  CHECK(w.user_name(w.jobs[1].user) == "u1");
  CHECK(has_assumption(r.report, "run time = duration"));
}

TEST_CASE("helios: simulator input with job_id and empty start_time/end_time columns") {
  // As the synthetic generator for the Helios simulator writes it: the
  // columns exist but are empty. A row with times keeps the old mapping.
  TempDir dir;
  const std::string path =
      dir.write("cluster_log.csv",
                "job_id,user,vc,jobname,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration\n"
                "7,u1,vc0,j7,4,24,1,COMPLETED,2017-10-01 00:00:00,,,1200\n"
                "9,u1,vc0,j9,1,6,1,COMPLETED,2017-10-01 00:00:10,2017-10-01 00:00:20,2017-10-01 00:01:20,60\n");
  auto r = read("helios", {path});
  REQUIRE(r.workload.jobs.size() == 2);
  CHECK(r.workload.jobs[0].id == 7);
  CHECK(r.workload.jobs[0].work == 1200);
  CHECK(std::isnan(r.workload.trace_fields_of(0).recorded_start));
  CHECK(r.workload.jobs[1].id == 9);
  CHECK(r.workload.jobs[1].work == 60);
  CHECK(r.workload.trace_fields_of(1).recorded_start == 20);
}

TEST_CASE("helios: a file with neither start/end times nor duration is rejected naming the column") {
  TempDir dir;
  const std::string path = dir.write("cluster_log.csv", "job_id,gpu_num,submit_time\n1,1,2017-10-01 00:00:00\n");
  InputError e = read_error("helios", {path});
  CHECK(e.where().file == path);
  CHECK(e.where().line == 1);
  CHECK(e.where().field == "start_time");
}

TEST_CASE("every reader: a replay or conversion that keeps 0 jobs is an InputError that says why") {
  TempDir dir;
  // Every row skipped (CPU jobs): the reader returns no job, and the common
  // loading path (replay and convert) turns that into an error with the count
  // and the reasons.
  const std::string cpu = dir.write("cpu.csv",
                                    "user,vc,jobname,gpu_num,state,submit_time,duration\n"
                                    "u1,vc0,j0,0,Pass,2017-10-01 00:00:00,600\n"
                                    "u1,vc0,j1,0,Pass,2017-10-01 00:00:01,600\n");
  WorkloadSpec spec;
  spec.kind = "trace";
  spec.format = "helios";
  spec.trace_paths = {cpu};
  try {
    load_workload(spec, ClusterSpec{}, 1);
    FAIL("a trace with no job was accepted");
  } catch (const InputError& e) {
    CHECK(e.where().file == cpu);
    const std::string what = e.what();
    CHECK(what.find("0 of 2 data rows kept") != std::string::npos);
    CHECK(what.find("2 no GPU requested") != std::string::npos);
  }
  // No data rows at all, in the canonical CSV format.
  const std::string empty = dir.write("empty.csv", "id,submit,num_gpus,work\n");
  spec.format = "csv";
  spec.trace_paths = {empty};
  try {
    load_workload(spec, ClusterSpec{}, 1);
    FAIL("an empty trace was accepted");
  } catch (const InputError& e) {
    CHECK(e.where().file == empty);
    CHECK(std::string(e.what()).find("no data rows") != std::string::npos);
  }

  // The CLI: convert exits 2 and writes nothing.
  const std::string out = dir.file("out.csv"), log = dir.file("log.txt");
  const std::string cmd =
      fastgpu::test::cli_path() + " convert --format helios " + cpu + " -o " + out + " > " + log + " 2>&1";
  const int status = std::system(cmd.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
}

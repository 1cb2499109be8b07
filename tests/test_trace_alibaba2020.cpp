// The Alibaba PAI 2020 reader: job table joined with the task table, GPU
// demand in percent x instances, status rules. Fixtures follow the published
// schema (no sample of this trace is available here).
#include <doctest/doctest.h>

#include <string>

#include "tests/trace_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

const char* kJobs =
    "j1,i1,u1,Terminated,100,700\n"
    "j2,i2,u2,Failed,150,400\n"
    "j3,i3,u1,Running,200,\n"
    "j4,i4,u3,Waiting,250,\n"
    "j5,i5,u3,Terminated,300,900\n"
    "j6,i6,u2,Terminated,310,1000\n"
    "j7,i7,u2,Terminated,320,1000\n"
    "j8,i8,u1,Terminated,330,2000\n";
const char* kTasks =
    "j1,tensorflow,1.0,Terminated,110,690,600.0,29.296875,50.0,MISC\n"
    "j2,worker,1.0,Failed,160,390,400,10,100,T4\n"
    "j3,worker,1.0,Running,210,,400,10,100,T4\n"
    "j4,worker,1.0,Waiting,,,400,10,100,\n"
    "j5,worker,1.0,Terminated,310,890,400,10,,\n"
    "j6,ps,1.0,Terminated,320,980,600,10,0,\n"
    "j6,worker,2.0,Terminated,330,990,400,10,50,P100\n"
    "j8,worker,1.0,Terminated,340,1940,800,10,200,V100\n";

}  // namespace

TEST_CASE("alibaba2020: jobs, tasks and GPU demand") {
  TempDir dir;
  // Task table first: the reader tells the tables apart by their columns.
  auto r = read("alibaba2020", {dir.write("pai_task_table.csv", kTasks), dir.write("pai_job_table.csv", kJobs)});
  CHECK(r.report.rows == 8);
  CHECK(r.report.kept == 4);
  CHECK(r.report.skipped.at("unfinished (no end time)") == 1);
  CHECK(r.report.skipped.at("never started") == 1);
  CHECK(r.report.skipped.at("no GPU requested") == 1);
  CHECK(r.report.skipped.at("no task record") == 1);
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 4);
  CHECK(w.job_names == std::vector<std::string>{"j1", "j2", "j6", "j8"});
  // j1: half a GPU.
  CHECK(w.jobs[0].submit == 0);
  CHECK(w.trace_fields_of(0).recorded_start == 10);
  CHECK(w.jobs[0].work == 580);
  CHECK(w.jobs[0].num_gpus == 1);
  CHECK(w.jobs[0].milli_per_gpu() == 500);
  // j2: Failed but ran: kept.
  CHECK(w.jobs[1].submit == 50);
  CHECK(w.jobs[1].work == 230);
  CHECK(w.jobs[1].gpu_share == 1.0f);
  // j6: ps (no GPU) + 2 workers at 50 % -> 1 whole GPU; span of both tasks.
  CHECK(w.jobs[2].submit == 210);
  CHECK(w.trace_fields_of(2).recorded_start == 220);
  CHECK(w.jobs[2].work == 670);
  CHECK(w.jobs[2].num_gpus == 1);
  CHECK(w.jobs[2].gpu_share == 1.0f);
  // j8: one instance at 200 % -> 2 GPUs.
  CHECK(w.jobs[3].num_gpus == 2);
  CHECK(w.jobs[3].work == 1600);
  CHECK(w.jobs[3].gpu_types == 0);
  CHECK(w.user_name(w.jobs[3].user) == "u1");
  CHECK(has_assumption(r.report, "rounded up"));
  CHECK(has_assumption(r.report, "8 task rows folded into 7 jobs"));
}

TEST_CASE("alibaba2020: pin_gpu_type, header rows, errors") {
  TempDir dir;
  TraceReadOptions o;
  o.pin_gpu_type = true;
  std::string jobs = dir.write("jobs.csv", std::string("job_name,inst_id,user,status,start_time,end_time\n") + kJobs);
  std::string tasks = dir.write("tasks.csv", kTasks);
  auto r = read("alibaba2020", {jobs, tasks}, o);
  REQUIRE(r.workload.jobs.size() == 4);
  const unsigned constrained = r.workload.jobs[3].gpu_types;  // a bit-field: copied, not bound
  REQUIRE(constrained != 0);
  CHECK(r.workload.type_constraints[r.workload.jobs[3].gpu_types - 1] == std::vector<std::string>{"V100"});
  CHECK(r.workload.type_constraints[r.workload.jobs[0].gpu_types - 1] == std::vector<std::string>{"MISC"});

  CHECK(std::string(read_error("alibaba2020", {jobs}).what()).find("needs both") != std::string::npos);
  CHECK(read_error("alibaba2020", {dir.write("x.csv", "a,b,c\n"), tasks}).where().file.find("x.csv") !=
        std::string::npos);
  SUBCASE("strict") {
    InputError e = read_error("alibaba2020", {jobs, tasks}, strict());
    CHECK(e.where().file == jobs);
    CHECK(e.where().line == 4);  // j3, after the header row
    CHECK(e.where().field == "status");
  }
  SUBCASE("malformed task row") {
    std::string bad = dir.write("bad.csv", std::string(kTasks) + "j9,worker,one,Terminated,1,2,3,4,5,T4\n");
    InputError e = read_error("alibaba2020", {jobs, bad});
    CHECK(e.where().line == 9);
    CHECK(e.where().field == "inst_num");
  }
  SUBCASE("wrong column count in the job table") {
    std::string bad = dir.write("badjobs.csv", std::string(kJobs) + "j9,i9,u1,Terminated\n");
    InputError e = read_error("alibaba2020", {bad, tasks});
    CHECK(e.where().line == 9);
  }
}

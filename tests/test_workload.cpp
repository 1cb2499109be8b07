// Workload::finalize: sorting, field validation, dependency resolution and
// cycle detection; the user and type-constraint tables.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/workload.h"

using namespace fastgpu;

namespace {

Job job(std::int64_t id, Seconds submit, std::uint32_t gpus = 1, double work = 10) {
  Job j;
  j.id = id;
  j.submit = submit;
  j.num_gpus = gpus;
  j.work = work;
  return j;
}

// The message of the InputError that finalize throws ("" if none).
std::string finalize_error(Workload w) {
  try {
    w.finalize("jobs.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::vector<std::int64_t> ids(const Workload& w) {
  std::vector<std::int64_t> out;
  for (const Job& j : w.jobs) out.push_back(j.id);
  return out;
}

}  // namespace

TEST_CASE("workload: finalize sorts by (submit, id), stably, and permutes job names") {
  Workload w;
  w.jobs = {job(5, 10), job(3, 10), job(7, 2), job(3, 10), job(1, 11)};
  w.job_names = {"e", "c1", "g", "c2", "a"};
  w.finalize("t");
  // By submit: 7 (t=2); then t=10: id 3 twice (input order c1 before c2), id 5; then id 1 (t=11).
  CHECK(ids(w) == std::vector<std::int64_t>{7, 3, 3, 5, 1});
  CHECK(w.job_names == std::vector<std::string>{"g", "c1", "c2", "e", "a"});
  CHECK(w.predecessors.empty());
  // Idempotent.
  w.finalize("t");
  CHECK(ids(w) == std::vector<std::int64_t>{7, 3, 3, 5, 1});
  CHECK(w.job_names == std::vector<std::string>{"g", "c1", "c2", "e", "a"});
}

TEST_CASE("workload: trace fields are a column made on first use and sorted with the jobs") {
  Workload w;
  // No column: every job has the defaults, and pushing jobs with the defaults makes none.
  w.push_job(job(5, 10), JobTraceFields{});
  w.push_job(job(3, 10));
  w.push_job(job(7, 2));
  CHECK(w.trace_fields.empty());
  CHECK(w.trace_fields_of(2).is_default());
  CHECK(std::isnan(w.trace_fields_of(2).recorded_start));
  // -0.0 is kept as written, not taken for the default.
  CHECK_FALSE(JobTraceFields{.earliest_start = -0.0}.is_default());
  w.mutable_trace_fields(1).recorded_start = 33;  // job id 3
  CHECK(w.trace_fields.size() == 3);
  w.set_failed_attempts(w.mutable_trace_fields(2), std::vector<FailedAttempt>{{.length = 4}});  // job id 7
  w.finalize("t");
  CHECK(ids(w) == std::vector<std::int64_t>{7, 3, 5});
  CHECK(w.trace_fields_of(0).failed_attempts == 1);
  CHECK(w.failed_attempts_of(0)[0].length == 4);
  CHECK(w.trace_fields_of(1).recorded_start == 33);
  CHECK(w.trace_fields_of(2).is_default());
  CHECK_THROWS_AS(w.mutable_trace_fields(3), InternalError);
  // A column that is neither empty nor one per job is a bug, not an input error.
  w.trace_fields.pop_back();
  CHECK_THROWS_AS(w.finalize("t"), InternalError);
}

TEST_CASE("workload: finalize rejects every out-of-range field, naming the source, job and field") {
  struct Case {
    const char* field;
    std::function<void(Workload&)> spoil;
  };
  const std::vector<Case> cases = {
      {"submit", [](Workload& w) { w.jobs[1].submit = -1; }},
      {"submit", [](Workload& w) { w.jobs[1].submit = NAN; }},
      {"submit", [](Workload& w) { w.jobs[1].submit = kNever; }},
      {"num_gpus", [](Workload& w) { w.jobs[1].num_gpus = 0; }},
      {"work", [](Workload& w) { w.jobs[1].work = 0; }},
      {"work", [](Workload& w) { w.jobs[1].work = -3; }},
      {"work", [](Workload& w) { w.jobs[1].work = INFINITY; }},
      {"gpu_share", [](Workload& w) { w.jobs[1].gpu_share = 0; }},
      {"gpu_share", [](Workload& w) { w.jobs[1].gpu_share = 1.5f; }},
      {"gpu_share", [](Workload& w) { w.jobs[1].gpu_share = 0.0001f; }},
      {"gpu_share", [](Workload& w) { w.jobs[1].num_gpus = 2, w.jobs[1].gpu_share = 0.5f; }},
      {"gpu_memory_gb", [](Workload& w) { w.jobs[1].gpu_memory_gb = -1; }},
      {"deadline", [](Workload& w) { w.jobs[1].deadline = w.jobs[1].submit; }},
      {"deadline", [](Workload& w) { w.jobs[1].deadline = NAN; }},
      {"earliest_start", [](Workload& w) { w.mutable_trace_fields(1).earliest_start = NAN; }},
      {"requested_time", [](Workload& w) { w.mutable_trace_fields(1).requested_time = -5; }},
      {"gpu_type", [](Workload& w) { w.jobs[1].gpu_types = 2; }},  // only one constraint exists
      {"user", [](Workload& w) { w.jobs[1].user = 2; }},           // users = {a, b}
  };
  for (const Case& c : cases) {
    Workload w;
    w.jobs = {job(1, 0), job(42, 5), job(3, 9)};
    w.users = {"a", "b"};
    w.type_constraints = {{"v100"}};
    REQUIRE(finalize_error(w) == "");
    c.spoil(w);
    const std::string msg = finalize_error(w);
    INFO("field ", c.field, ": ", msg);
    CHECK(msg.find("jobs.csv") == 0);
    CHECK(msg.find(std::string("field '") + c.field + "'") != std::string::npos);
    CHECK(msg.find("job 42") != std::string::npos);
  }
}

TEST_CASE("workload: valid edge values are accepted") {
  Workload w;
  w.jobs = {job(1, 0), job(2, 5)};
  w.jobs[0].gpu_share = 0.25f;       // a shared 1-GPU job
  w.jobs[0].deadline = 0.5;          // just after submit
  w.mutable_trace_fields(1).earliest_start = -3;  // before submit: no window
  w.jobs[1].user = 7;                // no user table: not checked
  CHECK(finalize_error(w) == "");
  w.job_names = {"only one"};
  CHECK(finalize_error(w).find("1 job names for 2 jobs") != std::string::npos);
}

TEST_CASE("workload: dependencies resolve to job indexes after sorting") {
  Workload w;
  // ids 10, 20, 30, 40 submitted in reverse order: indexes 40->0, 30->1, 20->2, 10->3.
  w.jobs = {job(10, 3), job(20, 2), job(30, 1), job(40, 0)};
  w.dependencies = {{10, 20}, {30, 20}, {10, 20}, {40, 10}};  // duplicate edge 10->20
  w.finalize("t");
  REQUIRE(w.predecessors.size() == 4);
  CHECK(w.predecessors[0].empty());                                  // job 40
  CHECK(w.predecessors[1].empty());                                  // job 30
  CHECK(w.predecessors[2] == std::vector<JobIndex>{1, 3});           // job 20 after 30 and 10
  CHECK(w.predecessors[3] == std::vector<JobIndex>{0});              // job 10 after 40
}

TEST_CASE("workload: unknown, self and cyclic dependencies are errors naming the jobs") {
  Workload w;
  w.jobs = {job(1, 0), job(2, 1), job(3, 2), job(4, 3), job(5, 4)};

  Workload unknown = w;
  unknown.dependencies = {{1, 2}, {99, 3}};
  std::string msg = finalize_error(unknown);
  CHECK(msg.find("job 3 depends on job 99, which is not in the workload") != std::string::npos);
  CHECK(msg.find("field 'depends_on'") != std::string::npos);

  Workload self = w;
  self.dependencies = {{4, 4}};
  CHECK(finalize_error(self).find("job 4 depends on itself") != std::string::npos);

  // 1 -> 2 -> 3 -> 4 -> 2 : the cycle is 2, 3, 4; job 1 and 5 are not on it.
  Workload cycle = w;
  cycle.dependencies = {{1, 2}, {2, 3}, {3, 4}, {4, 2}, {1, 5}};
  msg = finalize_error(cycle);
  INFO(msg);
  CHECK(msg.find("dependency cycle") != std::string::npos);
  for (const char* on : {"job 2 ->", "job 3 ->", "job 4 ->"}) CHECK(msg.find(on) != std::string::npos);
  CHECK(msg.find("job 1") == std::string::npos);
  CHECK(msg.find("job 5") == std::string::npos);

  // A DAG with a diamond is fine.
  Workload diamond = w;
  diamond.dependencies = {{1, 2}, {1, 3}, {2, 4}, {3, 4}};
  CHECK(finalize_error(diamond) == "");

  // Ids that several jobs share cannot be used in dependencies.
  Workload dup = w;
  dup.jobs[4].id = 1;
  dup.dependencies = {{1, 3}};
  CHECK(finalize_error(dup).find("ambiguous") != std::string::npos);
}

TEST_CASE("workload: user and type-constraint tables intern names") {
  Workload w;
  CHECK(w.user_name(0) == "");  // no user table
  CHECK(w.intern_user("alice") == 0);
  CHECK(w.intern_user("bob") == 1);
  CHECK(w.intern_user("alice") == 0);
  CHECK(w.users == std::vector<std::string>{"alice", "bob"});
  CHECK(w.user_name(1) == "bob");
  // Entries added directly are found too.
  w.users.push_back("carol");
  CHECK(w.intern_user("carol") == 2);
  CHECK(w.intern_user("dave") == 3);
  CHECK(w.users.size() == 4);
  CHECK_THROWS_AS(w.user_name(4), InternalError);

  CHECK(w.intern_type_constraint({}) == 0);
  CHECK(w.intern_type_constraint({"v100", "a100"}) == 1);
  CHECK(w.intern_type_constraint({"a100", "v100", "a100"}) == 1);  // a set: order and repeats do not matter
  CHECK(w.intern_type_constraint({"t4"}) == 2);
  CHECK(w.type_constraints == std::vector<std::vector<std::string>>{{"a100", "v100"}, {"t4"}});
}

TEST_CASE("workload: the type-constraint table stops at what Job::gpu_types holds, with an error") {
  Workload w;
  std::size_t wrong = 0;  // constraints not numbered 1, 2, ... in order
  for (std::size_t k = 1; k <= kMaxTypeConstraints; ++k) wrong += w.intern_type_constraint({std::to_string(k)}) != k;
  CHECK(wrong == 0);
  Job job;
  job.gpu_types = w.intern_type_constraint({"32767"});
  const std::size_t kept = job.gpu_types;  // bit-fields: copied, not bound
  const bool preemptible = job.preemptible;
  CHECK(kept == kMaxTypeConstraints);  // the largest index survives the 15-bit field
  CHECK(preemptible);                  // and leaves the flag beside it alone
  CHECK_THROWS_WITH_AS(w.intern_type_constraint({"one", "more"}),
                       "too many distinct GPU type constraints (at most 32767)", InputError);
  CHECK(w.type_constraints.size() == kMaxTypeConstraints);
  CHECK(w.intern_type_constraint({"1"}) == 1);  // the table is intact
}

// JobRecords: the compact storage gives back every record as it was written,
// field for field and bit for bit; the inputs come from the shared job table
// and are copied before they change; the engine's start and failure updates
// give the fields a plain JobRecord would have.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/job_records.h"

using namespace fastgpu;

namespace {

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

// Every field compared by its bits (NaN == NaN, -0 != +0).
void check_same(const JobRecord& a, const JobRecord& b) {
  CHECK(a.id == b.id);
  CHECK(a.user == b.user);
  CHECK(a.priority == b.priority);
  CHECK(a.num_gpus == b.num_gpus);
  CHECK(std::bit_cast<std::uint32_t>(a.gpu_share) == std::bit_cast<std::uint32_t>(b.gpu_share));
  for (auto field : {&JobRecord::submit, &JobRecord::first_start, &JobRecord::final_start, &JobRecord::end,
                     &JobRecord::deadline, &JobRecord::work, &JobRecord::runtime_alone, &JobRecord::gpu_seconds,
                     &JobRecord::failed_gpu_seconds, &JobRecord::useful_gpu_seconds, &JobRecord::lost_gpu_seconds})
    CHECK(bits(a.*field) == bits(b.*field));
  for (auto field : {&JobRecord::preemptions, &JobRecord::migrations, &JobRecord::attempts, &JobRecord::failure_stops})
    CHECK(a.*field == b.*field);
  CHECK(a.deadline_met == b.deadline_met);
  CHECK(a.on_reserved == b.on_reserved);
  CHECK(a.gpu_type == b.gpu_type);
  CHECK(a.outcome == b.outcome);
  CHECK(a.reject_reason == b.reject_reason);
}

JobRecord one_run_record() {
  return JobRecord{.id = 42, .user = 3, .priority = -2, .num_gpus = 4, .gpu_share = 1.0f, .submit = 5,
                   .first_start = 7, .final_start = 7, .end = 20, .deadline = 30, .work = 13,
                   .runtime_alone = 13, .gpu_seconds = 52, .useful_gpu_seconds = 52, .preemptions = 1,
                   .migrations = 2, .attempts = 1, .deadline_met = 1, .on_reserved = true, .gpu_type = 3};
}

}  // namespace

TEST_CASE("job records: a run without failures needs no side entry; others keep theirs exactly") {
  JobRecord plain = one_run_record();
  JobRecord rejected{.id = 1, .submit = 2, .end = 2, .outcome = JobOutcome::rejected, .reject_reason = 1};
  JobRecord failed = one_run_record();  // two runs, the first failed: final start later, two attempts
  failed.final_start = 11;
  failed.attempts = 2;
  failed.failed_gpu_seconds = 16;
  failed.lost_gpu_seconds = 16;
  JobRecord stopped = one_run_record();  // a hardware failure stopped it once, nothing lost
  stopped.failure_stops = 1;
  JobRecord rejected_after_failure = one_run_record();  // ran, failed, then was rejected
  rejected_after_failure.final_start = NAN;
  rejected_after_failure.outcome = JobOutcome::rejected;
  JobRecord negative_zero = one_run_record();  // -0 is not +0: kept in the side table
  negative_zero.lost_gpu_seconds = -0.0;
  const std::vector<JobRecord> written{plain, rejected, failed, stopped, rejected_after_failure, negative_zero};

  const JobRecords records(written);
  REQUIRE(records.size() == written.size());
  CHECK(records.failure_entries() == 4);  // failed, stopped, rejected after failure, -0
  CHECK_FALSE(records.outputs(0).has_failure_outputs);
  CHECK_FALSE(records.outputs(1).has_failure_outputs);
  for (std::size_t j = 0; j < written.size(); ++j) check_same(records[j], written[j]);
  std::size_t j = 0;
  for (const JobRecord& r : records) check_same(r, written[j++]);
  CHECK(j == written.size());

  // Replacing a record drops its side entry when it no longer needs one.
  JobRecords edited = records;
  edited.set(2, plain);
  CHECK(edited.failure_entries() == 3);
  check_same(edited[2], plain);
  check_same(records[2], failed);  // the copy it came from is unchanged
}

TEST_CASE("job records: inputs are read from the shared table, which a change copies first") {
  auto jobs = std::make_shared<std::vector<Job>>(2);
  (*jobs)[0].id = 10;
  (*jobs)[0].submit = 1;
  (*jobs)[0].work = 100;
  (*jobs)[0].num_gpus = 2;
  (*jobs)[1].id = 11;
  (*jobs)[1].deadline = 50;
  (*jobs)[1].gpu_share = 0.5f;
  JobRecords records{std::shared_ptr<const std::vector<Job>>(jobs)};
  REQUIRE(records.size() == 2);
  CHECK(records[0].id == 10);
  CHECK(records[0].submit == 1);
  CHECK(records[0].work == 100);
  CHECK(records[0].num_gpus == 2);
  CHECK(records[1].deadline == 50);
  CHECK(records[1].gpu_share == 0.5f);
  CHECK(std::isnan(records[0].first_start));  // nothing started yet
  CHECK(records[0].attempts == 0);

  records.update(0, [](JobRecord& r) { r.priority = 9; });
  CHECK(records[0].priority == 9);
  CHECK((*jobs)[0].priority == 0);  // the shared table is not written
  CHECK(&records.input(0) != &(*jobs)[0]);
  records.push_back(JobRecord{.id = 12});
  CHECK(records.size() == 3);
  CHECK(jobs->size() == 2);
}

TEST_CASE("job records: starts, resumptions and failed runs give the fields a plain record would have") {
  JobRecords records{JobRecord{}, JobRecord{}};
  records.record_start(0, 5);
  records.record_start(0, 9);  // a resumption after a preemption: neither a new run nor a new first start
  JobRecord r = records[0];
  CHECK(r.first_start == 5);
  CHECK(r.final_start == 5);
  CHECK(r.attempts == 1);
  CHECK(records.failure_entries() == 0);

  // Job 1: starts at 2, its run fails (the engine clears final_start), the next run starts at 12.
  records.record_start(1, 2);
  FailureOutputs& f = records.failure_outputs(1);
  CHECK(f.final_start == 2);  // the entry starts from the one-run values
  CHECK(f.attempts == 1);
  f.failed_gpu_seconds = 8;
  f.final_start = NAN;
  records.record_start(1, 12);
  records.record_start(1, 15);  // resumes the second run
  r = records[1];
  CHECK(r.first_start == 2);
  CHECK(r.final_start == 12);
  CHECK(r.attempts == 2);
  CHECK(r.failed_attempts() == 1);
  CHECK(r.failed_gpu_seconds == 8);
  CHECK(r.final_wait() == 12);
}

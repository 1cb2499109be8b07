#include "sim/job_records.h"

#include <bit>
#include <cmath>
#include <utility>

#include "sim/error.h"
#include "sim/huge_pages.h"

namespace fastgpu {

// The point of the layout: 56 bytes a job where a JobRecord takes 136.
static_assert(sizeof(JobOutputs) == 56, "JobOutputs grew: check the bytes a job in docs/performance.md");

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool is_one_run(const FailureOutputs& f, const JobOutputs& o) {
  const FailureOutputs plain = single_run_failure_outputs(o);
  return same_bits(f.final_start, plain.final_start) && same_bits(f.failed_gpu_seconds, 0.0) &&
         same_bits(f.lost_gpu_seconds, 0.0) && f.failure_stops == 0 && f.attempts == plain.attempts;
}

Job input_of(const JobRecord& r) {
  Job job;
  job.id = r.id;
  job.user = r.user;
  job.priority = r.priority;
  job.num_gpus = r.num_gpus;
  job.gpu_share = r.gpu_share;
  job.submit = r.submit;
  job.deadline = r.deadline;
  job.work = r.work;
  return job;
}

JobOutputs outputs_of(const JobRecord& r) {
  return JobOutputs{.first_start = r.first_start,
                    .end = r.end,
                    .runtime_alone = r.runtime_alone,
                    .gpu_seconds = r.gpu_seconds,
                    .useful_gpu_seconds = r.useful_gpu_seconds,
                    .preemptions = r.preemptions,
                    .migrations = r.migrations,
                    .gpu_type = r.gpu_type,
                    .reject_reason = r.reject_reason,
                    .deadline_met = r.deadline_met,
                    .on_reserved = r.on_reserved,
                    .outcome = r.outcome};
}

}  // namespace

JobRecords::JobRecords(std::shared_ptr<const std::vector<Job>> inputs) : inputs_(std::move(inputs)) {
  if (!inputs_) throw InternalError("job records without a job table");
  reserve_huge_pages(outputs_, inputs_->size());
  outputs_.resize(inputs_->size());
}

JobRecords::JobRecords(std::span<const JobRecord> records) {
  reserve(records.size());
  for (const JobRecord& r : records) push_back(r);
}

FailureOutputs JobRecords::stored_failure_outputs(JobIndex j) const { return failures_.at(j); }

void JobRecords::push_back(const JobRecord& r) {
  writable_inputs().emplace_back();  // set() writes both rows
  outputs_.emplace_back();
  set(outputs_.size() - 1, r);
}

void JobRecords::set(std::size_t j, const JobRecord& r) {
  writable_inputs()[j] = input_of(r);
  const auto key = static_cast<JobIndex>(j);
  JobOutputs& o = outputs_[j];
  o = outputs_of(r);
  const FailureOutputs f{.final_start = r.final_start,
                         .failed_gpu_seconds = r.failed_gpu_seconds,
                         .lost_gpu_seconds = r.lost_gpu_seconds,
                         .failure_stops = r.failure_stops,
                         .attempts = r.attempts};
  o.has_failure_outputs = !is_one_run(f, o);
  if (o.has_failure_outputs) failures_[key] = f;
  else failures_.erase(key);
}

void JobRecords::reserve(std::size_t n) {
  writable_inputs().reserve(n);
  outputs_.reserve(n);
}

FailureOutputs& JobRecords::failure_outputs(JobIndex j) {
  JobOutputs& o = outputs_[j];
  if (!o.has_failure_outputs) {
    o.has_failure_outputs = true;
    return failures_[j] = single_run_failure_outputs(o);
  }
  return failures_.at(j);
}

void JobRecords::record_start(JobIndex j, Seconds now) {
  JobOutputs& o = outputs_[j];
  if (std::isnan(o.first_start)) o.first_start = now;
  // Without a failure the only run begins at the first start; later starts resume it.
  if (!o.has_failure_outputs) return;
  FailureOutputs& f = failures_.at(j);
  if (std::isnan(f.final_start)) {  // a run begins (not a resumption)
    f.final_start = now;
    ++f.attempts;
  }
}

// Copy on write: a table shared with a workload, or with a copy of these
// records, is copied before it changes.
std::vector<Job>& JobRecords::writable_inputs() {
  // Exclusive when the only references are owned_ and inputs_ themselves.
  if (!owned_ || owned_.use_count() != 2) {
    owned_ = inputs_ ? std::make_shared<std::vector<Job>>(*inputs_) : std::make_shared<std::vector<Job>>();
    inputs_ = owned_;
  }
  return *owned_;
}

}  // namespace fastgpu

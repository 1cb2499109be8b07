#pragma once
// The records of a run's jobs, stored compactly. A JobRecord repeats eight of
// the job's inputs and carries five fields that only a failure changes; at a
// million jobs a table of them is most of a run's memory. Here each job keeps
// only what the engine produces (JobOutputs, 56 bytes), the failure fields
// live in a side table holding only the jobs a failure touched, and the inputs
// are read from the job table, shared with the workload the run replayed (or
// owned, for records read back from a file or built by hand). Readers get the
// assembled JobRecord by value: `records[j]` and range-for over the records.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "sim/job.h"
#include "sim/job_record.h"
#include "sim/types.h"

namespace fastgpu {

// What the engine writes for every job.
struct JobOutputs {
  Seconds first_start = NAN;
  Seconds end = NAN;
  Seconds runtime_alone = NAN;
  double gpu_seconds = 0;
  double useful_gpu_seconds = 0;
  std::uint32_t preemptions = 0;
  std::uint32_t migrations = 0;
  TypeIndex gpu_type = 0;
  std::uint16_t reject_reason = 0;
  std::int8_t deadline_met = -1;
  bool on_reserved = false;
  JobOutcome outcome = JobOutcome::finished;
  bool has_failure_outputs = false;  // the job has an entry in the side table
};

// The fields of a JobRecord that differ from their one-run values only for a
// job a failure touched. Without an entry: final_start = first_start, one
// attempt if it started (none otherwise), no failed or lost GPU-seconds, no stops.
struct FailureOutputs {
  Seconds final_start = NAN;
  double failed_gpu_seconds = 0;
  double lost_gpu_seconds = 0;
  std::uint32_t failure_stops = 0;
  std::uint32_t attempts = 0;
};

// A job's failure fields as they are without an entry in the side table.
inline FailureOutputs single_run_failure_outputs(const JobOutputs& o) {
  return FailureOutputs{.final_start = o.first_start, .attempts = std::isnan(o.first_start) ? 0u : 1u};
}

class JobRecords {
 public:
  // A random-access iterator that yields assembled records by value.
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = JobRecord;
    using difference_type = std::ptrdiff_t;
    using reference = JobRecord;
    using pointer = void;

    const_iterator() = default;
    const_iterator(const JobRecords* records, std::size_t j) : records_(records), j_(j) {}
    JobRecord operator*() const { return (*records_)[j_]; }
    JobRecord operator[](difference_type k) const { return (*records_)[j_ + k]; }
    const_iterator& operator++() { return ++j_, *this; }
    const_iterator operator++(int) { const_iterator old = *this; ++j_; return old; }
    const_iterator& operator--() { return --j_, *this; }
    const_iterator operator--(int) { const_iterator old = *this; --j_; return old; }
    const_iterator& operator+=(difference_type k) { j_ += k; return *this; }
    const_iterator& operator-=(difference_type k) { j_ -= k; return *this; }
    friend const_iterator operator+(const_iterator it, difference_type k) { return it += k; }
    friend const_iterator operator+(difference_type k, const_iterator it) { return it += k; }
    friend const_iterator operator-(const_iterator it, difference_type k) { return it -= k; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.j_) - static_cast<difference_type>(b.j_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.j_ == b.j_; }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.j_ <=> b.j_; }

   private:
    const JobRecords* records_ = nullptr;
    std::size_t j_ = 0;
  };

  JobRecords() = default;
  // One record per job of `inputs`, every output at its initial value.
  explicit JobRecords(std::shared_ptr<const std::vector<Job>> inputs);
  // Records that own their inputs, e.g. read back from a file or built by hand.
  explicit JobRecords(std::span<const JobRecord> records);
  JobRecords(std::initializer_list<JobRecord> records) : JobRecords(std::span(records.begin(), records.size())) {}

  std::size_t size() const { return outputs_.size(); }
  bool empty() const { return outputs_.empty(); }
  // Inline, so that a reader that uses a few fields assembles only those.
  JobRecord operator[](std::size_t j) const {
    const Job& in = (*inputs_)[j];
    const JobOutputs& o = outputs_[j];
    const FailureOutputs f = failure_fields(static_cast<JobIndex>(j));
    return JobRecord{.id = in.id,
                     .user = in.user,
                     .priority = in.priority,
                     .num_gpus = in.num_gpus,
                     .gpu_share = in.gpu_share,
                     .submit = in.submit,
                     .first_start = o.first_start,
                     .final_start = f.final_start,
                     .end = o.end,
                     .deadline = in.deadline,
                     .work = in.work,
                     .runtime_alone = o.runtime_alone,
                     .gpu_seconds = o.gpu_seconds,
                     .failed_gpu_seconds = f.failed_gpu_seconds,
                     .useful_gpu_seconds = o.useful_gpu_seconds,
                     .lost_gpu_seconds = f.lost_gpu_seconds,
                     .preemptions = o.preemptions,
                     .migrations = o.migrations,
                     .attempts = f.attempts,
                     .failure_stops = f.failure_stops,
                     .deadline_met = o.deadline_met,
                     .on_reserved = o.on_reserved,
                     .gpu_type = o.gpu_type,
                     .outcome = o.outcome,
                     .reject_reason = o.reject_reason};
  }
  JobRecord front() const { return (*this)[0]; }
  JobRecord back() const { return (*this)[size() - 1]; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  // Appends a record, or replaces record j, field for field: reading it back
  // gives the same values. The inputs are copied first if they are shared.
  void push_back(const JobRecord& r);
  void set(std::size_t j, const JobRecord& r);
  // Changes record j through `change(JobRecord&)` and stores the result.
  template <class Change>
  void update(std::size_t j, Change change) {
    JobRecord r = (*this)[j];
    change(r);
    set(j, r);
  }
  void reserve(std::size_t n);

  // The engine's access while it runs.
  JobOutputs& outputs(JobIndex j) { return outputs_[j]; }
  const JobOutputs& outputs(JobIndex j) const { return outputs_[j]; }
  std::span<const JobOutputs> outputs() const { return outputs_; }
  const Job& input(JobIndex j) const { return (*inputs_)[j]; }
  // The job table the records take their inputs from, one row per record.
  std::span<const Job> inputs() const { return inputs_ ? std::span<const Job>(*inputs_) : std::span<const Job>(); }
  // Job j's failure fields: its side-table entry, or its one-run values.
  FailureOutputs failure_fields(JobIndex j) const {
    const JobOutputs& o = outputs_[j];
    return o.has_failure_outputs ? stored_failure_outputs(j) : single_run_failure_outputs(o);
  }
  // Job j's failure fields, made from its one-run values on first use.
  FailureOutputs& failure_outputs(JobIndex j);
  // Job j's start at `now`: its first, and a new run's unless it resumes one.
  void record_start(JobIndex j, Seconds now);
  // Jobs with an entry in the side table.
  std::size_t failure_entries() const { return failures_.size(); }

 private:
  std::vector<Job>& writable_inputs();
  FailureOutputs stored_failure_outputs(JobIndex j) const;

  std::shared_ptr<const std::vector<Job>> inputs_;
  std::shared_ptr<std::vector<Job>> owned_;  // = inputs_ when the records made their own table
  std::vector<JobOutputs> outputs_;
  std::unordered_map<JobIndex, FailureOutputs> failures_;
};

}  // namespace fastgpu

#pragma once
// Intrusive FIFO lists of jobs: O(1) append, O(1) removal from the middle
// (a backfilled or promoted job leaves the queue without a scan). All lists of
// one policy share one JobLinks arena, because a job is in at most one list
// at a time (e.g. one LAS level).
#include <cstddef>
#include <vector>

#include "sim/error.h"
#include "sim/types.h"

namespace fastgpu {

struct JobList {
  JobIndex head = kNoJob, tail = kNoJob;
  std::size_t size = 0;
  bool empty() const { return size == 0; }
};

class JobLinks {
 public:
  void resize(std::size_t jobs) {
    next_.assign(jobs, kNoJob);
    prev_.assign(jobs, kNoJob);
    in_list_.assign(jobs, 0);
  }
  bool linked(JobIndex j) const { return in_list_[j] != 0; }
  JobIndex next(JobIndex j) const { return next_[j]; }
  JobIndex prev(JobIndex j) const { return prev_[j]; }

  void push_back(JobList& list, JobIndex j) {
    if (in_list_[j]) throw InternalError("job list: job is already in a list");
    in_list_[j] = 1;
    prev_[j] = list.tail;
    next_[j] = kNoJob;
    if (list.tail != kNoJob) next_[list.tail] = j;
    else list.head = j;
    list.tail = j;
    ++list.size;
  }

  void erase(JobList& list, JobIndex j) {
    if (!in_list_[j]) throw InternalError("job list: job is not in a list");
    in_list_[j] = 0;
    if (prev_[j] != kNoJob) next_[prev_[j]] = next_[j];
    else list.head = next_[j];
    if (next_[j] != kNoJob) prev_[next_[j]] = prev_[j];
    else list.tail = prev_[j];
    next_[j] = prev_[j] = kNoJob;
    --list.size;
  }

 private:
  std::vector<JobIndex> next_, prev_;
  std::vector<std::uint8_t> in_list_;
};

}  // namespace fastgpu

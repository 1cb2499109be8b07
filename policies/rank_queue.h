#pragma once
// The waiting jobs of a queue policy, smallest entry first: a min-priority
// queue of (key, tie, job) entries, which are all distinct (a job waits at
// most once), so the order is total and the sequence of pops is fixed by the
// entries alone, whatever the structure.
//
// Entries arriving in increasing order (every arrival under fifo, most under
// any ordering keyed by time) are appended to a sorted run, O(1); the others
// go to a binary heap, O(log n). The smaller of the run's front and the
// heap's top comes out first: a merge of the two, the same pops as one heap,
// without the heap's sifts for the jobs that came in order.
#include <cstdint>
#include <functional>
#include <queue>
#include <tuple>
#include <vector>

#include "sim/types.h"

namespace fastgpu {

class RankQueue {
 public:
  using Entry = std::tuple<double, std::uint64_t, JobIndex>;  // (key, tie, job)

  bool empty() const { return run_head_ == run_.size() && heap_.empty(); }
  std::size_t size() const { return run_.size() - run_head_ + heap_.size(); }
  const Entry& top() const { return from_run() ? run_[run_head_] : heap_.top(); }
  void push(const Entry& e) {
    if (run_head_ == run_.size() || run_.back() < e) run_.push_back(e);
    else heap_.push(e);
  }
  void pop() {
    if (!from_run()) {
      heap_.pop();
      return;
    }
    ++run_head_;
    // Drop the consumed front once it is most of the run: amortised O(1).
    if (run_head_ == run_.size()) {
      run_.clear();
      run_head_ = 0;
    } else if (run_head_ >= 4096 && run_head_ * 2 >= run_.size()) {
      run_.erase(run_.begin(), run_.begin() + static_cast<std::ptrdiff_t>(run_head_));
      run_head_ = 0;
    }
  }

 private:
  // Whether the smallest entry is the run's front.
  bool from_run() const {
    if (run_head_ == run_.size()) return false;
    return heap_.empty() || run_[run_head_] < heap_.top();
  }

  std::vector<Entry> run_;   // increasing; [run_head_, end) still waiting
  std::size_t run_head_ = 0;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
};

}  // namespace fastgpu

#pragma once
// Running jobs by estimated finish (ties by job index), for a policy that
// needs the earliest few: O(log n) insert and erase in one contiguous array,
// with no allocation per job as a node-based ordered set has, and the entries
// in ascending order as far as the caller reads them, by a best-first walk of
// the heap (O(k log k) for the first k entries, the heap left as it is).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/error.h"
#include "sim/types.h"

namespace fastgpu {

class FinishHeap {
 public:
  struct Entry {
    Seconds time;
    JobIndex job;
    bool operator<(const Entry& o) const { return time != o.time ? time < o.time : job < o.job; }
  };

  // Empty, for jobs 0 .. jobs-1.
  void reset(std::size_t jobs) {
    heap_.clear();
    pos_.assign(jobs, kAbsent);
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  bool contains(JobIndex j) const { return pos_[j] != kAbsent; }

  void insert(Seconds time, JobIndex j) {
    if (contains(j)) throw InternalError("finish heap: job is already in it");
    heap_.push_back(Entry{time, j});
    pos_[j] = static_cast<std::uint32_t>(heap_.size() - 1);
    sift_up(pos_[j]);
  }

  void erase(JobIndex j) {
    if (!contains(j)) throw InternalError("finish heap: job is not in it");
    const std::uint32_t at = pos_[j];
    pos_[j] = kAbsent;
    const Entry last = heap_.back();
    heap_.pop_back();
    if (at == heap_.size()) return;  // it was the last entry
    place(at, last);
    // The moved entry may belong above or below its new slot.
    if (at > 0 && last < heap_[parent(at)]) sift_up(at);
    else sift_down(at);
  }

  // Calls visit(entry) on the entries in ascending order until it returns
  // false or none is left: a heap's smallest unvisited entry is always a
  // child of a visited one, so a frontier of those children is enough.
  template <class Visit>
  void visit_in_order(Visit&& visit) const {
    if (heap_.empty()) return;
    auto later = [this](std::uint32_t a, std::uint32_t b) { return heap_[b] < heap_[a]; };
    frontier_.assign(1, 0);
    while (!frontier_.empty()) {
      std::pop_heap(frontier_.begin(), frontier_.end(), later);
      const std::uint32_t at = frontier_.back();
      frontier_.pop_back();
      if (!visit(heap_[at])) return;
      for (std::uint32_t child = 2 * at + 1; child <= 2 * at + 2 && child < heap_.size(); ++child) {
        frontier_.push_back(child);
        std::push_heap(frontier_.begin(), frontier_.end(), later);
      }
    }
  }

 private:
  static constexpr std::uint32_t kAbsent = UINT32_MAX;
  static std::uint32_t parent(std::uint32_t at) { return (at - 1) / 2; }

  void place(std::uint32_t at, const Entry& e) {
    heap_[at] = e;
    pos_[e.job] = at;
  }
  void sift_up(std::uint32_t at) {
    const Entry e = heap_[at];
    while (at > 0 && e < heap_[parent(at)]) {
      place(at, heap_[parent(at)]);
      at = parent(at);
    }
    place(at, e);
  }
  void sift_down(std::uint32_t at) {
    const Entry e = heap_[at];
    const auto n = static_cast<std::uint32_t>(heap_.size());
    for (;;) {
      std::uint32_t child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && heap_[child + 1] < heap_[child]) ++child;
      if (!(heap_[child] < e)) break;
      place(at, heap_[child]);
      at = child;
    }
    place(at, e);
  }

  std::vector<Entry> heap_;
  std::vector<std::uint32_t> pos_;                // per job: its slot in heap_, kAbsent if not in it
  mutable std::vector<std::uint32_t> frontier_;  // visit_in_order's scratch
};

}  // namespace fastgpu

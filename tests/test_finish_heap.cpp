// FinishHeap: the running jobs by estimated finish, read in ascending order
// by a walk of the heap; checked against hand-derived orders and against an
// ordered set under random inserts and erases.
#include <doctest/doctest.h>

#include <iterator>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "policies/finish_heap.h"

using namespace fastgpu;

namespace {

using Order = std::vector<std::pair<Seconds, JobIndex>>;

// The first `limit` entries of the walk (all of them by default).
Order walk(const FinishHeap& heap, std::size_t limit = SIZE_MAX) {
  Order out;
  if (limit == 0) return out;
  heap.visit_in_order([&](const FinishHeap::Entry& e) {
    out.emplace_back(e.time, e.job);
    return out.size() < limit;
  });
  return out;
}

}  // namespace

TEST_CASE("finish heap: ascending by time, ties by job, after erases from the middle") {
  FinishHeap heap;
  heap.reset(8);
  CHECK(walk(heap).empty());
  heap.insert(30, 0);
  heap.insert(10, 1);
  heap.insert(20, 2);
  heap.insert(10, 3);
  heap.insert(kNever, 4);
  heap.insert(5, 5);
  CHECK(walk(heap) == Order{{5, 5}, {10, 1}, {10, 3}, {20, 2}, {30, 0}, {kNever, 4}});
  CHECK(walk(heap, 3) == Order{{5, 5}, {10, 1}, {10, 3}});
  heap.erase(1);  // a tie's first
  heap.erase(5);  // the root
  CHECK(walk(heap) == Order{{10, 3}, {20, 2}, {30, 0}, {kNever, 4}});
  heap.erase(4);  // the last entry
  heap.insert(15, 1);
  CHECK(walk(heap) == Order{{10, 3}, {15, 1}, {20, 2}, {30, 0}});
  CHECK(heap.size() == 4);
  CHECK(heap.contains(1));
  CHECK_FALSE(heap.contains(5));
  CHECK_THROWS(heap.insert(1, 1));
  CHECK_THROWS(heap.erase(5));
}

TEST_CASE("finish heap: the same order as an ordered set under random inserts and erases") {
  std::mt19937_64 rng(7);
  constexpr JobIndex kJobs = 300;
  FinishHeap heap;
  heap.reset(kJobs);
  std::set<std::pair<Seconds, JobIndex>> reference;
  std::vector<Seconds> key(kJobs, 0);
  for (int step = 0; step < 20000; ++step) {
    const auto j = static_cast<JobIndex>(rng() % kJobs);
    if (heap.contains(j)) {
      heap.erase(j);
      reference.erase({key[j], j});
    } else {
      // Few distinct times, so that ties are common.
      key[j] = rng() % 50 == 0 ? kNever : static_cast<Seconds>(rng() % 40);
      heap.insert(key[j], j);
      reference.emplace(key[j], j);
    }
    REQUIRE(heap.size() == reference.size());
    if (step % 97 == 0) {
      REQUIRE(walk(heap) == Order(reference.begin(), reference.end()));
      const std::size_t k = rng() % 10;
      const std::size_t first = std::min(k, reference.size());
      REQUIRE(walk(heap, k) == Order(reference.begin(), std::next(reference.begin(), static_cast<std::ptrdiff_t>(first))));
    }
  }
}

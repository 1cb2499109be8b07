// A queue policy's waiting jobs come out smallest (key, tie, job) first,
// checked against a brute-force minimum search over the same entries, with
// runs of increasing entries (the sorted run) mixed with smaller ones (the heap).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "policies/rank_queue.h"

using namespace fastgpu;

TEST_CASE("RankQueue pops the smallest entry, like a search of all waiting entries") {
  std::mt19937_64 rng(7);
  RankQueue queue;
  std::vector<RankQueue::Entry> waiting;
  double clock = 0;
  JobIndex next_job = 0;
  std::uint64_t pops = 0, in_order = 0;
  for (int step = 0; step < 40000; ++step) {
    const auto roll = rng() % 10;
    if (roll < 6 || waiting.empty()) {
      // Mostly later keys (arrivals in time order), some earlier ones, and
      // equal keys that the tie or the job decides.
      double key = clock;
      if (roll < 3) clock += static_cast<double>(rng() % 4);
      else if (roll < 5) key = static_cast<double>(rng() % 64);
      const std::uint64_t tie = rng() % 3;
      const RankQueue::Entry e{key, tie, next_job++};
      if (!waiting.empty() && std::ranges::all_of(waiting, [&](const auto& w) { return w < e; })) ++in_order;
      queue.push(e);
      waiting.push_back(e);
    } else {
      const auto smallest = std::ranges::min_element(waiting);
      REQUIRE(queue.top() == *smallest);
      queue.pop();
      waiting.erase(smallest);
      ++pops;
    }
    REQUIRE(queue.size() == waiting.size());
    REQUIRE(queue.empty() == waiting.empty());
  }
  while (!waiting.empty()) {
    const auto smallest = std::ranges::min_element(waiting);
    REQUIRE(queue.top() == *smallest);
    queue.pop();
    waiting.erase(smallest);
  }
  CHECK(queue.empty());
  // Both paths ran: entries larger than all waiting ones, and the others.
  CHECK(pops > 10000);
  CHECK(in_order > 1000);
  CHECK(in_order < 30000);
}

TEST_CASE("RankQueue drops its consumed run front and keeps the order") {
  RankQueue queue;
  // A long in-order run, consumed past the compaction point while a smaller
  // entry waits in the heap.
  for (JobIndex j = 0; j < 10000; ++j) queue.push({static_cast<double>(j + 1), 0, j});
  queue.push({0.5, 0, 99999});
  CHECK(std::get<2>(queue.top()) == 99999);
  queue.pop();
  for (JobIndex j = 0; j < 9000; ++j) {
    REQUIRE(std::get<2>(queue.top()) == j);
    queue.pop();
  }
  queue.push({9000.5, 0, 77777});  // between waiting run entries: goes to the heap
  CHECK(queue.size() == 1001);
  for (JobIndex j = 9000; j < 10000; ++j) {
    if (j == 9000) {
      REQUIRE(std::get<2>(queue.top()) == 77777);
      queue.pop();
    }
    REQUIRE(std::get<2>(queue.top()) == j);
    queue.pop();
  }
  CHECK(queue.empty());
}

// DeferredSet: entries kept unsorted until the order is read; checked
// against a plain std::set under random inserts, erases (of entries still
// pending, already ordered, or absent) and reads, and by hand.
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <utility>
#include <vector>

#include "policies/deferred_set.h"

using namespace fastgpu;
using Entry = std::pair<double, std::uint32_t>;

TEST_CASE("deferred set: pending and ordered entries erase alike; the order read is the set's") {
  DeferredSet<Entry> set;
  set.resize(4);
  set.insert(0, {5.0, 0});
  set.insert(1, {2.0, 1});
  set.insert(2, {9.0, 2});
  set.erase(0);  // pending: job 2's entry moves into its place
  CHECK(set.ordered() == std::set<Entry>{{2.0, 1}, {9.0, 2}});
  set.insert(3, {1.0, 3});
  set.erase(2);  // already ordered
  set.erase(0);  // no entry: nothing happens
  CHECK(set.ordered() == std::set<Entry>{{1.0, 3}, {2.0, 1}});
  set.erase(1);
  set.insert(0, {2.0, 0});  // an id can come back
  CHECK(set.ordered() == std::set<Entry>{{1.0, 3}, {2.0, 0}});
}

TEST_CASE("deferred set: the same contents as a std::set under random inserts, erases and reads") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    constexpr std::uint32_t kIds = 300;
    DeferredSet<Entry> set;
    set.resize(kIds);
    std::set<Entry> reference;
    std::vector<Entry> value(kIds);
    std::vector<char> in(kIds, 0);
    for (int step = 0; step < 30000; ++step) {
      const auto id = static_cast<std::uint32_t>(rng() % kIds);
      if (in[id]) {
        set.erase(id);
        reference.erase(value[id]);
        in[id] = 0;
      } else {
        value[id] = {static_cast<double>(rng() % 50), id};  // many equal times, ties by id
        set.insert(id, value[id]);
        reference.insert(value[id]);
        in[id] = 1;
      }
      if (rng() % 37 == 0) REQUIRE(set.ordered() == reference);
    }
    CHECK(set.ordered() == reference);
  }
}

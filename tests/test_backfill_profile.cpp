// conservative-backfill's availability profile: the earliest slot found by
// one sweep over the profile's steps, against hand-derived answers and against
// trying every candidate start in turn with the window check.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "policies/conservative_backfill_profile.h"

using namespace fastgpu;

namespace {

// Every time the free count may rise (now, a release, a reservation's end),
// in order, each checked over its whole window: the first that holds.
Seconds earliest_by_candidates(BackfillProfile& profile, Seconds now, const std::set<ReleaseIndex::Entry>& releases,
                               const std::vector<std::pair<Seconds, Seconds>>& ends, std::int64_t need,
                               Seconds duration) {
  std::vector<Seconds> candidates{now};
  for (const auto& e : releases)
    if (e.time != kNever) candidates.push_back(std::max(now, e.time));
  for (const auto& [start, end] : ends) candidates.push_back(end);
  std::sort(candidates.begin(), candidates.end());
  for (Seconds s : candidates)
    if (s >= now && profile.feasible(s, s + duration, need)) return s;
  return kNever;
}

}  // namespace

TEST_CASE("backfill profile: the earliest slot, derived by hand") {
  // 2 GPUs free at t=0; 2 more at t=10, 4 more at t=30. A reservation holds
  // 3 GPUs over [12, 20).
  std::set<ReleaseIndex::Entry> releases{{10, 1, 2}, {30, 2, 4}};
  BackfillProfile p;
  p.reset(0, 2, releases);
  p.reserve(12, 20, 3);
  // Free: [0,10) 2, [10,12) 4, [12,20) 1, [20,30) 4, [30,inf) 8.
  CHECK(p.earliest(2, 5) == 0);   // [0, 5) has 2
  CHECK(p.earliest(2, 13) == 20); // from 0 or 10 the window meets [12,20), which has 1
  CHECK(p.earliest(1, 100) == 0); // never below 1
  CHECK(p.earliest(4, 2) == 10);  // [10, 12) has 4
  CHECK(p.earliest(4, 3) == 20);  // [10, 13) meets [12,20)
  CHECK(p.earliest(5, 1) == 30);
  CHECK(p.earliest(9, 1) == kNever);
}

TEST_CASE("backfill profile: the sweep gives the answer of trying every candidate start") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; ++round) {
    const Seconds now = 100;
    std::set<ReleaseIndex::Entry> releases;
    const int n = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int i = 0; i < n; ++i) {
      // Some releases overdue (before now), some at the same time, some unknown.
      const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
      const Seconds t = kind == 0 ? kNever : std::uniform_int_distribution<int>(80, 200)(rng);
      releases.insert({t, static_cast<std::uint64_t>(i), std::uniform_int_distribution<std::uint32_t>(1, 4)(rng)});
    }
    BackfillProfile sweep, check;
    const std::int64_t free_now = std::uniform_int_distribution<int>(0, 6)(rng);
    sweep.reset(now, free_now, releases);
    check.reset(now, free_now, releases);
    std::vector<std::pair<Seconds, Seconds>> reserved;
    // Reserve jobs one after another where the sweep puts them, as a rebuild does.
    for (int job = 0; job < 6; ++job) {
      const std::int64_t need = std::uniform_int_distribution<int>(1, 8)(rng);
      const Seconds duration = std::uniform_int_distribution<int>(0, 60)(rng);
      const Seconds got = sweep.earliest(need, duration);
      const Seconds want = earliest_by_candidates(check, now, releases, reserved, need, duration);
      REQUIRE(got == want);
      if (got == kNever) continue;
      sweep.reserve(got, got + duration, need);
      check.reserve(got, got + duration, need);
      reserved.emplace_back(got, got + duration);
    }
  }
}

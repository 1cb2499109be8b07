// The engine's event queue pops in (time, event class, push order), checked
// against a brute-force minimum search over the same events.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <random>
#include <tuple>
#include <vector>

#include "sim/error.h"
#include "sim/event_queue.h"

using namespace fastgpu;

namespace {

struct Pushed {
  Event event;
  std::uint64_t seq;  // push order
};

// Removes and returns the earliest of `pending` by (time, rank, push order).
Pushed take_earliest(std::vector<Pushed>& pending) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < pending.size(); ++i) {
    const auto key = [&](std::size_t k) {
      return std::tuple(pending[k].event.time, pending[k].event.rank(), pending[k].seq);
    };
    if (key(i) < key(best)) best = i;
  }
  const Pushed out = pending[best];
  pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(best));
  return out;
}

void check_same(const Event& got, const Event& want) {
  CHECK(got.time == want.time);
  CHECK(std::signbit(got.time) == std::signbit(want.time));  // a -0 comes back as -0
  CHECK(got.kind == want.kind);
  if (want.kind == EventKind::timer) {
    CHECK(got.tag == want.tag);
  } else {
    CHECK(got.job == want.job);
    CHECK(got.version == want.version);
  }
}

}  // namespace

TEST_CASE("event queue: equal times pop by event class, then in push order") {
  EventQueue q;
  q.push(Event{.time = 5, .kind = EventKind::timer, .tag = 7});
  q.push(Event{.time = 5, .kind = EventKind::suspend_done, .job = 3});
  q.push(Event{.time = 5, .kind = EventKind::finish, .job = 2, .version = 1});
  q.push(Event{.time = 5, .kind = EventKind::finish, .job = 1, .version = 3});
  q.push(Event{.time = 4, .kind = EventKind::timer, .tag = 9});
  CHECK(q.size() == 5);
  CHECK(q.top_time() == 4);
  CHECK(q.pop().tag == 9);
  const Event a = q.pop(), b = q.pop();
  CHECK((a.kind == EventKind::finish && a.job == 2 && a.version == 1));
  CHECK((b.kind == EventKind::finish && b.job == 1 && b.version == 3));
  const Event s = q.pop();
  CHECK((s.kind == EventKind::suspend_done && s.job == 3));
  const Event t = q.pop();
  CHECK((t.kind == EventKind::timer && t.tag == 7));
  CHECK(q.empty());
}

TEST_CASE("event queue: interleaved pushes and pops match a brute-force minimum search") {
  std::mt19937_64 rng(12345);
  EventQueue q;
  std::vector<Pushed> pending;
  std::uint64_t seq = 0;
  std::uint64_t popped = 0;
  for (int step = 0; step < 20000; ++step) {
    // Few distinct times, so most comparisons are ties broken by class and
    // order; -0 and +0 among them (equal times), fractions, and a few far
    // apart in magnitude (the queue compares the times' bits).
    const bool push = pending.empty() || rng() % 3 != 0;
    if (push) {
      const auto kind = static_cast<EventKind>(rng() % 4);
      static constexpr double kOdd[] = {-0.0, 0.0, 0.25, 1e-300, 3.5e9, 1e300, kNever};
      const double time = rng() % 4 == 0 ? kOdd[rng() % std::size(kOdd)] : static_cast<double>(rng() % 16);
      Event e{.time = time, .kind = kind};
      if (kind == EventKind::timer) {
        e.tag = rng();
      } else {
        e.job = static_cast<JobIndex>(rng() % 1000);
        e.version = static_cast<std::uint32_t>(rng() % 50);
      }
      q.push(e);
      pending.push_back(Pushed{e, seq++});
    } else {
      const Pushed want = take_earliest(pending);
      REQUIRE(q.top_time() == want.event.time);
      REQUIRE(q.top_kind() == want.event.kind);
      check_same(q.pop(), want.event);
      ++popped;
    }
    REQUIRE(q.size() == pending.size());
  }
  while (!pending.empty()) {
    check_same(q.pop(), take_earliest(pending).event);
    ++popped;
  }
  CHECK(q.empty());
  CHECK(popped == seq);
}

TEST_CASE("event queue: a negative or NaN event time is an internal error") {
  EventQueue q;
  CHECK_THROWS_AS(q.push(Event{.time = -1e-9, .kind = EventKind::timer}), InternalError);
  CHECK_THROWS_AS(q.push(Event{.time = std::nan(""), .kind = EventKind::timer}), InternalError);
  CHECK(q.empty());
}

#pragma once
// conservative-backfill's availability profile (policies/conservative_backfill.cpp):
// the free whole GPUs of one pool (a GPU type, or a GPU type within one
// virtual cluster's partition) over [now, inf).
#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "policies/release_index.h"

namespace fastgpu {

// Free whole GPUs of one pool over [now, inf): a nondecreasing base (free now
// plus estimated releases, pulled lazily from the release index) minus the
// reservations made in this rebuild (a short list of +need/-need events).
class BackfillProfile {
 public:
  void reset(Seconds now, std::int64_t free_now, const std::set<ReleaseIndex::Entry>& releases) {
    now_ = now;
    time_.assign(1, now);
    value_.assign(1, free_now);
    next_ = releases.begin();
    end_ = releases.end();
    events_.clear();
  }

  // Earliest s >= now at which `need` GPUs are free throughout [s, s + duration);
  // kNever if no such time is known.
  Seconds earliest(std::int64_t need, Seconds duration) {
    Seconds s = now_;
    while (s != kNever) {
      if (feasible(s, s + duration, need)) return s;
      s = next_candidate(s);
    }
    return kNever;
  }

  bool feasible(Seconds s, Seconds e, std::int64_t need) {
    std::int64_t used = 0;
    std::size_t i = 0;
    for (; i < events_.size() && events_[i].first <= s; ++i) used += events_[i].second;
    if (base(s) - used < need) return false;
    while (i < events_.size() && events_[i].first < e) {
      const Seconds at = events_[i].first;
      for (; i < events_.size() && events_[i].first == at; ++i) used += events_[i].second;
      if (base(at) - used < need) return false;
    }
    return true;
  }

  void reserve(Seconds s, Seconds e, std::int64_t need) {
    insert(s, need);
    if (e != kNever) insert(e, -need);
  }

 private:
  // Free GPUs at time t if nothing else started (t >= now).
  std::int64_t base(Seconds t) {
    extend(t);
    const auto it = std::upper_bound(time_.begin(), time_.end(), t);
    return value_[static_cast<std::size_t>(it - time_.begin()) - 1];
  }
  // Pulls every release at or before t into the steps.
  void extend(Seconds t) {
    while (next_ != end_ && next_->time != kNever && std::max(now_, next_->time) <= t) pull();
  }
  void pull() {
    const Seconds at = std::max(now_, next_->time);
    if (at == time_.back()) {
      value_.back() += next_->gpus;
    } else {
      time_.push_back(at);
      value_.push_back(value_.back() + next_->gpus);
    }
    ++next_;
  }
  // The next time after s at which more GPUs may be free: a release or the end of a reservation.
  Seconds next_candidate(Seconds s) {
    extend(s);
    Seconds next = kNever;
    if (const auto it = std::upper_bound(time_.begin(), time_.end(), s); it != time_.end()) {
      next = *it;
    } else if (next_ != end_ && next_->time != kNever) {
      next = std::max(now_, next_->time);
    }
    for (const auto& [at, delta] : events_) {
      if (delta < 0 && at > s) {
        next = std::min(next, at);
        break;
      }
    }
    return next;
  }
  void insert(Seconds at, std::int64_t delta) {
    const auto it = std::upper_bound(events_.begin(), events_.end(), at,
                                     [](Seconds a, const auto& e) { return a < e.first; });
    events_.insert(it, {at, delta});
  }

  Seconds now_ = 0;
  std::vector<Seconds> time_;
  std::vector<std::int64_t> value_;
  std::set<ReleaseIndex::Entry>::const_iterator next_, end_;
  std::vector<std::pair<Seconds, std::int64_t>> events_;  // reservations: (time, +-GPUs), by time
};

}  // namespace fastgpu

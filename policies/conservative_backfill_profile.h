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
  // kNever if no such time is known. One sweep over the steps of the free
  // count in time order: the count rises only at a release or at the end of
  // a reservation (the candidate starts), so the answer is the start of the
  // first stretch of >= `need` free GPUs that lasts `duration` (a later
  // candidate inside a shorter stretch ends with it). O(steps + reservations).
  Seconds earliest(std::int64_t need, Seconds duration) {
    std::size_t i = 0;  // reservation events at or before t
    std::size_t k = 0;  // the base's last step at or before t
    std::int64_t used = 0;
    Seconds t = now_, stretch = kNever;
    while (true) {
      for (; i < events_.size() && events_[i].first <= t; ++i) used += events_[i].second;
      extend(t);
      while (k + 1 < time_.size() && time_[k + 1] <= t) ++k;
      if (value_[k] - used < need) stretch = kNever;
      else if (stretch == kNever) stretch = t;
      // The next step: the next reservation event, or, outside a stretch, a
      // release not yet reached (inside one, releases only add to it).
      Seconds next = kNever;
      if (stretch == kNever) {
        if (k + 1 < time_.size()) {
          next = time_[k + 1];
        } else if (next_ != end_ && next_->time != kNever) {
          next = std::max(now_, next_->time);
        }
      }
      if (i < events_.size()) next = std::min(next, events_[i].first);
      if (stretch != kNever && (next == kNever || next >= stretch + duration)) return stretch;
      if (next == kNever) return kNever;
      t = next;
    }
  }

  // Whether `need` GPUs are free throughout [s, e): the free count only drops
  // at s or where a reservation starts (the base never decreases), so those
  // are the times checked.
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

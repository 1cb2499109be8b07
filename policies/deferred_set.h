#pragma once
// An ordered set of per-job entries whose order is read rarely: an entry goes
// first into an unsorted list (O(1) insert and erase), and the entries still
// there are moved into the ordered set only when the order is read. Jobs that
// come and go between two reads never touch the tree. The set read has
// exactly the entries inserted and not erased, so its order is the one a set
// kept at every insert would have.
//
// Entries are keyed by a dense id (a job index) given to resize(); their
// values must be distinct (e.g. include the id).
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "policies/reusing_set.h"

namespace fastgpu {

template <class T>
class DeferredSet {
 public:
  // Room for ids 0 .. n-1; drops every entry.
  void resize(std::size_t n) {
    set_ = {};
    pending_.clear();
    slot_.assign(n, Slot{});
  }

  bool contains(std::uint32_t id) const { return slot_[id].where != Where::none; }

  // Adds the entry of `id` (which has none).
  void insert(std::uint32_t id, const T& value) {
    Slot& s = slot_[id];
    s.where = Where::pending;
    s.pos = static_cast<std::uint32_t>(pending_.size());
    pending_.push_back({value, id});
  }

  // Removes the entry of `id`, if it has one.
  void erase(std::uint32_t id) {
    Slot& s = slot_[id];
    if (s.where == Where::ordered) {
      set_.erase(s.entry);
    } else if (s.where == Where::pending) {
      // Swap-remove: the last pending entry takes its place.
      slot_[pending_.back().second].pos = s.pos;
      pending_[s.pos] = pending_.back();
      pending_.pop_back();
    }
    s.where = Where::none;
  }

  // Every entry, in order.
  const std::set<T>& ordered() {
    for (const auto& [value, id] : pending_) {
      slot_[id].entry = set_.insert(value);
      slot_[id].where = Where::ordered;
    }
    pending_.clear();
    return set_.items();
  }

 private:
  enum class Where : std::uint8_t { none, pending, ordered };
  struct Slot {
    typename ReusingSet<T>::iterator entry{};  // when ordered
    std::uint32_t pos = 0;                     // index in pending_, when pending
    Where where = Where::none;
  };
  ReusingSet<T> set_;
  std::vector<std::pair<T, std::uint32_t>> pending_;  // (entry, id), unsorted
  std::vector<Slot> slot_;                            // per id
};

}  // namespace fastgpu

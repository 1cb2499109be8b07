#pragma once
// The engine's event queue: a binary heap ordered by (time, rank, sequence).
// Rank orders event classes at the same instant (finishes before arrivals);
// the sequence number makes ties between equal events deterministic.
#include <cstdint>
#include <queue>
#include <vector>

#include "sim/types.h"

namespace fastgpu {

enum class EventKind : std::uint8_t {
  finish = 0,        // a running job completes
  suspend_done = 1,  // a preempted job's checkpoint completed; GPUs freed
  arrival = 2,       // a job enters the queue (deferred by dependencies)
  timer = 3,         // a policy wake-up
  monitor = 4,       // a load sample and time-series row
};

struct Event {
  Seconds time = 0;
  EventKind kind = EventKind::finish;
  std::uint64_t seq = 0;
  JobIndex job = kNoJob;
  std::uint32_t version = 0;  // finish events: stale when the job's version moved on
  std::uint64_t tag = 0;      // timer tag

  // Rank of the event class; arrivals from the workload cursor use the same rank.
  std::uint8_t rank() const { return static_cast<std::uint8_t>(kind); }
};

struct EventLater {
  bool operator()(const Event& a, const Event& b) const {
    if (a.time != b.time) return a.time > b.time;
    if (a.kind != b.kind) return a.kind > b.kind;
    return a.seq > b.seq;
  }
};

class EventQueue {
 public:
  void push(Event e) {
    e.seq = next_seq_++;
    heap_.push(e);
  }
  bool empty() const { return heap_.empty(); }
  const Event& top() const { return heap_.top(); }
  Event pop() {
    Event e = heap_.top();
    heap_.pop();
    return e;
  }
  std::size_t size() const { return heap_.size(); }

 private:
  std::priority_queue<Event, std::vector<Event>, EventLater> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace fastgpu

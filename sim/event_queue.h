#pragma once
// The engine's event queue: a binary heap ordered by (time, rank, sequence).
// Rank orders event classes at the same instant (finishes before arrivals);
// the sequence number makes ties between equal events deterministic.
//
// Stored compactly (24 bytes an entry): the rank and the sequence number form
// one 64-bit key, and a finish event's job and version share a word with a
// timer's tag, so a sift moves three words. Event times are never negative,
// so (time, rank, sequence) compares as one 128-bit unsigned number: no
// branch on a floating-point comparison, whose outcome the processor cannot
// predict while it sifts.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "sim/error.h"
#include "sim/types.h"

namespace fastgpu {

enum class EventKind : std::uint8_t {
  finish = 0,        // a running job completes
  suspend_done = 1,  // a preempted job's checkpoint completed; GPUs freed
  arrival = 2,       // a job enters the queue (deferred by dependencies)
  timer = 3,         // a policy wake-up
  // Load samples are not queued: the engine holds its one next sample time
  // and takes it after every queued class at the same instant.
};

struct Event {
  Seconds time = 0;
  EventKind kind = EventKind::finish;
  JobIndex job = kNoJob;
  std::uint32_t version = 0;  // finish events: stale when the job's version moved on
  std::uint64_t tag = 0;      // timer tag

  // Rank of the event class; arrivals from the workload cursor use the same rank.
  std::uint8_t rank() const { return static_cast<std::uint8_t>(kind); }
};

class EventQueue {
 public:
  void push(const Event& e) {
    if (!(e.time >= 0)) throw InternalError("event queue: an event at a negative or NaN time");
    const std::uint64_t payload =
        e.kind == EventKind::timer ? e.tag : (std::uint64_t{e.version} << 32 | e.job);
    heap_.push_back(Entry{e.time, std::uint64_t{e.rank()} << kSeqBits | next_seq_++, payload});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  Seconds top_time() const { return heap_.front().time; }
  EventKind top_kind() const { return kind_of(heap_.front()); }
  Event top() const { return event_of(heap_.front()); }
  // The job of the top event (a finish, suspend_done or arrival).
  JobIndex top_job() const { return static_cast<JobIndex>(heap_.front().payload); }
  Event pop() {
    const Event e = event_of(heap_.front());
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) refill_top(last);
    return e;
  }

 private:
  static constexpr int kSeqBits = 61;  // the rank takes the top 3 bits of the order key
  struct Entry {
    Seconds time;
    std::uint64_t order;    // rank << kSeqBits | sequence number
    std::uint64_t payload;  // timer: tag; otherwise version << 32 | job
  };
  __extension__ using Key = unsigned __int128;
  // The bits of a double >= 0 (or -0, from a trace's "-0"), its sign bit
  // cleared, order as its value does, and -0 equals +0 as it does under ==;
  // the entry keeps the time itself, sign and all.
  static Key key(const Entry& e) {
    constexpr std::uint64_t kNotSign = ~(std::uint64_t{1} << 63);
    return Key{std::bit_cast<std::uint64_t>(e.time) & kNotSign} << 64 | e.order;
  }
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const { return key(a) > key(b); }
  };
  // The top's hole goes down along the earlier child to a leaf, then `last`
  // rises from there (as std::pop_heap does, so the same entries move). The
  // earlier child is picked by arithmetic on the comparison, not a branch. In a
  // heap of finish times which child is earlier is a coin toss, and the
  // mispredictions of that branch took a seventh of the event loop's own time.
  void refill_top(const Entry& last) {
    const std::size_t n = heap_.size();
    std::size_t hole = 0;
    for (std::size_t child = 1; child < n; child = 2 * hole + 1) {
      if (child + 1 < n) child += static_cast<std::size_t>(key(heap_[child + 1]) < key(heap_[child]));
      heap_[hole] = heap_[child];
      hole = child;
    }
    const Key rising = key(last);
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / 2;
      if (!(rising < key(heap_[parent]))) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = last;
  }
  static EventKind kind_of(const Entry& e) { return static_cast<EventKind>(e.order >> kSeqBits); }
  static Event event_of(const Entry& e) {
    Event out{.time = e.time, .kind = kind_of(e)};
    if (out.kind == EventKind::timer) {
      out.tag = e.payload;
    } else {
      out.job = static_cast<JobIndex>(e.payload);
      out.version = static_cast<std::uint32_t>(e.payload >> 32);
    }
    return out;
  }

  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace fastgpu

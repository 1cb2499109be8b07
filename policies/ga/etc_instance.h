#pragma once
// An expected-time-to-compute (ETC) instance: T tasks, M machines, the time
// each task takes on each machine, the time each machine becomes free, and for
// gang tasks the slots they may occupy. Times are stored as integer ticks
// (fixed point, `tick` time units each, tick a power of two) so that schedules
// computed on the CPU and on a GPU are exactly equal. Standard library only.
//
// Machines are numbered 0..M-1. A task of width w (GPUs it needs, default 1)
// placed on slot s occupies machines s .. s+w-1, starts when all of them are
// free and takes etc(t, s) on all of them. Each task has a list of allowed
// slots (its type constraints and gang alignment); by default width-1 tasks
// may use every machine and width-w tasks the aligned groups 0, w, 2w, ...
//
// Tasks are scheduled in index order on top of the ready times: builders put
// them in priority order.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "policies/ga/ga_math.h"

namespace fastgpu::ga {

struct EtcInstance {
  std::uint32_t tasks = 0;
  std::uint32_t machines = 0;
  double tick = 1.0;                        // time units per tick (a power of two)
  std::vector<Ticks> etc;                   // tasks x machines, task-major: etc[t * machines + s]
  std::vector<Ticks> ready;                 // per machine: when it becomes free (ticks from now)
  std::vector<std::uint32_t> width;         // per task: machines it occupies (gang size)
  std::vector<std::uint32_t> task_list;     // per task: which slot list it uses
  std::vector<std::uint32_t> list_offset;   // per list: offset into list_slots (lists + 1 entries)
  std::vector<std::uint32_t> list_slots;    // first machines of the allowed slots, per list

  Ticks etc_at(std::uint32_t t, std::uint32_t s) const { return etc[std::size_t(t) * machines + s]; }
  std::span<const std::uint32_t> slots(std::uint32_t t) const {
    std::uint32_t l = task_list[t];
    return {list_slots.data() + list_offset[l], list_slots.data() + list_offset[l + 1]};
  }
  bool all_width_one() const;
  double to_time(Ticks x) const { return static_cast<double>(x) * tick; }

  // Checks sizes, ranges and that every task has at least one slot; throws
  // std::invalid_argument describing the first problem.
  void validate() const;
};

// An instance in time units, before conversion to ticks.
struct EtcSpec {
  std::uint32_t tasks = 0, machines = 0;
  std::vector<double> etc;                  // tasks x machines, task-major, time units, finite >= 0
  std::vector<double> ready;                // per machine (empty = all 0), finite >= 0
  std::vector<std::uint32_t> width;         // per task (empty = all 1)
  // Optional allowed slots: slot_lists[k] lists first machines; task t uses
  // slot_lists[task_list[t]]. Empty = the default aligned slots for its width.
  std::vector<std::vector<std::uint32_t>> slot_lists;
  std::vector<std::uint32_t> task_list;
};

// Converts to ticks. The tick is the smallest power of two with which every
// possible completion time and the flowtime fit exactly in a double (2^52):
// bound = max ready + sum over tasks of their largest ETC, tick >= bound * T / 2^52.
// Throws std::invalid_argument on a malformed spec.
EtcInstance make_instance(const EtcSpec& spec);

// Convenience for the common case: width-1 tasks, every machine allowed.
EtcInstance make_instance(std::uint32_t tasks, std::uint32_t machines, std::vector<double> etc,
                          std::vector<double> ready = {});

// Machines each task's slot covers: [s, s + width).
FASTGPU_HD inline bool covers(std::uint32_t slot, std::uint32_t width, std::uint32_t machine) {
  return slot <= machine && machine < slot + width;
}

// True if every task is assigned one of its allowed slots.
bool valid_assignment(const EtcInstance& inst, std::span<const std::uint32_t> assignment);

}  // namespace fastgpu::ga

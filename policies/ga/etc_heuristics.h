#pragma once
// Classic mapping heuristics over an ETC instance (Min-Min, Max-Min,
// Sufferage, MCT, MET, least-loaded), used to seed the GA, as its reference, by
// `fastgpu solve` and by the online policies min-min, max-min, sufferage, mct
// and met. Standard library only. All respect each task's allowed slots and
// gang width, start from the machines' ready times, and break ties by the
// lowest task index, then the earliest slot in the task's slot list.
//
//   met        each task, in index order, to the slot with the least ETC
//              (ignores load).                                      O(T*M)
//   mct        each task, in index order, to the slot where it completes
//              first.                                               O(T*M)
//   olb        ("least-loaded") each task, in index order, to the slot that
//              is free first (ignores ETC).                         O(T*M)
//   min-min    repeatedly: among unmapped tasks take the one whose best
//              completion time is smallest, map it there.
//   max-min    same, but take the task whose best completion time is largest.
//   sufferage  repeatedly take the task that would suffer most if denied its
//              best slot (second-best minus best completion; a task with one
//              slot suffers most), map it to its best slot.
// The last three are the classic O(T^2*M) algorithms, computed incrementally:
// a placement only delays the machines it uses, so only tasks whose best (or
// second-best) slot touches them are re-scanned, O(T^2 + T*M*k) with k the
// re-scans, same result as the classic definition.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policies/ga/etc_instance.h"

namespace fastgpu::ga {

enum class Heuristic : std::uint8_t { min_min, max_min, sufferage, mct, met, olb };

struct HeuristicSchedule {
  std::vector<std::uint32_t> assignment;  // per task: first machine of its slot
  std::vector<std::uint32_t> sequence;    // tasks in the order they were mapped
  std::vector<Ticks> start, finish;       // per task, ticks from now
};

HeuristicSchedule run_heuristic(Heuristic h, const EtcInstance& inst);
inline HeuristicSchedule min_min(const EtcInstance& inst) { return run_heuristic(Heuristic::min_min, inst); }
inline HeuristicSchedule max_min(const EtcInstance& inst) { return run_heuristic(Heuristic::max_min, inst); }
inline HeuristicSchedule sufferage(const EtcInstance& inst) { return run_heuristic(Heuristic::sufferage, inst); }
inline HeuristicSchedule mct(const EtcInstance& inst) { return run_heuristic(Heuristic::mct, inst); }
inline HeuristicSchedule met(const EtcInstance& inst) { return run_heuristic(Heuristic::met, inst); }
inline HeuristicSchedule least_loaded(const EtcInstance& inst) { return run_heuristic(Heuristic::olb, inst); }

const char* to_string(Heuristic h);                                 // "min-min", ...
std::optional<Heuristic> parse_heuristic(std::string_view name);   // also accepts "least-loaded" for olb

}  // namespace fastgpu::ga

#include "policies/ga_warm_start.h"

#include <algorithm>
#include <stdexcept>

namespace fastgpu {

std::vector<std::uint32_t> warm_start_assignment(const ga::EtcInstance& inst,
                                                 std::span<const std::uint32_t> previous) {
  if (previous.size() != inst.tasks) throw std::invalid_argument("warm start: one previous slot per task expected");
  std::vector<ga::Ticks> free_at(inst.ready);  // as the decoder sees the machines, task by task
  std::vector<std::uint32_t> out(inst.tasks);
  for (std::uint32_t t = 0; t < inst.tasks; ++t) {
    const std::uint32_t w = inst.width[t];
    auto start_on = [&](std::uint32_t s) { return *std::max_element(free_at.begin() + s, free_at.begin() + s + w); };
    const std::span<const std::uint32_t> slots = inst.slots(t);
    std::uint32_t chosen = slots.front();
    if (previous[t] != kNoPreviousSlot && std::find(slots.begin(), slots.end(), previous[t]) != slots.end()) {
      chosen = previous[t];
    } else {
      ga::Ticks best = start_on(chosen) + inst.etc_at(t, chosen);
      for (std::uint32_t s : slots) {
        const ga::Ticks finish = start_on(s) + inst.etc_at(t, s);
        if (finish < best) best = finish, chosen = s;  // ties: the earliest slot in the list
      }
    }
    const ga::Ticks finish = start_on(chosen) + inst.etc_at(t, chosen);
    std::fill(free_at.begin() + chosen, free_at.begin() + chosen + w, finish);
    out[t] = chosen;
  }
  return out;
}

}  // namespace fastgpu

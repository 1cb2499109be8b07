#include "policies/ga/etc_instance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace fastgpu::ga {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("ETC instance: " + what); }

bool nonneg_finite(double x) { return std::isfinite(x) && x >= 0; }

}  // namespace

bool EtcInstance::all_width_one() const {
  return std::all_of(width.begin(), width.end(), [](std::uint32_t w) { return w == 1; });
}

void EtcInstance::validate() const {
  const std::size_t T = tasks, M = machines;
  if (M == 0) fail("no machines");
  if (etc.size() != T * M) fail("etc has " + std::to_string(etc.size()) + " entries, expected tasks x machines");
  if (ready.size() != M) fail("ready has the wrong size");
  if (width.size() != T || task_list.size() != T) fail("width/task_list have the wrong size");
  if (list_offset.empty() || list_offset.back() != list_slots.size()) fail("bad slot lists");
  if (!(tick > 0)) fail("tick must be positive");
  const std::size_t lists = list_offset.size() - 1;
  for (std::size_t l = 0; l < lists; ++l)
    if (list_offset[l] > list_offset[l + 1]) fail("bad slot lists");
  for (Ticks r : ready)
    if (r < 0) fail("negative ready time");
  for (Ticks e : etc)
    if (e < 0) fail("negative ETC");
  for (std::uint32_t t = 0; t < T; ++t) {
    if (task_list[t] >= lists) fail("task " + std::to_string(t) + " refers to a missing slot list");
    if (width[t] == 0 || width[t] > M) fail("task " + std::to_string(t) + " has width 0 or wider than the machines");
    auto s = slots(t);
    if (s.empty()) fail("task " + std::to_string(t) + " has no allowed slot");
    for (std::uint32_t first : s)
      if (std::size_t(first) + width[t] > M) fail("task " + std::to_string(t) + " has a slot past the last machine");
  }
}

EtcInstance make_instance(const EtcSpec& spec) {
  const std::size_t T = spec.tasks, M = spec.machines;
  if (M == 0) fail("no machines");
  if (spec.etc.size() != T * M) fail("etc has " + std::to_string(spec.etc.size()) + " values, expected " +
                                     std::to_string(T * M));
  if (!spec.ready.empty() && spec.ready.size() != M) fail("ready must have one value per machine");
  if (!spec.width.empty() && spec.width.size() != T) fail("width must have one value per task");
  if (!spec.task_list.empty() && spec.task_list.size() != T) fail("task_list must have one value per task");
  if (spec.slot_lists.empty() != spec.task_list.empty()) fail("slot_lists and task_list go together");

  // The tick: every completion time and the flowtime must stay below 2^52
  // ticks (exact in a double and in int64 sums); 2^51 leaves room for rounding.
  double max_ready = 0;
  for (double r : spec.ready) {
    if (!nonneg_finite(r)) fail("ready times must be finite and >= 0");
    max_ready = std::max(max_ready, r);
  }
  double bound = max_ready;
  for (std::size_t t = 0; t < T; ++t) {
    double row_max = 0;
    for (std::size_t m = 0; m < M; ++m) {
      double e = spec.etc[t * M + m];
      if (!nonneg_finite(e)) fail("task " + std::to_string(t) + " machine " + std::to_string(m) +
                                 ": ETC must be finite and >= 0");
      row_max = std::max(row_max, e);
    }
    bound += row_max;
  }
  EtcInstance inst;
  inst.tasks = spec.tasks;
  inst.machines = spec.machines;
  double need = bound * static_cast<double>(std::max<std::size_t>(T, 1)) / 2251799813685248.0;  // 2^51
  if (need > 0) {
    int e = 0;
    std::frexp(need, &e);
    inst.tick = std::ldexp(1.0, e);
  }
  inst.etc.resize(T * M);
  for (std::size_t i = 0; i < T * M; ++i) inst.etc[i] = std::llround(spec.etc[i] / inst.tick);
  inst.ready.assign(M, 0);
  for (std::size_t m = 0; m < spec.ready.size(); ++m) inst.ready[m] = std::llround(spec.ready[m] / inst.tick);

  inst.width = spec.width.empty() ? std::vector<std::uint32_t>(T, 1) : spec.width;
  inst.list_offset.push_back(0);
  if (!spec.slot_lists.empty()) {
    for (const auto& list : spec.slot_lists) {
      inst.list_slots.insert(inst.list_slots.end(), list.begin(), list.end());
      inst.list_offset.push_back(static_cast<std::uint32_t>(inst.list_slots.size()));
    }
    inst.task_list = spec.task_list;
  } else {
    // Default lists, one per distinct width: aligned groups 0, w, 2w, ...
    std::map<std::uint32_t, std::uint32_t> list_of_width;
    inst.task_list.resize(T);
    for (std::size_t t = 0; t < T; ++t) {
      std::uint32_t w = inst.width[t];
      if (w == 0 || w > M) fail("task " + std::to_string(t) + " needs " + std::to_string(w) + " machines of " +
                                std::to_string(M));
      auto [it, added] = list_of_width.emplace(w, static_cast<std::uint32_t>(list_of_width.size()));
      if (added) {
        for (std::uint32_t s = 0; std::size_t(s) + w <= M; s += w) inst.list_slots.push_back(s);
        inst.list_offset.push_back(static_cast<std::uint32_t>(inst.list_slots.size()));
      }
      inst.task_list[t] = it->second;
    }
  }
  inst.validate();
  return inst;
}

EtcInstance make_instance(std::uint32_t tasks, std::uint32_t machines, std::vector<double> etc,
                          std::vector<double> ready) {
  EtcSpec spec;
  spec.tasks = tasks;
  spec.machines = machines;
  spec.etc = std::move(etc);
  spec.ready = std::move(ready);
  return make_instance(spec);
}

bool valid_assignment(const EtcInstance& inst, std::span<const std::uint32_t> assignment) {
  if (assignment.size() != inst.tasks) return false;
  for (std::uint32_t t = 0; t < inst.tasks; ++t) {
    auto s = inst.slots(t);
    if (std::find(s.begin(), s.end(), assignment[t]) == s.end()) return false;
  }
  return true;
}

}  // namespace fastgpu::ga

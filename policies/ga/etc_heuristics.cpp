#include "policies/ga/etc_heuristics.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace fastgpu::ga {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr Ticks kInf = std::numeric_limits<Ticks>::max();

// Mutable machine state shared by all heuristics.
struct Mapper {
  const EtcInstance& inst;
  std::vector<Ticks> ready;
  HeuristicSchedule out;

  explicit Mapper(const EtcInstance& i) : inst(i), ready(i.ready) {
    inst.validate();
    out.assignment.assign(inst.tasks, kNone);
    out.start.assign(inst.tasks, 0);
    out.finish.assign(inst.tasks, 0);
    out.sequence.reserve(inst.tasks);
  }

  Ticks slot_start(std::uint32_t s, std::uint32_t w) const {
    Ticks start = ready[s];
    for (std::uint32_t m = s + 1; m < s + w; ++m) start = std::max(start, ready[m]);
    return start;
  }

  void place(std::uint32_t t, std::uint32_t s) {
    const std::uint32_t w = inst.width[t];
    const Ticks start = slot_start(s, w);
    const Ticks fin = start + inst.etc_at(t, s);
    for (std::uint32_t m = s; m < s + w; ++m) ready[m] = fin;
    out.assignment[t] = s;
    out.start[t] = start;
    out.finish[t] = fin;
    out.sequence.push_back(t);
  }
};

// Best and second-best completion of a task over its slots.
struct Choice {
  Ticks best_ct = kInf, second_ct = kInf;
  std::uint32_t best = kNone, second = kNone;  // slots (first machines)
};

Choice scan(const Mapper& mp, std::uint32_t t) {
  Choice c;
  const std::uint32_t w = mp.inst.width[t];
  for (std::uint32_t s : mp.inst.slots(t)) {
    Ticks ct = mp.slot_start(s, w) + mp.inst.etc_at(t, s);
    if (ct < c.best_ct) {
      c.second_ct = c.best_ct;
      c.second = c.best;
      c.best_ct = ct;
      c.best = s;
    } else if (ct < c.second_ct) {
      c.second_ct = ct;
      c.second = s;
    }
  }
  return c;
}

bool overlaps(std::uint32_t a, std::uint32_t wa, std::uint32_t b, std::uint32_t wb) {
  return a < b + wb && b < a + wa;
}

// One task at a time in index order, to the slot minimising key(slot).
template <class Key>
HeuristicSchedule immediate(const EtcInstance& inst, Key key) {
  Mapper mp(inst);
  for (std::uint32_t t = 0; t < inst.tasks; ++t) {
    std::uint32_t best = kNone;
    Ticks best_key = kInf;
    for (std::uint32_t s : inst.slots(t)) {
      Ticks k = key(mp, t, s);
      if (best == kNone || k < best_key) {
        best_key = k;
        best = s;
      }
    }
    mp.place(t, best);
  }
  return std::move(mp.out);
}

// Min-Min, Max-Min and Sufferage: batch-mode, one placement per iteration.
HeuristicSchedule batch(const EtcInstance& inst, Heuristic h) {
  Mapper mp(inst);
  const std::uint32_t T = inst.tasks;
  std::vector<Choice> choice(T);
  std::vector<std::uint32_t> remaining(T);
  for (std::uint32_t t = 0; t < T; ++t) {
    remaining[t] = t;
    choice[t] = scan(mp, t);
  }
  const bool use_second = h == Heuristic::sufferage;
  while (!remaining.empty()) {
    // Pick by the heuristic's key; ties -> lowest task index (explicit, so
    // the order of `remaining` does not matter).
    std::size_t pick = 0;
    auto key = [&](std::uint32_t t) -> Ticks {
      const Choice& c = choice[t];
      switch (h) {
        case Heuristic::min_min: return c.best_ct;
        case Heuristic::max_min: return -c.best_ct;
        default: return c.second == kNone ? std::numeric_limits<Ticks>::min() : -(c.second_ct - c.best_ct);
      }
    };
    Ticks pick_key = key(remaining[0]);
    for (std::size_t i = 1; i < remaining.size(); ++i) {
      const std::uint32_t t = remaining[i];
      const Ticks k = key(t);
      if (k < pick_key || (k == pick_key && t < remaining[pick])) {
        pick = i;
        pick_key = k;
      }
    }
    const std::uint32_t t = remaining[pick];
    const std::uint32_t s = choice[t].best;
    const std::uint32_t w = inst.width[t];
    mp.place(t, s);
    remaining[pick] = remaining.back();
    remaining.pop_back();
    // Only slots touching [s, s+w) got later; re-scan the tasks whose best
    // (or, for sufferage, second-best) slot is among them.
    for (std::uint32_t u : remaining) {
      const Choice& c = choice[u];
      const std::uint32_t wu = inst.width[u];
      if (overlaps(c.best, wu, s, w) || (use_second && c.second != kNone && overlaps(c.second, wu, s, w)))
        choice[u] = scan(mp, u);
    }
  }
  return std::move(mp.out);
}

}  // namespace

HeuristicSchedule run_heuristic(Heuristic h, const EtcInstance& inst) {
  switch (h) {
    case Heuristic::met:
      return immediate(inst, [](const Mapper& mp, std::uint32_t t, std::uint32_t s) { return mp.inst.etc_at(t, s); });
    case Heuristic::mct:
      return immediate(inst, [](const Mapper& mp, std::uint32_t t, std::uint32_t s) {
        return mp.slot_start(s, mp.inst.width[t]) + mp.inst.etc_at(t, s);
      });
    case Heuristic::olb:
      return immediate(inst, [](const Mapper& mp, std::uint32_t t, std::uint32_t s) {
        return mp.slot_start(s, mp.inst.width[t]);
      });
    case Heuristic::min_min:
    case Heuristic::max_min:
    case Heuristic::sufferage:
      return batch(inst, h);
  }
  throw std::invalid_argument("unknown heuristic");
}

const char* to_string(Heuristic h) {
  switch (h) {
    case Heuristic::min_min: return "min-min";
    case Heuristic::max_min: return "max-min";
    case Heuristic::sufferage: return "sufferage";
    case Heuristic::mct: return "mct";
    case Heuristic::met: return "met";
    case Heuristic::olb: return "olb";
  }
  return "?";
}

std::optional<Heuristic> parse_heuristic(std::string_view name) {
  if (name == "min-min") return Heuristic::min_min;
  if (name == "max-min") return Heuristic::max_min;
  if (name == "sufferage") return Heuristic::sufferage;
  if (name == "mct") return Heuristic::mct;
  if (name == "met") return Heuristic::met;
  if (name == "olb" || name == "least-loaded") return Heuristic::olb;
  return std::nullopt;
}

}  // namespace fastgpu::ga

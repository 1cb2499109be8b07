#pragma once
// The GA's per-individual work written for one warp (32 lanes) per
// individual: the CUDA backend's kernels call these with a warp of real lanes;
// the tests call them with an emulated warp (32 host threads) to check, without
// a GPU, that they compute exactly what the CPU backend computes.
//
// W provides: lane(), sync(), shfl(v, src), shfl_down(v, d), shfl_xor(v, m),
// ballot(p), match_any(v), any(p) with CUDA's full-warp semantics.
//
// Decoding takes tasks 32 at a time. When all 32 have width 1, lane i's task
// completes at ready[s] + (ETC of the tasks in the block on the same machine up
// to and including i), the peers being found with match_any; the last peer
// writes ready[s]. These are integer sums, so the completion times equal the
// sequential decode exactly. A block with a gang task is decoded by lane 0
// sequentially. Floating-point sums use the block-of-32 tree of ga_math.h.
#include <cstdint>

#include "policies/ga/ga_internal.h"
#include "policies/ga/ga_math.h"
#include "policies/ga/local_search.h"

#if defined(__CUDACC__)
#define FASTGPU_WARP_FN __device__
#else
#define FASTGPU_WARP_FN inline
#endif

namespace fastgpu::ga::warp {

// Per-warp scratch: ready[M], busy[M], fin[32].
struct Scratch {
  Ticks* ready;
  Ticks* busy;
  Ticks* fin;
};

inline constexpr Ticks kMaxTicks = 0x7fffffffffffffffLL;

template <class W>
FASTGPU_WARP_FN Ticks reduce_max(W& w, Ticks v) {
  for (unsigned d = 16; d > 0; d >>= 1) {
    Ticks o = w.shfl_xor(v, d);
    v = o > v ? o : v;
  }
  return v;
}

template <class W>
FASTGPU_WARP_FN Ticks reduce_sum(W& w, Ticks v) {
  for (unsigned d = 16; d > 0; d >>= 1) v += w.shfl_xor(v, d);
  return v;
}

// The tree of tree_sum32 (lane i adds lane i + d), result broadcast from lane 0.
template <class W>
FASTGPU_WARP_FN double tree_sum(W& w, double v) {
  for (unsigned d = 16; d > 0; d >>= 1) {
    double o = w.shfl_down(v, d);
    v = v + o;
  }
  return w.shfl(v, 0);
}

// Lexicographic arg-reductions: exact, so the reduction order does not matter.
template <class W>
FASTGPU_WARP_FN void argmax_first(W& w, Ticks& value, std::uint32_t& index) {
  for (unsigned d = 16; d > 0; d >>= 1) {
    Ticks ov = w.shfl_xor(value, d);
    std::uint32_t oi = w.shfl_xor(index, d);
    if (ov > value || (ov == value && oi < index)) {
      value = ov;
      index = oi;
    }
  }
}
template <class W>
FASTGPU_WARP_FN void argmin_first(W& w, Ticks& value, std::uint32_t& index) {
  for (unsigned d = 16; d > 0; d >>= 1) {
    Ticks ov = w.shfl_xor(value, d);
    std::uint32_t oi = w.shfl_xor(index, d);
    if (ov < value || (ov == value && oi < index)) {
      value = ov;
      index = oi;
    }
  }
}

// List-schedules `genes` from the instance's ready times into sc.ready (and,
// with track_busy, sc.busy). After each block of 32 tasks, every lane calls
// on_block(t, s, fin, active) for its task.
template <class W, class OnBlock>
FASTGPU_WARP_FN void decode(W& w, const InstanceView& I, const std::uint32_t* genes, Scratch sc, bool track_busy,
                            OnBlock&& on_block) {
  const unsigned lane = w.lane();
  for (std::uint32_t m = lane; m < I.M; m += 32) {
    sc.ready[m] = I.ready[m];
    if (track_busy) sc.busy[m] = I.ready[m];
  }
  w.sync();
  for (std::uint32_t base = 0; base < I.T; base += 32) {
    const std::uint32_t t = base + lane;
    const bool active = t < I.T;
    const std::uint32_t s = active ? genes[t] : 0xFFFFFFFFu;
    const std::uint32_t wd = active ? I.width[t] : 1u;
    const Ticks e = active ? I.etc[static_cast<std::uint64_t>(t) * I.M + s] : 0;
    Ticks fin = 0;
    if (w.any(wd != 1u)) {
      if (lane == 0) {
        const std::uint32_t n = I.T - base < 32 ? I.T - base : 32;
        for (std::uint32_t j = 0; j < n; ++j) {
          const std::uint32_t tt = base + j;
          const std::uint32_t ss = genes[tt];
          const std::uint32_t ww = I.width[tt];
          const Ticks ee = I.etc[static_cast<std::uint64_t>(tt) * I.M + ss];
          Ticks start = sc.ready[ss];
          for (std::uint32_t m = ss + 1; m < ss + ww; ++m) start = sc.ready[m] > start ? sc.ready[m] : start;
          for (std::uint32_t m = ss; m < ss + ww; ++m) {
            sc.ready[m] = start + ee;
            if (track_busy) sc.busy[m] += ee;
          }
          sc.fin[j] = start + ee;
        }
      }
      w.sync();
      fin = active ? sc.fin[lane] : 0;
      w.sync();
    } else {
      const std::uint32_t peers = w.match_any(s);
      Ticks prefix = 0;
      for (unsigned j = 0; j < 32; ++j) {
        const Ticks ej = w.shfl(e, static_cast<int>(j));
        if (((peers >> j) & 1u) && j <= lane) prefix += ej;
      }
      if (active) fin = sc.ready[s] + prefix;
      w.sync();
      if (active && (peers >> lane) == 1u) {  // the last peer writes the machine
        sc.ready[s] = fin;
        if (track_busy) sc.busy[s] += prefix;
      }
      w.sync();
    }
    on_block(t, s, fin, active);
  }
}

// Scores `genes`; every lane gets the result.
template <class W>
FASTGPU_WARP_FN void evaluate(W& w, const InstanceView& I, const GaConfig& cfg, const std::uint32_t* genes,
                              Scratch sc, Ticks& makespan, Ticks& flowtime, double& F, double& L, double& cost) {
  const unsigned lane = w.lane();
  Ticks flow = 0;
  decode(w, I, genes, sc, true, [&](std::uint32_t, std::uint32_t, Ticks fin, bool) { flow += fin; });
  flowtime = reduce_sum(w, flow);
  Ticks mk = 0;
  for (std::uint32_t m = lane; m < I.M; m += 32) mk = sc.ready[m] > mk ? sc.ready[m] : mk;
  mk = reduce_max(w, mk);
  makespan = mk;

  const double n = static_cast<double>(I.M);
  double sum = 0.0;
  for (std::uint32_t base = 0; base < I.M; base += 32) {
    const std::uint32_t m = base + lane;
    const double l = m < I.M ? machine_load(sc.busy[m], mk) : 0.0;
    const double block = tree_sum(w, l);
    sum = sum + block;
  }
  const double mean = sum / n;
  double dev = 0.0;
  for (std::uint32_t base = 0; base < I.M; base += 32) {
    const std::uint32_t m = base + lane;
    double term = 0.0;
    if (m < I.M) {
      const double d = machine_load(sc.busy[m], mk) - mean;
      term = d * d;
    }
    const double block = tree_sum(w, term);
    dev = dev + block;
  }
  L = dev / n;

  double f_sum = 0.0;
  if (cfg.want_F && I.T > 0) {
    decode(w, I, genes, sc, false, [&](std::uint32_t, std::uint32_t s, Ticks fin, bool active) {
      const double term = active ? responsiveness_term(fin, machine_load(sc.busy[s], mk), cfg.cost) : 0.0;
      const double block = tree_sum(w, term);
      f_sum = f_sum + block;
    });
  }
  F = f_sum;
  cost = combine_cost(cfg.cost, makespan, flowtime, cfg.cost.w_F != 0 ? F : 0.0, L);
}

// The load-aware move on a decoded child (sc.ready valid): take the r-th task
// (in index order) covering the machine that finishes last (lowest index on a
// tie) and move it to its slot with the earliest estimated completion (first
// in its slot list on a tie), if that is earlier than the makespan.
template <class W>
FASTGPU_WARP_FN bool load_move(W& w, const InstanceView& I, std::uint32_t* child, Scratch sc, std::uint32_t r) {
  const unsigned lane = w.lane();
  Ticks hot_v = -1;
  std::uint32_t hot = 0xFFFFFFFFu;
  for (std::uint32_t m = lane; m < I.M; m += 32)
    if (sc.ready[m] > hot_v) {
      hot_v = sc.ready[m];
      hot = m;
    }
  argmax_first(w, hot_v, hot);

  std::uint32_t count = 0;
  for (std::uint32_t base = 0; base < I.T; base += 32) {
    const std::uint32_t t = base + lane;
    const bool c = t < I.T && covers(child[t], I.width[t], hot);
    count += popcount32(w.ballot(c));
  }
  if (count == 0) return false;
  std::uint32_t rr = uniform_index(r, count);
  std::uint32_t task = 0;
  for (std::uint32_t base = 0; base < I.T; base += 32) {
    const std::uint32_t t = base + lane;
    const bool c = t < I.T && covers(child[t], I.width[t], hot);
    const std::uint32_t b = w.ballot(c);
    const unsigned nb = popcount32(b);
    if (rr < nb) {
      task = base + nth_set_bit(b, rr);
      break;
    }
    rr -= nb;
  }

  const std::uint32_t s0 = child[task];
  const std::uint32_t wd = I.width[task];
  const std::uint32_t list = I.task_list[task];
  const std::uint32_t off = I.list_offset[list];
  const std::uint32_t cnt = I.list_offset[list + 1] - off;
  Ticks best = kMaxTicks;
  std::uint32_t best_p = 0xFFFFFFFFu;
  for (std::uint32_t p = lane; p < cnt; p += 32) {
    const std::uint32_t s = I.list_slots[off + p];
    if (s == s0) continue;
    Ticks start = sc.ready[s];
    for (std::uint32_t m = s + 1; m < s + wd; ++m) start = sc.ready[m] > start ? sc.ready[m] : start;
    const Ticks est = start + I.etc[static_cast<std::uint64_t>(task) * I.M + s];
    if (est < best) {
      best = est;
      best_p = p;
    }
  }
  argmin_first(w, best, best_p);
  if (best_p == 0xFFFFFFFFu || !(best < hot_v)) return false;
  w.sync();
  if (lane == 0) child[task] = I.list_slots[off + best_p];
  w.sync();
  return true;
}

// Individual k of generation g (k >= E): selection, crossover, mutation,
// load-aware move, evaluation. Reads `old`, writes individual k of `next`.
template <class W>
FASTGPU_WARP_FN void breed(W& w, const InstanceView& I, const GaConfig& cfg, PopView old, PopView next,
                           std::uint32_t k, std::uint32_t g, Scratch sc) {
  const unsigned lane = w.lane();
  const std::uint32_t T = I.T;
  const Parents par = select_parents(cfg, old.cost, k, g);
  const std::uint32_t p1 = par.p1, p2 = par.p2;
  const std::uint32_t* a = old.genes + static_cast<std::uint64_t>(p1) * T;
  const std::uint32_t* b = old.genes + static_cast<std::uint64_t>(p2) * T;
  std::uint32_t* child = next.genes + static_cast<std::uint64_t>(k) * T;

  const CrossoverPlan plan = plan_crossover(cfg, T, k, g);
  for (std::uint32_t t = lane; t < T; t += 32) {
    std::uint32_t v = a[t];
    if (plan.kind == kUniform) {
      if (mask_bit(cfg.key, k, g, t)) v = b[t];
    } else if (plan.kind == kOnePoint) {
      if (t >= plan.cut) v = b[t];
    }
    child[t] = v;
  }
  w.sync();

  Draws mu(cfg.key, k, g, kStreamMutate);
  if (chance(mu.next(), cfg.mutation_threshold)) {
    const std::uint32_t n = 1 + uniform_index(mu.next(), cfg.mutation_genes);
    for (std::uint32_t j = 0; j < n; ++j) {
      const std::uint32_t t = uniform_index(mu.next(), T);
      const std::uint32_t list = I.task_list[t];
      const std::uint32_t off = I.list_offset[list];
      const std::uint32_t v = I.list_slots[off + uniform_index(mu.next(), I.list_offset[list + 1] - off)];
      if (lane == 0) child[t] = v;
    }
    w.sync();
  }

  Draws lm(cfg.key, k, g, kStreamLoadMove);
  const std::uint32_t l0 = lm.next(), l1 = lm.next();
  Ticks mk, flow;
  double F, L, cost;
  if (chance(l0, cfg.move_threshold)) {
    // Decode once to find the machine that finishes last.
    decode(w, I, child, sc, false, [](std::uint32_t, std::uint32_t, Ticks, bool) {});
    load_move(w, I, child, sc, l1);
  }
  if (cfg.ls_steps > 0) {
    // The descent is sequential (each step depends on the last): lane 0 runs
    // it on sc.ready as the machine loads.
    w.sync();
    if (lane == 0) {
      machine_loads(I, child, sc.ready);
      local_search(I, child, sc.ready, cfg.ls_steps, cfg.ejection_chains);
    }
    w.sync();
  }
  evaluate(w, I, cfg, child, sc, mk, flow, F, L, cost);
  if (cfg.replace_if_better && cost > old.cost[k]) {  // keep individual k
    const std::uint32_t* from = old.genes + static_cast<std::uint64_t>(k) * T;
    w.sync();
    for (std::uint32_t t = lane; t < T; t += 32) child[t] = from[t];
    if (lane == 0) {
      next.cost[k] = old.cost[k];
      next.makespan[k] = old.makespan[k];
      next.flowtime[k] = old.flowtime[k];
      next.F[k] = old.F[k];
      next.L[k] = old.L[k];
    }
    w.sync();
    return;
  }
  if (lane == 0) {
    next.cost[k] = cost;
    next.makespan[k] = mk;
    next.flowtime[k] = flow;
    next.F[k] = F;
    next.L[k] = L;
  }
}

// Individual k < E of the next generation: a copy of elite k.
template <class W>
FASTGPU_WARP_FN void copy_elite(W& w, std::uint32_t T, PopView old, PopView next, std::uint32_t src, std::uint32_t k) {
  const unsigned lane = w.lane();
  const std::uint32_t* from = old.genes + static_cast<std::uint64_t>(src) * T;
  std::uint32_t* to = next.genes + static_cast<std::uint64_t>(k) * T;
  for (std::uint32_t t = lane; t < T; t += 32) to[t] = from[t];
  if (lane == 0) {
    next.cost[k] = old.cost[src];
    next.makespan[k] = old.makespan[src];
    next.flowtime[k] = old.flowtime[src];
    next.F[k] = old.F[src];
    next.L[k] = old.L[src];
  }
}

}  // namespace fastgpu::ga::warp

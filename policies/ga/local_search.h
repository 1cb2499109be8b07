#pragma once
// The memetic GA's local search, compiled by g++ and nvcc alike (the CPU
// backend calls it per child, the CUDA backend from one lane of the child's
// warp). It improves an assignment of width-1 tasks, each allowed on every
// machine, whose machine loads (ready time + ETC of the tasks there, in ticks)
// are given. Each step looks only at the machine that finishes last (lowest
// index on a tie), `hot`, with makespan C = load[hot]:
//   1. move: the best reassignment of one task t from hot to another machine m,
//      scored max(load[hot] - etc(t,hot), load[m] + etc(t,m));
//   2. only if no move qualifies, swap: the best exchange of a task t on hot
//      with a task u on another machine m, scored
//      max(load[hot] - etc(t,hot) + etc(u,hot), load[m] - etc(u,m) + etc(t,m)).
// A candidate qualifies when its score is below C (so hot gets lighter and the
// other machine stays below C); the lowest score wins, ties going to the first
// in task, then machine order. The loads are updated incrementally. It stops
// after `max_steps` steps or at a local optimum of both neighbourhoods
// (variable neighbourhood descent). Integer arithmetic only, so every backend
// takes the same steps.
//
// With `ejection_chains` (the memetic GA), a third neighbourhood is tried
// when neither a move nor a swap qualifies:
//   3. chain: move a task t from hot to m1 and, to make room, a task u from
//      m1 to m2 (m2 not hot, not m1), scored
//      max(load[hot] - etc(t,hot), load[m1] + etc(t,m1) - etc(u,m1), load[m2] + etc(u,m2)).
// Ties go to the first u, then the first t (m2: the first machine that gives
// u's lowest load). A swap is the chain's special case m2 = hot; the chain reaches the local
// optima where hot's tasks fit on a machine only after that machine hands a
// task to a third one, which is where move/swap descents stall on the
// consistent classes. The ILS baseline keeps the plain move/swap descent.
#include <cstdint>

#include "policies/ga/ga_internal.h"

namespace fastgpu::ga {

// Returns the number of steps taken.
FASTGPU_HD inline std::uint32_t local_search(const InstanceView& I, std::uint32_t* genes, Ticks* load,
                                             std::uint32_t max_steps, bool ejection_chains = false) {
  const std::uint32_t T = I.T, M = I.M;
  if (M < 2) return 0;
  std::uint32_t steps = 0;
  for (; steps < max_steps; ++steps) {
    std::uint32_t hot = 0;
    for (std::uint32_t m = 1; m < M; ++m)
      if (load[m] > load[hot]) hot = m;
    const Ticks cmax = load[hot];
    Ticks best = cmax;
    std::uint32_t bt = 0xFFFFFFFFu, bm = 0, bu = 0xFFFFFFFFu;
    for (std::uint32_t t = 0; t < T; ++t) {
      if (genes[t] != hot) continue;
      const Ticks* row = I.etc + static_cast<std::uint64_t>(t) * M;
      const Ticks lighter = cmax - row[hot];
      for (std::uint32_t m = 0; m < M; ++m) {
        if (m == hot) continue;
        const Ticks other = load[m] + row[m];
        const Ticks score = other > lighter ? other : lighter;
        if (score < best) {
          best = score;
          bt = t;
          bm = m;
        }
      }
    }
    if (bt == 0xFFFFFFFFu) {
      for (std::uint32_t t = 0; t < T; ++t) {
        if (genes[t] != hot) continue;
        const Ticks* row_t = I.etc + static_cast<std::uint64_t>(t) * M;
        const Ticks lighter = cmax - row_t[hot];
        for (std::uint32_t u = 0; u < T; ++u) {
          const std::uint32_t m = genes[u];
          if (m == hot) continue;
          const Ticks* row_u = I.etc + static_cast<std::uint64_t>(u) * M;
          const Ticks h = lighter + row_u[hot];
          const Ticks other = load[m] - row_u[m] + row_t[m];
          const Ticks score = other > h ? other : h;
          if (score < best) {
            best = score;
            bt = t;
            bm = m;
            bu = u;
          }
        }
      }
    }
    std::uint32_t bm2 = 0xFFFFFFFFu;
    if (bt == 0xFFFFFFFFu && ejection_chains) {
      // For each u off hot, its best m2 first: a chain can qualify only if
      // u fits below the best score there, which few tasks do near a local
      // optimum, so the scan of hot's tasks runs for few u.
      for (std::uint32_t u = 0; u < T; ++u) {
        const std::uint32_t m1 = genes[u];
        if (m1 == hot) continue;
        const Ticks* row_u = I.etc + static_cast<std::uint64_t>(u) * M;
        Ticks third = best;
        std::uint32_t m2 = 0xFFFFFFFFu;
        for (std::uint32_t m = 0; m < M; ++m) {
          if (m == hot || m == m1) continue;
          if (load[m] + row_u[m] < third) {
            third = load[m] + row_u[m];
            m2 = m;
          }
        }
        if (m2 == 0xFFFFFFFFu) continue;
        const Ticks freed = load[m1] - row_u[m1];
        for (std::uint32_t t = 0; t < T; ++t) {
          if (genes[t] != hot) continue;
          const Ticks* row_t = I.etc + static_cast<std::uint64_t>(t) * M;
          const Ticks lighter = cmax - row_t[hot];
          const Ticks mid = freed + row_t[m1];
          Ticks score = mid > lighter ? mid : lighter;
          if (third > score) score = third;
          if (score < best) {
            best = score;
            bt = t;
            bm = m1;
            bu = u;
            bm2 = m2;
          }
        }
      }
    }
    if (bt == 0xFFFFFFFFu) break;
    // t goes hot -> bm; u (a swap or a chain) bm -> hot, or bm -> bm2 in a chain.
    const Ticks* row_t = I.etc + static_cast<std::uint64_t>(bt) * M;
    load[hot] -= row_t[hot];
    load[bm] += row_t[bm];
    genes[bt] = bm;
    if (bu != 0xFFFFFFFFu) {
      const std::uint32_t to = bm2 != 0xFFFFFFFFu ? bm2 : hot;
      const Ticks* row_u = I.etc + static_cast<std::uint64_t>(bu) * M;
      load[bm] -= row_u[bm];
      load[to] += row_u[to];
      genes[bu] = to;
    }
  }
  return steps;
}

// Machine loads of an assignment of width-1 tasks: ready + ETC of its tasks.
FASTGPU_HD inline void machine_loads(const InstanceView& I, const std::uint32_t* genes, Ticks* load) {
  for (std::uint32_t m = 0; m < I.M; ++m) load[m] = I.ready[m];
  for (std::uint32_t t = 0; t < I.T; ++t) load[genes[t]] += I.etc[static_cast<std::uint64_t>(t) * I.M + genes[t]];
}

}  // namespace fastgpu::ga

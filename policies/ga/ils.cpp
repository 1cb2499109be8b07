#include "policies/ga/ils.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <stdexcept>

#include "policies/ga/etc_heuristics.h"
#include "policies/ga/ga_internal.h"
#include "policies/ga/local_search.h"

namespace fastgpu::ga {

IlsResult run_ils(const EtcInstance& inst, const IlsParams& params) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  auto cpu_seconds = [&] { return static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC; };
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  inst.validate();
  for (std::uint32_t t = 0; t < inst.tasks; ++t)
    if (inst.width[t] != 1 || inst.slots(t).size() != inst.machines)
      throw std::invalid_argument("iterated local search: every task must have width 1 and be allowed on every machine");
  if (params.max_kick < 1) throw std::invalid_argument("iterated local search: max_kick must be at least 1");

  const InstanceView I = view_of(inst);
  const std::uint32_t T = inst.tasks, M = inst.machines;
  IlsResult out;
  if (!params.start.empty() && !valid_assignment(inst, params.start))
    throw std::invalid_argument("iterated local search: the start schedule must give every task a machine");
  std::vector<std::uint32_t> best = params.start.empty() ? min_min(inst).assignment : params.start, cur(T);
  std::vector<Ticks> load(M);
  auto makespan = [&] { return M == 0 ? Ticks{0} : *std::max_element(load.begin(), load.end()); };
  machine_loads(I, best.data(), load.data());
  local_search(I, best.data(), load.data(), params.descent_steps, params.ejection_chains);
  Ticks best_mk = makespan();
  out.improvements.push_back({0, seconds(), best_mk});
  const PhiloxKey key = philox_key(params.seed);
  std::uint32_t it = 1;
  for (; it <= params.iterations && T > 0 && M > 1; ++it) {
    if ((it & 15u) == 0 && ((params.time_limit_seconds > 0 && seconds() >= params.time_limit_seconds) ||
                            (params.cpu_time_limit_seconds > 0 && cpu_seconds() >= params.cpu_time_limit_seconds)))
      break;
    cur = best;
    Draws d(key, 0, it, kStreamMutate);
    const std::uint32_t n = 1 + uniform_index(d.next(), params.max_kick);
    for (std::uint32_t j = 0; j < n; ++j) {
      const std::uint32_t t = uniform_index(d.next(), T);
      cur[t] = uniform_index(d.next(), M);
    }
    machine_loads(I, cur.data(), load.data());
    local_search(I, cur.data(), load.data(), params.descent_steps, params.ejection_chains);
    const Ticks mk = makespan();
    if (mk <= best_mk) {
      if (mk < best_mk) out.improvements.push_back({it, seconds(), mk});
      best_mk = mk;
      best.swap(cur);
    }
  }
  out.iterations = it - 1;
  out.assignment = std::move(best);
  out.makespan = best_mk;
  out.seconds = seconds();
  return out;
}

}  // namespace fastgpu::ga

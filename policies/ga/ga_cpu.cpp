// The CPU backend: individuals of a generation are bred and scored in
// parallel by a fixed pool of threads, each taking a fixed contiguous range of
// individuals. An individual's result depends only on the previous generation
// and on its own random streams, so the thread count never changes the answer.
#include <algorithm>
#include <barrier>
#include <chrono>
#include <ctime>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "policies/ga/ga_internal.h"
#include "policies/ga/local_search.h"

namespace fastgpu::ga {

namespace {

// Persistent workers; run(fn) calls fn(worker) on every worker (the caller is
// worker 0) and returns when all are done.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned n) : n_(n), start_(n), done_(n) {
    for (unsigned w = 1; w < n_; ++w) threads_.emplace_back([this, w] { loop(w); });
  }
  ~WorkerPool() {
    stop_ = true;
    if (n_ > 1) start_.arrive_and_wait();
    for (auto& t : threads_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return n_; }
  void run(const std::function<void(unsigned)>& fn) {
    fn_ = &fn;
    if (n_ > 1) start_.arrive_and_wait();
    fn(0);
    if (n_ > 1) done_.arrive_and_wait();
  }

 private:
  void loop(unsigned w) {
    for (;;) {
      start_.arrive_and_wait();
      if (stop_) return;
      (*fn_)(w);
      done_.arrive_and_wait();
    }
  }
  unsigned n_;
  std::barrier<> start_, done_;
  const std::function<void(unsigned)>* fn_ = nullptr;
  bool stop_ = false;  // written before start_ is passed, read after it
  std::vector<std::thread> threads_;
};

struct Population {
  std::vector<std::uint32_t> genes;
  std::vector<double> cost, F, L;
  std::vector<Ticks> makespan, flowtime;
  Population(std::uint32_t P, std::uint32_t T)
      : genes(std::size_t(P) * T), cost(P), F(P), L(P), makespan(P), flowtime(P) {}
  PopView view() { return {genes.data(), cost.data(), makespan.data(), flowtime.data(), F.data(), L.data()}; }
  void store(std::uint32_t k, const Fitness& f) {
    cost[k] = f.cost;
    makespan[k] = f.makespan;
    flowtime[k] = f.flowtime;
    F[k] = f.F;
    L[k] = f.L;
  }
};

// The load-aware move (same rule as warp::load_move) on a decoded child.
bool load_move(const EtcInstance& inst, std::uint32_t* child, std::span<const Ticks> ready, std::uint32_t r) {
  const std::uint32_t M = inst.machines, T = inst.tasks;
  std::uint32_t hot = 0;
  for (std::uint32_t m = 1; m < M; ++m)
    if (ready[m] > ready[hot]) hot = m;
  std::uint32_t count = 0;
  for (std::uint32_t t = 0; t < T; ++t) count += covers(child[t], inst.width[t], hot) ? 1u : 0u;
  if (count == 0) return false;
  std::uint32_t rr = uniform_index(r, count);
  std::uint32_t task = 0;
  for (std::uint32_t t = 0; t < T; ++t)
    if (covers(child[t], inst.width[t], hot) && rr-- == 0) {
      task = t;
      break;
    }
  const std::uint32_t s0 = child[task], w = inst.width[task];
  auto slots = inst.slots(task);
  Ticks best = 0;
  std::uint32_t best_s = 0;
  bool found = false;
  for (std::uint32_t s : slots) {
    if (s == s0) continue;
    Ticks start = ready[s];
    for (std::uint32_t m = s + 1; m < s + w; ++m) start = std::max(start, ready[m]);
    const Ticks est = start + inst.etc_at(task, s);
    if (!found || est < best) {
      found = true;
      best = est;
      best_s = s;
    }
  }
  if (!found || !(best < ready[hot])) return false;
  child[task] = best_s;
  return true;
}

}  // namespace

Fitness breed_cpu(const EtcInstance& inst, const GaConfig& cfg, const std::uint32_t* old_genes,
                  const double* old_cost, std::uint32_t* child, std::uint32_t k, std::uint32_t g, Evaluator& ev) {
  const std::uint32_t T = inst.tasks;
  const auto [p1, p2] = select_parents(cfg, old_cost, k, g);
  const std::uint32_t* a = old_genes + std::size_t(p1) * T;
  const std::uint32_t* b = old_genes + std::size_t(p2) * T;

  const CrossoverPlan plan = plan_crossover(cfg, T, k, g);
  if (plan.kind == kUniform) {
    // One Philox block gives the mask bits of 128 genes (see mask_bit).
    for (std::uint32_t base = 0; base < T; base += 128) {
      const PhiloxBlock bits = philox_block(cfg.key, k, g, kStreamMask, base >> 7);
      const std::uint32_t end = std::min(T, base + 128);
      for (std::uint32_t t = base; t < end; ++t)
        child[t] = ((bits.v[(t >> 5) & 3u] >> (t & 31u)) & 1u) ? b[t] : a[t];
    }
  } else if (plan.kind == kOnePoint) {
    const std::uint32_t cut = std::min(plan.cut, T);
    std::copy(a, a + cut, child);
    std::copy(b + cut, b + T, child + cut);
  } else {
    std::copy(a, a + T, child);
  }

  Draws mu(cfg.key, k, g, kStreamMutate);
  if (chance(mu.next(), cfg.mutation_threshold)) {
    const std::uint32_t n = 1 + uniform_index(mu.next(), cfg.mutation_genes);
    for (std::uint32_t j = 0; j < n; ++j) {
      const std::uint32_t t = uniform_index(mu.next(), T);
      auto slots = inst.slots(t);
      child[t] = slots[uniform_index(mu.next(), static_cast<std::uint32_t>(slots.size()))];
    }
  }

  Draws lm(cfg.key, k, g, kStreamLoadMove);
  const std::uint32_t l0 = lm.next(), l1 = lm.next();
  ev.decode(child);
  if (chance(l0, cfg.move_threshold) && load_move(inst, child, ev.ready(), l1)) ev.decode(child);
  if (cfg.ls_steps > 0) {
    std::vector<Ticks> load(inst.machines);
    const InstanceView I = view_of(inst);
    machine_loads(I, child, load.data());
    local_search(I, child, load.data(), cfg.ls_steps, cfg.ejection_chains);
    ev.decode(child);
  }
  return ev.score(cfg.cost, cfg.want_F);
}

GaResult run_cpu(const GaSetup& setup, const GaParams& params) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const EtcInstance& inst = *setup.inst;
  const GaConfig& cfg = setup.cfg;
  const std::uint32_t P = cfg.P, T = inst.tasks, E = cfg.E;
  unsigned threads = params.threads ? params.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, P);
  WorkerPool pool(threads);
  std::vector<Evaluator> evaluators;
  evaluators.reserve(threads);
  for (unsigned w = 0; w < threads; ++w) evaluators.emplace_back(inst);
  const InstanceView I = view_of(inst);

  // Individuals [lo, hi) of worker w: fixed, contiguous.
  auto range = [&](unsigned w, std::uint32_t from) {
    const std::uint64_t n = P - from;
    return std::pair<std::uint32_t, std::uint32_t>(from + static_cast<std::uint32_t>(n * w / threads),
                                                   from + static_cast<std::uint32_t>(n * (w + 1) / threads));
  };

  Population cur(P, T), nxt(P, T);
  const std::uint32_t seeded = static_cast<std::uint32_t>(setup.seeded.size());
  pool.run([&](unsigned w) {
    auto [lo, hi] = range(w, 0);
    for (std::uint32_t k = lo; k < hi; ++k) {
      std::uint32_t* genes = cur.genes.data() + std::size_t(k) * T;
      if (k < seeded) {
        std::copy(setup.seeded[k].begin(), setup.seeded[k].end(), genes);
      } else {
        for (std::uint32_t t = 0; t < T; ++t) genes[t] = init_gene(I, cfg.key, k, t);
      }
      cur.store(k, evaluators[w].evaluate(genes, cfg.cost, cfg.want_F));
    }
  });

  GaResult result;
  std::vector<std::uint32_t> elites(E);
  RunState st;
  auto rank_and_record = [&](std::uint32_t g) {
    rank_population(cur.cost.data(), P, E, elites.data());
    const std::uint32_t b = elites[0];
    result.history.push_back({cur.cost[b], cur.makespan[b], cur.flowtime[b], cur.F[b], cur.L[b]});
    record_generation(st, g, cur.cost[b], b, setup.stall_limit);
  };
  rank_and_record(0);

  std::uint32_t g = 1;
  for (; g <= setup.generations; ++g) {
    if ((setup.time_limit > 0 &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >= setup.time_limit) ||
        (setup.cpu_time_limit > 0 &&
         static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC >= setup.cpu_time_limit)) {
      result.stop = StopReason::time_limit;
      break;
    }
    pool.run([&](unsigned w) {
      auto [lo, hi] = range(w, 0);
      for (std::uint32_t k = lo; k < hi; ++k) {
        std::uint32_t* child = nxt.genes.data() + std::size_t(k) * T;
        if (k < E) {
          const std::uint32_t src = elites[k];
          std::copy_n(cur.genes.data() + std::size_t(src) * T, T, child);
          nxt.cost[k] = cur.cost[src];
          nxt.makespan[k] = cur.makespan[src];
          nxt.flowtime[k] = cur.flowtime[src];
          nxt.F[k] = cur.F[src];
          nxt.L[k] = cur.L[src];
        } else {
          const Fitness f = breed_cpu(inst, cfg, cur.genes.data(), cur.cost.data(), child, k, g, evaluators[w]);
          if (cfg.replace_if_better && f.cost > cur.cost[k]) {  // keep individual k
            std::copy_n(cur.genes.data() + std::size_t(k) * T, T, child);
            nxt.cost[k] = cur.cost[k];
            nxt.makespan[k] = cur.makespan[k];
            nxt.flowtime[k] = cur.flowtime[k];
            nxt.F[k] = cur.F[k];
            nxt.L[k] = cur.L[k];
          } else {
            nxt.store(k, f);
          }
        }
      }
    });
    std::swap(cur, nxt);
    rank_and_record(g);
    if (st.stop_generation == g) {
      result.stop = StopReason::stall;
      ++g;
      break;
    }
  }
  result.generations_run = g - 1;
  result.backend = Backend::cpu;
  result.device = "cpu, " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
  result.loop_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::uint32_t b = elites[0];
  finish_result(setup, std::vector<std::uint32_t>(cur.genes.begin() + std::size_t(b) * T,
                                                  cur.genes.begin() + std::size_t(b + 1) * T),
                result);
  return result;
}

}  // namespace fastgpu::ga

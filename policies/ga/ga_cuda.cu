// The CUDA backend. The instance, both populations (double-buffered), their
// fitness, the elite list, the run state and the history stay on the device
// for the whole run. Per generation: one breed kernel (a warp per individual,
// ga_warp.h) and one rank kernel (a thread per individual). The host only
// launches kernels, in batches, and reads a 32-byte state after each batch to
// see whether the stall limit stopped the run (kernels of later generations
// then return at once, so the result is exactly that of the stopping
// generation). Built with --fmad=false so double arithmetic rounds as on the CPU.
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "policies/ga/ga_internal.h"
#include "policies/ga/ga_warp.h"

namespace fastgpu::ga {

namespace {

void cuda_check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(e));
}

template <class T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t n = 0) : n_(n) {
    if (n_ > 0) cuda_check(cudaMalloc(&p_, n_ * sizeof(T)), "cudaMalloc");
  }
  ~DeviceBuffer() {
    if (p_) cudaFree(p_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  T* get() const { return p_; }
  void upload(const T* src, std::size_t n, std::size_t offset = 0) {
    if (n > 0) cuda_check(cudaMemcpy(p_ + offset, src, n * sizeof(T), cudaMemcpyHostToDevice), "upload");
  }
  void download(T* dst, std::size_t n, std::size_t offset = 0) const {
    if (n > 0) cuda_check(cudaMemcpy(dst, p_ + offset, n * sizeof(T), cudaMemcpyDeviceToHost), "download");
  }

 private:
  T* p_ = nullptr;
  std::size_t n_ = 0;
};

struct DeviceWarp {
  __device__ unsigned lane() const { return threadIdx.x & 31u; }
  __device__ void sync() const { __syncwarp(); }
  template <class T>
  __device__ T shfl(T v, int src) const { return __shfl_sync(0xffffffffu, v, src); }
  template <class T>
  __device__ T shfl_down(T v, unsigned d) const { return __shfl_down_sync(0xffffffffu, v, d); }
  template <class T>
  __device__ T shfl_xor(T v, unsigned m) const { return __shfl_xor_sync(0xffffffffu, v, m); }
  __device__ unsigned ballot(bool p) const { return __ballot_sync(0xffffffffu, p); }
  __device__ unsigned match_any(unsigned v) const { return __match_any_sync(0xffffffffu, v); }
  __device__ bool any(bool p) const { return __any_sync(0xffffffffu, p) != 0; }
};

constexpr unsigned kWarpsPerBlock = 4;
constexpr std::size_t kSharedLimit = 48 * 1024;

// Scratch of the calling warp: shared memory when it fits, else a global slice.
__device__ warp::Scratch warp_scratch(std::uint32_t M, Ticks* global, std::uint32_t k) {
  extern __shared__ Ticks shared[];
  const std::size_t per_warp = 2 * std::size_t(M) + 32;
  Ticks* base = global ? global + std::size_t(k) * per_warp : shared + (threadIdx.x / 32) * per_warp;
  return warp::Scratch{base, base + M, base + 2 * std::size_t(M)};
}

__global__ void init_genes_kernel(InstanceView I, GaConfig cfg, std::uint32_t* genes, std::uint32_t seeded) {
  const std::uint64_t n = std::uint64_t(cfg.P) * I.T;
  for (std::uint64_t i = blockIdx.x * std::uint64_t(blockDim.x) + threadIdx.x; i < n;
       i += std::uint64_t(gridDim.x) * blockDim.x) {
    const std::uint32_t k = static_cast<std::uint32_t>(i / I.T);
    const std::uint32_t t = static_cast<std::uint32_t>(i % I.T);
    if (k >= seeded) genes[i] = init_gene(I, cfg.key, k, t);
  }
}

__global__ void evaluate_kernel(InstanceView I, GaConfig cfg, PopView pop, Ticks* global_scratch) {
  const std::uint32_t k = blockIdx.x * kWarpsPerBlock + threadIdx.x / 32;
  if (k >= cfg.P) return;
  DeviceWarp w;
  warp::Scratch sc = warp_scratch(I.M, global_scratch, k);
  Ticks mk, flow;
  double F, L, cost;
  warp::evaluate(w, I, cfg, pop.genes + std::uint64_t(k) * I.T, sc, mk, flow, F, L, cost);
  if (w.lane() == 0) {
    pop.cost[k] = cost;
    pop.makespan[k] = mk;
    pop.flowtime[k] = flow;
    pop.F[k] = F;
    pop.L[k] = L;
  }
}

__global__ void breed_kernel(InstanceView I, GaConfig cfg, PopView old, PopView next, const std::uint32_t* elites,
                             const RunState* st, std::uint32_t g, Ticks* global_scratch) {
  if (g > st->stop_generation) return;  // the run stopped earlier
  const std::uint32_t k = blockIdx.x * kWarpsPerBlock + threadIdx.x / 32;
  if (k >= cfg.P) return;
  DeviceWarp w;
  if (k < cfg.E) {
    warp::copy_elite(w, I.T, old, next, elites[k], k);
  } else {
    warp::breed(w, I, cfg, old, next, k, g, warp_scratch(I.M, global_scratch, k));
  }
}

__global__ void rank_kernel(GaConfig cfg, PopView pop, std::uint32_t* elites, RunState* st, GenerationRecord* history,
                            std::uint32_t g, std::uint32_t stall_limit) {
  // Only this kernel's rank-0 thread can move stop_generation, and only to g.
  if (g > st->stop_generation) return;
  const std::uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= cfg.P) return;
  const std::uint32_t r = rank_of(pop.cost, cfg.P, i);
  if (r < cfg.E) elites[r] = i;
  if (r == 0) {
    GenerationRecord& h = history[g];
    h.cost = pop.cost[i];
    h.makespan = pop.makespan[i];
    h.flowtime = pop.flowtime[i];
    h.F = pop.F[i];
    h.L = pop.L[i];
    record_generation(*st, g, pop.cost[i], i, stall_limit);
  }
}

struct DevicePopulation {
  DeviceBuffer<std::uint32_t> genes;
  DeviceBuffer<double> cost, F, L;
  DeviceBuffer<Ticks> makespan, flowtime;
  DevicePopulation(std::uint32_t P, std::uint32_t T)
      : genes(std::size_t(P) * T), cost(P), F(P), L(P), makespan(P), flowtime(P) {}
  PopView view() const { return {genes.get(), cost.get(), makespan.get(), flowtime.get(), F.get(), L.get()}; }
};

}  // namespace

bool cuda_built() { return true; }

int cuda_device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no device / no driver" error
    return 0;
  }
  return n;
}

double cuda_peak_bandwidth(int device) {
  if (cuda_device_count() <= device) return 0;
  int clock_khz = 0, bus_bits = 0;
  if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, device) != cudaSuccess ||
      cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, device) != cudaSuccess)
    return 0;
  return 2.0 * clock_khz * 1e3 * (bus_bits / 8.0);  // double data rate
}

std::string cuda_device_description(int device) {
  if (cuda_device_count() <= device) return {};
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, device) != cudaSuccess) return {};
  char tail[128];
  std::snprintf(tail, sizeof tail, " (sm_%d%d, %d SMs, %.0f GiB, peak %.0f GB/s)", prop.major, prop.minor,
                prop.multiProcessorCount, prop.totalGlobalMem / 1073741824.0, cuda_peak_bandwidth(device) / 1e9);
  return std::string(prop.name) + tail;
}

GaResult run_cuda(const GaSetup& setup, const GaParams& params) {
  if (cuda_device_count() == 0) throw std::runtime_error("GA backend cuda: no CUDA device is present");
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  cuda_check(cudaSetDevice(0), "cudaSetDevice");
  const EtcInstance& inst = *setup.inst;
  const GaConfig& cfg = setup.cfg;
  const std::uint32_t P = cfg.P, T = inst.tasks, M = inst.machines;

  DeviceBuffer<Ticks> d_etc(inst.etc.size()), d_ready(M);
  DeviceBuffer<std::uint32_t> d_width(T), d_task_list(T), d_list_offset(inst.list_offset.size()),
      d_list_slots(inst.list_slots.size());
  d_etc.upload(inst.etc.data(), inst.etc.size());
  d_ready.upload(inst.ready.data(), M);
  d_width.upload(inst.width.data(), T);
  d_task_list.upload(inst.task_list.data(), T);
  d_list_offset.upload(inst.list_offset.data(), inst.list_offset.size());
  d_list_slots.upload(inst.list_slots.data(), inst.list_slots.size());
  const InstanceView I{T,           M,                 d_etc.get(),         d_ready.get(),
                       d_width.get(), d_task_list.get(), d_list_offset.get(), d_list_slots.get()};

  DevicePopulation pop0(P, T), pop1(P, T);
  const DevicePopulation* pops[2] = {&pop0, &pop1};
  DeviceBuffer<std::uint32_t> d_elites(cfg.E);
  DeviceBuffer<RunState> d_state(1);
  DeviceBuffer<GenerationRecord> d_history(std::size_t(setup.generations) + 1);
  RunState st;
  d_state.upload(&st, 1);

  // Per-warp scratch in shared memory if it fits, else in global memory.
  const std::size_t per_warp_bytes = (2 * std::size_t(M) + 32) * sizeof(Ticks);
  const bool use_shared = per_warp_bytes * kWarpsPerBlock <= kSharedLimit;
  const std::size_t shared_bytes = use_shared ? per_warp_bytes * kWarpsPerBlock : 0;
  DeviceBuffer<Ticks> d_scratch(use_shared ? 0 : (2 * std::size_t(M) + 32) * P);
  Ticks* scratch = use_shared ? nullptr : d_scratch.get();
  const unsigned warp_blocks = (P + kWarpsPerBlock - 1) / kWarpsPerBlock;
  const unsigned warp_threads = 32 * kWarpsPerBlock;
  const unsigned rank_threads = 256, rank_blocks = (P + rank_threads - 1) / rank_threads;

  // Generation 0.
  init_genes_kernel<<<std::min<std::uint64_t>((std::uint64_t(P) * T + 255) / 256, 65535), 256>>>(
      I, cfg, pop0.genes.get(), static_cast<std::uint32_t>(setup.seeded.size()));
  cuda_check(cudaGetLastError(), "init_genes_kernel");
  for (std::size_t k = 0; k < setup.seeded.size(); ++k) pop0.genes.upload(setup.seeded[k].data(), T, k * T);
  evaluate_kernel<<<warp_blocks, warp_threads, shared_bytes>>>(I, cfg, pop0.view(), scratch);
  cuda_check(cudaGetLastError(), "evaluate_kernel");
  rank_kernel<<<rank_blocks, rank_threads>>>(cfg, pop0.view(), d_elites.get(), d_state.get(), d_history.get(), 0,
                                              setup.stall_limit);
  cuda_check(cudaGetLastError(), "rank_kernel");

  GaResult result;
  std::uint32_t g = 1, batch = 1;
  bool stalled = false;
  while (g <= setup.generations) {
    if (setup.time_limit > 0 && elapsed() >= setup.time_limit) {
      result.stop = StopReason::time_limit;
      break;
    }
    const auto b0 = std::chrono::steady_clock::now();
    const std::uint32_t n = std::min(batch, setup.generations - g + 1);
    for (std::uint32_t j = 0; j < n; ++j) {
      const std::uint32_t gg = g + j;
      const DevicePopulation& old = *pops[(gg - 1) & 1];
      const DevicePopulation& nxt = *pops[gg & 1];
      breed_kernel<<<warp_blocks, warp_threads, shared_bytes>>>(I, cfg, old.view(), nxt.view(), d_elites.get(),
                                                                 d_state.get(), gg, scratch);
      rank_kernel<<<rank_blocks, rank_threads>>>(cfg, nxt.view(), d_elites.get(), d_state.get(), d_history.get(),
                                                  gg, setup.stall_limit);
    }
    cuda_check(cudaGetLastError(), "generation kernels");
    d_state.download(&st, 1);  // synchronises
    g += n;
    if (st.stop_generation != 0xFFFFFFFFu) {
      stalled = true;
      break;
    }
    // Grow the batch while a batch is short, so launches overlap; keep it
    // short enough that the time limit is checked often.
    const double bt = std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count();
    if (bt < 0.005 && batch < 1024) batch *= 2;
  }
  d_state.download(&st, 1);
  if (stalled) result.stop = StopReason::stall;
  result.generations_run = st.last_generation;
  result.history.resize(std::size_t(st.last_generation) + 1);
  d_history.download(result.history.data(), result.history.size());
  std::vector<std::uint32_t> best(T);
  pops[st.last_generation & 1]->genes.download(best.data(), T, std::size_t(st.best_index) * T);
  result.backend = Backend::cuda;
  result.device = cuda_device_description(0);
  result.loop_seconds = elapsed();
  finish_result(setup, std::move(best), result);
  (void)params;
  return result;
}

}  // namespace fastgpu::ga

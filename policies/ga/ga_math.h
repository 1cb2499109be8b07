#pragma once
// Arithmetic shared by the CPU and CUDA backends of the GA, compiled by both
// g++ and nvcc. Everything that decides a result lives here once: the random
// draws (Philox4x32-10 keyed by seed, generation, individual and stream), the
// mapping of a draw to an index or a coin flip (integer only), the fixed
// summation order of floating-point sums and the weighted cost. The GA core is
// compiled with -ffp-contract=off (g++) and --fmad=false (nvcc), so these
// expressions round the same way on both sides.
#include <cstdint>

// The project's one random-number wrapper: std + Random123 only, so the GA core still builds standalone.
#include "sim/stable_random.h"

namespace fastgpu::ga {

using Ticks = std::int64_t;  // fixed-point time: an instance's `tick` time units each

// --- random draws --------------------------------------------------------------
// Independent streams of one individual in one generation. Word w of a stream
// is word w % 4 of Philox4x32-10(counter = {individual, generation, stream,
// w / 4}, key = seed), so any backend can compute any draw directly.
enum Stream : std::uint32_t {
  kStreamInit = 0,       // random genes of the initial population
  kStreamSelect = 1,     // tournament entrants
  kStreamCrossover = 2,  // crossover yes/no, uniform or one-point, cut point
  kStreamMask = 3,       // uniform-crossover mask: one bit per gene
  kStreamMutate = 4,     // random reassignment: yes/no, how many, where, to what
  kStreamLoadMove = 5,   // load-aware move: yes/no, which task
  kStreamPerturb = 6,    // perturbed Min-Min seeds (generation 0 only): per gene yes/no, which slot
};

// Sequential reader of one stream: words 0, 1, 2, ... (one Philox call per 4).
class Draws {
 public:
  FASTGPU_HD Draws(PhiloxKey key, std::uint32_t individual, std::uint32_t generation, std::uint32_t stream)
      : key_(key), individual_(individual), generation_(generation), stream_(stream) {}
  FASTGPU_HD std::uint32_t next() {
    if ((word_ & 3u) == 0) block_ = philox_block(key_, individual_, generation_, stream_, word_ >> 2);
    return block_.v[word_++ & 3u];
  }

 private:
  PhiloxKey key_;
  std::uint32_t individual_, generation_, stream_;
  std::uint32_t word_ = 0;
  PhiloxBlock block_ = {{0, 0, 0, 0}};
};

// A draw mapped to 0..n-1 by multiply-high (n = 0 gives 0).
FASTGPU_HD inline std::uint32_t uniform_index(std::uint32_t r, std::uint32_t n) {
  return static_cast<std::uint32_t>((static_cast<std::uint64_t>(r) * n) >> 32);
}

// A probability as an integer threshold on a 32-bit draw: chance(r, t) is
// true with probability t / 2^32 (t = 2^32 means always).
inline std::uint64_t probability_threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(p * 4294967296.0);
}
FASTGPU_HD inline bool chance(std::uint32_t r, std::uint64_t threshold) { return r < threshold; }

// Bit of the uniform-crossover mask for gene t: take parent 2 when set.
FASTGPU_HD inline bool mask_bit(PhiloxKey key, std::uint32_t individual, std::uint32_t generation, std::uint32_t t) {
  const PhiloxBlock b = philox_block(key, individual, generation, kStreamMask, t >> 7);
  return (b.v[(t >> 5) & 3u] >> (t & 31u)) & 1u;
}

// --- fixed summation order -------------------------------------------------------
// Floating-point sums over tasks or machines are taken in blocks of 32
// consecutive terms (the last block padded with zeros); each block is reduced
// by the pairwise tree x[i] += x[i + d] for d = 16, 8, 4, 2, 1 (exactly what a
// warp shuffle-down reduction does), and block sums are added in block order.
inline constexpr unsigned kSumBlock = 32;

FASTGPU_HD inline double tree_sum32(double* x) {
  for (unsigned d = 16; d > 0; d >>= 1)
    for (unsigned i = 0; i < d; ++i) x[i] = x[i] + x[i + d];
  return x[0];
}

// --- fitness terms -----------------------------------------------------------------
struct CostModel {
  double w_makespan = 1.0;   // weight of makespan / ref_makespan
  double w_flowtime = 0.0;   // weight of flowtime / ref_flowtime
  double w_F = 0.0;          // weight of F / ref_F (subtracted: F is better when higher)
  double w_variance = 0.0;   // weight of L (unitless already)
  double ref_makespan = 1;   // ticks (Min-Min's makespan)
  double ref_flowtime = 1;   // ticks (Min-Min's flowtime)
  double ref_F = 1;          // Min-Min's F
  double alpha = 0.5;        // alpha of the responsiveness F
  double tick = 1;           // time units per tick (for F, which uses time units)
};

// Load of a machine: busy ticks / makespan ticks (0 when the makespan is 0).
FASTGPU_HD inline double machine_load(Ticks busy, Ticks makespan) {
  return makespan > 0 ? static_cast<double>(busy) / static_cast<double>(makespan) : 0.0;
}

// One term of the responsiveness F: 1 / (f_i + alpha * l_j(i)), f_i in time units.
FASTGPU_HD inline double responsiveness_term(Ticks completion, double load, const CostModel& c) {
  double f = static_cast<double>(completion) * c.tick;
  double a = c.alpha * load;
  return 1.0 / (f + a);
}

FASTGPU_HD inline double combine_cost(const CostModel& c, Ticks makespan, Ticks flowtime, double F, double L) {
  double a = c.w_makespan * (static_cast<double>(makespan) / c.ref_makespan);
  double b = c.w_flowtime * (static_cast<double>(flowtime) / c.ref_flowtime);
  double d = c.w_F * (F / c.ref_F);
  double e = c.w_variance * L;
  double s = a + b;
  s = s - d;
  return s + e;
}

// Strict order of individuals: by cost, then by index (so ties never depend on
// the backend or on thread timing).
FASTGPU_HD inline bool better(double cost_a, std::uint32_t a, double cost_b, std::uint32_t b) {
  return cost_a < cost_b || (cost_a == cost_b && a < b);
}

}  // namespace fastgpu::ga

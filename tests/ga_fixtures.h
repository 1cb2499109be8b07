#pragma once
// GA test helpers shared by the GA test files: parameters for a small,
// single-threaded run of the CPU backend (the reference every other backend
// and every determinism check compares against).
#include <cstdint>

#include "policies/ga/ga.h"

namespace fastgpu::test {

// `p` (e.g. ga::memetic_params()) with the given population, generations and
// seed, on the CPU backend with one thread.
inline ga::GaParams cpu_run(ga::GaParams p, std::uint32_t population, std::uint32_t generations,
                            std::uint64_t seed) {
  p.population = population;
  p.generations = generations;
  p.seed = seed;
  p.backend = ga::Backend::cpu;
  p.threads = 1;
  return p;
}

}  // namespace fastgpu::test

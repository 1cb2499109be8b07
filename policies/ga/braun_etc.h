#pragma once
// Braun et al.'s range-based ETC instances (the "u_x_yyzz" benchmark family):
// task t gets a baseline b_t ~ U[1, R_task); its time on machine m is
// b_t * U[1, R_machine). R_task is 3000 (task heterogeneity hi) or 100 (lo),
// R_machine 1000 (hi) or 10 (lo). Then, per task row:
//   consistent       the row is sorted ascending (machine 0 is fastest for every task),
//   semi-consistent  the values on the even machines 0, 2, 4, ... are sorted
//                    ascending among themselves, the odd ones are left as drawn,
//   inconsistent     left as drawn.
// Values are rounded to one decimal, like the published files, so writing
// them with one decimal and reading them back gives the same instance.
// Draws: Philox4x32-10 keyed by the seed, counter (task, machine, stream), the
// streams distinct per class, so an instance depends only on its class, seed
// and size, and the classes of one seed are independent.
#include <cstdint>
#include <string>
#include <vector>

#include "policies/ga/etc_instance.h"

namespace fastgpu::ga {

enum class Consistency : std::uint8_t { consistent, semi_consistent, inconsistent };

struct BraunClass {
  Consistency consistency = Consistency::consistent;
  bool task_hi = true;     // task heterogeneity: R_task 3000 (hi) or 100 (lo)
  bool machine_hi = true;  // machine heterogeneity: R_machine 1000 (hi) or 10 (lo)
  std::string name() const;  // "u_c_hihi", "u_s_lohi", "u_i_lolo", ...
};

// The twelve classes, in the order c, s, i x hihi, hilo, lohi, lolo.
std::vector<BraunClass> braun_classes();
// Parses a name as returned by name(); throws std::invalid_argument listing the valid ones.
BraunClass parse_braun_class(const std::string& name);

// T x M times (task-major, time units), as in EtcSpec::etc.
std::vector<double> braun_etc(const BraunClass& c, std::uint64_t seed, std::uint32_t tasks = 512,
                              std::uint32_t machines = 16);

// The file format read by read_braun: one value per line, task-major, one decimal.
std::string braun_text(const std::vector<double>& etc);

}  // namespace fastgpu::ga

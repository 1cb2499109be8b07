#include "policies/ga/fitness.h"

#include <algorithm>
#include <stdexcept>

namespace fastgpu::ga {

double fixed_order_sum(std::span<const double> x) {
  double total = 0.0;
  for (std::size_t base = 0; base < x.size(); base += kSumBlock) {
    double block[kSumBlock];
    for (unsigned i = 0; i < kSumBlock; ++i) block[i] = base + i < x.size() ? x[base + i] : 0.0;
    total = total + tree_sum32(block);
  }
  return total;
}

double responsiveness(std::span<const double> completion, std::span<const double> load, double alpha) {
  if (completion.size() != load.size()) throw std::invalid_argument("responsiveness: completion and load sizes differ");
  std::vector<double> terms(completion.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    double a = alpha * load[i];
    terms[i] = 1.0 / (completion[i] + a);
  }
  return fixed_order_sum(terms);
}

double busy_variance(std::span<const double> loads) {
  if (loads.empty()) return 0.0;
  const double n = static_cast<double>(loads.size());
  double mean = fixed_order_sum(loads) / n;
  std::vector<double> dev(loads.size());
  for (std::size_t j = 0; j < loads.size(); ++j) {
    double d = loads[j] - mean;
    dev[j] = d * d;
  }
  return fixed_order_sum(dev) / n;
}

Evaluator::Evaluator(const EtcInstance& inst)
    : inst_(inst),
      ready_(inst.machines),
      busy_(inst.machines),
      completion_(inst.tasks),
      start_(inst.tasks),
      loads_(inst.machines) {}

void Evaluator::decode(const std::uint32_t* genes, std::span<const std::uint32_t> order) {
  genes_ = genes;
  std::copy(inst_.ready.begin(), inst_.ready.end(), ready_.begin());
  std::copy(inst_.ready.begin(), inst_.ready.end(), busy_.begin());
  const std::uint32_t T = inst_.tasks;
  const std::uint32_t M = inst_.machines;
  const Ticks* etc = inst_.etc.data();
  const std::uint32_t* width = inst_.width.data();
  for (std::uint32_t k = 0; k < T; ++k) {
    const std::uint32_t t = order.empty() ? k : order[k];
    const std::uint32_t s = genes[t];
    const Ticks e = etc[std::size_t(t) * M + s];
    const std::uint32_t w = width[t];
    Ticks start = ready_[s];
    if (w == 1) {
      ready_[s] = start + e;
      busy_[s] += e;
    } else {
      for (std::uint32_t m = s + 1; m < s + w; ++m) start = std::max(start, ready_[m]);
      for (std::uint32_t m = s; m < s + w; ++m) {
        ready_[m] = start + e;
        busy_[m] += e;
      }
    }
    start_[t] = start;
    completion_[t] = start + e;
  }
}

Fitness Evaluator::score(const CostModel& cost, bool with_F) const {
  Fitness fit;
  const std::uint32_t M = inst_.machines;
  for (std::uint32_t m = 0; m < M; ++m) fit.makespan = std::max(fit.makespan, ready_[m]);
  for (Ticks c : completion_) fit.flowtime += c;
  for (std::uint32_t m = 0; m < M; ++m) loads_[m] = machine_load(busy_[m], fit.makespan);
  fit.L = busy_variance(loads_);
  const bool need_F = with_F || cost.w_F != 0;
  if (need_F && inst_.tasks > 0) {
    double total = 0.0;
    for (std::uint32_t base = 0; base < inst_.tasks; base += kSumBlock) {
      double block[kSumBlock];
      for (unsigned i = 0; i < kSumBlock; ++i) {
        std::uint32_t t = base + i;
        block[i] = t < inst_.tasks ? responsiveness_term(completion_[t], loads_[genes_[t]], cost) : 0.0;
      }
      total = total + tree_sum32(block);
    }
    fit.F = total;
  }
  fit.cost = combine_cost(cost, fit.makespan, fit.flowtime, cost.w_F != 0 ? fit.F : 0.0, fit.L);
  return fit;
}

Fitness evaluate(const EtcInstance& inst, std::span<const std::uint32_t> assignment, const CostModel& cost,
                 std::span<const std::uint32_t> order) {
  if (assignment.size() != inst.tasks) throw std::invalid_argument("evaluate: assignment size differs from tasks");
  Evaluator ev(inst);
  ev.decode(assignment.data(), order);
  return ev.score(cost, true);
}

}  // namespace fastgpu::ga

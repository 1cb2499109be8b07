// fewest-gpus-first: waiting jobs by gang size (then arrival), fit-first: a
// job that does not fit is passed over for smaller ones behind it. Built out
// of tree against the installed headers (fastgpu::plugin) and loaded with
// --plugin; it uses the engine's placements like any built-in policy.
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "policies/placement.h"
#include "policies/plugin.h"
#include "sim/policy.h"
#include "sim/scheduling_context.h"

namespace {

class FewestGpusFirst final : public fastgpu::Policy {
 public:
  explicit FewestGpusFirst(const std::string& placement) : placement_(fastgpu::make_placement(placement)) {}

  void init(fastgpu::SchedulingContext& ctx) override { placement_->init(ctx); }
  void finish(fastgpu::SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(fastgpu::SchedulingContext& ctx) override { placement_->on_monitor(ctx); }
  void on_arrival(fastgpu::SchedulingContext& ctx, fastgpu::JobIndex j) override {
    queue_.emplace(ctx.job(j).num_gpus, ctx.job(j).submit, j);
  }
  void on_requeue(fastgpu::SchedulingContext& ctx, fastgpu::JobIndex j) override { on_arrival(ctx, j); }

  void schedule(fastgpu::SchedulingContext& ctx) override {
    for (auto it = queue_.begin(); it != queue_.end() && ctx.cluster().free_gpus() > 0;) {
      const fastgpu::JobIndex j = std::get<2>(*it);
      if (placement_->place(ctx, j, gpus_)) {
        ctx.start(j, gpus_);
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
  }

 private:
  std::unique_ptr<fastgpu::Placement> placement_;
  std::set<std::tuple<std::uint32_t, double, fastgpu::JobIndex>> queue_;  // (GPUs, submit, job)
  std::vector<fastgpu::GpuIndex> gpus_;
};

fastgpu::PolicyInfo fewest_gpus_first() {
  return {
      .name = "fewest-gpus-first",
      .summary = "smallest gangs first, fit-first (an out-of-tree plugin)",
      .source = "examples/cpp_policy: a policy built against the installed fastgpu",
      .params = {fastgpu::choice_param("placement", "first-fit", fastgpu::placement_names(), "how GPUs are chosen")},
      .create = [](const fastgpu::PolicyParams& p) -> std::unique_ptr<fastgpu::Policy> {
        return std::make_unique<FewestGpusFirst>(p.get_string("placement"));
      },
  };
}

}  // namespace

FASTGPU_PLUGIN(fewest_gpus_first)

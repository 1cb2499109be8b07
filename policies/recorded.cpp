// recorded: replays the schedule a trace recorded. A job with a recorded start
// (JobTraceFields::recorded_start, seconds from the workload start) becomes ready at that
// time, or at its arrival if the recorded start is earlier; a job with failed
// attempts (JobTraceFields::failed_attempts) replays each: its first run is ready at the
// first attempt's recorded start and, after each failure, its next run at the
// next attempt's (the last at JobTraceFields::recorded_start); a job without one
// (NaN) is ready at its arrival, ordered by submit time (FIFO fallback). Ready
// jobs start in (recorded start or submit, index) order on the GPUs the
// placement finds free. When the simulated cluster has no room for a job (it
// is smaller than the real one, fragmented differently, or the recorded run
// times were stretched by slower GPUs) the job waits and is counted; it does
// not hold back ready jobs of another shape, because in the trace those did
// start. So with the trace's own cluster and run times every job starts at its
// recorded start, and the simulated wait measures how far the simulation is
// from the real schedule.
//
// Cost: two jobs of the same shape (GPUs, share, type constraint, memory) fit
// or not alike, so only the first ready job of each shape is tried; a shape
// that did not fit is not tried again until GPUs are freed. O(log n) per job
// plus O(shapes) per finish.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <queue>
#include <tuple>
#include <vector>

#include "policies/builtin.h"
#include "policies/common_params.h"
#include "policies/placement.h"

namespace fastgpu {

namespace {

class RecordedPolicy : public Policy {
 public:
  explicit RecordedPolicy(std::unique_ptr<Placement> placement) : placement_(std::move(placement)) {}

  void init(SchedulingContext& ctx) override {
    placement_->init(ctx);
    const std::size_t n = ctx.workload().jobs.size();
    shape_of_.assign(n, 0);
    ready_at_.assign(n, 0);
    for (JobIndex j = 0; j < n; ++j) {
      const Job& job = ctx.job(j);
      const ShapeKey key{job.num_gpus, job.milli_per_gpu(), job.gpu_types, job.gpu_memory_gb};
      auto [it, added] = shape_ids_.try_emplace(key, static_cast<std::uint32_t>(shapes_.size()));
      if (added) shapes_.emplace_back();
      shape_of_[j] = it->second;
    }
  }
  void finish(SchedulingContext& ctx) override { placement_->finish(ctx); }
  void on_monitor(SchedulingContext& ctx) override { placement_->on_monitor(ctx); }

  void on_arrival(SchedulingContext& ctx, JobIndex j) override {
    const Job& job = ctx.job(j);
    const Seconds start = next_recorded_start(ctx, j);
    if (std::isnan(start)) {
      ++fallback_;
      make_ready(ctx, j, job.submit);
    } else {
      ++replayed_;
      wait_for(ctx, j, start);
    }
  }
  // A failed run: the job's next run starts at its own recorded start (the
  // next attempt's, or the final run's), or at once if that has passed.
  void on_failure(SchedulingContext& ctx, JobIndex j) override {
    unblock_all();
    const Seconds start = next_recorded_start(ctx, j);
    if (std::isnan(start)) make_ready(ctx, j, ctx.now());
    else wait_for(ctx, j, start);
  }
  void on_timer(SchedulingContext& ctx, std::uint64_t tag) override {
    const auto j = static_cast<JobIndex>(tag);
    make_ready(ctx, j, next_recorded_start(ctx, j));
  }
  // A requeued job (preempted by nobody here, but kept correct) is ready at once.
  void on_requeue(SchedulingContext& ctx, JobIndex j) override {
    unblock_all();
    make_ready(ctx, j, ctx.now());
  }
  void on_finish(SchedulingContext&, JobIndex) override { unblock_all(); }

  void schedule(SchedulingContext& ctx) override {
    while (!heads_.empty()) {
      const Head h = heads_.top();
      heads_.pop();
      Shape& s = shapes_[h.shape];
      if (s.blocked || s.queue.empty() || s.queue.top().second != h.job) continue;  // stale entry
      if (!placement_->place(ctx, h.job, gpus_)) {
        s.blocked = true;  // same-shape jobs behind it do not fit either
        continue;
      }
      s.queue.pop();
      if (ctx.now() > ready_at_[h.job]) {
        ++delayed_;
        delay_total_ += ctx.now() - ready_at_[h.job];
      }
      ctx.start(h.job, gpus_);
      push_head(h.shape);
    }
  }

  std::map<std::string, std::string> attributes() const override {
    return {{"recorded_replayed", fmt::format("{}", replayed_)},
            {"recorded_fallback_fifo", fmt::format("{}", fallback_)},
            {"recorded_delayed", fmt::format("{}", delayed_)},
            {"recorded_delay_total_s", fmt::format("{}", delay_total_)}};
  }

 private:
  using ShapeKey = std::tuple<std::uint32_t, std::uint32_t, std::uint16_t, float>;
  using Entry = std::pair<double, JobIndex>;  // (order key, index)
  struct Shape {
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;  // ready jobs of this shape
    bool blocked = false;  // its first job did not fit and no GPU was freed since
  };
  struct Head {
    double key;
    JobIndex job;
    std::uint32_t shape;
    bool operator>(const Head& o) const { return std::tie(key, job) > std::tie(o.key, o.job); }
  };

  // The recorded start of job j's next run: its next failed attempt's, then
  // the final run's (JobTraceFields::recorded_start); NaN if unknown.
  static Seconds next_recorded_start(const SchedulingContext& ctx, JobIndex j) {
    const JobTraceFields& trace = ctx.workload().trace_fields_of(j);
    const std::uint32_t run = ctx.failures(j);
    if (run < trace.failed_attempts) return ctx.workload().failed_attempts_of(j)[run].recorded_start;
    return trace.recorded_start;
  }
  void wait_for(SchedulingContext& ctx, JobIndex j, Seconds start) {
    if (start > ctx.now())
      ctx.set_timer(start, j);
    else
      make_ready(ctx, j, start);
  }
  void make_ready(SchedulingContext& ctx, JobIndex j, Seconds order_key) {
    ready_at_[j] = ctx.now();
    Shape& s = shapes_[shape_of_[j]];
    const bool new_head = s.queue.empty() || Entry{order_key, j} < s.queue.top();
    s.queue.push({order_key, j});
    if (new_head) push_head(shape_of_[j]);
  }
  void push_head(std::uint32_t shape) {
    const Shape& s = shapes_[shape];
    if (!s.blocked && !s.queue.empty()) heads_.push({s.queue.top().first, s.queue.top().second, shape});
  }
  void unblock_all() {
    for (std::uint32_t i = 0; i < shapes_.size(); ++i)
      if (shapes_[i].blocked) {
        shapes_[i].blocked = false;
        push_head(i);
      }
  }

  std::unique_ptr<Placement> placement_;
  std::map<ShapeKey, std::uint32_t> shape_ids_;
  std::vector<Shape> shapes_;
  std::vector<std::uint32_t> shape_of_;
  std::vector<Seconds> ready_at_;
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads_;
  std::vector<GpuIndex> gpus_;
  std::uint64_t replayed_ = 0, fallback_ = 0, delayed_ = 0;
  double delay_total_ = 0;
};

}  // namespace

PolicyInfo recorded_policy() {
  return {
      .name = "recorded",
      .summary = "replay the trace's schedule: each job starts at its recorded start on free GPUs (waits, "
                 "counted, if there is no room); jobs without one run FIFO from arrival",
      .source = "trace replay: each job starts at the start time the trace recorded",
      .params = {placement_param(), consolidate_param(), spread_after_param()},
      .create =
          [](const PolicyParams& p) {
            return std::make_unique<RecordedPolicy>(make_placement(p));
          },
  };
}

FASTGPU_REGISTER_POLICY(recorded_policy);

}  // namespace fastgpu

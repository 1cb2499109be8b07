#include "sim/engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "sim/error.h"
#include "sim/metrics.h"
#include "sim/stable_random.h"

namespace fastgpu {

namespace {
constexpr std::uint32_t kNoPos = UINT32_MAX;
// Times closer than this are the same instant for validation (earliest start).
constexpr double kTimeEps = 1e-9;
}  // namespace

// The changing state of one job. Remaining work is exact: it is stored at the
// start of the current progress segment and extrapolated linearly, so a
// preemption or migration at any instant splits the work without error
// accumulation beyond one subtraction per segment.
struct Engine::JobRuntime {
  JobState state = JobState::not_arrived;
  bool submitted = false;          // the workload cursor passed its submit time
  bool dependency_rejected = false;
  std::uint32_t version = 0;       // bumped to invalidate a queued finish event
  std::uint32_t pending_pos = kNoPos, running_pos = kNoPos;
  std::uint64_t alloc_offset = 0;  // current GPUs: alloc_arena_[offset .. offset+num_gpus)
  Seconds seg_start = 0;           // progress of the current segment starts here
  double seg_remaining = 0;        // remaining work (reference s) at seg_start
  double rate = 0;                 // reference seconds of work per second
  Seconds alloc_since = 0;         // the current allocation began here
  double attained_before = 0;      // GPU-seconds from earlier allocations
};

Engine::Engine(const Workload& workload, const ClusterSpec& cluster, Policy& policy, EngineOptions options,
               std::string policy_name)
    : workload_(workload),
      policy_(policy),
      options_(options),
      policy_name_(std::move(policy_name)),
      cluster_(cluster),
      ctx_(*this) {
  if (!(options_.monitor_interval > 0)) throw InputError("engine.monitor_interval must be > 0");
  if (cluster.gpu_types.size() > 64) throw InputError("at most 64 GPU types are supported");
  const std::size_t n = workload_.jobs.size();
  if (n >= kNoJob) throw InputError("too many jobs for one run");
  for (std::size_t j = 1; j < n; ++j) {
    if (workload_.jobs[j].submit < workload_.jobs[j - 1].submit) {
      throw InternalError("workload not finalized: jobs must be sorted by submit time");
    }
  }
  jobs_.resize(n);
  estimated_work_.resize(n);
  type_mask_.assign(n, 0);
  unmet_dependencies_.assign(n, 0);
  successors_.resize(workload_.predecessors.empty() ? 0 : n);

  // Which GPU types each job may use: its named constraint and its memory need.
  std::vector<std::uint64_t> constraint_mask(workload_.type_constraints.size() + 1, 0);
  const std::uint64_t all_types = cluster.gpu_types.size() == 64 ? ~0ULL : (1ULL << cluster.gpu_types.size()) - 1;
  constraint_mask[0] = all_types;
  for (std::size_t c = 0; c < workload_.type_constraints.size(); ++c) {
    for (const std::string& name : workload_.type_constraints[c]) {
      const int t = cluster.find_type(name);
      if (t >= 0) constraint_mask[c + 1] |= 1ULL << t;
    }
  }
  result_.jobs.resize(n);
  for (JobIndex j = 0; j < n; ++j) {
    const Job& job = workload_.jobs[j];
    std::uint64_t mask = constraint_mask.at(job.gpu_types);
    for (std::size_t t = 0; t < cluster.gpu_types.size(); ++t) {
      if (job.gpu_memory_gb > cluster.gpu_types[t].memory_gb) mask &= ~(1ULL << t);
    }
    type_mask_[j] = mask;
    jobs_[j].seg_remaining = job.work;
    switch (options_.estimate) {
      case EstimateKind::oracle: estimated_work_[j] = job.work; break;
      case EstimateKind::noisy:
        estimated_work_[j] =
            job.work * std::exp(options_.estimate_sigma * stable_normal(options_.seed, static_cast<std::uint64_t>(j)));
        break;
      case EstimateKind::user: estimated_work_[j] = job.requested_time; break;
      case EstimateKind::none: estimated_work_[j] = NAN; break;
    }
    JobRecord& r = result_.jobs[j];
    r.id = job.id;
    r.user = job.user;
    r.priority = job.priority;
    r.num_gpus = job.num_gpus;
    r.gpu_share = job.gpu_share;
    r.submit = job.submit;
    r.deadline = job.deadline;
    r.work = job.work;
  }
  for (JobIndex j = 0; j < workload_.predecessors.size(); ++j) {
    unmet_dependencies_[j] = static_cast<std::uint32_t>(workload_.predecessors[j].size());
    for (JobIndex p : workload_.predecessors[j]) successors_[p].push_back(j);
  }

  const std::uint32_t gpus = cluster_.num_gpus();
  gpu_busy_integral_.assign(gpus, 0);
  gpu_last_change_.assign(gpus, 0);
  gpu_integral_at_sample_.assign(gpus, 0);
  gpu_load_.assign(gpus, 0);
  load_dirty_.assign(gpus, 0);
  alloc_arena_.reserve(n * 2);
  result_.policy = policy_name_;
  result_.workload = workload_.name;
  result_.seed = options_.seed;
  result_.num_gpus = gpus;
}

Engine::~Engine() = default;

// --- the event loop ---------------------------------------------------------

template <class Hook>
void Engine::timed(Hook&& hook) {
  const auto t0 = std::chrono::steady_clock::now();
  hook();
  scheduler_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

RunResult Engine::run() {
  const auto wall_start = std::chrono::steady_clock::now();
  const auto& jobs = workload_.jobs;
  timed([&] { policy_.init(ctx_); });
  schedule_next_monitor();
  while (true) {
    const bool have_event = !events_.empty();
    const bool have_arrival = next_arrival_ < jobs.size();
    if (!have_event && !have_arrival) break;
    now_ = have_event ? events_.top().time : kNever;
    if (have_arrival) now_ = std::min(now_, jobs[next_arrival_].submit);
    // Apply every event of this instant in (rank, sequence) order; arrivals
    // from the workload cursor sit between finishes and timers.
    while (true) {
      const bool event_now = !events_.empty() && events_.top().time == now_;
      const bool arrival_now = next_arrival_ < jobs.size() && jobs[next_arrival_].submit == now_;
      if (!event_now && !arrival_now) break;
      ++events_processed_;
      if (arrival_now && (!event_now || events_.top().kind >= EventKind::arrival)) {
        const auto j = static_cast<JobIndex>(next_arrival_++);
        jobs_[j].submitted = true;
        arrive(j);
      } else {
        const Event e = events_.pop();
        if (e.kind != EventKind::monitor) --real_events_pending_;
        handle(e);
      }
    }
    timed([&] { policy_.schedule(ctx_); });
    if (options_.check_invariants) check_invariants();
    check_stall();
  }
  // A last time-series row at the final instant, then close the accounting.
  if (now_ > last_sample_time_) monitor_sample();
  for (GpuIndex g = 0; g < cluster_.num_gpus(); ++g) close_gpu_integrals(g);
  timed([&] { policy_.finish(ctx_); });
  for (JobIndex j = 0; j < jobs_.size(); ++j) {
    if (jobs_[j].state != JobState::finished && jobs_[j].state != JobState::rejected) {
      throw InternalError(fmt::format("job {} neither finished nor was rejected", jobs[j].id));
    }
  }
  result_.gpu_offset.assign(1, 0);
  result_.gpu_offset.reserve(jobs_.size() + 1);
  result_.gpu_arena.clear();
  double job_gpu_seconds = 0;
  for (JobIndex j = 0; j < jobs_.size(); ++j) {
    if (jobs_[j].state == JobState::finished) {
      const auto first = alloc_arena_.begin() + static_cast<std::ptrdiff_t>(jobs_[j].alloc_offset);
      result_.gpu_arena.insert(result_.gpu_arena.end(), first, first + jobs[j].num_gpus);
    }
    result_.gpu_offset.push_back(result_.gpu_arena.size());
    job_gpu_seconds += result_.jobs[j].gpu_seconds;
  }
  result_.gpu_busy_seconds = gpu_busy_integral_;
  double busy_total = 0;
  const std::uint32_t types = cluster_.num_types();
  result_.type_busy_gpu_seconds.assign(types, 0);
  result_.type_gpu_count.assign(types, 0);
  for (GpuIndex g = 0; g < cluster_.num_gpus(); ++g) {
    result_.type_busy_gpu_seconds[cluster_.type_of(g)] += gpu_busy_integral_[g];
    busy_total += gpu_busy_integral_[g];
  }
  for (TypeIndex t = 0; t < types; ++t) {
    const GpuType& type = cluster_.gpu_type(t);
    result_.type_gpu_count[t] = cluster_.gpus_of_type(t);
    result_.type_idle_watts.push_back(type.idle_watts);
    result_.type_busy_watts.push_back(type.busy_watts);
    result_.type_price_per_hour.push_back(type.price_per_hour);
  }
  // GPU-seconds are conserved: what the GPUs were busy for is what the jobs held.
  if (std::abs(busy_total - job_gpu_seconds) > 1e-6 * std::max(1.0, busy_total)) {
    throw InternalError(fmt::format("GPU-seconds not conserved: GPUs busy {} s, jobs held {} s", busy_total,
                                    job_gpu_seconds));
  }

  Summary& s = result_.summary;
  s.reservation_hits = reservation_hits_;
  s.reservation_misses = reservation_misses_;
  s.reserved_idle_gpu_seconds = reserved_idle_gpu_seconds_;
  s.scheduler_seconds = scheduler_seconds_;
  s.events = events_processed_;
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  for (const JobRecord& r : result_.jobs) {
    s.preemptions += r.preemptions;
    s.migrations += r.migrations;
  }
  for (auto& [k, v] : policy_.attributes()) result_.attributes[k] = v;
  compute_summary(result_, options_.responsiveness_alpha);
  return std::move(result_);
}

void Engine::handle(const Event& e) {
  switch (e.kind) {
    case EventKind::finish:
      if (e.version == jobs_[e.job].version && jobs_[e.job].state == JobState::running) finish_job(e.job);
      break;
    case EventKind::suspend_done: suspend_done(e.job); break;
    case EventKind::arrival: arrive(e.job); break;
    case EventKind::timer: timed([&] { policy_.on_timer(ctx_, e.tag); }); break;
    case EventKind::monitor:
      monitor_sample();
      schedule_next_monitor();
      break;
  }
}

// A job is delivered to the policy once it is submitted, its dependencies are
// done and its time window has opened, whichever comes last.
void Engine::arrive(JobIndex j) {
  JobRuntime& rt = jobs_[j];
  if (!rt.submitted || unmet_dependencies_[j] > 0 || rt.state != JobState::not_arrived) return;
  const Job& job = workload_.jobs[j];
  if (rt.dependency_rejected) {
    record_rejection(j, "a job it depends on was rejected");
    return;
  }
  if (job.earliest_start > now_ + kTimeEps) {  // come back when the window opens
    ++real_events_pending_;
    events_.push(Event{.time = job.earliest_start, .kind = EventKind::arrival, .job = j});
    return;
  }
  if (const std::string reason = auto_reject_reason(j); !reason.empty()) {
    record_rejection(j, reason);
    return;
  }
  rt.state = JobState::pending;
  pending_add(j);
  policy_.on_arrival(ctx_, j);
}

// Jobs no placement could ever satisfy are rejected on arrival, with the reason.
std::string Engine::auto_reject_reason(JobIndex j) const {
  const Job& job = workload_.jobs[j];
  // A gang runs on one GPU type (policies/placement.h), so the largest
  // allowed type bounds what it can get.
  std::uint64_t capacity = 0;
  for (TypeIndex t = 0; t < cluster_.num_types(); ++t) {
    if (type_mask_[j] >> t & 1) capacity = std::max<std::uint64_t>(capacity, cluster_.gpus_of_type(t));
  }
  if (type_mask_[j] == 0) return "no GPU type satisfies its type constraint and memory need";
  if (job.num_gpus > capacity) return "needs more GPUs than the cluster has of any allowed type";
  if (job.gpu_share < 1.0f && job.num_gpus > 1) return "a fractional GPU share needs num_gpus = 1";
  return {};
}

void Engine::finish_job(JobIndex j) {
  JobRuntime& rt = jobs_[j];
  JobRecord& r = result_.jobs[j];
  release(j);
  rt.seg_remaining = 0;
  rt.state = JobState::finished;
  ++rt.version;
  running_remove(j);
  r.end = now_;
  const auto gpus = std::span(alloc_arena_).subspan(rt.alloc_offset, workload_.jobs[j].num_gpus);
  double slowest = kNever;
  for (GpuIndex g : gpus) slowest = std::min(slowest, cluster_.gpu_type(cluster_.type_of(g)).speed);
  r.runtime_alone = workload_.jobs[j].work / slowest;
  r.gpu_type = cluster_.type_of(gpus.front());
  if (workload_.jobs[j].has_deadline()) r.deadline_met = now_ <= workload_.jobs[j].deadline + kTimeEps ? 1 : 0;
  if (!successors_.empty()) {
    for (JobIndex s : successors_[j]) {
      if (--unmet_dependencies_[s] == 0) arrive(s);
    }
  }
  policy_.on_finish(ctx_, j);
}

void Engine::suspend_done(JobIndex j) {
  JobRuntime& rt = jobs_[j];
  release(j);
  rt.state = JobState::pending;
  pending_add(j);
  policy_.on_requeue(ctx_, j);
}

void Engine::monitor_sample() {
  const Seconds interval = now_ - last_sample_time_;
  const std::uint32_t gpus = cluster_.num_gpus();
  const double inv_interval = interval > 0 ? 1.0 / interval : 0.0;
  load_updated_.clear();
  // Steady all this window after a change in the previous one: load = share.
  for (GpuIndex g : settling_) {
    if (!load_dirty_[g]) set_load(g, cluster_.used_milli(g) * (1.0 / kMilliPerGpu));
  }
  settling_.clear();
  // Changed in this window: busy GPU-seconds since the last sample / interval.
  for (GpuIndex g : changed_) {
    const double integral_now =
        gpu_busy_integral_[g] + cluster_.used_milli(g) * (1.0 / kMilliPerGpu) * (now_ - gpu_last_change_[g]);
    set_load(g, (integral_now - gpu_integral_at_sample_[g]) * inv_interval);
    load_dirty_[g] = 0;
    settling_.push_back(g);
  }
  changed_.clear();
  // The running sums drift by rounding; recompute them exactly now and then.
  if (++samples_since_exact_ == 4096) {
    samples_since_exact_ = 0;
    load_sum_ = load_sum_sq_ = 0;
    for (GpuIndex g = 0; g < gpus; ++g) {
      load_sum_ += gpu_load_[g];
      load_sum_sq_ += gpu_load_[g] * gpu_load_[g];
    }
  }
  const double mean = gpus ? load_sum_ / gpus : 0;
  last_sample_time_ = now_;
  TimeSample s;
  s.time = now_;
  s.busy_gpus = cluster_.busy_gpus();
  s.utilisation = gpus ? s.busy_gpus / gpus : 0;
  s.load_variance = gpus ? std::max(0.0, load_sum_sq_ / gpus - mean * mean) : 0;
  s.queue_length = static_cast<std::uint32_t>(pending_.size());
  s.running = static_cast<std::uint32_t>(running_.size());
  s.reserved_idle = reserved_idle_now_;
  s.memory_used_gb = memory_used_gb_;
  result_.timeseries.push_back(s);
  timed([&] { policy_.on_monitor(ctx_); });
}

void Engine::set_load(GpuIndex g, double load) {
  const double old = gpu_load_[g];
  if (load == old) return;
  load_updated_.push_back(g);
  load_sum_ += load - old;
  load_sum_sq_ += load * load - old * old;
  gpu_load_[g] = load;
}

// Samples continue only while there is something left to simulate, so an
// idle cluster at the end does not keep the loop alive.
void Engine::schedule_next_monitor() {
  const bool work_left = next_arrival_ < workload_.jobs.size() || !pending_.empty() || !running_.empty() ||
                         real_events_pending_ > 0;
  if (!work_left) return;
  const Seconds next = (std::floor(now_ / options_.monitor_interval) + 1) * options_.monitor_interval;
  events_.push(Event{.time = next, .kind = EventKind::monitor});
}


void Engine::check_stall() const {
  if (pending_.empty() || !running_.empty() || real_events_pending_ > 0 ||
      next_arrival_ < workload_.jobs.size()) {
    return;
  }
  throw PolicyError(fmt::format(
      "policy '{}' stalled at t={}: {} job(s) pending on an idle cluster and no event or timer left "
      "(first pending job id {})",
      policy_name_, now_, pending_.size(), workload_.jobs[pending_.front()].id));
}

void Engine::check_invariants() const {
  std::vector<std::uint32_t> milli(cluster_.num_gpus(), 0);
  for (JobIndex j = 0; j < jobs_.size(); ++j) {
    const JobRuntime& rt = jobs_[j];
    if (rt.state != JobState::running && rt.state != JobState::suspending) continue;
    const Job& job = workload_.jobs[j];
    for (std::uint32_t i = 0; i < job.num_gpus; ++i) milli[alloc_arena_[rt.alloc_offset + i]] += job.milli_per_gpu();
    if (rt.state == JobState::running && remaining_now(j) < -1e-6 * std::max(1.0, job.work)) {
      throw InternalError(fmt::format("invariant: job {} has negative remaining work", job.id));
    }
  }
  for (GpuIndex g = 0; g < cluster_.num_gpus(); ++g) {
    if (milli[g] > kMilliPerGpu) throw InternalError(fmt::format("invariant: GPU {} over-allocated", g));
    if (milli[g] != cluster_.used_milli(g)) {
      throw InternalError(fmt::format("invariant: GPU {} allocation {} does not match its jobs' {}", g,
                                      cluster_.used_milli(g), milli[g]));
    }
  }
  for (JobIndex j : pending_) {
    if (jobs_[j].state != JobState::pending) throw InternalError("invariant: pending set holds a non-pending job");
  }
}

// --- actions ------------------------------------------------------------------

void Engine::policy_error(JobIndex j, const std::string& what) const {
  const std::string job = j < workload_.jobs.size() ? fmt::format("job {}", workload_.jobs[j].id) : "no job";
  throw PolicyError(fmt::format("policy '{}' at t={}: {}: {}", policy_name_, now_, job, what));
}

void Engine::validate_gpus(JobIndex j, std::span<const GpuIndex> gpus, const char* action) const {
  const Job& job = workload_.jobs[j];
  if (gpus.size() != job.num_gpus) {
    policy_error(j, fmt::format("{} with {} GPUs, the job needs {}", action, gpus.size(), job.num_gpus));
  }
  const std::uint32_t milli = job.milli_per_gpu();
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const GpuIndex g = gpus[i];
    if (g >= cluster_.num_gpus()) policy_error(j, fmt::format("{} on GPU {} which does not exist", action, g));
    for (std::size_t k = 0; k < i; ++k) {
      if (gpus[k] == g) policy_error(j, fmt::format("{} lists GPU {} twice", action, g));
    }
    if (cluster_.used_milli(g) + milli > kMilliPerGpu) {
      policy_error(j, fmt::format("{} on GPU {} which has only {} of {} milli-GPU free", action, g,
                                  kMilliPerGpu - cluster_.used_milli(g), milli));
    }
    if (!(type_mask_[j] >> cluster_.type_of(g) & 1)) {
      policy_error(j, fmt::format("{} on GPU {} of type '{}' which the job may not use", action, g,
                                  cluster_.gpu_type(cluster_.type_of(g)).name));
    }
  }
}

void Engine::act_start(JobIndex j, std::span<const GpuIndex> gpus) {
  if (j >= jobs_.size()) policy_error(kNoJob, fmt::format("start of unknown job index {}", j));
  JobRuntime& rt = jobs_[j];
  if (rt.state != JobState::pending) policy_error(j, "start of a job that is not pending");
  validate_gpus(j, gpus, "start");
  allocate(j, gpus);
  pending_remove(j);
  running_add(j);
  rt.state = JobState::running;
  JobRecord& r = result_.jobs[j];
  if (std::isnan(r.first_start)) r.first_start = now_;
  begin_segment(j, now_ + (r.preemptions > 0 ? restore_time(j) : 0.0));
}

void Engine::act_preempt(JobIndex j) {
  if (j >= jobs_.size() || jobs_[j].state != JobState::running) policy_error(j, "preempt of a job that is not running");
  if (!workload_.jobs[j].preemptible) policy_error(j, "preempt of a job that is not preemptible");
  JobRuntime& rt = jobs_[j];
  rt.seg_remaining = remaining_now(j);
  rt.seg_start = now_;
  rt.rate = 0;
  ++rt.version;
  rt.state = JobState::suspending;
  running_remove(j);
  ++result_.jobs[j].preemptions;
  ++real_events_pending_;
  events_.push(Event{.time = now_ + checkpoint_time(j), .kind = EventKind::suspend_done, .job = j});
}

void Engine::act_migrate(JobIndex j, std::span<const GpuIndex> gpus) {
  if (j >= jobs_.size() || jobs_[j].state != JobState::running) policy_error(j, "migrate of a job that is not running");
  JobRuntime& rt = jobs_[j];
  const double remaining = remaining_now(j);
  release(j);
  try {
    validate_gpus(j, gpus, "migrate");
  } catch (...) {
    allocate(j, std::vector<GpuIndex>(alloc_arena_.begin() + static_cast<std::ptrdiff_t>(rt.alloc_offset),
                                      alloc_arena_.begin() + static_cast<std::ptrdiff_t>(rt.alloc_offset) +
                                          workload_.jobs[j].num_gpus));
    throw;
  }
  allocate(j, gpus);
  rt.seg_remaining = remaining;
  ++result_.jobs[j].migrations;
  begin_segment(j, now_ + checkpoint_time(j) + restore_time(j));
}

void Engine::act_reject(JobIndex j, const std::string& reason) {
  if (j >= jobs_.size() || jobs_[j].state != JobState::pending) policy_error(j, "reject of a job that is not pending");
  pending_remove(j);
  record_rejection(j, reason.empty() ? std::string("rejected by policy") : reason);
}

void Engine::record_rejection(JobIndex j, const std::string& reason) {
  JobRuntime& rt = jobs_[j];
  rt.state = JobState::rejected;
  JobRecord& r = result_.jobs[j];
  r.outcome = JobOutcome::rejected;
  r.end = now_;
  if (workload_.jobs[j].has_deadline()) r.deadline_met = 0;
  auto& reasons = result_.reject_reasons;
  auto it = std::find(reasons.begin(), reasons.end(), reason);
  if (it == reasons.end()) it = reasons.insert(reasons.end(), reason);
  r.reject_reason = static_cast<std::uint16_t>(it - reasons.begin());
  if (!successors_.empty()) {
    for (JobIndex s : successors_[j]) {
      jobs_[s].dependency_rejected = true;
      if (--unmet_dependencies_[s] == 0) arrive(s);
    }
  }
}

void Engine::act_set_timer(Seconds at, std::uint64_t tag) {
  if (!(at >= now_)) policy_error(kNoJob, fmt::format("timer set in the past (t={})", at));
  ++real_events_pending_;
  events_.push(Event{.time = at, .kind = EventKind::timer, .tag = tag});
}

void Engine::act_reserve(GpuIndex g, bool reserved) {
  if (g >= cluster_.num_gpus()) policy_error(kNoJob, fmt::format("reserve of GPU {} which does not exist", g));
  set_gpu_usage_changed(g);  // closes the reserved-idle integral under the old state
  cluster_.set_reserved(g, reserved);
  gpu_usage_set(g);
}

// --- helpers ------------------------------------------------------------------

// Called before any change of GPU g's allocation or reservation (and
// gpu_usage_set after it): flushes its integrals under the old state, and on
// its first change in a monitor window records its busy integral at the
// window's start, which the lazy monitor sample needs.
void Engine::set_gpu_usage_changed(GpuIndex g) {
  if (!load_dirty_[g]) {
    load_dirty_[g] = 1;
    changed_.push_back(g);
    gpu_integral_at_sample_[g] = gpu_busy_integral_[g] + cluster_.used_milli(g) * (1.0 / kMilliPerGpu) *
                                                             (last_sample_time_ - gpu_last_change_[g]);
  }
  reserved_idle_now_ -= cluster_.is_reserved(g) && cluster_.is_free(g);
  close_gpu_integrals(g);
}

void Engine::gpu_usage_set(GpuIndex g) { reserved_idle_now_ += cluster_.is_reserved(g) && cluster_.is_free(g); }

// Busy-time and reserved-idle integrals of GPU g up to now.
void Engine::close_gpu_integrals(GpuIndex g) {
  const Seconds dt = now_ - gpu_last_change_[g];
  if (dt > 0) {
    gpu_busy_integral_[g] += cluster_.used_milli(g) * (1.0 / kMilliPerGpu) * dt;
    if (cluster_.is_reserved(g) && cluster_.is_free(g)) reserved_idle_gpu_seconds_ += dt;
  }
  gpu_last_change_[g] = now_;
}

void Engine::allocate(JobIndex j, std::span<const GpuIndex> gpus) {
  const Job& job = workload_.jobs[j];
  const std::uint32_t milli = job.milli_per_gpu();
  JobRuntime& rt = jobs_[j];
  rt.alloc_offset = alloc_arena_.size();
  rt.alloc_since = now_;
  bool on_reserved = false;
  for (GpuIndex g : gpus) {
    set_gpu_usage_changed(g);
    cluster_.allocate(g, milli);
    gpu_usage_set(g);
    memory_used_gb_ += job.gpu_memory_gb;
    alloc_arena_.push_back(g);
    on_reserved |= cluster_.is_reserved(g);
  }
  if (on_reserved) result_.jobs[j].on_reserved = true;
}

void Engine::release(JobIndex j) {
  const Job& job = workload_.jobs[j];
  const std::uint32_t milli = job.milli_per_gpu();
  JobRuntime& rt = jobs_[j];
  for (std::uint32_t i = 0; i < job.num_gpus; ++i) {
    const GpuIndex g = alloc_arena_[rt.alloc_offset + i];
    set_gpu_usage_changed(g);
    cluster_.release(g, milli);
    gpu_usage_set(g);
    memory_used_gb_ -= job.gpu_memory_gb;
  }
  const double held = job.num_gpus * (milli * (1.0 / kMilliPerGpu)) * (now_ - rt.alloc_since);
  result_.jobs[j].gpu_seconds += held;
  rt.attained_before += held;
  rt.alloc_since = now_;
}

void Engine::begin_segment(JobIndex j, Seconds progress_from) {
  JobRuntime& rt = jobs_[j];
  const auto gpus = std::span(alloc_arena_).subspan(rt.alloc_offset, workload_.jobs[j].num_gpus);
  rt.seg_start = progress_from;
  rt.rate = rate_on(j, gpus);
  ++rt.version;
  ++real_events_pending_;
  events_.push(Event{.time = rt.seg_start + rt.seg_remaining / rt.rate,
                     .kind = EventKind::finish,
                     .job = j,
                     .version = rt.version});
}

double Engine::remaining_now(JobIndex j) const {
  const JobRuntime& rt = jobs_[j];
  if (rt.state != JobState::running) return rt.seg_remaining;
  const double done = rt.rate * std::max(0.0, now_ - rt.seg_start);
  return std::max(0.0, rt.seg_remaining - done);
}

double Engine::rate_on(JobIndex j, std::span<const GpuIndex> gpus) const {
  double slowest = kNever;
  bool one_node = true;
  for (GpuIndex g : gpus) {
    slowest = std::min(slowest, cluster_.gpu_type(cluster_.type_of(g)).speed);
    one_node &= cluster_.node_of(g) == cluster_.node_of(gpus.front());
  }
  if (one_node) return slowest / cluster_.spec().slowdown.same_node;
  std::vector<NodeIndex> nodes;
  nodes.reserve(gpus.size());
  for (GpuIndex g : gpus) nodes.push_back(cluster_.node_of(g));
  return slowest / cluster_.topology().slowdown(nodes);
}

Seconds Engine::checkpoint_time(JobIndex j) const {
  return options_.checkpoint_seconds + options_.checkpoint_seconds_per_gb * workload_.jobs[j].gpu_memory_gb;
}
Seconds Engine::restore_time(JobIndex j) const {
  return options_.restore_seconds + options_.checkpoint_seconds_per_gb * workload_.jobs[j].gpu_memory_gb;
}

// pending_ and running_ are swap-remove lists: O(1) add and remove, each
// job's position kept in its runtime record (member `pos`).
namespace {
template <class Runtime>
void list_add(std::vector<JobIndex>& list, std::vector<Runtime>& jobs, std::uint32_t Runtime::*pos, JobIndex j) {
  jobs[j].*pos = static_cast<std::uint32_t>(list.size());
  list.push_back(j);
}
template <class Runtime>
void list_remove(std::vector<JobIndex>& list, std::vector<Runtime>& jobs, std::uint32_t Runtime::*pos, JobIndex j,
                 std::uint32_t none) {
  const std::uint32_t at = jobs[j].*pos;
  const JobIndex last = list.back();
  list[at] = last;
  jobs[last].*pos = at;
  list.pop_back();
  jobs[j].*pos = none;
}
}  // namespace

void Engine::pending_add(JobIndex j) { list_add(pending_, jobs_, &JobRuntime::pending_pos, j); }
void Engine::pending_remove(JobIndex j) { list_remove(pending_, jobs_, &JobRuntime::pending_pos, j, kNoPos); }
void Engine::running_add(JobIndex j) { list_add(running_, jobs_, &JobRuntime::running_pos, j); }
void Engine::running_remove(JobIndex j) { list_remove(running_, jobs_, &JobRuntime::running_pos, j, kNoPos); }

RunResult simulate(const Workload& workload, const ClusterSpec& cluster, Policy& policy, const EngineOptions& options,
                   const std::string& policy_name) {
  Engine engine(workload, cluster, policy, options, policy_name);
  return engine.run();
}

// --- the scheduling context ------------------------------------------------------

Seconds SchedulingContext::now() const { return engine_.now_; }
const Workload& SchedulingContext::workload() const { return engine_.workload_; }
const Job& SchedulingContext::job(JobIndex j) const { return engine_.workload_.jobs[j]; }
const ClusterState& SchedulingContext::cluster() const { return engine_.cluster_; }
JobState SchedulingContext::state(JobIndex j) const { return engine_.jobs_[j].state; }
std::span<const JobIndex> SchedulingContext::pending() const { return engine_.pending_; }
std::span<const JobIndex> SchedulingContext::running() const { return engine_.running_; }
std::span<const GpuIndex> SchedulingContext::gpus_of(JobIndex j) const {
  const auto& rt = engine_.jobs_[j];
  if (rt.state != JobState::running && rt.state != JobState::suspending) return {};
  return std::span(engine_.alloc_arena_).subspan(rt.alloc_offset, engine_.workload_.jobs[j].num_gpus);
}
bool SchedulingContext::type_allowed(JobIndex j, TypeIndex t) const { return engine_.type_mask_[j] >> t & 1; }
Seconds SchedulingContext::estimated_work(JobIndex j) const { return engine_.estimated_work_[j]; }
Seconds SchedulingContext::estimated_remaining_work(JobIndex j) const {
  const double estimate = engine_.estimated_work_[j];
  if (std::isnan(estimate)) return estimate;  // std::max would turn NaN into 0
  const double done = engine_.workload_.jobs[j].work - engine_.remaining_now(j);
  return std::max(0.0, estimate - done);
}
Seconds SchedulingContext::estimated_finish(JobIndex j) const {
  const auto& rt = engine_.jobs_[j];
  if (rt.state != JobState::running) return kNever;
  const double remaining = estimated_remaining_work(j);
  if (std::isnan(remaining)) return kNever;
  return std::max(engine_.now_, rt.seg_start) + remaining / rt.rate;
}
double SchedulingContext::remaining_work(JobIndex j) const { return engine_.remaining_now(j); }
double SchedulingContext::attained_service(JobIndex j) const {
  const auto& rt = engine_.jobs_[j];
  double attained = rt.attained_before;
  if (rt.state == JobState::running || rt.state == JobState::suspending) {
    const Job& job = engine_.workload_.jobs[j];
    attained += job.num_gpus * (job.milli_per_gpu() * (1.0 / kMilliPerGpu)) * (engine_.now_ - rt.alloc_since);
  }
  return attained;
}
Seconds SchedulingContext::first_start(JobIndex j) const { return engine_.result_.jobs[j].first_start; }
std::uint32_t SchedulingContext::preemptions(JobIndex j) const { return engine_.result_.jobs[j].preemptions; }
double SchedulingContext::rate_on(JobIndex j, std::span<const GpuIndex> gpus) const {
  return engine_.rate_on(j, gpus);
}
std::span<const double> SchedulingContext::gpu_load() const { return engine_.gpu_load_; }
std::span<const GpuIndex> SchedulingContext::gpu_load_changed() const { return engine_.load_updated_; }
Seconds SchedulingContext::monitor_interval() const { return engine_.options_.monitor_interval; }

void SchedulingContext::start(JobIndex j, std::span<const GpuIndex> gpus) { engine_.act_start(j, gpus); }
void SchedulingContext::preempt(JobIndex j) { engine_.act_preempt(j); }
void SchedulingContext::migrate(JobIndex j, std::span<const GpuIndex> gpus) { engine_.act_migrate(j, gpus); }
void SchedulingContext::reject(JobIndex j, const std::string& reason) { engine_.act_reject(j, reason); }
void SchedulingContext::set_timer(Seconds at, std::uint64_t tag) { engine_.act_set_timer(at, tag); }
void SchedulingContext::reserve(GpuIndex g, bool reserved) { engine_.act_reserve(g, reserved); }
void SchedulingContext::count_reservation(bool hit) {
  (hit ? engine_.reservation_hits_ : engine_.reservation_misses_) += 1;
}
void SchedulingContext::set_attribute(const std::string& key, const std::string& value) {
  engine_.result_.attributes[key] = value;
}

}  // namespace fastgpu

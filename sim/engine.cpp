#include "sim/engine.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "sim/cycle_clock.h"
#include "sim/deadline.h"
#include "sim/error.h"
#include "sim/free_memory.h"
#include "sim/huge_pages.h"
#include "sim/invariants.h"
#include "sim/run_progress.h"
#include "sim/vc_metrics.h"

namespace fastgpu {

namespace {
// Times closer than this are the same instant for validation (earliest start).
constexpr double kTimeEps = 1e-9;

const Workload& checked_inputs(const Workload& workload, const EngineOptions& options) {
  if (!(options.monitor_interval > 0)) throw InputError("engine.monitor_interval must be > 0");
  const std::size_t n = workload.jobs.size();
  if (n >= kNoJob) throw InputError("too many jobs for one run");
  // The arrival cursor walks the jobs in order.
  for (std::size_t j = 1; j < n; ++j) {
    if (workload.jobs[j].submit < workload.jobs[j - 1].submit) {
      throw InternalError("workload not finalized: jobs must be sorted by submit time");
    }
  }
  return workload;
}
}  // namespace

Engine::Engine(const Workload& workload, std::shared_ptr<const std::vector<Job>> jobs, const ClusterSpec& cluster,
               Policy& policy, EngineOptions options, std::string policy_name)
    : workload_(checked_inputs(workload, options)),
      policy_(policy),
      options_(options),
      cluster_(cluster),
      allowed_types_(workload, cluster),
      vcs_(workload, cluster_),
      estimator_(workload, options),
      dependencies_(workload),
      attempts_(workload, options.keep_progress_on_failure),
      runtimes_(workload.jobs, attempts_),
      hardware_(options.failures, cluster_, options.seed),
      hardware_on_(hardware_.active()),
      recovery_(workload.jobs.size(), hardware_on_, options.failures ? options.failures->checkpoint_interval : 0.0),
      monitor_(cluster_),
      validator_(workload, cluster_, allowed_types_, policy_name),
      result_(workload, std::move(jobs), policy_name, options.seed, cluster_.num_gpus()),
      ctx_(*this),
      pending_(runtimes_),
      running_(runtimes_) {
  if (attempts_.active()) useful_at_run_start_.assign(workload.jobs.size(), 0.0);
  // Both change the work of a run; their combination has no defined meaning yet.
  if (attempts_.active() && hardware_on_)
    throw InputError("[failures] cannot be combined with a trace's recorded failed attempts");
}

// --- the event loop ---------------------------------------------------------

template <class Hook>
void Engine::timed(Hook&& hook) {
  const std::uint64_t t0 = cycle_clock_now();
  hook();
  counters_.scheduler_ticks += cycle_clock_now() - t0;
}

RunResult Engine::run() {
  counters_.wall_start = std::chrono::steady_clock::now();
  counters_.ticks_start = cycle_clock_now();
  const auto& jobs = workload_.jobs;
  options_.limits.check_plan(workload_, cluster_.spec(), options_.monitor_interval);
  monitor_.start(jobs.empty() ? 0.0 : jobs.front().submit);  // jobs are sorted by submit
  timed([&] { policy_.init(ctx_); });
  schedule_next_monitor();
  constexpr std::uint64_t kProgressEvery = 1u << 16;
  std::uint64_t next_progress = kProgressEvery;
  while (true) {
    const bool have_event = !events_.empty() || next_monitor_ != kNever;
    const bool have_arrival = next_arrival_ < jobs.size();
    // Simulated time ends at the last real event: monitor ticks left over on
    // an empty cluster would stretch the reserved-idle integral and the time
    // series by up to one interval. (A running job always has a finish event.)
    const bool have_hardware = hardware_on_ && hardware_.next_time() < kNever && jobs_left();
    if (!have_arrival && !have_hardware && (!have_event || (events_.empty() && pending_.empty()))) break;
    now_ = std::min(events_.empty() ? kNever : events_.top_time(), next_monitor_);
    if (have_arrival) now_ = std::min(now_, jobs[next_arrival_].submit);
    if (have_hardware) now_ = std::min(now_, hardware_.next_time());
    // Apply every event of this instant in (rank, sequence) order; arrivals
    // from the workload cursor sit between finishes and timers, the monitor
    // sample after everything else.
    while (true) {
      const bool event_now = !events_.empty() && events_.top_time() == now_;
      const bool arrival_now = next_arrival_ < jobs.size() && jobs[next_arrival_].submit == now_;
      // Hardware changes sit after finishes and before everything else.
      const bool hardware_now = hardware_on_ && hardware_.next_time() == now_;
      const bool monitor_now = next_monitor_ == now_;
      if (!event_now && !arrival_now && !hardware_now && !monitor_now) break;
      ++counters_.events;
      if (hardware_now && (!event_now || events_.top_kind() != EventKind::finish)) {
        hardware_change();
      } else if (arrival_now && (!event_now || events_.top_kind() >= EventKind::arrival)) {
        arrive(static_cast<JobIndex>(next_arrival_++));
      } else if (event_now) {
        handle(events_.pop());
        if (!events_.empty() && events_.top_kind() == EventKind::finish) prefetch_finish(events_.top_job());
      } else {
        next_monitor_ = kNever;
        monitor_sample();
        schedule_next_monitor();
      }
    }
    timed([&] { policy_.schedule(ctx_); });
    // Lending: borrowers stopped for an owner's waiting job free GPUs now, so
    // the policy decides again at this instant. A borrower only takes the GPUs
    // of a VC with no job waiting, and a stopped one makes its own VC wait, so
    // each round closes at least one more VC to borrowers; bounded all the same.
    if (vcs_.lending())
      for (std::uint32_t round = 0; round <= vcs_.num_vcs() && reclaim_lent_gpus(); ++round)
        timed([&] { policy_.schedule(ctx_); });
    if (options_.check_invariants) check_invariants(ctx_);
    check_stall();
    options_.limits.check_progress(now_, counters_.events, monitor_.sample_count());
    if (counters_.events >= next_progress) [[unlikely]] {
      next_progress = counters_.events + kProgressEvery;
      if (const ProgressHook& hook = thread_progress_hook()) hook(RunProgress{now_, counters_.events, next_arrival_, jobs.size()});
    }
  }
  // A last time-series row at the final instant, then close the accounting.
  if (now_ > monitor_.last_sample_time()) monitor_sample();
  monitor_.close(now_);
  timed([&] { policy_.finish(ctx_); });
  counters_.scheduler_seconds = cycle_ticks_to_seconds(
      counters_.scheduler_ticks, cycle_clock_now() - counters_.ticks_start,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - counters_.wall_start).count());
  // One pass over the jobs at the end (each pass over a million records is a
  // pass through memory): the final checks, the final GPUs and the totals.
  for (JobIndex j = 0; j < runtimes_.size(); ++j) {
    const JobState state = runtimes_.state(j);
    if (state != JobState::finished && state != JobState::rejected) {
      throw InternalError(fmt::format("job {} neither finished nor was rejected", jobs[j].id));
    }
    const JobRecord r = result_.record(j);
    check_job_run(jobs[j], workload_.trace_fields_of(j).failed_attempts, r, options_.keep_progress_on_failure);
    check_progress_accounting(r);
    counters_.job_gpu_seconds += r.gpu_seconds;
    counters_.preemptions += r.preemptions;
    counters_.migrations += r.migrations;
    result_.keep_final_gpus(j, jobs[j].num_gpus, state == JobState::finished);
  }
  // The jobs' run state is spent: its memory is free for the summary's tables.
  runtimes_.clear();
  free_memory(alloc_arena_);
  RunResult result = result_.finish(cluster_, monitor_, policy_, counters_, options_.responsiveness_alpha);
  result.summary.hardware_failures = hardware_.failures();
  if (vcs_.active()) result.vcs = compute_vc_summaries(vcs_, cluster_, result);
  return result;
}

void Engine::handle(const Event& e) {
  switch (e.kind) {
    case EventKind::finish:
      if (runtimes_.state(e.job) != JobState::running || runtimes_[e.job].version != e.version) break;
      if (attempts_.active() && attempts_.run_fails(e.job)) fail_allocation(e.job);
      else finish_job(e.job);
      break;
    case EventKind::suspend_done: suspend_done(e.job); break;
    case EventKind::arrival: arrive(e.job); break;
    case EventKind::timer: timed([&] { policy_.on_timer(ctx_, e.tag); }); break;
  }
}

void Engine::monitor_sample() {
  monitor_.sample(now_, static_cast<std::uint32_t>(pending_.size()), static_cast<std::uint32_t>(running_.size()));
  timed([&] { policy_.on_monitor(ctx_); });
}

// Samples continue only while there is something left to simulate, so an
// idle cluster at the end does not keep the loop alive.
void Engine::schedule_next_monitor() {
  const bool work_left = next_arrival_ < workload_.jobs.size() || !pending_.empty() || !running_.empty() ||
                         !events_.empty();
  if (!work_left) return;
  // Ticks stay on multiples of the interval; none before the first submit.
  const Seconds from = std::max(now_, monitor_.last_sample_time());
  const Seconds next = (std::floor(from / options_.monitor_interval) + 1) * options_.monitor_interval;
  next_monitor_ = next;
}

void Engine::check_stall() const {
  if (pending_.empty() || !running_.empty() || !events_.empty() ||
      next_arrival_ < workload_.jobs.size() || hardware_.repairs_outstanding()) {
    return;
  }
  throw PolicyError(fmt::format(
      "policy '{}' stalled at t={}: {} job(s) pending on an idle cluster and no event or timer left "
      "(first pending job id {})",
      validator_.policy_name(), now_, pending_.size(), workload_.jobs[pending_.front()].id));
}

// --- the job lifecycle --------------------------------------------------------

// A job is delivered to the policy once it is submitted, its dependencies are
// resolved and its time window has opened, whichever comes last.
void Engine::arrive(JobIndex j) {
  if (j >= next_arrival_ || dependencies_.waiting(j) || runtimes_.state(j) != JobState::not_arrived) return;
  const Job& job = workload_.jobs[j];
  if (dependencies_.predecessor_rejected(j)) {
    reject_job(j, "a job it depends on was rejected");
    return;
  }
  const Seconds window = workload_.trace_fields_of(j).earliest_start;
  if (window > now_ + kTimeEps) {  // come back when the window opens
    push_event(Event{.time = window, .kind = EventKind::arrival, .job = j});
    return;
  }
  if (const char* reason = allowed_types_.unplaceable_reason(j, job, cluster_)) {
    reject_job(j, reason);
    return;
  }
  if (vcs_.active()) {
    if (const std::string reason = vcs_.unplaceable_reason(j, job, allowed_types_.mask(j)); !reason.empty()) {
      reject_job(j, reason);
      return;
    }
  }
  runtimes_.begin_live(j);
  runtimes_.set_state(j, JobState::pending);
  pending_.add(j);
  policy_.on_arrival(ctx_, j);
}

void Engine::finish_job(JobIndex j) {
  JobOutputs& r = result_.outputs(j);
  const Job& job = workload_.jobs[j];
  count_progress(j);
  release(j);
  runtimes_.set_state(j, JobState::finished);
  running_.remove(j);
  const auto gpus = gpus_held(j);
  result_.record_final_gpus(j, gpus);
  r.gpu_type = cluster_.type_of(gpus.front());
  give_back_range(j);
  runtimes_.end_live(j);
  r.end = now_;
  // The job ran, so a type with room for its gang exists and the speed is > 0.
  r.runtime_alone = divided(job.work, fastest_usable_speed(j));
  if (job.has_deadline()) r.deadline_met = meets_deadline(now_, job.deadline) ? 1 : 0;
  dependencies_.resolve(j, /*rejected=*/false, [this](JobIndex s) { arrive(s); });
  policy_.on_finish(ctx_, j);
}

// Speed of the fastest type job j may use that has GPUs enough for its gang:
// the reference for its run time alone, so slowdowns measure against the best
// GPUs it could have had, not the ones it got.
double Engine::fastest_usable_speed(JobIndex j) const {
  const Job& job = workload_.jobs[j];
  double fastest = 0;
  for (std::uint64_t allowed = allowed_types_.mask(j); allowed != 0; allowed &= allowed - 1) {
    const auto t = static_cast<TypeIndex>(std::countr_zero(allowed));
    if (cluster_.gpus_of_type(t) >= job.num_gpus) fastest = std::max(fastest, cluster_.gpu_type(t).speed);
  }
  return fastest;
}

void Engine::suspend_done(JobIndex j) {
  release(j);
  runtimes_.set_state(j, JobState::pending);
  pending_.add(j);
  policy_.on_requeue(ctx_, j);
}

// A job the policy rejects keeps its runtime, so its remaining work stays
// readable; such jobs are few.
void Engine::reject_job(JobIndex j, const std::string& reason) {
  if (runtimes_.state(j) != JobState::not_arrived) give_back_range(j);  // rejected after it was queued
  runtimes_.set_state(j, JobState::rejected);
  result_.record_rejection(j, workload_.jobs[j], now_, reason);
  dependencies_.resolve(j, /*rejected=*/true, [this](JobIndex s) { arrive(s); });
}

// --- the policy's actions -------------------------------------------------------

void Engine::act_start(JobIndex j, std::span<const GpuIndex> gpus) {
  if (j >= runtimes_.size()) validator_.fail(kNoJob, fmt::format("start of unknown job index {}", j), now_);
  if (runtimes_.state(j) != JobState::pending) validator_.fail(j, "start of a job that is not pending", now_);
  validator_.check_gpus(j, gpus, "start", now_);
  if (vcs_.active()) check_vc_gpus(j, gpus, "start");
  allocate(j, gpus);
  pending_.remove(j);
  running_.add(j);
  runtimes_.set_state(j, JobState::running);
  result_.record_start(j, now_);
  const std::uint32_t preemptions = result_.outputs(j).preemptions;
  const bool resumes = attempts_.active() ? attempts_.resumes(j, preemptions) : recovery_.resumes(j, preemptions);
  begin_segment(j, now_ + (resumes ? restore_time(j) : 0.0));
}

void Engine::act_preempt(JobIndex j) {
  if (j >= runtimes_.size() || runtimes_.state(j) != JobState::running) {
    validator_.fail(j, "preempt of a job that is not running", now_);
  }
  if (!workload_.jobs[j].preemptible) validator_.fail(j, "preempt of a job that is not preemptible", now_);
  JobRuntime& rt = runtimes_[j];
  count_progress(j);
  rt.seg_remaining = remaining_now(j);
  rt.seg_start = now_;
  rt.rate = 0;
  ++rt.version;
  runtimes_.set_state(j, JobState::suspending);
  running_.remove(j);
  ++result_.outputs(j).preemptions;
  push_event(Event{.time = now_ + checkpoint_time(j), .kind = EventKind::suspend_done, .job = j});
}

void Engine::act_migrate(JobIndex j, std::span<const GpuIndex> gpus) {
  if (j >= runtimes_.size() || runtimes_.state(j) != JobState::running) {
    validator_.fail(j, "migrate of a job that is not running", now_);
  }
  JobRuntime& rt = runtimes_[j];
  const double remaining = remaining_now(j);
  release(j);
  try {
    validator_.check_gpus(j, gpus, "migrate", now_);
    if (vcs_.active()) check_vc_gpus(j, gpus, "migrate");
  } catch (...) {
    // Put the job back where it was, so the error leaves the state unchanged.
    const auto old = gpus_held(j);
    allocate(j, std::vector<GpuIndex>(old.begin(), old.end()));
    throw;
  }
  count_progress(j);
  allocate(j, gpus);
  rt.seg_remaining = remaining;
  ++result_.outputs(j).migrations;
  begin_segment(j, now_ + checkpoint_time(j) + restore_time(j));
}

void Engine::act_reject(JobIndex j, const std::string& reason) {
  if (j >= runtimes_.size() || runtimes_.state(j) != JobState::pending) {
    validator_.fail(j, "reject of a job that is not pending", now_);
  }
  pending_.remove(j);
  reject_job(j, reason.empty() ? std::string("rejected by policy") : reason);
}

void Engine::act_set_timer(Seconds at, std::uint64_t tag) {
  if (!(at >= now_)) validator_.fail(kNoJob, fmt::format("timer set in the past (t={})", at), now_);
  push_event(Event{.time = at, .kind = EventKind::timer, .tag = tag});
}

void Engine::act_reserve(GpuIndex g, bool reserved) {
  if (g >= cluster_.num_gpus()) {
    validator_.fail(kNoJob, fmt::format("reserve of GPU {} which does not exist", g), now_);
  }
  monitor_.before_change(g, now_);  // closes the reserved-idle integral under the old state
  cluster_.set_reserved(g, reserved);
  monitor_.after_change(g);
}

// --- allocation and progress ----------------------------------------------------

void Engine::allocate(JobIndex j, std::span<const GpuIndex> gpus) {
  const Job& job = workload_.jobs[j];
  const std::uint32_t milli = job.milli_per_gpu();
  if (runtimes_[j].alloc_offset == kNoRange) {
    // A new place may grow the arena, which would move GPUs a policy passed from it (another job's).
    if (!alloc_arena_.empty() && gpus.data() >= alloc_arena_.data() &&
        gpus.data() < alloc_arena_.data() + alloc_arena_.size()) {
      gpus_scratch_.assign(gpus.begin(), gpus.end());
      gpus = gpus_scratch_;
    }
    const std::uint32_t at = take_range(job.num_gpus);
    runtimes_[j].alloc_offset = at;
  }
  JobRuntime& rt = runtimes_[j];
  rt.alloc_since = now_;
  GpuIndex* held = alloc_arena_.data() + rt.alloc_offset;
  bool on_reserved = false;
  for (GpuIndex g : gpus) {
    monitor_.before_change(g, now_);
    cluster_.allocate_deferred(g, milli);
    monitor_.after_change(g);
    monitor_.memory_held(job.gpu_memory_gb);
    *held++ = g;  // a job's own GPUs again (migration back) write the same values
    on_reserved |= cluster_.is_reserved(g);
  }
  cluster_.update_indexes();
  if (on_reserved) result_.outputs(j).on_reserved = true;
}

void Engine::release(JobIndex j) {
  const Job& job = workload_.jobs[j];
  const std::uint32_t milli = job.milli_per_gpu();
  JobRuntime& rt = runtimes_[j];
  for (GpuIndex g : gpus_held(j)) {
    monitor_.before_change(g, now_);
    cluster_.release_deferred(g, milli);
    monitor_.after_change(g);
    monitor_.memory_freed(job.gpu_memory_gb);
  }
  cluster_.update_indexes();
  const double held = job.num_gpus * (milli * (1.0 / kMilliPerGpu)) * (now_ - rt.alloc_since);
  if (vcs_.lending()) vcs_.account_release(j, gpus_held(j), cluster_, milli * (1.0 / kMilliPerGpu), now_ - rt.alloc_since);
  result_.outputs(j).gpu_seconds += held;  // also the job's attained service before this allocation
  rt.alloc_since = now_;
}

std::uint32_t Engine::new_range(std::uint32_t gpus) {
  // Offsets are 32-bit (JobRuntime stays 48 bytes): 4 G GPU entries of live jobs are 16 GB.
  if (alloc_arena_.size() + gpus > UINT32_MAX)
    throw InputError(fmt::format("run too large: more than {} GPUs held by live jobs", UINT32_MAX));
  const auto at = static_cast<std::uint32_t>(alloc_arena_.size());
  alloc_arena_.resize(alloc_arena_.size() + gpus);
  return at;
}

void Engine::begin_segment(JobIndex j, Seconds progress_from) {
  JobRuntime& rt = runtimes_[j];
  rt.seg_start = progress_from;
  rt.rate = rate_on(gpus_held(j));
  ++rt.version;
  push_event(Event{.time = rt.seg_start + divided(rt.seg_remaining, rt.rate),
                   .kind = EventKind::finish,
                   .job = j,
                   .version = rt.version});
}

Seconds Engine::checkpoint_time(JobIndex j) const {
  return options_.checkpoint_seconds + options_.checkpoint_seconds_per_gb * workload_.jobs[j].gpu_memory_gb;
}
Seconds Engine::restore_time(JobIndex j) const {
  return options_.restore_seconds + options_.checkpoint_seconds_per_gb * workload_.jobs[j].gpu_memory_gb;
}

RunResult simulate(const Workload& workload, const ClusterSpec& cluster, Policy& policy, const EngineOptions& options,
                   const std::string& policy_name) {
  Engine engine(workload, std::make_shared<const std::vector<Job>>(workload.jobs), cluster, policy, options,
                policy_name);
  return engine.run();
}

RunResult simulate(const std::shared_ptr<const Workload>& workload, const ClusterSpec& cluster, Policy& policy,
                   const EngineOptions& options, const std::string& policy_name) {
  Engine engine(*workload, std::shared_ptr<const std::vector<Job>>(workload, &workload->jobs), cluster, policy,
                options, policy_name);
  return engine.run();
}

}  // namespace fastgpu

#include "experiments/mpi_runner.h"

#ifdef FASTGPU_HAVE_MPI


#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "experiments/mpi_api.h"
#include "experiments/progress.h"
#include "sim/error.h"
#include "results_io/run_result_codec.h"

namespace fastgpu::experiments {

namespace {

// Worker -> rank 0: every message is answered with one kWork or kStop.
constexpr int kReady = 1;   // empty: the worker's first request
constexpr int kResult = 2;  // u64 run index, then encode_run_result bytes
constexpr int kError = 3;   // u64 run index, i32 exit code (2 input, 1 internal), message text
// Rank 0 -> worker.
constexpr int kWork = 4;    // u64 run index
constexpr int kStop = 5;    // empty: no more work (all handed out, or a run failed)

// How long rank 0's dispatcher sleeps when no message is waiting. Runs take
// seconds, so this costs nothing in latency and keeps rank 0's core free for
// its own simulations (a blocking MPI_Recv would spin on it).
constexpr auto kPollInterval = std::chrono::microseconds(200);

void append_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

std::uint64_t read_u64(std::string_view in, std::size_t at) {
  if (in.size() < at + sizeof(std::uint64_t)) throw InternalError("MPI message too short");
  std::uint64_t v;
  std::memcpy(&v, in.data() + at, sizeof v);
  return v;
}

std::string error_message(std::uint64_t index, std::int32_t code, const std::string& text) {
  std::string out;
  append_u64(out, index);
  out.append(reinterpret_cast<const char*>(&code), sizeof code);
  out += text;
  return out;
}

int checked_size(const std::string& bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw InternalError(fmt::format("a run result of {} bytes is too large for one MPI message", bytes.size()));
  }
  return static_cast<int>(bytes.size());
}

// Runs on ranks other than 0: `threads` loops of ask-for-work / simulate /
// send-result. MPI calls are serialised by `mpi_mutex`; a send and the
// receive of its answer happen under one lock, so each answer reaches the
// thread that asked.
void work_for_rank0(const MpiWorld& world, const ExperimentConfig& config, const std::vector<RunSpec>& runs,
                    const RunnerOptions& options, unsigned threads) {
  const MpiApi& mpi = mpi_api();
  std::mutex mpi_mutex;
  RunnerOptions quiet = options;
  quiet.quiet = true;  // notes come from rank 0 only
  quiet.progress = false;
  auto loop = [&] {
    WorkloadSlot slot;
    std::string message;
    int tag = kReady;
    for (;;) {
      std::uint64_t index = 0;
      int answer = 0;
      {
        std::lock_guard lock(mpi_mutex);
        mpi.send(message.data(), checked_size(message), 0, tag);
        // Wait for the answer by polling with sleeps: a blocking receive
        // spins a core that this rank's other threads (or, oversubscribed,
        // another rank) could use to simulate.
        void* request = mpi.irecv(&index, sizeof index, 0);
        while (!mpi.test(request, &answer)) std::this_thread::sleep_for(kPollInterval);
      }
      if (answer == kStop) return;
      if (answer != kWork || index >= runs.size()) world.abort("unexpected message from rank 0");
      try {
        RunResult r = perform_run(config, runs[index], slot, quiet);
        message.clear();
        append_u64(message, index);
        message += encode_run_result(r);
        checked_size(message);
        tag = kResult;
      } catch (const InputError& e) {
        message = error_message(index, 2, e.what());
        tag = kError;
      } catch (const std::exception& e) {
        message = error_message(index, 1, e.what());
        tag = kError;
      }
    }
  };
  // Rank 0 cannot learn of an error outside a run (it would wait for this
  // rank's messages), so such an error ends the whole job.
  auto guarded = [&] {
    try {
      loop();
    } catch (const std::exception& e) {
      world.abort(e.what());
    }
  };
  if (threads <= 1) {
    guarded();  // on the thread that initialised MPI: fine at any thread level
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(guarded);
  for (std::thread& t : pool) t.join();
}

}  // namespace

std::optional<std::vector<RunResult>> run_experiment_mpi(const MpiWorld& world, const ExperimentConfig& config,
                                                         const std::vector<RunSpec>& runs,
                                                         const RunnerOptions& options) {
  if (!world.distributed()) return run_experiment(config, runs, options);
  const std::size_t n = runs.size();
  unsigned threads = std::max(1u, options.threads);
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  if (world.rank() != 0 && threads > 1 && !world.serialized_threads()) threads = 1;

  // Rank 0 learns how many worker threads will ask for work (each is stopped once).
  int mine = static_cast<int>(threads);
  std::vector<int> per_rank(static_cast<std::size_t>(world.size()));
  const MpiApi& mpi = mpi_api();
  mpi.gather_int(mine, per_rank.data(), 0);
  if (world.rank() != 0) {
    work_for_rank0(world, config, runs, options, threads);
    return std::nullopt;
  }
  int remote_threads = 0;
  for (int r = 1; r < world.size(); ++r) remote_threads += per_rank[static_cast<std::size_t>(r)];

  const std::vector<std::size_t> order = execution_order(config, runs);
  std::vector<RunResult> results(n);
  std::vector<std::exception_ptr> errors(n);  // each index written by one thread only
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  ProgressLine progress(n, options.progress);
  auto take = [&]() -> std::optional<std::size_t> {
    if (failed.load()) return std::nullopt;
    const std::size_t k = next.fetch_add(1);
    return k < n ? std::optional<std::size_t>(order[k]) : std::nullopt;
  };
  auto describe_run = [&](std::size_t i) { return fmt::format("{} seed {}", runs[i].label, runs[i].seed); };

  OrderedDelivery delivery(options, order, results, errors, failed);

  // Rank 0's own simulations: threads that never call MPI. Between runs they
  // also deliver results (the dispatcher stays free to answer the workers).
  std::vector<std::thread> local;
  for (unsigned t = 0; t < threads; ++t) {
    local.emplace_back([&] {
      WorkloadSlot slot;
      while (const auto i = take()) {
        try {
          results[*i] = perform_run(config, runs[*i], slot, options);
        } catch (...) {
          errors[*i] = std::current_exception();
          failed = true;
          return;
        }
        progress.run_done(describe_run(*i));
        delivery.ready(*i);
        delivery.deliver(false);
      }
    });
  }

  // The dispatcher: answer every worker message until every worker thread is stopped.
  try {
    std::string buffer;
    for (int stopped = 0; stopped < remote_threads;) {
      int source = 0, tag = 0, count = 0;
      if (!mpi.iprobe(&source, &tag, &count)) {
        std::this_thread::sleep_for(kPollInterval);
        continue;
      }
      buffer.resize(static_cast<std::size_t>(count));
      mpi.recv(buffer.data(), count, source, tag);
      if (tag == kResult) {
        const std::uint64_t i = read_u64(buffer, 0);
        if (i >= n) throw InternalError("run index out of range");
        results[i] = decode_run_result(std::string_view(buffer).substr(sizeof i));
        progress.run_done(describe_run(i));
        delivery.ready(i);
      } else if (tag == kError) {
        const std::uint64_t i = read_u64(buffer, 0);
        std::int32_t code = 1;
        if (i >= n || buffer.size() < sizeof i + sizeof code) throw InternalError("malformed error message");
        std::memcpy(&code, buffer.data() + sizeof i, sizeof code);
        std::string text = fmt::format("{} (run '{}' seed {}, MPI rank {})", buffer.substr(sizeof i + sizeof code),
                                       runs[i].label, runs[i].seed, source);
        errors[i] = code == 2 ? std::make_exception_ptr(InputError(text))
                              : std::make_exception_ptr(InternalError(text));
        failed = true;
      } else if (tag != kReady) {
        throw InternalError(fmt::format("unexpected message tag {} from rank {}", tag, source));
      }
      if (const auto i = take()) {
        const std::uint64_t index = *i;
        mpi.send(&index, sizeof index, source, kWork);
      } else {
        mpi.send(nullptr, 0, source, kStop);
        ++stopped;
      }
    }
  } catch (const std::exception& e) {
    world.abort(e.what());  // the workers wait on rank 0: end the whole job
  }
  for (std::thread& t : local) t.join();
  if (!failed) delivery.deliver(true);
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return results;
}

}  // namespace fastgpu::experiments

#else  // built without MPI: a world of one process

namespace fastgpu::experiments {

std::optional<std::vector<RunResult>> run_experiment_mpi(const MpiWorld&, const ExperimentConfig& config,
                                                         const std::vector<RunSpec>& runs,
                                                         const RunnerOptions& options) {
  return run_experiment(config, runs, options);
}

}  // namespace fastgpu::experiments

#endif

// Trace replay benchmark: converts each public sample present in the shared
// data directory (and a generated Philly-size canonical CSV, and the same jobs
// as a Philly-format JSON array) and replays it
// under fifo, least-loaded and recorded. Prints, per sample, the parse rate
// (rows/s) with the peak RSS of the parsing process next to the file size (a
// streaming reader stays well below the input), and the replay rate (jobs/s)
// and wall time per policy; every figure is the median of --repeat runs, each
// in a forked child so that RSS and allocator state are its own.
//
//   build/bench/bench_replay [--data DIR] [--repeat R] [--jobs N] [--keep-csv PATH]
//                            [--keep-json PATH] [--parse-only]
//   build/bench/bench_replay --parse-file FORMAT PATH [--repeat R]
//
// --parse-only measures the parsing alone (no replay); --keep-csv and
// --keep-json keep the generated files (for profiling a reader on them).
// --parse-file reads one file R times in this process and prints the rows per
// CPU second of each reading: a loop to run under perf or callgrind.
// DIR defaults to the project's ../shared/data; samples that are absent are
// listed as such. The generated CSV (N jobs, default 117,000, the size of the
// whole Philly trace) has recorded starts taken from a fifo run, so `recorded`
// must replay it with no delayed job.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "bench/bench_support.h"
#include "policies/builtin.h"
#include "sim/engine.h"
#include "workloads/csv_trace.h"
#include "workloads/synthetic.h"
#include "workloads/trace_cluster.h"
#include "workloads/trace_io.h"
#include "workloads/trace_reader.h"

using namespace fastgpu;
namespace fs = std::filesystem;

namespace {

struct Sample {
  std::string label;
  std::string format;
  std::vector<std::string> paths;
  std::function<ClusterSpec()> cluster;
  bool csv_like;  // a CSV-based format
};

struct Measurement {
  double seconds = 0;
  double rows = 0;       // parse: rows read; replay: jobs completed
  double extra = 0;      // replay: recorded_delayed (recorded only)
  double cpu_seconds = 0;  // parse: CPU time of the parsing
  double peak_rss_mb = 0;
};

// Runs `fn` in a forked child and returns what it measured, with the child's peak RSS.
template <class F>
Measurement in_child(F&& fn) {
  return bench::measure_in_child<Measurement>(std::forward<F>(fn), "bench_replay: a benchmark child failed");
}

using bench::median;

// CPU seconds this process has used (user and system).
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Philly-size cluster: the 11 VCs of philly_vc.csv hold 352 nodes, taken as 8-GPU servers.
ClusterSpec philly_cluster() {
  ClusterSpec c;
  c.gpu_types = {known_gpu_type("P40-24GB")};
  c.node_groups = {NodeGroup{.name = "P40-24GBx8", .count = 352, .gpus_per_node = 8, .gpu_type = 0}};
  return c;
}

// The jobs in the Philly per-job layout (a JSON array, one object per line):
// id, num_gpus, one attempt from the recorded start to its end, times as
// wall-clock strings from 2017-10-01 00:00 (read back as US Pacific time).
void write_philly_json(const Workload& w, const std::string& path) {
  const std::int64_t origin = trace::days_from_civil(2017, 10, 1) * 86400;
  auto at = [&](double t) { return trace::format_datetime(origin + static_cast<std::int64_t>(t)); };
  std::string text = "[\n";
  for (JobIndex j = 0; j < w.jobs.size(); ++j) {
    const Job& job = w.jobs[j];
    const double start = std::ceil(w.trace_fields_of(j).recorded_start);
    text += fmt::format(
        R"({{"id":"application_{}","num_gpus":{},"runtime":{},"attempts":[{{"start_time":"{}","end_time":"{}"}}],)"
        R"("submitted_time":"{}"}}{})",
        j, job.num_gpus, job.work, at(start), at(start + std::max(1.0, std::ceil(job.work))), at(std::floor(job.submit)),
        j + 1 < w.jobs.size() ? ",\n" : "\n]\n");
  }
  std::ofstream(path, std::ios::binary) << text;
}

std::uint64_t file_bytes(const std::vector<std::string>& paths) {
  std::uint64_t b = 0;
  for (const auto& p : paths) b += fs::file_size(p);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = FASTGPU_SHARED_DATA_DIR;
  int repeat = 3;
  std::uint64_t jobs = 117'000;
  std::string keep_csv, keep_json, parse_format, parse_path;
  bool parse_only = false;
  const char* usage =
      "usage: bench_replay [--data DIR] [--repeat R] [--jobs N] [--keep-csv PATH] [--keep-json PATH] "
      "[--parse-only]\n       bench_replay --parse-file FORMAT PATH [--repeat R]\n";
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--parse-only") {
      parse_only = true;
      continue;
    }
    if (flag == "--parse-file" && i + 2 < argc) {
      parse_format = argv[++i];
      parse_path = argv[++i];
      continue;
    }
    if (i + 1 >= argc) {
      fmt::print(stderr, "{}", usage);
      return 2;
    }
    const std::string value = argv[++i];
    if (flag == "--data") data = value;
    else if (flag == "--repeat") repeat = std::max(1, std::stoi(value));
    else if (flag == "--jobs") jobs = std::stoull(value);
    else if (flag == "--keep-csv") keep_csv = value;
    else if (flag == "--keep-json") keep_json = value;
    else {
      fmt::print(stderr, "{}", usage);
      return 2;
    }
  }

  if (!parse_path.empty()) {
    fmt::print("simdjson kernels {}\n", simdjson::get_active_implementation()->name());
    for (int r = 0; r < repeat; ++r) {
      const double c0 = cpu_now();
      TraceReadReport report;
      Workload w = read_trace(parse_format, {parse_path}, TraceReadOptions{}, &report);
      const double cpu = cpu_now() - c0;
      fmt::print("{} {}: {} rows in {:.4f} CPU s, {:.0f} rows/CPU s\n", parse_format, parse_path, report.rows, cpu,
                 static_cast<double>(report.rows) / cpu);
    }
    return 0;
  }

  // The generated canonical CSV: synthetic jobs on the Philly-size cluster, with
  // recorded starts from a fifo run of the same jobs.
  const fs::path tmp = fs::temp_directory_path() / fmt::format("fastgpu-bench-replay-{}", ::getpid());
  fs::create_directories(tmp);
  const std::string canonical = keep_csv.empty() ? (tmp / "philly_size.csv").string() : keep_csv;
  const std::string philly_json = keep_json.empty() ? (tmp / "philly_size.json").string() : keep_json;
  // Made in a child: the measuring children are forked from this process,
  // and a large heap here would turn their first writes into copies of its
  // pages, which a fresh fastgpu process does not pay.
  in_child([&] {
    SyntheticSpec spec;
    spec.jobs = jobs;
    spec.load = 0.9;
    spec.users = 300;
    Workload w = generate_synthetic(spec, philly_cluster(), 1);
    auto fifo = builtin_policies().create("fifo", {});
    RunResult r = simulate(w, philly_cluster(), *fifo, EngineOptions{}, "fifo");
    for (JobIndex j = 0; j < w.jobs.size(); ++j) w.mutable_trace_fields(j).recorded_start = r.jobs[j].first_start;
    write_csv_trace(w, canonical);
    write_philly_json(w, philly_json);
    return Measurement{};
  });

  auto in_data = [&](const std::string& rel) { return (fs::path(data) / rel).string(); };
  std::vector<Sample> samples;
  samples.push_back({fmt::format("canonical CSV, {} generated jobs", jobs), "csv", {canonical}, philly_cluster, true});
  samples.push_back(
      {fmt::format("philly JSON, {} generated jobs", jobs), "philly", {philly_json}, philly_cluster, false});
  if (fs::exists(in_data("philly-derived/philly_jobs_marwage_submitted_before_2017-11-20.json")))
    samples.push_back({"philly: 2,305 real jobs (JSON)", "philly",
                       {in_data("philly-derived/philly_jobs_marwage_submitted_before_2017-11-20.json")},
                       philly_cluster, false});
  if (fs::exists(in_data("alibaba-gpu-v2023/openb_pod_list_default.csv"))) {
    auto openb = [=] { return cluster_from_openb_nodes(in_data("alibaba-gpu-v2023/openb_node_list_gpu_node.csv")); };
    samples.push_back({"alibaba2023: openb default", "alibaba2023",
                       {in_data("alibaba-gpu-v2023/openb_pod_list_default.csv")}, openb, true});
    std::vector<std::string> all;
    // Every pod list with times (the multigpu* lists have none: packing inputs).
    for (const auto& e : fs::directory_iterator(in_data("alibaba-gpu-v2023"))) {
      if (!e.path().filename().string().starts_with("openb_pod_list_")) continue;
      std::ifstream in(e.path());
      std::string header;
      std::getline(in, header);
      if (header.find("creation_time") != std::string::npos) all.push_back(e.path().string());
    }
    std::sort(all.begin(), all.end());
    samples.push_back({fmt::format("alibaba2023: {} timed pod lists", all.size()), "alibaba2023", all, openb, true});
  }
  if (fs::exists(in_data("swf/hpc2n_alea_jobs0001-2000.swf")))
    samples.push_back({"swf: HPC2N 2,000 records", "swf", {in_data("swf/hpc2n_alea_jobs0001-2000.swf")},
                       [=] { return cluster_from_alea_machines(in_data("swf/hpc2n.swf.machines")); }, true});
  if (fs::exists(in_data("philly-derived/gavel_msr_seed0"))) {
    std::vector<std::string> all;
    for (const auto& e : fs::directory_iterator(in_data("philly-derived/gavel_msr_seed0")))
      if (e.path().extension() == ".trace") all.push_back(e.path().string());
    std::sort(all.begin(), all.end());
    samples.push_back({fmt::format("gavel: msr seed=0, {} VCs", all.size()), "gavel", all, philly_cluster, true});
  }

  const std::vector<std::string> policies{"fifo", "least-loaded", "recorded"};
  // simdjson picks its kernels for this CPU at run time (icelake: AVX-512,
  // haswell: AVX2, westmere: SSE4.2, fallback: none).
  fmt::print("replay benchmark: median of {} runs, each in its own process; data {}; simdjson kernels {}\n", repeat,
             data, simdjson::get_active_implementation()->name());
  fmt::print("{:<36} {:>8} {:>9} {:>8} {:>12} {:>12} {:>9} {:>9}  {}\n", "sample", "rows", "parse s", "file MB",
             "rows/s", "rows/CPU s", "RSS MB", "jobs", parse_only ? "" : "replay s (jobs/s) per policy");
  for (const Sample& s : samples) {
    std::vector<double> parse_s, parse_cpu, rows, rss;
    double kept = 0;
    for (int r = 0; r < repeat; ++r) {
      const Measurement m = in_child([&] {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_now();
        TraceReadReport report;
        Workload w = read_trace(s.format, s.paths, TraceReadOptions{}, &report);
        Measurement out;
        out.cpu_seconds = cpu_now() - c0;
        out.seconds = seconds_since(t0);
        out.rows = static_cast<double>(report.rows);
        out.extra = static_cast<double>(w.jobs.size());
        return out;
      });
      parse_s.push_back(m.seconds);
      parse_cpu.push_back(m.cpu_seconds);
      rows.push_back(m.rows);
      rss.push_back(m.peak_rss_mb);
      kept = m.extra;
    }
    std::string replay;
    for (const std::string& policy : policies) {
      if (parse_only) break;
      std::vector<double> sim, done, delayed;
      for (int r = 0; r < repeat; ++r) {
        const Measurement m = in_child([&] {
          Workload w = read_trace(s.format, s.paths, TraceReadOptions{});
          const ClusterSpec cluster = s.cluster();
          auto instance = bench::make_policy(policy);
          const auto t0 = std::chrono::steady_clock::now();
          RunResult res = simulate(w, cluster, *instance, EngineOptions{}, policy);
          Measurement out;
          out.seconds = seconds_since(t0);
          out.rows = static_cast<double>(res.summary.jobs_completed);
          if (auto it = res.attributes.find("recorded_delayed"); it != res.attributes.end())
            out.extra = std::stod(it->second);
          return out;
        });
        sim.push_back(m.seconds);
        done.push_back(m.rows);
        delayed.push_back(m.extra);
      }
      const double t = median(sim);
      replay += fmt::format("  {} {:.3f} ({:.0f}/s)", policy, t, kept / t);
      if (policy == "recorded") replay += fmt::format(" delayed {:.0f}", median(delayed));
    }
    const double p = median(parse_s), pc = median(parse_cpu);
    fmt::print("{:<36} {:>8.0f} {:>9.4f} {:>8.1f} {:>12.0f} {:>12.0f} {:>9.1f} {:>9.0f} {}\n", s.label, median(rows), p,
               static_cast<double>(file_bytes(s.paths)) / 1e6, median(rows) / p, median(rows) / pc, median(rss), kept,
               replay);
  }
  fmt::print("targets: canonical CSV >= 5,000,000 rows/s, Philly JSON >= 2,000,000 rows/s, other CSV formats\n"
             ">= 1,000,000 rows/s; a {}-job trace replays in < 2 s.\n", jobs);
  fmt::print("note: wall times on a shared machine; rerun when other work is running.\n");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return 0;
}

// fastgpu convert: reads a production trace (Philly, Alibaba, Helios, SWF,
// Gavel, Tiresias, or fastgpu CSV) and writes it as fastgpu's CSV trace or as
// a Batsim JSON workload, printing what was read, kept and skipped (by
// reason), the time span, the GPU-demand histogram and the reader's
// assumptions. Optionally turns the trace's cluster description (openb node
// list, Philly machine list, Alea machines file) into a [cluster] table.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "workloads/workload_loader.h"
#include "sim/error.h"
#include "sim/output_file.h"
#include "sim/run_limits.h"
#include "workloads/batsim_writer.h"
#include "workloads/csv_trace.h"
#include "workloads/trace_cluster.h"
#include "workloads/trace_reader.h"

namespace fastgpu::cli {

namespace {

std::string format_list() {
  std::string out;
  for (const auto& f : trace_formats()) out += fmt::format("  {:<12} {}\n", f.name, f.description);
  return out;
}

std::string duration_text(double s) {
  if (s >= 2 * 86400) return fmt::format("{:.2f} days", s / 86400);
  if (s >= 2 * 3600) return fmt::format("{:.2f} h", s / 3600);
  return fmt::format("{:.0f} s", s);
}

// Jobs per GPU count, in power-of-two buckets (1, 2, 3-4, 5-8, ...), with
// fractional-GPU jobs apart.
void print_histogram(std::FILE* out, const Workload& w) {
  std::map<std::uint32_t, std::uint64_t> buckets;  // upper bound -> jobs
  std::uint64_t shared = 0;
  for (const Job& j : w.jobs) {
    if (j.gpu_share < 1) {
      ++shared;
      continue;
    }
    std::uint32_t hi = 1;
    while (hi < j.num_gpus) hi *= 2;
    ++buckets[hi];
  }
  std::uint64_t most = shared;
  for (const auto& [hi, n] : buckets) most = std::max(most, n);
  auto bar = [&](std::uint64_t n) {
    return std::string(most ? static_cast<std::size_t>(std::ceil(40.0 * static_cast<double>(n) / most)) : 0, '#');
  };
  fmt::print(out, "  GPU demand (jobs by GPUs per job):\n");
  if (shared) fmt::print(out, "    {:>9}  {:>9}  {}\n", "<1 shared", shared, bar(shared));
  for (const auto& [hi, n] : buckets) {
    std::string label = hi <= 2 ? fmt::format("{}", hi) : fmt::format("{}-{}", hi / 2 + 1, hi);
    fmt::print(out, "    {:>9}  {:>9}  {}\n", label, n, bar(n));
  }
}

void print_summary(std::FILE* out, const std::string& format, std::size_t files, const Workload& w,
                   const TraceReadReport& r, double seconds) {
  fmt::print(out, "convert: format {}, {} file{}\n", format, files, files == 1 ? "" : "s");
  fmt::print(out, "  rows read   {:>10}\n  jobs kept   {:>10}\n  skipped     {:>10}\n", r.rows, w.jobs.size(),
             r.skipped_total());
  for (const auto& [why, n] : r.skipped) fmt::print(out, "    {:<34} {:>10}\n", why, n);
  if (!w.jobs.empty()) {
    double first = w.jobs.front().submit, last = w.jobs.back().submit, end = 0, gpu_seconds = 0;
    for (JobIndex i = 0; i < w.jobs.size(); ++i) {
      const Job& j = w.jobs[i];
      const Seconds recorded = w.trace_fields_of(i).recorded_start;
      double start = std::isnan(recorded) ? j.submit : recorded;
      end = std::max(end, start + j.work);
      gpu_seconds += j.work * j.num_gpus * j.gpu_share;
    }
    fmt::print(out, "  submits     {:.0f} .. {:.0f} s ({})\n", first, last, duration_text(last - first));
    fmt::print(out, "  last end    {:.0f} s (recorded start + run time; {})\n", end, duration_text(end));
    fmt::print(out, "  GPU time    {:.6g} GPU-hours\n", gpu_seconds / 3600);
    print_histogram(out, w);
  }
  if (!r.assumptions.empty()) {
    fmt::print(out, "  assumptions:\n");
    for (const auto& a : r.assumptions) fmt::print(out, "    - {}\n", a);
  }
  fmt::print(out, "  parsed in {:.3f} s ({:.0f} rows/s)\n", seconds, seconds > 0 ? r.rows / seconds : 0.0);
}

}  // namespace

int convert_command(const Args& args) {
  CommandLine cl("convert", "--format FORMAT IN... [-o OUT] [options]",
                 "Reads a trace in FORMAT and writes it as a fastgpu CSV trace (--to csv, the default) or a\n"
                 "Batsim JSON workload (--to batsim). Prints rows read, jobs kept, skipped rows by reason,\n"
                 "the time span, the GPU-demand histogram and the assumptions the reader made. Without -o\n"
                 "only the summary is printed. docs/trace-formats.md describes every format.\n\nFormats:\n" +
                     format_list(),
                 kOutput | kQuiet);
  cl.options().add_options()
      ("format,f", po::value<std::string>()->value_name("FORMAT"), "trace format (see the list above)")
      ("to", po::value<std::string>()->value_name("csv|batsim")->default_value("csv"), "output format")
      ("strict", "a job that would be skipped is an error naming file, line and field")
      ("skip-bad-rows", "skip and count malformed rows instead of failing")
      ("gpus-per-proc", po::value<double>()->value_name("X"), "swf: GPUs per processor (default 1)")
      ("last-attempt-only", "philly: a single run, the last attempt (default: every attempt, the earlier ones failing)")
      ("sum-attempts", "philly: a single run as long as all attempts together, from the first start")
      ("steps-per-second", po::value<double>()->value_name("X"), "gavel: steps/s of every job type (default 1)")
      ("throughputs", po::value<std::string>()->value_name("FILE"), "gavel: CSV job_type,steps_per_second")
      ("pin-gpu-type", "alibaba2020: the recorded gpu_type becomes a type constraint")
      ("nb-res", po::value<std::string>()->value_name("N"), "batsim: resources (GPUs) of the platform")
      ("cluster", po::value<std::string>()->value_name("FILE"),
       "the trace's cluster description (openb node list, Philly machine list, Alea .machines)")
      ("cluster-toml", po::value<std::string>()->value_name("FILE"), "write --cluster as a [cluster] TOML table");
  cl.add_positional("input", -1);
  if (!cl.parse(args)) return 0;
  if (!cl.has("format")) throw InputError("convert: --format is required (see 'fastgpu convert --help')");
  const std::string format = cl.vm()["format"].as<std::string>();
  find_trace_format(format);  // unknown format: InputError listing the known ones
  const std::string to = cl.vm()["to"].as<std::string>();
  if (to != "csv" && to != "batsim") throw InputError(fmt::format("convert: --to must be csv or batsim, got '{}'", to));

  TraceReadOptions o;
  o.strict = cl.has("strict");
  o.skip_bad_rows = cl.has("skip-bad-rows");
  o.sum_attempts = cl.has("sum-attempts");
  o.last_attempt_only = cl.has("last-attempt-only");
  if (o.sum_attempts && o.last_attempt_only)
    throw InputError("convert: --last-attempt-only and --sum-attempts ask for different single runs: give one");
  o.pin_gpu_type = cl.has("pin-gpu-type");
  if (cl.has("gpus-per-proc")) o.gpus_per_proc = cl.vm()["gpus-per-proc"].as<double>();
  if (cl.has("steps-per-second")) o.steps_per_second = cl.vm()["steps-per-second"].as<double>();
  if (cl.has("throughputs")) o.gavel_throughputs = cl.vm()["throughputs"].as<std::string>();
  if (!(o.gpus_per_proc > 0) || !std::isfinite(o.gpus_per_proc))
    throw InputError(fmt::format("convert: --gpus-per-proc must be > 0, got {}", o.gpus_per_proc));
  if (!(o.steps_per_second > 0) || !std::isfinite(o.steps_per_second))
    throw InputError(fmt::format("convert: --steps-per-second must be > 0, got {}", o.steps_per_second));

  std::FILE* out = cl.quiet() ? nullptr : stdout;
  if (cl.has("cluster")) {
    const ClusterSpec cluster = cluster_from_trace(format, cl.vm()["cluster"].as<std::string>(), o.gpus_per_proc);
    if (out) {
      fmt::print(out, "cluster: {} nodes, {} GPUs\n", cluster.num_nodes(), cluster.num_gpus());
      for (const auto& g : cluster.node_groups) {
        const GpuType& t = cluster.gpu_types[g.gpu_type];
        fmt::print(out, "  {:>6} x {:>2} {:<10} (speed {:g}, {:g} GB)\n", g.count, g.gpus_per_node, t.name, t.speed,
                   t.memory_gb);
      }
    }
    if (cl.has("cluster-toml")) {
      const std::string path = cl.vm()["cluster-toml"].as<std::string>();
      write_output_file(path, "# Cluster of " + cl.vm()["cluster"].as<std::string>() +
                                  " (fastgpu convert --cluster)\n" + cluster_to_toml(cluster));
    }
    if (!cl.has("input")) return 0;
  }
  if (!cl.has("input")) throw InputError("convert: no input files (see 'fastgpu convert --help')");
  const auto inputs = cl.vm()["input"].as<std::vector<std::string>>();

  if (cl.has("output")) check_output_path(cl.vm()["output"].as<std::string>());
  TraceReadReport report;
  const auto t0 = std::chrono::steady_clock::now();
  Workload w = read_trace(format, inputs, o, &report);
  require_jobs_kept(w, format, inputs, report);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (out) print_summary(out, format, inputs.size(), w, report, seconds);
  // Times a run could not simulate (a submit of 1e23 s) are refused here too,
  // rather than written to a file every later run would reject.
  RunLimits{}.check_job_times(w, inputs.size() == 1 ? inputs.front() : fmt::format("{} (+{} more)", inputs.front(),
                                                                                   inputs.size() - 1));

  if (cl.has("output")) {
    const std::string path = cl.vm()["output"].as<std::string>();
    if (to == "csv") {
      write_csv_trace(w, path);
      if (out) fmt::print(out, "wrote {} jobs to {} (fastgpu CSV)\n", w.jobs.size(), path);
    } else {
      BatsimWriteOptions bo;
      if (cl.has("nb-res")) bo.nb_res = parse_uint(cl.vm()["nb-res"].as<std::string>(), "--nb-res");
      BatsimWriteReport br = write_batsim_workload(w, path, bo);
      if (out) {
        fmt::print(out, "wrote {} jobs, {} delay profiles, nb_res {} to {} (Batsim JSON)\n", br.jobs, br.profiles,
                   br.nb_res, path);
        if (br.shared_as_whole)
          fmt::print(out, "  note: {} jobs with a fractional GPU were written as one whole resource\n",
                     br.shared_as_whole);
      }
    }
  } else if (out) {
    fmt::print(out, "no -o given: nothing written\n");
  }
  return 0;
}

}  // namespace fastgpu::cli

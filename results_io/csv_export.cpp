#include "results_io/csv_export.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "results_io/baseline_verdicts.h"
#include "results_io/hdf5_reader.h"
#include "sim/error.h"
#include "sim/metrics.h"
#include "sim/output_file.h"

namespace fastgpu {

namespace {

// A CSV file being written through OutputFile (temporary file, renamed at commit).
class CsvFile {
 public:
  explicit CsvFile(const std::string& path) : out_(path), f_(std::fopen(out_.temp_path().c_str(), "wb")) {
    if (!f_) throw InputError(SourceLocation{path, 0, ""}, "cannot open for writing");
  }
  ~CsvFile() {
    if (f_) std::fclose(f_);
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;

  void row(const std::vector<std::string>& fields) {
    buf_.clear();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) buf_.push_back(',');
      buf_ += csv_field(fields[i]);
    }
    buf_.push_back('\n');
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
      throw InputError(SourceLocation{out_.path(), 0, ""}, "cannot write (disk full?)");
  }
  void commit() {
    const int closed = std::fclose(f_);
    f_ = nullptr;
    if (closed != 0) throw InputError(SourceLocation{out_.path(), 0, ""}, "cannot write (disk full?)");
    out_.commit();
  }

 private:
  OutputFile out_;
  std::FILE* f_;
  std::string buf_;
};

// Shortest text that reads back to the same double; empty for NaN and infinity
// (a job that never started, no deadline).
std::string num(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }
template <class T>
std::string num(T v) {
  return fmt::format("{}", v);
}

std::string deadline_label(std::int8_t met) { return met < 0 ? "none" : met == 0 ? "missed" : "met"; }

}  // namespace

std::string csv_field(const std::string& text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

CsvExportResult export_results_csv(const std::string& results, const std::string& dir) {
  const std::vector<SummaryRow> rows = read_summary_table(results);
  const std::vector<std::string> type_names = read_gpu_type_names(results);
  const std::vector<BaselineVerdict> verdicts = read_baseline_verdicts(results);
  auto type_name = [&](TypeIndex t) { return t < type_names.size() ? type_names[t] : fmt::format("type {}", t); };
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(SourceLocation{dir, 0, ""}, fmt::format("cannot create the directory: {}", ec.message()));
  const auto path = [&](const char* name) { return (std::filesystem::path(dir) / name).string(); };
  CsvExportResult out;
  out.runs = rows.size();

  // summary.csv: the metrics in summary_fields order, then any the file has beyond them.
  std::vector<std::string> metrics;
  for (const auto& [name, _] : summary_fields(Summary{})) metrics.push_back(name);
  std::set<std::string> known(metrics.begin(), metrics.end()), sweep_keys;
  for (const SummaryRow& r : rows) {
    for (const auto& [name, _] : r.metrics) {
      if (known.insert(name).second) metrics.push_back(name);
    }
    for (const auto& [key, _] : r.sweep) sweep_keys.insert(key);
  }
  CsvFile summary(path("summary.csv"));
  std::vector<std::string> header{"policy", "workload", "seed"};
  for (const std::string& k : sweep_keys) header.push_back("sweep." + k);
  header.insert(header.end(), metrics.begin(), metrics.end());
  summary.row(header);
  for (const SummaryRow& r : rows) {
    std::vector<std::string> f{r.policy, r.workload, num(r.seed)};
    for (const std::string& k : sweep_keys) f.push_back(r.sweep.count(k) ? r.sweep.at(k) : "");
    for (const std::string& m : metrics) f.push_back(r.metrics.count(m) ? num(r.metrics.at(m)) : "");
    summary.row(f);
  }

  CsvFile jobs(path("jobs.csv"));
  jobs.row({"policy", "workload", "seed", "job_id", "user", "priority", "num_gpus", "gpu_share", "submit",
            "first_start", "final_start", "end", "wait", "jct", "deadline", "work", "runtime_alone", "gpu_seconds",
            "failed_gpu_seconds", "preemptions", "migrations", "attempts", "deadline_met", "on_reserved", "gpu_type",
            "outcome", "reject_reason"});
  CsvFile series(path("timeseries.csv"));
  series.row({"policy", "workload", "seed", "time", "busy_gpus", "utilisation", "load_variance", "queue_length",
              "running", "reserved_idle", "memory_used_gb"});
  for (const SummaryRow& r : rows) {
    const std::vector<JobRecord> records = read_job_records(results, r.policy, r.workload, r.seed);
    const std::vector<std::string> reasons = read_reject_reason_texts(results, r.policy, r.workload, r.seed);
    for (std::size_t j = 0; j < records.size(); ++j) {
      const JobRecord& x = records[j];
      const bool finished = x.outcome == JobOutcome::finished;
      jobs.row({r.policy, r.workload, num(r.seed), num(x.id), num(x.user), num(x.priority), num(x.num_gpus),
                num(static_cast<double>(x.gpu_share)), num(x.submit), num(x.first_start), num(x.final_start),
                num(x.end), num(x.wait()), finished ? num(x.jct()) : "", num(x.deadline), num(x.work),
                num(x.runtime_alone), num(x.gpu_seconds), num(x.failed_gpu_seconds), num(x.preemptions),
                num(x.migrations), num(x.attempts), deadline_label(x.deadline_met), x.on_reserved ? "true" : "false",
                std::isnan(x.first_start) ? "" : type_name(x.gpu_type), finished ? "finished" : "rejected",
                j < reasons.size() ? reasons[j] : ""});
    }
    out.jobs += records.size();
    for (const TimeSample& s : read_timeseries(results, r.policy, r.workload, r.seed)) {
      series.row({r.policy, r.workload, num(r.seed), num(s.time), num(s.busy_gpus), num(s.utilisation),
                  num(s.load_variance), num(s.queue_length), num(s.running), num(s.reserved_idle),
                  num(s.memory_used_gb)});
      ++out.samples;
    }
  }
  summary.commit();
  jobs.commit();
  series.commit();
  out.files = {path("summary.csv"), path("jobs.csv"), path("timeseries.csv")};

  if (!verdicts.empty()) {
    CsvFile v(path("baseline_verdicts.csv"));
    v.row({"workload", "baseline", "policy", "metric", "pairs", "baseline_mean", "policy_mean", "difference_mean",
           "difference_lo", "difference_hi", "verdict"});
    for (const BaselineVerdict& b : verdicts) {
      v.row({b.workload, b.baseline, b.policy, b.metric, num(b.pairs), num(b.baseline_mean), num(b.policy_mean),
             num(b.difference_mean), num(b.difference_mean - b.difference_half_width),
             num(b.difference_mean + b.difference_half_width), b.verdict});
    }
    v.commit();
    out.files.push_back(path("baseline_verdicts.csv"));
  }
  return out;
}

}  // namespace fastgpu

// Alibaba PAI GPU trace v2020 (Weng et al., "MLaaS in the Wild", NSDI'22;
// github.com/alibaba/clusterdata cluster-trace-gpu-v2020): two headerless CSVs,
//   pai_job_table:  job_name,inst_id,user,status,start_time,end_time
//   pai_task_table: job_name,task_name,inst_num,status,start_time,end_time,
//                   plan_cpu,plan_mem,plan_gpu,gpu_type
// given in any order (told apart by their published names, else by their
// column count; a header row naming
// `job_name` first is accepted and skipped). Times are seconds on a shifted
// clock; job.start_time is the submission, task start/end the launch and
// completion; plan_gpu is in percent of one GPU (50 = half a GPU) per instance,
// inst_num the number of instances of the task.
//
// Mapping (a job = all its tasks as one gang): submit = job start_time;
// recorded start = earliest task start; run time = latest task end - earliest
// task start; GPU demand = sum over tasks of inst_num x plan_gpu / 100:
//  - one GPU instance with plan_gpu <= 100 -> 1 GPU with gpu_share plan_gpu/100;
//  - otherwise ceil(demand) whole GPUs (exact when every plan_gpu is a
//    multiple of 100; several fractional instances are rounded up, noted).
// gpu_type is the type a task ran on, not a request: it becomes a type
// constraint only with options.pin_gpu_type. user = user; ids are positions,
// job_name goes to Workload::job_names.
// Skips: job status Waiting ("never started") or Running ("unfinished"); no
// task rows ("no task record"); no GPU in any task ("no GPU requested"); a
// task without start or end time; run time <= 0. Failed jobs are kept.
// Memory: the task table is folded into one small record per job before the
// job table streams past; nothing else is held.
#include <cmath>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "workloads/production_traces.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using trace::CsvRows;
using trace::Issues;

constexpr std::size_t kJobColumns = 6, kTaskColumns = 10;

struct TaskAgg {
  double start = std::numeric_limits<double>::infinity();
  double end = -std::numeric_limits<double>::infinity();
  double gpu_percent = 0;        // sum of inst_num x plan_gpu
  double max_plan_gpu = 0;       // largest per-instance plan_gpu
  std::uint32_t gpu_instances = 0;
  std::uint32_t tasks = 0;
  bool missing_time = false;     // a task without start or end
  bool fractional = false;       // some GPU instance asks for a non-multiple of 100 %
  std::uint32_t type_mask = 0;   // bit i = gpu_types[i] used by a GPU task
};

std::size_t count_columns(const std::string& path) {
  CsvScanner csv(path);
  return csv.next() ? csv.fields().size() : 0;
}

class Pai2020Reader {
 public:
  Pai2020Reader(const TraceReadOptions& options, Workload& out, TraceReadReport& report)
      : issues_(options, report), options_(options), out_(out), report_(report) {}

  void read(const std::vector<std::string>& paths) {
    std::vector<std::string> jobs, tasks;
    for (const auto& p : paths) {
      // The published names tell the tables apart without a look inside
      // (which a pipe would not survive: it can be read only once).
      const std::string name = std::filesystem::path(p).filename().string();
      if (name.find("task_table") != std::string::npos) {
        tasks.push_back(p);
        continue;
      }
      if (name.find("job_table") != std::string::npos) {
        jobs.push_back(p);
        continue;
      }
      std::size_t n = count_columns(p);
      if (n == kJobColumns) jobs.push_back(p);
      else if (n == kTaskColumns) tasks.push_back(p);
      else
        throw InputError({p, 1, ""}, fmt::format("not a PAI 2020 job table ({} columns) or task table ({} columns): "
                                                 "found {} columns",
                                                 kJobColumns, kTaskColumns, n));
    }
    if (jobs.empty() || tasks.empty())
      throw InputError({paths.empty() ? "" : paths.front(), 0, ""},
                       "alibaba2020 needs both pai_job_table.csv (6 columns) and pai_task_table.csv (10 columns)");
    for (const auto& p : tasks) read_tasks(p);
    for (const auto& p : jobs) read_jobs(p);
    trace::rebase_to_first_submit(out_, issues_, [](double origin) {
      return fmt::format("job start_time {:g} s of the trace's shifted clock", origin);
    });
    issues_.note(options_.pin_gpu_type ? "gpu_type (the type a task ran on) used as a type constraint"
                                       : "gpu_type not used as a constraint (pin_gpu_type is off)");
    issues_.note(fmt::format("{} task rows folded into {} jobs", task_rows_, agg_.size()));
    issues_.finish();
  }

 private:
  void read_tasks(const std::string& path) {
    CsvRows rows(path, issues_, ',', false, kTaskColumns, "job_name");
    while (rows.next()) {
      ++task_rows_;
      auto f = rows.row();
      double inst = 0, plan_gpu = 0, start = 0, end = 0;
      if (!f.number(rows[2], "inst_num", inst)) continue;
      std::string_view g = trace::trim(rows[8]);
      if (!g.empty() && !f.number(g, "plan_gpu", plan_gpu)) continue;
      std::uint32_t instances = 0;
      if (plan_gpu < 0) {
        f.bad("plan_gpu", "must be >= 0");
        continue;
      }
      if (!trace::checked_gpu_count(issues_, f.at("inst_num"), std::ceil(inst), instances)) continue;
      std::string_view s = trace::trim(rows[4]), e = trace::trim(rows[5]);
      bool has_start = !s.empty(), has_end = !e.empty();
      if ((has_start && !f.number(s, "start_time", start)) || (has_end && !f.number(e, "end_time", end))) continue;
      TaskAgg& a = agg_[std::string(trace::trim(rows[0]))];
      ++a.tasks;
      if (!has_start || !has_end) a.missing_time = true;
      if (has_start) a.start = std::min(a.start, start);
      if (has_end) a.end = std::max(a.end, end);
      if (plan_gpu > 0 && inst > 0) {
        a.gpu_percent += inst * plan_gpu;
        a.gpu_instances = std::min(a.gpu_instances + instances, trace::kMaxGpusPerJob + 1);
        a.max_plan_gpu = std::max(a.max_plan_gpu, plan_gpu);
        if (std::fmod(plan_gpu, 100.0) != 0) a.fractional = true;
        a.type_mask |= 1u << type_index(trace::trim(rows[9]));
      }
    }
  }

  unsigned type_index(std::string_view name) {
    for (std::size_t i = 0; i < gpu_types_.size(); ++i)
      if (gpu_types_[i] == name) return static_cast<unsigned>(i);
    if (gpu_types_.size() >= 31) return 31;  // "other" bucket; PAI 2020 has 6 types
    gpu_types_.emplace_back(name);
    return static_cast<unsigned>(gpu_types_.size() - 1);
  }

  void read_jobs(const std::string& path) {
    CsvRows rows(path, issues_, ',', false, kJobColumns, "job_name");
    trace::reserve_for_file(out_, path, 100, {.names = true, .trace_fields = true});
    while (rows.next()) {
      ++report_.rows;
      auto f = rows.row();
      std::string_view status = trace::trim(rows[3]);
      double submit = 0;
      if (!f.number(rows[4], "start_time", submit)) continue;
      if (status == "Waiting") {
        issues_.skip(rows.at("status"), trace::reason::never_started, "status Waiting");
        continue;
      }
      if (status == "Running") {
        issues_.skip(rows.at("status"), trace::reason::unfinished, "status Running");
        continue;
      }
      std::string name(trace::trim(rows[0]));
      auto it = agg_.find(name);
      if (it == agg_.end()) {
        issues_.skip(rows.at("job_name"), "no task record", fmt::format("job {} is not in the task table", name));
        continue;
      }
      const TaskAgg& a = it->second;
      if (a.gpu_percent <= 0) {
        issues_.skip(rows.at("job_name"), trace::reason::no_gpu, "no task asks for a GPU");
        continue;
      }
      if (a.missing_time || !std::isfinite(a.start) || !std::isfinite(a.end)) {
        issues_.skip(rows.at("job_name"), trace::reason::missing_runtime, "a task has no start or end time");
        continue;
      }
      if (!trace::runtime_ok(issues_, rows.at("end_time"), a.end - a.start)) continue;

      Job j;
      j.id = static_cast<std::int64_t>(out_.jobs.size());
      j.submit = submit;
      j.work = a.end - a.start;
      JobTraceFields trace;
      trace.recorded_start = a.start;
      if (a.start < submit) {
        issues_.note("a task started before its job's start_time: recorded start set to submit");
        trace.recorded_start = submit;
      }
      if (a.gpu_instances == 1 && a.max_plan_gpu <= 100) {
        j.num_gpus = 1;
        j.gpu_share = static_cast<float>(std::max(0.001, a.max_plan_gpu / 100.0));
      } else {
        double gpus = std::ceil(a.gpu_percent / 100.0 - 1e-9);
        if (a.fractional) issues_.note("jobs with several fractional-GPU instances: total rounded up to whole GPUs");
        if (!trace::checked_gpu_count(issues_, rows.at("job_name (sum of inst_num x plan_gpu / 100 over its tasks)"),
                                      std::max(1.0, gpus), j.num_gpus))
          continue;
      }
      if (options_.pin_gpu_type) {
        std::vector<std::string> allowed;
        for (std::size_t i = 0; i < gpu_types_.size(); ++i)
          if ((a.type_mask >> i) & 1u && !gpu_types_[i].empty()) allowed.push_back(gpu_types_[i]);
        j.gpu_types = out_.intern_type_constraint(allowed);
      }
      j.user = out_.intern_user(std::string(trace::trim(rows[2])));
      if (status == "Failed") issues_.note("Failed jobs kept with the run time they used");
      else if (status != "Terminated") issues_.note(fmt::format("job status '{}' kept", status));
      out_.push_job(j, trace);
      out_.job_names.push_back(std::move(name));
      ++report_.kept;
    }
  }

  Issues issues_;
  const TraceReadOptions& options_;
  Workload& out_;
  TraceReadReport& report_;
  std::unordered_map<std::string, TaskAgg> agg_;
  std::vector<std::string> gpu_types_;
  std::uint64_t task_rows_ = 0;
};

void read_alibaba2020(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                      TraceReadReport& report) {
  Pai2020Reader(options, out, report).read(paths);
}

}  // namespace

TraceFormat alibaba2020_trace_format() {
  return {"alibaba2020", "Alibaba PAI GPU trace v2020: pai_job_table.csv + pai_task_table.csv (headerless)",
          &read_alibaba2020};
}

}  // namespace fastgpu

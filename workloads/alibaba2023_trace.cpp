// Alibaba PAI GPU-sharing trace v2023, "openb" (Weng et al., "Beware of
// Fragmentation", ATC'23; github.com/alibaba/clusterdata cluster-trace-gpu-v2023):
// openb_pod_list_*.csv with the header
//   name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,
//   creation_time,deletion_time,scheduled_time
// Times are integer seconds from the trace start. Columns are found by name.
//
// Mapping: submit = creation_time, recorded start = scheduled_time, run time =
// deletion_time - scheduled_time; num_gpus = num_gpu; gpu_share =
// gpu_milli / 1000 for 1-GPU pods; gpu_spec ("A|B") = allowed GPU types; qos
// -> priority: LS 3, Guaranteed 2, Burstable 1, BE 0 (latency-sensitive
// first, best-effort last, Kubernetes' QoS order in between); only BE pods
// are preemptible.
// Skips: num_gpu = 0 (CPU-only pods, "no GPU requested"); an empty
// scheduled_time (Pending pods, "never started"); run time <= 0.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "workloads/production_traces.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using trace::CsvRows;
using trace::Issues;

struct QosClass {
  const char* name;
  std::int32_t priority;
  bool preemptible;
};
constexpr QosClass kQos[] = {{"LS", 3, false}, {"Guaranteed", 2, false}, {"Burstable", 1, false}, {"BE", 0, true}};

std::string trace_clock_label(double origin) { return fmt::format("creation_time {:g} s of the trace", origin); }

void read_alibaba2023(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                      TraceReadReport& report) {
  Issues issues(options, report);
  std::vector<std::string> types;
  for (const auto& path : paths) {
    CsvRows rows(path, issues);
    trace::reserve_for_file(out, path, 60, {.names = true, .trace_fields = true});
    const int c_name = rows.require("name"), c_num = rows.require("num_gpu"), c_milli = rows.require("gpu_milli");
    // The multigpu* lists of the FGD artifact are packing inputs with no
    // times at all: say so rather than only naming the first missing column.
    if (rows.column("creation_time") < 0 && rows.column("deletion_time") < 0 && rows.column("scheduled_time") < 0)
      throw InputError({path, 1, "creation_time"},
                       "this pod list has no creation, scheduled or deletion times (like the FGD artifact's "
                       "openb_pod_list_multigpu*.csv, made for static packing), so there is nothing to replay in time");
    const int c_create = rows.require("creation_time"), c_delete = rows.require("deletion_time"),
              c_sched = rows.require("scheduled_time");
    const int c_spec = rows.column("gpu_spec"), c_qos = rows.column("qos"), c_phase = rows.column("pod_phase");
    if (c_qos < 0) issues.note("no qos column: priority 0, preemptible");
    while (rows.next()) {
      ++report.rows;
      auto f = rows.row();
      std::int64_t num_gpu = 0, milli = 0;
      double created = 0, deleted = 0, scheduled = 0;
      if (!f.integer(rows[c_num], "num_gpu", num_gpu) || !f.integer(rows[c_milli], "gpu_milli", milli) ||
          !f.number(rows[c_create], "creation_time", created))
        continue;
      std::uint32_t gpus = 0;
      if (!trace::checked_gpu_count(issues, f.at("num_gpu"), static_cast<double>(num_gpu), gpus)) continue;
      if (num_gpu > 0 && (milli <= 0 || milli > 1000)) {
        f.bad("gpu_milli", fmt::format("gpu_milli must be in 1..1000 for a GPU pod, got {}", milli));
        continue;
      }
      if (num_gpu == 0) {
        issues.skip(rows.at("num_gpu"), trace::reason::no_gpu, "CPU-only pod");
        continue;
      }
      std::string_view sched_text = trace::trim(rows[c_sched]);
      if (sched_text.empty()) {
        std::string phase = c_phase >= 0 ? std::string(trace::trim(rows[c_phase])) : "";
        issues.skip(rows.at("scheduled_time"), trace::reason::never_started,
                    fmt::format("no scheduled_time{}", phase.empty() ? "" : " (pod_phase " + phase + ")"));
        continue;
      }
      if (!f.number(sched_text, "scheduled_time", scheduled)) continue;
      std::string_view del_text = trace::trim(rows[c_delete]);
      if (del_text.empty()) {
        issues.skip(rows.at("deletion_time"), trace::reason::unfinished, "no deletion_time");
        continue;
      }
      if (!f.number(del_text, "deletion_time", deleted)) continue;
      if (!trace::runtime_ok(issues, rows.at("deletion_time"), deleted - scheduled)) continue;

      Job j;
      j.id = static_cast<std::int64_t>(out.jobs.size());
      j.submit = created;
      j.num_gpus = gpus;
      j.work = deleted - scheduled;
      JobTraceFields trace;
      trace.recorded_start = scheduled;
      if (scheduled < created) {
        issues.note("scheduled_time before creation_time: recorded start set to creation_time");
        trace.recorded_start = created;
      }
      if (milli < 1000) {
        if (num_gpu == 1) {
          j.gpu_share = static_cast<float>(milli) / 1000.0f;
        } else {
          issues.note("multi-GPU pods with gpu_milli < 1000: whole GPUs used (sharing needs num_gpu = 1)");
        }
      }
      if (c_spec >= 0) {
        std::string_view spec = trace::trim(rows[c_spec]);
        if (!spec.empty()) {
          types.clear();
          std::size_t i = 0;
          while (i <= spec.size()) {
            std::size_t bar = spec.find('|', i);
            if (bar == std::string_view::npos) bar = spec.size();
            std::string_view t = trace::trim(spec.substr(i, bar - i));
            if (!t.empty()) types.emplace_back(t);
            i = bar + 1;
          }
          j.gpu_types = out.intern_type_constraint(types);
        }
      }
      if (c_qos >= 0) {
        std::string_view q = trace::trim(rows[c_qos]);
        const QosClass* cls = nullptr;
        for (const auto& k : kQos)
          if (q == k.name) cls = &k;
        if (cls) {
          j.priority = cls->priority;
          j.preemptible = cls->preemptible;
        } else {
          issues.note(fmt::format("unknown qos '{}': priority 0, preemptible", q));
        }
      }
      if (c_phase >= 0) {
        std::string_view phase = trace::trim(rows[c_phase]);
        if (phase == "Running")
          issues.note("pods Running when the trace was collected: run time = deletion_time - scheduled_time as "
                      "published");
        else if (phase == "Failed")
          issues.note("Failed pods kept with the run time they used");
      }
      out.push_job(j, trace);
      out.job_names.emplace_back(trace::trim(rows[c_name]));
      ++report.kept;
    }
  }
  trace::rebase_to_first_submit(out, issues, &trace_clock_label);
  issues.note("qos -> priority: LS 3, Guaranteed 2, Burstable 1, BE 0; only BE pods are preemptible");
  issues.finish();
}

}  // namespace

TraceFormat alibaba2023_trace_format() {
  return {"alibaba2023", "Alibaba PAI GPU trace v2023 'openb' pod list (openb_pod_list_*.csv)", &read_alibaba2023};
}

}  // namespace fastgpu

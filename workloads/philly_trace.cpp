// Microsoft Philly trace (Jeon et al., ATC'19; github.com/msr-fiddle/philly-traces),
// file `cluster_job_log`: a JSON array of jobs
//   {"status", "vc", "jobid", "user", "submitted_time",
//    "attempts": [{"start_time", "end_time", "detail": [{"ip", "gpus": [...]}]}]}
// and the per-job subset in ../shared/data/philly-derived/ (a JSON array, one
// object per line, fields id, num_gpus, submitted_time, attempts, runtime).
// JSON Lines (one job object per line, no enclosing array) is accepted too.
//
// Times are "YYYY-MM-DD HH:MM:SS" strings in Philly's local time. The trace
// does not name the zone; its utilisation logs stamp times "PDT"/"PST", so
// they are read as US Pacific wall-clock times and converted to UTC with the
// US daylight-saving rules: a job running across 2017-11-05 01:00-02:00 (when
// clocks went back) gets its true duration, not one an hour longer.
#include <cmath>

#include <fmt/format.h>

#include "workloads/json_stream.h"
#include "workloads/production_traces.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using json::Value;
using trace::Issues;

struct Attempt {
  bool has_start = false, has_end = false;
  std::int64_t start = 0, end = 0;  // UTC seconds
  std::uint32_t gpus = 0;           // GPUs listed in `detail`
  bool has_detail = false;
};

// Reads an optional time member: null / absent / "None" mean unknown.
// Returns false (after bad_row) when present but malformed.
bool read_time(Issues& issues, const std::string& file, const Value& obj, const char* key, bool& has,
               std::int64_t& utc) {
  has = false;
  const Value* v = obj.find(key);
  if (!v || v->is_null()) return true;
  if (!v->is_string()) {
    issues.bad_row({file, v->line, key}, fmt::format("expected a time string, found {}", json::kind_name(v->kind)));
    return false;
  }
  if (v->text.empty() || v->text == "None") return true;
  std::int64_t wall = 0;
  if (!trace::parse_datetime(v->text, wall)) {
    issues.bad_row({file, v->line, key}, fmt::format("not a date 'YYYY-MM-DD HH:MM:SS': '{}'", v->text));
    return false;
  }
  utc = trace::us_pacific_to_utc(wall);
  has = true;
  return true;
}

std::string utc_label(double origin) {
  return trace::format_datetime(static_cast<std::int64_t>(origin)) + " UTC";
}

class PhillyReader {
 public:
  PhillyReader(const TraceReadOptions& options, Workload& out, TraceReadReport& report)
      : issues_(options, report), out_(out), report_(report) {}

  void read(const std::string& path) {
    json::Stream in(path);
    trace::reserve_for_file(out_, path, 200, true);
    Value v;
    while (in.next(v)) {
      ++report_.rows;
      job(path, v);
    }
  }

  void finish() {
    trace::rebase_to_first_submit(out_, issues_, &utc_label);
    issues_.note("times read as US Pacific wall-clock (PDT/PST) and converted to UTC");
    issues_.note(issues_.options().sum_attempts
                     ? "run time = sum of all attempts; recorded start = start of the first attempt"
                     : "run time = end - start of the last attempt; recorded start = its start");
    issues_.finish();
  }

 private:
  void job(const std::string& file, const Value& v) {
    const Value* field = nullptr;
    if (!v.is_object()) {
      issues_.bad_row({file, v.line, ""}, fmt::format("expected a job object, found {}", json::kind_name(v.kind)));
      return;
    }
    // Id: "jobid" in cluster_job_log, "id" in the derived subset.
    const char* id_key = v.find("jobid") ? "jobid" : "id";
    field = v.find(id_key);
    std::string name;
    if (!field || !(field->is_string() || field->is_number())) {
      issues_.bad_row({file, v.line, "jobid"}, "missing job id ('jobid' or 'id')");
      return;
    }
    name = field->is_string() ? field->text : fmt::format("{}", field->number);

    bool has_submit = false;
    std::int64_t submit = 0;
    if (!read_time(issues_, file, v, "submitted_time", has_submit, submit)) return;
    if (!has_submit) {
      issues_.bad_row({file, v.line, "submitted_time"}, fmt::format("job {} has no submitted_time", name));
      return;
    }

    field = v.find("attempts");
    if (!field || !field->is_array()) {
      issues_.bad_row({file, v.line, "attempts"}, fmt::format("job {}: 'attempts' must be an array", name));
      return;
    }
    std::vector<Attempt> attempts;
    attempts.reserve(field->items.size());
    for (const Value& a : field->items) {
      if (!a.is_object()) {
        issues_.bad_row({file, a.line, "attempts"}, "an attempt must be an object");
        return;
      }
      Attempt at;
      if (!read_time(issues_, file, a, "start_time", at.has_start, at.start)) return;
      if (!read_time(issues_, file, a, "end_time", at.has_end, at.end)) return;
      if (const Value* detail = a.find("detail"); detail && !detail->is_null()) {
        if (!detail->is_array()) {
          issues_.bad_row({file, detail->line, "detail"}, "'detail' must be an array of machines");
          return;
        }
        for (const Value& m : detail->items) {
          const Value* gpus = m.is_object() ? m.find("gpus") : nullptr;
          if (!gpus || !gpus->is_array()) {
            issues_.bad_row({file, m.line, "gpus"}, "each machine in 'detail' needs a 'gpus' array");
            return;
          }
          at.gpus += static_cast<std::uint32_t>(gpus->items.size());
        }
        at.has_detail = true;
      }
      attempts.push_back(at);
    }
    const SourceLocation where{file, v.line, "attempts"};
    if (attempts.empty()) {
      issues_.skip(where, trace::reason::never_started, fmt::format("job {} has no scheduling attempt", name));
      return;
    }
    const Attempt& last = attempts.back();
    if (!last.has_end) {
      issues_.skip(where, trace::reason::unfinished, fmt::format("job {}: last attempt has no end_time", name));
      return;
    }
    if (!last.has_start) {
      issues_.skip(where, trace::reason::missing_runtime, fmt::format("job {}: last attempt has no start_time", name));
      return;
    }

    // GPUs: the last attempt that lists machines, else the subset's num_gpus.
    std::int64_t gpus = -1;
    for (auto it = attempts.rbegin(); it != attempts.rend(); ++it)
      if (it->has_detail && it->gpus > 0) {
        gpus = it->gpus;
        break;
      }
    if (const Value* n = v.find("num_gpus"); n && !n->is_null()) {
      if (!n->is_number() || n->number < 0 || n->number != std::floor(n->number)) {
        issues_.bad_row({file, n->line, "num_gpus"}, "num_gpus must be a whole number >= 0");
        return;
      }
      if (gpus < 0) gpus = static_cast<std::int64_t>(n->number);
      else if (gpus != static_cast<std::int64_t>(n->number))
        issues_.note("num_gpus differs from the GPUs listed in the attempt details: the details were used");
    }
    if (gpus <= 0) {
      issues_.skip({file, v.line, "detail"}, trace::reason::no_gpu,
                   fmt::format("job {}: no GPU in the attempt details", name));
      return;
    }

    double runtime = 0;
    std::int64_t start = last.start;
    if (issues_.options().sum_attempts) {
      bool first = true;
      for (const Attempt& a : attempts) {
        if (!a.has_start || !a.has_end) {
          issues_.note("attempts without a start or end time were left out of the sum");
          continue;
        }
        runtime += static_cast<double>(a.end - a.start);
        if (first) start = a.start;
        first = false;
      }
    } else {
      runtime = static_cast<double>(last.end - last.start);
    }
    if (!trace::runtime_ok(issues_, {file, last_line(v), "end_time"}, runtime)) return;

    Job j;
    j.id = static_cast<std::int64_t>(out_.jobs.size());
    j.submit = static_cast<double>(submit);
    j.num_gpus = static_cast<std::uint32_t>(gpus);
    j.work = runtime;
    j.recorded_start = static_cast<double>(start);
    if (j.recorded_start < j.submit) {
      issues_.note("attempt started before the job's submitted_time (clock skew): recorded start set to submit");
      j.recorded_start = j.submit;
    }
    if (const Value* u = v.find("user"); u && u->is_string()) j.user = out_.intern_user(u->text);
    if (const Value* s = v.find("status"); s && s->is_string() && s->text != "Pass")
      issues_.note(fmt::format("status {}: kept with the run time it used", s->text));
    if (v.find("runtime")) issues_.note("field 'runtime' ignored: the run time is recomputed from the attempts");
    if (attempts.size() > 1 && !issues_.options().sum_attempts)
      issues_.note("jobs with several attempts: earlier attempts ignored (sum_attempts adds them up)");
    out_.jobs.push_back(j);
    out_.job_names.push_back(std::move(name));
    ++report_.kept;
  }

  static std::size_t last_line(const Value& v) {
    const Value* a = v.find("attempts");
    return a && !a->items.empty() ? a->items.back().line : v.line;
  }

  Issues issues_;
  Workload& out_;
  TraceReadReport& report_;
};

void read_philly(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                 TraceReadReport& report) {
  PhillyReader reader(options, out, report);
  for (const auto& p : paths) reader.read(p);
  reader.finish();
}

}  // namespace

TraceFormat philly_trace_format() {
  return {"philly", "Microsoft Philly cluster_job_log (JSON; also its per-job subsets and JSON Lines)", &read_philly};
}

}  // namespace fastgpu

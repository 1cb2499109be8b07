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
#include <vector>

#include <fmt/format.h>

#include "workloads/json_documents.h"
#include "workloads/philly_record.h"
#include "workloads/philly_attempts.h"
#include "workloads/json_trace_readers.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using json::ondemand::json_type;
using json::ondemand::value;
using philly::AttemptRecord;
using philly::JobRecord;
using philly::Member;
using trace::Issues;

struct Attempt {
  bool has_start = false, has_end = false;
  std::int64_t start = 0, end = 0;  // UTC seconds
  std::uint32_t gpus = 0;           // GPUs listed in `detail`
  bool has_detail = false;
};

std::string utc_label(double origin) {
  return trace::format_datetime(static_cast<std::int64_t>(origin)) + " UTC";
}

// The job's id as a name: "jobid" in cluster_job_log, "id" in the derived subset.
std::string name_of(const Member& id) {
  return id.type == json_type::string ? std::string(id.text) : fmt::format("{}", id.number);
}

class PhillyReader {
 public:
  PhillyReader(const TraceReadOptions& options, Workload& out, TraceReadReport& report)
      : issues_(options, report), out_(out), report_(report) {}

  void read(const std::string& path) {
    json::Documents in(path);
    trace::reserve_for_file(out_, path, kFewestBytesPerJob, {.names = true, .trace_fields = true});
    const auto rows_before = report_.rows;
    in.for_each([&](value element) {
      report_.rows = rows_before + in.elements_started();
      job(in, element);
    });
  }

  void finish() {
    origin_.finish(out_, issues_, &utc_label);
    issues_.note("times read as US Pacific wall-clock (PDT/PST) and converted to UTC");
    issues_.note(philly::runs_note(issues_.options()));
    for (trace::CountedNote* n : {&runtime_ignored_, &clock_skew_, &gpus_differ_}) n->flush(issues_);
    issues_.finish();
  }

 private:
  // A kept job needs a submitted_time and an attempt with a start and an end
  // time: no job object is shorter, so reserving for this many bytes per job
  // never falls short (untouched reserved memory costs nothing).
  static constexpr std::size_t kFewestBytesPerJob = 100;

  // Where an error points; line numbers are only counted when one is made.
  static SourceLocation at(json::Documents& in, const char* position, const char* field) {
    return {in.path(), in.line_at(position), field};
  }

  // An optional time member: null / absent / "None" mean unknown. Returns
  // false (after bad_row) when present but malformed.
  bool read_time(json::Documents& in, const Member& m, const char* key, bool& has, std::int64_t& utc) {
    has = false;
    if (!m.present || m.type == json_type::null) return true;
    if (m.type != json_type::string) {
      issues_.bad_row(at(in, m.at, key), fmt::format("expected a time string, found {}", json::type_name(m.type)));
      return false;
    }
    if (m.text.empty() || m.text == "None") return true;
    std::int64_t wall = 0;
    if (!dates_.parse(m.text, wall)) {
      issues_.bad_row(at(in, m.at, key), fmt::format("not a date 'YYYY-MM-DD HH:MM:SS': '{}'", m.text));
      return false;
    }
    utc = pacific_.to_utc(wall);
    has = true;
    return true;
  }

  // Checks the attempts of `r` into attempts_; false (after bad_row) when one is malformed.
  bool read_attempts(json::Documents& in, const JobRecord& r) {
    attempts_.clear();
    for (const AttemptRecord& a : r.attempt_list) {
      if (!a.is_object) {
        issues_.bad_row(at(in, a.at, "attempts"), "an attempt must be an object");
        return false;
      }
      Attempt t;
      if (!read_time(in, a.start_time, "start_time", t.has_start, t.start)) return false;
      if (!read_time(in, a.end_time, "end_time", t.has_end, t.end)) return false;
      if (a.detail.present && a.detail.type != json_type::null) {
        if (a.detail.type != json_type::array) {
          issues_.bad_row(at(in, a.detail.at, "detail"), "'detail' must be an array of machines");
          return false;
        }
        if (a.bad_machine) {
          issues_.bad_row(at(in, a.bad_machine, "gpus"), "each machine in 'detail' needs a 'gpus' array");
          return false;
        }
        t.gpus = a.gpus;
        t.has_detail = true;
      }
      attempts_.push_back(t);
    }
    return true;
  }

  void job(json::Documents& in, value& v) {
    const char* element_at = json::Documents::start_of(v);
    const json_type type = in.type_of(v, "the top-level array");
    if (type != json_type::object) {
      in.check_value(v);
      issues_.bad_row(at(in, element_at, ""), fmt::format("expected a job object, found {}", json::type_name(type)));
      return;
    }
    JobRecord& r = record_;
    philly::read_job_record(in, v, r);

    const Member& id = r.jobid.present ? r.jobid : r.id;
    if (!id.present || !(id.type == json_type::string || id.type == json_type::number)) {
      issues_.bad_row(at(in, r.at, "jobid"), "missing job id ('jobid' or 'id')");
      return;
    }

    bool has_submit = false;
    std::int64_t submit = 0;
    if (!read_time(in, r.submitted_time, "submitted_time", has_submit, submit)) return;
    if (!has_submit) {
      issues_.bad_row(at(in, r.at, "submitted_time"), fmt::format("job {} has no submitted_time", name_of(id)));
      return;
    }

    if (!r.attempts.present || r.attempts.type != json_type::array) {
      issues_.bad_row(at(in, r.at, "attempts"), fmt::format("job {}: 'attempts' must be an array", name_of(id)));
      return;
    }
    if (!read_attempts(in, r)) return;
    const auto& attempts = attempts_;
    if (attempts.empty()) {
      issues_.skip(at(in, r.at, "attempts"), trace::reason::never_started,
                   fmt::format("job {} has no scheduling attempt", name_of(id)));
      return;
    }
    const Attempt& last = attempts.back();
    if (!last.has_end) {
      issues_.skip(at(in, r.at, "attempts"), trace::reason::unfinished,
                   fmt::format("job {}: last attempt has no end_time", name_of(id)));
      return;
    }
    if (!last.has_start) {
      issues_.skip(at(in, r.at, "attempts"), trace::reason::missing_runtime,
                   fmt::format("job {}: last attempt has no start_time", name_of(id)));
      return;
    }

    // GPUs: the last attempt that lists machines, else the subset's num_gpus.
    std::int64_t gpus = -1;
    for (auto it = attempts.rbegin(); it != attempts.rend(); ++it)
      if (it->has_detail && it->gpus > 0) {
        gpus = it->gpus;
        break;
      }
    if (const Member& n = r.num_gpus; n.present && n.type != json_type::null) {
      if (n.type != json_type::number || n.number < 0 || n.number != std::floor(n.number)) {
        issues_.bad_row(at(in, n.at, "num_gpus"), "num_gpus must be a whole number >= 0");
        return;
      }
      std::uint32_t listed = 0;
      // The location (a line count) is built only for a count out of range.
      if (!trace::to_gpu_count(n.number, listed) &&
          !trace::checked_gpu_count(issues_, at(in, n.at, "num_gpus"), n.number, listed))
        return;
      if (gpus < 0) gpus = listed;
      else if (gpus != static_cast<std::int64_t>(listed)) gpus_differ_.add(issues_);
    }
    if (gpus <= 0) {
      issues_.skip(at(in, r.at, "detail"), trace::reason::no_gpu,
                   fmt::format("job {}: no GPU in the attempt details", name_of(id)));
      return;
    }

    attempt_times_.clear();
    for (const Attempt& a : attempts) attempt_times_.push_back({a.has_start, a.has_end, a.start, a.end});
    philly::read_runs(attempt_times_, issues_, runs_);
    const double runtime = runs_.work;
    const std::int64_t start = runs_.start;
    if (!(runtime > 0) &&
        !trace::runtime_ok(issues_, at(in, r.attempt_list.empty() ? r.at : r.attempt_list.back().at, "end_time"),
                           runtime))
      return;

    Job j;
    j.id = static_cast<std::int64_t>(out_.jobs.size());
    double recorded_start = static_cast<double>(start);
    if (recorded_start < static_cast<double>(submit)) {
      clock_skew_.add(issues_);
      recorded_start = static_cast<double>(submit);
    }
    // Times are stored from the first kept submit (see trace::SubmitOrigin).
    const double origin = origin_.offset_for(static_cast<double>(submit));
    j.submit = static_cast<double>(submit) - origin;
    JobTraceFields trace;
    trace.recorded_start = recorded_start - origin;
    j.num_gpus = static_cast<std::uint32_t>(gpus);
    j.work = runtime;
    if (r.user.present && r.user.type == json_type::string) j.user = out_.intern_user(std::string(r.user.text));
    if (r.vc.present && r.vc.type == json_type::string) j.vc = out_.intern_vc(r.vc.text);
    if (r.status.present && r.status.type == json_type::string && r.status.text != "Pass")
      issues_.note(fmt::format("status {}: kept with the run time it used", r.status.text));
    if (r.runtime.present) runtime_ignored_.add(issues_);
    // Failed attempts are stored in the same frame as the job's times.
    for (FailedAttempt& f : runs_.failed) f.recorded_start -= origin;
    philly::store_failed_attempts(runs_, issues_, out_, j, trace);
    out_.push_job(j, trace);
    if (id.type == json_type::string) out_.job_names.emplace_back(id.text);
    else out_.job_names.push_back(name_of(id));
    ++report_.kept;
  }

  Issues issues_;
  Workload& out_;
  TraceReadReport& report_;
  JobRecord record_;              // reused: its attempt list keeps its capacity
  std::vector<Attempt> attempts_;
  trace::DatetimeParser dates_;
  trace::UsPacificClock pacific_;
  trace::SubmitOrigin origin_;
  // Notes that may be made for every job.
  trace::CountedNote runtime_ignored_{"field 'runtime' ignored: the run time is recomputed from the attempts"};
  trace::CountedNote clock_skew_{
      "attempt started before the job's submitted_time (clock skew): recorded start set to submit"};
  trace::CountedNote gpus_differ_{"num_gpus differs from the GPUs listed in the attempt details: the details were used"};
  std::vector<philly::AttemptTimes> attempt_times_;
  philly::JobRuns runs_;
};

}  // namespace

void read_philly(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                 TraceReadReport& report) {
  PhillyReader reader(options, out, report);
  for (const auto& p : paths) reader.read(p);
  reader.finish();
}

}  // namespace fastgpu

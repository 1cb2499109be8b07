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
#include "workloads/production_traces.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

using json::ondemand::json_type;
using json::ondemand::value;
using trace::Issues;

// A member of a job as found in the file; `at` points at its value (for the
// line of an error). Everything is read in one pass over the object, in file
// order, then checked in a fixed order, so that which error a bad job reports
// does not depend on the order of its members.
struct Member {
  bool present = false;
  json_type type = json_type::null;
  std::string_view text;  // string values
  double number = 0;      // number values
  const char* at = nullptr;
};

struct AttemptRecord {
  const char* at = nullptr;
  bool is_object = false;
  Member start_time, end_time, detail;
  const char* bad_machine = nullptr;  // the first machine without a 'gpus' array
  std::uint32_t gpus = 0;             // GPUs listed in `detail`
};

struct JobRecord {
  const char* at = nullptr;
  Member jobid, id, submitted_time, attempts, num_gpus, user, status, runtime;
  std::vector<AttemptRecord> attempt_list;
};

struct Attempt {
  bool has_start = false, has_end = false;
  std::int64_t start = 0, end = 0;  // UTC seconds
  std::uint32_t gpus = 0;           // GPUs listed in `detail`
  bool has_detail = false;
};

std::string utc_label(double origin) {
  return trace::format_datetime(static_cast<std::int64_t>(origin)) + " UTC";
}

class PhillyReader {
 public:
  PhillyReader(const TraceReadOptions& options, Workload& out, TraceReadReport& report)
      : issues_(options, report), out_(out), report_(report) {}

  void read(const std::string& path) {
    json::Documents in(path);
    trace::reserve_for_file(out_, path, 200, true);
    const auto rows_before = report_.rows;
    in.for_each([&](value element) {
      report_.rows = rows_before + in.elements_started();
      job(in, element);
    });
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
  // --- reading: one pass over the job object, every value checked -----------

  // Reads a member's value into `m` (the first occurrence of a key wins; a
  // repeated key is only checked). Strings and numbers are kept; arrays and
  // objects are left to the caller when `descend` says so.
  bool take(json::Documents& in, Member& m, value& v, bool descend_into_arrays = false) {
    if (m.present) {
      in.check_value(v);
      return false;
    }
    m.present = true;
    m.at = json::Documents::start_of(v);
    m.type = in.type_of(v, "an object");
    if (m.type == json_type::string) in.check(v.get_string().get(m.text), "a string", m.at);
    else if (m.type == json_type::number) in.check(v.get_double().get(m.number), "a number", m.at);
    else if (m.type == json_type::array && descend_into_arrays) return true;
    else in.check_value(v);
    return false;
  }

  template <class F>
  void members(json::Documents& in, value& object_value, const char* at, F&& on_member) {
    json::ondemand::object object;
    in.check(object_value.get_object().get(object), "an object", at);
    for (auto field : object) {
      std::string_view key;
      in.check(field.unescaped_key().get(key), "an object", at);
      value v;
      in.check(field.value().get(v), "an object", at);
      on_member(key, v);
    }
  }

  template <class F>
  void elements(json::Documents& in, value& array_value, const char* at, F&& on_element) {
    json::ondemand::array array;
    in.check(array_value.get_array().get(array), "an array", at);
    for (auto element : array) {
      value v;
      in.check(element.get(v), "an array", at);
      on_element(v);
    }
  }

  void read_attempt(json::Documents& in, value& v, AttemptRecord& a) {
    a.at = json::Documents::start_of(v);
    a.is_object = in.type_of(v, "an array") == json_type::object;
    if (!a.is_object) return in.check_value(v);
    members(in, v, a.at, [&](std::string_view key, value& m) {
      if (key == "start_time") take(in, a.start_time, m);
      else if (key == "end_time") take(in, a.end_time, m);
      else if (key == "detail") {
        if (take(in, a.detail, m, true)) elements(in, m, a.detail.at, [&](value& machine) { read_machine(in, machine, a); });
      } else in.check_value(m);
    });
  }

  void read_machine(json::Documents& in, value& machine, AttemptRecord& a) {
    const char* at = json::Documents::start_of(machine);
    bool has_gpus = false;
    if (in.type_of(machine, "an array") == json_type::object) {
      members(in, machine, at, [&](std::string_view key, value& m) {
        if (key == "gpus" && !has_gpus && in.type_of(m, "an object") == json_type::array) {
          has_gpus = true;
          elements(in, m, at, [&](value& gpu) {
            in.check_value(gpu, 3);
            ++a.gpus;
          });
        } else {
          in.check_value(m);
        }
      });
    } else {
      in.check_value(machine);
    }
    if (!has_gpus && !a.bad_machine) a.bad_machine = at;
  }

  void read_record(json::Documents& in, value& v, JobRecord& r) {
    r = JobRecord{json::Documents::start_of(v), {}, {}, {}, {}, {}, {}, {}, {}, std::move(r.attempt_list)};
    r.attempt_list.clear();
    members(in, v, r.at, [&](std::string_view key, value& m) {
      if (key == "jobid") take(in, r.jobid, m);
      else if (key == "id") take(in, r.id, m);
      else if (key == "submitted_time") take(in, r.submitted_time, m);
      else if (key == "attempts") {
        if (take(in, r.attempts, m, true))
          elements(in, m, r.attempts.at, [&](value& a) { read_attempt(in, a, r.attempt_list.emplace_back()); });
      } else if (key == "num_gpus") take(in, r.num_gpus, m);
      else if (key == "user") take(in, r.user, m);
      else if (key == "status") take(in, r.status, m);
      else if (key == "runtime") take(in, r.runtime, m);
      else in.check_value(m);
    });
  }

  // --- checking and mapping ---------------------------------------------------

  // An optional time member: null / absent / "None" mean unknown. Returns
  // false (after bad_row) when present but malformed.
  bool read_time(json::Documents& in, const Member& m, const char* key, bool& has, std::int64_t& utc) {
    has = false;
    if (!m.present || m.type == json_type::null) return true;
    if (m.type != json_type::string) {
      issues_.bad_row({in.path(), in.line_at(m.at), key},
                      fmt::format("expected a time string, found {}", json::type_name(m.type)));
      return false;
    }
    if (m.text.empty() || m.text == "None") return true;
    std::int64_t wall = 0;
    if (!trace::parse_datetime(m.text, wall)) {
      issues_.bad_row({in.path(), in.line_at(m.at), key},
                      fmt::format("not a date 'YYYY-MM-DD HH:MM:SS': '{}'", m.text));
      return false;
    }
    utc = trace::us_pacific_to_utc(wall);
    has = true;
    return true;
  }

  void job(json::Documents& in, value& v) {
    const std::string& file = in.path();
    const char* element_at = json::Documents::start_of(v);
    const json_type type = in.type_of(v, "the top-level array");
    if (type != json_type::object) {
      in.check_value(v);
      issues_.bad_row({file, in.line_at(element_at), ""},
                      fmt::format("expected a job object, found {}", json::type_name(type)));
      return;
    }
    JobRecord& r = record_;
    read_record(in, v, r);
    auto line = [&](const char* at) { return in.line_at(at); };

    // Id: "jobid" in cluster_job_log, "id" in the derived subset.
    const Member& id = r.jobid.present ? r.jobid : r.id;
    if (!id.present || !(id.type == json_type::string || id.type == json_type::number)) {
      issues_.bad_row({file, line(r.at), "jobid"}, "missing job id ('jobid' or 'id')");
      return;
    }
    std::string name = id.type == json_type::string ? std::string(id.text) : fmt::format("{}", id.number);

    bool has_submit = false;
    std::int64_t submit = 0;
    if (!read_time(in, r.submitted_time, "submitted_time", has_submit, submit)) return;
    if (!has_submit) {
      issues_.bad_row({file, line(r.at), "submitted_time"}, fmt::format("job {} has no submitted_time", name));
      return;
    }

    if (!r.attempts.present || r.attempts.type != json_type::array) {
      issues_.bad_row({file, line(r.at), "attempts"}, fmt::format("job {}: 'attempts' must be an array", name));
      return;
    }
    attempts_.clear();
    for (const AttemptRecord& a : r.attempt_list) {
      if (!a.is_object) {
        issues_.bad_row({file, line(a.at), "attempts"}, "an attempt must be an object");
        return;
      }
      Attempt at;
      if (!read_time(in, a.start_time, "start_time", at.has_start, at.start)) return;
      if (!read_time(in, a.end_time, "end_time", at.has_end, at.end)) return;
      if (a.detail.present && a.detail.type != json_type::null) {
        if (a.detail.type != json_type::array) {
          issues_.bad_row({file, line(a.detail.at), "detail"}, "'detail' must be an array of machines");
          return;
        }
        if (a.bad_machine) {
          issues_.bad_row({file, line(a.bad_machine), "gpus"}, "each machine in 'detail' needs a 'gpus' array");
          return;
        }
        at.gpus = a.gpus;
        at.has_detail = true;
      }
      attempts_.push_back(at);
    }
    const auto& attempts = attempts_;
    const SourceLocation where{file, line(r.at), "attempts"};
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
    if (const Member& n = r.num_gpus; n.present && n.type != json_type::null) {
      if (n.type != json_type::number || n.number < 0 || n.number != std::floor(n.number)) {
        issues_.bad_row({file, line(n.at), "num_gpus"}, "num_gpus must be a whole number >= 0");
        return;
      }
      std::uint32_t listed = 0;
      if (!trace::checked_gpu_count(issues_, {file, line(n.at), "num_gpus"}, n.number, listed)) return;
      if (gpus < 0) gpus = listed;
      else if (gpus != listed)
        issues_.note("num_gpus differs from the GPUs listed in the attempt details: the details were used");
    }
    if (gpus <= 0) {
      issues_.skip({file, line(r.at), "detail"}, trace::reason::no_gpu,
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
    if (!trace::runtime_ok(issues_, {file, line(r.attempt_list.empty() ? r.at : r.attempt_list.back().at), "end_time"}, runtime)) return;

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
    if (r.user.present && r.user.type == json_type::string) j.user = out_.intern_user(std::string(r.user.text));
    if (r.status.present && r.status.type == json_type::string && r.status.text != "Pass")
      issues_.note(fmt::format("status {}: kept with the run time it used", r.status.text));
    if (r.runtime.present) issues_.note("field 'runtime' ignored: the run time is recomputed from the attempts");
    if (attempts.size() > 1 && !issues_.options().sum_attempts)
      issues_.note("jobs with several attempts: earlier attempts ignored (sum_attempts adds them up)");
    out_.jobs.push_back(j);
    out_.job_names.push_back(std::move(name));
    ++report_.kept;
  }

  Issues issues_;
  Workload& out_;
  TraceReadReport& report_;
  JobRecord record_;              // reused: its attempt list keeps its capacity
  std::vector<Attempt> attempts_;
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

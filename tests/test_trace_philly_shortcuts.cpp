// The shortcuts the Philly reader takes for speed give the results of the
// plain path: times stored from the first kept submit while reading (and
// moved when a later job was submitted earlier), the cached date and
// daylight-saving year, notes counted per job. Expected values by hand.
#include <doctest/doctest.h>

#include <string>

#include "tests/trace_fixtures.h"
#include "workloads/trace_io.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

constexpr std::int64_t k2017_10_01 = 1506816000;  // 2017-10-01 00:00:00 as seconds since the epoch
constexpr std::int64_t k2017_02_28 = 1488240000;  // 2017-02-28 00:00:00

std::string job(const std::string& id, const std::string& submit, const std::string& start, const std::string& end) {
  return R"({"id":")" + id + R"(","num_gpus":2,"runtime":1.5,"attempts":[{"start_time":")" + start +
         R"(","end_time":")" + end + R"("}],"submitted_time":")" + submit + R"("})";
}

}  // namespace

TEST_CASE("philly: a job submitted before the first one moves time 0") {
  TempDir dir;
  // b is submitted 10 minutes before a, which comes first in the file.
  const std::string text = "[\n" + job("a", "2017-10-01 00:10:00", "2017-10-01 00:11:00", "2017-10-01 00:21:00") +
                           ",\n" + job("b", "2017-10-01 00:00:00", "2017-10-01 00:00:30", "2017-10-01 00:01:30") +
                           ",\n" + job("c", "2017-10-01 00:20:00", "2017-10-01 00:19:00", "2017-10-01 00:25:00") +
                           "\n]\n";
  auto r = read("philly", {dir.write("late_first.json", text)});
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 3);
  REQUIRE(w.job_names.size() == 3);
  CHECK(w.job_names[0] == "b");
  CHECK(w.jobs[0].submit == 0);
  CHECK(w.trace_fields_of(0).recorded_start == 30);
  CHECK(w.jobs[0].work == 60);
  CHECK(w.trace_fields_of(0).earliest_start == 0);
  CHECK(w.job_names[1] == "a");
  CHECK(w.jobs[1].submit == 600);
  CHECK(w.trace_fields_of(1).recorded_start == 660);
  CHECK(w.job_names[2] == "c");
  CHECK(w.jobs[2].submit == 1200);
  CHECK(w.trace_fields_of(2).recorded_start == 1200);  // started before its submit: clock skew, set to submit
  CHECK(w.jobs[2].work == 360);
  // 00:00 PDT is 07:00 UTC.
  CHECK(has_assumption(r.report, "time 0 = the first kept submit (2017-10-01 07:00:00 UTC)"));
  CHECK(has_assumption(r.report, "field 'runtime' ignored: the run time is recomputed from the attempts (3 rows)"));
  CHECK(has_assumption(r.report, "recorded start set to submit"));
}

TEST_CASE("trace_io: DatetimeParser keeps the last date and still checks every reading") {
  trace::DatetimeParser p;
  std::int64_t t = -1;
  CHECK(p.parse("2017-10-01 00:00:05", t));
  CHECK(t == k2017_10_01 + 5);
  CHECK(p.parse(" 2017-10-01T01:02:03.25 ", t));
  CHECK(t == k2017_10_01 + 3723);
  CHECK_FALSE(p.parse("2017-10-01 24:00:00", t));  // same date, bad time
  CHECK_FALSE(p.parse("2017-10-01 00:00", t));
  CHECK_FALSE(p.parse("2017-10-01 00:00:00x", t));
  CHECK(p.parse("2017-02-28 23:59:59", t));
  CHECK(t == k2017_02_28 + 86399);
  CHECK_FALSE(p.parse("2017-02-29 00:00:00", t));  // not a leap year
  CHECK(p.parse("2017-02-28 00:00:01", t));
  CHECK(t == k2017_02_28 + 1);
  CHECK(p.parse("2017-10-01 00:00:00", t));
  CHECK(t == k2017_10_01);
}

TEST_CASE("trace_io: UsPacificClock switches at 02:00 and learns each year") {
  trace::UsPacificClock clock;
  auto wall = [](const char* s) {
    std::int64_t w = 0;
    REQUIRE(trace::parse_datetime(s, w));
    return w;
  };
  constexpr std::int64_t pst = 8 * 3600, pdt = 7 * 3600;
  CHECK(clock.to_utc(wall("2017-03-12 01:59:59")) == wall("2017-03-12 01:59:59") + pst);
  CHECK(clock.to_utc(wall("2017-03-12 03:00:00")) == wall("2017-03-12 03:00:00") + pdt);
  CHECK(clock.to_utc(wall("2018-03-11 01:59:59")) == wall("2018-03-11 01:59:59") + pst);  // second Sunday of March 2018
  CHECK(clock.to_utc(wall("2018-03-11 03:00:00")) == wall("2018-03-11 03:00:00") + pdt);
  CHECK(clock.to_utc(wall("2017-11-05 01:30:00")) == wall("2017-11-05 01:30:00") + pdt);  // the repeated hour: PDT
  CHECK(clock.to_utc(wall("2017-11-05 02:00:00")) == wall("2017-11-05 02:00:00") + pst);
  CHECK(clock.to_utc(wall("2017-12-31 23:59:59")) == wall("2017-12-31 23:59:59") + pst);
  CHECK(clock.to_utc(wall("2018-07-01 12:00:00")) == wall("2018-07-01 12:00:00") + pdt);
}

TEST_CASE("trace_io: a counted note keeps its place and adds up") {
  TraceReadOptions options;
  TraceReadReport report;
  trace::Issues issues(options, report);
  trace::CountedNote often("often");
  often.add(issues);
  issues.note("other");
  often.add(issues);
  often.add(issues);
  often.flush(issues);
  issues.finish();
  REQUIRE(report.assumptions.size() == 2);
  CHECK(report.assumptions[0] == "often (3 rows)");
  CHECK(report.assumptions[1] == "other");
}

TEST_CASE("philly: keys and strings with escapes read as their unescaped text") {
  TempDir dir;
  // "job\u0069d" is "jobid" and "submitted_\u0074ime" is "submitted_time".
  const std::string text =
      R"([{"job\u0069d":"x\"y","attempts":[{"start_time":"2017-10-01 00:00:00","end_time":"2017-10-01 00:00:09"}],)"
      R"("submitted_\u0074ime":"2017-10-01 00:00:05","num_gpus":3}])";
  auto r = read("philly", {dir.write("escapes.json", text)});
  REQUIRE(r.workload.jobs.size() == 1);
  CHECK(r.workload.job_names[0] == "x\"y");
  CHECK(r.workload.jobs[0].num_gpus == 3);
  CHECK(r.workload.jobs[0].work == 9);
  CHECK(has_assumption(r.report, "2017-10-01 07:00:05 UTC"));  // the submit was read
}

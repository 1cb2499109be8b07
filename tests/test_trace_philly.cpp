// The Philly reader: the raw cluster_job_log layout, the per-job subset and
// JSON Lines; skip rules, --strict, corrupt JSON; the shared-data sample.
// Expected times were computed with Python's zoneinfo (America/Los_Angeles).
#include "source_paths.h"
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "tests/trace_fixtures.h"
#include "workloads/csv_trace.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// Five jobs in the published layout: two kept, three skipped (never started,
// unfinished, no GPU).
const char* kClusterJobLog = R"([
  {
    "status": "Pass", "vc": "ee9e8c", "jobid": "application_1506638472019_14199",
    "attempts": [
      {"start_time": "2017-10-07 01:12:09", "end_time": "2017-10-07 01:13:23",
       "detail": [{"ip": "m47", "gpus": ["gpu0","gpu1","gpu2","gpu3","gpu4","gpu5","gpu6","gpu7"]}]},
      {"start_time": "2017-10-07 01:13:30", "end_time": "2017-10-09 06:53:12",
       "detail": [{"ip": "m412", "gpus": ["gpu0","gpu1","gpu2","gpu3","gpu4","gpu5","gpu6","gpu7"]}]}
    ],
    "submitted_time": "2017-10-07 01:11:39", "user": "ce2f4c"
  },
  {
    "status": "Killed", "vc": "ee9e8c", "jobid": "application_2",
    "attempts": [
      {"start_time": "2017-11-05 00:40:00", "end_time": "2017-11-05 03:30:00",
       "detail": [{"ip": "m1", "gpus": ["gpu0","gpu1"]}, {"ip": "m2", "gpus": ["gpu0","gpu1"]}]}
    ],
    "submitted_time": "2017-11-05 00:30:00", "user": "ab12"
  },
  {"status": "Killed", "vc": "x", "jobid": "application_3", "attempts": [],
   "submitted_time": "2017-10-08 00:00:00", "user": "ab12"},
  {"status": "Pass", "vc": "x", "jobid": "application_4",
   "attempts": [{"start_time": "2017-10-08 00:00:05", "end_time": null, "detail": []}],
   "submitted_time": "2017-10-08 00:00:00", "user": "ab12"},
  {"status": "Failed", "vc": "x", "jobid": "application_5",
   "attempts": [{"start_time": "2017-10-08 00:00:05", "end_time": "2017-10-08 00:10:05",
                 "detail": [{"ip": "m3", "gpus": []}]}],
   "submitted_time": "2017-10-08 00:00:00", "user": "ab12"}
]
)";

}  // namespace

TEST_CASE("philly: cluster_job_log layout, last attempt, GPUs from the details, DST") {
  TempDir dir;
  auto r = read("philly", {dir.write("cluster_job_log", kClusterJobLog)});
  CHECK(r.report.rows == 5);
  CHECK(r.report.kept == 2);
  CHECK(r.report.skipped.at("never started") == 1);
  CHECK(r.report.skipped.at("unfinished (no end time)") == 1);
  CHECK(r.report.skipped.at("no GPU requested") == 1);
  const auto& w = r.workload;
  REQUIRE(w.jobs.size() == 2);
  REQUIRE(w.job_names.size() == 2);
  CHECK(w.job_names[0] == "application_1506638472019_14199");
  CHECK(w.job_names[1] == "application_2");
  const Job& a = w.jobs[0];
  CHECK(a.submit == 0);
  CHECK(a.num_gpus == 8);
  CHECK(a.work == 193182);          // last attempt only
  CHECK(w.trace_fields_of(0).recorded_start == 111);   // its start, from the first submit
  CHECK(w.user_name(a.user) == "ce2f4c");
  const Job& b = w.jobs[1];
  CHECK(b.num_gpus == 4);           // 2 machines x 2 GPUs
  CHECK(b.submit == 2503101);
  CHECK(w.trace_fields_of(1).recorded_start == 2503701);
  CHECK(b.work == 13800);           // 00:40 PDT -> 03:30 PST is 3 h 50 min, not 2 h 50 min
  CHECK(w.user_name(b.user) == "ab12");
  CHECK(has_assumption(r.report, "US Pacific"));
}

TEST_CASE("philly: sum_attempts adds the attempts and starts at the first") {
  TempDir dir;
  TraceReadOptions o;
  o.sum_attempts = true;
  auto r = read("philly", {dir.write("log.json", kClusterJobLog)}, o);
  REQUIRE(r.workload.jobs.size() == 2);
  CHECK(r.workload.jobs[0].work == 193182 + 74);
  CHECK(r.workload.trace_fields_of(0).recorded_start == 30);
}

TEST_CASE("philly: --strict names the file, line and field of the first skip") {
  TempDir dir;
  std::string path = dir.write("log.json", kClusterJobLog);
  InputError e = read_error("philly", {path}, strict());
  CHECK(e.where().file == path);
  CHECK(e.where().line == 20);  // the object of application_3
  CHECK(e.where().field == "attempts");
  CHECK(std::string(e.what()).find("never started") != std::string::npos);
}

TEST_CASE("philly: the derived subset (num_gpus, JSON array) and JSON Lines read the same") {
  TempDir dir;
  const char* obj1 =
      R"({"id":"application_1","num_gpus":8,"runtime":11.85,"attempts":[{"start_time":"2017-09-04 10:30:53","end_time":"2017-09-04 10:42:44"}],"submitted_time":"2017-09-04 10:30:41"})";
  const char* obj2 =
      R"({"id":"application_2","num_gpus":16,"runtime":1.0,"attempts":[{"start_time":"2017-09-04 11:00:00","end_time":"2017-09-04 11:01:00"}],"submitted_time":"2017-09-04 10:59:41"})";
  std::string array = std::string("[\n") + obj1 + ",\n" + obj2 + "\n]\n";
  std::string lines = std::string(obj1) + "\n" + obj2 + "\n";
  for (const auto& text : {array, lines}) {
    auto r = read("philly", {dir.write("jobs.json", text)});
    REQUIRE(r.workload.jobs.size() == 2);
    CHECK(r.workload.jobs[0].num_gpus == 8);
    CHECK(r.workload.jobs[0].work == 711);  // 10:30:53 -> 10:42:44
    CHECK(r.workload.trace_fields_of(0).recorded_start == 12);
    CHECK(r.workload.jobs[1].num_gpus == 16);
    CHECK(r.workload.jobs[1].submit == 29 * 60);
    CHECK(r.workload.jobs[1].work == 60);
    CHECK(has_assumption(r.report, "'runtime' ignored"));
  }
}

TEST_CASE("philly: corrupt JSON is an error with the line, never a crash") {
  TempDir dir;
  std::string good = std::string("[\n") +
                     R"({"id":"a","num_gpus":1,"attempts":[{"start_time":"2017-09-04 10:30:53","end_time":"2017-09-04 10:42:44"}],"submitted_time":"2017-09-04 10:30:41"},)" +
                     "\n";
  SUBCASE("cut in the middle of an object") {
    std::string p = dir.write("cut.json", good + R"({"id":"b","num_gpus":2,"attempts":[{"start_time":"2017-09-04)");
    InputError e = read_error("philly", {p});
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("end of file") != std::string::npos);
  }
  SUBCASE("cut after a complete element") {
    InputError e = read_error("philly", {dir.write("cut2.json", good)});
    CHECK(std::string(e.what()).find("end of file") != std::string::npos);
  }
  SUBCASE("missing comma") {
    std::string p = dir.write("comma.json", good + R"({"id":"b" "num_gpus":2})" + "\n]");
    InputError e = read_error("philly", {p});
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("expected ',' or '}'") != std::string::npos);
  }
  SUBCASE("bad UTF-8 inside a string") {
    std::string p = dir.write("utf8.json", good + "{\"id\":\"b\xff\xfe\",\"num_gpus\":2}\n]");
    InputError e = read_error("philly", {p});
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("UTF-8") != std::string::npos);
  }
  SUBCASE("trailing garbage, bad literal, bad number") {
    CHECK(std::string(read_error("philly", {dir.write("g1.json", "[]\nxyz")}).what()).find("after the top-level") !=
          std::string::npos);
    CHECK(std::string(read_error("philly", {dir.write("g2.json", "[tru]")}).what()).find("literal") !=
          std::string::npos);
    CHECK(std::string(read_error("philly", {dir.write("g3.json", "[01]")}).what()).find("malformed number") !=
          std::string::npos);
    CHECK(std::string(read_error("philly", {dir.write("g4.json", std::string(100, '['))}).what()).find("nesting") !=
          std::string::npos);
  }
  SUBCASE("a well-formed JSON value of the wrong shape is a malformed row") {
    std::string p = dir.write("shape.json", good + R"({"id":"b","submitted_time":"2017-09-04 10:30:41","attempts":"x"})" + "\n]");
    InputError e = read_error("philly", {p});
    CHECK(e.where().line == 3);
    CHECK(e.where().field == "attempts");
    auto r = read("philly", {p}, skip_bad());
    CHECK(r.report.kept == 1);
    CHECK(r.report.skipped.at("malformed row") == 1);
  }
  SUBCASE("an impossible date names the field") {
    std::string p = dir.write("date.json", good + R"({"id":"b","submitted_time":"2017-13-04 10:30:41","attempts":[]})" + "\n]");
    InputError e = read_error("philly", {p});
    CHECK(e.where().field == "submitted_time");
  }
}

TEST_CASE("philly: shipped subset (2305 real jobs)") {
  std::string path = sample("philly/philly_jobs_marwage_submitted_before_2017-11-20.json");
  auto r = read("philly", {path});
  CHECK(r.report.rows == 2305);
  CHECK(r.report.kept == 2305);
  CHECK(r.report.skipped_total() == 0);
  const auto& jobs = r.workload.jobs;
  std::uint64_t gpus = 0;
  double work = 0;
  for (const Job& j : jobs) {
    gpus += j.num_gpus;
    work += j.work;
  }
  // Independent values (jq and Python zoneinfo on the same file).
  CHECK(gpus == 15091);
  CHECK(work == 244044455.0);
  CHECK(jobs.front().submit == 0);
  CHECK(jobs.back().submit == 6605802);
  CHECK(r.workload.job_names.back() == "application_1508364558011_48057");
  TraceReadOptions o;
  o.sum_attempts = true;
  auto s = read("philly", {path}, o);
  double sum = 0;
  for (const Job& j : s.workload.jobs) sum += j.work;
  CHECK(sum == 330792602.0);
}

TEST_CASE("philly: every attempt kept by default; last_attempt_only keeps the single-run reading") {
  TempDir dir;
  const std::string path = dir.write("cluster_job_log", kClusterJobLog);
  // application_1...: submitted 01:11:39, attempt 1 01:12:09-01:13:23 (74 s,
  // failed), attempt 2 01:13:30 - 2017-10-09 06:53:12 (193182 s).
  auto r = read("philly", {path});
  REQUIRE(r.workload.jobs.size() == 2);
  const Job& a = r.workload.jobs[0];
  CHECK(a.work == 193182);
  CHECK(r.workload.trace_fields_of(0).recorded_start == 111);
  REQUIRE(r.workload.trace_fields_of(0).failed_attempts == 1);
  const FailedAttempt& f = r.workload.failed_attempts_of(0)[0];
  CHECK(f.length == 74);
  CHECK(f.recorded_start == 30);  // rebased with the submits
  CHECK(r.workload.trace_fields_of(1).failed_attempts == 0);
  CHECK(has_assumption(r.report, "each failed attempt kept"));

  TraceReadOptions o;
  o.last_attempt_only = true;
  auto last = read("philly", {path}, o);
  CHECK(last.workload.failed_attempts.empty());
  CHECK(last.workload.jobs[0].work == 193182);
  CHECK(last.workload.trace_fields_of(0).recorded_start == 111);
  CHECK(has_assumption(last.report, "earlier attempts ignored"));
  o.last_attempt_only = false;
  o.sum_attempts = true;
  CHECK(read("philly", {path}, o).workload.failed_attempts.empty());
}

TEST_CASE("philly: failed attempts survive the submit-order sort and the canonical CSV") {
  TempDir dir;
  // Listed out of submit order: the sort must carry each job's attempts along.
  const char* log = R"([
{"id":"late","num_gpus":2,"submitted_time":"2017-09-04 12:00:00","attempts":[{"start_time":"2017-09-04 12:00:10","end_time":"2017-09-04 12:01:10"},{"start_time":"2017-09-04 12:02:00","end_time":"2017-09-04 12:12:00"}]},
{"id":"early","num_gpus":1,"submitted_time":"2017-09-04 10:00:00","attempts":[{"start_time":"2017-09-04 10:00:05","end_time":"2017-09-04 10:00:25"},{"start_time":"2017-09-04 10:01:00","end_time":"2017-09-04 10:01:30"},{"start_time":"2017-09-04 10:02:00","end_time":"2017-09-04 10:03:00"}]}
])";
  auto r = read("philly", {dir.write("log.json", log)});
  const Workload& w = r.workload;
  REQUIRE(w.jobs.size() == 2);
  REQUIRE(w.job_names[0] == "early");
  REQUIRE(w.trace_fields_of(0).failed_attempts == 2);
  CHECK(w.failed_attempts_of(0)[0].length == 20);
  CHECK(w.failed_attempts_of(0)[0].recorded_start == 5);
  CHECK(w.failed_attempts_of(0)[1].length == 30);
  CHECK(w.failed_attempts_of(0)[1].recorded_start == 60);
  CHECK(w.jobs[0].work == 60);
  REQUIRE(w.trace_fields_of(1).failed_attempts == 1);
  CHECK(w.failed_attempts_of(1)[0].length == 60);
  CHECK(w.failed_attempts_of(1)[0].recorded_start == 7210);

  const std::string csv = dir.file("w.csv");
  write_csv_trace(w, csv);
  auto back = read("csv", {csv});
  const Workload& b = back.workload;
  REQUIRE(b.jobs.size() == 2);
  for (std::size_t j = 0; j < 2; ++j) {
    CHECK(b.jobs[j].work == w.jobs[j].work);
    CHECK(b.trace_fields_of(j).recorded_start == w.trace_fields_of(j).recorded_start);
    REQUIRE(b.trace_fields_of(j).failed_attempts == w.trace_fields_of(j).failed_attempts);
    for (std::uint32_t k = 0; k < w.trace_fields_of(j).failed_attempts; ++k) {
      CHECK(b.failed_attempts_of(j)[k].length == w.failed_attempts_of(j)[k].length);
      CHECK(b.failed_attempts_of(j)[k].recorded_start == w.failed_attempts_of(j)[k].recorded_start);
    }
  }
}

namespace {

// Job k of the chunked-array test, on one line: a user name holding "}, {"
// and details listing two machines ("}, {" inside a string and inside a
// nested array: both look like a separator between two jobs). Job k is
// submitted k minutes after 2017-10-02 00:00, starts 10 s later and runs 40 + k % 7 s on
// 2 + k % 3 GPUs per machine.
std::string chunk_test_job(int k) {
  const int minute = k % 60, hour = k / 60 % 24, day = 2 + k / 1440;
  const std::string at = fmt::format("2017-10-{:02} {:02}:{:02}", day, hour, minute);
  const int gpus = 2 + k % 3;
  std::string list;
  for (int g = 0; g < gpus; ++g) list += fmt::format("{}\"gpu{}\"", g ? ", " : "", g);
  return fmt::format(
      R"({{"status": "Pass", "vc": "vc{}", "jobid": "application_{}", "user": "u{}}}, {{x", )"
      R"("attempts": [{{"start_time": "{}:10", "end_time": "{}:{:02}", )"
      R"("detail": [{{"ip": "m1", "gpus": [{}]}}, {{"ip": "m2", "gpus": [{}]}}]}}], "submitted_time": "{}:00"}})",
      k % 4, k, k % 5, at, at, 50 + k % 7, list, list, at);
}

}  // namespace

TEST_CASE("philly: a large array is read in chunks; look-alike separators and errors far in are handled") {
  // 6,000 jobs (about 1.6 MB, a dozen chunks): chunk ends fall on the "}, {"
  // inside strings and nested arrays as well as between jobs. The JSON Lines
  // reading (one document per line, no chunks) is the reference.
  TempDir dir;
  constexpr int kJobs = 6000;
  std::string array = "[\n", lines;
  for (int k = 0; k < kJobs; ++k) {
    const std::string job = chunk_test_job(k);
    array += job + (k + 1 < kJobs ? ",\n" : "\n]\n");
    lines += job + "\n";
  }
  REQUIRE(array.size() > 1'000'000);
  auto chunked = read("philly", {dir.write("big.json", array)});
  auto reference = read("philly", {dir.write("big.jsonl", lines)});
  REQUIRE(chunked.report.rows == kJobs);
  REQUIRE(chunked.workload.jobs.size() == kJobs);
  REQUIRE(reference.workload.jobs.size() == kJobs);
  for (int k = 0; k < kJobs; ++k) {
    const Job &a = chunked.workload.jobs[k], &b = reference.workload.jobs[k];
    INFO("job ", k);
    CHECK(a.submit == 60.0 * k);  // submitted in order, a minute apart
    CHECK(a.work == 40 + k % 7);
    CHECK(a.num_gpus == 2 * (2 + k % 3));  // both machines' GPUs
    CHECK(a.submit == b.submit);
    CHECK(a.work == b.work);
    CHECK(a.num_gpus == b.num_gpus);
    CHECK(chunked.workload.user_name(a.user) == fmt::format("u{}}}, {{x", k % 5));
    CHECK(chunked.workload.vc_name(a.vc) == reference.workload.vc_name(b.vc));
    CHECK(chunked.workload.job_names[k] == fmt::format("application_{}", k));
  }

  // A missing comma in job 4,500 (line 4,502) and a bad date in job 3,000
  // (line 3,002): each is reported at its line.
  std::string broken = array;
  const std::string job4500 = chunk_test_job(4500);
  const std::size_t at4500 = broken.find(job4500);
  REQUIRE(at4500 != std::string::npos);
  broken.replace(broken.find("\"vc\": \"vc0\", ", at4500), 13, "\"vc\": \"vc0\" ");
  InputError e = read_error("philly", {dir.write("comma.json", broken)});
  CHECK(e.where().line == 4502);
  CHECK(std::string(e.what()).find("expected ',' or '}'") != std::string::npos);

  std::string bad_date = array;
  const std::size_t at3000 = bad_date.find(chunk_test_job(3000));
  bad_date.replace(bad_date.find("\"submitted_time\": \"2017-10-", at3000) + 19, 7, "2017-13");
  InputError d = read_error("philly", {dir.write("date.json", bad_date)});
  CHECK(d.where().line == 3002);
  CHECK(d.where().field == "submitted_time");
  auto skipped = read("philly", {dir.write("date2.json", bad_date)}, skip_bad());
  CHECK(skipped.report.kept == kJobs - 1);
  CHECK(skipped.report.rows == kJobs);
}

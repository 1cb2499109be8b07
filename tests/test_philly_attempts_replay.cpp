// The shared Philly sample (2,305 jobs, 693 retried after failures) replayed
// with every attempt: `recorded` reproduces the trace's mean queueing delay
// (first attempt's start - submit), its mean JCT (last end - submit) and the
// GPU-seconds all attempts used. The expected values are computed here from
// the JSON file by a separate scan (string search, civil-date arithmetic and
// the 2017 US Pacific daylight-saving dates), not by the reader.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "engine_fixtures.h"
#include "tests/trace_fixtures.h"
#include "workloads/trace_reader.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// Days from 1970-01-01 to a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2017-MM-DD HH:MM:SS" US Pacific -> UTC seconds. In 2017 daylight time ran
// from 2017-03-12 02:00 to 2017-11-05 02:00 local time.
std::int64_t pacific_2017(const std::string& s) {
  REQUIRE(s.substr(0, 5) == "2017-");
  const auto num = [&](std::size_t at, std::size_t n) { return std::stoll(s.substr(at, n)); };
  const std::int64_t wall = days_from_civil(2017, static_cast<unsigned>(num(5, 2)), static_cast<unsigned>(num(8, 2))) *
                                86400 +
                            num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
  const std::int64_t dst_from = days_from_civil(2017, 3, 12) * 86400 + 7200;
  const std::int64_t dst_to = days_from_civil(2017, 11, 5) * 86400 + 7200;
  return wall + (wall >= dst_from && wall < dst_to ? 7 : 8) * 3600;
}

// Every string value of `key` in `line`, in order.
std::vector<std::string> values_of(const std::string& line, const std::string& key) {
  std::vector<std::string> out;
  const std::string needle = "\"" + key + "\":\"";
  for (std::size_t at = line.find(needle); at != std::string::npos; at = line.find(needle, at + 1)) {
    const std::size_t from = at + needle.size();
    out.push_back(line.substr(from, line.find('"', from) - from));
  }
  return out;
}

struct TraceFacts {
  std::uint64_t jobs = 0, retried = 0, failed_attempts = 0;
  double queueing_delay_mean = 0, jct_mean = 0, gpu_seconds = 0, failed_gpu_seconds = 0;
};

TraceFacts scan(const std::string& path) {
  TraceFacts f;
  std::ifstream in(path);
  std::string line;
  double delay = 0, jct = 0;
  while (std::getline(in, line)) {
    const auto submit = values_of(line, "submitted_time");
    if (submit.empty()) continue;
    const auto starts = values_of(line, "start_time"), ends = values_of(line, "end_time");
    REQUIRE(!starts.empty());
    REQUIRE(starts.size() == ends.size());
    const std::size_t g = line.find("\"num_gpus\":");
    REQUIRE(g != std::string::npos);
    const double gpus = std::stod(line.substr(g + 11));
    const std::int64_t s = pacific_2017(submit[0]);
    ++f.jobs;
    f.retried += starts.size() > 1;
    f.failed_attempts += starts.size() - 1;
    delay += static_cast<double>(pacific_2017(starts.front()) - s);
    jct += static_cast<double>(pacific_2017(ends.back()) - s);
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const double used = gpus * static_cast<double>(pacific_2017(ends[k]) - pacific_2017(starts[k]));
      f.gpu_seconds += used;
      if (k + 1 < starts.size()) f.failed_gpu_seconds += used;
    }
  }
  f.queueing_delay_mean = delay / static_cast<double>(f.jobs);
  f.jct_mean = jct / static_cast<double>(f.jobs);
  return f;
}

// configs/replay-philly.toml's cluster: 352 nodes of 8 GPUs of speed 1, no
// placement slowdown (the recorded run times include it).
ClusterSpec philly_cluster() {
  ClusterSpec c = uniform_cluster(352, 8, 1.0, 16);
  c.slowdown.same_node = c.slowdown.same_switch = c.slowdown.cross_switch = 1.0;
  return c;
}

}  // namespace

TEST_CASE("philly attempts: recorded reproduces the trace's queueing delay, JCT and GPU-seconds") {
  const std::string path = sample("philly/philly_jobs_marwage_submitted_before_2017-11-20.json");
  const TraceFacts facts = scan(path);
  REQUIRE(facts.jobs == 2305);
  CHECK(facts.retried == 693);
  const Workload w = read_trace("philly", {path}, {});
  REQUIRE(w.jobs.size() == facts.jobs);
  CHECK(w.failed_attempts.size() == facts.failed_attempts);

  const RunResult r = run_policy("recorded", w, philly_cluster());
  CHECK(r.attributes.at("recorded_delayed") == "0");
  CHECK(r.summary.jobs_completed == facts.jobs);
  CHECK(r.summary.failed_attempts == facts.failed_attempts);
  CHECK(r.summary.wait_mean == doctest::Approx(facts.queueing_delay_mean).epsilon(1e-12));
  CHECK(std::lround(r.summary.wait_mean) == 1424);
  CHECK(r.summary.jct_mean == doctest::Approx(facts.jct_mean).epsilon(1e-12));
  CHECK(r.summary.busy_gpu_seconds == doctest::Approx(facts.gpu_seconds).epsilon(1e-12));
  CHECK(r.summary.failed_gpu_seconds == doctest::Approx(facts.failed_gpu_seconds).epsilon(1e-12));
  CHECK(facts.failed_attempts == 1246);

  // The single-run reading (last attempt only) loses the failed attempts'
  // GPU time and waits until the last attempt's start; the final wait of the
  // replay with attempts is that same wait.
  TraceReadOptions single;
  single.last_attempt_only = true;
  const Workload last = read_trace("philly", {path}, single);
  CHECK(last.failed_attempts.empty());
  const RunResult s = run_policy("recorded", last, philly_cluster());
  CHECK(s.summary.jct_mean == doctest::Approx(facts.jct_mean).epsilon(1e-12));
  CHECK(s.summary.wait_mean == doctest::Approx(r.summary.final_wait_mean).epsilon(1e-12));
  CHECK(s.summary.busy_gpu_seconds + r.summary.failed_gpu_seconds ==
        doctest::Approx(r.summary.busy_gpu_seconds).epsilon(1e-12));
}

// The composed queue policy: every valid combination of order, preemption,
// admission and placement runs on a small mixed workload with the engine
// invariants checked after every instant; invalid combinations are an
// InputError naming the parameter; and the named queue policies are exactly
// their compositions (bit-identical runs).
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <string>

#include "policies/placement.h"
#include "property_checks.h"
#include "workloads/synthetic.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

RawParams raw(std::initializer_list<std::pair<const char*, ParamValue>> values) {
  RawParams out;
  for (const auto& [name, value] : values) out[name] = RawParam{value, {}};
  return out;
}

bool preemptive_order(const std::string& order) {
  return order == "remaining" || order == "priority" || order == "deadline";
}

void check_identical(const RunResult& a, const RunResult& b) {
  REQUIRE(a.jobs.size() == b.jobs.size());
  CHECK(a.gpu_arena == b.gpu_arena);
  for (JobIndex j = 0; j < a.jobs.size(); ++j) {
    CAPTURE(j);
    CHECK(std::bit_cast<std::uint64_t>(a.jobs[j].first_start) == std::bit_cast<std::uint64_t>(b.jobs[j].first_start));
    CHECK(std::bit_cast<std::uint64_t>(a.jobs[j].end) == std::bit_cast<std::uint64_t>(b.jobs[j].end));
    CHECK(a.jobs[j].preemptions == b.jobs[j].preemptions);
    CHECK(a.jobs[j].outcome == b.jobs[j].outcome);
  }
}

}  // namespace

TEST_CASE("composed: every valid combination runs with the invariants held") {
  const ClusterSpec cluster = mixed_test_cluster();
  SyntheticSpec spec = mixed_test_spec();
  spec.jobs = 80;
  const Workload w = generate_synthetic(spec, cluster, 3);
  EngineOptions options;
  options.seed = 3;
  options.estimate = EstimateKind::noisy;
  options.estimate_sigma = 0.5;
  options.monitor_interval = 120;
  options.checkpoint_seconds = 20;
  options.restore_seconds = 10;
  int combinations = 0;
  for (const char* order : {"arrival", "estimate", "remaining", "priority", "deadline", "attained"}) {
    for (const bool preempt : {false, true}) {
      if (preempt && !preemptive_order(order)) continue;
      for (const char* admission : {"all", "deadline"}) {
        for (const std::string& placement : placement_names()) {
          CAPTURE(order);
          CAPTURE(preempt);
          CAPTURE(admission);
          CAPTURE(placement);
          const RunResult r = run_policy("composed", w, cluster, options,
                                         raw({{"order", std::string(order)},
                                              {"preempt", preempt},
                                              {"admission", std::string(admission)},
                                              {"placement", placement}}));
          check_every_job_ends_once(r, w);
          if (std::string(admission) == "all") CHECK(r.summary.jobs_rejected == 0);
          if (!preempt) {
            for (const JobRecord& rec : r.jobs) CHECK(rec.preemptions == 0);
          }
          ++combinations;
        }
      }
    }
  }
  CHECK(combinations == 9 * 2 * static_cast<int>(placement_names().size()));
}

TEST_CASE("composed: preemption with an order that does not rank running jobs is an InputError naming 'preempt'") {
  for (const char* order : {"arrival", "estimate", "attained"}) {
    CAPTURE(order);
    const RawParams params = raw({{"order", std::string(order)}, {"preempt", true}});
    CHECK_THROWS_WITH_AS(builtin_policies().create("composed", params), doctest::Contains("'preempt'"), InputError);
  }
  CHECK_THROWS_AS(builtin_policies().create("composed", raw({{"order", std::string("random")}})), InputError);
  CHECK_THROWS_AS(builtin_policies().create("composed", raw({{"admission", std::string("some")}})), InputError);
  const RawParams decreasing = raw({{"order", std::string("attained")}, {"thresholds", std::string("9,3")}});
  CHECK_THROWS_WITH_AS(builtin_policies().create("composed", decreasing), doctest::Contains("'thresholds'"),
                       InputError);
}

TEST_CASE("composed: the named queue policies are their compositions, bit for bit") {
  const ClusterSpec cluster = mixed_test_cluster();
  struct Case {
    const char* name;
    RawParams named, composed;
  };
  const Case cases[] = {
      {"fifo", {}, raw({{"order", std::string("arrival")}})},
      {"fifo", raw({{"placement", std::string("least-loaded")}}),
       raw({{"order", std::string("arrival")}, {"placement", std::string("least-loaded")}})},
      {"sjf", raw({{"by", std::string("gpu-seconds")}}),
       raw({{"order", std::string("estimate")}, {"by", std::string("gpu-seconds")}})},
      {"srtf", raw({{"min_gain", 30.0}}),
       raw({{"order", std::string("remaining")}, {"preempt", true}, {"min_gain", 30.0}})},
      {"priority", raw({{"preempt", true}, {"aging_per_hour", 2.0}}),
       raw({{"order", std::string("priority")}, {"preempt", true}, {"aging_per_hour", 2.0}})},
      {"priority", {}, raw({{"order", std::string("priority")}})},
  };
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Workload w = generate_synthetic(mixed_test_spec(), cluster, seed);
    EngineOptions options;
    options.seed = seed;
    options.estimate = EstimateKind::noisy;
    options.estimate_sigma = 0.5;
    options.monitor_interval = 120;
    options.checkpoint_seconds = 20;
    options.restore_seconds = 10;
    for (const Case& c : cases) {
      CAPTURE(c.name);
      CAPTURE(seed);
      check_identical(run_policy(c.name, w, cluster, options, c.named),
                      run_policy("composed", w, cluster, options, c.composed));
    }
  }
}

TEST_CASE("composed: a priority order with preemption and deadline admission rejects only jobs with deadlines") {
  const ClusterSpec cluster = mixed_test_cluster();
  const Workload w = generate_synthetic(mixed_test_spec(), cluster, 2);
  EngineOptions options;
  options.seed = 2;
  const RawParams params = raw({{"order", std::string("priority")},
                                {"preempt", true},
                                {"admission", std::string("deadline")}});
  const RunResult r = run_policy("composed", w, cluster, options, params);
  check_every_job_ends_once(r, w);
  for (JobIndex j = 0; j < r.jobs.size(); ++j) {
    if (r.jobs[j].outcome == JobOutcome::rejected) CHECK(w.jobs[j].has_deadline());
  }
  // run-late admits every job and counts the infeasible ones instead.
  RawParams late = params;
  late["on_infeasible"] = RawParam{std::string("run-late"), {}};
  const RunResult all = run_policy("composed", w, cluster, options, late);
  CHECK(all.summary.jobs_rejected == 0);
  CHECK(all.attributes.count("admitted_infeasible") == 1);
  CHECK(r.attributes.at("rejected") == std::to_string(r.summary.jobs_rejected));
}

// The run-result encoding that MPI workers send to rank 0
// (results_io/run_result_codec.h): a real simulation's result survives the round trip
// exactly, and malformed bytes are refused.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "policies/builtin.h"
#include "config/config.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "sim/metrics.h"
#include "results_io/run_result_codec.h"
#include "workloads/workload_loader.h"

using namespace fastgpu;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("mpi codec: a simulated run round-trips field by field") {
  const ExperimentConfig c = parse_config(R"([cluster]
[[cluster.gpu_types]]
name = "v100"
[[cluster.nodes]]
count = 2
gpus_per_node = 4
gpu_type = "v100"
[workload]
jobs = 50
gpu_counts = [1, 2, 4]
share_fraction = 0.2
)",
                                          "codec.toml");
  const Workload w = load_workload(c.workload, c.cluster, 4, nullptr);
  auto policy = builtin_policies().create("las", {});
  RunResult r = simulate(w, c.cluster, *policy, c.engine, "las");
  compute_summary(r, c.engine.responsiveness_alpha);
  r.workload = "synthetic[load=0.8]";
  r.seed = 4;
  r.policy_params = {{"interval", "60"}};
  r.attributes = {{"policy", "las"}};
  r.sweep = {{"policy", "las"}, {"workload.load", "0.8"}};
  r.reject_reasons.push_back("no fit");
  REQUIRE(r.jobs.size() == 50);

  const std::string bytes = encode_run_result(r);
  const RunResult d = decode_run_result(bytes);
  CHECK(d.policy == r.policy);
  CHECK(d.workload == r.workload);
  CHECK(d.seed == 4);
  CHECK(d.num_gpus == 8);
  REQUIRE(d.jobs.size() == r.jobs.size());
  for (std::size_t j = 0; j < r.jobs.size(); ++j) {
    CAPTURE(j);
    CHECK(d.jobs[j].id == r.jobs[j].id);
    CHECK(same_bits(d.jobs[j].first_start, r.jobs[j].first_start));
    CHECK(same_bits(d.jobs[j].end, r.jobs[j].end));
    CHECK(d.jobs[j].gpu_share == r.jobs[j].gpu_share);
    CHECK(d.jobs[j].preemptions == r.jobs[j].preemptions);
    CHECK(d.jobs[j].outcome == r.jobs[j].outcome);
  }
  REQUIRE(d.timeseries.size() == r.timeseries.size());
  for (std::size_t i = 0; i < r.timeseries.size(); ++i) {
    CHECK(same_bits(d.timeseries[i].load_variance, r.timeseries[i].load_variance));
    CHECK(d.timeseries[i].queue_length == r.timeseries[i].queue_length);
  }
  CHECK(std::memcmp(&d.summary, &r.summary, sizeof(Summary)) == 0);
  CHECK(d.reject_reasons == r.reject_reasons);
  CHECK(d.policy_params == r.policy_params);
  CHECK(d.attributes == r.attributes);
  CHECK(d.sweep == r.sweep);
  CHECK(d.gpu_arena == r.gpu_arena);
  CHECK(d.gpu_offset == r.gpu_offset);
  CHECK(d.gpu_busy_seconds == r.gpu_busy_seconds);
  CHECK(d.type_gpu_count == r.type_gpu_count);
  CHECK(d.type_busy_gpu_seconds == r.type_busy_gpu_seconds);
  CHECK(d.type_price_per_hour == r.type_price_per_hour);
  // Encoding the decoded result gives the same bytes.
  CHECK(encode_run_result(d) == bytes);

  // Truncated, padded or foreign bytes are refused.
  CHECK_THROWS_AS(decode_run_result(std::string_view(bytes).substr(0, bytes.size() - 1)), InternalError);
  CHECK_THROWS_AS(decode_run_result(bytes + "x"), InternalError);
  CHECK_THROWS_AS(decode_run_result("not a run result"), InternalError);
}

// The built-in registry holds exactly the shipped policies: each policy file
// registers itself, and the whole-archive link keeps every registration (a
// dropped object file would make a name disappear here).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "policies/builtin.h"

using namespace fastgpu;

TEST_CASE("registry: exactly the built-in policies, sorted, each with a summary and a source") {
  const std::vector<std::string> expected = {
      "composed", "conservative-backfill", "easy-backfill", "fifo",     "ga",        "las",
      "load-balance-migrate", "max-min",   "mct",           "met",      "min-min",   "priority",
      "recorded", "reservation",           "sjf",           "srtf",     "sufferage", "time-window"};
  CHECK(builtin_policies().names() == expected);
  REQUIRE(builtin_policies().all().size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const PolicyInfo& info = builtin_policies().all()[i];
    CAPTURE(info.name);
    CHECK(info.name == expected[i]);
    CHECK(!info.summary.empty());
    CHECK(!info.source.empty());
    CHECK(info.create);
  }
  // least-loaded is a placement, not a policy.
  CHECK(builtin_policies().find("least-loaded") == nullptr);
}

TEST_CASE("registry: a second registration of a name is refused") {
  PolicyRegistry r;
  r.add(PolicyInfo{.name = "x", .summary = "s", .source = "t", .params = {}, .create = {}});
  CHECK_THROWS_AS(r.add(PolicyInfo{.name = "x", .summary = "s", .source = "t", .params = {}, .create = {}}),
                  InternalError);
}

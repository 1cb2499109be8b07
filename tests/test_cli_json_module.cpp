// The fastgpu executable reads JSON traces through its module
// libfastgpu_json.so (workloads/json_trace_readers.h); this test program links
// the same readers. Both paths must give the same workload and the same
// errors, and an executable without its module must say so and exit 2.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "sim/error.h"
#include "tests/scratch_dir.h"
#include "workloads/csv_trace.h"
#include "workloads/trace_reader.h"

using namespace fastgpu;
using fastgpu::testing::contains;
using fastgpu::testing::read_text;
using fastgpu::testing::run_cli;
using fastgpu::testing::run_in;
using fastgpu::testing::ScratchDir;

namespace {

const std::string kPhillySample =
    fastgpu::test::source_dir() + "/data/philly/philly_jobs_marwage_submitted_before_2017-11-20.json";

}  // namespace

TEST_CASE("cli json module: a Philly trace converts through the module exactly as the linked reader reads it") {
  ScratchDir dir("json-module");
  const auto cli = run_cli(dir, "convert --format philly '" + kPhillySample + "' -o module.csv");
  REQUIRE_MESSAGE(cli.code == 0, cli.err);
  const Workload linked = read_trace("philly", {kPhillySample}, TraceReadOptions{});
  REQUIRE(linked.jobs.size() == 2305);  // the sample's 2,305 jobs (data/philly/README.md)
  write_csv_trace(linked, dir / "linked.csv");
  CHECK(read_text(dir / "module.csv") == read_text(dir / "linked.csv"));
}

TEST_CASE("cli json module: an error raised in the module reaches the executable's message and exit code") {
  ScratchDir dir("json-module-error");
  const std::string cut = dir.write("cut.json", "[{\"jobid\": 1,\n");
  std::string linked_message;
  try {
    read_trace("philly", {cut}, TraceReadOptions{});
  } catch (const InputError& e) {
    linked_message = e.what();
  }
  REQUIRE(contains(linked_message, "unexpected end of file"));
  const auto cli = run_cli(dir, "convert --format philly '" + cut + "' -o out.csv");
  CHECK(cli.code == 2);
  CHECK_MESSAGE(contains(cli.err, linked_message), cli.err);
  CHECK_FALSE(std::filesystem::exists(dir / "out.csv"));
}

TEST_CASE("cli json module: an executable without its module names the module and exits 2") {
  ScratchDir dir("json-module-missing");
  // A copy of the executable in a folder without the module; the loader's
  // own search path does not hold it either.
  std::filesystem::copy_file(fastgpu::test::cli_path(), dir / "fastgpu");
  const auto r = run_in(dir, "./fastgpu convert --format philly '" + kPhillySample + "' -o out.csv");
  CHECK(r.code == 2);
  CHECK_MESSAGE(contains(r.err, "reading a JSON trace needs fastgpu's module libfastgpu_json.so"), r.err);
  CHECK_FALSE(std::filesystem::exists(dir / "out.csv"));
  // The CSV reader needs no module.
  const std::string csv = dir.write("t.csv", "id,submit,num_gpus,work\n1,0,1,10\n");
  const auto ok = run_in(dir, "./fastgpu convert --format csv t.csv -o copy.csv");
  CHECK_MESSAGE(ok.code == 0, ok.err);
}

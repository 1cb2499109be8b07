// Distributed sweeps (experiments/mpi_runner.h): `mpirun -n 2 fastgpu compare`
// writes the same HDF5 file and prints the same tables as one process, and a
// bad config is reported once. Only built into the tests when CMake found
// MPI (FASTGPU_MPIEXEC is then the launcher's path).
#include "source_paths.h"
#include <doctest/doctest.h>

#ifdef FASTGPU_MPIEXEC

#include <algorithm>
#include <string>
#include <vector>

#include "results_io/hdf5_reader.h"
#include "test_sweep_files.h"

using fastgpu::test::results_file_differences;
using fastgpu::test::run_in;
using fastgpu::test::ScratchDir;

namespace {

const std::string kConfig = R"([experiment]
name = "mpi"

[cluster]
[[cluster.gpu_types]]
name = "v100"
[[cluster.nodes]]
count = 2
gpus_per_node = 4
gpu_type = "v100"

[workload]
jobs = 60
load = 0.8
gpu_counts = [1, 2, 4]
duration_median = 600

[sweep]
policies = ["fifo", "sjf", "las"]
seeds = 3
"workload.load" = [0.6, 0.95]
"policies.las.interval" = [30.0, 300.0]
)";

// Open MPI refuses root without these; the single-copy mechanism needs
// ptrace rights that containers often lack; a timeout guards against a hang.
std::string mpirun(int ranks, const std::string& args) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none "
         "timeout 300 '" FASTGPU_MPIEXEC "' --oversubscribe -n " +
         std::to_string(ranks) + " '" + fastgpu::test::cli_path() + "' " + args;
}

}  // namespace

TEST_CASE("mpi: compare over 2 ranks writes the same file and tables as one process") {
  ScratchDir dir("mpi");
  dir.write("exp.toml", kConfig);
  const auto one = run_in(dir, "'" + fastgpu::test::cli_path() + "' compare exp.toml -q -j 1 -o one.h5");
  const auto two = run_in(dir, mpirun(2, "compare exp.toml -q -o mpi.h5"));
  INFO("single: " << one.err << "\nmpirun: " << two.err);
  REQUIRE(one.code == 0);
  REQUIRE(two.code == 0);
  CHECK(one.out == two.out);  // printed once, by rank 0
  const std::vector<std::string> diffs = results_file_differences(dir / "one.h5", dir / "mpi.h5");
  INFO(diffs.size() << " differences, first: " << (diffs.empty() ? "" : diffs.front()));
  CHECK(diffs.empty());
  // 2 loads x (fifo, sjf, las x 2 intervals) x 3 seeds.
  CHECK(fastgpu::read_summary_table(dir / "mpi.h5").size() == 24);
}

TEST_CASE("mpi: a bad config under mpirun exits 2, reported once, and writes nothing") {
  ScratchDir dir("mpi-bad");
  dir.write("exp.toml", kConfig + "\"workload.no_such_key\" = [1, 2]\n");
  const auto r = run_in(dir, mpirun(2, "compare exp.toml -q -o out.h5"));
  INFO(r.err);
  CHECK(r.code == 2);
  std::size_t reports = 0;
  for (std::size_t at = 0; (at = r.err.find("fastgpu: error: ", at)) != std::string::npos; ++at) ++reports;
  CHECK(reports == 1);
  CHECK(r.err.find("exp.toml:") != std::string::npos);
  CHECK(r.err.find("no_such_key") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(!std::filesystem::exists(dir / "out.h5"));
}

#endif  // FASTGPU_MPIEXEC

// Packing inputs: malformed pod and node lists and packing configs are
// errors naming the file, line and field (exit 2 from the CLI), and nothing
// is written.
#include <doctest/doctest.h>

#include "scratch_dir.h"
#include "sim/error.h"
#include "workloads/packing_workload.h"

namespace fastgpu {

using testing::run_cli;
using testing::ScratchDir;

namespace {

const char* kNodes = "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,P100\nn1,8000,32768,0,\n";
const char* kPodHeader = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\n";

std::string config(const std::string& pods) {
  return "[experiment]\nname = \"p\"\nseeds = 2\npolicies = [\"fgd\", \"best-fit\"]\n[workload]\nkind = \"packing\"\n"
         "pods = \"" + pods + "\"\nnodes = \"nodes.csv\"\n";
}

}  // namespace

TEST_CASE("packing input: a bad pod row names file, line and field") {
  ScratchDir dir("packing-input");
  dir.write("nodes.csv", kNodes);
  struct Case {
    std::string row, field;
  };
  for (const Case& c : {Case{"p1,1000,2048,x,1000", "num_gpu"}, Case{"p1,1000,2048,1,0", "gpu_milli"},
                        Case{"p1,1000,2048,1,1500", "gpu_milli"}, Case{"p1,-5,2048,1,500", "cpu_milli"},
                        Case{"p1,1000,2048,65,1000", "num_gpu"}}) {
    CAPTURE(c.row);
    const std::string pods = dir.write("pods.csv", std::string(kPodHeader) + "p0,1000,2048,1,500\n" + c.row + "\n");
    PackingWorkload w;
    read_packing_nodes(dir / "nodes.csv", w);
    try {
      read_packing_pods(pods, w);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().file == pods);
      CHECK(e.where().line == 3);
      CHECK(e.where().field == c.field);
    }
  }
  // A missing column names the column.
  const std::string pods = dir.write("pods.csv", "name,cpu_milli,num_gpu,gpu_milli\np0,1,1,1\n");
  PackingWorkload w;
  read_packing_nodes(dir / "nodes.csv", w);
  try {
    read_packing_pods(pods, w);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("memory_mib") != std::string::npos);
  }
}

TEST_CASE("packing input: a bad node row names file, line and field") {
  ScratchDir dir("packing-nodes");
  const std::string nodes = dir.write("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,\n");
  PackingWorkload w;
  try {
    read_packing_nodes(nodes, w);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.where().line == 2);
    CHECK(e.where().field == "model");
  }
}

TEST_CASE("packing input: fastgpu pack exits 2 on a malformed list, writes nothing") {
  ScratchDir dir("packing-cli");
  dir.write("nodes.csv", kNodes);
  dir.write("pods.csv", std::string(kPodHeader) + "p0,1000,2048,1,500\np1,1000,2048,1,abc\n");
  dir.write("exp.toml", config("pods.csv"));
  const auto r = run_cli(dir, "pack exp.toml -o out.h5");
  CHECK(r.code == 2);
  CHECK(r.err.find("pods.csv:3") != std::string::npos);
  CHECK(r.err.find("gpu_milli") != std::string::npos);
  CHECK(dir.outputs({"nodes.csv", "pods.csv", "exp.toml"}).empty());

  // A placement that is not a packing one, and an out-of-range target.
  dir.write("pods.csv", std::string(kPodHeader) + "p0,1000,2048,1,500\n");
  dir.write("bad.toml", config("pods.csv") + "target = 0\n");
  const auto t = run_cli(dir, "pack bad.toml -o out.h5");
  CHECK(t.code == 2);
  CHECK(t.err.find("workload.target") != std::string::npos);
  dir.write("sjf.toml", config("pods.csv") + "[policies.x]\npolicy = \"sjf\"\n");
  const auto s = run_cli(dir, "pack sjf.toml -o out.h5 --policies x");
  CHECK(s.code == 2);
  CHECK(s.err.find("not a packing placement") != std::string::npos);

  // The good list runs (the second node, without GPUs, holds nothing here).
  const auto ok = run_cli(dir, "pack exp.toml -o out.h5");
  CHECK(ok.code == 0);
  CHECK(ok.out.find("fgd") != std::string::npos);
  CHECK(dir.outputs({"nodes.csv", "pods.csv", "exp.toml", "bad.toml", "sjf.toml"}) ==
        std::vector<std::string>{"out.h5"});
}

}  // namespace fastgpu

// Virtual clusters as input: [[cluster.vcs]] in the config (node ranges, GPUs
// per type, every bad share named by file, line and key), the canonical CSV's
// `vc` column (read, written back), the readers whose formats carry a VC, and
// a trace naming a VC the config does not define.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "scratch_dir.h"
#include "sim/error.h"
#include "workloads/csv_trace.h"
#include "workloads/trace_reader.h"
#include "workloads/workload_loader.h"

using namespace fastgpu;
using fastgpu::testing::ScratchDir;

namespace {

// Two types: nodes 0-3 "A" (4 GPUs each), nodes 4-5 "B" (8 GPUs each).
const std::string kCluster = R"([experiment]
name = "vcs"
[[cluster.gpu_types]]
name = "A"
[[cluster.gpu_types]]
name = "B"
[[cluster.nodes]]
count = 4
gpus_per_node = 4
gpu_type = "A"
[[cluster.nodes]]
count = 2
gpus_per_node = 8
gpu_type = "B"
)";

std::string config_error(const std::string& vcs) {
  try {
    parse_config(kCluster + vcs, "dir/exp.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("vcs config: node ranges and GPUs per type become node lists") {
  // "x" takes nodes 0, 1 and 3 by range; "y" asks for 4 A GPUs
  // (the first A node left: 2) and 8 B GPUs (node 4); lending on.
  const ExperimentConfig c = parse_config(kCluster + R"([cluster]
vc_lending = true
[[cluster.vcs]]
name = "y"
gpus = { A = 4, B = 8 }
[[cluster.vcs]]
name = "x"
nodes = " 0-1 , 3"
)", "dir/exp.toml");
  REQUIRE(c.cluster.vcs.size() == 2);
  CHECK(c.cluster.vc_lending);
  CHECK(c.cluster.vcs[0].name == "y");
  CHECK(c.cluster.vcs[0].nodes == std::vector<NodeIndex>{2, 4});
  CHECK(c.cluster.vcs[1].name == "x");
  CHECK(c.cluster.vcs[1].nodes == std::vector<NodeIndex>{0, 1, 3});
  // No VCs: none, lending off.
  CHECK(parse_config(kCluster, "dir/exp.toml").cluster.vcs.empty());
}

TEST_CASE("vcs config: bad shares name the file, line and key") {
  // kCluster has 14 lines; the first [[cluster.vcs]] is line 15, its keys 16-17.
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\nnodes = \"0-6\"\n") ==
        "dir/exp.toml:17: field 'cluster.vcs[0].nodes': node 6 does not exist: the cluster has 6 nodes (0-5)");
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\nnodes = \"0-2\"\n[[cluster.vcs]]\nname = \"y\"\nnodes = \"2\"\n") ==
        "dir/exp.toml:20: field 'cluster.vcs[1].nodes': node 2 is already in virtual cluster 'x'");
  CHECK(config_error("[[cluster.vcs]]\nname = \"\"\nnodes = \"0\"\n") ==
        "dir/exp.toml:16: field 'cluster.vcs[0].name': a virtual cluster needs a non-empty name");
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\nnodes = \"0\"\n[[cluster.vcs]]\nname = \"x\"\nnodes = \"1\"\n") ==
        "dir/exp.toml:19: field 'cluster.vcs[1].name': virtual cluster 'x' is defined twice");
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\ngpus = { B = 24 }\n") ==
        "dir/exp.toml:17: field 'cluster.vcs[0].gpus.B': virtual cluster 'x' asks for 24 B GPUs, but only 16 are "
        "left after the VCs before it (the cluster has 6 nodes)");
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\ngpus = { B = 12 }\n").find(
            "12 B GPUs is not a whole number of nodes") != std::string::npos);
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\ngpus = { C = 4 }\n").find("unknown GPU type 'C'") !=
        std::string::npos);
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\nnodes = \"3-1\"\n").find("range '3-1' runs backwards") !=
        std::string::npos);
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\nnodes = \"a\"\n").find("'a' is not a node number") !=
        std::string::npos);
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\n").find("needs its share as either nodes") != std::string::npos);
  CHECK(config_error("[[cluster.vcs]]\nname = \"x\"\nnodes = \"0\"\nnode = \"1\"\n").find("cluster.vcs[0].node") !=
        std::string::npos);
  CHECK(config_error("[cluster]\nvc_lending = true\n").find("vc_lending needs [[cluster.vcs]]") != std::string::npos);
}

TEST_CASE("vcs csv: the vc column is read, interned and written back") {
  ScratchDir dir("vcs-csv");
  const std::string path = dir.write("t.csv", "id,submit,num_gpus,work,vc\n1,0,1,10,b\n2,5,2,20,\n3,1,1,10, a \n4,2,1,5,b\n");
  const Workload w = read_trace("csv", {path}, {});
  REQUIRE(w.jobs.size() == 4);  // sorted by submit: ids 1, 3, 4, 2
  CHECK(w.vcs == std::vector<std::string>{"b", "a"});
  CHECK(w.vc_name(w.jobs[0].vc) == "b");
  CHECK(w.vc_name(w.jobs[1].vc) == "a");  // blanks trimmed
  CHECK(w.vc_name(w.jobs[2].vc) == "b");
  CHECK(w.jobs[3].vc == 0);  // empty cell: no VC
  const std::string out = dir / "out.csv";
  write_csv_trace(w, out);
  const Workload back = read_trace("csv", {out}, {});
  REQUIRE(back.jobs.size() == 4);
  for (std::size_t j = 0; j < 4; ++j) CHECK(back.vc_name(back.jobs[j].vc) == w.vc_name(w.jobs[j].vc));
  // A workload without VCs writes no vc column.
  const std::string plain = dir.write("p.csv", "id,submit,num_gpus,work\n1,0,1,10\n");
  write_csv_trace(read_trace("csv", {plain}, {}), dir / "p2.csv");
  std::ifstream f(dir / "p2.csv");
  std::string header;
  std::getline(f, header);
  CHECK(header.find("vc") == std::string::npos);
}

TEST_CASE("vcs readers: helios keeps vc, gavel's per-VC files name it") {
  ScratchDir dir("vcs-readers");
  const std::string helios = dir.write("cluster_log.csv",
                                       "user,vc,jobname,gpu_num,state,submit_time,duration\n"
                                       "u1,vcA,j,1,COMPLETED,0,10\nu2,vcB,j,2,COMPLETED,5,20\n");
  const Workload h = read_trace("helios", {helios}, {});
  REQUIRE(h.jobs.size() == 2);
  CHECK(h.vc_name(h.jobs[0].vc) == "vcA");
  CHECK(h.vc_name(h.jobs[1].vc) == "vcB");
  const std::string gavel = dir.write("6214e9.trace", "ResNet-18\tcmd\t--n\t1\t1000\t0\t1\nLM\tcmd\t--n\t1\t500\t10\t2\n");
  const Workload g = read_trace("gavel", {gavel}, {});
  REQUIRE(g.jobs.size() == 2);
  CHECK(g.vc_name(g.jobs[0].vc) == "6214e9");
  CHECK(g.vc_name(g.jobs[1].vc) == "6214e9");
}

TEST_CASE("vcs: a trace naming a VC the config does not define stops the run, naming the trace") {
  ScratchDir dir("vcs-unknown");
  const std::string path = dir.write("t.csv", "id,submit,num_gpus,work,vc\n1,0,1,10,a\n2,0,1,10,zz\n");
  ClusterSpec cluster;
  cluster.vcs = {VirtualCluster{"a", {0}}};
  WorkloadSpec spec;
  spec.kind = "trace";
  spec.format = "csv";
  spec.trace_paths = {path};
  try {
    load_workload(spec, cluster, 1);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          path + ": field 'vc': virtual cluster 'zz' (job id 2) is not defined in [[cluster.vcs]] (defined: a)");
  }
  // Without [[cluster.vcs]] the names are kept and not checked.
  cluster.vcs.clear();
  CHECK(load_workload(spec, cluster, 1).vcs.size() == 2);
}

// Trace conversion: the Batsim writer, cluster descriptions from traces, and
// the `fastgpu convert` command end to end (exit codes, round trip through
// the native CSV).
#include "source_paths.h"
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "config/config.h"
#include "tests/trace_fixtures.h"
#include "workloads/batsim_writer.h"
#include "workloads/trace_cluster.h"
#include "tests/skip.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the CLI; returns the exit status, stdout+stderr in `output`.
int run_cli(const std::string& args, const TempDir& dir, std::string& output) {
  std::string log = dir.file("cli.log");
  int status = std::system((fastgpu::test::cli_path() + " " + args + " > " + log + " 2>&1").c_str());
  output = slurp(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("batsim writer: jobs, shared delay profiles, walltime, nb_res") {
  TempDir dir;
  Workload w;
  w.name = "t";
  Job a;
  a.id = 5;
  a.num_gpus = 2;
  a.work = 100;
  Job b;
  b.id = 7;
  b.submit = 10.5;
  b.work = 100;
  b.gpu_share = 0.5f;
  w.jobs = {a, b};
  w.mutable_trace_fields(0).requested_time = 150;
  std::string path = dir.file("w.json");
  BatsimWriteReport r = write_batsim_workload(w, path);
  CHECK(r.jobs == 2);
  CHECK(r.profiles == 1);
  CHECK(r.shared_as_whole == 1);
  CHECK(r.nb_res == 2);
  CHECK(slurp(path) ==
        "{\n"
        "  \"description\": \"fastgpu workload 't': one resource = one GPU, delay profiles = run time on the "
        "reference GPU (s)\",\n"
        "  \"nb_res\": 2,\n"
        "  \"jobs\": [\n"
        "    {\"id\": 5, \"subtime\": 0, \"walltime\": 150, \"res\": 2, \"profile\": \"delay0\"},\n"
        "    {\"id\": 7, \"subtime\": 10.5, \"res\": 1, \"profile\": \"delay0\"}\n"
        "  ],\n"
        "  \"profiles\": {\n"
        "    \"delay0\": {\"type\": \"delay\", \"delay\": 100}\n"
        "  }\n"
        "}\n");
  BatsimWriteOptions small;
  small.nb_res = 1;
  CHECK_THROWS_AS(write_batsim_workload(w, path, small), InputError);
  // Repeated ids fall back to positions; names are JSON strings.
  w.jobs[1].id = 5;
  write_batsim_workload(w, path);
  CHECK(slurp(path).find("{\"id\": 1, \"subtime\": 10.5") != std::string::npos);
  w.job_names = {"a\"b", "c"};
  write_batsim_workload(w, path);
  CHECK(slurp(path).find("{\"id\": \"a\\\"b\"") != std::string::npos);
}

TEST_CASE("trace cluster: openb node list, Philly machine list, Alea machines") {
  TempDir dir;
  ClusterSpec c = cluster_from_trace(
      "alibaba2023", dir.write("nodes.csv",
                               "sn,cpu_milli,memory_mib,gpu,model\n"
                               "n0,32000,262144,0,\n"
                               "n1,64000,262144,2,P100\n"
                               "n2,64000,262144,2,P100\n"
                               "n3,96000,786432,8,V100M32\n"
                               "n4,96000,786432,8,G2\n"
                               "n5,64000,262144,4,T4\n"));
  CHECK(c.num_nodes() == 5);
  CHECK(c.num_gpus() == 2 + 2 + 8 + 8 + 4);
  REQUIRE(c.node_groups.size() == 4);
  CHECK(c.node_groups[0].name == "P100x2");
  CHECK(c.node_groups[0].count == 2);
  const GpuType& t4 = c.gpu_types[static_cast<std::size_t>(c.find_type("T4"))];
  CHECK(t4.speed == 0.35);
  CHECK(t4.memory_gb == 16);
  CHECK(c.gpu_types[static_cast<std::size_t>(c.find_type("V100M32"))].memory_gb == 32);
  bool known = true;
  CHECK(known_gpu_type("H100", &known).speed == 1.0);
  CHECK_FALSE(known);

  // The TOML form reads back through the config parser.
  ExperimentConfig cfg = parse_config(cluster_to_toml(c), dir.file("c.toml"));
  CHECK(cfg.cluster.num_gpus() == c.num_gpus());
  CHECK(cfg.cluster.gpu_types.size() == c.gpu_types.size());

  ClusterSpec p = cluster_from_trace(
      "philly", dir.write("machines.csv", "machineId,number of GPUs,single GPU mem\nm31,8, 24GB\nm32,8, 24GB\nm1,2, 12GB\n"));
  CHECK(p.num_gpus() == 18);
  REQUIRE(p.node_groups.size() == 2);
  CHECK(p.gpu_types[p.node_groups[0].gpu_type].name == "P40-24GB");
  CHECK(p.gpu_types[p.node_groups[1].gpu_type].memory_gb == 12);

  std::string alea = dir.write("hpc2n.swf.machines", "0\tseth\t120\t2\t1\t1048576\n");
  CHECK(cluster_from_trace("swf", alea).num_gpus() == 240);
  CHECK(cluster_from_trace("swf", alea, 0.5).num_gpus() == 120);

  CHECK_THROWS_AS(cluster_from_trace("helios", alea), InputError);
  InputError e = read_error("csv", {dir.write("x.csv", "")});  // keep read_error referenced
  (void)e;
  try {
    cluster_from_openb_nodes(dir.write("bad.csv", "sn,cpu_milli,memory_mib,gpu,model\nn1,1,1,x,T4\n"));
    FAIL("expected an InputError");
  } catch (const InputError& err) {
    CHECK(err.where().line == 2);
    CHECK(err.where().field == "gpu");
  }
  // A model that is not UTF-8: the row's check refuses it, at its line.
  try {
    cluster_from_openb_nodes(dir.write("bad_model.csv", "sn,cpu_milli,memory_mib,gpu,model\nn1,1,1,2,T\xff" "4\n"));
    FAIL("expected an InputError");
  } catch (const InputError& err) {
    CHECK(err.where().line == 2);
    const std::string what = err.what();
    CHECK_MESSAGE(what.find("invalid UTF-8 at byte 11 of the row") != std::string::npos, what);
  }
}

TEST_CASE("trace cluster: shipped openb node lists") {
  std::string path = sample("openb/openb_node_list_gpu_node.csv");
  ClusterSpec c = cluster_from_openb_nodes(path);
  // awk on the file: 1213 nodes in 12 (model, gpu) shapes, 6212 GPUs.
  CHECK(c.num_nodes() == 1213);
  CHECK(c.num_gpus() == 6212);
  CHECK(c.node_groups.size() == 12);
  CHECK(c.gpu_types.size() == 7);
  ClusterSpec all = cluster_from_openb_nodes(sample("openb/openb_node_list_all_node.csv"));
  CHECK(all.num_gpus() == 6212);  // the 310 CPU-only nodes add no GPU
}

TEST_CASE("fastgpu convert: summary, CSV round trip, Batsim, exit codes") {
  TempDir dir;
  std::string in = dir.write("jobs.csv",
                             "job_id,num_gpu,submit_time,iterations,model_name,duration,interval\n"
                             "0,1,0,606,vgg19,164,30\n"
                             "1,8,30,133,vgg11,147,23\n"
                             "2,0,53,157,inception4,127,26\n");
  std::string out;
  std::string csv = dir.file("out.csv");
  REQUIRE(run_cli("convert --format tiresias " + in + " -o " + csv, dir, out) == 0);
  CHECK(out.find("rows read            3") != std::string::npos);
  CHECK(out.find("no GPU requested") != std::string::npos);
  CHECK(out.find("rows/s") != std::string::npos);
  auto back = read("csv", {csv});
  REQUIRE(back.workload.jobs.size() == 2);
  CHECK(back.workload.jobs[1].num_gpus == 8);
  CHECK(back.workload.jobs[1].work == 147);
  CHECK(back.workload.jobs[1].submit == 30);

  std::string json = dir.file("out.json");
  REQUIRE(run_cli("convert --format tiresias --to batsim --nb-res 16 " + in + " -o " + json, dir, out) == 0);
  CHECK(slurp(json).find("\"nb_res\": 16") != std::string::npos);

  // A skipped row under --strict, a corrupt file, an unknown format: exit 2
  // with file and line in the message.
  CHECK(run_cli("convert --format tiresias --strict " + in + " -o " + csv, dir, out) == 2);
  CHECK(out.find(in + ":4") != std::string::npos);
  std::string cut = dir.write("cut.csv", "job_id,num_gpu,submit_time,iterations,model_name,duration,interval\n0,1,0,6");
  CHECK(run_cli("convert --format tiresias " + cut + " -o " + csv, dir, out) == 2);
  CHECK(out.find(cut + ":2") != std::string::npos);
  CHECK(run_cli("convert --format nosuch " + in, dir, out) == 2);
  CHECK(out.find("unknown trace format") != std::string::npos);

  std::string nodes = dir.write("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\nn1,1,1,8,V100M32\n");
  std::string toml = dir.file("cluster.toml");
  REQUIRE(run_cli("convert --format alibaba2023 --cluster " + nodes + " --cluster-toml " + toml, dir, out) == 0);
  CHECK(out.find("1 nodes, 8 GPUs") != std::string::npos);
  CHECK(parse_config(slurp(toml), toml).cluster.num_gpus() == 8);
}

TEST_CASE("fastgpu convert: Philly failed attempts round-trip through the canonical CSV") {
  TempDir dir;
  // One job retried twice: attempts of 20 s and 30 s failed, the last ran 60 s.
  const std::string in = dir.write(
      "philly.json",
      R"({"id":"a","num_gpus":4,"submitted_time":"2017-09-04 10:00:00","attempts":[{"start_time":"2017-09-04 10:00:05","end_time":"2017-09-04 10:00:25"},{"start_time":"2017-09-04 10:01:00","end_time":"2017-09-04 10:01:30"},{"start_time":"2017-09-04 10:02:00","end_time":"2017-09-04 10:03:00"}]})"
      "\n");
  const std::string csv = dir.file("a.csv"), again = dir.file("b.csv"), single = dir.file("c.csv");
  std::string out;
  REQUIRE(run_cli("convert --format philly " + in + " -o " + csv, dir, out) == 0);
  const std::string text = slurp(csv);
  CHECK(text ==
        "id,submit,num_gpus,work,priority,deadline,earliest_start,gpu_type,gpu_memory_gb,gpu_share,preemptible,"
        "requested_time,recorded_start,failed_attempts,depends_on,name\n"
        "0,0,4,60,0,,0,,0,1,1,,120,20@5;30@60,,a\n");
  REQUIRE(run_cli("convert --format csv " + csv + " -o " + again, dir, out) == 0);
  CHECK(slurp(again) == text);
  REQUIRE(run_cli("convert --format philly --last-attempt-only " + in + " -o " + single, dir, out) == 0);
  CHECK(slurp(single).find("failed_attempts") == std::string::npos);
  CHECK(run_cli("convert --format philly --last-attempt-only --sum-attempts " + in, dir, out) == 2);
  CHECK(out.find("--last-attempt-only and --sum-attempts") != std::string::npos);
}

// Every input in fuzz/corpus/ (the seeds, and every input a fuzzing campaign
// once found crashing, kept there as its regression test) replayed through
// the harness bodies of fuzz/: each must be read or refused with the
// expected error (InputError, EtcParseError), with no other exception and,
// in the sanitizer build, no sanitizer report.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/baseline_harness.h"
#include "fuzz/config_harness.h"
#include "fuzz/etc_harness.h"
#include "fuzz/failure_trace_harness.h"
#include "fuzz/packing_harness.h"
#include "fuzz/trace_cluster_harness.h"
#include "fuzz/trace_harness.h"

namespace fs = std::filesystem;

namespace {

// The bytes of every file of fuzz/corpus/<harness>/, sorted by name.
std::vector<std::pair<std::string, std::string>> corpus(const std::string& harness) {
  std::vector<std::pair<std::string, std::string>> out;
  const fs::path dir = fs::path(fastgpu::test::source_dir()) / "fuzz/corpus" / harness;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    out.emplace_back(e.path().filename().string(), std::string(std::istreambuf_iterator<char>(in), {}));
  }
  std::sort(out.begin(), out.end());
  return out;
}

const auto* bytes(const std::string& s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

// Every input of fuzz/corpus/<harness>/ through the harness body `read`.
template <class HarnessBody>
void replay(const std::string& harness, HarnessBody read) {
  for (const auto& [name, text] : corpus(harness)) {
    CAPTURE(harness);
    CAPTURE(name);
    CHECK_NOTHROW(read(bytes(text), text.size()));
  }
}

}  // namespace

TEST_CASE("fuzz corpus: every trace input is read or refused with an InputError") {
  const std::pair<const char*, int> readers[] = {{"philly", 1}, {"alibaba2020", 2}, {"alibaba2023", 1}, {"helios", 1},
                                                 {"swf", 1},    {"gavel", 1},       {"tiresias", 1},    {"csv", 1}};
  std::size_t files = 0;
  for (const auto& [format, n] : readers) {
    for (const auto& [name, text] : corpus(std::string("trace_") + format)) {
      CAPTURE(format);
      CAPTURE(name);
      CHECK_NOTHROW(fastgpu::fuzz::run_trace_reader(format, bytes(text), text.size(), n));
      ++files;
    }
  }
  CHECK(files >= 8);  // at least one seed per reader
}

TEST_CASE("fuzz corpus: every failure trace, openb list and cluster description is read or refused") {
  replay("failure_trace", fastgpu::fuzz::run_failure_trace_reader);
  replay("packing", fastgpu::fuzz::run_packing_reader);
  replay("trace_cluster", fastgpu::fuzz::run_trace_cluster_reader);
}

TEST_CASE("fuzz corpus: every config, ETC and baseline input is read or refused") {
  replay("config", fastgpu::fuzz::run_config_reader);
  replay("config_vcs", fastgpu::fuzz::run_config_reader);
  replay("etc", fastgpu::fuzz::run_etc_reader);
  replay("baseline", fastgpu::fuzz::run_baseline_reader);
}

TEST_CASE("fuzz corpus: the new readers' seeds are valid input, read as counted by hand") {
  // Each seed without its option byte, through the reader itself: a seed the
  // reader refused would leave its harness fuzzing only the error paths.
  fastgpu::fuzz::MemoryFile file, second;
  const auto seed = [](const std::string& harness, const std::string& name) {
    for (auto& [n, text] : corpus(harness))
      if (n == name) return text;
    FAIL("no seed " << harness << "/" << name);
    return std::string();
  };
  using namespace fastgpu;

  // Option byte 0x7f: 8 nodes of 8 GPUs (GPUs 0-63), then 2 nodes of 4 (64-67, 68-71).
  ClusterSpec cluster;
  cluster.gpu_types = {GpuType{}};
  cluster.node_groups = {NodeGroup{.name = "", .count = 8, .gpus_per_node = 8, .gpu_type = 0}, NodeGroup{.name = "", .count = 2, .gpus_per_node = 4, .gpu_type = 0}};
  const std::string outages = seed("failure_trace", "outages.csv");
  REQUIRE(static_cast<unsigned char>(outages[0]) == 0x7f);
  const std::vector<Outage> o = read_failure_trace(file.write(std::string_view(outages).substr(1)), cluster);
  REQUIRE(o.size() == 4);  // by time: node 9 GPU 3, node 0 GPU 1, all of node 2, node 8 GPU 0
  CHECK((o[0].time == 0 && o[0].first_gpu == 71 && o[0].gpus == 1 && o[0].duration == 100));
  CHECK((o[1].time == 10 && o[1].first_gpu == 1 && o[1].gpus == 1));
  CHECK((o[2].time == 20 && o[2].first_gpu == 16 && o[2].gpus == 8));
  CHECK((o[3].time == 7200.5 && o[3].first_gpu == 64 && o[3].duration == 3600));

  // 60 nodes of six GPU models (306 GPUs), 35 pods; the pod asking for
  // "V100M32|G2" may use those two models, the one asking for "A100" none.
  const std::string lists = seed("packing", "gpuspec.csv");
  const std::size_t cut = lists.find('\0');
  PackingWorkload w;
  read_packing_nodes(file.write(std::string_view(lists).substr(0, cut)), w);
  read_packing_pods(second.write(std::string_view(lists).substr(cut + 1)), w);
  CHECK(w.nodes.size() == 60);
  CHECK(w.models.size() == 6);
  CHECK(w.gpu_capacity_milli() == 306000);
  CHECK(w.pods.size() == 35);
  const auto model = [&](const char* m) {
    return std::uint64_t{1} << (std::find(w.models.begin(), w.models.end(), m) - w.models.begin());
  };
  CHECK(w.requests[w.pods[33]].models == (model("V100M32") | model("G2")));
  CHECK(w.requests[w.pods[34]].models == 0);

  // Philly machines: 8 + 8 + 2 GPUs; Alea: 120 nodes of 2 CPUs and 4 of 8.
  const std::string philly = seed("trace_cluster", "philly_machines.csv");
  CHECK(cluster_from_trace("philly", file.write(std::string_view(philly).substr(1))).num_gpus() == 18);
  const std::string alea = seed("trace_cluster", "alea_machines.txt");
  CHECK(cluster_from_trace("swf", file.write(std::string_view(alea).substr(1))).num_gpus() == 272);
  const std::string openb = seed("trace_cluster", "openb_nodes.csv");
  CHECK(cluster_from_trace("alibaba2023", file.write(std::string_view(openb).substr(1))).num_gpus() == 306);
}

TEST_CASE("fuzz crash: --cluster-toml names are escaped TOML strings; readers refuse names that are not UTF-8") {
  // fuzz_trace_cluster found an Alea machine name with a byte 0xDC that
  // cluster_to_toml wrote unescaped: the config reader refused the table.
  using namespace fastgpu;
  fastgpu::fuzz::MemoryFile file;
  const std::string alea = file.write("0\tseth\t4\t2\t1\t1\n1\tot\xDCr\t4\t8\t2.5\t1\n");
  try {
    cluster_from_trace("swf", alea);
    FAIL("accepted a name that is not UTF-8");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == alea + ":2: field 'name': not valid UTF-8");
  }
  // A name with a quote, a backslash and a control character survives the
  // round trip through the config reader unchanged, and adds no key.
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "a\"b\\c\nspeed = 9"}};
  c.node_groups = {NodeGroup{.name = "n\"1", .count = 2, .gpus_per_node = 4, .gpu_type = 0}};
  const ExperimentConfig back = parse_config(cluster_to_toml(c), "c.toml");
  REQUIRE(back.cluster.gpu_types.size() == 1);
  CHECK(back.cluster.gpu_types[0].name == "a\"b\\c\nspeed = 9");
  CHECK(back.cluster.gpu_types[0].speed == 1.0);
  CHECK(back.cluster.node_groups.at(0).name == "n\"1");
  CHECK(back.cluster.num_gpus() == 8);
}

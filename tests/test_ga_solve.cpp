// `fastgpu solve` and the online `ga` policy end to end (FASTGPU_CLI): the
// makespans of every policy on an instance solved by hand, in both input
// formats; the HDF5 file (assignment, convergence curve, attributes); bad
// input exiting 2 with a located one-line error and no output; and, through
// `fastgpu run`, the backend recorded in the run's HDF5 attributes and
// backend = "cuda" refused without a GPU.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "policies/bound/milp_bound.h"
#include "policies/ga/ga.h"
#include "tests/scratch_dir.h"

namespace fs = std::filesystem;

namespace {

using fastgpu::testing::ScratchDir;
using Cli = fastgpu::testing::Shell;
using fastgpu::testing::run_cli;

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Exit 2, one "fastgpu: error: " line containing `parts`, nothing on stdout,
// and the directory holds only `inputs` afterwards.
void check_refused(const ScratchDir& dir, const Cli& r, const std::vector<std::string>& parts,
                   std::vector<std::string> inputs) {
  INFO("stderr: " << r.err);
  CHECK(r.code == 2);
  CHECK(r.err.rfind("fastgpu: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.empty());
  for (const std::string& p : parts) CHECK(has(r.err, p));
  std::sort(inputs.begin(), inputs.end());
  CHECK(dir.entries() == inputs);
}

// The hand-solved instance. ETC (fast, slow): a (2, 4), b (1, 2), c (1.5, 3).
//  - optimum (GA): a, b -> fast [0,2], [2,3]; c -> slow [0,3]: makespan 3
//    (the only mapping with makespan 3: a, c on fast is 3.5; anything with a
//    on slow is >= 4);
//  - Min-Min: b fast (1); c fast (2.5); a fast 4.5 vs slow 4 -> slow: 4;
//  - Max-Min: a fast (2); c (best 3 on slow) before b (best 2): c slow (3);
//    b fast (3): 3;
//  - Sufferage: a suffers 2, b 1, c 1.5 -> a fast (2); then b (2 vs 3) suffers
//    1 > c's 0.5 -> b slow (2); c fast (3.5): 3.5;
//  - MCT in order: a fast (2), b slow (2), c fast 3.5 vs slow 5: 3.5;
//  - MET: all on fast: 2 + 1 + 1.5 = 4.5.
const char* kCsv = "task,fast,slow\na,2,4\nb,1,2\nc,1.5,3\n";
const char* kBraun = "2\n4\n1\n2\n1.5\n3\n";

struct H5File {
  hid_t id;
  explicit H5File(const std::string& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~H5File() {
    if (id >= 0) H5Fclose(id);
  }
};

double attr_double(hid_t loc, const char* name) {
  double v = -1;
  const hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  if (a < 0) return v;
  H5Aread(a, H5T_NATIVE_DOUBLE, &v);
  H5Aclose(a);
  return v;
}

std::string attr_string(hid_t loc, const char* name) {
  const hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  if (a < 0) return "<missing>";
  const hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);  // as the writers store them
  char* p = nullptr;
  std::string out = H5Aread(a, t, &p) >= 0 && p ? std::string(p) : "<unreadable>";
  if (p) H5free_memory(p);
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

template <class T>
std::vector<T> read_dataset(hid_t file, const char* name, hid_t mem_type) {
  const hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
  if (ds < 0) return {};
  const hid_t space = H5Dget_space(ds);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<T> out(static_cast<std::size_t>(std::max<hssize_t>(n, 0)));
  if (!out.empty()) H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Sclose(space);
  H5Dclose(ds);
  return out;
}

struct CurveRow {
  std::uint32_t generation;
  double cost, makespan;
};

// Finds the run groups holding an attribute `attr`; returns their values.
struct AttrSearch {
  const char* attr;
  std::vector<std::string> values;
};
herr_t find_attr(hid_t root, const char* name, const H5L_info_t*, void* data) {
  auto* s = static_cast<AttrSearch*>(data);
  if (H5Aexists_by_name(root, name, s->attr, H5P_DEFAULT) > 0) {
    const hid_t obj = H5Oopen(root, name, H5P_DEFAULT);
    s->values.push_back(attr_string(obj, s->attr));
    H5Oclose(obj);
  }
  return 0;
}

}  // namespace

TEST_CASE("solve: every policy's makespan on an instance solved by hand, CSV and Braun formats") {
  ScratchDir dir("solve");
  dir.write("inst.csv", kCsv);
  dir.write("inst.etc", kBraun);
  const std::pair<const char*, const char*> expected[] = {{"ga", "3"},        {"min-min", "4"}, {"max-min", "3"},
                                                          {"sufferage", "3.5"}, {"mct", "3.5"},   {"met", "4.5"}};
  for (auto [policy, makespan] : expected) {
    for (const char* input : {"inst.csv", "--format braun inst.etc --tasks 3 --machines 2"}) {
      const Cli r = run_cli(dir, std::string("solve ") + input + " --policy " + policy +
                                     " --backend cpu --generations 40 --population 16 --seed 3");
      INFO(policy, " on ", input, "\nstdout: ", r.out, "\nstderr: ", r.err);
      CHECK(r.code == 0);
      CHECK(has(r.out, std::string("makespan     ") + makespan + "\n"));
      CHECK(has(r.out, "min-min      4   "));
    }
  }
  // The machines count alone is enough for the Braun reader.
  const Cli m = run_cli(dir, "solve inst.etc --machines 2 --policy min-min");
  CHECK(m.code == 0);
  CHECK(has(m.out, "makespan     4\n"));
}

TEST_CASE("solve: the GA's HDF5 output holds the assignment, the schedule and the convergence curve") {
  ScratchDir dir("solve");
  dir.write("inst.csv", kCsv);
  const Cli r = run_cli(dir, "solve inst.csv --policy ga --backend cpu --generations 25 --population 12 --seed 7 "
                             "--time-limit 600 -o out/ga.h5");
  INFO("stdout: ", r.out, "\nstderr: ", r.err);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "generations  25   (stop: generations)"));
  REQUIRE(fs::exists(dir.path() / "out/ga.h5"));
  CHECK_FALSE(fs::exists(dir.path() / "out/ga.h5.tmp"));
  H5File f(dir.file("out/ga.h5"));
  REQUIRE(f.id >= 0);
  CHECK(attr_double(f.id, "makespan") == 3.0);
  CHECK(attr_double(f.id, "min_min_makespan") == 4.0);
  CHECK(attr_string(f.id, "policy") == "ga");
  CHECK(attr_string(f.id, "backend") == "cpu");
  CHECK(attr_string(f.id, "stop_reason") == "generations");
  CHECK(read_dataset<std::uint32_t>(f.id, "assignment", H5T_NATIVE_UINT32) == std::vector<std::uint32_t>{0, 0, 1});
  CHECK(read_dataset<double>(f.id, "start", H5T_NATIVE_DOUBLE) == std::vector<double>{0, 2, 0});
  CHECK(read_dataset<double>(f.id, "finish", H5T_NATIVE_DOUBLE) == std::vector<double>{2, 3, 3});
  const hid_t row = H5Tcreate(H5T_COMPOUND, sizeof(CurveRow));
  H5Tinsert(row, "generation", HOFFSET(CurveRow, generation), H5T_NATIVE_UINT32);
  H5Tinsert(row, "cost", HOFFSET(CurveRow, cost), H5T_NATIVE_DOUBLE);
  H5Tinsert(row, "makespan", HOFFSET(CurveRow, makespan), H5T_NATIVE_DOUBLE);
  const std::vector<CurveRow> curve = read_dataset<CurveRow>(f.id, "convergence", row);
  H5Tclose(row);
  REQUIRE(curve.size() == 26);  // generation 0 .. 25
  for (std::size_t g = 0; g < curve.size(); ++g) {
    CHECK(curve[g].generation == g);
    if (g > 0) CHECK(curve[g].cost <= curve[g - 1].cost);
  }
  CHECK(curve.front().makespan <= 4.0);  // Min-Min seeds generation 0
  CHECK(curve.back().makespan == 3.0);
}

TEST_CASE("solve: bad input exits 2 naming file, line and field, and writes nothing") {
  ScratchDir dir("solve");
  dir.write("bad.etc", "2\n4\n1\nx2\n1.5\n3\n");
  check_refused(dir, run_cli(dir, "solve bad.etc --tasks 3 --machines 2 -o out.h5"), {"bad.etc:4"}, {"bad.etc"});
  dir.write("bad.csv", "task,fast,slow\na,2,4\nb,1,oops\n");
  check_refused(dir, run_cli(dir, "solve bad.csv -o out.h5"), {"bad.csv:3", "slow"}, {"bad.csv", "bad.etc"});
  const std::vector<std::string> inputs{"bad.csv", "bad.etc"};
  check_refused(dir, run_cli(dir, "solve missing.etc -o out.h5"), {"missing.etc"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --policy greedy -o out.h5"), {"--policy", "greedy"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --format xml -o out.h5"), {"--format", "xml"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --backend gpu -o out.h5"), {"--backend", "gpu"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --population 1 -o out.h5"), {"--population"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --generations x -o out.h5"), {"--generations"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --time-limit=-1 -o out.h5"), {"--time-limit"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --cpu-limit=-1 -o out.h5"), {"--cpu-limit"}, inputs);
  check_refused(dir, run_cli(dir, "solve bad.csv --lp-seed maybe -o out.h5"), {"--lp-seed", "maybe"}, inputs);
  dir.write("six.etc", kBraun);  // 6 values are not 4 x 2
  check_refused(dir, run_cli(dir, "solve six.etc --tasks 4 --machines 2 -o out.h5"), {"six.etc"},
                {"bad.csv", "bad.etc", "six.etc"});
  if (fastgpu::ga::cuda_device_count() == 0)
    check_refused(dir, run_cli(dir, "solve six.etc --tasks 3 --backend cuda -o out.h5"), {"--backend cuda"},
                  {"bad.csv", "bad.etc", "six.etc"});
}

namespace {

// Two nodes of two GPUs (fast, slow), twelve jobs; the policies listed.
std::string ga_experiment(const std::string& policies, const std::string& extra) {
  return "[experiment]\nname = \"ga\"\nseeds = 1\npolicies = [" + policies +
         "]\n\n"
         "[cluster]\n[[cluster.gpu_types]]\nname = \"slow\"\nspeed = 1.0\n[[cluster.gpu_types]]\nname = \"fast\"\n"
         "speed = 2.0\n[[cluster.nodes]]\ncount = 1\ngpus_per_node = 2\ngpu_type = \"slow\"\n[[cluster.nodes]]\n"
         "count = 1\ngpus_per_node = 2\ngpu_type = \"fast\"\n\n"
         "[workload]\njobs = 12\nload = 0.9\ngpu_counts = [1, 2]\nduration_median = 600\n" +
         extra;
}

}  // namespace

TEST_CASE("ga policy via `fastgpu run`: the backend used is in the run's HDF5 attributes; cuda without a GPU exits 2") {
  ScratchDir dir("solve");
  dir.write("auto.toml", ga_experiment("\"ga\"", "\n[policies.ga]\nbackend = \"auto\"\n"));
  const Cli r = run_cli(dir, "run auto.toml -o out.h5");
  INFO("stdout: ", r.out, "\nstderr: ", r.err);
  REQUIRE(r.code == 0);
  H5File f(dir.file("out.h5"));
  REQUIRE(f.id >= 0);
  AttrSearch s{"attr.ga_backend", {}};
  H5Lvisit(f.id, H5_INDEX_NAME, H5_ITER_INC, find_attr, &s);
  REQUIRE(s.values.size() == 1);
  CHECK(s.values[0] == (fastgpu::ga::cuda_device_count() > 0 ? "cuda" : "cpu"));
  AttrSearch sched{"scheduler_seconds", {}};
  H5Lvisit(f.id, H5_INDEX_NAME, H5_ITER_INC, find_attr, &sched);
  CHECK(sched.values.size() == 1);  // the scheduler's wall time is reported with every run

  if (fastgpu::ga::cuda_device_count() == 0) {
    dir.write("cuda.toml", ga_experiment("\"ga\"", "\n[policies.ga]\nbackend = \"cuda\"\n"));
    check_refused(dir, run_cli(dir, "run cuda.toml -o cuda.h5"), {"cuda"}, {"auto.toml", "cuda.toml", "out.h5"});
  }
}

TEST_CASE("solve --bound: the LP lower bound and the gap, printed and in HDF5") {
  // The hand-solved instance: the slow machine takes twice as long, so the LP
  // spreads the total work 4.5 over speeds 1 + 1/2: bound 3 (certificate:
  // machine weights 2/3, 1/3). The GA's optimum 3 has gap 0; Min-Min's 4 is
  // 33.333% above.
  ScratchDir dir("solve");
  dir.write("inst.csv", kCsv);
  const Cli ga = run_cli(dir, "solve inst.csv --policy ga --backend cpu --generations 25 --population 12 --bound "
                              "-o ga.h5");
  INFO("stdout: ", ga.out, "\nstderr: ", ga.err);
  REQUIRE(ga.code == 0);
  CHECK(has(ga.out, "lower bound  3   (LP relaxation"));
  CHECK(has(ga.out, "gap          0.000%"));
  H5File f(dir.file("ga.h5"));
  REQUIRE(f.id >= 0);
  CHECK(attr_double(f.id, "lower_bound") == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(attr_double(f.id, "lower_bound") <= 3.0);
  CHECK(attr_double(f.id, "gap") == doctest::Approx(0.0).epsilon(1e-12));
  const Cli mm = run_cli(dir, "solve inst.csv --policy min-min --bound");
  CHECK(mm.code == 0);
  CHECK(has(mm.out, "gap          33.333%"));
  // Without --bound neither line nor attribute.
  const Cli plain = run_cli(dir, "solve inst.csv --policy min-min -o plain.h5");
  CHECK_FALSE(has(plain.out, "lower bound"));
  H5File g(dir.file("plain.h5"));
  CHECK(H5Aexists(g.id, "lower_bound") == 0);
}

TEST_CASE("solve --bound parametric and --bound milp: the stronger bounds, printed and in HDF5") {
  // The hand-solved instance: LP bound 3 = the optimum. The parametric LP
  // drops a on the slow machine (completion 4 > 3); restricted, the LP is
  // still 3 (b on slow, 2/3 of c on fast), so the bound stays 3.
  ScratchDir dir("solve");
  dir.write("inst.csv", kCsv);
  const Cli p = run_cli(dir, "solve inst.csv --policy min-min --bound parametric -o p.h5");
  INFO("stdout: ", p.out, "\nstderr: ", p.err);
  REQUIRE(p.code == 0);
  CHECK(has(p.out, "lower bound  3   (parametric LP: 2 LPs"));
  CHECK(has(p.out, "gap          33.333%"));
  {
    H5File f(dir.file("p.h5"));
    CHECK(attr_double(f.id, "lower_bound_parametric") == doctest::Approx(3.0).epsilon(1e-12));
  }
  const Cli m = run_cli(dir, "solve inst.csv --policy min-min --bound milp --bound-seconds 10 -o m.h5");
  INFO("stdout: ", m.out, "\nstderr: ", m.err);
  if (fastgpu::bound::milp_available()) {
    REQUIRE(m.code == 0);
    CHECK(has(m.out, "(MILP, COIN-OR Cbc:"));
    CHECK(has(m.out, "milp best    3   (Cbc's best schedule"));  // the optimum, from Min-Min's 4
    H5File f(dir.file("m.h5"));
    CHECK(attr_double(f.id, "milp_makespan") == 3.0);
    CHECK(attr_double(f.id, "lower_bound") <= 3.0);
    CHECK(attr_double(f.id, "lower_bound") == doctest::Approx(3.0).epsilon(1e-6));
  } else {
    CHECK(m.code == 2);
    CHECK(has(m.err, "coinor-libcbc-dev"));
    CHECK_FALSE(fs::exists(dir.file("m.h5")));
  }
  const Cli bad = run_cli(dir, "solve inst.csv --policy min-min --bound=exact");
  CHECK(bad.code == 2);
  CHECK(has(bad.err, "--bound: expected lp, parametric or milp, got 'exact'"));
  const Cli secs = run_cli(dir, "solve inst.csv --policy min-min --bound --bound-seconds 5");
  CHECK(secs.code == 2);
  CHECK(has(secs.err, "--bound-seconds: only with --bound milp"));
}

TEST_CASE("solve --lp-seed: on by default, recorded in HDF5; never worse than Min-Min at generation 0") {
  // The hand-solved instance (optimum 3, Min-Min 4): with no generations the
  // GA returns the best of its seeds, so at most Min-Min's 4 either way.
  ScratchDir dir("solve");
  dir.write("inst.csv", kCsv);
  for (const char* mode : {"on", "off"}) {
    const std::string flag = std::string(mode) == "on" ? "" : " --lp-seed off";
    const Cli r = run_cli(dir, "solve inst.csv --backend cpu --generations 0 --population 8 --islands 2" + flag +
                                   " -o " + mode + ".h5");
    INFO("stdout: ", r.out, "\nstderr: ", r.err);
    REQUIRE(r.code == 0);
    CHECK(has(r.out, std::string("LP seed ") + mode + ")"));
    H5File f(dir.file(std::string(mode) + ".h5"));
    REQUIRE(f.id >= 0);
    CHECK(attr_string(f.id, "lp_seed") == mode);
    CHECK(attr_double(f.id, "makespan") <= 4.0);
  }
  // A CPU-time budget stops the GA (stop reason time-limit).
  const Cli c = run_cli(dir, "solve inst.csv --backend cpu --generations 100000000 --population 8 --islands 2 "
                             "--cpu-limit 0.05");
  CHECK(c.code == 0);
  CHECK(has(c.out, "(stop: time-limit)"));
}

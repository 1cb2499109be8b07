// Output safety of the `fastgpu` executable end to end: a full disk, two runs
// writing the same -o, -o onto a symbolic link or a device, SIGINT/SIGTERM in
// the middle of a run, a directory given as the config, budgets that stop a
// runaway run. Every failure exits 2 with one line naming the file and leaves
// nothing behind (no output, no temporary file). Each case was reproduced
// against the unfixed program first (exit 139, a lost result, /dev/null
// replaced, a run spinning until memory ran out).
#include "source_paths.h"
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "results_io/hdf5_reader.h"
#include "tests/scratch_dir.h"

namespace fs = std::filesystem;
using namespace fastgpu;
using fastgpu::testing::run_cli;
using fastgpu::testing::run_in;
using fastgpu::testing::contains;
using fastgpu::testing::ScratchDir;
using fastgpu::testing::Shell;

namespace {

// Two nodes of 8 GPUs of one type, fifo and sjf, and a synthetic workload of
// `jobs` jobs (or, with `trace`, that canonical CSV trace).
std::string config(const std::string& name, int jobs, int seed, const std::string& trace = "") {
  return "[experiment]\nname = \"" + name + "\"\nseeds = [" + std::to_string(seed) +
         "]\npolicies = [\"fifo\", \"sjf\"]\n[[cluster.gpu_types]]\nname = \"V100\"\nspeed = 1.0\n"
         "[[cluster.nodes]]\ncount = 2\ngpus_per_node = 8\n[workload]\n" +
         (trace.empty() ? "jobs = " + std::to_string(jobs) + "\nload = 0.9\ngpu_counts = [1, 2, 4]\nduration_median = 600\n"
                        : "kind = \"trace\"\nformat = \"csv\"\ntrace = \"" + trace + "\"\n");
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Every path below `dir` except `inputs`, sorted; symbolic links are listed
// by their own names (ScratchDir::outputs resolves them).
std::vector<std::string> outputs(const ScratchDir& dir, const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
    const std::string rel = e.path().lexically_relative(dir.path()).string();
    if (std::find(inputs.begin(), inputs.end(), rel) == inputs.end()) out.push_back(rel);
  }
  return sorted(out);
}

// Exit 2, one line "fastgpu: error: ..." containing `parts`, and nothing in
// the directory but `inputs`.
void check_refused(const ScratchDir& dir, const Shell& r, const std::vector<std::string>& parts,
                   const std::vector<std::string>& inputs) {
  INFO("stderr: " << r.err);
  CHECK(r.code == 2);
  CHECK(r.err.rfind("fastgpu: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  for (const std::string& p : parts) CHECK(contains(r.err, p));
  CHECK(outputs(dir, inputs) == std::vector<std::string>{});
}

}  // namespace

TEST_CASE("output safety: a full disk exits 2 naming the file and leaves nothing (run, compare, gen, convert)") {
  ScratchDir dir("safety");
  dir.write("exp.toml", config("disk", 400, 1));
  // `ulimit -f` caps the files this shell's children write (in 512-byte
  // blocks; 20 = 10 KiB, less than any of these outputs); with SIGXFSZ
  // ignored a write past it fails with EFBIG, as on a full disk.
  const std::string limited = "trap '' XFSZ; ulimit -f 20; '" + fastgpu::test::cli_path() + "' ";
  check_refused(dir, run_in(dir, limited + "run exp.toml -o out.h5 -q"), {"out.h5", "File too large"}, {"exp.toml"});
  check_refused(dir, run_in(dir, limited + "compare exp.toml -o out.h5 -q"), {"out.h5", "File too large"},
                {"exp.toml"});
  check_refused(dir, run_in(dir, limited + "gen exp.toml -o jobs.csv -q"), {"jobs.csv", "File too large"},
                {"exp.toml"});
  // An older file survives a failed write untouched.
  REQUIRE(run_cli(dir, "gen exp.toml -o jobs.csv -q").code == 0);
  const auto before = fs::file_size(dir / "jobs.csv");
  check_refused(dir, run_in(dir, limited + "convert jobs.csv --format csv -o copy.csv -q"), {"copy.csv"},
                {"exp.toml", "jobs.csv"});
  check_refused(dir, run_in(dir, limited + "gen exp.toml -o jobs.csv -q"), {"jobs.csv"}, {"exp.toml", "jobs.csv"});
  CHECK(fs::file_size(dir / "jobs.csv") == before);
}

TEST_CASE("output safety: two runs writing the same -o both succeed and leave one whole file") {
  ScratchDir dir("safety");
  dir.write("a.toml", config("a", 3000, 1));
  dir.write("b.toml", config("b", 3000, 2));
  for (const char* locking : {"TRUE", "FALSE"}) {
    CAPTURE(locking);
    const std::string env = std::string("HDF5_USE_FILE_LOCKING=") + locking + " '" + fastgpu::test::cli_path() + "' ";
    // Parenthesised whole: run_in redirects the output of the command it is given.
    const Shell r = run_in(dir, "((" + env + "compare a.toml -o same.h5 -q >/dev/null; echo a=$? >> codes) & (" + env +
                                    "compare b.toml -o same.h5 -q >/dev/null; echo b=$? >> codes) & wait; cat codes; rm codes)");
    INFO("stdout: " << r.out << " stderr: " << r.err);
    CHECK(contains(r.out, "a=0"));
    CHECK(contains(r.out, "b=0"));
    // The file is one run's, whole: both policies, all of one seed.
    const auto rows = read_summary_table(dir / "same.h5");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].seed == rows[1].seed);
    CHECK(dir.outputs({"a.toml", "b.toml"}) == std::vector<std::string>{"same.h5"});
    fs::remove(dir / "same.h5");
  }
}

TEST_CASE("output safety: -o onto a symbolic link writes through it; onto a device or FIFO is refused") {
  ScratchDir dir("safety");
  dir.write("exp.toml", config("link", 50, 1));
  fs::create_directories(dir / "store");
  fs::create_symlink("store/target.h5", dir / "link.h5");
  REQUIRE(run_cli(dir, "run exp.toml -o link.h5 -q").code == 0);
  CHECK(fs::is_symlink(dir / "link.h5"));  // the link stays
  CHECK(read_summary_table(dir / "store/target.h5").size() == 2);
  CHECK(outputs(dir, {"exp.toml", "link.h5"}) == std::vector<std::string>{"store", "store/target.h5"});

  REQUIRE(mkfifo((dir / "fifo").c_str(), 0644) == 0);
  for (const char* cmd : {"run exp.toml -o fifo -q", "compare exp.toml -o fifo -q", "gen exp.toml -o fifo -q"}) {
    CAPTURE(cmd);
    check_refused(dir, run_cli(dir, cmd), {"fifo", "is a FIFO", "regular files"},
                  {"exp.toml", "link.h5", "store", "store/target.h5", "fifo"});
    CHECK(fs::is_fifo(dir / "fifo"));
  }
  // A device: /dev/null stays a character device (the old code replaced it when run as root).
  const Shell r = run_cli(dir, "run exp.toml -o /dev/null -q");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "is a character device"));
  CHECK(fs::is_character_file("/dev/null"));
  fs::create_symlink("/dev/null", dir / "null-link");
  check_refused(dir, run_cli(dir, "gen exp.toml -o null-link -q"), {"null-link", "character device"},
                {"exp.toml", "link.h5", "store", "store/target.h5", "fifo", "null-link"});
  CHECK(fs::is_character_file("/dev/null"));
}

TEST_CASE("output safety: SIGTERM and SIGINT in the middle of a compare remove its temporary file") {
  ScratchDir dir("safety");
  dir.write("big.toml", config("big", 400000, 1));
  for (const char* sig : {"TERM", "INT"}) {
    CAPTURE(sig);
    // Wait (up to 20 s) for the temporary results file, then signal the run.
    // sh starts background commands with SIGINT ignored (which fastgpu
    // respects, as for nohup): python3 restores the default first.
    const std::string command =
        "(python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        "os.execv(sys.argv[1], sys.argv[1:])' '" + fastgpu::test::cli_path() +
        "' compare big.toml -o out.h5 -q & pid=$!; i=0; "
        "while ! ls -A | grep -q '^\\.out\\.h5\\..*\\.tmp$' && [ $i -lt 400 ]; do "
        "sleep 0.05; i=$((i+1)); done; ls -A | grep -c '\\.tmp$'; kill -" + sig + " $pid; wait $pid; echo exit=$?)";
    const Shell r = run_in(dir, command);
    INFO("stdout: " << r.out << " stderr: " << r.err);
    CHECK(r.out.rfind("1\n", 0) == 0);  // the temporary file was there
    CHECK(contains(r.out, std::string("exit=") + (std::string(sig) == "TERM" ? "143" : "130")));
    CHECK(dir.outputs({"big.toml"}) == std::vector<std::string>{});
  }
}

TEST_CASE("output safety: a directory as the config exits 2; a failed --cluster-toml leaves nothing") {
  ScratchDir dir("safety");
  fs::create_directories(dir / "confdir");
  check_refused(dir, run_cli(dir, "run confdir --policy fifo -q"), {"confdir", "is a directory"}, {"confdir"});
  check_refused(dir, run_cli(dir, "compare confdir -q"), {"confdir", "is a directory"}, {"confdir"});
  // An Alea machine list (id, name, nodes, CPUs per node, speed) for the SWF cluster.
  dir.write("m.machines", "0 V100 2 8 1.0\n");
  fs::create_directories(dir / "taken");
  const std::vector<std::string> inputs{"confdir", "m.machines", "taken"};
  check_refused(dir, run_cli(dir, "convert --format swf --cluster m.machines --cluster-toml taken -q"),
                {"taken", "is a directory"}, inputs);

}

TEST_CASE("output safety: runaway runs stop at their budgets with exit 2 naming the limit") {
  ScratchDir dir("safety");
  dir.write("exp.toml", config("budget", 50, 1));
  const std::vector<std::string> inputs{"exp.toml"};
  check_refused(dir, run_cli(dir, "run exp.toml -o out.h5 -q --set 'cluster.gpu_types[0].speed=1e-300'"),
                {"limits.max_simulated_seconds"}, inputs);
  check_refused(dir, run_cli(dir, "run exp.toml -o out.h5 -q --set engine.monitor_interval=1e-9"),
                {"engine.monitor_interval", "limits.max_memory_gb"}, inputs);
  check_refused(dir, run_cli(dir, "compare exp.toml -o out.h5 -q --set limits.max_events=100"), {"limits.max_events"},
                inputs);
  // A trace row with a time of 1e23 s: refused by run and by convert.
  dir.write("trace.toml", config("trace", 0, 1, "t.csv"));
  for (const char* row : {"1,1e23,1,10,", "1,0,1,1e23,", "1,0,1,10,1e23"}) {
    CAPTURE(row);
    dir.write("t.csv", std::string("id,submit,num_gpus,work,earliest_start\n0,0,1,10,\n") + row + "\n");
    const std::vector<std::string> with_trace{"exp.toml", "trace.toml", "t.csv"};
    check_refused(dir, run_cli(dir, "run trace.toml -o out.h5 -q"), {"limits.max_simulated_seconds"}, with_trace);
    check_refused(dir, run_cli(dir, "convert t.csv --format csv -o out.csv -q"), {"t.csv", "1e+23"}, with_trace);
  }
}

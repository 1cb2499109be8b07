// Hostile input to the readers (issue: every parser fuzzed, nothing crashes):
// GPU counts that used to wrap, CR-only line ends, byte-order marks, empty
// files, huge fields in messages, and the run budgets (sim/run_limits.h).
// Each case was reproduced against the unfixed readers first.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "sim/run_limits.h"
#include "tests/trace_fixtures.h"
#include "workloads/gpu_count.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// One good row per format and a row whose GPU count is `gpus` (text as written).
struct GpuCase {
  const char* format;
  const char* field;
  std::string header;
  std::string (*row)(const std::string& gpus);
  std::size_t bad_line;  // line of the row with the count
};

const GpuCase kGpuCases[] = {
    {"helios", "gpu_num", "job_id,gpu_num,submit_time,start_time,end_time\n7,2,100,130,190\n",
     [](const std::string& g) { return "8," + g + ",100,130,190\n"; }, 3},
    {"tiresias", "num_gpu", "job_id,num_gpu,submit_time,iterations,model_name,duration,interval\n0,1,0,606,vgg19,164,30\n",
     [](const std::string& g) { return "1," + g + ",30,133,vgg11,147,23\n"; }, 3},
    {"alibaba2023", "num_gpu",
     "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
     "pod-0,12000,16384,1,1000,,LS,Running,100,1100,100\n",
     [](const std::string& g) { return "pod-1,6000,12288," + g + ",1000,,BE,Succeeded,150,400,160\n"; }, 3},
    {"swf", "allocated_procs", "1 0 5 100 2 100 -1 2 200 -1 1 1 1 -1 -1 1 -1 -1\n",
     [](const std::string& g) { return "2 8 5 100 " + g + " 100 -1 2 200 -1 1 1 1 -1 -1 1 -1 -1\n"; }, 2},
    {"gavel", "scale_factor", "A3C\tcmd\t--max-steps\t0\t600\t2\t1\n",
     [](const std::string& g) { return "LM\tcmd\t--steps\t1\t4000\t6\t" + g + "\n"; }, 2},
    {"philly", "num_gpus",
     R"({"id":"a","num_gpus":1,"attempts":[{"start_time":"2017-09-04 10:30:53","end_time":"2017-09-04 10:42:44"}],"submitted_time":"2017-09-04 10:30:41"})"
     "\n",
     [](const std::string& g) {
       return R"({"id":"b","num_gpus":)" + g +
              R"(,"attempts":[{"start_time":"2017-09-04 11:00:00","end_time":"2017-09-04 11:01:00"}],"submitted_time":"2017-09-04 10:59:41"})"
              "\n";
     },
     2},
    {"csv", "num_gpus", "id,submit,num_gpus,work\n0,0,1,10\n", [](const std::string& g) { return "1,5," + g + ",20\n"; },
     3},
};

}  // namespace

TEST_CASE("hostile: to_gpu_count takes whole numbers 0..2^24 and nothing else") {
  std::uint32_t n = 99;
  CHECK(trace::to_gpu_count(0.0, n));
  CHECK(n == 0);
  CHECK(trace::to_gpu_count(16777216.0, n));
  CHECK(n == 16777216u);
  const double bad_counts[] = {-1.0, 0.5, 16777217.0, 4294967297.0, 4294967304.0, 1e23, HUGE_VAL, std::nan("")};
  for (double bad : bad_counts) {
    n = 99;
    CHECK_FALSE(trace::to_gpu_count(bad, n));
    CHECK(n == 99);  // untouched
  }
  // Counts read as integers (the canonical CSV): the same range.
  CHECK(trace::to_gpu_count(std::int64_t{0}, n));
  CHECK(n == 0);
  CHECK(trace::to_gpu_count(std::int64_t{16777216}, n));
  CHECK(n == 16777216u);
  const std::int64_t bad_integers[] = {-1, 16777217, 4294967297, 4294967304, INT64_MAX, INT64_MIN};
  for (std::int64_t bad : bad_integers) {
    n = 99;
    CHECK_FALSE(trace::to_gpu_count(bad, n));
    CHECK(n == 99);
  }
}

TEST_CASE("hostile: GPU counts of 2^32 and more are malformed rows naming file, line and field in every reader") {
  TempDir dir("hostile");
  for (const GpuCase& c : kGpuCases) {
    for (const std::string gpus : {"4294967297", "4294967304", "1e23", "16777217"}) {
      // The JSON and integer readers see 1e23 as a number or as text; either way an error.
      CAPTURE(c.format);
      CAPTURE(gpus);
      const std::string path = dir.write(std::string(c.format) + ".trace", c.header + c.row(gpus));
      const InputError e = read_error(c.format, {path});
      REQUIRE_FALSE(std::string(e.what()).empty());
      CHECK(e.where().file == path);
      CHECK(e.where().line == c.bad_line);
      CHECK(e.where().field == c.field);
    }
    // The largest count allowed still reads (and is what was written).
    const std::string path = dir.write(std::string(c.format) + ".ok", c.header + c.row("16"));
    const ReadResult r = read(c.format, {path});
    REQUIRE(r.workload.jobs.size() == 2);
    CHECK((r.workload.jobs[0].num_gpus == 16 || r.workload.jobs[1].num_gpus == 16));
  }
}

TEST_CASE("hostile: alibaba2020 instance counts of 2^32 and more are refused, not wrapped") {
  TempDir dir("hostile");
  const std::string tasks = dir.write("pai_task_table.csv", "j1,tensorflow,4294967297,Terminated,110,690,600.0,29.3,100,T4\n");
  const std::string jobs = dir.write("pai_job_table.csv", "j1,i1,u1,Terminated,100,700\n");
  const InputError e = read_error("alibaba2020", {jobs, tasks});
  REQUIRE_FALSE(std::string(e.what()).empty());
  CHECK(e.where().file == tasks);
  CHECK(e.where().line == 1);
  CHECK(e.where().field == "inst_num");
}

TEST_CASE("hostile: CR-only line ends are refused with a clear message (helios, tiresias, swf, csv)") {
  TempDir dir("hostile");
  const std::pair<const char*, std::string> cases[] = {
      {"helios", "job_id,gpu_num,submit_time,start_time,end_time\r7,2,100,130,190\r8,1,100,130,190\r"},
      {"tiresias", "job_id,num_gpu,submit_time,iterations,model_name,duration,interval\r0,1,0,606,vgg19,164,30\r"},
      {"swf", "; Version: 2.2\r1 0 5 100 2 100 -1 2 200 -1 1 1 1 -1 -1 1 -1 -1\r"},
      {"csv", "id,submit,num_gpus,work\r0,0,1,10\r"},
  };
  for (const auto& [format, text] : cases) {
    CAPTURE(format);
    const std::string path = dir.write("cr.trace", text);
    const InputError e = read_error(format, {path});
    CHECK(contains(e.what(), "carriage returns only"));
    CHECK(e.where().file == path);
    CHECK(e.where().line == 1);
  }
  // CRLF is fine: the same helios rows with \r\n read as two jobs.
  const ReadResult r =
      read("helios", {dir.write("crlf.csv", "job_id,gpu_num,submit_time,start_time,end_time\r\n7,2,100,130,190\r\n8,1,100,130,190\r\n")});
  CHECK(r.workload.jobs.size() == 2);
}

TEST_CASE("hostile: a UTF-8 byte-order mark is skipped by SWF and Gavel as by the CSV readers") {
  TempDir dir("hostile");
  const std::string swf = "; MaxProcs: 8\n1 0 5 100 2 100 -1 2 200 -1 1 1 1 -1 -1 1 -1 -1\n";
  const std::string gavel = "A3C\tcmd\t--max-steps\t0\t600\t2\t1\n";
  const std::string helios = "job_id,gpu_num,submit_time,start_time,end_time\n7,2,100,130,190\n";
  for (const auto& [format, text] : {std::pair{"swf", swf}, std::pair{"gavel", gavel}, std::pair{"helios", helios}}) {
    CAPTURE(format);
    const ReadResult plain = read(format, {dir.write("plain", text)});
    const ReadResult bom = read(format, {dir.write("bom", "\xEF\xBB\xBF" + text)});
    REQUIRE(bom.workload.jobs.size() == 1);
    CHECK(bom.workload.jobs[0].num_gpus == plain.workload.jobs[0].num_gpus);
    CHECK(bom.workload.jobs[0].work == plain.workload.jobs[0].work);
  }
}

TEST_CASE("hostile: an empty trace is an error in every format") {
  TempDir dir("hostile");
  for (const TraceFormat& f : trace_formats()) {
    CAPTURE(f.name);
    const std::string empty = dir.write("empty", "");
    std::vector<std::string> paths{empty};
    if (f.name == "alibaba2020") paths.push_back(dir.write("empty2", ""));
    const InputError e = read_error(f.name, paths);
    CHECK_FALSE(std::string(e.what()).empty());
    CHECK(e.where().file.rfind(empty, 0) == 0);
  }
}

TEST_CASE("hostile: a 10 MB bad field is quoted by its first bytes, not whole") {
  TempDir dir("hostile");
  const std::string huge(10'000'000, '7');
  const std::string path =
      dir.write("h.csv", "job_id,gpu_num,submit_time,start_time,end_time\n7,2,100,130,190\n8,2x" + huge + ",1,2,3\n");
  const InputError e = read_error("helios", {path});
  CHECK(e.where().line == 3);
  CHECK(e.where().field == "gpu_num");
  CHECK(std::string(e.what()).size() < 400);
  CHECK(contains(e.what(), "(10000002 bytes)"));
}

TEST_CASE("hostile: run budgets stop impossible runs before they start, naming the limit to raise") {
  ClusterSpec cluster;  // the default cluster: speed 1
  Workload w;
  Job j;
  j.num_gpus = 1;
  j.work = 100;
  w.jobs.push_back(j);
  RunLimits limits;
  CHECK_NOTHROW(limits.check_plan(w, cluster, 60));
  // A submit of 1e23 s, work of 1e23 s, a window opening at 1e23 s.
  for (int which = 0; which < 3; ++which) {
    Workload bad = w;
    (which == 0   ? bad.jobs[0].submit
     : which == 1 ? bad.jobs[0].work
                  : bad.mutable_trace_fields(0).earliest_start) = 1e23;
    try {
      limits.check_plan(bad, cluster, 60);
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(e.where().field == "limits.max_simulated_seconds");
    }
  }
  // speed = 1e-300: 100 s of work takes 1e302 s.
  ClusterSpec slow = cluster;
  for (GpuType& t : slow.gpu_types) t.speed = 1e-300;
  CHECK_THROWS_AS(limits.check_plan(w, slow, 60), InputError);
  // A sample every 1e-9 s over 100 s: 1e11 rows of 56 bytes, beyond 4 GB.
  try {
    limits.check_plan(w, cluster, 1e-9);
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(e.where().field == "engine.monitor_interval");
  }
  // 4 GB hold 4e9 / 56 rows.
  CHECK(limits.max_samples() == static_cast<std::uint64_t>(4e9 / 56));
  // While running: each limit is named when passed.
  CHECK_NOTHROW(limits.check_progress(3.2e9, 10'000'000'000, limits.max_samples()));
  const auto field_of = [&](double now, std::uint64_t events, std::uint64_t samples) {
    try {
      limits.check_progress(now, events, samples);
    } catch (const InputError& e) {
      return e.where().field;
    }
    return std::string();
  };
  CHECK(field_of(3.3e9, 0, 0) == "limits.max_simulated_seconds");
  CHECK(field_of(0, 10'000'000'001, 0) == "limits.max_events");
  CHECK(field_of(0, 0, limits.max_samples() + 2) == "limits.max_memory_gb");
}

TEST_CASE("hostile: [limits] is read, validated and overridable with --set") {
  const std::string base = "[workload]\njobs = 10\n";
  const ExperimentConfig d = parse_config(base, "x.toml");
  CHECK(d.engine.limits.max_simulated_seconds == 3.2e9);
  CHECK(d.engine.limits.max_events == 10'000'000'000u);
  CHECK(d.engine.limits.max_memory_gb == 4);
  const ExperimentConfig c =
      parse_config(base + "[limits]\nmax_simulated_seconds = 1e6\nmax_events = 1000\n", "x.toml", {"limits.max_memory_gb=0.5"});
  CHECK(c.engine.limits.max_simulated_seconds == 1e6);
  CHECK(c.engine.limits.max_events == 1000u);
  CHECK(c.engine.limits.max_memory_gb == 0.5);
  for (const char* bad : {"[limits]\nmax_memory_gb = 0\n", "[limits]\nmax_simulated_seconds = -1\n",
                          "[limits]\nmax_events = 0\n", "[limits]\nmax_seconds = 5\n"}) {
    CAPTURE(bad);
    try {
      parse_config(base + bad, "x.toml");
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(e.where().file == "x.toml");
      CHECK(e.where().line > 0);
      CHECK(e.where().field.rfind("limits.", 0) == 0);
    }
  }
}

TEST_CASE("hostile: memory_gb = 0 is refused in a config, as documented (> 0)") {
  const std::string text = "[[cluster.gpu_types]]\nname = \"V100\"\nspeed = 1.0\nmemory_gb = 0\n"
                           "[[cluster.nodes]]\ncount = 1\ngpus_per_node = 8\n";
  try {
    parse_config(text, "m.toml");
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(e.where().file == "m.toml");
    CHECK(e.where().line == 4);
    CHECK(contains(e.where().field, "memory_gb"));
  }
}

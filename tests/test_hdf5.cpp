// HDF5 results files (results_io/hdf5_writer.h, results_io/hdf5_reader.h): written, read back
// with the reader and with the HDF5 C API directly, and the failure modes
// (docs/hdf5-schema.md).
#include <doctest/doctest.h>
#include <hdf5.h>

#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "sim/error.h"
#include "results_io/hdf5_common.h"
#include "results_io/hdf5_file.h"
#include "results_io/hdf5_reader.h"
#include "results_io/hdf5_writer.h"
#include "sim/metrics.h"
#include "sim/version.h"
#include "tests/scratch_dir.h"
#include "tests/test_sweep_files.h"
#include "tests/skip.h"

using namespace fastgpu;
namespace fs = std::filesystem;

namespace {

using fastgpu::testing::ScratchDir;

// A results file's metadata with no GPU type names, written per job in full.
ResultsFileMeta meta(std::string experiment, std::string config_path, std::string config_text) {
  ResultsFileMeta m;
  m.experiment = std::move(experiment);
  m.config_path = std::move(config_path);
  m.config_text = std::move(config_text);
  return m;
}

// 3 jobs on 2 GPUs: two finished, one rejected; `seed` shifts the times so
// that runs differ.
RunResult small_run(const std::string& policy, const std::string& workload, std::uint64_t seed) {
  RunResult r;
  r.policy = policy;
  r.workload = workload;
  r.seed = seed;
  r.num_gpus = 2;
  const double shift = static_cast<double>(seed);
  JobRecord a;
  a.id = 10, a.user = 0, a.priority = 2, a.num_gpus = 2, a.gpu_share = 1.0f;
  a.submit = 0, a.first_start = 1 + shift, a.end = 50 + shift, a.work = 40, a.runtime_alone = 40;
  a.gpu_seconds = 2 * (49.0), a.preemptions = 1, a.migrations = 2, a.deadline = 60, a.deadline_met = 1;
  a.on_reserved = true, a.gpu_type = 1;
  // Two runs: the first failed after 9 s on both GPUs, the second started at 20 + shift.
  a.attempts = 2, a.final_start = 20 + shift, a.failed_gpu_seconds = 18;
  JobRecord b;
  b.id = -3, b.user = 7, b.priority = -1, b.num_gpus = 1, b.gpu_share = 0.25f;
  b.submit = 5, b.first_start = 50 + shift, b.end = 80 + shift, b.work = 30, b.runtime_alone = 30,
  b.gpu_seconds = 7.5;
  b.attempts = 1, b.final_start = b.first_start;
  JobRecord c;
  c.id = 12, c.user = 7, c.num_gpus = 4, c.submit = 6, c.end = 6, c.deadline = 7, c.deadline_met = 0;
  c.outcome = JobOutcome::rejected, c.reject_reason = 1;
  r.jobs = {a, b, c};
  r.reject_reasons = {"", "deadline cannot be met (needs 4 GPUs)"};
  r.gpu_arena = {1, 0, 1};
  r.gpu_offset = {0, 2, 3, 3};
  r.timeseries = {TimeSample{0, 0, 0, 0, 3, 0, 0, 0}, TimeSample{60, 1.25, 0.625, 0.14, 0, 1, 0.5, 12.5}};
  r.gpu_busy_seconds = {49, 49 + 7.5};
  r.type_gpu_count = {2};
  r.type_busy_gpu_seconds = {105.5};
  r.type_idle_watts = {50};
  r.type_busy_watts = {300};
  r.type_price_per_hour = {2.5};
  r.policy_params = {{"alpha", "0.5"}, {"ordering", "las"}};
  r.attributes = {{"backend", "cpu"}};
  r.summary.events = 17;
  r.summary.wall_seconds = 0.01;
  compute_summary(r, 0.5);
  return r;
}

std::vector<RunResult> three_runs() {
  return {small_run("fifo", "synthetic", 1), small_run("fifo", "synthetic", 2),
          small_run("las", "traces/philly.csv", 1)};
}

std::string read_string_attribute(hid_t loc, const char* name) {
  h5::Handle attr{H5Aopen(loc, name, H5P_DEFAULT), H5Aclose};
  REQUIRE(attr.get() >= 0);
  h5::Handle type = h5::vl_string_type();
  char* value = nullptr;
  REQUIRE(H5Aread(attr, type, &value) >= 0);
  std::string out = value ? value : "";
  H5free_memory(value);
  return out;
}

double read_double_attribute(hid_t loc, const char* name) {
  h5::Handle attr{H5Aopen(loc, name, H5P_DEFAULT), H5Aclose};
  REQUIRE(attr.get() >= 0);
  double v = NAN;
  REQUIRE(H5Aread(attr, H5T_NATIVE_DOUBLE, &v) >= 0);
  return v;
}

// "YYYY-MM-DDTHH:MM:SSZ"
bool is_iso8601_utc(const std::string& s) {
  const std::string pattern = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (pattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != pattern[i]) return false;
  return true;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Temporary files of OutputFile (".NAME.XXXXXX.tmp") in the directory of `path`.
std::size_t temp_files_next_to(const std::string& path) {
  const fs::path dir = fs::path(path).parent_path();
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    n += name.front() == '.' && name.ends_with(".tmp");
  }
  return n;
}

}  // namespace

TEST_CASE("hdf5: summary table and job records read back exactly, in the order written") {
  ScratchDir dir("hdf5");
  const std::string path = dir / "sub/dir/results.h5";  // the parent is created
  const auto runs = three_runs();
  write_results(path, meta("exp", "configs/x.toml", "[experiment]\nname = \"exp\"\n"), runs);
  REQUIRE(fs::exists(path));
  CHECK(temp_files_next_to(path) == 0);

  const auto rows = read_summary_table(path);
  REQUIRE(rows.size() == 3);
  for (std::size_t k = 0; k < runs.size(); ++k) {
    CHECK(rows[k].policy == runs[k].policy);
    CHECK(rows[k].workload == runs[k].workload);
    CHECK(rows[k].seed == runs[k].seed);
    const auto fields = summary_fields(runs[k].summary);
    CHECK(rows[k].metrics.size() == fields.size());
    for (const auto& [name, value] : fields) {
      INFO(name);
      REQUIRE(rows[k].metrics.count(name) == 1);
      CHECK(same(rows[k].metrics.at(name), value));
    }
  }
  CHECK(rows[1].metrics.at("jobs_rejected") == 1);
  CHECK(rows[1].metrics.at("makespan") == 82);  // last end 80 + 2 - first submit 0

  for (const RunResult& run : runs) {
    const auto jobs = read_job_records(path, run.policy, run.workload, run.seed);
    REQUIRE(jobs.size() == run.jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const JobRecord &got = jobs[i], &want = run.jobs[i];
      CHECK(got.id == want.id);
      CHECK(got.user == want.user);
      CHECK(got.priority == want.priority);
      CHECK(got.num_gpus == want.num_gpus);
      CHECK(got.gpu_share == want.gpu_share);
      CHECK(same(got.submit, want.submit));
      CHECK(same(got.first_start, want.first_start));
      CHECK(same(got.end, want.end));
      CHECK(got.deadline == want.deadline);  // kNever (infinity) survives
      CHECK(got.work == want.work);
      CHECK(same(got.runtime_alone, want.runtime_alone));
      CHECK(got.gpu_seconds == want.gpu_seconds);
      CHECK(got.preemptions == want.preemptions);
      CHECK(got.migrations == want.migrations);
      CHECK(got.deadline_met == want.deadline_met);
      CHECK(got.on_reserved == want.on_reserved);
      CHECK(got.gpu_type == want.gpu_type);
      CHECK(got.outcome == want.outcome);
      CHECK(got.reject_reason == want.reject_reason);
      CHECK(same(got.final_start, want.final_start));
      CHECK(got.failed_gpu_seconds == want.failed_gpu_seconds);
      CHECK(got.attempts == want.attempts);
    }
    const auto ts = read_timeseries(path, run.policy, run.workload, run.seed);
    REQUIRE(ts.size() == 2);
    CHECK(ts[1].time == 60);
    CHECK(ts[1].busy_gpus == 1.25);
    CHECK(ts[1].load_variance == 0.14);
    CHECK(ts[0].queue_length == 3);
    CHECK(ts[1].running == 1);
    CHECK(ts[1].reserved_idle == 0.5);
    CHECK(ts[1].memory_used_gb == 12.5);
  }
}

TEST_CASE("hdf5: root attributes, run-group attributes and the extra job columns") {
  ScratchDir dir("hdf5");
  const std::string path = dir / "r.h5";
  const std::string config = "[experiment]\nname = \"exp\"\n# a long config\n" + std::string(100000, '#');
  write_results(path, meta("exp", "configs/x.toml", config), three_runs());

  const h5::QuietErrors quiet;
  h5::Handle file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(file.get() >= 0);
  CHECK(read_string_attribute(file, "fastgpu_version") == kVersion);
  CHECK(read_string_attribute(file, "git_describe") == kGitDescribe);
  CHECK(read_string_attribute(file, "experiment") == "exp");
  CHECK(read_string_attribute(file, "config_path") == "configs/x.toml");
  CHECK(read_string_attribute(file, "config_text") == config);
  CHECK(is_iso8601_utc(read_string_attribute(file, "created_utc")));

  // The workload name with a '/' is escaped in the group path.
  const std::string group_path = run_group_path("las", "traces/philly.csv", 1);
  CHECK(group_path == "/runs/las/traces%2Fphilly.csv/seed-1");
  h5::Handle group{H5Gopen2(file, group_path.c_str(), H5P_DEFAULT), H5Gclose};
  REQUIRE(group.get() >= 0);
  CHECK(read_string_attribute(group, "workload") == "traces/philly.csv");
  CHECK(read_string_attribute(group, "param.ordering") == "las");
  CHECK(read_string_attribute(group, "attr.backend") == "cpu");
  CHECK(read_double_attribute(group, "makespan") == 81);  // seed 1: last end 81
  CHECK(read_double_attribute(group, "jobs_total") == 3);

  // first_gpu and reject_reason_text, read through a type of just those columns.
  h5::Handle jobs{H5Dopen2(group, "jobs", H5P_DEFAULT), H5Dclose};
  REQUIRE(jobs.get() >= 0);
  constexpr std::size_t kText = 64;
  struct Extra {
    std::int64_t first_gpu;
    double wait, final_wait;
    char text[kText];
  };
  h5::Handle type = h5::make_type(H5Tcreate(H5T_COMPOUND, sizeof(Extra)), "type");
  h5::Handle text = h5::fixed_string_type(kText);
  H5Tinsert(type, "first_gpu", offsetof(Extra, first_gpu), H5T_NATIVE_INT64);
  H5Tinsert(type, "wait", offsetof(Extra, wait), H5T_NATIVE_DOUBLE);
  H5Tinsert(type, "final_wait", offsetof(Extra, final_wait), H5T_NATIVE_DOUBLE);
  H5Tinsert(type, "reject_reason_text", offsetof(Extra, text), text);
  Extra extra[3] = {};
  REQUIRE(H5Dread(jobs, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, extra) >= 0);
  CHECK(extra[0].first_gpu == 1);
  CHECK(extra[1].first_gpu == 1);
  CHECK(extra[2].first_gpu == -1);
  CHECK(extra[0].wait == 2);        // seed 1: first start 2, submit 0
  CHECK(extra[0].final_wait == 21);  // its second run started at 21
  CHECK(extra[1].wait == 46);
  CHECK(extra[1].final_wait == 46);
  CHECK(std::isnan(extra[2].wait));  // rejected before it started
  CHECK(std::isnan(extra[2].final_wait));
  CHECK(std::string(extra[0].text, strnlen(extra[0].text, kText)).empty());
  CHECK(std::string(extra[2].text, strnlen(extra[2].text, kText)) == "deadline cannot be met (needs 4 GPUs)");

  // Chunked, shuffled and deflated.
  h5::Handle dcpl = h5::make_plist(H5Dget_create_plist(jobs), "dcpl");
  CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED);
  CHECK(H5Pget_nfilters(dcpl) == 2);

  // The CSR list of GPUs: job 0 on {1, 0}, job 1 on {1}, job 2 on none.
  h5::Handle gpus{H5Dopen2(group, "job_gpus", H5P_DEFAULT), H5Dclose};
  h5::Handle offsets{H5Dopen2(group, "job_gpus_offset", H5P_DEFAULT), H5Dclose};
  std::uint32_t arena[3] = {};
  std::uint64_t offset[4] = {};
  REQUIRE(H5Dread(gpus, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, arena) >= 0);
  REQUIRE(H5Dread(offsets, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, offset) >= 0);
  CHECK(std::vector<std::uint32_t>(arena, arena + 3) == std::vector<std::uint32_t>{1, 0, 1});
  CHECK(std::vector<std::uint64_t>(offset, offset + 4) == std::vector<std::uint64_t>{0, 2, 3, 3});
}

TEST_CASE("hdf5: a file with no runs is valid") {
  ScratchDir dir("hdf5");
  const std::string path = dir / "empty.h5";
  write_results(path, meta("none", "", ""), {});
  CHECK(read_summary_table(path).empty());
  CHECK_THROWS_AS(read_job_records(path, "fifo", "synthetic", 1), InputError);
}

TEST_CASE("hdf5: a /summary written with the former names seed_F and seed_L reads under the current names") {
  ScratchDir dir("hdf5");
  const std::string path = dir / "old-names.h5";
  struct OldRow {
    char policy[8];
    char workload[12];
    std::uint64_t seed;
    double jct_mean, seed_F, seed_L;
  };
  const OldRow row{"fifo", "synthetic", 3, 12.5, 0.25, 0.125};
  {
    const h5::QuietErrors quiet;
    h5::AtomicFile file(path);
    const h5::Handle policy = h5::fixed_string_type(sizeof row.policy);
    const h5::Handle workload = h5::fixed_string_type(sizeof row.workload);
    const hid_t f64 = h5::native_type<double>(), u64 = h5::native_type<std::uint64_t>();
    const h5::Handle type = h5::compound_type(sizeof(OldRow), {{"policy", offsetof(OldRow, policy), policy},
                                                               {"workload", offsetof(OldRow, workload), workload},
                                                               {"seed", offsetof(OldRow, seed), u64},
                                                               {"jct_mean", offsetof(OldRow, jct_mean), f64},
                                                               {"seed_F", offsetof(OldRow, seed_F), f64},
                                                               {"seed_L", offsetof(OldRow, seed_L), f64}});
    h5::write_dataset(file, h5::kSummaryDataset, type, &row, 1);
    file.commit();
  }
  const auto rows = read_summary_table(path);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].policy == "fifo");
  CHECK(rows[0].seed == 3);
  CHECK(rows[0].metrics.at("jct_mean") == 12.5);
  CHECK(rows[0].metrics.at("responsiveness") == 0.25);
  CHECK(rows[0].metrics.at("busy_variance") == 0.125);
  CHECK(rows[0].metrics.count("seed_F") == 0);
  CHECK(rows[0].metrics.count("seed_L") == 0);
}

TEST_CASE("hdf5: an AtomicFile not committed leaves neither the file nor a temporary file") {
  ScratchDir dir("hdf5");
  const std::string path = (fs::path(dir / "sub") / "abandoned.h5").string();
  {
    const h5::QuietErrors quiet;
    h5::AtomicFile file(path);
    h5::write_attribute(file, "answer", std::uint32_t{42});
    CHECK(temp_files_next_to(path) == 1);
  }
  CHECK(!fs::exists(path));
  CHECK(temp_files_next_to(path) == 0);
}

TEST_CASE("hdf5: identical results give identical files apart from created_utc") {
  ScratchDir dir("hdf5");
  write_results(dir / "a.h5", meta("exp", "", "x"), three_runs());
  write_results(dir / "b.h5", meta("exp", "", "x"), three_runs());
  const auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), {});
  };
  const auto a = bytes(dir / "a.h5"), b = bytes(dir / "b.h5");
  REQUIRE(a.size() == b.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differing += a[i] != b[i];
  CHECK(differing <= 20);  // at most the 20 characters of the timestamp
}

TEST_CASE("hdf5: ResultsWriter streams the same file; abandoned, it leaves nothing behind") {
  ScratchDir dir("hdf5");
  const auto runs = three_runs();
  write_results(dir / "whole.h5", meta("exp", "", "x"), runs);
  {
    ResultsWriter writer(dir / "streamed.h5", meta("exp", "", "x"));
    std::vector<RunResult> light = runs;
    for (RunResult& r : light) {
      writer.add(r);
      r.jobs = {};  // only identity, summary and sweep values are read by finish()
      r.timeseries = {};
    }
    CHECK(temp_files_next_to(dir / "streamed.h5") == 1);
    CHECK_FALSE(fs::exists(dir / "streamed.h5"));
    writer.finish(light);
  }
  CHECK(temp_files_next_to(dir / "streamed.h5") == 0);
  const std::vector<std::string> diffs = fastgpu::test::results_file_differences(dir / "whole.h5", dir / "streamed.h5");
  INFO(diffs.size() << " differences, first: " << (diffs.empty() ? "" : diffs.front()));
  CHECK(diffs.empty());
  {
    ResultsWriter writer(dir / "abandoned.h5", meta("exp", "", "x"));
    writer.add(runs[0]);
  }  // destroyed before finish(): a run failed
  CHECK_FALSE(fs::exists(dir / "abandoned.h5"));
  CHECK(temp_files_next_to(dir / "abandoned.h5") == 0);
}

TEST_CASE("hdf5: a failed write leaves neither the file nor a temporary file, and keeps an older file") {
  ScratchDir dir("hdf5");
  SUBCASE("the target is a directory: the rename fails") {
    const std::string path = dir / "taken";
    fs::create_directories(path + "/inside");
    CHECK_THROWS_AS(write_results(path, meta("exp", "", ""), three_runs()), InputError);
    CHECK(fs::is_directory(path + "/inside"));
    CHECK(temp_files_next_to(path) == 0);
  }
  SUBCASE("the parent is a regular file") {
    std::ofstream(dir / "file") << "x";
    const std::string path = dir / "file/results.h5";
    CHECK_THROWS_AS(write_results(path, meta("exp", "", ""), three_runs()), InputError);
    CHECK_FALSE(fs::exists(path));
    CHECK(temp_files_next_to(path) == 0);
  }
  SUBCASE("two runs with the same policy, workload and seed: fails halfway through") {
    const std::string path = dir / "results.h5";
    write_results(path, meta("old", "", ""), {small_run("fifo", "w", 9)});
    auto runs = three_runs();
    runs.push_back(runs[1]);
    CHECK_THROWS_AS(write_results(path, meta("new", "", ""), runs), InternalError);
    CHECK(temp_files_next_to(path) == 0);
    const auto rows = read_summary_table(path);  // the older file is untouched
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].seed == 9);
  }
  SUBCASE("an inconsistent RunResult is refused before anything is written") {
    const std::string path = dir / "results.h5";
    auto runs = three_runs();
    runs[0].jobs.update(2, [](JobRecord& j) { j.reject_reason = 5; });  // no such reason
    CHECK_THROWS_AS(write_results(path, meta("exp", "", ""), runs), InternalError);
    CHECK_FALSE(fs::exists(path));
    CHECK(temp_files_next_to(path) == 0);
  }
}

TEST_CASE("hdf5: reading a missing file, a non-HDF5 file or a missing run is an InputError") {
  ScratchDir dir("hdf5");
  CHECK_THROWS_AS(read_summary_table(dir / "missing.h5"), InputError);
  std::ofstream(dir / "text.h5") << "not hdf5\n";
  CHECK_THROWS_AS(read_summary_table(dir / "text.h5"), InputError);
  const std::string path = dir / "r.h5";
  write_results(path, meta("exp", "", ""), three_runs());
  CHECK_THROWS_AS(read_job_records(path, "fifo", "synthetic", 3), InputError);
  CHECK_THROWS_AS(read_job_records(path, "sjf", "synthetic", 1), InputError);
  try {
    read_job_records(path, "fifo", "other", 1);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("r.h5") != std::string::npos);
    CHECK(std::string(e.what()).find("workload 'other'") != std::string::npos);
  }
}

TEST_CASE("hdf5: h5dump reads the file's header") {
  if (std::system("command -v h5dump > /dev/null 2>&1") != 0) {
    FASTGPU_SKIP("h5dump (Debian hdf5-tools) is not installed");
  }
  ScratchDir dir("hdf5");
  const std::string path = dir / "r.h5";
  write_results(path, meta("exp", "", "x"), three_runs());
  CHECK(std::system(("h5dump -H '" + path + "' > /dev/null 2>&1").c_str()) == 0);
}

TEST_CASE("hdf5: --summary-only keeps /summary and the run attributes, and drops the per-job tables") {
  ScratchDir dir("hdf5");
  const std::string full = dir / "full.h5", brief = dir / "brief.h5";
  const auto runs = three_runs();
  write_results(full, meta("exp", "", ""), runs);
  ResultsFileMeta summary_meta = meta("exp", "", "");
  summary_meta.summary_only = true;
  write_results(brief, summary_meta, runs);

  // /summary is the same table, value for value.
  const auto want = read_summary_table(full), got = read_summary_table(brief);
  REQUIRE(got.size() == want.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    CHECK(got[k].policy == want[k].policy);
    CHECK(got[k].seed == want[k].seed);
    REQUIRE(got[k].metrics.size() == want[k].metrics.size());
    for (const auto& [name, value] : want[k].metrics) {
      INFO(name);
      CHECK(same(got[k].metrics.at(name), value));
    }
  }
  CHECK(fs::file_size(brief) < fs::file_size(full));

  const h5::QuietErrors quiet;
  h5::Handle file{H5Fopen(brief.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(file.get() >= 0);
  std::uint64_t flag = 0;
  h5::Handle attr{H5Aopen(file, "summary_only", H5P_DEFAULT), H5Aclose};
  REQUIRE(attr.get() >= 0);
  REQUIRE(H5Aread(attr, H5T_NATIVE_UINT64, &flag) >= 0);
  CHECK(flag == 1);
  h5::Handle full_file{H5Fopen(full.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  CHECK(H5Aexists(full_file, "summary_only") == 0);  // only marked when set

  const std::string group_path = run_group_path("las", "traces/philly.csv", 1);
  h5::Handle group{H5Gopen2(file, group_path.c_str(), H5P_DEFAULT), H5Gclose};
  REQUIRE(group.get() >= 0);
  CHECK(read_double_attribute(group, "makespan") == 81);  // seed 1: last end 81, as in the full file
  for (const char* dropped : {"jobs", "job_gpus", "job_gpus_offset", "timeseries"}) {
    INFO(dropped);
    CHECK(H5Lexists(group, dropped, H5P_DEFAULT) == 0);
  }
  for (const char* kept : {"gpu_busy_seconds", "gpu_types"}) {
    INFO(kept);
    CHECK(H5Lexists(group, kept, H5P_DEFAULT) > 0);
  }
  CHECK_THROWS_AS(read_job_records(brief, "las", "traces/philly.csv", 1), InputError);
}

namespace {

// The bytes of a dataset in its file type, and the number of its filters.
std::pair<std::vector<unsigned char>, int> raw_dataset(const std::string& path, const std::string& name) {
  const h5::QuietErrors quiet;
  h5::Handle file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  h5::Handle ds{H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose};
  REQUIRE(ds.get() >= 0);
  h5::Handle type{H5Dget_type(ds), H5Tclose};
  h5::Handle space{H5Dget_space(ds), H5Sclose};
  std::vector<unsigned char> bytes(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)) * H5Tget_size(type));
  REQUIRE(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
  h5::Handle dcpl{H5Dget_create_plist(ds), H5Pclose};
  return {bytes, H5Pget_nfilters(dcpl)};
}

}  // namespace

TEST_CASE("hdf5: every deflate level stores the same tables; 0 shuffled only; a level above 3 is refused") {
  ScratchDir dir("hdf5");
  const std::string plain = dir / "plain.h5", refused = dir / "refused.h5";
  const auto runs = three_runs();
  ResultsFileMeta plain_meta = meta("exp", "", "");
  plain_meta.deflate_level = 0;
  write_results(plain, plain_meta, runs);
  const std::string group = run_group_path(runs[0].policy, runs[0].workload, runs[0].seed);
  for (int level = 1; level <= kMaxDeflateLevel; ++level) {
    const std::string deflated = dir / ("deflated-" + std::to_string(level) + ".h5");
    ResultsFileMeta deflated_meta = meta("exp", "", "");
    deflated_meta.deflate_level = level;
    write_results(deflated, deflated_meta, runs);
    for (const char* table : {"jobs", "job_gpus", "job_gpus_offset"}) {
      INFO(table << " at level " << level);
      const auto [want, want_filters] = raw_dataset(deflated, group + "/" + table);
      const auto [got, got_filters] = raw_dataset(plain, group + "/" + table);
      CHECK(got == want);
      CHECK(want_filters == 2);  // shuffle, deflate
      CHECK(got_filters == 1);   // shuffle
    }
  }
  ResultsFileMeta bad_meta = meta("exp", "", "");
  bad_meta.deflate_level = kMaxDeflateLevel + 1;
  CHECK_THROWS_AS(write_results(refused, bad_meta, runs), InputError);
  CHECK_FALSE(fs::exists(refused));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}) == 1 + kMaxDeflateLevel);  // no temporary left
}

// The native CSV trace format: exact round trip, every column parsed as
// documented, and each kind of bad input reported with file, line and field
// (or skipped and counted with skip_bad_rows).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <random>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/parse_number.h"
#include "tests/scratch_dir.h"
#include "workloads/csv_trace.h"
#include "workloads/synthetic.h"
#include "workloads/trace_reader.h"
#include "workloads/workload_loader.h"

using namespace fastgpu;

namespace {

using fastgpu::testing::ScratchDir;

Workload read_csv(const std::string& path, TraceReadReport* report = nullptr, bool skip = false) {
  TraceReadOptions o;
  o.skip_bad_rows = skip;
  return read_trace("csv", {path}, o, report);
}

std::string read_error(const std::string& path, bool skip = false) {
  try {
    read_csv(path, nullptr, skip);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

void check_identical(const Workload& a, const Workload& b) {
  REQUIRE(a.jobs.size() == b.jobs.size());
  CHECK(a.users == b.users);
  CHECK(a.type_constraints == b.type_constraints);
  CHECK(a.job_names == b.job_names);
  CHECK(a.predecessors == b.predecessors);
  std::size_t differ = 0, first = a.jobs.size();
  for (std::size_t i = 0; i < a.jobs.size(); ++i) {
    const Job &x = a.jobs[i], &y = b.jobs[i];
    const JobTraceFields &tx = a.trace_fields_of(static_cast<JobIndex>(i)),
                         &ty = b.trace_fields_of(static_cast<JobIndex>(i));
    const bool equal = x.id == y.id && x.submit == y.submit && x.num_gpus == y.num_gpus && x.work == y.work &&
                       x.priority == y.priority && x.user == y.user && x.deadline == y.deadline &&
                       tx.earliest_start == ty.earliest_start && x.gpu_types == y.gpu_types &&
                       x.gpu_memory_gb == y.gpu_memory_gb && x.gpu_share == y.gpu_share &&
                       x.preemptible == y.preemptible && same(tx.requested_time, ty.requested_time) &&
                       same(tx.recorded_start, ty.recorded_start);
    if (!equal && differ++ == 0) first = i;
  }
  INFO("first differing job index: ", first);
  CHECK(differ == 0);
}

const char* kHeader = "id,submit,num_gpus,work\n";

}  // namespace

TEST_CASE("csv trace: generate -> write -> read gives identical jobs") {
  ScratchDir dir("roundtrip");
  ClusterSpec c;
  c.gpu_types = {GpuType{.name = "v100"}, GpuType{.name = "a100"}};
  SyntheticSpec s;
  s.jobs = 20000;
  s.arrival = "diurnal";
  s.deadline_fraction = 0.3;
  s.window_fraction = 0.3;
  s.share_fraction = 0.3;
  s.preemptible_fraction = 0.6;
  s.priorities = {-2, 0, 7};
  s.priority_weights = {1, 1, 1};
  s.gpu_type_choices = {"v100", "a100"};
  s.gpu_type_fraction = 0.3;
  Workload w = generate_synthetic(s, c, 99);
  // Columns the generator leaves at their defaults, and awkward names.
  w.job_names.resize(w.jobs.size());
  for (std::size_t i = 0; i < w.jobs.size(); i += 7) {
    JobTraceFields& t = w.mutable_trace_fields(static_cast<JobIndex>(i));
    t.requested_time = w.jobs[i].work * 1.37;
    t.recorded_start = w.jobs[i].submit + 0.1;
    w.jobs[i].gpu_memory_gb = 0.1f * static_cast<float>(i % 100);
    w.job_names[i] = i % 2 ? "name, with \"quotes\"" : "plain-" + std::to_string(i);
  }
  w.users.push_back("user with,comma");
  w.jobs[1].user = static_cast<std::uint32_t>(w.users.size() - 1);
  w.intern_user("u\nnewline");
  w.jobs[3].user = static_cast<std::uint32_t>(w.users.size() - 1);
  w.dependencies = {{0, 5}, {1, 5}, {5, 9}, {2, 19999}};
  w.jobs[2].deadline = 1e300;
  w.mutable_trace_fields(4).earliest_start = -1.0 / 3;
  w.finalize("test");
  // A reader interns users in first-use order; renumber ours the same way (and
  // drop the user job 1 no longer uses) so that indexes can be compared.
  {
    std::vector<std::string> order;
    std::vector<std::uint32_t> first(w.users.size(), kNoJob);
    for (const Job& j : w.jobs)
      if (first[j.user] == kNoJob) first[j.user] = static_cast<std::uint32_t>(order.size()), order.push_back(w.users[j.user]);
    std::vector<std::string> users = order;
    for (Job& j : w.jobs) j.user = first[j.user];
    w.users = users;
    w.reset_intern_caches();
  }

  const std::string path = dir / "trace.csv";
  write_csv_trace(w, path);
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  TraceReadReport report;
  const Workload r = read_csv(path, &report);
  CHECK(report.rows == 20000);
  CHECK(report.kept == 20000);
  CHECK(report.skipped_total() == 0);
  CHECK(r.name == "trace");
  check_identical(w, r);

  // Writing what was read gives the same bytes.
  const std::string again = dir / "again.csv";
  write_csv_trace(r, again);
  std::ifstream f1(path, std::ios::binary), f2(again, std::ios::binary);
  const std::string b1((std::istreambuf_iterator<char>(f1)), {}), b2((std::istreambuf_iterator<char>(f2)), {});
  CHECK(b1 == b2);
}

TEST_CASE("csv trace: columns in any order, quoting, defaults and every optional column") {
  ScratchDir dir("columns");
  const std::string path = dir.write(
      "cols.csv",
      "\xEF\xBB\xBFname,work,gpu_type,id,num_gpus,submit,priority,user,deadline,earliest_start,gpu_memory_gb,"
      "gpu_share,preemptible,requested_time,recorded_start,depends_on\r\n"
      "\"a, \"\"quoted\"\" name\",100.5,B|A,7,1,2.5,3,alice,500,10,16,0.5,false,120,3,\r\n"
      "plain,1e3,,8,4,+1,,,,,,,TRUE,,,7\r\n"
      "\"multi\nline\",60,A| B ,9,2,0,-1,bob,inf,,,,0,,,7;8\r\n"
      "\r\n");
  TraceReadReport report;
  const Workload w = read_csv(path, &report);
  REQUIRE(w.jobs.size() == 3);
  CHECK(report.rows == 3);
  // Sorted by submit: id 9 (t=0), id 8 (t=1), id 7 (t=2.5).
  const Job &j9 = w.jobs[0], &j8 = w.jobs[1], &j7 = w.jobs[2];
  CHECK(j7.id == 7);
  CHECK(j7.submit == 2.5);
  CHECK(j7.work == 100.5);
  CHECK(j7.priority == 3);
  CHECK(w.user_name(j7.user) == "alice");
  CHECK(j7.deadline == 500);
  const JobTraceFields &t8 = w.trace_fields_of(1), &t7 = w.trace_fields_of(2);
  CHECK(t7.earliest_start == 10);
  CHECK(j7.gpu_memory_gb == 16);
  CHECK(j7.gpu_share == 0.5f);
  CHECK_FALSE(j7.preemptible);
  CHECK(t7.requested_time == 120);
  CHECK(t7.recorded_start == 3);
  REQUIRE(j7.gpu_types > 0);
  CHECK(w.type_constraints[j7.gpu_types - 1] == std::vector<std::string>{"A", "B"});
  CHECK(j9.gpu_types == j7.gpu_types);  // "A| B" is the same set
  CHECK(w.job_names == std::vector<std::string>{"multi\nline", "plain", "a, \"quoted\" name"});

  CHECK(j8.id == 8);
  CHECK(j8.submit == 1);
  CHECK(j8.num_gpus == 4);
  CHECK(j8.work == 1000);
  CHECK(j8.priority == 0);
  CHECK(w.user_name(j8.user) == "");  // empty cell
  CHECK_FALSE(j8.has_deadline());
  CHECK(t8.earliest_start == 0);
  CHECK(j8.gpu_types == 0);
  CHECK(j8.gpu_memory_gb == 0);
  CHECK(j8.gpu_share == 1.0f);
  CHECK(j8.preemptible);
  CHECK(std::isnan(t8.requested_time));
  CHECK(std::isnan(t8.recorded_start));

  CHECK(j9.priority == -1);
  CHECK_FALSE(j9.has_deadline());  // "inf"
  CHECK_FALSE(j9.preemptible);
  // Dependencies: 8 after 7; 9 after 7 and 8 (indexes: 9 -> 0, 8 -> 1, 7 -> 2).
  REQUIRE(w.predecessors.size() == 3);
  CHECK(w.predecessors[0] == std::vector<JobIndex>{1, 2});
  CHECK(w.predecessors[1] == std::vector<JobIndex>{2});
  CHECK(w.predecessors[2].empty());

  // The example of docs/trace-formats.md.
  const Workload doc = read_csv(dir.write("doc.csv",
                                          "id,submit,num_gpus,work,priority,user,deadline,gpu_type,gpu_share,depends_on,name\n"
                                          "0,0,8,3600,0,alice,,,1,,pretrain\n"
                                          "1,12.5,1,600,1,bob,2000,V100M16|V100M32,0.5,,\"eval, small\"\n"
                                          "2,30,2,1200,0,alice,,,,0,finetune\n"));
  REQUIRE(doc.jobs.size() == 3);
  CHECK(doc.jobs[1].gpu_share == 0.5f);
  CHECK(doc.type_constraints == std::vector<std::vector<std::string>>{{"V100M16", "V100M32"}});
  CHECK(doc.job_names == std::vector<std::string>{"pretrain", "eval, small", "finetune"});
  CHECK(doc.predecessors == std::vector<std::vector<JobIndex>>{{}, {}, {0}});

  // Header only: no jobs. Only the required columns: everything else defaults.
  CHECK(read_csv(dir.write("empty.csv", kHeader)).jobs.empty());
  const Workload m = read_csv(dir.write("min.csv", std::string(kHeader) + "1,0,2,5"));  // no final line end
  REQUIRE(m.jobs.size() == 1);
  CHECK(m.jobs[0].num_gpus == 2);
  CHECK(m.users.empty());
  CHECK(m.job_names.empty());
}

TEST_CASE("csv trace: bad header, cells and rows are errors naming file, line and field") {
  ScratchDir dir("errors");
  const auto err = [&](const std::string& name, const std::string& text) {
    return read_error(dir.write(name, text));
  };
  std::string msg = err("unknown.csv", "id,submit,num_gpus,work,colour\n1,0,1,5,red\n");
  INFO(msg);
  CHECK(msg.find("unknown.csv:1: field 'colour': unknown column 'colour'") != std::string::npos);

  msg = err("missing.csv", "id,submit,num_gpus\n1,0,1\n");
  CHECK(msg.find("missing.csv:1: field 'work': required column 'work' is missing") != std::string::npos);

  msg = err("dup.csv", "id,submit,num_gpus,work,id\n");
  CHECK(msg.find("dup.csv:1: field 'id': duplicate column") != std::string::npos);

  msg = err("number.csv", std::string(kHeader) + "1,0,1,5\n2,0,1,5x\n");
  CHECK(msg.find("number.csv:3: field 'work': '5x' is not a number of seconds") != std::string::npos);

  msg = err("negative.csv", std::string(kHeader) + "1,0,-2,5\n");
  CHECK(msg.find("negative.csv:2: field 'num_gpus': num_gpus must be >= 1, got -2") != std::string::npos);

  msg = err("zero_work.csv", std::string(kHeader) + "1,0,1,0\n");
  CHECK(msg.find("zero_work.csv:2: field 'work'") != std::string::npos);

  msg = err("empty_cell.csv", std::string(kHeader) + "1,,1,5\n");
  CHECK(msg.find("empty_cell.csv:2: field 'submit': submit is empty") != std::string::npos);

  msg = err("share.csv", "id,submit,num_gpus,work,gpu_share\n1,0,2,5,0.5\n");
  CHECK(msg.find("share.csv:2: field 'gpu_share'") != std::string::npos);

  msg = err("deadline.csv", "id,submit,num_gpus,work,deadline\n1,10,1,5,10\n");
  CHECK(msg.find("deadline.csv:2: field 'deadline'") != std::string::npos);

  msg = err("bool.csv", "id,submit,num_gpus,work,preemptible\n1,0,1,5,yes\n");
  CHECK(msg.find("bool.csv:2: field 'preemptible'") != std::string::npos);

  msg = err("columns.csv", std::string(kHeader) + "1,0,1,5\n2,0,1\n3,0,1,5\n");
  CHECK(msg.find("columns.csv:3: expected 4 fields, found 3") != std::string::npos);

  // A row cut at the end of the file (no line end, missing fields).
  msg = err("cut.csv", std::string(kHeader) + "1,0,1,5\n2,0,");
  CHECK(msg.find("cut.csv:3: row cut short at the end of the file") != std::string::npos);
  msg = err("quote.csv", "id,submit,num_gpus,work,name\n1,0,1,5,\"never closed\n");
  CHECK(msg.find("quote.csv:2: quoted field not closed") != std::string::npos);

  // Line numbers count physical lines, including those inside quoted fields.
  msg = err("lines.csv", "id,submit,num_gpus,work,name\n1,0,1,5,\"two\nlines\"\n2,0,1,oops,x\n");
  CHECK(msg.find("lines.csv:4: field 'work'") != std::string::npos);

  msg = err("empty.csv", "");
  CHECK(msg.find("empty.csv:1: empty file") != std::string::npos);
  msg = read_error(dir / "nope.csv");
  CHECK(msg.find("nope.csv: cannot open") != std::string::npos);

  msg = err("unknown_dep.csv", "id,submit,num_gpus,work,depends_on\n1,0,1,5,\n2,0,1,5,3\n");
  CHECK(msg.find("job 2 depends on job 3, which is not in the workload") != std::string::npos);
  msg = err("cycle.csv", "id,submit,num_gpus,work,depends_on\n1,0,1,5,2\n2,0,1,5,1\n");
  CHECK(msg.find("dependency cycle") != std::string::npos);

  try {
    read_trace("nosuchformat", {"x"}, {});
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("unknown trace format 'nosuchformat' (known: csv") != std::string::npos);
  }
}

TEST_CASE("csv trace: skip_bad_rows skips and counts bad rows by reason") {
  ScratchDir dir("skip");
  const std::string path = dir.write("bad.csv",
                                     "id,submit,num_gpus,work,depends_on\n"
                                     "1,0,1,5,\n"        // kept
                                     "2,0,1,x,\n"        // malformed work
                                     "3,0,0,5,\n"        // malformed num_gpus
                                     "4,1,1,5,2;1\n"     // kept; its dependency on skipped job 2 is dropped
                                     "5,0,1\n"           // wrong column count
                                     "6,2,1,-1,\n"       // malformed work
                                     "7,3,1,5,4\n"       // kept
                                     "8,3,");            // truncated row
  TraceReadReport report;
  const Workload w = read_csv(path, &report, true);
  CHECK(report.rows == 8);
  CHECK(report.kept == 3);
  CHECK(report.skipped_total() == 5);
  CHECK(report.skipped == std::map<std::string, std::uint64_t>{{"malformed work", 2},
                                                                {"malformed num_gpus", 1},
                                                                {"wrong column count", 1},
                                                                {"truncated row", 1}});
  REQUIRE(report.assumptions.size() == 1);
  CHECK(report.assumptions[0] == "dropped 1 dependencies on skipped rows");
  REQUIRE(w.jobs.size() == 3);
  CHECK(w.jobs[0].id == 1);
  CHECK(w.jobs[1].id == 4);
  CHECK(w.jobs[2].id == 7);
  CHECK(w.predecessors == std::vector<std::vector<JobIndex>>{{}, {0}, {1}});
  // Without the option the first bad row stops the read.
  CHECK(read_error(path).find("bad.csv:3: field 'work'") != std::string::npos);
  // strict wins over skip_bad_rows.
  TraceReadOptions strict;
  strict.skip_bad_rows = true;
  strict.strict = true;
  CHECK_THROWS_AS(read_trace("csv", {path}, strict), InputError);
}

// Cells of one to seven digits take a fast path (one word, no loop); every
// other cell the general parser. Both must read the same cells the same way:
// random short cells of digits and the characters next to them in ASCII
// ('/' 0x2F, ':' 0x3A, '?' 0x3F, '@' 0x40), signs, points and blanks, some
// quoted (the scanner's unquoting buffer), the last one with no line end (the
// end of the read buffer), checked against parse_number on the trimmed cell.
TEST_CASE("csv trace: every short cell reads as the general number parser reads it") {
  ScratchDir dir("cells");
  std::mt19937_64 rng(20261204);
  const std::string alphabet = "0123456789/:?@+-. e";
  std::vector<std::string> cells = {"0",       "7",        "42",        "1234567", "9999999", "0000001",
                                    "12345678", "99999999", "00000000",  "1/2",     "1:2",     "0?",
                                    "@1",       "5x",       " 12",       "12 ",     "1 2",     "+12",
                                    "-0",       "1e3",      "1234567.5", "0.5",     ".5",      "9999999e0"};
  for (int k = 0; k < 4000; ++k) {
    std::string cell;
    const std::size_t length = 1 + rng() % 9;
    const bool digits_only = rng() % 2 == 0;
    for (std::size_t i = 0; i < length; ++i)
      cell += digits_only ? static_cast<char>('0' + rng() % 10) : alphabet[rng() % alphabet.size()];
    cells.push_back(cell);
  }
  std::string text = "id,submit,num_gpus,work\n";
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const bool quoted = i % 7 == 3;
    text += std::to_string(i) + ",";
    if (quoted) text += '"';
    text += cells[i];
    if (quoted) text += '"';
    text += ",1,5";
    if (i + 1 < cells.size()) text += "\n";
  }
  TraceReadReport report;
  const Workload w = read_csv(dir.write("cells.csv", text), &report, true);
  std::map<std::int64_t, double> read;
  for (const Job& j : w.jobs) read[j.id] = j.submit;
  std::size_t kept = 0, disagree = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    double expected = 0;
    const bool valid = parse_number(cells[i], expected, {.blanks = true, .plus = true}) == NumberError::none &&
                       std::isfinite(expected) && expected >= 0;
    const auto it = read.find(static_cast<std::int64_t>(i));
    const bool agrees = valid ? it != read.end() && std::bit_cast<std::uint64_t>(it->second) ==
                                                        std::bit_cast<std::uint64_t>(expected)
                              : it == read.end();
    disagree += !agrees;
    CHECK_MESSAGE(agrees, "cell '", cells[i], "'");
    kept += valid;
  }
  CHECK(disagree == 0);
  CHECK(report.kept == kept);
  CHECK(kept > 2000);  // the digit-only half, and the valid ones of the rest
}

TEST_CASE("csv trace: several files are appended and load_workload names the workload") {
  ScratchDir dir("loader");
  const std::string a = dir.write("part-a.csv", std::string(kHeader) + "1,5,1,10\n");
  const std::string b = dir.write("part-b.csv", "id,submit,num_gpus,work,name\n2,1,2,20,second\n");
  WorkloadSpec spec;
  spec.kind = "trace";
  spec.trace_paths = {a, b};
  TraceReadReport report;
  Workload w = load_workload(spec, ClusterSpec{}, 1, &report);
  CHECK(w.name == "part-a");
  REQUIRE(w.jobs.size() == 2);
  CHECK(w.jobs[0].id == 2);
  CHECK(w.job_names == std::vector<std::string>{"second", ""});
  CHECK(report.rows == 2);
  spec.name = "mine";
  CHECK(load_workload(spec, ClusterSpec{}, 1).name == "mine");

  WorkloadSpec syn;
  syn.synthetic.jobs = 10;
  w = load_workload(syn, ClusterSpec{}, 1);
  CHECK(w.name == "synthetic");
  CHECK(w.jobs.size() == 10);
  syn.kind = "other";
  CHECK_THROWS_AS(load_workload(syn, ClusterSpec{}, 1), InputError);
  CHECK(trace_formats().at(0).name == "csv");
}

TEST_CASE("csv trace: trace-only columns in some of several files fill the column for every job") {
  ScratchDir dir("trace-fields");
  const std::string with = dir.write("with.csv", "id,submit,num_gpus,work,recorded_start\n1,5,1,10,7\n");
  const std::string without = dir.write("without.csv", std::string(kHeader) + "2,1,2,20\n");
  for (const auto& paths : {std::vector<std::string>{with, without}, std::vector<std::string>{without, with}}) {
    const Workload w = read_trace("csv", paths, {});
    REQUIRE(w.jobs.size() == 2);
    REQUIRE(w.trace_fields.size() == 2);  // one entry a job, whichever file came first
    CHECK(w.jobs[0].id == 2);             // sorted by submit
    CHECK(std::isnan(w.trace_fields_of(0).recorded_start));
    CHECK(w.trace_fields_of(1).recorded_start == 7);
  }
  // No file with such a column: no column.
  CHECK(read_trace("csv", {without}, {}).trace_fields.empty());
}

TEST_CASE("csv trace: random damage never crashes the reader, it only raises InputError") {
  // Rows of random characters from the CSV syntax after a valid header; with
  // and without skip_bad_rows the reader returns a workload or an InputError.
  ScratchDir dir("fuzz");
  const std::string alphabet = ",,,\"\n\r0123456789. -+eE|;abinf";
  std::uint64_t state = 12345;
  auto next = [&] {  // xorshift64: fixed, portable sequence
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int ok = 0, input_errors = 0, other = 0;
  for (int file = 0; file < 300; ++file) {
    std::string text = "id,submit,num_gpus,work,depends_on,name,gpu_type\n";
    const std::size_t len = next() % 200;
    for (std::size_t k = 0; k < len; ++k) text += alphabet[next() % alphabet.size()];
    const std::string path = dir.write(std::string("f").append(std::to_string(file)).append(".csv"), text);
    for (bool skip : {false, true}) {
      try {
        read_csv(path, nullptr, skip);
        ++ok;
      } catch (const InputError&) {
        ++input_errors;
      } catch (...) {
        ++other;
      }
    }
  }
  CHECK(other == 0);
  CHECK(ok > 0);
  CHECK(input_errors > 0);
}

TEST_CASE("csv trace: failed_attempts cells, their errors, and jobs without the column") {
  ScratchDir dir("failed-attempts");
  const Workload w = read_csv(dir.write("ok.csv",
                                        "id,submit,num_gpus,work,recorded_start,failed_attempts\n"
                                        "1,10,2,100,90,20@12;30\n"
                                        "2,0,1,50,,\n"));
  REQUIRE(w.jobs.size() == 2);
  CHECK(w.jobs[0].id == 2);  // sorted by submit: id 2 first
  CHECK(w.trace_fields_of(0).failed_attempts == 0);
  REQUIRE(w.trace_fields_of(1).failed_attempts == 2);
  CHECK(w.failed_attempts_of(1)[0].length == 20);
  CHECK(w.failed_attempts_of(1)[0].recorded_start == 12);
  CHECK(w.failed_attempts_of(1)[1].length == 30);
  CHECK(std::isnan(w.failed_attempts_of(1)[1].recorded_start));

  const std::string header = "id,submit,num_gpus,work,failed_attempts\n";
  std::string msg = read_error(dir.write("word.csv", header + "1,0,1,5,x@3\n"));
  CHECK(msg.find("word.csv:2: field 'failed_attempts': 'x' is not a length in seconds") != std::string::npos);
  msg = read_error(dir.write("negative.csv", header + "1,0,1,5,4;-3\n"));
  CHECK(msg.find("negative.csv:2: field 'failed_attempts': a failed attempt's length must be >= 0 seconds, got -3") !=
        std::string::npos);
  msg = read_error(dir.write("start.csv", header + "1,0,1,5,4@\n"));
  CHECK(msg.find("start.csv:2: field 'failed_attempts'") != std::string::npos);
}

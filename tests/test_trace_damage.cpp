// The rules for real data, checked the same way for every reader: a skipped
// job is counted under its reason, --strict turns it into an error naming
// file, line and field; a file cut mid-row, bad UTF-8, a wrong column count
// and (Philly) a JSON syntax error are errors with the location, never a
// crash; `fastgpu convert` leaves no output behind when it fails; readers
// stream (they read from a pipe, which cannot be sized or rewound).
#include "source_paths.h"
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/trace_fixtures.h"

using namespace fastgpu;
using namespace fastgpu::testing;

namespace {

// One format's fixture: `header` then data rows, one per line. `good` is a
// row that is kept, `skip` one that is skipped for `reason`; `short_row` is
// `good` with one column missing (empty where the format has no columns).
struct Case {
  std::string format;
  const char* file;
  std::string header;
  std::string good, skip, reason, short_row;
  std::string bad_utf8;   // `good` with an invalid byte in a text field
  std::string companion;  // alibaba2020: the task table read with the job table
  bool json = false;
};

std::vector<Case> cases() {
  std::vector<Case> c;
  c.push_back({"csv", "t.csv", "id,submit,num_gpus,work\n", "1,0,1,100", "", "", "1,0,1", "1\xff,0,1,100", ""});
  c.push_back({"alibaba2023", "pods.csv",
               "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,"
               "scheduled_time\n",
               "pod-1,1000,1024,1,1000,,LS,Running,0,100,10", "pod-2,1000,1024,0,0,,LS,Running,0,100,10",
               "no GPU requested", "pod-1,1000,1024,1,1000,,LS,Running,0,100",
               "pod-\xc3\x28,1000,1024,1,1000,,LS,Running,0,100,10", ""});
  c.push_back({"helios", "cluster_log.csv",
               "job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n",
               "1,u1,vc1,1,1,1,COMPLETED,2020-06-09 18:41:01,2020-06-09 18:41:01,2020-06-09 19:41:01,3600,0",
               "2,u1,vc1,0,1,1,COMPLETED,2020-06-09 18:41:01,2020-06-09 18:41:01,2020-06-09 19:41:01,3600,0",
               "no GPU requested",
               "1,u1,vc1,1,1,1,COMPLETED,2020-06-09 18:41:01,2020-06-09 18:41:01,2020-06-09 19:41:01,3600",
               "1,u\xff,vc1,1,1,1,COMPLETED,2020-06-09 18:41:01,2020-06-09 18:41:01,2020-06-09 19:41:01,3600,0", ""});
  c.push_back({"tiresias", "jobs.csv", "job_id,num_gpu,submit_time,iterations,model_name,duration,interval\n",
               "0,1,0,606,vgg19,164,30", "1,0,30,133,vgg11,147,23", "no GPU requested", "0,1,0,606,vgg19,164",
               "0,1,0,606,vgg\xe2\x82,164,30", ""});
  c.push_back({"swf", "log.swf", "; UnixStartTime: 0\n",
               "1 0 5 100 2 -1 -1 2 200 -1 1 1 1 -1 -1 1 -1 -1", "2 0 5 -1 2 -1 -1 2 200 -1 1 1 1 -1 -1 1 -1 -1",
               "missing runtime", "1 0 5 100 2 -1 -1 2 200 -1 1 1 1 -1 -1 1 -1",
               "1 0 5 100 2 -1 -1 2 200 -1 1 1 1 \xff -1 1 -1 -1", ""});
  c.push_back({"gavel", "vc.trace", "", "ResNet-18\tcmd %s\t--num_steps\t1\t1000\t0.0\t1",
               "LM\tcmd %s\t--steps\t1\t4000\t6.0\t0", "no GPU requested", "ResNet-18\tcmd %s\t--num_steps\t1\t1000\t0.0",
               "ResNet-18\xff\tcmd %s\t--num_steps\t1\t1000\t0.0\t1", ""});
  c.push_back({"alibaba2020", "pai_job_table.csv", "", "j1,i1,u1,Terminated,100,700", "j2,i2,u1,Terminated,150,400",
               "no GPU requested", "j1,i1,u1,Terminated,100", "j1,i1,u\xff,Terminated,100,700",
               "j1,worker,1.0,Terminated,110,690,600,10,50,T4\nj2,worker,1.0,Terminated,160,390,600,10,0,\n"});
  c.push_back({"philly", "cluster_job_log", "[\n",
               R"({"jobid":"a","user":"u","vc":"v","status":"Pass","submitted_time":"2017-10-01 10:00:00","attempts":[{"start_time":"2017-10-01 10:01:00","end_time":"2017-10-01 11:00:00","detail":[{"ip":"m1","gpus":["gpu0","gpu1"]}]}]},)",
               R"({"jobid":"b","user":"u","vc":"v","status":"Pass","submitted_time":"2017-10-01 10:00:00","attempts":[{"start_time":"2017-10-01 10:01:00","end_time":"2017-10-01 11:00:00","detail":[]}]},)",
               "no GPU requested", "",
               "{\"jobid\":\"a\xff\",\"submitted_time\":\"2017-10-01 10:00:00\",\"attempts\":[]},", "", true});
  return c;
}

// A file of the case's rows, one per line. JSON rows end with ','; `close`
// drops the last one's and closes the array.
std::string file_text(const Case& c, const std::vector<std::string>& rows, bool close = true) {
  std::string t = c.header;
  for (const auto& r : rows) t += r + "\n";
  if (c.json && close) {
    t.resize(t.size() - 2);  // the last row's ",\n"
    t += "\n]\n";
  }
  return t;
}

std::vector<std::string> paths(const TempDir& dir, const Case& c, const std::string& text) {
  std::vector<std::string> p{dir.write(c.file, text)};
  if (!c.companion.empty()) p.push_back(dir.write("pai_task_table.csv", c.companion));
  return p;
}

// Line of the n-th data row (1-based) of the case's file.
std::size_t row_line(const Case& c, std::size_t n) {
  return static_cast<std::size_t>(std::count(c.header.begin(), c.header.end(), '\n')) + n;
}

void check_located(const InputError& e, const std::string& path, std::size_t line) {
  INFO(e.what());
  CHECK(e.where().file == path);
  CHECK(e.where().line == line);
  CHECK(std::string(e.what()).find(path + ":" + std::to_string(line)) == 0);
}

}  // namespace

TEST_CASE("trace damage: skips are counted by reason; --strict names file, line and field") {
  for (const Case& c : cases()) {
    if (c.skip.empty()) continue;  // the canonical CSV has no skip rule: bad rows are errors
    CAPTURE(c.format);
    TempDir dir;
    auto p = paths(dir, c, file_text(c, {c.good, c.skip, c.good}));
    auto r = read(c.format, p);
    CHECK(r.report.skipped.at(c.reason) == 1);
    CHECK(r.report.skipped_total() == 1);
    CHECK(r.report.kept == 2);
    InputError e = read_error(c.format, p, strict());
    const std::string& path = c.companion.empty() ? p[0] : e.where().file;
    if (c.companion.empty()) check_located(e, path, row_line(c, 2));
    CHECK_FALSE(e.where().field.empty());
    CHECK(std::string(e.what()).find("field '" + e.where().field + "'") != std::string::npos);
    CHECK(std::string(e.what()).find(c.reason) != std::string::npos);
  }
}

TEST_CASE("trace damage: a file cut mid-row is a located error") {
  for (const Case& c : cases()) {
    CAPTURE(c.format);
    TempDir dir;
    std::string text = file_text(c, {c.good}, false) + c.good.substr(0, c.good.size() / 2);
    auto p = paths(dir, c, text);
    InputError e = read_error(c.format, p);
    check_located(e, p[0], row_line(c, 2));
    CHECK(std::string(e.what()).find(c.json ? "end of file" : "cut?") != std::string::npos);
  }
}

TEST_CASE("trace damage: bad UTF-8 is a located error") {
  for (const Case& c : cases()) {
    CAPTURE(c.format);
    TempDir dir;
    auto p = paths(dir, c, file_text(c, {c.good, c.bad_utf8}));
    InputError e = read_error(c.format, p);
    check_located(e, p[0], row_line(c, 2));
    CHECK(std::string(e.what()).find("UTF-8") != std::string::npos);
  }
}

TEST_CASE("trace damage: a wrong column count is a located error, or a counted malformed row") {
  for (const Case& c : cases()) {
    if (c.short_row.empty()) continue;  // JSON: no columns (syntax errors below)
    CAPTURE(c.format);
    TempDir dir;
    auto p = paths(dir, c, file_text(c, {c.good, c.short_row, c.good}));
    InputError e = read_error(c.format, p);
    check_located(e, p[0], row_line(c, 2));
    if (c.format != std::string("csv")) {  // the canonical CSV counts malformed rows by field
      auto r = read(c.format, p, skip_bad());
      CHECK(r.report.skipped.at("malformed row") == 1);
      CHECK(r.report.kept == 2);
    }
  }
}

TEST_CASE("trace damage: JSON syntax errors are located (Philly)") {
  TempDir dir;
  const Case c = cases().back();
  REQUIRE(c.json);
  struct Bad {
    std::string row, message;
  };
  const Bad bad[] = {{R"({"jobid":"b" "vc":"v"},)", "expected ',' or '}'"},
                     {R"({"jobid":"b","vc":},)", ""},
                     {R"({"jobid":"b","vc":"v",},)", ""},
                     {R"({"jobid":"b\q","vc":"v"},)", ""}};
  for (const Bad& b : bad) {
    CAPTURE(b.row);
    auto p = paths(dir, c, file_text(c, {c.good, b.row}));
    InputError e = read_error("philly", p);
    check_located(e, p[0], row_line(c, 2));
    if (!b.message.empty()) CHECK(std::string(e.what()).find(b.message) != std::string::npos);
  }
}

TEST_CASE("trace damage: fastgpu convert fails with exit 2 and writes nothing") {
  TempDir dir;
  const Case c = cases()[1];  // alibaba2023
  std::string in = dir.write(c.file, file_text(c, {c.good, c.skip}));
  std::string out = dir.file("out.csv");
  std::string log = dir.file("log.txt");
  int status = std::system((fastgpu::test::cli_path() + " convert --format alibaba2023 --strict " + in + " -o " + out +
                            " > " + log + " 2>&1")
                               .c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(out + ".tmp"));
  std::ifstream f(log);
  std::stringstream s;
  s << f.rdbuf();
  CHECK(s.str().find(in + ":3: field 'num_gpu'") != std::string::npos);
}

TEST_CASE("trace damage: readers stream from a pipe (one pass, no seeking or sizing)") {
  for (const Case& c : cases()) {
    CAPTURE(c.format);
    TempDir dir;
    std::vector<std::string> rows;
    for (int i = 0; i < 2000; ++i) rows.push_back(c.good);
    const std::string text = file_text(c, rows);
    const std::string fifo = dir.file(std::string("pipe-") + c.file);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
      std::ofstream out(fifo, std::ios::binary);
      out << text;
    });
    std::vector<std::string> p{fifo};
    if (!c.companion.empty()) p.push_back(dir.write("pai_task_table.csv", c.companion));
    ReadResult r;
    try {
      r = read(c.format, p);
    } catch (...) {
      writer.join();
      throw;
    }
    writer.join();
    CHECK(r.report.rows == 2000);
    CHECK(r.report.kept == 2000);
  }
}

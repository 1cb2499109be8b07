// Plumbing shared by the trace readers: dates and time zones, UTF-8 checks,
// CSV splitting, the line reader, rebasing times, and JSON files (through the
// Philly reader). Expected epoch values are from Python's calendar.timegm / zoneinfo.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "tests/trace_fixtures.h"
#include "workloads/csv_scanner.h"
#include "workloads/trace_io.h"

using namespace fastgpu;
using namespace fastgpu::testing;
namespace tr = fastgpu::trace;

TEST_CASE("trace_io: civil dates and the US Pacific time zone") {
  CHECK(tr::days_from_civil(1970, 1, 1) == 0);
  CHECK(tr::days_from_civil(2000, 3, 1) == 11017);
  std::int64_t t = 0;
  REQUIRE(tr::parse_datetime("2017-03-12 03:00:00", t));
  CHECK(t == 1489287600);
  CHECK(tr::us_pacific_to_utc(t) == 1489312800);  // 03:00 PDT = 10:00 UTC
  REQUIRE(tr::parse_datetime("2017-03-12 01:59:59", t));
  CHECK(tr::us_pacific_to_utc(t) - t == 8 * 3600);  // still PST
  REQUIRE(tr::parse_datetime("2017-11-05 01:30:00", t));
  CHECK(tr::us_pacific_to_utc(t) - t == 7 * 3600);  // repeated hour: its first (PDT) reading
  REQUIRE(tr::parse_datetime("2017-11-05 02:00:00", t));
  CHECK(tr::us_pacific_to_utc(t) - t == 8 * 3600);
  REQUIRE(tr::parse_datetime("2017-07-01T12:00:00.250", t));
  CHECK(tr::format_datetime(t) == "2017-07-01 12:00:00");
  CHECK(tr::format_datetime(1027839845) == "2002-07-28 07:04:05");
  CHECK(tr::parse_datetime("2016-02-29 00:00:00", t));
  CHECK_FALSE(tr::parse_datetime("2017-02-29 00:00:00", t));
  CHECK_FALSE(tr::parse_datetime("2017-1-01 00:00:00", t));
  CHECK_FALSE(tr::parse_datetime("2017-01-01 24:00:00", t));
  CHECK_FALSE(tr::parse_datetime("2017-01-01 00:00:00x", t));
}

TEST_CASE("trace_io: numbers, UTF-8 and CSV fields") {
  double d = 0;
  std::int64_t i = 0;
  CHECK((tr::parse_double(" 552.21 ", d) && d == 552.21));
  CHECK((tr::parse_double("+1e3", d) && d == 1000));
  CHECK_FALSE(tr::parse_double("nan", d));
  CHECK_FALSE(tr::parse_double("inf", d));
  CHECK_FALSE(tr::parse_double("1.5x", d));
  CHECK_FALSE(tr::parse_double("", d));
  CHECK((tr::parse_int("-1", i) && i == -1));
  CHECK_FALSE(tr::parse_int("1.0", i));
  CHECK(tr::find_invalid_utf8("plain ascii text, long enough for the fast path") == std::string::npos);
  CHECK(tr::find_invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == std::string::npos);
  CHECK(tr::find_invalid_utf8("ab\xc3") == 2);             // cut sequence
  CHECK(tr::find_invalid_utf8("abcdefgh\xc0\xaf") == 8);   // overlong '/'
  CHECK(tr::find_invalid_utf8("\xed\xa0\x80") == 0);       // surrogate
  CHECK(tr::find_invalid_utf8("\xff") == 0);
  // CSV rows, as every CSV-based reader reads them (CsvScanner).
  TempDir dir;
  CsvScanner csv(dir.write("f.csv", "a,\"b,c\",\"say \"\"hi\"\"\",,\r\na,\"b"));
  REQUIRE(csv.next());
  auto f = csv.fields();
  REQUIRE(f.size() == 5);
  CHECK(f[1] == "b,c");
  CHECK(f[2] == "say \"hi\"");
  CHECK(f[3].empty());
  CHECK(f[4].empty());
  CHECK_FALSE(csv.open_quote());
  REQUIRE(csv.next());
  CHECK(csv.open_quote());  // unterminated quote
  tr::split_whitespace("  1 \t 2   3 ", f);
  CHECK(f == std::vector<std::string_view>{"1", "2", "3"});
}

TEST_CASE("trace_io: the CSV scanner splits long records, blank lines and quoted fields at any position") {
  TempDir dir;
  // 40 fields of 1 to 3 characters: separators fall at every offset of the
  // 16- and 8-byte blocks the scanner tests at once.
  std::string record, expected_last;
  std::vector<std::string> want;
  for (int k = 0; k < 40; ++k) {
    want.push_back(std::string(static_cast<std::size_t>(k % 3 + 1), static_cast<char>('a' + k % 26)));
    record += (k ? "," : "") + want.back();
  }
  // A blank line, a line of blanks, CRLF, then the record again without a
  // final line end (its last field ends the file).
  CsvScanner csv(dir.write("long.csv", record + "\n\n \t \r\n" + record + "\r\n" + record));
  for (std::size_t line : {1u, 4u, 5u}) {
    INFO(line);
    REQUIRE(csv.next());
    CHECK(csv.line() == line);
    std::vector<std::string> got(csv.fields().begin(), csv.fields().end());
    CHECK(got == want);
    CHECK(csv.at_unterminated_end() == (line == 5));
  }
  CHECK_FALSE(csv.next());

  // A quoted record: the unquoted fields lie one after the other with the
  // separator between them, and a quoted line end counts as a line.
  CsvScanner quoted(dir.write("q.csv", "x,\"a\"\"b\",\"two\nlines\",\"\"\ny,z\n"));
  REQUIRE(quoted.next());
  REQUIRE(quoted.fields().size() == 4);
  CHECK(quoted.fields()[1] == "a\"b");
  CHECK(quoted.fields()[2] == "two\nlines");
  CHECK(quoted.fields()[3].empty());
  const auto& f = quoted.fields();
  CHECK(std::string_view(f.front().data(), static_cast<std::size_t>(f.back().data() + f.back().size() -
                                                                  f.front().data())) == "x,a\"b,two\nlines,");
  REQUIRE(quoted.next());
  CHECK(quoted.line() == 3);
  CHECK(quoted.fields()[1] == "z");
  CHECK_FALSE(quoted.next());
}

TEST_CASE("trace_io: invalid UTF-8 split over two quoted CSV fields is still found") {
  // "\xc3" ends one field and "\xa9" starts the next: together they would
  // read as an e-acute, but each field alone is invalid.
  TempDir dir;
  const std::string path = dir.write("u.csv", "id,submit,num_gpus,work,user,name\n1,0,1,10,\"u\xc3\",\"\xa9x\"\n");
  const InputError e = read_error("csv", {path});
  CHECK(e.where().line == 2);
  CHECK(e.where().field == "user");
  CHECK(std::string(e.what()).find("invalid UTF-8") != std::string::npos);
}

TEST_CASE("trace_io: the line reader handles CRLF, long lines and a missing last newline") {
  TempDir dir;
  std::string long_line(3 << 20, 'x');  // longer than the 1 MiB buffer
  std::string path = dir.write("lines.txt", "a\r\n\n" + long_line + "\nlast");
  tr::LineReader in(path);
  std::string_view line;
  std::vector<std::string> got;
  while (in.next(line)) got.emplace_back(line);
  REQUIRE(got.size() == 4);
  CHECK(got[0] == "a");
  CHECK(got[1].empty());
  CHECK(got[2] == long_line);
  CHECK(got[3] == "last");
  CHECK(in.line_number() == 4);
  CHECK(in.last_unterminated());
  CHECK_THROWS_AS(tr::LineReader(dir.file("missing.txt")), InputError);
}

TEST_CASE("JSON trace files: values, escapes, layouts and located syntax errors") {
  TempDir dir;
  // Escapes in a job id, numbers and literals in members the reader ignores.
  const std::string job =
      R"("submitted_time":"2017-09-04 10:30:41","num_gpus":1,"x":[1,-2.5e1,true,false,null,{"y":"\n"}],)"
      R"("attempts":[{"start_time":"2017-09-04 10:30:53","end_time":"2017-09-04 10:42:44"}]})";
  const std::string array = "[\n {\"id\": \"x\\u00e9\\ud83d\\ude00\\n\",\n  " + job + ",\n {\"id\": 7, " + job + "\n]\n";
  auto r = read("philly", {dir.write("v.json", array)});
  REQUIRE(r.workload.job_names.size() == 2);
  CHECK(r.workload.job_names[0] == "x\xc3\xa9\xf0\x9f\x98\x80\n");
  CHECK(r.workload.job_names[1] == "7");
  auto lines = read("philly", {dir.write("v.jsonl", "{\"id\":\"a\"," + job + "\n{\"id\":\"b\"," + job + "\n")});
  CHECK(lines.workload.job_names == std::vector<std::string>{"a", "b"});
  // An empty file is an error in every format (docs/reliability.md); "[]" is an empty workload.
  CHECK(std::string(read_error("philly", {dir.write("empty.json", "")}).what()).find("empty") != std::string::npos);
  CHECK(std::string(read_error("philly", {dir.write("blank.json", " \n\n")}).what()).find("empty") != std::string::npos);
  CHECK(read("philly", {dir.write("none.json", "[]\n")}).report.rows == 0);

  auto error_of = [&](const std::string& text) {
    InputError e = read_error("philly", {dir.write("e.json", text)}, skip_bad());  // only syntax errors throw
    return std::string(e.what());
  };
  CHECK(error_of("[\n{\"id\": \"\\x\"}]").find("e.json:2") != std::string::npos);
  CHECK(error_of("[\n{\"id\": \"\\ud800\"}]").find("e.json:2") != std::string::npos);
  CHECK(error_of("[\n{\"a\" 1}]").find("expected ',' or '}'") != std::string::npos);
  CHECK(error_of("[\n{1: 2}]").find("member name") != std::string::npos);
  CHECK(error_of("[1 2]").find("expected ',' or ']'") != std::string::npos);
  CHECK(error_of("[-]").find("malformed number") != std::string::npos);
  CHECK(error_of("[1e999]").find("number") != std::string::npos);
  CHECK(error_of("\xef\xbb\xbf[]").find("byte-order") != std::string::npos);
  CHECK(error_of("{\"a\":1}\n{\"b\":").find("e.json:2") != std::string::npos);
  CHECK(error_of("{\"a\":1}\n{\"b\":").find("end of file") != std::string::npos);
  CHECK(error_of("{\"a\":1}\n{\"b\" 2}\n").find("e.json:2") != std::string::npos);
}

TEST_CASE("trace_io: rebasing moves the trace fields with the submits") {
  TraceReadOptions options;
  TraceReadReport report;
  tr::Issues issues(options, report);
  auto two_jobs = [](double first, double second) {
    Workload w;
    w.jobs.resize(2);
    w.jobs[0].submit = first;
    w.jobs[1].submit = second;
    return w;
  };
  // Only job 1 has a recorded start: job 0 keeps the defaults; no window appears.
  Workload w = two_jobs(1000, 1500);
  w.mutable_trace_fields(1).recorded_start = 1600;
  tr::rebase_to_first_submit(w, issues);
  CHECK(w.jobs[1].submit == 500);
  CHECK(w.trace_fields_of(1).recorded_start == 600);
  CHECK(w.trace_fields_of(0).is_default());
  // Without trace fields and an origin >= 0 the column is not made.
  Workload plain = two_jobs(1000, 1500);
  tr::rebase_to_first_submit(plain, issues);
  CHECK(plain.trace_fields.empty());
  // An origin before 0 moves the default window (0) too: every job's window
  // opens at the old time 0, as the rebase has always done.
  Workload early = two_jobs(-100, 50);
  tr::rebase_to_first_submit(early, issues);
  REQUIRE(early.trace_fields.size() == 2);
  CHECK(early.jobs[0].submit == 0);
  CHECK(early.trace_fields_of(0).earliest_start == 100);
  CHECK(early.trace_fields_of(1).earliest_start == 100);
  CHECK(std::isnan(early.trace_fields_of(1).recorded_start));
}

// The CSV scanner's reading through its one buffer (workloads/csv_scanner.*):
// records cut by the buffer's end, a quoted line end across it, and a record
// longer than the buffer, checked against the text the test wrote.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "tests/scratch_dir.h"
#include "sim/error.h"
#include "workloads/csv_scanner.h"
#include "workloads/csv_trace.h"
#include "workloads/trace_reader.h"

using namespace fastgpu;
using fastgpu::testing::ScratchDir;

TEST_CASE("csv scanner: records across the buffer's end, quoted line ends, and a record longer than the buffer") {
  ScratchDir dir("csv_scanner");
  const std::string path = (dir.path() / "big.csv").string();
  // 60,000 records of 3 fields, every tenth with a quoted line end, about
  // 2.4 MB, and record 30,000 with a 1.5 MB field: the 1 MiB buffer ends
  // inside records many times and has to grow once.
  const std::size_t n = 60000, long_row = 30000, long_bytes = 1500000;
  auto pad = [](std::size_t i) { return std::string(20 + i % 17, static_cast<char>('a' + i % 26)); };
  {
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = 0; i < n; ++i) {
      out << i << ',' << (i == long_row ? std::string(long_bytes, 'L') : pad(i)) << ',';
      if (i % 10 == 0)
        out << "\"q\nx,\"\"y\"\"\"";  // a quoted line end, a separator and escaped quotes
      else
        out << "end";
      out << (i % 7 == 0 ? "\r\n" : "\n");
    }
  }
  CsvScanner csv(path);
  std::size_t line = 1;
  for (std::size_t i = 0; i < n; ++i) {
    INFO("record " << i);
    REQUIRE(csv.next());
    REQUIRE(csv.fields().size() == 3);
    CHECK(csv.fields()[0] == std::to_string(i));
    if (i == long_row)
      CHECK(csv.fields()[1] == std::string(long_bytes, 'L'));
    else
      CHECK(csv.fields()[1] == pad(i));
    CHECK(csv.fields()[2] == (i % 10 == 0 ? "q\nx,\"y\"" : "end"));
    CHECK(csv.line() == line);
    line += i % 10 == 0 ? 2 : 1;
    CHECK_FALSE(csv.at_unterminated_end());
  }
  CHECK_FALSE(csv.next());
  CHECK(csv.offset() == csv.file_size());
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  CHECK(csv.file_size() == static_cast<std::uint64_t>(in.tellg()));
}

TEST_CASE("csv scanner: a record is ASCII only when every byte is, wherever the byte lies") {
  ScratchDir dir("csv_scanner");
  const std::string path = (dir.path() / "ascii.csv").string();
  // Records of 5, 12 and 40 bytes (the byte loop, the eight-byte loop and the
  // sixteen-byte blocks), all ASCII, then each with a byte >= 0x80 near its
  // end (the bytes just after a record may be looked at with it, so the
  // ASCII records come first, followed by an ASCII one), then an e-acute
  // (valid UTF-8, not ASCII) and a quoted record.
  const std::string short_row = "a,b,c", mid_row = "abcd,efgh,ij", long_row(40, 'x');
  auto spoilt = [](std::string s) {
    s[s.size() - 2] = '\xff';
    return s;
  };
  {
    std::ofstream out(path, std::ios::binary);
    for (const std::string& r : {short_row, mid_row, long_row}) out << r << '\n';
    out << std::string(20, 'p') << '\n';
    for (const std::string& r : {short_row, mid_row, long_row}) out << spoilt(r) << '\n';
    out << "caf\xc3\xa9,1\n\"q\",2\n";
  }
  CsvScanner csv(path);
  for (int k = 0; k < 3; ++k) {
    INFO("ASCII row " << k);
    REQUIRE(csv.next());
    CHECK(csv.record_is_ascii());
  }
  REQUIRE(csv.next());  // the ASCII row before the spoilt ones: either answer is right
  for (int k = 0; k < 3; ++k) {
    INFO("spoilt row " << k);
    REQUIRE(csv.next());
    CHECK_FALSE(csv.record_is_ascii());
  }
  REQUIRE(csv.next());
  CHECK_FALSE(csv.record_is_ascii());
  CHECK(csv.fields()[0] == "caf\xc3\xa9");
  REQUIRE(csv.next());
  CHECK_FALSE(csv.record_is_ascii());  // quoted: not looked at, so not known
  CHECK_FALSE(csv.next());
}

TEST_CASE("csv trace: invalid UTF-8 in an unquoted cell of a long row names its line and field") {
  ScratchDir dir("csv_scanner");
  const std::string path = (dir.path() / "bad.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,submit,num_gpus,work,user\n1,0,1,10,alice\n2,0.5,1,10.25,bob-with-a-long-name-\xff-here\n";
  }
  Workload w;
  TraceReadReport report;
  try {
    read_csv_trace({path}, TraceReadOptions{}, w, report);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.where().line == 3);
    CHECK(e.where().field == "user");
    CHECK(std::string(e.what()).find("invalid UTF-8 at byte 22 of the field") != std::string::npos);
  }
}

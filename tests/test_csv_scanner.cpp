// The CSV scanner's reading through its one buffer (workloads/csv_scanner.*):
// records cut by the buffer's end, a quoted line end across it, and a record
// longer than the buffer, checked against the text the test wrote.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "tests/scratch_dir.h"
#include "workloads/csv_scanner.h"

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

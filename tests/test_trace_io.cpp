// Plumbing shared by the trace readers: dates and time zones, UTF-8 checks,
// CSV splitting, the line reader, and the streaming JSON parser. Expected
// epoch values are from Python's calendar.timegm / zoneinfo.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/trace_fixtures.h"
#include "workloads/json_stream.h"
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
  std::vector<std::string_view> f;
  std::deque<std::string> scratch;
  REQUIRE(tr::split_csv("a,\"b,c\",\"say \"\"hi\"\"\",,", ',', f, scratch));
  REQUIRE(f.size() == 5);
  CHECK(f[1] == "b,c");
  CHECK(f[2] == "say \"hi\"");
  CHECK(f[3].empty());
  CHECK(f[4].empty());
  CHECK_FALSE(tr::split_csv("a,\"b", ',', f, scratch));
  tr::split_whitespace("  1 \t 2   3 ", f);
  CHECK(f == std::vector<std::string_view>{"1", "2", "3"});
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

TEST_CASE("json_stream: values, escapes and locations") {
  TempDir dir;
  std::string path = dir.write("v.json",
                               "[\n {\"a\": [1, -2.5e1, true, false, null],\n  \"s\": \"x\\u00e9\\ud83d\\ude00\\n\"},\n"
                               " \"tail\"\n]\n");
  json::Stream in(path);
  json::Value v;
  REQUIRE(in.next(v));
  CHECK(in.top_level_array());
  REQUIRE(v.is_object());
  CHECK(v.line == 2);
  const json::Value* a = v.find("a");
  REQUIRE(a);
  REQUIRE(a->items.size() == 5);
  CHECK(a->items[1].number == -25);
  CHECK(a->items[2].boolean);
  CHECK(a->items[4].is_null());
  CHECK(v.find("s")->text == "x\xc3\xa9\xf0\x9f\x98\x80\n");
  CHECK(v.find("missing") == nullptr);
  REQUIRE(in.next(v));
  CHECK(v.text == "tail");
  CHECK(v.line == 4);
  CHECK_FALSE(in.next(v));
  CHECK_FALSE(in.next(v));

  auto error_of = [&](const std::string& text) {
    json::Stream s(dir.write("e.json", text));
    json::Value x;
    try {
      while (s.next(x)) {
      }
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of("{\"a\": \"unterminated\n}").find("control character") != std::string::npos);
  CHECK(error_of("{\"a\": \"\\ud800\"}").find("surrogate") != std::string::npos);
  CHECK(error_of("{\"a\": \"\\x\"}").find("bad escape") != std::string::npos);
  CHECK(error_of("{\"a\" 1}").find("expected ':'") != std::string::npos);
  CHECK(error_of("{1: 2}").find("member name") != std::string::npos);
  CHECK(error_of("[1 2]").find("expected ','") != std::string::npos);
  CHECK(error_of("[-]").find("malformed number") != std::string::npos);
  CHECK(error_of("[1e999]").find("out of range") != std::string::npos);
  CHECK(error_of("\xef\xbb\xbf[]").find("byte-order") != std::string::npos);
  CHECK(error_of("{\"a\":1}\n{\"b\":2}\n").empty());  // JSON Lines
  CHECK(error_of("").empty());
}

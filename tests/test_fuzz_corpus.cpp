// Every input in fuzz/corpus/ (the seeds, and every input a fuzzing campaign
// once found crashing, kept there as its regression test) replayed through
// the harness bodies of fuzz/: each must be read or refused with the
// expected error (InputError, EtcParseError), with no other exception and,
// in the sanitizer build, no sanitizer report.
#include "source_paths.h"
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/baseline_harness.h"
#include "fuzz/config_harness.h"
#include "fuzz/etc_harness.h"
#include "fuzz/trace_harness.h"

namespace fs = std::filesystem;

namespace {

// The bytes of every file of fuzz/corpus/<harness>/, sorted by name.
std::vector<std::pair<std::string, std::string>> corpus(const std::string& harness) {
  std::vector<std::pair<std::string, std::string>> out;
  const fs::path dir = fs::path(fastgpu::test::source_dir()) / "fuzz/corpus" / harness;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    out.emplace_back(e.path().filename().string(), std::string(std::istreambuf_iterator<char>(in), {}));
  }
  std::sort(out.begin(), out.end());
  return out;
}

const auto* bytes(const std::string& s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

}  // namespace

TEST_CASE("fuzz corpus: every trace input is read or refused with an InputError") {
  const std::pair<const char*, int> readers[] = {{"philly", 1}, {"alibaba2020", 2}, {"alibaba2023", 1}, {"helios", 1},
                                                 {"swf", 1},    {"gavel", 1},       {"tiresias", 1},    {"csv", 1}};
  std::size_t files = 0;
  for (const auto& [format, n] : readers) {
    for (const auto& [name, text] : corpus(std::string("trace_") + format)) {
      CAPTURE(format);
      CAPTURE(name);
      CHECK_NOTHROW(fastgpu::fuzz::run_trace_reader(format, bytes(text), text.size(), n));
      ++files;
    }
  }
  CHECK(files >= 8);  // at least one seed per reader
}

TEST_CASE("fuzz corpus: every config, ETC and baseline input is read or refused") {
  for (const auto& [name, text] : corpus("config")) {
    CAPTURE(name);
    CHECK_NOTHROW(fastgpu::fuzz::run_config_reader(bytes(text), text.size()));
  }
  for (const auto& [name, text] : corpus("etc")) {
    CAPTURE(name);
    CHECK_NOTHROW(fastgpu::fuzz::run_etc_reader(bytes(text), text.size()));
  }
  for (const auto& [name, text] : corpus("baseline")) {
    CAPTURE(name);
    CHECK_NOTHROW(fastgpu::fuzz::run_baseline_reader(bytes(text), text.size()));
  }
}

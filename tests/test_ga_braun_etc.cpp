// Braun et al.'s range-based ETC generator: the ranges and the consistency of
// each class, determinism by seed, the file text read back unchanged, and
// `fastgpu gen-etc` end to end.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "policies/ga/braun_etc.h"
#include "policies/ga/etc_io.h"
#include "tests/scratch_dir.h"

using namespace fastgpu::ga;

TEST_CASE("braun etc: twelve classes with their names, parsed back") {
  std::set<std::string> names;
  for (const BraunClass& c : braun_classes()) {
    names.insert(c.name());
    CHECK(parse_braun_class(c.name()).name() == c.name());
  }
  CHECK(names.size() == 12);
  CHECK(names.count("u_c_hihi") == 1);
  CHECK(names.count("u_s_lohi") == 1);
  CHECK(names.count("u_i_lolo") == 1);
  CHECK_THROWS_AS(parse_braun_class("u_x_hihi"), std::invalid_argument);
  CHECK_THROWS_AS(parse_braun_class("u_c_hi"), std::invalid_argument);
}

TEST_CASE("braun etc: ranges, one decimal and consistency of every class") {
  for (const BraunClass& c : braun_classes()) {
    INFO(c.name());
    const std::uint32_t T = 64, M = 16;
    const std::vector<double> etc = braun_etc(c, 5, T, M);
    REQUIRE(etc.size() == std::size_t(T) * M);
    const double top = (c.task_hi ? 3000.0 : 100.0) * (c.machine_hi ? 1000.0 : 10.0);
    double largest = 0;
    for (double v : etc) {
      CHECK(v >= 1.0);
      CHECK(v <= top);
      CHECK(std::round(v * 10) / 10 == v);
      largest = std::max(largest, v);
    }
    // With 1024 draws, the largest value is well above a tenth of the range's top.
    CHECK(largest > top / 10);
    int unsorted_rows = 0;
    for (std::uint32_t t = 0; t < T; ++t) {
      const double* row = etc.data() + std::size_t(t) * M;
      bool even_sorted = true, all_sorted = true;
      for (std::uint32_t m = 2; m < M; m += 2) even_sorted = even_sorted && row[m - 2] <= row[m];
      for (std::uint32_t m = 1; m < M; ++m) all_sorted = all_sorted && row[m - 1] <= row[m];
      if (c.consistency == Consistency::consistent) CHECK(all_sorted);
      if (c.consistency == Consistency::semi_consistent) CHECK(even_sorted);
      unsorted_rows += all_sorted ? 0 : 1;
    }
    // Semi-consistent and inconsistent rows are (almost surely) not sorted.
    if (c.consistency != Consistency::consistent) CHECK(unsorted_rows > T / 2);
  }
}

TEST_CASE("braun etc: a seed gives one instance; the text reads back unchanged") {
  const BraunClass c = parse_braun_class("u_s_hilo");
  const std::vector<double> a = braun_etc(c, 3), b = braun_etc(c, 3), other = braun_etc(c, 4);
  CHECK(a.size() == 512 * 16);
  CHECK(a == b);
  CHECK(a != other);
  fastgpu::testing::ScratchDir dir("braun");
  dir.write("inst.etc", braun_text(a));
  const EtcFile f = read_braun(dir.file("inst.etc"));
  CHECK(f.spec.tasks == 512);
  CHECK(f.spec.machines == 16);
  CHECK(f.spec.etc == a);
}

TEST_CASE("braun etc: fastgpu gen-etc writes the generator's instance; bad options exit 2 writing nothing") {
  fastgpu::testing::ScratchDir dir("gen-etc");
  const auto r = fastgpu::testing::run_cli(dir, "gen-etc --class u_i_lohi --seed 7 --tasks 20 --machines 4 -o out/i.etc");
  INFO("stderr: ", r.err);
  REQUIRE(r.code == 0);
  const EtcFile f = read_braun(dir.file("out/i.etc"), 20, 4);
  CHECK(f.spec.etc == braun_etc(parse_braun_class("u_i_lohi"), 7, 20, 4));
  for (const char* bad : {"gen-etc --class u_q_hihi -o x.etc", "gen-etc -o x.etc", "gen-etc --class u_c_hihi",
                          "gen-etc --class u_c_hihi --tasks 0 -o x.etc", "gen-etc --class u_c_hihi --seed x -o x.etc"}) {
    const auto b = fastgpu::testing::run_cli(dir, bad);
    INFO(bad, " stderr: ", b.err);
    CHECK(b.code == 2);
    CHECK(b.err.rfind("fastgpu: error: ", 0) == 0);
  }
  CHECK(dir.entries() == std::vector<std::string>{"out"});
}

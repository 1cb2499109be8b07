#include "policies/ga/braun_etc.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sim/stable_random.h"

namespace fastgpu::ga {

namespace {

// U[1, range) from one Philox block (53 bits).
double uniform_from_one(PhiloxKey key, std::uint32_t a, std::uint32_t b, std::uint32_t stream, double range) {
  const PhiloxBlock r = philox_block(key, a, b, stream, 0);
  return 1.0 + uniform53(r.v[0], r.v[1]) * (range - 1.0);
}

}  // namespace

std::string BraunClass::name() const {
  const char* c = consistency == Consistency::consistent ? "c" : consistency == Consistency::semi_consistent ? "s" : "i";
  return std::string("u_") + c + "_" + (task_hi ? "hi" : "lo") + (machine_hi ? "hi" : "lo");
}

std::vector<BraunClass> braun_classes() {
  std::vector<BraunClass> out;
  for (Consistency c : {Consistency::consistent, Consistency::semi_consistent, Consistency::inconsistent})
    for (bool th : {true, false})
      for (bool mh : {true, false}) out.push_back({c, th, mh});
  return out;
}

BraunClass parse_braun_class(const std::string& name) {
  for (const BraunClass& c : braun_classes())
    if (c.name() == name) return c;
  throw std::invalid_argument("unknown Braun class '" + name +
                              "' (u_X_YYZZ: X = c, s or i; YY, ZZ = hi or lo, e.g. u_c_hihi)");
}

std::vector<double> braun_etc(const BraunClass& c, std::uint64_t seed, std::uint32_t tasks, std::uint32_t machines) {
  const PhiloxKey key = philox_key(seed);
  // Each class has its own streams, so classes with one seed are independent draws.
  const std::uint32_t cls = static_cast<std::uint32_t>(c.consistency) * 4u + (c.task_hi ? 0u : 2u) + (c.machine_hi ? 0u : 1u);
  const double r_task = c.task_hi ? 3000.0 : 100.0;
  const double r_machine = c.machine_hi ? 1000.0 : 10.0;
  std::vector<double> etc(std::size_t(tasks) * machines);
  std::vector<double> even;
  for (std::uint32_t t = 0; t < tasks; ++t) {
    const double baseline = uniform_from_one(key, t, 0xFFFFFFFFu, 2 * cls, r_task);
    double* row = etc.data() + std::size_t(t) * machines;
    for (std::uint32_t m = 0; m < machines; ++m)
      row[m] = std::round(baseline * uniform_from_one(key, t, m, 2 * cls + 1, r_machine) * 10.0) / 10.0;
    if (c.consistency == Consistency::consistent) {
      std::sort(row, row + machines);
    } else if (c.consistency == Consistency::semi_consistent) {
      even.clear();
      for (std::uint32_t m = 0; m < machines; m += 2) even.push_back(row[m]);
      std::sort(even.begin(), even.end());
      for (std::uint32_t m = 0, i = 0; m < machines; m += 2, ++i) row[m] = even[i];
    }
  }
  return etc;
}

std::string braun_text(const std::vector<double>& etc) {
  std::string out;
  out.reserve(etc.size() * 10);
  char buf[64];
  for (double v : etc) {
    std::snprintf(buf, sizeof buf, "%.1f\n", v);
    out += buf;
  }
  return out;
}

}  // namespace fastgpu::ga

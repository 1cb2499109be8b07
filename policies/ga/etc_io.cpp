#include "policies/ga/etc_io.h"

#include "sim/parse_number.h"

#include <cmath>
#include <fstream>
#include <string_view>
#include <vector>

namespace fastgpu::ga {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_double(std::string_view s, double& out) {
  return parse_number(trim(s), out, {.plus = true}) == NumberError::none;
}

std::ifstream open(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw EtcParseError(path, 0, "", "cannot open ETC file");
  return in;
}

double checked_time(const std::string& path, std::size_t line, const std::string& field, std::string_view cell) {
  double v = 0;
  if (!parse_double(cell, v))
    throw EtcParseError(path, line, field, "expected a number, got '" + std::string(trim(cell)) + "'");
  if (!std::isfinite(v) || v < 0)
    throw EtcParseError(path, line, field, "time must be finite and >= 0, got '" + std::string(trim(cell)) + "'");
  return v;
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

void default_names(EtcFile& f) {
  f.task_names.resize(f.spec.tasks);
  for (std::uint32_t t = 0; t < f.spec.tasks; ++t) f.task_names[t] = std::to_string(t);
  f.machine_names.resize(f.spec.machines);
  for (std::uint32_t m = 0; m < f.spec.machines; ++m) {
    f.machine_names[m] = "m";  // appended, not "m" + ...: g++ 12 warns (-Wrestrict) on that spuriously
    f.machine_names[m] += std::to_string(m);
  }
}

}  // namespace

EtcFile read_braun(const std::string& path, std::uint32_t tasks, std::uint32_t machines) {
  std::ifstream in = open(path);
  EtcFile f;
  std::string line;
  std::size_t lineno = 0;
  std::vector<double>& v = f.spec.etc;
  while (std::getline(in, line)) {
    ++lineno;
    if (trim(line).empty()) continue;
    v.push_back(checked_time(path, lineno, "value", line));
  }
  const std::size_t n = v.size();
  if (n == 0) throw EtcParseError(path, 0, "", "no values");
  if (tasks == 0 && machines == 0) {
    if (n != 512 * 16)
      throw EtcParseError(path, 0, "", std::to_string(n) +
                                           " values: give the number of tasks and machines (only 8192 values "
                                           "imply the standard 512 x 16)");
    tasks = 512;
    machines = 16;
  } else if (tasks == 0) {
    if (n % machines) throw EtcParseError(path, 0, "", std::to_string(n) + " values do not divide into " +
                                                           std::to_string(machines) + " machines");
    tasks = static_cast<std::uint32_t>(n / machines);
  } else if (machines == 0) {
    if (n % tasks) throw EtcParseError(path, 0, "", std::to_string(n) + " values do not divide into " +
                                                        std::to_string(tasks) + " tasks");
    machines = static_cast<std::uint32_t>(n / tasks);
  }
  if (std::size_t(tasks) * machines != n)
    throw EtcParseError(path, 0, "", std::to_string(n) + " values, expected " + std::to_string(tasks) + " x " +
                                         std::to_string(machines) + " = " +
                                         std::to_string(std::size_t(tasks) * machines));
  f.spec.tasks = tasks;
  f.spec.machines = machines;
  default_names(f);
  return f;
}

EtcFile read_etc_csv(const std::string& path) {
  std::ifstream in = open(path);
  EtcFile f;
  std::string line;
  std::size_t lineno = 0;
  bool header_seen = false, has_header = false, has_width = false;
  std::size_t M = 0;
  std::vector<double> ready;
  std::size_t ready_line = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view s = trim(line);
    if (s.empty() || s.front() == '#') continue;
    std::vector<std::string_view> cells = split(s);
    if (!header_seen) {
      header_seen = true;
      if (cells[0] == "task") {
        has_header = true;
        std::size_t first = 1;
        if (cells.size() > 1 && cells[1] == "gpus") {
          has_width = true;
          first = 2;
        }
        for (std::size_t i = first; i < cells.size(); ++i) {
          if (cells[i].empty()) throw EtcParseError(path, lineno, "header", "empty machine name in column " +
                                                                                std::to_string(i + 1));
          f.machine_names.emplace_back(cells[i]);
        }
        M = f.machine_names.size();
        if (M == 0) throw EtcParseError(path, lineno, "header", "no machine columns");
        continue;
      }
      M = cells.size();
    }
    const std::size_t first = has_header ? (has_width ? 2 : 1) : 0;
    if (cells.size() != first + M)
      throw EtcParseError(path, lineno, "", std::to_string(cells.size()) + " cells, expected " +
                                                std::to_string(first + M));
    auto field = [&](std::size_t i) {
      return has_header ? f.machine_names[i - first] : "column " + std::to_string(i + 1);
    };
    if (has_header && cells[0] == "ready") {
      if (ready_line) throw EtcParseError(path, lineno, "task", "second 'ready' row (first on line " +
                                                                    std::to_string(ready_line) + ")");
      ready_line = lineno;
      if (has_width && !cells[1].empty()) throw EtcParseError(path, lineno, "gpus", "the ready row has no gpus");
      for (std::size_t i = first; i < cells.size(); ++i) ready.push_back(checked_time(path, lineno, field(i), cells[i]));
      continue;
    }
    if (has_header) {
      f.task_names.emplace_back(cells[0]);
      if (has_width) {
        double w = 0;
        if (!parse_double(cells[1], w) || w < 1 || w != std::floor(w) || w > 1e6)
          throw EtcParseError(path, lineno, "gpus", "expected a whole number >= 1, got '" + std::string(cells[1]) +
                                                        "'");
        f.spec.width.push_back(static_cast<std::uint32_t>(w));
      }
    }
    for (std::size_t i = first; i < cells.size(); ++i) f.spec.etc.push_back(checked_time(path, lineno, field(i), cells[i]));
    if (f.spec.etc.size() / M > 0xFFFFFFFFu) throw EtcParseError(path, lineno, "", "too many tasks");
  }
  if (M == 0) throw EtcParseError(path, 0, "", "no data");
  f.spec.machines = static_cast<std::uint32_t>(M);
  f.spec.tasks = static_cast<std::uint32_t>(f.spec.etc.size() / M);
  f.spec.ready = std::move(ready);
  for (std::size_t t = 0; t < f.spec.width.size(); ++t)
    if (f.spec.width[t] > M)
      throw EtcParseError(path, 0, "gpus", "task '" + f.task_names[t] + "' needs " + std::to_string(f.spec.width[t]) +
                                               " machines, the instance has " + std::to_string(M));
  if (!has_header) default_names(f);
  else if (f.machine_names.empty()) default_names(f);
  return f;
}

}  // namespace fastgpu::ga

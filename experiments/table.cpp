#include "experiments/table.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu::experiments {

void Table::add_column(std::string header, Align align) {
  headers_.push_back(std::move(header));
  align_.push_back(align);
}

void Table::add_row(std::vector<std::string> cells) {
  if (cells.size() != headers_.size()) {
    throw InternalError(fmt::format("table row has {} cells for {} columns", cells.size(), headers_.size()));
  }
  rows_.push_back(std::move(cells));
}

std::string Table::render() const {
  std::vector<std::size_t> width(headers_.size());
  for (std::size_t c = 0; c < headers_.size(); ++c) {
    width[c] = headers_[c].size();
    for (const auto& row : rows_) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) l += "  ";
      if (align_[c] == Align::left) {
        l += fmt::format("{:<{}}", cells[c], width[c]);
      } else {
        l += fmt::format("{:>{}}", cells[c], width[c]);
      }
    }
    l.erase(l.find_last_not_of(' ') + 1);
    out += l + "\n";
  };
  line(headers_);
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows_) line(row);
  return out;
}

std::string format_number(double v, int decimals) {
  if (std::isnan(v)) return "-";
  return fmt::format("{:.{}f}", v, decimals);
}

std::string format_count(double v) {
  if (std::isnan(v)) return "-";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.1f}", v);
}

}  // namespace fastgpu::experiments

#pragma once
// A plain-text table with aligned columns, for the CLI's stdout. Headers carry
// their units ("makespan (s)"); cells are preformatted strings.
#include <string>
#include <vector>

namespace fastgpu::experiments {

class Table {
 public:
  enum class Align { left, right };

  void add_column(std::string header, Align align = Align::right);
  // One cell per column; throws InternalError on a wrong count.
  void add_row(std::vector<std::string> cells);
  std::size_t rows() const { return rows_.size(); }

  // Header, a rule of dashes, then the rows; columns separated by two spaces,
  // no trailing blanks, every line ending in '\n'.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// Number formatting shared by the tables: fixed `decimals`, "-" for NaN.
std::string format_number(double v, int decimals);
// A count: an integer when `v` is whole, else one decimal (a mean over seeds).
std::string format_count(double v);

}  // namespace fastgpu::experiments

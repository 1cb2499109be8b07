#pragma once
// A results file as tidy CSV tables (one observation per row, one variable per
// column, labels rather than codes) for R, pandas or a spreadsheet:
//   summary.csv            one row per run: policy, workload, seed, the sweep values, every summary metric
//   jobs.csv               one row per job of every run: policy, workload, seed, then the job's record
//   timeseries.csv         one row per monitor sample of every run
//   baseline_verdicts.csv  the paired comparisons of `compare --baseline`, when the file has them
// Columns and units: docs/report.md. Missing values (a job that never
// started, no deadline) are empty cells.
#include <cstddef>
#include <string>
#include <vector>

namespace fastgpu {

struct CsvExportResult {
  std::vector<std::string> files;  // written, in the order above
  std::size_t runs = 0, jobs = 0, samples = 0;
};

// Reads `results` (docs/hdf5-schema.md) and writes the tables into `dir`
// (created when missing). Each file is written to a temporary file and
// renamed when complete, so it is the previous file or a whole new one.
// InputError naming the file on unreadable input or an unwritable `dir`.
CsvExportResult export_results_csv(const std::string& results, const std::string& dir);

// One CSV field: quoted (with doubled quotes) when it holds a comma, a quote,
// a line break or leading/trailing spaces.
std::string csv_field(const std::string& text);

}  // namespace fastgpu

#pragma once
// Reads back what write_results (results_io/hdf5_writer.h) wrote: the /summary table
// and the per-run tables. Used by tests and by the `regress` command. Every
// failure (missing file, not HDF5, missing run or table) is an InputError
// naming the file.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/run_result.h"

namespace fastgpu {

// One row of the /summary table.
struct SummaryRow {
  std::string policy;
  std::string workload;
  std::uint64_t seed = 0;
  std::map<std::string, double> metrics;  // every numeric column (summary_fields names) by name
  std::map<std::string, std::string> sweep;  // "sweep.<key>" text columns by key (RunResult::sweep)
};

// The /summary table, in file order (= the order the runs were written in).
std::vector<SummaryRow> read_summary_table(const std::string& path);

// The `jobs` table of one run, as JobRecords (in Workload::jobs order).
std::vector<JobRecord> read_job_records(const std::string& path, const std::string& policy,
                                        const std::string& workload, std::uint64_t seed);

// The `reject_reason_text` column of one run's `jobs` table: the reason each
// job was rejected, empty for a job that was not.
std::vector<std::string> read_reject_reason_texts(const std::string& path, const std::string& policy,
                                                  const std::string& workload, std::uint64_t seed);

// The root attribute `gpu_type_names` (the GPU type of index i is element i);
// empty for a file written without it.
std::vector<std::string> read_gpu_type_names(const std::string& path);

// The `timeseries` table of one run.
std::vector<TimeSample> read_timeseries(const std::string& path, const std::string& policy,
                                        const std::string& workload, std::uint64_t seed);

// The `vcs` table of one run (runs on a cluster with [[cluster.vcs]] only).
std::vector<VcSummary> read_vc_summaries(const std::string& path, const std::string& policy,
                                         const std::string& workload, std::uint64_t seed);

}  // namespace fastgpu

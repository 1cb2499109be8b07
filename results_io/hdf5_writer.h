#pragma once
// Writes the results of an experiment (one or more runs) to one HDF5 file, in
// the layout of docs/hdf5-schema.md. The file is written to a unique temporary
// file next to PATH and renamed to PATH only when complete (sim/output_file.h),
// so PATH is either the previous file or a complete new one, never a
// half-written one.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "results_io/baseline_verdicts.h"
#include "sim/run_result.h"

namespace fastgpu {

// The deflate level of the tables (HDF5's deflate filter, written by ISA-L's
// igzip): 0 stores the chunks shuffled but not deflated; 1..3 are igzip's
// levels. Level 1 is the fastest that deflates: on the per-job tables about
// 13 times smaller than no deflate, for about 0.07 us per job; levels 2 and 3
// are no smaller there and 3 is much slower (docs/performance.md, "HDF5 output").
constexpr int kDefaultDeflateLevel = 1;
constexpr int kMaxDeflateLevel = 3;  // igzip's highest level

// Root attributes describing the experiment, and how the tables are stored.
struct ResultsFileMeta {
  std::string experiment;   // experiment name (config's name, or the CLI's)
  std::string config_path;  // path of the config file as given; may be empty
  std::string config_text;  // full text of the config, to reproduce the run
  std::vector<std::string> gpu_type_names;  // the cluster's GPU types, in index order (JobRecord::gpu_type)
  // Summaries only: each run's group keeps its attributes (the summary, the
  // parameters) and its per-GPU and per-type accounting, but not the per-job
  // tables (jobs, job_gpus, job_gpus_offset) nor the time series, which are
  // most of the bytes and of the writing time of a large run. The root
  // attribute summary_only = 1 marks such a file.
  bool summary_only = false;
  int deflate_level = kDefaultDeflateLevel;  // 0..kMaxDeflateLevel; anything else is an InputError
};

// Writes `runs` (in the given order; the caller sorts) to `path`, creating its
// parent directory when missing. The summaries must already be computed
// (compute_summary). Throws InputError when the path cannot be created or
// renamed or written (a full disk), or PATH is not a regular file;
// InternalError when two runs share policy, workload and seed or a
// RunResult is inconsistent;
// on every error the temporary file is removed. Not safe to call from two
// threads at once on the same path.
void write_results(const std::string& path, const ResultsFileMeta& meta, const std::vector<RunResult>& runs);

// The same file written run by run, so that a sweep's results are written
// (and compressed) while later runs still execute: add() each run in order,
// then finish() with every run (only their identity, summary and sweep values
// are read then: the per-job and time-series data may have been dropped after
// add). The bytes equal write_results' for the same runs. Errors as for
// write_results; destroyed before finish(), it removes the temporary file.
// One thread at a time.
class ResultsWriter {
 public:
  ResultsWriter(const std::string& path, const ResultsFileMeta& meta);
  ~ResultsWriter();
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  void add(const RunResult& run);
  // `verdicts`: the paired comparisons with a baseline (`compare --baseline`),
  // stored as /baseline_verdicts; none, no table.
  void finish(const std::vector<RunResult>& runs, const std::vector<BaselineVerdict>& verdicts = {});

 private:
  struct File;
  template <class F>
  void guarded(F&& f);
  void abandon();

  std::string path_;
  std::unique_ptr<File> file_;
};

// HDF5 path of a run's group: "/runs/<policy>/<workload>/seed-<seed>". Names
// are escaped to be valid link names: '%' -> "%25", '/' -> "%2F", and a name
// that is empty or only dots has every character escaped ("" -> "%00"). The
// unescaped names are attributes of the group.
std::string run_group_path(const std::string& policy, const std::string& workload, std::uint64_t seed);

}  // namespace fastgpu

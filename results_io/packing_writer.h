#pragma once
// Writes the runs of a packing experiment to HDF5 (docs/hdf5-schema.md,
// "Packing results"): per run the curves against arrived workload, and one
// /packing_summary row per run with the values at 100 % and at the end. The
// file is written as PATH.tmp and renamed when complete.
#include <string>
#include <vector>

#include "results_io/hdf5_writer.h"
#include "sim/packing_run.h"

namespace fastgpu {

void write_packing_results(const std::string& path, const ResultsFileMeta& meta,
                           const std::vector<PackingRunResult>& runs);

}  // namespace fastgpu

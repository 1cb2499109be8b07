#pragma once
// Writing /baseline_verdicts into a results file being written
// (results_io/hdf5_writer.cpp); reading is results_io/baseline_verdicts.h.
#include <vector>

#include "results_io/baseline_verdicts.h"
#include "results_io/hdf5_common.h"

namespace fastgpu::h5 {

inline constexpr const char* kBaselineVerdictsDataset = "/baseline_verdicts";

// One compound row per verdict: the text columns as fixed-length strings as
// long as their longest value, the numbers as float64 (pairs as uint64).
// Nothing is written for no rows. Throws h5::Error.
void write_baseline_verdicts(hid_t file, const std::vector<BaselineVerdict>& rows);

}  // namespace fastgpu::h5

#pragma once
// The runs of an experiment spread over the ranks of an MPI job, with dynamic
// work distribution: runs differ a lot in length (policies, loads, cluster
// sizes), so a static split would leave ranks idle while one finishes.
//
// Rank 0 hands out run indexes (in execution_order, so that consecutive runs
// of a rank tend to share a workload) one at a time to whichever worker asks
// next, and collects the results, serialized with results_io/run_result_codec.h, into
// their run index. Rank 0 also runs simulations itself on its own threads
// (its dispatching is a thread that sleeps between polls), so `mpirun -n 2`
// gives two workers, not one. Each rank runs `threads` simulations at once
// (RunnerOptions::threads; 0 means 1 under MPI, since one rank per core is
// the usual layout). The results are the same values, in the same order, as
// run_experiment's, so rank 0 writes the same HDF5 file as one process would.
#include <optional>
#include <vector>

#include "experiments/experiment_runner.h"
#include "experiments/mpi_world.h"

namespace fastgpu::experiments {

// Called by every rank of `world` with the same config and runs (checked with
// validate_runs on every rank before). Returns the results in the order of
// `runs` on rank 0 and nullopt on the other ranks. A run that fails on any
// rank stops the handing out of new runs; once every rank is idle, rank 0
// throws the error of the lowest failing run index (InputError or
// InternalError, as thrown where it failed), the other ranks return nullopt.
std::optional<std::vector<RunResult>> run_experiment_mpi(const MpiWorld& world, const ExperimentConfig& config,
                                                         const std::vector<RunSpec>& runs,
                                                         const RunnerOptions& options);

}  // namespace fastgpu::experiments

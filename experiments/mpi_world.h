#pragma once
// The MPI job a `fastgpu compare` process belongs to, when an MPI launcher
// (mpirun, mpiexec, srun) started it with more than one rank. Without MPI at
// build time (FASTGPU_HAVE_MPI) or outside a launcher this is a world of one
// process, and MPI is never initialised, so a plain `fastgpu compare` pays
// nothing for it.
#include <string>

namespace fastgpu::experiments {

class MpiWorld {
 public:
  // Initialises MPI (thread level MPI_THREAD_SERIALIZED requested) when the
  // environment says an MPI launcher started this process with more than one
  // rank. A build without MPI throws InputError in that case instead: every
  // rank would run the whole experiment and write the same file.
  MpiWorld();
  ~MpiWorld();  // MPI_Finalize when this object initialised MPI
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  bool distributed() const { return size_ > 1; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Whether threads other than the one that made this object may call MPI
  // (one at a time): MPI_THREAD_SERIALIZED was granted.
  bool serialized_threads() const { return serialized_; }

  // Every rank calls this with whether its own setup succeeded (and the
  // error's exit code 2 = bad input / 1 = internal, and message). Returns
  // normally when all succeeded; otherwise every rank throws the error of the
  // lowest failing rank (InputError for code 2, InternalError else), so rank 0
  // reports it and no rank waits for another that gave up. No-op when not
  // distributed.
  void agree(bool ok, int code = 0, const std::string& message = {}) const;

  // Ends the whole MPI job after an unrecoverable error inside the
  // distributed protocol (prints `message` on stderr first). Never returns.
  [[noreturn]] void abort(const std::string& message) const;

 private:
  int rank_ = 0, size_ = 1;
  bool initialised_ = false, serialized_ = false;
};

// The number of ranks an MPI launcher announced in the environment
// (OMPI_COMM_WORLD_SIZE from Open MPI, PMI_SIZE from MPICH, Intel MPI and
// Slurm's PMI2), -1 when a launcher is present but gives no size (PMIx: srun
// --mpi=pmix sets PMIX_RANK), 0 when no launcher started this process.
int launcher_world_size();
// This process's rank as announced by the launcher (0 when none).
int launcher_rank();

}  // namespace fastgpu::experiments

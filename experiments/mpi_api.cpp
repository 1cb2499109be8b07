#include "experiments/mpi_api.h"

#include "sim/module_loader.h"

namespace fastgpu::experiments {

const MpiApi& mpi_api() {
  // Global: Open MPI's own plugins resolve MPI's symbols through it.
  return module_table<MpiApi>("libfastgpu_mpi.so", kMpiApiSymbol, /*global=*/true, "a run under an MPI launcher");
}

}  // namespace fastgpu::experiments

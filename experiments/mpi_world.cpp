#include "experiments/mpi_world.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/error.h"

#ifdef FASTGPU_HAVE_MPI
#include "experiments/mpi_api.h"
#endif

namespace fastgpu::experiments {

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return (*end == '\0' && n >= 0 && n < (1L << 30)) ? static_cast<int>(n) : fallback;
}

}  // namespace

int launcher_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const int n = env_int(name, -1);
    if (n >= 0) return n;
  }
  return std::getenv("PMIX_RANK") ? -1 : 0;
}

int launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
    const int r = env_int(name, -1);
    if (r >= 0) return r;
  }
  return 0;
}

#ifdef FASTGPU_HAVE_MPI

MpiWorld::MpiWorld() {
  const int announced = launcher_world_size();
  if (announced == 0 || announced == 1) return;  // not launched by MPI, or one rank: run locally
  int serialized = 0;
  initialised_ = mpi_api().start(&serialized, &rank_, &size_) != 0;
  serialized_ = serialized != 0;
}

MpiWorld::~MpiWorld() {
  if (initialised_) mpi_api().finish();
}

void MpiWorld::agree(bool ok, int code, const std::string& message) const {
  if (!distributed()) {
    if (ok) return;
    if (code == 2) throw InputError(message);
    throw InternalError(message);
  }
  // The lowest failing rank (size_ when none) tells everyone its error.
  const int first = mpi_api().allreduce_min(ok ? size_ : rank_);
  if (first == size_) return;
  int header[2] = {code, static_cast<int>(message.size())};
  mpi_api().bcast(header, sizeof header, first);
  std::string text = rank_ == first ? message : std::string(static_cast<std::size_t>(header[1]), '\0');
  mpi_api().bcast(text.data(), header[1], first);
  if (first != 0 && rank_ == 0) text = fmt::format("on MPI rank {}: {}", first, text);
  if (header[0] == 2) throw InputError(text);
  throw InternalError(text);
}

void MpiWorld::abort(const std::string& message) const {
  fmt::print(stderr, "fastgpu: internal error on MPI rank {}: {}\n", rank_, message);
  std::fflush(stderr);
  mpi_api().abort();
  std::abort();  // MPI_Abort does not return; keeps [[noreturn]] honest
}

#else  // no MPI at build time

MpiWorld::MpiWorld() {
  const int announced = launcher_world_size();
  if (announced == 0 || announced == 1) return;
  // compare_command lets only rank 0 print this; the others end quietly.
  throw InputError(fmt::format("this fastgpu was built without MPI, but an MPI launcher started it with {} ranks: "
                               "every rank would run the whole experiment (install libopenmpi-dev and rebuild, "
                               "or run without mpirun)",
                               announced < 0 ? std::string("several") : std::to_string(announced)));
}

MpiWorld::~MpiWorld() = default;

void MpiWorld::agree(bool ok, int code, const std::string& message) const {
  if (ok) return;
  if (code == 2) throw InputError(message);
  throw InternalError(message);
}

void MpiWorld::abort(const std::string& message) const {
  fmt::print(stderr, "fastgpu: internal error: {}\n", message);
  std::abort();
}

#endif

}  // namespace fastgpu::experiments

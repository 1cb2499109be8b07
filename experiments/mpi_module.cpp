// The fastgpu_mpi module: the MPI calls of experiments/mpi_api.h over the MPI
// library, loaded by mpi_api() only for a run under an MPI launcher.
// The C API only: skip the deprecated C++ bindings (they need libmpi_cxx).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include "experiments/mpi_api.h"

namespace {

using fastgpu::experiments::MpiApi;

int start(int* serialized, int* rank, int* size) {
  int already = 0, provided = MPI_THREAD_SINGLE;
  MPI_Initialized(&already);
  if (!already) {
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  } else {
    MPI_Query_thread(&provided);
  }
  *serialized = provided >= MPI_THREAD_SERIALIZED;
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  return !already;
}

void finish() { MPI_Finalize(); }
void abort_all() { MPI_Abort(MPI_COMM_WORLD, 1); }

int allreduce_min(int value) {
  int out = value;
  MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return out;
}

void bcast(void* data, int bytes, int root) { MPI_Bcast(data, bytes, MPI_BYTE, root, MPI_COMM_WORLD); }
void gather_int(int value, int* all, int root) { MPI_Gather(&value, 1, MPI_INT, all, 1, MPI_INT, root, MPI_COMM_WORLD); }

void send(const void* data, int bytes, int dest, int tag) {
  MPI_Send(data, bytes, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

void* irecv(void* data, int bytes, int source) {
  auto* request = new MPI_Request;
  MPI_Irecv(data, bytes, MPI_BYTE, source, MPI_ANY_TAG, MPI_COMM_WORLD, request);
  return request;
}

int test(void* request, int* tag) {
  auto* r = static_cast<MPI_Request*>(request);
  int done = 0;
  MPI_Status status;
  MPI_Test(r, &done, &status);
  if (!done) return 0;
  *tag = status.MPI_TAG;
  delete r;
  return 1;
}

int iprobe(int* source, int* tag, int* bytes) {
  int waiting = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
  if (!waiting) return 0;
  *source = status.MPI_SOURCE;
  *tag = status.MPI_TAG;
  MPI_Get_count(&status, MPI_BYTE, bytes);
  return 1;
}

void recv(void* data, int bytes, int source, int tag) {
  MPI_Recv(data, bytes, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

constexpr MpiApi kApi{start, finish, abort_all, allreduce_min, bcast, gather_int, send, irecv, test, iprobe, recv};

}  // namespace

extern "C" __attribute__((visibility("default"))) const MpiApi* fastgpu_mpi_api() { return &kApi; }

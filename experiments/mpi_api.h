#pragma once
// The MPI calls fastgpu makes, as a table of functions filled by the
// fastgpu_mpi module (experiments/mpi_module.cpp, the only code linked with
// MPI). The module is loaded (dlopen) only when an MPI launcher started the
// process with more than one rank: a plain fastgpu process does not load
// MPI's half-dozen libraries, which cost about 10 ms of every start.
// All communication is on MPI_COMM_WORLD; sizes are in bytes.
namespace fastgpu::experiments {

struct MpiApi {
  // MPI_Init_thread asking for MPI_THREAD_SERIALIZED unless MPI is already
  // initialised; returns 1 when this call initialised it. Sets whether
  // serialized threads were granted, this rank and the number of ranks.
  int (*start)(int* serialized, int* rank, int* size);
  void (*finish)();  // MPI_Finalize
  void (*abort)();   // MPI_Abort with code 1
  int (*allreduce_min)(int value);
  void (*bcast)(void* data, int bytes, int root);
  void (*gather_int)(int value, int* all, int root);  // `all`: one int per rank, on the root
  void (*send)(const void* data, int bytes, int dest, int tag);
  // A receive from `source` with any tag, completed by polling `test`, which
  // returns 1 (and the message's tag) once it is done and frees the request.
  void* (*irecv)(void* data, int bytes, int source);
  int (*test)(void* request, int* tag);
  // Whether a message from any rank is waiting: its source, tag and size.
  int (*iprobe)(int* source, int* tag, int* bytes);
  void (*recv)(void* data, int bytes, int source, int tag);
};

// The name of the module's function that returns its table.
inline constexpr const char* kMpiApiSymbol = "fastgpu_mpi_api";

// Loads the module on the first call (next to the executable, else by the
// loader's search path). InputError naming the module when it cannot be
// loaded.
const MpiApi& mpi_api();

}  // namespace fastgpu::experiments

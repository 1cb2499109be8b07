#include "experiments/mpi_api.h"

#include <dlfcn.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu::experiments {

namespace {

constexpr const char* kModuleName = "libfastgpu_mpi.so";

const MpiApi* load() {
  // Next to the executable (the build folder, or the installed bin/), then
  // wherever the loader looks.
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string errors;
  for (const std::string& candidate :
       {ec ? std::string() : (exe.parent_path() / kModuleName).string(), std::string(kModuleName)}) {
    if (candidate.empty()) continue;
    // Global: Open MPI's own plugins resolve MPI's symbols through it.
    void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
      const char* why = ::dlerror();
      errors += fmt::format("{}{}", errors.empty() ? "" : "; ", why ? why : candidate);
      continue;
    }
    const auto getter = reinterpret_cast<MpiApiGetter>(::dlsym(handle, kMpiApiSymbol));
    if (const MpiApi* api = getter ? getter() : nullptr) return api;
    errors += fmt::format("{}{}: no {}", errors.empty() ? "" : "; ", candidate, kMpiApiSymbol);
  }
  throw InputError(fmt::format("an MPI launcher started fastgpu, but its MPI module {} could not be loaded ({})",
                               kModuleName, errors));
}

}  // namespace

const MpiApi& mpi_api() {
  // A function-local static is initialised once, thread-safely; a throw
  // leaves it to be tried again, as std::call_once would.
  static const MpiApi* const api = load();
  return *api;
}

}  // namespace fastgpu::experiments

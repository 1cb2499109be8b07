#include "sim/module_loader.h"

#include <dlfcn.h>

#include <filesystem>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

void* module_symbol(const char* module, const char* symbol, bool global, const std::string& needed_for) {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string errors;
  const std::string beside_executable = ec ? std::string() : (exe.parent_path() / module).string();
  for (const std::string& candidate : {beside_executable, std::string(module)}) {
    if (candidate.empty()) continue;
    void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL));
    if (!handle) {
      const char* why = ::dlerror();
      errors += fmt::format("{}{}", errors.empty() ? "" : "; ", why ? why : candidate);
      continue;
    }
    if (void* address = ::dlsym(handle, symbol)) return address;
    errors += fmt::format("{}{}: no {}", errors.empty() ? "" : "; ", candidate, symbol);
  }
  throw InputError(
      fmt::format("{} needs fastgpu's module {}, which could not be loaded ({})", needed_for, module, errors));
}

}  // namespace fastgpu

#include "experiments/plugin_loader.h"

#include <dlfcn.h>

#include <filesystem>

#include <fmt/format.h>

#include "policies/builtin.h"
#include "policies/plugin.h"
#include "sim/error.h"

namespace fastgpu::experiments {

std::vector<std::string> load_plugin(const std::string& path) {
  const SourceLocation where{path, 0, "--plugin"};
  if (!std::filesystem::exists(path)) throw InputError(where, "no such plugin file");
  // A path without a slash would make dlopen search the library path.
  const std::string open_path = path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = dlopen(open_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw InputError(where, fmt::format("cannot load the plugin: {}", dlerror()));
  auto abi = reinterpret_cast<int (*)()>(dlsym(handle, "fastgpu_plugin_abi"));
  auto version = reinterpret_cast<const char* (*)()>(dlsym(handle, "fastgpu_plugin_version"));
  auto policies = reinterpret_cast<void (*)(std::vector<PolicyInfo>&)>(dlsym(handle, "fastgpu_plugin_policies"));
  if (!abi || !version || !policies) {
    dlclose(handle);
    throw InputError(where, "not a fastgpu plugin (no FASTGPU_PLUGIN(...) in it)");
  }
  const int built_abi = abi();
  const std::string built_version = version();
  if (built_abi != kPluginAbi || built_version != kVersion) {
    dlclose(handle);
    throw InputError(where, fmt::format("the plugin was built against fastgpu {} (plugin ABI {}), this is fastgpu {} "
                                        "(plugin ABI {}): rebuild it",
                                        built_version, built_abi, kVersion, kPluginAbi));
  }
  std::vector<PolicyInfo> infos;
  policies(infos);
  if (infos.empty()) throw InputError(where, "the plugin defines no policy");
  std::vector<std::string> names;
  for (PolicyInfo& info : infos) {
    names.push_back(info.name);
    try {
      register_policy(std::move(info));
    } catch (const InputError& e) {
      throw InputError(where, e.what());
    }
  }
  // Never closed: the registered factories and the policies' code live in it.
  return names;
}

}  // namespace fastgpu::experiments

#pragma once
// Loads policy plugins (policies/plugin.h): shared objects whose policies are
// added to the registry by name, next to the built-ins.
#include <string>
#include <vector>

namespace fastgpu::experiments {

// Opens `path` (kept open for the life of the process: its policies' code
// lives there), checks its ABI and version, and registers its policies.
// Returns their names. InputError naming the file on a missing file, a
// missing entry point, a version mismatch or a name already taken.
std::vector<std::string> load_plugin(const std::string& path);

}  // namespace fastgpu::experiments

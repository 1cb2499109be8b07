// toml++'s implementation, built into fastgpu_config from toml++'s own headers
// (its documented TOML_IMPLEMENTATION mode; every other file includes the
// declarations only, TOML_HEADER_ONLY=0) instead of linked from the shared
// library: that library needs the shared C++ runtime, which the fastgpu
// executable does not load (docs/performance.md#start-up).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>

#pragma once
// Modules: shared objects built with fastgpu and loaded (dlopen) only when a
// run needs them, so that a process that does not need them does not load
// their libraries at every start (docs/performance.md#start-up). A module
// sits next to the executable (the build folder, or the installed bin/);
// else the loader's own search path is tried. A module exports one function
// that returns its table of functions.
#include <string>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

// The address of `symbol` in the module file `module` ("libfastgpu_json.so").
// `global`: the module's symbols also serve the objects loaded after it
// (RTLD_GLOBAL). An InputError naming the module, what it is `needed_for`
// and the loader's reasons when it cannot be loaded or lacks the symbol.
void* module_symbol(const char* module, const char* symbol, bool global, const std::string& needed_for);

// The table returned by the module's function `getter` (no arguments,
// returns const Table*), loaded on the first call, once per Table type and
// thread-safely; a failed load is tried again at the next call.
template <class Table>
const Table& module_table(const char* module, const char* getter, bool global, const std::string& needed_for) {
  static const Table* const table = [&] {
    using Getter = const Table* (*)();
    const Table* t = reinterpret_cast<Getter>(module_symbol(module, getter, global, needed_for))();
    if (t == nullptr) throw InternalError(fmt::format("fastgpu's module {} returned no table from {}", module, getter));
    return t;
  }();
  return *table;
}

}  // namespace fastgpu

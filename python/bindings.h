#pragma once
// The parts of the _fastgpu module, one file each: errors (C++ errors as the
// fastgpu.errors exceptions), the scheduling context a Python policy sees,
// Python policies in the registry, and running experiments.
#include <shared_mutex>

#include <pybind11/pybind11.h>

namespace fastgpu::python {

void bind_errors(pybind11::module_& m);       // python/errors.cpp
void bind_context(pybind11::module_& m);      // python/context.cpp
void bind_policy(pybind11::module_& m);       // python/python_policy.cpp
void bind_experiments(pybind11::module_& m);  // python/experiments.cpp

// Held shared while experiments run, exclusively while a policy is added to
// the registry (which is not safe against concurrent readers): adding one
// while an experiment runs is a PolicyError, not a wait (a hook that
// registers a policy would otherwise wait for its own experiment).
std::shared_mutex& registry_mutex();

}  // namespace fastgpu::python

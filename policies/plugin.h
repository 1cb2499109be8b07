#pragma once
// A policy built outside the repository as a shared object and loaded at run
// time (`fastgpu compare CONFIG --plugin libmine.so`, fastgpu.load_plugin in
// Python). The plugin lists the functions that describe its policies:
//
//   #include "policies/plugin.h"
//   fastgpu::PolicyInfo my_policy() { return {.name = "mine", ..., .create = ...}; }
//   FASTGPU_PLUGIN(my_policy)
//
// Its engine symbols (SchedulingContext, ClusterState, PolicyParams...) are
// resolved in the loading process, so the plugin links only fastgpu::plugin
// (headers). The loader refuses a plugin built against another fastgpu version.
#include <vector>

#include "sim/registry.h"
#include "sim/version.h"

// The symbols the loader looks up; bump kPluginAbi when their meaning changes.
namespace fastgpu {
inline constexpr int kPluginAbi = 1;
}

#define FASTGPU_PLUGIN(...)                                                                  \
  extern "C" int fastgpu_plugin_abi() { return ::fastgpu::kPluginAbi; }                      \
  extern "C" const char* fastgpu_plugin_version() { return ::fastgpu::kVersion; }            \
  extern "C" void fastgpu_plugin_policies(std::vector<::fastgpu::PolicyInfo>& out) {         \
    for (::fastgpu::PolicyInfo (*make)() : {__VA_ARGS__}) out.push_back(make());             \
  }

#pragma once
// Experiment configuration, read from TOML (docs/config.md lists every key).
// Unknown keys, wrong types and out-of-range values are InputErrors naming the
// file, line and key. CLI flags override keys through `overrides`.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cluster_spec.h"
#include "sim/engine_options.h"
#include "sim/policy_params.h"
#include "workloads/workload_spec.h"

namespace fastgpu {

struct PolicyConfig {
  std::string label;                    // name shown in tables and HDF5 groups
  std::string policy;                   // registry name (= label unless aliased)
  RawParams params;
  SourceLocation where;                 // where the registry name was written (for "unknown policy")
};

struct ExperimentConfig {
  std::string path;                     // the config file
  std::string text;                     // its full text (stored in HDF5)
  std::string name = "experiment";
  ClusterSpec cluster;
  WorkloadSpec workload;
  EngineOptions engine;
  std::vector<PolicyConfig> policies;   // what runs: experiment.policies, or every [policies.*] table
  std::vector<PolicyConfig> other_policies;  // [policies.*] tables not listed in experiment.policies
  std::vector<std::uint64_t> seeds{1};
  std::string output;                   // HDF5 path; empty = results/<name>.h5
  unsigned threads = 0;                 // 0 = hardware concurrency

  // The policy called `label` in `policies` or `other_policies`; InputError if absent.
  const PolicyConfig& policy(const std::string& label) const;
};

// `overrides` are "dotted.key=value" strings (value in TOML syntax, or a bare
// string) applied on top of the file before validation.
ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides = {});
ExperimentConfig parse_config(const std::string& text, const std::string& path,
                              const std::vector<std::string>& overrides = {});

}  // namespace fastgpu

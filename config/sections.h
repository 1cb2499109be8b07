#pragma once
// The readers of a config's sections, internal to config/. Each section has a
// read_* function (types and unknown keys, through a TableReader) and, where it
// has ranges or cross-field rules, a validate_* function. parse_config reads
// every section before it validates any, so that a misspelt key is reported
// before the error it causes elsewhere.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/toml_table.h"

namespace fastgpu::config_reader {

// experiment.policies: the labels to run, in order, with where each was written.
struct PolicyList {
  bool given = false;
  std::vector<std::pair<std::string, SourceLocation>> labels;
};

// [experiment] (read_experiment.cpp)
void read_experiment(TableReader t, ExperimentConfig& cfg, PolicyList& listed, ReadContext& ctx);
void validate_experiment(const ExperimentConfig& cfg, const ReadContext& ctx);

// [cluster] (read_cluster.cpp)
void read_cluster(TableReader t, ClusterSpec& cluster, ReadContext& ctx);
void validate_cluster(const ClusterSpec& cluster, const ReadContext& ctx);
// [[cluster.vcs]] and cluster.vc_lending (read_vcs.cpp), after the node groups.
void read_vcs(TableReader& t, ClusterSpec& cluster, ReadContext& ctx);

// [workload] (read_workload.cpp); validation also fills in the default name.
void read_workload(TableReader t, WorkloadSpec& w, ReadContext& ctx);
void validate_workload(WorkloadSpec& w, const ClusterSpec& cluster, const ReadContext& ctx);

// [workload] keys of kind = "packing" (read_packing.cpp), called by read_workload
// and validate_workload.
void read_packing(TableReader& t, PackingSpec& p, ReadContext& ctx);
void validate_packing(const WorkloadSpec& w, const ReadContext& ctx);

// [engine] (read_engine.cpp)
void read_engine(TableReader t, EngineOptions& e, ReadContext& ctx);
void validate_engine(const EngineOptions& e, const ReadContext& ctx);

// [limits] (read_limits.cpp): the run budgets, into EngineOptions::limits.
void read_limits(TableReader t, RunLimits& limits, ReadContext& ctx);
void validate_limits(const RunLimits& limits, const ReadContext& ctx);

// [failures] (read_failures.cpp): read as written, then validated against
// the cluster into EngineOptions::failures (a failure trace is read then).
struct FailureSettings {
  struct Reliability {
    double mtbf_hours = NAN, mttr_hours = NAN;  // NaN: not written
  };
  bool given = false;
  std::string trace, model;
  Reliability all_types;
  std::vector<std::pair<std::string, Reliability>> per_type;
  double weibull_shape = 1.0;
  double checkpoint_interval = 0;
};
void read_failures(TableReader t, FailureSettings& f, ReadContext& ctx);
void validate_failures(const FailureSettings& f, const ClusterSpec& cluster, EngineOptions& e, const ReadContext& ctx);

// [policies.*] (read_policies.cpp): fills cfg.policies and cfg.other_policies.
void read_policies(TableReader t, ExperimentConfig& cfg, const PolicyList& listed, ReadContext& ctx);

}  // namespace fastgpu::config_reader

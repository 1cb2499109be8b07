// Running experiments from Python: the same steps as `fastgpu run` and
// `fastgpu compare` (config with --set overrides, plan, validate, run on
// threads, write the HDF5 file), with the GIL released while the runs
// execute. fastgpu/experiment.py reads the file back as DataFrames.
#include <dlfcn.h>

#include <mutex>
#include <shared_mutex>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "experiments/comparison.h"
#include "experiments/experiment_runner.h"
#include "experiments/plugin_loader.h"
#include "experiments/statistics_table.h"
#include "experiments/sweep.h"
#include "policies/builtin.h"
#include "python/bindings.h"
#include "results_io/hdf5_writer.h"
#include "sim/error.h"
#include "sim/free_memory.h"
#include "sim/version.h"

namespace py = pybind11;

namespace fastgpu::python {

std::shared_mutex& registry_mutex() {
  static std::shared_mutex m;
  return m;
}

namespace {

struct Request {
  std::string kind;         // "run" or "compare"
  std::string config_path;  // a file, or the name shown for a config given as text
  std::optional<std::string> config_text;
  std::vector<std::string> sets, policies;
  std::vector<std::uint64_t> seeds;
  std::string output;       // empty: the config's output, else results/<name>.h5
  unsigned threads = 0;     // 0: the config's
  bool check = false;
};

py::dict run_request(const Request& q) {
  std::string table;
  std::string output;
  {
    py::gil_scoped_release release;
    std::shared_lock lock(registry_mutex());
    ExperimentConfig config = q.config_text ? parse_config(*q.config_text, q.config_path, q.sets)
                                            : load_config(q.config_path, q.sets);
    if (q.check) config.engine.check_invariants = true;
    output = !q.output.empty() ? q.output : !config.output.empty() ? config.output : "results/" + config.name + ".h5";
    experiments::RunnerOptions runner;
    runner.threads = q.threads != 0 ? q.threads : config.threads;
    runner.quiet = true;
    ResultsFileMeta meta{config.name, config.path, config.text, {}};
    for (const GpuType& t : config.cluster.gpu_types) meta.gpu_type_names.push_back(t.name);
    if (q.kind == "run") {
      const auto runs = experiments::plan_runs(config, q.policies, q.seeds);
      experiments::validate_runs(runs);
      const auto results = experiments::run_experiment(config, runs, runner);
      write_results(output, meta, results);
      table = experiments::runs_table(results);
    } else {
      const auto plan = experiments::plan_experiment(config, q.sets, q.policies, q.seeds);
      experiments::validate_runs(plan.runs);
      std::optional<ResultsWriter> writer;
      writer.emplace(output, meta);
      runner.on_result = [&](std::size_t, RunResult& r) {
        writer->add(r);
        free_memory(r.jobs);
        free_memory(r.timeseries);
      };
      const auto results = experiments::run_experiment(config, plan.runs, runner);
      writer->finish(results);
      for (const std::string& w : experiments::workloads_of(results)) {
        table += fmt::format("workload '{}'\n{}", w, experiments::ranked_ci_table(results, w));
      }
    }
  }
  py::dict out;
  out["output"] = output;
  out["table"] = table;
  return out;
}

// Plugins resolve the engine's symbols in the process; this module was
// loaded with its symbols local, so make them global first.
std::vector<std::string> load_plugin(const std::string& path) {
  static std::once_flag global;
  std::call_once(global, [] {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&registry_mutex), &info) && info.dli_fname) {
      dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
    }
  });
  std::unique_lock lock(registry_mutex(), std::try_to_lock);
  if (!lock) throw PolicyError(fmt::format("cannot load plugin '{}' while an experiment is running", path));
  return experiments::load_plugin(path);
}

py::list policy_list() {
  std::shared_lock lock(registry_mutex());
  py::list out;
  for (const PolicyInfo& p : builtin_policies().all()) {
    py::dict d;
    d["name"] = p.name;
    d["summary"] = p.summary;
    py::dict params;
    for (const ParamSpec& s : p.params) params[py::str(s.name)] = to_string(s.default_value);
    d["params"] = params;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_experiments(py::module_& m) {
  m.attr("version") = kVersion;
  m.def(
      "_run",
      [](const std::string& kind, const std::string& path, std::optional<std::string> text,
         std::vector<std::string> sets, std::vector<std::string> policies, std::vector<std::uint64_t> seeds,
         std::string output, unsigned threads, bool check) {
        return run_request(Request{kind, path, std::move(text), std::move(sets), std::move(policies), std::move(seeds),
                                   std::move(output), threads, check});
      },
      py::arg("kind"), py::arg("path"), py::arg("text"), py::arg("sets"), py::arg("policies"), py::arg("seeds"),
      py::arg("output"), py::arg("threads"), py::arg("check"));
  m.def("load_plugin", &load_plugin, py::arg("path"),
        "Loads a C++ policy plugin (a shared object built against the installed fastgpu) and returns the names "
        "of the policies it registered.");
  m.def("_policies", &policy_list);
}

}  // namespace fastgpu::python

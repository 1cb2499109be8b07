// [experiment]: name, seeds, output, threads and the list of policies to run.
#include <set>

#include "config/sections.h"

namespace fastgpu::config_reader {

void read_experiment(TableReader t, ExperimentConfig& cfg, PolicyList& listed, ReadContext& ctx) {
  t.read("name", cfg.name);
  if (const toml::node* n = t.node("seeds")) {
    const std::string key = t.key("seeds");
    if (n->is_integer()) {
      std::uint64_t count = 0;
      convert(ctx, *n, key, count);
      ctx.check(count >= 1 && count <= 1000000, key, fmt::format("the number of seeds must be in [1, 1000000], got {}", count));
      cfg.seeds.clear();
      for (std::uint64_t s = 1; s <= count; ++s) cfg.seeds.push_back(s);
    } else if (n->is_array()) {
      convert(ctx, *n, key, cfg.seeds);
      ctx.check(!cfg.seeds.empty(), key, "the list of seeds is empty");
      std::set<std::uint64_t> unique(cfg.seeds.begin(), cfg.seeds.end());
      ctx.check(unique.size() == cfg.seeds.size(), key, "a seed is listed twice");
    } else {
      type_error(ctx, *n, key, "an integer (seeds 1..N) or an array of integer seeds");
    }
  }
  t.read("output", cfg.output);
  t.read("threads", cfg.threads);
  std::vector<std::string> names;
  listed.given = t.read("policies", names);
  if (listed.given) {
    const toml::array& arr = *t.raw()->get("policies")->as_array();
    for (std::size_t i = 0; i < names.size(); ++i) {
      listed.labels.emplace_back(names[i], ctx.at(arr[i].source(), fmt::format("{}[{}]", t.key("policies"), i)));
    }
  }
  t.finish();
}

void validate_experiment(const ExperimentConfig& cfg, const ReadContext& ctx) {
  ctx.check(!cfg.name.empty() && cfg.name.find('/') == std::string::npos, "experiment.name",
            "must be a non-empty name without '/' (it names the default output file)");
}

}  // namespace fastgpu::config_reader

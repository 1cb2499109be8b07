#include "sim/workload.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

namespace {

using DepGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// "job 17" or "job 17 ('name')" for error messages.
std::string job_label(const Workload& w, std::size_t i) {
  const Job& j = w.jobs[i];
  if (i < w.job_names.size() && !w.job_names[i].empty()) return fmt::format("job {} ('{}')", j.id, w.job_names[i]);
  return fmt::format("job {}", j.id);
}

[[noreturn]] void bad_field(const Workload& w, std::size_t i, const std::string& source, const char* field,
                            const std::string& what) {
  throw InputError(SourceLocation{source, 0, field}, fmt::format("{}: {}", job_label(w, i), what));
}

// Range checks of one job; the messages name the job and the field.
void validate_job(const Workload& w, std::size_t i, const std::string& source) {
  const Job& j = w.jobs[i];
  if (!std::isfinite(j.submit) || j.submit < 0)
    bad_field(w, i, source, "submit", fmt::format("submit time must be finite and >= 0, got {}", j.submit));
  if (j.num_gpus < 1) bad_field(w, i, source, "num_gpus", "num_gpus must be >= 1");
  if (!std::isfinite(j.work) || j.work <= 0)
    bad_field(w, i, source, "work", fmt::format("work must be finite and > 0 seconds, got {}", j.work));
  if (!(j.gpu_share > 0 && j.gpu_share <= 1))
    bad_field(w, i, source, "gpu_share", fmt::format("gpu_share must be in (0, 1], got {}", j.gpu_share));
  if (j.milli_per_gpu() == 0)
    bad_field(w, i, source, "gpu_share", fmt::format("gpu_share {} is below 0.001 of a GPU", j.gpu_share));
  if (j.gpu_share < 1 && j.num_gpus != 1)
    bad_field(w, i, source, "gpu_share",
              fmt::format("gpu_share {} < 1 is only allowed for 1-GPU jobs (num_gpus = {})", j.gpu_share, j.num_gpus));
  if (!std::isfinite(j.gpu_memory_gb) || j.gpu_memory_gb < 0)
    bad_field(w, i, source, "gpu_memory_gb", fmt::format("gpu_memory_gb must be >= 0, got {}", j.gpu_memory_gb));
  if (j.has_deadline() && !(j.deadline > j.submit))
    bad_field(w, i, source, "deadline", fmt::format("deadline {} must be after submit {}", j.deadline, j.submit));
  const JobTraceFields& t = w.trace_fields_of(static_cast<JobIndex>(i));
  if (!std::isfinite(t.earliest_start))
    bad_field(w, i, source, "earliest_start", fmt::format("earliest_start must be finite, got {}", t.earliest_start));
  if (!std::isnan(t.requested_time) && !(std::isfinite(t.requested_time) && t.requested_time >= 0))
    bad_field(w, i, source, "requested_time",
              fmt::format("requested_time must be >= 0 or unknown, got {}", t.requested_time));
  if (!std::isnan(t.recorded_start) && !std::isfinite(t.recorded_start))
    bad_field(w, i, source, "recorded_start", "recorded_start must be finite or unknown");
  if (static_cast<std::uint64_t>(t.failed_attempts_begin) + t.failed_attempts > w.failed_attempts.size())
    bad_field(w, i, source, "failed_attempts", "failed attempts out of range of Workload::failed_attempts");
  for (const FailedAttempt& a : w.failed_attempts_of(static_cast<JobIndex>(i))) {
    if (!std::isfinite(a.length) || a.length < 0)
      bad_field(w, i, source, "failed_attempts",
                fmt::format("a failed attempt's length must be finite and >= 0 seconds, got {}", a.length));
    if (!std::isnan(a.recorded_start) && !std::isfinite(a.recorded_start))
      bad_field(w, i, source, "failed_attempts", "a failed attempt's recorded start must be finite or unknown");
  }
  if (j.gpu_types > w.type_constraints.size())
    bad_field(w, i, source, "gpu_type",
              fmt::format("type constraint {} does not exist ({} defined)", j.gpu_types, w.type_constraints.size()));
  if (j.vc > w.vcs.size())
    bad_field(w, i, source, "vc", fmt::format("virtual cluster {} does not exist ({} defined)", j.vc, w.vcs.size()));
  if (!w.users.empty() && j.user >= w.users.size())
    bad_field(w, i, source, "user", fmt::format("user index {} out of range ({} users)", j.user, w.users.size()));
}

// DFS visitor that records the tree so a back edge (u -> v) yields the cycle
// v -> ... -> u -> v; topological_sort only says "not a DAG".
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<std::size_t>* parent;
  std::vector<std::size_t>* cycle;
  void tree_edge(DepGraph::edge_descriptor e, const DepGraph& g) const { (*parent)[target(e, g)] = source(e, g); }
  void back_edge(DepGraph::edge_descriptor e, const DepGraph& g) const {
    if (!cycle->empty()) return;
    const std::size_t from = source(e, g), to = target(e, g);
    for (std::size_t v = from; v != to; v = (*parent)[v]) cycle->push_back(v);
    cycle->push_back(to);
    std::reverse(cycle->begin(), cycle->end());
  }
};

void resolve_dependencies(Workload& w, const std::string& source) {
  w.predecessors.clear();
  if (w.dependencies.empty()) return;
  const std::size_t n = w.jobs.size();
  std::unordered_map<std::int64_t, std::size_t> index_of;
  index_of.reserve(n * 2);
  std::vector<bool> duplicate(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    auto [it, fresh] = index_of.try_emplace(w.jobs[i].id, i);
    if (!fresh) duplicate[it->second] = true;
  }
  auto lookup = [&](std::int64_t id, std::int64_t dependent) {
    auto it = index_of.find(id);
    if (it == index_of.end())
      throw InputError(SourceLocation{source, 0, "depends_on"},
                       id == dependent ? fmt::format("dependency of job {}, which is not in the workload", id)
                                       : fmt::format("job {} depends on job {}, which is not in the workload",
                                                     dependent, id));
    if (duplicate[it->second])
      throw InputError(SourceLocation{source, 0, "depends_on"},
                       fmt::format("dependency on job id {} is ambiguous: several jobs have that id", id));
    return it->second;
  };
  w.predecessors.assign(n, {});
  DepGraph g(n);
  for (auto [before, after] : w.dependencies) {
    const std::size_t a = lookup(after, after);
    const std::size_t b = lookup(before, after);
    if (a == b)
      throw InputError(SourceLocation{source, 0, "depends_on"}, fmt::format("{} depends on itself", job_label(w, a)));
    w.predecessors[a].push_back(static_cast<JobIndex>(b));
  }
  for (std::size_t a = 0; a < n; ++a) {
    auto& p = w.predecessors[a];
    std::sort(p.begin(), p.end());
    p.erase(std::unique(p.begin(), p.end()), p.end());
    for (JobIndex b : p) boost::add_edge(b, a, g);
  }
  try {
    std::vector<std::size_t> order;
    order.reserve(n);
    boost::topological_sort(g, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    std::vector<std::size_t> parent(n), cycle;
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    boost::depth_first_search(g, boost::visitor(CycleFinder{{}, &parent, &cycle}));
    std::string path;
    for (std::size_t k = 0; k < cycle.size() && k < 8; ++k) path += job_label(w, cycle[k]) + " -> ";
    path += cycle.size() > 8 ? "... -> " : "";
    path += cycle.empty() ? "?" : job_label(w, cycle.front());
    throw InputError(SourceLocation{source, 0, "depends_on"}, "dependency cycle: " + path);
  }
}

}  // namespace

void Workload::finalize(const std::string& source) {
  if (!job_names.empty() && job_names.size() != jobs.size())
    throw InputError(SourceLocation{source, 0, "name"},
                     fmt::format("{} job names for {} jobs", job_names.size(), jobs.size()));
  if (jobs.size() >= kNoJob)
    throw InputError(SourceLocation{source, 0, ""}, fmt::format("too many jobs ({})", jobs.size()));
  // The column is filled by code, never read from a file: a wrong length is a bug.
  if (!trace_fields.empty() && trace_fields.size() != jobs.size())
    throw InternalError(fmt::format("{} trace field rows for {} jobs (must be none or one per job)",
                                    trace_fields.size(), jobs.size()));
  // Validate first: the sort below needs finite submit times.
  for (std::size_t i = 0; i < jobs.size(); ++i) validate_job(*this, i, source);

  auto before = [](const Job& a, const Job& b) { return a.submit < b.submit || (a.submit == b.submit && a.id < b.id); };
  if (!std::is_sorted(jobs.begin(), jobs.end(), before)) {
    std::vector<std::uint32_t> perm(jobs.size());
    std::iota(perm.begin(), perm.end(), 0u);
    std::stable_sort(perm.begin(), perm.end(), [&](std::uint32_t a, std::uint32_t b) { return before(jobs[a], jobs[b]); });
    // Position k receives the job at perm[k]: applied in place, cycle by
    // cycle, so no second copy of the jobs, names and trace fields is allocated.
    const bool named = !job_names.empty(), traced = !trace_fields.empty();
    for (std::uint32_t first = 0; first < perm.size(); ++first) {
      if (perm[first] == first) continue;
      Job held = jobs[first];
      std::string held_name = named ? std::move(job_names[first]) : std::string();
      const JobTraceFields held_fields = traced ? trace_fields[first] : JobTraceFields{};
      std::uint32_t k = first;
      for (;;) {
        const std::uint32_t from = perm[k];
        perm[k] = k;
        if (from == first) break;
        jobs[k] = jobs[from];
        if (named) job_names[k] = std::move(job_names[from]);
        if (traced) trace_fields[k] = trace_fields[from];
        k = from;
      }
      jobs[k] = held;
      if (named) job_names[k] = std::move(held_name);
      if (traced) trace_fields[k] = held_fields;
    }
  }
  resolve_dependencies(*this, source);
}

JobTraceFields& Workload::mutable_trace_fields(JobIndex j) {
  if (j >= jobs.size())
    throw InternalError(fmt::format("trace fields of job index {} of {} jobs", j, jobs.size()));
  if (trace_fields.size() < jobs.size()) trace_fields.resize(jobs.size());
  return trace_fields[j];
}

const std::string& Workload::user_name(std::uint32_t user) const {
  static const std::string kNoName;
  if (users.empty()) return kNoName;
  if (user >= users.size()) throw InternalError(fmt::format("user index {} out of range ({} users)", user, users.size()));
  return users[user];
}

std::uint16_t Workload::intern_vc(std::string_view name) {
  if (name.empty()) return 0;
  for (std::size_t k = 0; k < vcs.size(); ++k)
    if (vcs[k] == name) return static_cast<std::uint16_t>(k + 1);
  if (vcs.size() >= std::numeric_limits<std::uint16_t>::max() - 1) throw InputError("too many distinct virtual clusters");
  vcs.emplace_back(name);
  return static_cast<std::uint16_t>(vcs.size());
}

const std::string& Workload::vc_name(std::uint16_t vc) const {
  static const std::string kNone;
  if (vc == 0) return kNone;
  if (vc > vcs.size()) throw InternalError(fmt::format("virtual cluster {} out of range ({} defined)", vc, vcs.size()));
  return vcs[vc - 1];
}

void Workload::reset_intern_caches() {
  user_lookup_.clear();
  type_lookup_.clear();
  user_lookup_synced_ = type_lookup_synced_ = 0;
}

std::uint32_t Workload::intern_user(const std::string& name) {
  if (user_lookup_synced_ > users.size()) {  // the table shrank: start over
    user_lookup_.clear();
    user_lookup_synced_ = 0;
  }
  for (; user_lookup_synced_ < users.size(); ++user_lookup_synced_)
    user_lookup_.try_emplace(users[user_lookup_synced_], static_cast<std::uint32_t>(user_lookup_synced_));
  auto [it, fresh] = user_lookup_.try_emplace(name, static_cast<std::uint32_t>(users.size()));
  if (fresh) {
    if (users.size() >= std::numeric_limits<std::uint32_t>::max()) {
      user_lookup_.erase(it);
      throw InputError("too many distinct users");
    }
    users.push_back(name);
    ++user_lookup_synced_;
  }
  return it->second;
}

std::uint16_t Workload::intern_type_constraint(std::vector<std::string> types) {
  // A constraint is a set of type names: canonical order, no repeats.
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  if (types.empty()) return 0;
  auto key_of = [](const std::vector<std::string>& t) {
    std::string key;
    for (const auto& s : t) key += (key.empty() ? "" : "|") + s;
    return key;
  };
  if (type_lookup_synced_ > type_constraints.size()) {
    type_lookup_.clear();
    type_lookup_synced_ = 0;
  }
  for (; type_lookup_synced_ < type_constraints.size(); ++type_lookup_synced_) {
    auto t = type_constraints[type_lookup_synced_];
    std::sort(t.begin(), t.end());
    type_lookup_.try_emplace(key_of(t), static_cast<std::uint16_t>(type_lookup_synced_ + 1));
  }
  auto [it, fresh] = type_lookup_.try_emplace(key_of(types), static_cast<std::uint16_t>(type_constraints.size() + 1));
  if (fresh) {
    if (type_constraints.size() >= kMaxTypeConstraints) {
      type_lookup_.erase(it);
      throw InputError(fmt::format("too many distinct GPU type constraints (at most {})", kMaxTypeConstraints));
    }
    type_constraints.push_back(std::move(types));
    ++type_lookup_synced_;
  }
  return it->second;
}

}  // namespace fastgpu

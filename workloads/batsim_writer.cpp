#include "workloads/batsim_writer.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_set>

#include <fmt/format.h>

#include "sim/error.h"
#include "sim/output_file.h"

namespace fastgpu {

namespace {

void append_json_string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

// Shortest text that reads back as the same double (JSON numbers).
std::string number(double x) { return fmt::format("{}", x); }

}  // namespace

BatsimWriteReport write_batsim_workload(const Workload& w, const std::string& path, const BatsimWriteOptions& options) {
  BatsimWriteReport rep;
  std::uint64_t widest = 0;
  for (const Job& j : w.jobs) widest = std::max<std::uint64_t>(widest, j.num_gpus);
  rep.nb_res = options.nb_res ? options.nb_res : std::max<std::uint64_t>(widest, 1);
  if (rep.nb_res < widest)
    throw InputError({path, 0, "nb_res"},
                     fmt::format("nb_res {} is smaller than the widest job ({} GPUs)", rep.nb_res, widest));

  const bool names = !w.job_names.empty();
  bool unique_ids = true;
  if (!names) {
    std::unordered_set<std::int64_t> seen;
    seen.reserve(w.jobs.size() * 2);
    for (const Job& j : w.jobs) unique_ids = unique_ids && seen.insert(j.id).second;
  }

  std::map<double, std::string> profiles;  // delay -> name, in order of first use below
  std::vector<std::pair<std::string, double>> profile_order;
  std::string out;
  out.reserve(w.jobs.size() * 96 + 256);
  out += "{\n  \"description\": ";
  append_json_string(out, fmt::format("fastgpu workload '{}': one resource = one GPU, delay profiles = run time on "
                                      "the reference GPU (s)",
                                      w.name));
  out += fmt::format(",\n  \"nb_res\": {},\n  \"jobs\": [", rep.nb_res);
  for (std::size_t i = 0; i < w.jobs.size(); ++i) {
    const Job& j = w.jobs[i];
    auto [it, fresh] = profiles.try_emplace(j.work, "");
    if (fresh) {
      it->second = fmt::format("delay{}", profile_order.size());
      profile_order.emplace_back(it->second, j.work);
    }
    out += i ? ",\n    {\"id\": " : "\n    {\"id\": ";
    if (names) append_json_string(out, w.job_names[i]);
    else out += fmt::format("{}", unique_ids ? j.id : static_cast<std::int64_t>(i));
    out += fmt::format(", \"subtime\": {}", number(j.submit));
    const Seconds requested = w.trace_fields_of(static_cast<JobIndex>(i)).requested_time;
    if (!std::isnan(requested) && std::isfinite(requested)) out += fmt::format(", \"walltime\": {}", number(requested));
    out += fmt::format(", \"res\": {}, \"profile\": \"{}\"}}", j.num_gpus, it->second);
    if (j.gpu_share < 1) ++rep.shared_as_whole;
  }
  out += w.jobs.empty() ? "],\n  \"profiles\": {" : "\n  ],\n  \"profiles\": {";
  for (std::size_t k = 0; k < profile_order.size(); ++k)
    out += fmt::format("{}\n    \"{}\": {{\"type\": \"delay\", \"delay\": {}}}", k ? "," : "", profile_order[k].first,
                       number(profile_order[k].second));
  out += profile_order.empty() ? "}\n}\n" : "\n  }\n}\n";
  rep.jobs = w.jobs.size();
  rep.profiles = profile_order.size();

  write_output_file(path, out);
  return rep;
}

}  // namespace fastgpu

#include "results_io/hdf5_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <span>

#include "sim/error.h"
#include "results_io/baseline_verdicts_table.h"
#include "results_io/deflated_chunks.h"
#include "results_io/shuffled_columns.h"
#include "results_io/hdf5_common.h"
#include "results_io/vc_table.h"
#include "results_io/hdf5_file.h"
#include "sim/metrics.h"
#include "sim/version.h"

namespace fastgpu {

using h5::check;
using h5::check_status;
using h5::Handle;

namespace {

// Chunks of at most 256 KiB: one chunk for small tables, a few hundred for a
// million jobs; well inside HDF5's default 1 MiB chunk cache.
constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr std::size_t kSlabChunks = 4;  // jobs are converted and written this many chunks at a time
constexpr int kSchemaVersion = 1;       // bump when the layout changes (docs/hdf5-schema.md)

std::string escape_name(const std::string& name) {
  if (name.empty()) return "%00";
  const bool only_dots = name.find_first_not_of('.') == std::string::npos;  // "." and ".." are not names
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (only_dots || c == '/' || c == '%')
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Object creation properties shared by groups and the root: keep links and
// attributes in creation order (h5py then lists runs in the order written), and
// no modification times, so identical results give identical files apart from
// created_utc.
void set_group_properties(hid_t plist) {
  check_status(H5Pset_link_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
               "tracking link order");
  check_status(H5Pset_attr_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
               "tracking attribute order");
  check_status(H5Pset_obj_track_times(plist, false), "disabling object times");
}

Handle create_group(hid_t loc, const std::string& name) {
  Handle gcpl = h5::make_plist(H5Pcreate(H5P_GROUP_CREATE), "creating group properties");
  set_group_properties(gcpl);
  return {check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), "creating group " + name),
          H5Gclose};
}

Handle open_or_create_group(hid_t loc, const std::string& name) {
  const htri_t exists = check_status(H5Lexists(loc, name.c_str(), H5P_DEFAULT), "looking up group " + name);
  if (exists > 0) return {check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), "opening group " + name), H5Gclose};
  return create_group(loc, name);
}

Handle packed_copy(hid_t type) {
  Handle t = h5::make_type(H5Tcopy(type), "copying a row type");
  check_status(H5Tpack(t), "packing a row type");
  return t;
}

std::size_t most_chunk_rows(hid_t file_type) {
  const std::size_t row_bytes = std::max<std::size_t>(1, H5Tget_size(file_type));
  return std::max<std::size_t>(1, kChunkBytes / row_bytes);
}

// Rows in memory of one source of a table: `rows_at(start, count)` returns
// rows [start, start + count) as an array of `type` (a compound, or a plain
// type for a table of one column).
struct RowSource {
  hid_t type;
  std::function<const void*(std::size_t, std::size_t)> rows_at;
};

// Creates a 1-D chunked, shuffled and deflated dataset of `rows` rows of
// `file_type` and writes it slab by slab, each file member taken from the
// source that has it. Each chunk is built in the shuffle filter's layout
// straight from the sources' columns (ShuffledColumns: no row is assembled or
// packed), deflated and written once (DeflatedChunks), with no pass through
// HDF5's chunk cache and filter pipeline. A single source whose members differ
// from the file's in type (fixed strings of another length) is converted by
// H5Tconvert first.
void write_table(hid_t loc, const std::string& name, hid_t file_type, const std::vector<RowSource>& sources,
                 std::size_t rows, std::size_t slab_rows, int deflate_level) {
  const std::size_t chunk = h5::even_chunk_rows(rows, most_chunk_rows(file_type));
  const hsize_t dims[1] = {rows}, maxdims[1] = {H5S_UNLIMITED}, chunk_dims[1] = {chunk};
  Handle space = h5::make_space(H5Screate_simple(1, dims, maxdims), "creating dataspace of " + name);
  Handle dcpl = h5::make_plist(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties");
  check_status(H5Pset_chunk(dcpl, 1, chunk_dims), "chunking " + name);
  check_status(H5Pset_shuffle(dcpl), "adding the shuffle filter to " + name);
  const bool deflate = deflate_level > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
  if (deflate)
    check_status(H5Pset_deflate(dcpl, static_cast<unsigned>(deflate_level)), "adding the deflate filter to " + name);
  check_status(H5Pset_obj_track_times(dcpl, false), "disabling object times");
  check_status(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "disabling fill values");
  Handle ds{check(H5Dcreate2(loc, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                  "creating dataset " + name),
            H5Dclose};
  slab_rows = std::max<std::size_t>(chunk, slab_rows / chunk * chunk);
  std::vector<hid_t> types;
  for (const RowSource& s : sources) types.push_back(s.type);
  std::optional<h5::ShuffledColumns> columns = h5::ShuffledColumns::plan(file_type, types);
  const bool convert = !columns;
  if (convert) {
    if (sources.size() != 1) throw InternalError("write_table: " + name + ": its sources do not make its rows");
    const hid_t same[1] = {file_type};
    columns = h5::ShuffledColumns::plan(file_type, same);
    if (!columns) throw InternalError("write_table: " + name + ": no plan for its row type");
  }
  const std::size_t file_bytes = H5Tget_size(file_type);
  std::vector<std::size_t> row_bytes;  // per source, in the slabs handed to ShuffledColumns
  for (hid_t t : types) row_bytes.push_back(convert ? file_bytes : H5Tget_size(t));
  std::vector<std::byte> converted, background;  // rows in the file's layout; HDF5's background rows
  std::vector<const void*> slab(sources.size()), at(sources.size());
  h5::DeflatedChunks chunks(ds, file_bytes, chunk, deflate ? deflate_level : 0);
  for (std::size_t start = 0; start < rows; start += slab_rows) {
    const std::size_t count = std::min(slab_rows, rows - start);
    for (std::size_t s = 0; s < sources.size(); ++s) slab[s] = sources[s].rows_at(start, count);
    if (convert) {
      const std::size_t mem_bytes = H5Tget_size(sources[0].type);
      converted.resize(count * std::max(file_bytes, mem_bytes));
      background.assign(count * file_bytes, std::byte{0});
      std::memcpy(converted.data(), slab[0], count * mem_bytes);
      check_status(H5Tconvert(sources[0].type, file_type, count, converted.data(), background.data(), H5P_DEFAULT),
                   "converting rows of " + name);
      slab[0] = converted.data();
    }
    for (std::size_t done = 0; done < count; done += chunk) {
      for (std::size_t s = 0; s < slab.size(); ++s)
        at[s] = static_cast<const std::byte*>(slab[s]) + done * row_bytes[s];
      columns->shuffle(at, std::min(chunk, count - done), chunk, chunks.chunk());
      chunks.write(start + done);
    }
  }
  ds.close("closing dataset " + name);
}

// A table stored contiguously in memory, written in one go.
template <class T>
void write_vector(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type, const std::vector<T>& v,
                  int deflate_level) {
  write_table(loc, name, file_type,
              {{mem_type, [&](std::size_t start, std::size_t) { return static_cast<const void*>(v.data() + start); }}},
              v.size(), v.size(), deflate_level);
}

void check_run(const RunResult& r) {
  const auto fail = [&](const std::string& what) {
    throw InternalError(fmt::format("write_results: run of policy '{}' on '{}' seed {}: {}", r.policy,
                                    r.workload, r.seed, what));
  };
  if (r.gpu_offset.size() != r.jobs.size() + 1 || r.gpu_offset.back() != r.gpu_arena.size())
    fail("gpu_offset is not a CSR offset table of jobs + 1 entries over gpu_arena");
  // The jobs table is shuffled from the records' inputs and outputs side by side.
  if (r.jobs.inputs().size() != r.jobs.size()) fail("the job records' inputs and outputs differ in number");
  // The outputs alone: an assembled record would read the job's inputs too.
  const std::span<const JobOutputs> outputs = r.jobs.outputs();
  for (std::size_t j = 0; j < outputs.size(); ++j)
    if (outputs[j].reject_reason >= r.reject_reasons.size())
      fail(fmt::format("job {} has reject reason {} of {}", r.jobs[j].id, outputs[j].reject_reason,
                       r.reject_reasons.size()));
  const std::size_t types = r.type_gpu_count.size();
  if (r.type_busy_gpu_seconds.size() != types || r.type_idle_watts.size() != types ||
      r.type_busy_watts.size() != types || r.type_price_per_hour.size() != types)
    fail("per-type accounting vectors differ in length");
}

// jobs: every JobRecord field, then first_gpu, wait, final_wait and
// reject_reason_text. The chunks are shuffled straight from three tables of
// rows: the job inputs and the engine's outputs as the records hold them, and
// per slab the rest (the failure fields and the derived columns), so no
// record is assembled.
void write_jobs(hid_t group, const RunResult& r, int deflate_level) {
  std::size_t reason_len = 1;
  for (const std::string& s : r.reject_reasons) reason_len = std::max(reason_len, s.size());
  // The rest's row: the failure fields (FailureOutputs), then the derived columns.
  const std::size_t first_gpu_at = 0;  // within the derived columns
  const std::size_t wait_at = first_gpu_at + sizeof(std::int64_t);
  const std::size_t final_wait_at = wait_at + sizeof(double);
  const std::size_t text_at = final_wait_at + sizeof(double);
  const std::size_t derived_bytes = text_at + reason_len;
  const std::size_t derived_at = sizeof(FailureOutputs), rest_bytes = derived_at + derived_bytes;
  Handle text = h5::fixed_string_type(reason_len);
  // The derived columns, from byte `base` of a row of `type`.
  const auto insert_derived = [&](hid_t type, std::size_t base) {
    check_status(H5Tinsert(type, h5::kFirstGpuColumn, base + first_gpu_at, H5T_NATIVE_INT64), "adding column first_gpu");
    check_status(H5Tinsert(type, h5::kWaitColumn, base + wait_at, H5T_NATIVE_DOUBLE), "adding column wait");
    check_status(H5Tinsert(type, h5::kFinalWaitColumn, base + final_wait_at, H5T_NATIVE_DOUBLE),
                 "adding column final_wait");
    check_status(H5Tinsert(type, h5::kRejectReasonTextColumn, base + text_at, text),
                 "adding column reject_reason_text");
  };
  Handle rest = h5::job_failure_outputs_type(rest_bytes);
  insert_derived(rest, derived_at);
  // The file's row: the JobRecord columns, then the derived ones, packed.
  Handle mem = h5::job_record_type(sizeof(JobRecord) + derived_bytes);
  insert_derived(mem, sizeof(JobRecord));
  Handle file = packed_copy(mem);

  const std::span<const Job> inputs = r.jobs.inputs();
  const std::span<const JobOutputs> outputs = r.jobs.outputs();
  const std::size_t slab = most_chunk_rows(file) * kSlabChunks;
  std::vector<std::byte> buf(std::min(slab, r.jobs.size()) * rest_bytes);
  const auto rest_rows = [&](std::size_t start, std::size_t count) {
    std::fill(buf.begin(), buf.end(), std::byte{0});  // null-pads the strings
    for (std::size_t k = 0; k < count; ++k) {
      const JobIndex j = static_cast<JobIndex>(start + k);
      std::byte* row = buf.data() + k * rest_bytes;
      const FailureOutputs f = r.jobs.failure_fields(j);
      std::memcpy(row, &f, sizeof f);
      row += derived_at;
      const std::int64_t first_gpu =
          r.gpu_offset[j] < r.gpu_offset[j + 1] ? static_cast<std::int64_t>(r.gpu_arena[r.gpu_offset[j]]) : -1;
      std::memcpy(row + first_gpu_at, &first_gpu, sizeof first_gpu);
      const JobOutputs& o = outputs[j];
      const Seconds submit = inputs[j].submit;
      const double wait = o.first_start - submit, final_wait = f.final_start - submit;
      std::memcpy(row + wait_at, &wait, sizeof wait);
      std::memcpy(row + final_wait_at, &final_wait, sizeof final_wait);
      const std::string& reason = r.reject_reasons[o.reject_reason];
      std::memcpy(row + text_at, reason.data(), reason.size());
    }
    return static_cast<const void*>(buf.data());
  };
  Handle input_type = h5::job_inputs_type(), output_type = h5::job_outputs_type();
  write_table(group, h5::kJobsDataset, file,
              {{input_type, [&](std::size_t start, std::size_t) { return static_cast<const void*>(&inputs[start]); }},
               {output_type, [&](std::size_t start, std::size_t) { return static_cast<const void*>(&outputs[start]); }},
               {rest, rest_rows}},
              r.jobs.size(), slab, deflate_level);

  write_vector(group, h5::kJobGpusDataset, H5T_STD_U32LE, H5T_NATIVE_UINT32, r.gpu_arena, deflate_level);
  write_vector(group, h5::kJobGpusOffsetDataset, H5T_STD_U64LE, H5T_NATIVE_UINT64, r.gpu_offset, deflate_level);
}

struct TypeRow {
  std::uint32_t gpu_count;
  double busy_gpu_seconds, idle_watts, busy_watts, price_per_hour;
};

void write_accounting(hid_t group, const RunResult& r, int deflate_level) {
  write_vector(group, h5::kGpuBusyDataset, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, r.gpu_busy_seconds, deflate_level);
  std::vector<TypeRow> types(r.type_gpu_count.size());
  for (std::size_t t = 0; t < types.size(); ++t)
    types[t] = {r.type_gpu_count[t], r.type_busy_gpu_seconds[t], r.type_idle_watts[t], r.type_busy_watts[t],
                r.type_price_per_hour[t]};
  const hid_t u32 = h5::native_type<std::uint32_t>(), f64 = h5::native_type<double>();
  Handle mem = h5::compound_type(sizeof(TypeRow), {{"gpu_count", offsetof(TypeRow, gpu_count), u32},
                                                   {"busy_gpu_seconds", offsetof(TypeRow, busy_gpu_seconds), f64},
                                                   {"idle_watts", offsetof(TypeRow, idle_watts), f64},
                                                   {"busy_watts", offsetof(TypeRow, busy_watts), f64},
                                                   {"price_per_hour", offsetof(TypeRow, price_per_hour), f64}});
  Handle file = packed_copy(mem);
  write_vector(group, h5::kGpuTypesDataset, file, mem, types, deflate_level);
}

void write_run(hid_t runs_group, const RunResult& r, bool summary_only, int deflate_level) {
  Handle policy = open_or_create_group(runs_group, escape_name(r.policy));
  Handle workload = open_or_create_group(policy, escape_name(r.workload));
  const std::string seed_name = fmt::format("seed-{}", r.seed);
  if (check_status(H5Lexists(workload, seed_name.c_str(), H5P_DEFAULT), "looking up " + seed_name) > 0)
    throw InternalError(fmt::format("write_results: two runs of policy '{}' on '{}' with seed {}", r.policy,
                                    r.workload, r.seed));
  Handle g = create_group(workload, seed_name);

  h5::write_attribute(g, "policy", r.policy);
  h5::write_attribute(g, "workload", r.workload);
  h5::write_attribute(g, "seed", r.seed);
  h5::write_attribute(g, "num_gpus", static_cast<std::uint64_t>(r.num_gpus));
  for (const auto& [name, value] : summary_fields(r.summary)) h5::write_attribute(g, name, value);
  for (const auto& [name, value] : r.policy_params) h5::write_attribute(g, "param." + name, value);
  for (const auto& [name, value] : r.attributes) h5::write_attribute(g, "attr." + name, value);
  for (const auto& [name, value] : r.sweep) h5::write_attribute(g, "sweep." + name, value);

  if (!summary_only) {
    write_jobs(g, r, deflate_level);
    Handle ts = h5::time_sample_type();
    Handle ts_file = packed_copy(ts);
    write_vector(g, h5::kTimeseriesDataset, ts_file, ts, r.timeseries, deflate_level);
  }
  write_accounting(g, r, deflate_level);
  if (!r.vcs.empty()) {
    std::size_t longest = 1;
    for (const VcSummary& vc : r.vcs) longest = std::max(longest, vc.name.size());
    Handle mem = h5::vc_row_type();
    Handle narrow = h5::vc_row_type(longest);
    Handle file = packed_copy(narrow);
    write_vector(g, h5::kVcsDataset, file, mem, h5::to_vc_rows(r.vcs), deflate_level);
  }
}

// /summary: policy, workload, seed, then every summary field (float64), then
// one string column "sweep.<key>" per sweep key of any run (sorted; empty
// where a run has no value). Rows are built directly in the packed file layout.
void write_summary_table(hid_t file, const std::vector<RunResult>& runs, int deflate_level) {
  std::size_t policy_len = 1, workload_len = 1;
  std::map<std::string, std::size_t> sweep_len;  // key -> longest value
  for (const RunResult& r : runs) {
    policy_len = std::max(policy_len, r.policy.size());
    workload_len = std::max(workload_len, r.workload.size());
    for (const auto& [key, value] : r.sweep) sweep_len[key] = std::max({sweep_len[key], value.size(), std::size_t{1}});
  }
  const auto names = summary_fields(Summary{});
  const std::size_t seed_at = policy_len + workload_len, metrics_at = seed_at + sizeof(std::uint64_t);
  std::size_t row_bytes = metrics_at + names.size() * sizeof(double);
  std::vector<std::pair<std::string, std::size_t>> sweep_at;  // key -> offset
  for (const auto& [key, len] : sweep_len) {
    sweep_at.emplace_back(key, row_bytes);
    row_bytes += len;
  }

  Handle type = h5::make_type(H5Tcreate(H5T_COMPOUND, row_bytes), "creating the summary row type");
  Handle policy_type = h5::fixed_string_type(policy_len), workload_type = h5::fixed_string_type(workload_len);
  check_status(H5Tinsert(type, "policy", 0, policy_type), "adding column policy");
  check_status(H5Tinsert(type, "workload", policy_len, workload_type), "adding column workload");
  check_status(H5Tinsert(type, "seed", seed_at, H5T_NATIVE_UINT64), "adding column seed");
  for (std::size_t i = 0; i < names.size(); ++i)
    check_status(H5Tinsert(type, names[i].first.c_str(), metrics_at + i * sizeof(double), H5T_NATIVE_DOUBLE),
                 "adding column " + names[i].first);
  std::vector<Handle> sweep_types;
  for (const auto& [key, at] : sweep_at) {
    sweep_types.push_back(h5::fixed_string_type(sweep_len[key]));
    check_status(H5Tinsert(type, ("sweep." + key).c_str(), at, sweep_types.back()), "adding column sweep." + key);
  }

  std::vector<std::byte> buf(runs.size() * row_bytes, std::byte{0});
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const RunResult& r = runs[k];
    std::byte* row = buf.data() + k * row_bytes;
    std::memcpy(row, r.policy.data(), r.policy.size());
    std::memcpy(row + policy_len, r.workload.data(), r.workload.size());
    std::memcpy(row + seed_at, &r.seed, sizeof r.seed);
    const auto fields = summary_fields(r.summary);
    for (std::size_t i = 0; i < fields.size(); ++i)
      std::memcpy(row + metrics_at + i * sizeof(double), &fields[i].second, sizeof(double));
    for (const auto& [key, at] : sweep_at) {
      auto it = r.sweep.find(key);
      if (it != r.sweep.end()) std::memcpy(row + at, it->second.data(), it->second.size());
    }
  }
  write_table(file, h5::kSummaryDataset, type,
              {{type, [&](std::size_t start, std::size_t) { return static_cast<const void*>(buf.data() + start * row_bytes); }}},
              runs.size(), runs.size(), deflate_level);
}

// Creates PATH.tmp (and PATH's directory) with the root attributes.
std::unique_ptr<h5::AtomicFile> create_file(const std::string& path, const ResultsFileMeta& meta) {
  Handle fcpl = h5::make_plist(H5Pcreate(H5P_FILE_CREATE), "creating file properties");
  set_group_properties(fcpl);
  Handle fapl = h5::make_plist(H5Pcreate(H5P_FILE_ACCESS), "creating file access properties");
  check_status(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "setting the close degree");
  auto file = std::make_unique<h5::AtomicFile>(path, fcpl, fapl);

  h5::write_attribute(*file, "fastgpu_version", kVersion);
  h5::write_attribute(*file, "git_describe", kGitDescribe);
  h5::write_attribute(*file, "schema_version", static_cast<std::uint64_t>(kSchemaVersion));
  h5::write_attribute(*file, "experiment", meta.experiment);
  h5::write_attribute(*file, "config_path", meta.config_path);
  h5::write_attribute(*file, "config_text", meta.config_text);
  h5::write_attribute(*file, "created_utc", utc_now_iso8601());
  if (!meta.gpu_type_names.empty()) h5::write_attribute(*file, "gpu_type_names", meta.gpu_type_names);
  if (meta.summary_only) h5::write_attribute(*file, "summary_only", std::uint64_t{1});
  return file;
}

}  // namespace

std::string run_group_path(const std::string& policy, const std::string& workload, std::uint64_t seed) {
  return fmt::format("{}/{}/{}/seed-{}", h5::kRunsGroup, escape_name(policy), escape_name(workload), seed);
}

struct ResultsWriter::File {
  std::unique_ptr<h5::AtomicFile> file;  // declared first: closed and removed last
  Handle runs_group;
  bool summary_only = false;
  int deflate_level = kDefaultDeflateLevel;
};

ResultsWriter::ResultsWriter(const std::string& path, const ResultsFileMeta& meta) : path_(path) {
  if (meta.deflate_level < 0 || meta.deflate_level > kMaxDeflateLevel)
    throw InputError(fmt::format("the deflate level must be in 0..{}, got {}", kMaxDeflateLevel, meta.deflate_level));
  guarded([&] {
    file_ = std::make_unique<File>();
    file_->file = create_file(path_, meta);
    file_->runs_group = create_group(*file_->file, h5::kRunsGroup);
    file_->summary_only = meta.summary_only;
    file_->deflate_level = meta.deflate_level;
  });
}

ResultsWriter::~ResultsWriter() {
  if (file_) abandon();
}

// Runs an HDF5 step; on any error the temporary file is removed and the error
// rethrown (HDF5's own errors as InputError naming the file).
template <class F>
void ResultsWriter::guarded(F&& f) {
  const h5::QuietErrors quiet;
  try {
    f();
  } catch (const h5::Error& e) {
    abandon();
    // Writing fails for reasons outside the program (a full disk, a quota):
    // bad input in the sense of the exit codes (2), and nothing is left behind.
    throw InputError(SourceLocation{path_, 0, ""}, fmt::format("cannot write the results file: {}", e.what()));
  } catch (...) {
    abandon();
    throw;
  }
}

void ResultsWriter::abandon() {
  const h5::QuietErrors quiet;
  file_.reset();  // closes the handles and removes the temporary file
}

void ResultsWriter::add(const RunResult& run) {
  if (!file_) throw InternalError("ResultsWriter::add after an error or finish");
  guarded([&] {
    check_run(run);
    write_run(file_->runs_group, run, file_->summary_only, file_->deflate_level);
  });
}

void ResultsWriter::finish(const std::vector<RunResult>& runs, const std::vector<BaselineVerdict>& verdicts) {
  if (!file_) throw InternalError("ResultsWriter::finish after an error or finish");
  guarded([&] {
    file_->runs_group.close("closing /runs");
    write_summary_table(*file_->file, runs, file_->deflate_level);
    h5::write_baseline_verdicts(*file_->file, verdicts);
    file_->file->commit();
  });
  file_.reset();
}

void write_results(const std::string& path, const ResultsFileMeta& meta, const std::vector<RunResult>& runs) {
  // Refused before anything (a directory, the .tmp) is created; add() checks
  // again, for callers that stream.
  for (const RunResult& r : runs) check_run(r);
  ResultsWriter writer(path, meta);
  for (const RunResult& r : runs) writer.add(r);
  writer.finish(runs);
}

}  // namespace fastgpu

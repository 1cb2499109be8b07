#include "workloads/csv_trace.h"

#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <tsl/robin_map.h>

#include "sim/error.h"
#include "sim/output_file.h"
#include "sim/parse_number.h"
#include "workloads/csv_scanner.h"
#include "workloads/gpu_count.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

enum Column : int {
  kId, kSubmit, kNumGpus, kWork, kPriority, kUser, kDeadline, kEarliestStart, kGpuType, kGpuMemory,
  kGpuShare, kPreemptible, kRequestedTime, kRecordedStart, kFailedAttempts, kDependsOn, kName, kVc, kColumnCount
};

constexpr std::array<const char*, kColumnCount> kColumnNames = {
    "id",        "submit",        "num_gpus",         "work",           "priority",   "user",
    "deadline",  "earliest_start", "gpu_type",        "gpu_memory_gb",  "gpu_share",  "preemptible",
    "requested_time", "recorded_start", "failed_attempts", "depends_on", "name", "vc"};

// A cell that cannot be used; caught per row so the row can be skipped.
struct BadCell {
  Column column;
  std::string message;
};

[[noreturn]] void bad(Column c, std::string message) { throw BadCell{c, std::move(message)}; }

// Numbers: blanks around them and a leading '+' are tolerated. The cells
// reach the number parser trimmed (each cell is trimmed once), so only the
// '+' is left to it.
constexpr NumberSyntax kNumberSyntax{.blanks = true, .plus = true};
constexpr NumberSyntax kTrimmedSyntax{.blanks = false, .plus = true};

// A cell of 1 to 7 digits and nothing else (most counts, flags and whole
// seconds), read without the general parser. The value is exact in a float
// and a double, so it equals what from_chars gives. The cell lies in the
// scanner's text, so CsvScanner::kFieldSlack bytes after it can be read: it is
// loaded as one word, its digits moved to the top with '0's below them, and
// all eight checked and converted at once, with no branch on its length.
[[gnu::always_inline]] inline bool small_whole_number(std::string_view cell, std::uint32_t& value) {
  static_assert(CsvScanner::kFieldSlack >= 8);
  const std::size_t n = cell.size();
  if (n - 1 >= 7) return false;  // 0 wraps round
  if constexpr (std::endian::native != std::endian::little) {
    std::uint32_t v = 0;
    for (char ch : cell) {
      const auto digit = static_cast<unsigned>(static_cast<unsigned char>(ch) - '0');
      if (digit > 9) return false;
      v = v * 10 + digit;
    }
    value = v;
    return true;
  }
  constexpr std::uint64_t kZeros = 0x3030303030303030ull, kHighNibbles = 0xF0F0F0F0F0F0F0F0ull;
  std::uint64_t word;
  std::memcpy(&word, cell.data(), sizeof word);
  // The first character is the lowest byte: the n characters go to the top
  // bytes, and '0's fill the 8 - n below (leading zeros of an 8-digit number).
  word = (word << (8 * (8 - n))) | (kZeros >> (8 * n));
  // Every byte 0x30..0x39: its high nibble is 3, and still 3 after adding 6.
  const bool digits =
      ((word & kHighNibbles) == kZeros) & (((word + 0x0606060606060606ull) & kHighNibbles) == kZeros);
  if (!digits) return false;
  // Eight digits to a number: pairs, then fours, then all eight.
  word -= kZeros;
  word = (word * 10) + (word >> 8);
  word = (((word & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
          (((word >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
         32;
  value = static_cast<std::uint32_t>(word);
  return true;
}

// A cell that is not a small whole number, through the general parser.
// Out of line, so that need() stays small enough to inline into the row loop.
template <class T>
[[gnu::noinline]] T need_general(std::string_view cell, Column c, const char* what) {
  T v{};
  if (parse_number(cell, v, kTrimmedSyntax) != NumberError::none)
    bad(c, fmt::format("'{}' is not {}", trace::excerpt(cell), what));
  return v;
}

// `cell` is trimmed and not empty.
template <class T>
inline T need(std::string_view cell, Column c, const char* what) {
  if (std::uint32_t small = 0; small_whole_number(cell, small)) return static_cast<T>(small);
  return need_general<T>(cell, c, what);
}

// Hashes std::string and std::string_view alike, for lookups by a view.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// `s` is trimmed.
bool parse_bool(std::string_view s, Column c) {
  auto is = [&](std::string_view word) {
    if (s.size() != word.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
      if ((s[i] | 0x20) != word[i]) return false;  // ASCII case-insensitive
    return true;
  };
  if (s == "1" || is("true")) return true;
  if (s == "0" || is("false")) return false;
  bad(c, fmt::format("'{}' is not 0, 1, true or false", trace::excerpt(s)));
}

// One data row, parsed and checked before anything is added to the workload,
// so a skipped row leaves no trace (no interned user, no dependency).
struct Row {
  Job job;
  JobTraceFields trace;
  std::string_view user, gpu_type, name, vc;
  std::vector<std::int64_t> depends_on;
  std::vector<FailedAttempt> failed;
};

// "LENGTH[@START];..." : each failed attempt's length and, if known, its
// recorded start, in order.
void parse_failed_attempts(std::string_view rest, std::vector<FailedAttempt>& out) {
  while (!rest.empty()) {
    const std::size_t semi = rest.find(';');
    const std::string_view part = trim_blanks(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    if (part.empty()) continue;
    const std::size_t at = part.find('@');
    FailedAttempt a;
    a.length = need<double>(trim_blanks(part.substr(0, at)), kFailedAttempts, "a length in seconds");
    if (!std::isfinite(a.length) || a.length < 0)
      bad(kFailedAttempts, fmt::format("a failed attempt's length must be >= 0 seconds, got {}", a.length));
    if (at != std::string_view::npos) {
      a.recorded_start = need<double>(trim_blanks(part.substr(at + 1)), kFailedAttempts, "a start in seconds");
      if (!std::isfinite(a.recorded_start)) bad(kFailedAttempts, "a failed attempt's start must be finite");
    }
    out.push_back(a);
  }
}

void parse_row(const std::vector<std::string_view>& fields, const std::vector<Column>& layout, Row& row) {
  Job& j = row.job;
  j = Job{};
  JobTraceFields& t = row.trace;
  t = JobTraceFields{};
  // One by one: a chained assignment reads each view back right after storing
  // it, which stalls on the store (a fifth of this function's time).
  row.user = {};
  row.gpu_type = {};
  row.name = {};
  row.vc = {};
  row.depends_on.clear();
  row.failed.clear();
  bool has_id = false, has_submit = false, has_gpus = false, has_work = false;
  for (std::size_t k = 0; k < layout.size(); ++k) {
    const std::string_view raw = fields[k];
    const std::string_view cell = trim_blanks(raw);  // the one trimming of the cell
    const bool blank = cell.empty();
    const Column c = layout[k];
    switch (c) {
      case kId:
        if (!blank) j.id = need<std::int64_t>(cell, c, "an integer id"), has_id = true;
        break;
      case kSubmit:
        if (!blank) j.submit = need<double>(cell, c, "a number of seconds"), has_submit = true;
        break;
      case kNumGpus:
        if (!blank) {
          const auto g = need<std::int64_t>(cell, c, "an integer GPU count");
          if (g < 1) bad(c, fmt::format("num_gpus must be >= 1, got {}", g));
          if (!trace::to_gpu_count(g, j.num_gpus))
            bad(c, fmt::format("num_gpus must be a whole number of GPUs in 1..{}, got {}", trace::kMaxGpusPerJob, g));
          has_gpus = true;
        }
        break;
      case kWork:
        if (!blank) j.work = need<double>(cell, c, "a number of seconds"), has_work = true;
        break;
      case kPriority:
        if (!blank) j.priority = need<std::int32_t>(cell, c, "a 32-bit integer priority");
        break;
      case kUser: row.user = raw; break;
      case kDeadline:
        if (!blank) j.deadline = need<double>(cell, c, "a number of seconds");
        break;
      case kEarliestStart:
        if (!blank) t.earliest_start = need<double>(cell, c, "a number of seconds");
        break;
      case kGpuType: row.gpu_type = cell; break;
      case kGpuMemory:
        if (!blank) j.gpu_memory_gb = need<float>(cell, c, "a number of GB");
        break;
      case kGpuShare:
        if (!blank) j.gpu_share = need<float>(cell, c, "a fraction of a GPU");
        break;
      case kPreemptible:
        if (!blank) j.preemptible = parse_bool(cell, c);
        break;
      case kRequestedTime:
        if (!blank) t.requested_time = need<double>(cell, c, "a number of seconds");
        break;
      case kRecordedStart:
        if (!blank) t.recorded_start = need<double>(cell, c, "a number of seconds");
        break;
      case kFailedAttempts: parse_failed_attempts(cell, row.failed); break;
      case kDependsOn: {
        std::string_view rest = cell;
        while (!rest.empty()) {
          const std::size_t semi = rest.find(';');
          const std::string_view part = trim_blanks(rest.substr(0, semi));
          if (!part.empty()) row.depends_on.push_back(need<std::int64_t>(part, c, "a job id"));
          rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        }
        break;
      }
      case kName: row.name = raw; break;
      case kVc: row.vc = cell; break;
      case kColumnCount: break;
    }
  }
  if (!has_id) bad(kId, "id is empty");
  if (!has_submit) bad(kSubmit, "submit is empty");
  if (!has_gpus) bad(kNumGpus, "num_gpus is empty");
  if (!has_work) bad(kWork, "work is empty");
  // The range checks of Workload::finalize, here so that errors carry a line.
  if (!std::isfinite(j.submit) || j.submit < 0) bad(kSubmit, fmt::format("submit must be >= 0, got {}", j.submit));
  if (!std::isfinite(j.work) || j.work <= 0) bad(kWork, fmt::format("work must be > 0 seconds, got {}", j.work));
  if (!(j.gpu_share > 0 && j.gpu_share <= 1) || j.milli_per_gpu() == 0)
    bad(kGpuShare, fmt::format("gpu_share must be in [0.001, 1], got {}", j.gpu_share));
  if (j.gpu_share < 1 && j.num_gpus != 1)
    bad(kGpuShare, fmt::format("gpu_share {} < 1 needs num_gpus = 1, got {}", j.gpu_share, j.num_gpus));
  if (!std::isfinite(j.gpu_memory_gb) || j.gpu_memory_gb < 0)
    bad(kGpuMemory, fmt::format("gpu_memory_gb must be >= 0, got {}", j.gpu_memory_gb));
  if (std::isnan(j.deadline) || (j.has_deadline() && j.deadline <= j.submit))
    bad(kDeadline, fmt::format("deadline {} must be after submit {}", j.deadline, j.submit));
  if (!std::isfinite(t.earliest_start))
    bad(kEarliestStart, fmt::format("earliest_start must be finite, got {}", t.earliest_start));
  if (!std::isnan(t.requested_time) && !(std::isfinite(t.requested_time) && t.requested_time >= 0))
    bad(kRequestedTime, fmt::format("requested_time must be >= 0, got {}", t.requested_time));
  if (!std::isnan(t.recorded_start) && !std::isfinite(t.recorded_start))
    bad(kRecordedStart, "recorded_start must be finite");
  for (std::int64_t d : row.depends_on)
    if (d == j.id) bad(kDependsOn, "a job cannot depend on itself");
}

// Splits "A|B" into type names.
std::vector<std::string> split_types(std::string_view s) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t bar = s.find('|');
    const std::string_view part = trim_blanks(s.substr(0, bar));
    if (!part.empty()) out.emplace_back(part);
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

void read_one(const std::string& path, const TraceReadOptions& options, Workload& out, TraceReadReport& report,
              std::unordered_set<std::int64_t>& skipped_ids) {
  CsvScanner csv(path);
  if (!csv.next()) throw InputError(SourceLocation{path, 1, ""}, "empty file: a header row is required");
  std::vector<Column> layout;
  std::array<bool, kColumnCount> present{};
  for (std::string_view raw : csv.fields()) {
    const std::string_view name = trim_blanks(raw);
    int c = 0;
    while (c < kColumnCount && name != kColumnNames[c]) ++c;
    if (c == kColumnCount) {
      throw InputError(SourceLocation{path, csv.line(), std::string(name)},
                       fmt::format("unknown column '{}' (known: {})", name, fmt::join(kColumnNames, ", ")));
    }
    if (present[c]) throw InputError(SourceLocation{path, csv.line(), std::string(name)}, "duplicate column");
    present[c] = true;
    layout.push_back(static_cast<Column>(c));
  }
  for (Column c : {kId, kSubmit, kNumGpus, kWork})
    if (!present[c])
      throw InputError(SourceLocation{path, csv.line(), kColumnNames[c]},
                       fmt::format("required column '{}' is missing", kColumnNames[c]));

  const bool skip = options.skip_bad_rows && !options.strict;
  const bool has_names = present[kName];
  const bool has_trace_fields =
      present[kEarliestStart] || present[kRequestedTime] || present[kRecordedStart] || present[kFailedAttempts];
  if (has_names && out.job_names.size() < out.jobs.size()) out.job_names.resize(out.jobs.size());
  std::unordered_map<std::string, std::uint16_t> type_cache;  // cell text -> constraint
  // User name -> index, looked up by the cell's view (no string per row), once
  // a row. Open addressing over a power-of-two table with the hash stored: no
  // division by a prime per lookup (std::unordered_map's), no key compare on a
  // mismatch.
  tsl::robin_map<std::string, std::uint32_t, NameHash, std::equal_to<>,
                 std::allocator<std::pair<std::string, std::uint32_t>>, /*StoreHash=*/true>
      users;
  Row row;
  auto reject = [&](const std::string& reason, const char* field, const std::string& message) {
    if (!skip) throw InputError(SourceLocation{path, csv.line(), field}, message);
    ++report.skipped[reason];
  };
  const std::uint64_t data_start = csv.offset();
  std::uint64_t file_rows = 0;
  while (csv.next()) {
    ++report.rows;
    // Size the job table from the first rows (growing it by doubling would copy
    // every job once more and touch twice the memory).
    if (++file_rows == 512 && csv.file_size() > csv.offset()) {
      const double per_row = static_cast<double>(csv.offset() - data_start) / 512;
      trace::reserve_jobs(out, static_cast<std::size_t>(static_cast<double>(csv.file_size() - data_start) / per_row * 1.1),
                          {.names = !out.job_names.empty() || has_names, .trace_fields = has_trace_fields});
    }
    const auto& fields = csv.fields();
    if (csv.open_quote()) {
      reject("truncated row", "", "quoted field not closed at the end of the file");
      continue;
    }
    if (fields.size() != layout.size()) {
      if (csv.at_unterminated_end() && fields.size() < layout.size())
        reject("truncated row", "",
               fmt::format("row cut short at the end of the file ({} of {} fields): file cut?", fields.size(),
                           layout.size()));
      else
        reject("wrong column count", "", fmt::format("expected {} fields, found {}", layout.size(), fields.size()));
      continue;
    }
    // The fields lie one after the other in the scanner's text: one check of
    // the whole span, and a field-by-field one only to name a bad field.
    const std::string_view span(fields.front().data(),
                                static_cast<std::size_t>(fields.back().data() + fields.back().size() -
                                                         fields.front().data()));
    std::size_t bad_field = 0, bad_byte = std::string_view::npos;
    if (!csv.record_is_ascii() && trace::find_invalid_utf8(span) != std::string_view::npos)
      for (; bad_field < fields.size(); ++bad_field)
        if ((bad_byte = trace::find_invalid_utf8(fields[bad_field])) != std::string_view::npos) break;
    if (bad_byte != std::string_view::npos) {
      reject("invalid UTF-8", kColumnNames[layout[bad_field]],
             fmt::format("invalid UTF-8 at byte {} of the field", bad_byte + 1));
      continue;
    }
    try {
      parse_row(fields, layout, row);
    } catch (const BadCell& e) {
      if (skip) {
        // Remember the id if it could be read, to drop dependencies on this row.
        for (std::size_t k = 0; k < layout.size(); ++k) {
          std::int64_t id = 0;
          if (layout[k] == kId && parse_number(fields[k], id, kNumberSyntax) == NumberError::none) skipped_ids.insert(id);
        }
      }
      reject(fmt::format("malformed {}", kColumnNames[e.column]), kColumnNames[e.column], e.message);
      continue;
    }
    Job& j = row.job;
    if (present[kUser]) {
      auto it = users.find(row.user);
      if (it == users.end()) {
        std::string name(row.user);
        const std::uint32_t index = out.intern_user(name);
        it = users.emplace(std::move(name), index).first;
      }
      j.user = it.value();
    }
    if (!row.gpu_type.empty()) {
      auto it = type_cache.find(std::string(row.gpu_type));
      if (it == type_cache.end())
        it = type_cache.emplace(std::string(row.gpu_type), out.intern_type_constraint(split_types(row.gpu_type))).first;
      j.gpu_types = it->second;
    }
    if (!row.vc.empty()) j.vc = out.intern_vc(row.vc);  // a blank cell: no VC
    for (std::int64_t d : row.depends_on) out.dependencies.emplace_back(d, j.id);
    if (has_names || !out.job_names.empty()) out.job_names.emplace_back(row.name);
    if (!row.failed.empty()) out.set_failed_attempts(row.trace, row.failed);
    out.push_job(j, row.trace);
    ++report.kept;
  }
}

// Cell text for a double: shortest form that reads back to the same value.
void put(fmt::memory_buffer& b, double v) { fmt::format_to(std::back_inserter(b), "{}", v); }
void put(fmt::memory_buffer& b, float v) { fmt::format_to(std::back_inserter(b), "{}", v); }

void put_text(fmt::memory_buffer& b, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos && trim_blanks(s).size() == s.size()) {
    b.append(s);
    return;
  }
  b.push_back('"');
  for (char c : s) {
    if (c == '"') b.push_back('"');
    b.push_back(c);
  }
  b.push_back('"');
}

}  // namespace

const std::vector<std::string>& csv_trace_columns() {
  static const std::vector<std::string> names(kColumnNames.begin(), kColumnNames.end());
  return names;
}

void read_csv_trace(const std::vector<std::string>& paths, const TraceReadOptions& options, Workload& out,
                    TraceReadReport& report) {
  std::unordered_set<std::int64_t> skipped_ids;
  for (const auto& path : paths) read_one(path, options, out, report, skipped_ids);
  if (!skipped_ids.empty() && !out.dependencies.empty()) {
    const std::size_t before = out.dependencies.size();
    std::erase_if(out.dependencies, [&](const auto& d) { return skipped_ids.count(d.first) > 0; });
    if (out.dependencies.size() != before)
      report.assumptions.push_back(
          fmt::format("dropped {} dependencies on skipped rows", before - out.dependencies.size()));
  }
}

void write_csv_trace(const Workload& w, const std::string& path) {
  const bool users = !w.users.empty(), names = !w.job_names.empty(), failed = !w.failed_attempts.empty();
  const bool vcs = !w.vcs.empty();
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> deps;  // after -> befores, in input order
  for (auto [before, after] : w.dependencies) deps[after].push_back(before);
  std::vector<std::string> type_cells(w.type_constraints.size() + 1);
  for (std::size_t k = 0; k < w.type_constraints.size(); ++k) {
    for (const auto& t : w.type_constraints[k]) {
      if (t.find('|') != std::string::npos)
        throw InputError(SourceLocation{path, 0, "gpu_type"}, fmt::format("GPU type name '{}' contains '|'", t));
      type_cells[k + 1] += (type_cells[k + 1].empty() ? "" : "|") + t;
    }
  }

  for (const Job& j : w.jobs) {  // before anything is written
    if (j.gpu_types > w.type_constraints.size())
      throw InternalError(fmt::format("job {}: type constraint {} does not exist", j.id, j.gpu_types));
    if (users && j.user >= w.users.size())
      throw InternalError(fmt::format("job {}: user {} does not exist", j.id, j.user));
    if (j.vc > w.vcs.size()) throw InternalError(fmt::format("job {}: virtual cluster {} does not exist", j.id, j.vc));
  }
  if (names && w.job_names.size() != w.jobs.size())
    throw InternalError(fmt::format("{} job names for {} jobs", w.job_names.size(), w.jobs.size()));
  if (!w.trace_fields.empty() && w.trace_fields.size() != w.jobs.size())
    throw InternalError(fmt::format("{} trace field rows for {} jobs", w.trace_fields.size(), w.jobs.size()));

  OutputFile file(path);  // removes its temporary file on every error path
  std::FILE* f = std::fopen(file.temp_path().c_str(), "wb");
  if (!f) throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot write: {}", std::strerror(errno)));
  int err = 0;
  bool ok = true;
  fmt::memory_buffer b;
  auto flush = [&] {
    if (b.size() && ok && std::fwrite(b.data(), 1, b.size(), f) != b.size()) ok = false, err = errno;
    b.clear();
  };
  for (int c = 0; c < kColumnCount; ++c) {
    if ((c == kUser && !users) || (c == kName && !names) || (c == kFailedAttempts && !failed) || (c == kVc && !vcs))
      continue;
    if (b.size()) b.push_back(',');
    b.append(std::string_view(kColumnNames[c]));
  }
  b.push_back('\n');
  for (std::size_t i = 0; i < w.jobs.size(); ++i) {
    const Job& j = w.jobs[i];
    const JobTraceFields& t = w.trace_fields_of(static_cast<JobIndex>(i));
    auto out = std::back_inserter(b);
    fmt::format_to(out, "{},", j.id);
    put(b, j.submit);
    fmt::format_to(out, ",{},", j.num_gpus);
    put(b, j.work);
    fmt::format_to(out, ",{},", j.priority);
    if (users) {
      put_text(b, w.user_name(j.user));
      b.push_back(',');
    }
    if (j.has_deadline()) put(b, j.deadline);
    b.push_back(',');
    put(b, t.earliest_start);
    b.push_back(',');
    put_text(b, type_cells[j.gpu_types]);
    b.push_back(',');
    put(b, j.gpu_memory_gb);
    b.push_back(',');
    put(b, j.gpu_share);
    b.append(std::string_view(j.preemptible ? ",1," : ",0,"));
    if (!std::isnan(t.requested_time)) put(b, t.requested_time);
    b.push_back(',');
    if (!std::isnan(t.recorded_start)) put(b, t.recorded_start);
    b.push_back(',');
    if (failed) {
      bool first = true;
      for (const FailedAttempt& a : w.failed_attempts_of(static_cast<JobIndex>(i))) {
        if (!first) b.push_back(';');
        first = false;
        put(b, a.length);
        if (!std::isnan(a.recorded_start)) {
          b.push_back('@');
          put(b, a.recorded_start);
        }
      }
      b.push_back(',');
    }
    if (auto it = deps.find(j.id); it != deps.end()) fmt::format_to(out, "{}", fmt::join(it->second, ";"));
    if (names) {
      b.push_back(',');
      put_text(b, w.job_names[i]);
    }
    if (vcs) {
      b.push_back(',');
      put_text(b, w.vc_name(j.vc));
    }
    b.push_back('\n');
    if (b.size() > (std::size_t{1} << 20)) flush();
  }
  flush();
  if (std::fclose(f) != 0 && ok) ok = false, err = errno;
  if (!ok) throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot write: {}", std::strerror(err)));
  file.commit();
}

}  // namespace fastgpu

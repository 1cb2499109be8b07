#include "workloads/trace_io.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "sim/huge_pages.h"
#include "sim/parse_number.h"

namespace fastgpu::trace {

// ---------------------------------------------------------------------------
// LineReader

namespace {
constexpr std::size_t kChunk = 1 << 20;
}

void throw_cannot_open(const std::string& path) {
  if (errno == ENOENT)
    throw InputError({path, 0, ""}, "cannot open trace file: no such file (docs/trace-formats.md says where each "
                                    "public trace is published; configs/replay-*.toml expect the samples in "
                                    "../shared/data next to the repository)");
  throw InputError({path, 0, ""}, fmt::format("cannot open trace file: {}", std::strerror(errno)));
}

void reject_cr_only_line_ends(const std::string& path, std::string_view head) {
  const std::size_t end = head.find_first_of("\r\n");
  if (end == std::string_view::npos || head[end] == '\n') return;
  if (end + 1 < head.size() && head[end + 1] == '\n') return;  // CRLF
  if (end + 1 == head.size()) return;                           // a CR ending the file (or the block)
  throw InputError({path, 1, ""}, "line ends are carriage returns only (classic Mac text): convert them to "
                                  "newlines first (tr '\\r' '\\n' < IN > OUT)");
}

LineReader::LineReader(std::string path) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "rb");
  if (!file_) throw_cannot_open(path_);
  // A small file gets a buffer its size (refill() grows a full buffer):
  // zeroing 1 MiB per file dominated reading many small files (fuzzing).
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path_, ec);
  buf_.resize(!ec && size > 0 && size < kChunk ? size + 1 : kChunk);
  refill();
  if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;  // UTF-8 byte order mark
  reject_cr_only_line_ends(path_, std::string_view(buf_.data() + begin_, end_ - begin_));
}

LineReader::~LineReader() {
  if (file_) std::fclose(file_);
}

bool LineReader::refill() {
  if (eof_) return false;
  // Keep the unconsumed tail, grow when one line fills the whole buffer.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (got == 0) {
    if (std::ferror(file_)) throw InputError({path_, line_ + 1, ""}, "read error");
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool LineReader::next(std::string_view& line) {
  std::size_t scan_from = begin_;
  for (;;) {
    const char* base = buf_.data();
    const void* nl = std::memchr(base + scan_from, '\n', end_ - scan_from);
    if (nl) {
      std::size_t pos = static_cast<const char*>(nl) - base;
      std::size_t len = pos - begin_;
      if (len > 0 && base[begin_ + len - 1] == '\r') --len;
      line = std::string_view(base + begin_, len);
      begin_ = pos + 1;
      ++line_;
      unterminated_ = false;
      return true;
    }
    std::size_t scanned = end_ - begin_;
    if (!refill()) {
      if (end_ == begin_) return false;
      std::size_t len = end_ - begin_;
      if (buf_[begin_ + len - 1] == '\r') --len;
      line = std::string_view(buf_.data() + begin_, len);
      begin_ = end_;
      ++line_;
      unterminated_ = true;
      return true;
    }
    scan_from = begin_ + scanned;  // refill() moved the tail to the front
  }
}

std::string excerpt(std::string_view field) {
  constexpr std::size_t kShown = 60;
  if (field.size() <= kShown + 20) return std::string(field);
  std::size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(field[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return fmt::format("{}... ({} bytes)", field.substr(0, cut), field.size());
}

std::string format_epoch_seconds(double seconds) {
  // Years 0..9999 only: anything else is not a date a trace meant.
  if (!(std::abs(seconds) < 2.5e11)) return fmt::format("{:g} s", seconds);
  return format_datetime(static_cast<std::int64_t>(seconds));
}

std::size_t find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Fields

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void split_whitespace(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= n) break;
    std::size_t j = i;
    while (j < n && line[j] != ' ' && line[j] != '\t') ++j;
    out.push_back(line.substr(i, j - i));
    i = j;
  }
}

bool parse_double(std::string_view s, double& out) {
  double value = 0;
  if (parse_number(s, value, {.blanks = true, .plus = true}) != NumberError::none || !std::isfinite(value)) return false;
  out = value;
  return true;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  return parse_number(s, out, {.blanks = true, .plus = true}) == NumberError::none;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days{year{static_cast<int>(y)} / month{m} / day{d}}.time_since_epoch().count();
}

namespace {
bool digits(std::string_view s, std::size_t pos, std::size_t count, unsigned& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

// The calendar day of a time in seconds since the epoch, and the seconds into it.
std::chrono::sys_days day_of(std::int64_t seconds) {
  return std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{seconds}});
}

std::int64_t seconds_of(std::chrono::sys_days day) {
  return std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count();
}
}  // namespace

namespace {

// "YYYY-MM-DD" at the start of `s` -> seconds of that day since the epoch.
bool date_part(std::string_view s, std::int64_t& day_seconds) {
  unsigned y, mo, d;
  if (!digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d)) return false;
  using namespace std::chrono;
  const year_month_day date{year{static_cast<int>(y)}, month{mo}, day{d}};
  if (!date.ok()) return false;
  day_seconds = seconds_of(sys_days{date});
  return true;
}

// " HH:MM:SS" (or "THH:MM:SS", optional ".fraction") from byte 10 of `s` ->
// seconds into the day.
bool time_part(std::string_view s, std::int64_t& seconds) {
  unsigned h, mi, se;
  if ((s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) ||
      s[16] != ':' || !digits(s, 17, 2, se))
    return false;
  if (s.size() > 19) {  // optional fraction, ignored
    if (s[19] != '.') return false;
    for (std::size_t i = 20; i < s.size(); ++i)
      if (s[i] < '0' || s[i] > '9') return false;
  }
  if (h > 23 || mi > 59 || se > 60) return false;
  seconds = h * 3600 + mi * 60 + se;
  return true;
}

}  // namespace

bool parse_datetime(std::string_view s, std::int64_t& seconds) {
  s = trim(s);
  std::int64_t day = 0, time = 0;
  if (s.size() < 19 || !date_part(s, day) || !time_part(s, time)) return false;
  seconds = day + time;
  return true;
}

bool DatetimeParser::parse(std::string_view s, std::int64_t& seconds) {
  s = trim(s);
  if (s.size() < 19) return false;
  if (!has_date_ || s.compare(0, date_.size(), std::string_view(date_.data(), date_.size())) != 0) {
    if (!date_part(s, day_seconds_)) {
      has_date_ = false;
      return false;
    }
    std::copy_n(s.data(), date_.size(), date_.data());
    has_date_ = true;
  }
  std::int64_t time = 0;
  if (!time_part(s, time)) return false;
  seconds = day_seconds_ + time;
  return true;
}

std::int64_t us_pacific_to_utc(std::int64_t wall) { return UsPacificClock().to_utc(wall); }

void UsPacificClock::learn_year(std::int64_t wall) {
  using namespace std::chrono;
  const year y = year_month_day{day_of(wall)}.year();
  year_start_ = seconds_of(sys_days{y / January / 1});
  next_year_start_ = seconds_of(sys_days{(y + years{1}) / January / 1});
  // Wall-clock times of the switches: 02:00 on the second Sunday of March
  // and 02:00 (the PDT reading) on the first Sunday of November.
  dst_start_ = seconds_of(sys_days{y / March / Sunday[2]}) + 2 * 3600;
  dst_end_ = seconds_of(sys_days{y / November / Sunday[1]}) + 2 * 3600;
}

std::string format_datetime(std::int64_t seconds) {
  using namespace std::chrono;
  const sys_days day = day_of(seconds);
  const year_month_day date{day};
  const hh_mm_ss time{sys_seconds{std::chrono::seconds{seconds}} - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count());
}

// ---------------------------------------------------------------------------
// Issues

void Issues::skip(const SourceLocation& where, const std::string& why, const std::string& detail) {
  if (options_.strict)
    throw InputError(where, fmt::format("job would be skipped ({}){}{} [--strict]", why, detail.empty() ? "" : ": ",
                                        detail));
  ++report_.skipped[why];
}

void Issues::bad_row(const SourceLocation& where, const std::string& what) {
  if (options_.strict || !options_.skip_bad_rows)
    throw InputError(where, what + (options_.strict ? "" : " (--skip-bad-rows skips such rows)"));
  ++report_.skipped[reason::malformed];
}

void Issues::note(std::string_view text, std::uint64_t count) {
  auto it = notes_.find(text);
  if (it == notes_.end()) {
    it = notes_.emplace(std::string(text), 0).first;
    note_order_.emplace_back(text);
  }
  it->second += count;
}

void Issues::finish() {
  for (const auto& text : note_order_) {
    std::uint64_t n = notes_[text];
    report_.assumptions.push_back(n > 1 ? fmt::format("{} ({} rows)", text, n) : text);
  }
  notes_.clear();
  note_order_.clear();
}

bool RowFields::number(std::string_view text, const char* field, double& out) {
  if (parse_double(text, out)) return true;
  issues_.bad_row(at(field), fmt::format("not a number: '{}'", excerpt(text)));
  return false;
}

bool RowFields::integer(std::string_view text, const char* field, std::int64_t& out) {
  if (parse_int(text, out)) return true;
  issues_.bad_row(at(field), fmt::format("not an integer: '{}'", excerpt(text)));
  return false;
}

bool RowFields::datetime(std::string_view text, const char* field, std::int64_t& out) {
  if (parse_datetime(text, out)) return true;
  issues_.bad_row(at(field), fmt::format("not a date 'YYYY-MM-DD HH:MM:SS': '{}'", excerpt(text)));
  return false;
}

bool runtime_ok(Issues& issues, const SourceLocation& where, double runtime) {
  if (runtime < 0) {
    issues.skip(where, reason::negative_runtime, fmt::format("{} s", runtime));
    return false;
  }
  if (runtime == 0) {
    issues.skip(where, reason::zero_runtime, "a job must run for more than 0 s");
    return false;
  }
  return true;
}

bool check_line(Issues& issues, const LineReader& in, std::string_view line) {
  std::size_t bad = find_invalid_utf8(line);
  if (bad != std::string_view::npos) {
    issues.bad_row({in.path(), in.line_number(), ""}, fmt::format("invalid UTF-8 at byte {} of the line", bad + 1));
    return false;
  }
  if (in.last_unterminated())
    issues.note(fmt::format("{}: the last line has no line terminator (was the file cut?)", in.path()));
  return true;
}

CsvRows::CsvRows(const std::string& path, Issues& issues, char sep, bool header, std::size_t columns,
                 std::string_view header_marker)
    : csv_(path, sep), issues_(issues), columns_(columns), header_marker_(header_marker) {
  if (!header) return;
  if (!csv_.next()) throw InputError({path, 0, ""}, "empty file: expected a header row");
  if (csv_.open_quote()) throw InputError({path, csv_.line(), ""}, "unterminated quote in the header row");
  for (std::string_view f : csv_.fields()) {
    if (find_invalid_utf8(f) != std::string_view::npos)
      throw InputError({path, csv_.line(), ""}, "invalid UTF-8 in the header row");
    header_.emplace_back(trim(f));
  }
  columns_ = header_.size();
  first_ = false;
}

int CsvRows::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvRows::require(std::string_view name) const {
  int c = column(name);
  if (c < 0) {
    std::string have;
    for (const auto& h : header_) have += (have.empty() ? "" : ",") + h;
    throw InputError({csv_.path(), 1, std::string(name)},
                     fmt::format("missing column '{}' (the header has: {})", name, have));
  }
  return c;
}

bool CsvRows::valid_utf8() {
  const auto& fields = csv_.fields();
  // The fields lie one after the other, separators between them (CsvScanner):
  // one check of the whole row, field by field only to say where.
  const std::string_view row(fields.front().data(), static_cast<std::size_t>(fields.back().data() +
                                                                            fields.back().size() - fields.front().data()));
  if (find_invalid_utf8(row) == std::string_view::npos) return true;
  for (std::string_view f : fields) {
    const std::size_t bad = find_invalid_utf8(f);
    if (bad == std::string_view::npos) continue;
    // The offset is the byte in the row (with its quoting undone).
    issues_.bad_row(at(""), fmt::format("invalid UTF-8 at byte {} of the row", f.data() - fields.front().data() + bad + 1));
    return false;
  }
  return true;
}

bool CsvRows::next() {
  while (csv_.next()) {
    if (!valid_utf8()) continue;
    if (csv_.at_unterminated_end())
      issues_.note(fmt::format("{}: the last line has no line terminator (was the file cut?)", csv_.path()));
    if (csv_.open_quote()) {
      issues_.bad_row(at(""), "unterminated quote: the file ends inside a quoted field (cut?)");
      continue;
    }
    if (first_) {
      first_ = false;
      if (!header_marker_.empty() && trim(csv_.fields()[0]) == header_marker_) continue;  // optional header
    }
    if (size() != columns_) {
      issues_.bad_row(at(""), fmt::format("expected {} columns, found {}{}", columns_, size(),
                                          csv_.at_unterminated_end() ? " (the file ends inside this row: cut?)" : ""));
      continue;
    }
    return true;
  }
  return false;
}

void reserve_for_file(Workload& out, const std::string& path, std::size_t bytes_per_row, ReservedColumns columns) {
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || bytes_per_row == 0) return;
  // Cap the guess: a wrong estimate must not allocate absurdly.
  std::size_t rows = static_cast<std::size_t>(std::min<std::uintmax_t>(size / bytes_per_row + 16, 1u << 26));
  reserve_jobs(out, rows, columns);
}

void reserve_jobs(Workload& out, std::size_t rows, ReservedColumns columns) {
  // Huge pages are advice only; nothing changes where it is not taken.
  reserve_huge_pages(out.jobs, out.jobs.size() + rows);
  if (columns.names) reserve_huge_pages(out.job_names, out.job_names.size() + rows);
  // The column, once made, is as long as the job table.
  if (columns.trace_fields) reserve_huge_pages(out.trace_fields, out.jobs.size() + rows);
}

namespace {

void note_origin(Issues& issues, double origin, const std::function<std::string(double origin)>& origin_label) {
  std::string label = origin_label ? origin_label(origin) : fmt::format("{:g} s in the trace's clock", origin);
  issues.note("time 0 = the first kept submit (" + label + ")");
}

// Moves the jobs' recorded starts back by `recorded` and their windows by
// `window` (not below 0). A window at its default 0 moves as well: an origin
// before 0 (window < 0) opens every job's window at -window, so the column is
// made for every job.
void shift_trace_fields(Workload& out, double recorded, double window) {
  if (out.trace_fields.empty() && window < 0) out.mutable_trace_fields(0);
  for (JobTraceFields& t : out.trace_fields) {
    if (!std::isnan(t.recorded_start)) t.recorded_start -= recorded;
    t.earliest_start = std::max(0.0, t.earliest_start - window);
  }
}

}  // namespace

void rebase_to_first_submit(Workload& out, Issues& issues,
                            const std::function<std::string(double origin)>& origin_label) {
  if (out.jobs.empty()) return;
  double origin = std::numeric_limits<double>::infinity();
  for (const Job& j : out.jobs) origin = std::min(origin, j.submit);
  for (Job& j : out.jobs) {
    j.submit -= origin;
    if (j.deadline != kNever) j.deadline -= origin;
  }
  shift_trace_fields(out, origin, origin);
  for (FailedAttempt& a : out.failed_attempts)
    if (!std::isnan(a.recorded_start)) a.recorded_start -= origin;
  note_origin(issues, origin, origin_label);
}

void SubmitOrigin::finish(Workload& out, Issues& issues, const std::function<std::string(double origin)>& origin_label) {
  if (!started_ || out.jobs.empty()) return;
  // Jobs were stored less origin_; earliest_start and deadline were left alone.
  if (earliest_ < origin_ || earliest_ < 0) {
    const double shift = earliest_ - origin_;
    for (Job& j : out.jobs) {
      j.submit -= shift;
      if (j.deadline != kNever) j.deadline -= earliest_;
    }
    shift_trace_fields(out, shift, earliest_);
    for (FailedAttempt& a : out.failed_attempts)
      if (!std::isnan(a.recorded_start)) a.recorded_start -= shift;
  }
  note_origin(issues, earliest_, origin_label);
}

std::string file_stem(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::size_t dot = name.find('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace fastgpu::trace

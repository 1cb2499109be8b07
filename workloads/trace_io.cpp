#include "workloads/trace_io.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

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

LineReader::LineReader(std::string path) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "rb");
  if (!file_) throw_cannot_open(path_);
  buf_.resize(kChunk);
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

bool split_csv(std::string_view line, char sep, std::vector<std::string_view>& out, std::deque<std::string>& scratch) {
  out.clear();
  std::size_t i = 0, n = line.size();
  for (;;) {
    if (i < n && line[i] == '"') {
      std::string& field = scratch.emplace_back();
      ++i;
      for (;;) {
        if (i >= n) return false;  // unterminated quote
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      // Anything between the closing quote and the separator is kept verbatim.
      std::size_t stop = line.find(sep, i);
      if (stop == std::string_view::npos) stop = n;
      field.append(line.substr(i, stop - i));
      out.emplace_back(field);
      if (stop >= n) return true;
      i = stop + 1;
    } else {
      std::size_t stop = line.find(sep, i);
      if (stop == std::string_view::npos) {
        out.push_back(line.substr(i));
        return true;
      }
      out.push_back(line.substr(i, stop - i));
      i = stop + 1;
    }
  }
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
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

bool parse_int(std::string_view s, std::int64_t& out) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm (public domain), exact for the proleptic Gregorian calendar.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
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

unsigned days_in_month(unsigned y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}
}  // namespace

bool parse_datetime(std::string_view s, std::int64_t& seconds) {
  s = trim(s);
  unsigned y, mo, d, h, mi, se;
  if (s.size() < 19 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return false;
  if (s.size() > 19) {  // optional fraction, ignored
    if (s[19] != '.') return false;
    for (std::size_t i = 20; i < s.size(); ++i)
      if (s[i] < '0' || s[i] > '9') return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60) return false;
  seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

std::int64_t us_pacific_to_utc(std::int64_t wall) {
  // Year of the wall-clock reading.
  std::int64_t days = wall >= 0 ? wall / 86400 : (wall - 86399) / 86400;
  // civil_from_days (Hinnant) for the year only.
  std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  auto weekday = [](std::int64_t day) {  // 0 = Sunday; 1970-01-01 was a Thursday
    return static_cast<unsigned>(((day % 7) + 11) % 7);
  };
  std::int64_t march1 = days_from_civil(y, 3, 1);
  std::int64_t second_sunday_march = march1 + (7 - weekday(march1)) % 7 + 7;
  std::int64_t nov1 = days_from_civil(y, 11, 1);
  std::int64_t first_sunday_nov = nov1 + (7 - weekday(nov1)) % 7;
  std::int64_t dst_start = second_sunday_march * 86400 + 2 * 3600;  // wall clock
  std::int64_t dst_end = first_sunday_nov * 86400 + 2 * 3600;       // wall clock (PDT reading)
  bool dst = wall >= dst_start && wall < dst_end;
  return wall + (dst ? 7 : 8) * 3600;
}

std::string format_datetime(std::int64_t seconds) {
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  std::int64_t rem = seconds - days * 86400;
  std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", y, m, d, rem / 3600, (rem / 60) % 60, rem % 60);
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
  issues_.bad_row(at(field), fmt::format("not a number: '{}'", text));
  return false;
}

bool RowFields::integer(std::string_view text, const char* field, std::int64_t& out) {
  if (parse_int(text, out)) return true;
  issues_.bad_row(at(field), fmt::format("not an integer: '{}'", text));
  return false;
}

bool RowFields::datetime(std::string_view text, const char* field, std::int64_t& out) {
  if (parse_datetime(text, out)) return true;
  issues_.bad_row(at(field), fmt::format("not a date 'YYYY-MM-DD HH:MM:SS': '{}'", text));
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
    : in_(path), issues_(issues), sep_(sep), columns_(columns), header_marker_(header_marker) {
  if (!header) return;
  std::string_view line;
  while (in_.next(line)) {
    if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // UTF-8 BOM
    if (trim(line).empty()) continue;
    if (find_invalid_utf8(line) != std::string_view::npos)
      throw InputError({path, in_.line_number(), ""}, "invalid UTF-8 in the header row");
    if (!split_csv(line, sep_, fields_, scratch_))
      throw InputError({path, in_.line_number(), ""}, "unterminated quote in the header row");
    for (auto f : fields_) header_.emplace_back(trim(f));
    columns_ = header_.size();
    first_ = false;
    return;
  }
  throw InputError({path, 0, ""}, "empty file: expected a header row");
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
    throw InputError({in_.path(), 1, std::string(name)},
                     fmt::format("missing column '{}' (the header has: {})", name, have));
  }
  return c;
}

bool CsvRows::next() {
  std::string_view line;
  while (in_.next(line)) {
    if (first_ && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (trim(line).empty()) continue;
    if (!check_line(issues_, in_, line)) continue;
    scratch_.clear();
    if (!split_csv(line, sep_, fields_, scratch_)) {
      issues_.bad_row({in_.path(), in_.line_number(), ""}, "unterminated quote");
      continue;
    }
    if (first_) {
      first_ = false;
      if (!header_marker_.empty() && trim(fields_[0]) == header_marker_) continue;  // optional header
    }
    if (fields_.size() != columns_) {
      issues_.bad_row({in_.path(), in_.line_number(), ""},
                      fmt::format("expected {} columns, found {}{}", columns_, fields_.size(),
                                  in_.last_unterminated() ? " (the file ends inside this row: cut?)" : ""));
      continue;
    }
    return true;
  }
  return false;
}

void reserve_for_file(Workload& out, const std::string& path, std::size_t bytes_per_row, bool names) {
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || bytes_per_row == 0) return;
  // Cap the guess: a wrong estimate must not allocate absurdly.
  std::size_t rows = static_cast<std::size_t>(std::min<std::uintmax_t>(size / bytes_per_row + 16, 1u << 26));
  out.jobs.reserve(out.jobs.size() + rows);
  if (names) out.job_names.reserve(out.job_names.size() + rows);
}

void rebase_to_first_submit(Workload& out, Issues& issues,
                            const std::function<std::string(double origin)>& origin_label) {
  if (out.jobs.empty()) return;
  double origin = std::numeric_limits<double>::infinity();
  for (const Job& j : out.jobs) origin = std::min(origin, j.submit);
  for (Job& j : out.jobs) {
    j.submit -= origin;
    if (!std::isnan(j.recorded_start)) j.recorded_start -= origin;
    j.earliest_start = std::max(0.0, j.earliest_start - origin);
    if (j.deadline != kNever) j.deadline -= origin;
  }
  std::string label = origin_label ? origin_label(origin) : fmt::format("{:g} s in the trace's clock", origin);
  issues.note("time 0 = the first kept submit (" + label + ")");
}

std::string file_stem(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::size_t dot = name.find('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace fastgpu::trace

#pragma once
// Shared plumbing of the production-trace readers (Philly, Alibaba, Helios,
// SWF, Gavel, Tiresias): a buffered line reader that numbers lines and checks
// UTF-8, CSV rows (on CsvScanner), number and date parsing, and the skip / strict /
// malformed-row bookkeeping that every reader must apply in the same way.
//
// Readers stream: a LineReader holds one buffer (1 MiB, grown only for a
// longer line), never the whole file.
#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.h"
#include "workloads/csv_scanner.h"
#include "workloads/trace_reader.h"

namespace fastgpu::trace {

// ---------------------------------------------------------------------------
// Reading lines.

// The InputError for a trace file that cannot be opened (errno set by fopen);
// a missing file says where the public traces are published.
[[noreturn]] void throw_cannot_open(const std::string& path);

class LineReader {
 public:
  explicit LineReader(std::string path);  // InputError when it cannot be opened
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its terminator ("\n" or "\r\n"). The view stays valid
  // until the next call. False at the end of the file.
  bool next(std::string_view& line);
  std::size_t line_number() const { return line_; }   // 1-based, of the last line returned
  bool last_unterminated() const { return unterminated_; }  // last line had no '\n'
  const std::string& path() const { return path_; }

 private:
  bool refill();
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;
  std::size_t line_ = 0;
  bool eof_ = false;
  bool unterminated_ = false;
};

// InputError (file, line 1) when the first line end of `head` (the start of
// the file) is a lone carriage return: a file with CR-only (classic Mac) line
// ends would otherwise read as one long line and give no jobs.
void reject_cr_only_line_ends(const std::string& path, std::string_view head);

// Byte offset of the first invalid UTF-8 sequence in `s`, or npos.
std::size_t find_invalid_utf8(std::string_view s);

// ---------------------------------------------------------------------------
// Fields.

// Splits on runs of spaces and tabs (SWF).
void split_whitespace(std::string_view line, std::vector<std::string_view>& out);
std::string_view trim(std::string_view s);

// A field as quoted in an error message: whole when short, else its first
// 60 bytes (cut at a character boundary) and how long it was, so that a
// damaged 10 MB field does not fill the terminal.
std::string excerpt(std::string_view field);

// Strict number parsing (surrounding blanks allowed; the whole field must be
// the number; NaN and infinities rejected).
bool parse_double(std::string_view s, double& out);
bool parse_int(std::string_view s, std::int64_t& out);

// "YYYY-MM-DD HH:MM:SS" (or with 'T'; optional ".fraction", ignored) ->
// seconds since 1970-01-01 00:00:00 of the same wall-clock reading, i.e. the
// time taken as UTC. False when malformed.
bool parse_datetime(std::string_view s, std::int64_t& seconds);
// parse_datetime for many readings: the date of the last good reading is
// kept, so the readings of one day (most, in a trace in time order) only
// have their time of day parsed. Same results as parse_datetime.
class DatetimeParser {
 public:
  bool parse(std::string_view s, std::int64_t& seconds);

 private:
  std::array<char, 10> date_{};  // "YYYY-MM-DD" of the last good reading
  std::int64_t day_seconds_ = 0;
  bool has_date_ = false;
};
// Seconds of a civil date (proleptic Gregorian) since 1970-01-01.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
// Converts a US Pacific wall-clock reading (seconds as from parse_datetime) to
// UTC, applying the US daylight-saving rules in force since 2007 (PDT from the
// second Sunday of March 02:00 to the first Sunday of November 02:00). The
// repeated hour at the end of DST is read as its first (PDT) occurrence.
std::int64_t us_pacific_to_utc(std::int64_t wall_seconds);
// us_pacific_to_utc for many readings: the daylight-saving switches of the
// last year seen are kept, so a trace of one year works them out once.
class UsPacificClock {
 public:
  std::int64_t to_utc(std::int64_t wall_seconds) {
    if (wall_seconds < year_start_ || wall_seconds >= next_year_start_) learn_year(wall_seconds);
    const bool dst = wall_seconds >= dst_start_ && wall_seconds < dst_end_;
    return wall_seconds + (dst ? 7 : 8) * 3600;
  }

 private:
  void learn_year(std::int64_t wall_seconds);
  std::int64_t year_start_ = 1, next_year_start_ = 0;  // empty: the first reading learns its year
  std::int64_t dst_start_ = 0, dst_end_ = 0;
};
// Formats seconds since the epoch as "YYYY-MM-DD HH:MM:SS".
std::string format_datetime(std::int64_t seconds);
// The same for a time read as a double, which may be far outside any
// calendar (a damaged 1e23): such a time is written as "<seconds> s".
std::string format_epoch_seconds(double seconds);

// ---------------------------------------------------------------------------
// Skip rules and errors, applied the same way by every reader.

// Reasons for skipping a row; readers use these strings so that reports from
// different formats are comparable.
namespace reason {
inline constexpr const char* malformed = "malformed row";
inline constexpr const char* no_gpu = "no GPU requested";
inline constexpr const char* never_started = "never started";
inline constexpr const char* unfinished = "unfinished (no end time)";
inline constexpr const char* missing_runtime = "missing runtime";
inline constexpr const char* negative_runtime = "negative runtime";
inline constexpr const char* zero_runtime = "zero runtime";
}  // namespace reason

class Issues {
 public:
  Issues(const TraceReadOptions& options, TraceReadReport& report) : options_(options), report_(report) {}

  // A well-formed row describing a job that cannot be replayed. Under
  // options.strict: InputError naming file, line and field. Otherwise counted
  // under `why` in report.skipped.
  void skip(const SourceLocation& where, const std::string& why, const std::string& detail = "");
  // A malformed row (bad number, wrong column count, bad UTF-8). With
  // skip_bad_rows (and not strict) it is counted as "malformed row" and the
  // reader goes on; otherwise InputError. Returns normally only when skipped.
  void bad_row(const SourceLocation& where, const std::string& what);
  // Records an assumption the reader made; identical texts are merged and
  // counted ("text (N rows)").
  void note(std::string_view text, std::uint64_t count = 1);
  // Appends the merged notes to report.assumptions.
  void finish();

  const TraceReadOptions& options() const { return options_; }
  TraceReadReport& report() { return report_; }

 private:
  const TraceReadOptions& options_;
  TraceReadReport& report_;
  std::map<std::string, std::uint64_t, std::less<>> notes_;  // string_view lookups: no allocation per row
  std::vector<std::string> note_order_;
};

// Reads typed fields of one row, reporting failures through Issues::bad_row
// with the field's name. Each getter returns false when the row is bad.
class RowFields {
 public:
  RowFields(Issues& issues, const std::string& file, std::size_t line) : issues_(issues), file_(file), line_(line) {}
  SourceLocation at(const std::string& field) const { return {file_, line_, field}; }
  bool number(std::string_view text, const char* field, double& out);
  bool integer(std::string_view text, const char* field, std::int64_t& out);
  bool datetime(std::string_view text, const char* field, std::int64_t& out);
  void bad(const char* field, const std::string& what) { issues_.bad_row(at(field), what); }

 private:
  Issues& issues_;
  const std::string& file_;
  std::size_t line_;
};

// False (after Issues::skip as "negative runtime" / "zero runtime") when a
// recorded run time cannot be replayed: fastgpu jobs need work > 0.
bool runtime_ok(Issues& issues, const SourceLocation& where, double runtime);

// Checks a line for invalid UTF-8 and a cut last line; false (after
// Issues::bad_row) when the row must be dropped.
bool check_line(Issues& issues, const LineReader& in, std::string_view line);

// A delimited text file read row by row with CsvScanner (RFC 4180 quoting,
// quoted line ends, CRLF): with a header row naming the columns (looked up by
// name), or headerless with a fixed column count. Blank lines are ignored;
// rows with another column count, bad UTF-8 or a quote left open at the end
// of the file go to Issues::bad_row and are not returned.
class CsvRows {
 public:
  // header = true: the first non-blank line names the columns.
  // header = false: every row must have `columns` fields; a first row whose
  // first field equals `header_marker` is taken as a header and skipped.
  CsvRows(const std::string& path, Issues& issues, char sep = ',', bool header = true, std::size_t columns = 0,
          std::string_view header_marker = {});
  int column(std::string_view name) const;   // -1 when absent
  int require(std::string_view name) const;  // InputError naming the column when absent
  bool next();
  std::string_view operator[](int col) const { return csv_.fields()[static_cast<std::size_t>(col)]; }
  std::size_t size() const { return csv_.fields().size(); }
  std::size_t line() const { return csv_.line(); }
  const std::string& path() const { return csv_.path(); }
  RowFields row() { return RowFields(issues_, csv_.path(), csv_.line()); }
  SourceLocation at(const std::string& field) const { return {csv_.path(), csv_.line(), field}; }
  const std::vector<std::string>& header() const { return header_; }

 private:
  bool valid_utf8();  // false (after Issues::bad_row) when a field is not UTF-8
  CsvScanner csv_;
  Issues& issues_;
  std::size_t columns_ = 0;
  std::string header_marker_;
  bool first_ = true;
  std::vector<std::string> header_;
};

// The per-job columns beside Workload::jobs that a reader fills, reserved with it.
struct ReservedColumns {
  bool names = false;         // Workload::job_names
  bool trace_fields = false;  // Workload::trace_fields (a reader whose jobs mostly have some)
};
// Reserves room for the jobs of a file of `path`'s size at about
// `bytes_per_row` bytes per row (an underestimate errs on the safe side), so
// that a million-row trace is not copied log2(n) times while it grows.
void reserve_for_file(Workload& out, const std::string& path, std::size_t bytes_per_row, ReservedColumns columns);
// Reserves room for `rows` more jobs (and the columns), with huge pages advised
// for the job table: it is written once, front to back, and a huge page saves
// a page fault per 4 KiB of it.
void reserve_jobs(Workload& out, std::size_t rows, ReservedColumns columns);

// Moves the time origin to the first submit among the kept jobs (submit,
// recorded_start, earliest_start and deadline shift together), and notes the
// origin as an assumption ("time 0 = <label>"). `origin_label` formats the
// absolute origin for the note (may be empty).
void rebase_to_first_submit(Workload& out, Issues& issues,
                            const std::function<std::string(double origin)>& origin_label = {});

// rebase_to_first_submit done while a reader appends jobs, for readers that
// set only submit and recorded_start and read jobs mostly in submit order:
// each job's times are stored less the first kept submit as it is read, and
// finish() walks the jobs again only when a later job was submitted earlier
// (or before 1970). The result is the same, bit for bit: times are whole
// seconds, so the differences are exact.
class SubmitOrigin {
 public:
  // What to subtract from the times of a job submitted at `submit` (absolute).
  double offset_for(double submit) {
    if (!started_) {
      origin_ = earliest_ = submit;
      started_ = true;
    } else if (submit < earliest_) {
      earliest_ = submit;
    }
    return origin_;
  }
  // Moves the origin to the earliest submit where needed and notes it
  // ("time 0 = ..."), as rebase_to_first_submit does.
  void finish(Workload& out, Issues& issues, const std::function<std::string(double origin)>& origin_label = {});

 private:
  bool started_ = false;
  double origin_ = 0, earliest_ = 0;
};

// A note a reader may make for every row: Issues::note is called on its first
// occurrence (which fixes its place among the notes) and later ones are only
// counted, then handed over by flush(), so the per-row path does no lookup.
class CountedNote {
 public:
  explicit CountedNote(const char* text) : text_(text) {}
  void add(Issues& issues) {
    if (made_) {
      ++pending_;
    } else {
      issues.note(text_);
      made_ = true;
    }
  }
  void flush(Issues& issues) {
    if (pending_ > 0) issues.note(text_, pending_);
    pending_ = 0;
  }

 private:
  const char* text_;
  std::uint64_t pending_ = 0;
  bool made_ = false;
};

// The file name without directories and extension ("openb_pod_list_default").
std::string file_stem(const std::string& path);

}  // namespace fastgpu::trace

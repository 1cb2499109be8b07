#include "workloads/csv_scanner.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "sim/error.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {
constexpr std::size_t kBlock = std::size_t{1} << 20;  // 1 MiB reads: large, yet cheap to allocate per file

char* find(char* from, char* to, char c) {
  return static_cast<char*>(std::memchr(from, c, static_cast<std::size_t>(to - from)));
}
}  // namespace

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

CsvScanner::CsvScanner(const std::string& path, char separator) : path_(path), sep_(separator) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) trace::throw_cannot_open(path);
  std::error_code ec;
  file_size_ = std::filesystem::file_size(path, ec);
  if (ec) file_size_ = 0;
  // A small file gets a buffer its size (refill() grows it if the file grew):
  // zeroing 1 MiB per file dominated reading many small files (fuzzing).
  buf_.resize(file_size_ > 0 && file_size_ < kBlock ? file_size_ + 1 : kBlock);
  refill();
  if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // UTF-8 byte order mark
  trace::reject_cr_only_line_ends(path_, std::string_view(buf_.data() + pos_, end_ - pos_));
}

CsvScanner::~CsvScanner() {
  if (file_) std::fclose(file_);
}

bool CsvScanner::refill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    dropped_ += pos_;
    pos_ = 0;
  }
  if (end_ + kBlock / 2 > buf_.size()) buf_.resize(buf_.size() * 2);  // a record longer than the buffer
  const std::size_t want = buf_.size() - end_;
  const std::size_t got = std::fread(buf_.data() + end_, 1, want, file_);
  end_ += got;
  if (got < want) {
    if (std::ferror(file_)) throw InputError(SourceLocation{path_, 0, ""}, "read error");
    eof_ = true;
  }
  return got > 0;
}

bool CsvScanner::next() {
  for (;;) {
    if (pos_ >= end_ && !refill()) return false;
    // Find the record's end: the first line end outside quotes. Whole records
    // are in the buffer before they are split, so the in-place unquoting never
    // has to be redone after a refill.
    std::size_t scan = pos_, stop = 0, inner_lines = 0;
    bool in_quote = false, has_newline = false;
    for (;;) {
      char* base = buf_.data();
      char* nl = find(base + scan, base + end_, '\n');
      stop = nl ? static_cast<std::size_t>(nl - base) : end_;
      for (char* q = find(base + scan, base + stop, '"'); q; q = find(q + 1, base + stop, '"')) in_quote = !in_quote;
      if (nl && !in_quote) {
        has_newline = true;
        break;
      }
      if (nl) {  // a line end inside a quoted field
        ++inner_lines;
        scan = stop + 1;
        continue;
      }
      if (eof_) break;
      const std::size_t done = stop - pos_;
      refill();
      scan = pos_ + done;
    }
    char* begin = buf_.data() + pos_;
    char* end = buf_.data() + stop;
    pos_ = has_newline ? stop + 1 : stop;
    line_ = next_line_;
    next_line_ += inner_lines + 1;
    if (end > begin && end[-1] == '\r') --end;
    bool blank = true;
    for (char* c = begin; c < end && blank; ++c) blank = (*c == ' ' || *c == '\t');
    if (blank) continue;
    unterminated_end_ = !has_newline;
    open_quote_ = in_quote;
    split(begin, end);
    return true;
  }
}

void CsvScanner::split(char* p, char* end) {
  fields_.clear();
  for (;;) {
    if (p < end && *p == '"') {
      // Quoted field: unescape "" in place (the result is never longer).
      char* start = p;
      char* w = p;
      char* r = p + 1;
      for (;;) {
        char* q = find(r, end, '"');
        char* upto = q ? q : end;
        std::memmove(w, r, static_cast<std::size_t>(upto - r));
        w += upto - r;
        if (!q) {
          r = end;
          break;
        }
        if (q + 1 < end && q[1] == '"') {
          *w++ = '"';
          r = q + 2;
          continue;
        }
        r = q + 1;
        break;
      }
      char* c = find(r, end, sep_);  // text after the closing quote is kept as it is
      char* upto = c ? c : end;
      std::memmove(w, r, static_cast<std::size_t>(upto - r));
      w += upto - r;
      fields_.emplace_back(start, static_cast<std::size_t>(w - start));
      if (!c) return;
      p = c + 1;
    } else {
      char* c = find(p, end, sep_);
      if (!c) {
        fields_.emplace_back(p, static_cast<std::size_t>(end - p));
        return;
      }
      fields_.emplace_back(p, static_cast<std::size_t>(c - p));
      p = c + 1;
    }
  }
}

}  // namespace fastgpu

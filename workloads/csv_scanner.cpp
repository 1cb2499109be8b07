#include "workloads/csv_scanner.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "sim/error.h"
#include "workloads/read_to_end.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

constexpr std::size_t kReadChunk = std::size_t{1} << 20;
// Smaller files are read, not mapped: mmap and munmap cost more than copying
// a few pages (munmap flushes the TLB of every CPU the process ran on).
constexpr std::size_t kMapFrom = std::size_t{1} << 20;
constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;

// A word whose high bit is set in each byte of `word` that equals `c` (and
// possibly in bytes above the first such byte: only "any" and the lowest are exact).
std::uint64_t bytes_equal(std::uint64_t word, std::uint64_t c_in_every_byte) {
  const std::uint64_t x = word ^ c_in_every_byte;
  return (x - kOnes) & ~x & kHighs;
}

const char* find(const char* from, const char* to, char c) {
  return static_cast<const char*>(std::memchr(from, c, static_cast<std::size_t>(to - from)));
}

}  // namespace

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

CsvScanner::CsvScanner(const std::string& path, char separator) : path_(path), sep_(separator) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) trace::throw_cannot_open(path);
  const std::unique_ptr<const int, void (*)(const int*)> closer(&fd, [](const int* f) { ::close(*f); });
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && static_cast<std::size_t>(st.st_size) >= kMapFrom) {
    size_ = static_cast<std::size_t>(st.st_size);
    void* base = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (base != MAP_FAILED) {
      map_ = base;
      map_bytes_ = size_;
      data_ = static_cast<const char*>(base);
      ::madvise(base, size_, MADV_SEQUENTIAL);
    }
  }
  if (!map_) read_whole(fd, regular ? static_cast<std::size_t>(st.st_size) : 0);
  if (size_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // UTF-8 byte order mark
  trace::reject_cr_only_line_ends(path_, std::string_view(data_ + pos_, std::min(size_ - pos_, kReadChunk)));
}

CsvScanner::~CsvScanner() {
  if (map_) ::munmap(map_, map_bytes_);
}

void CsvScanner::read_whole(int fd, std::size_t expected) {
  // Room for the expected size and a byte to see the end.
  size_ = trace::read_to_end(fd, buffer_, expected > 0 ? expected + 1 : 4096, path_);
  data_ = buffer_.data();
}

bool CsvScanner::next() {
  const char* const file_end = data_ + size_;
  const std::uint64_t seps = kOnes * static_cast<unsigned char>(sep_);
  const std::uint64_t newlines = kOnes * static_cast<unsigned char>('\n');
  const std::uint64_t quotes = kOnes * static_cast<unsigned char>('"');
  while (pos_ < size_) {
    const char* const begin = data_ + pos_;
    const char* field = begin;
    const char* p = begin;
    fields_.clear();
    bool quoted = false;
#if defined(__SSE2__)
    // Sixteen bytes at a time: a mask of the separators, line ends and quotes
    // in the block, walked bit by bit; each block is looked at once.
    const __m128i sep_bytes = _mm_set1_epi8(sep_), newline_bytes = _mm_set1_epi8('\n');
    const __m128i quote_bytes = _mm_set1_epi8('"');
    bool stopped = false;  // at a line end or a quote
    while (!stopped && p + 16 <= file_end) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, sep_bytes), _mm_cmpeq_epi8(block, newline_bytes)),
                       _mm_cmpeq_epi8(block, quote_bytes))));
      while (mask) {
        const char* at = p + std::countr_zero(mask);
        mask &= mask - 1;
        if (*at != sep_) {
          p = at;
          stopped = true;
          break;
        }
        fields_.emplace_back(field, static_cast<std::size_t>(at - field));
        field = at + 1;
      }
      if (!stopped) p += 16;
    }
#endif
    for (;;) {
      // Eight bytes at a time up to the next separator, line end or quote.
      while (p + 8 <= file_end) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);
        const std::uint64_t hit = bytes_equal(word, seps) | bytes_equal(word, newlines) | bytes_equal(word, quotes);
        if (hit) {
          p += std::countr_zero(hit) / 8;
          break;
        }
        p += 8;
      }
      while (p < file_end && *p != sep_ && *p != '\n' && *p != '"') ++p;
      if (p == file_end || *p == '\n') break;
      if (*p == '"') {
        quoted = true;
        break;
      }
      fields_.emplace_back(field, static_cast<std::size_t>(p - field));
      field = ++p;
    }
    line_ = next_line_;
    std::size_t end;
    if (quoted) {
      end = quoted_record();
    } else {
      end = static_cast<std::size_t>(p - data_);
      const char* stop = p;
      if (stop > field && stop[-1] == '\r') --stop;
      fields_.emplace_back(field, static_cast<std::size_t>(stop - field));
      unterminated_end_ = p == file_end;
      open_quote_ = false;
      ++next_line_;
    }
    pos_ = end < size_ ? end + 1 : size_;
    // A blank record (spaces and tabs only) is skipped; it holds no separator and no quote.
    if (!quoted && fields_.size() == 1 && trim_blanks(fields_[0]).empty()) continue;
    return true;
  }
  return false;
}

std::size_t CsvScanner::quoted_record() {
  // The record's end: the first line end outside quotes.
  const char* const file_end = data_ + size_;
  const char* const begin = data_ + pos_;
  const char* scan = begin;
  const char* stop = file_end;
  bool in_quote = false;
  std::size_t inner_lines = 0;
  for (;;) {
    const char* nl = find(scan, file_end, '\n');
    stop = nl ? nl : file_end;
    for (const char* q = find(scan, stop, '"'); q; q = find(q + 1, stop, '"')) in_quote = !in_quote;
    if (!nl || !in_quote) break;
    ++inner_lines;  // a line end inside a quoted field
    scan = nl + 1;
  }
  unterminated_end_ = stop == file_end;
  open_quote_ = in_quote;
  next_line_ += inner_lines + 1;
  const char* end = stop;
  if (end > begin && end[-1] == '\r') --end;

  // Split, undoing the quoting into unquoted_ (never longer than the record),
  // with the separators between the fields.
  fields_.clear();
  unquoted_.resize(static_cast<std::size_t>(end - begin));
  char* w = unquoted_.data();
  const char* p = begin;
  for (;;) {
    char* start = w;
    if (p < end && *p == '"') {
      const char* r = p + 1;
      for (;;) {
        const char* q = find(r, end, '"');
        const char* upto = q ? q : end;
        w = std::copy(r, upto, w);
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
      const char* c = find(r, end, sep_);  // text after the closing quote is kept as it is
      const char* upto = c ? c : end;
      w = std::copy(r, upto, w);
      fields_.emplace_back(start, static_cast<std::size_t>(w - start));
      if (!c) break;
      *w++ = sep_;  // kept between the fields, as in the file: the fields stay one span of text
      p = c + 1;
    } else {
      const char* c = find(p, end, sep_);
      const char* upto = c ? c : end;
      w = std::copy(p, upto, w);
      fields_.emplace_back(start, static_cast<std::size_t>(w - start));
      if (!c) break;
      *w++ = sep_;
      p = c + 1;
    }
  }
  return static_cast<std::size_t>(stop - data_);
}

}  // namespace fastgpu

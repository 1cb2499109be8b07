#include "workloads/csv_scanner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "workloads/read_to_end.h"
#include "workloads/trace_io.h"

namespace fastgpu {

namespace {

// The buffer: 64 KiB, sixteen pages to fault in (a megabyte cost more in page
// faults than it saved in reads); a record longer than that doubles it.
constexpr std::size_t kBufferBytes = std::size_t{1} << 16;
constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;

// A word whose high bit is set in each byte of `word` that equals `c` (and
// possibly in bytes above the first such byte: only "any" and the lowest are exact).
std::uint64_t bytes_equal(std::uint64_t word, std::uint64_t c_in_every_byte) {
  const std::uint64_t x = word ^ c_in_every_byte;
  return (x - kOnes) & ~x & kHighs;
}

// `bytes` of buffer and kFieldSlack zeros after them.
std::unique_ptr<char[]> padded_buffer(std::size_t bytes) {
  std::unique_ptr<char[]> buffer(new char[bytes + CsvScanner::kFieldSlack]);
  std::memset(buffer.get() + bytes, 0, CsvScanner::kFieldSlack);
  return buffer;
}

const char* find(const char* from, const char* to, char c) {
  return static_cast<const char*>(std::memchr(from, c, static_cast<std::size_t>(to - from)));
}

}  // namespace

CsvScanner::CsvScanner(const std::string& path, char separator) : path_(path), sep_(separator) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) trace::throw_cannot_open(path);
  struct stat st {};
  const bool regular = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  file_size_ = regular ? static_cast<std::uint64_t>(st.st_size) : 0;
  // A small file in one read, with a byte to spare to see its end.
  capacity_ = regular && file_size_ < kBufferBytes ? static_cast<std::size_t>(file_size_) + 1 : kBufferBytes;
  buffer_ = padded_buffer(capacity_);
  data_ = buffer_.get();
  try {
    fill();
  } catch (...) {
    ::close(fd_);
    throw;
  }
  if (size_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // UTF-8 byte order mark
  trace::reject_cr_only_line_ends(path_, std::string_view(data_ + pos_, size_ - pos_));
}

CsvScanner::~CsvScanner() {
  if (fd_ >= 0) ::close(fd_);
}

void CsvScanner::fill() {
  if (eof_) return;
  const std::size_t room = capacity_ - size_;
  const std::size_t got = trace::read_up_to(fd_, buffer_.get() + size_, room, path_);
  size_ += got;
  if (got < room) eof_ = true;
}

void CsvScanner::refill() {
  const std::size_t kept = size_ - pos_;
  if (kept == capacity_) {  // one record fills the buffer: a larger one
    std::unique_ptr<char[]> larger = padded_buffer(2 * capacity_);
    std::memcpy(larger.get(), buffer_.get(), size_);
    buffer_ = std::move(larger);
    capacity_ *= 2;
  } else if (pos_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, kept);
  }
  base_ += pos_;
  size_ = kept;
  pos_ = 0;
  data_ = buffer_.get();
  fill();
}

bool CsvScanner::next() {
  const std::uint64_t seps = kOnes * static_cast<unsigned char>(sep_);
  const std::uint64_t newlines = kOnes * static_cast<unsigned char>('\n');
  const std::uint64_t quotes = kOnes * static_cast<unsigned char>('"');
  for (;;) {
    if (pos_ >= size_) {
      if (eof_) return false;
      refill();
      continue;
    }
    const char* const file_end = data_ + size_;  // the buffer's end
    const char* const begin = data_ + pos_;
    const char* field = begin;
    const char* p = begin;
    fields_.clear();
    bool quoted = false;
    bool ascii = true;  // no byte of the record (or just after it) has its high bit set
#if defined(__SSE2__)
    // Sixteen bytes at a time: a mask of the separators and one of the line
    // ends and quotes in the block; the separators before the first line end
    // or quote are the fields' ends. Each block is looked at once.
    const __m128i sep_bytes = _mm_set1_epi8(sep_), newline_bytes = _mm_set1_epi8('\n');
    const __m128i quote_bytes = _mm_set1_epi8('"');
    bool stopped = false;  // at a line end or a quote
    __m128i any = _mm_setzero_si128();  // every byte looked at, or-ed: its high bit says "not ASCII"
    while (!stopped && p + 16 <= file_end) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      any = _mm_or_si128(any, block);
      unsigned sep_mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, sep_bytes)));
      const unsigned stop_mask = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(block, newline_bytes), _mm_cmpeq_epi8(block, quote_bytes))));
      if (stop_mask) {
        sep_mask &= (stop_mask & (0u - stop_mask)) - 1;  // the separators before the first stop
        stopped = true;
      }
      while (sep_mask) {
        const char* at = p + std::countr_zero(sep_mask);
        sep_mask &= sep_mask - 1;
        fields_.emplace_back(field, static_cast<std::size_t>(at - field));
        field = at + 1;
      }
      p = stopped ? p + std::countr_zero(stop_mask) : p + 16;
    }
    ascii = _mm_movemask_epi8(any) == 0;
    // Stopped at the line end: the record's fields are all found, no byte is left to scan.
    const bool at_line_end = stopped && *p == '\n';
#else
    const bool at_line_end = false;
#endif
    while (!at_line_end) {
      // Eight bytes at a time up to the next separator, line end or quote.
      while (p + 8 <= file_end) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);
        ascii = ascii && (word & kHighs) == 0;
        const std::uint64_t hit = bytes_equal(word, seps) | bytes_equal(word, newlines) | bytes_equal(word, quotes);
        if (hit) {
          p += std::countr_zero(hit) / 8;
          break;
        }
        p += 8;
      }
      for (; p < file_end && *p != sep_ && *p != '\n' && *p != '"'; ++p) ascii = ascii && (*p & 0x80) == 0;
      if (p == file_end || *p == '\n') break;
      if (*p == '"') {
        quoted = true;
        break;
      }
      fields_.emplace_back(field, static_cast<std::size_t>(p - field));
      field = ++p;
    }
    std::size_t end;
    if (quoted) {
      end = quoted_record();
      if (end == std::string_view::npos) {  // the buffer ends inside the record
        refill();
        continue;
      }
    } else {
      if (p == file_end && !eof_) {  // the buffer ends inside the record
        refill();
        continue;
      }
      end = static_cast<std::size_t>(p - data_);
      const char* stop = p;
      if (stop > field && stop[-1] == '\r') --stop;
      fields_.emplace_back(field, static_cast<std::size_t>(stop - field));
      unterminated_end_ = p == file_end;
      open_quote_ = false;
      ascii_ = ascii;
      line_ = next_line_;
      ++next_line_;
    }
    pos_ = end < size_ ? end + 1 : size_;
    // A blank record (spaces and tabs only) is skipped; it holds no separator and no quote.
    if (!quoted && fields_.size() == 1 && trim_blanks(fields_[0]).empty()) continue;
    return true;
  }
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
    if (!nl && !eof_) return std::string_view::npos;  // the record goes on after the buffer
    if (!nl || !in_quote) break;
    ++inner_lines;  // a line end inside a quoted field
    scan = nl + 1;
  }
  unterminated_end_ = stop == file_end;
  ascii_ = false;  // not looked at
  line_ = next_line_;
  open_quote_ = in_quote;
  next_line_ += inner_lines + 1;
  const char* end = stop;
  if (end > begin && end[-1] == '\r') --end;

  // Split, undoing the quoting into unquoted_ (never longer than the record),
  // with the separators between the fields.
  fields_.clear();
  unquoted_.resize(static_cast<std::size_t>(end - begin) + kFieldSlack);
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

#pragma once
// The one CSV record scanner: every CSV-based reader (the canonical CSV, and
// through trace::CsvRows the production traces) reads its rows with it. The
// file (or pipe) is read 64 KiB at a time into one buffer, reused from
// block to block (a record cut by the buffer's end is moved to its front and
// the rest read after it): on this kind of machine reading costs half of
// mapping the file, whose every page is a TLB miss of its own, and the
// memory held stays one buffer whatever the file's size. Records split on
// unquoted line ends (\n or \r\n) and fields on
// unquoted separators. A record without quotes is split in one pass that tests
// sixteen bytes at a time (eight without SSE2); RFC 4180 quoting ("a,b", "say ""hi""", quoted line
// ends) is undone into a scratch buffer reused from record to record: no
// allocation per record or field. Fields are views, valid until the next call
// to next(), and lie one after the other with a separator between them (so
// one check can cover a whole record).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fastgpu {

class CsvScanner {
 public:
  // Opens `path`; InputError naming the path if it cannot be read.
  explicit CsvScanner(const std::string& path, char separator = ',');
  ~CsvScanner();
  CsvScanner(const CsvScanner&) = delete;
  CsvScanner& operator=(const CsvScanner&) = delete;

  // The kFieldSlack bytes after the end of every field can be read (the
  // buffers are padded): a reader may load a short field as one word and
  // shift away what follows it.
  static constexpr std::size_t kFieldSlack = 8;

  // Moves to the next record that is not blank. False at the end of the file.
  bool next();

  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return line_; }  // 1-based line where the record starts
  // The record is the last one of the file and has no line end (possibly cut short).
  bool at_unterminated_end() const { return unterminated_end_; }
  // Every byte of the record is ASCII (so it is valid UTF-8). False means
  // "not known": a record with quotes is not looked at.
  bool record_is_ascii() const { return ascii_; }
  // The record ended inside a quoted field (only possible at the end of the file).
  bool open_quote() const { return open_quote_; }
  const std::string& path() const { return path_; }
  // Bytes of the file before the next record, and the file's size (0 for a
  // pipe): lets readers size their tables from the first rows.
  std::uint64_t offset() const { return base_ + pos_; }
  std::uint64_t file_size() const { return file_size_; }

 private:
  // Reads into the buffer after its size_ bytes until it is full or the file
  // ends (eof_).
  void fill();
  // Moves the record at pos_ to the buffer's front (doubling the buffer when
  // the record fills it) and reads more after it.
  void refill();
  // Splits the record at pos_ that holds a quote; returns its end (the line
  // end, or size_), or npos when the buffer ends before the record does.
  std::size_t quoted_record();

  std::string path_;
  char sep_;
  int fd_ = -1;
  std::uint64_t file_size_ = 0;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  const char* data_ = nullptr;  // buffer_
  std::size_t size_ = 0;        // bytes read into the buffer
  std::uint64_t base_ = 0;      // offset in the file of the buffer's first byte
  bool eof_ = false;            // the file's last byte is in the buffer
  std::vector<char> unquoted_;  // a quoted record's fields, unescaped
  std::size_t pos_ = 0;        // start of the next record, in the buffer
  std::size_t next_line_ = 1, line_ = 0;
  bool unterminated_end_ = false, open_quote_ = false, ascii_ = false;
  std::vector<std::string_view> fields_;
};

// Trims ASCII spaces and tabs at both ends. Inline: most cells have none, and
// that is two byte tests.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace fastgpu

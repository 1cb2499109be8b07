#pragma once
// The one CSV record scanner: every CSV-based reader (the canonical CSV, and
// through trace::CsvRows the production traces) reads its rows with it. A
// regular file is memory-mapped (a pipe is read whole), so the text is never
// copied; records split on unquoted line ends (\n or \r\n) and fields on
// unquoted separators. A record without quotes is split in one pass that tests
// eight bytes at a time; RFC 4180 quoting ("a,b", "say ""hi""", quoted line
// ends) is undone into a scratch buffer reused from record to record: no
// allocation per record or field. Fields are views, valid until the next call
// to next(), and lie one after the other with a separator between them (so
// one check can cover a whole record).
#include <cstddef>
#include <cstdint>
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

  // Moves to the next record that is not blank. False at the end of the file.
  bool next();

  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return line_; }  // 1-based line where the record starts
  // The record is the last one of the file and has no line end (possibly cut short).
  bool at_unterminated_end() const { return unterminated_end_; }
  // The record ended inside a quoted field (only possible at the end of the file).
  bool open_quote() const { return open_quote_; }
  const std::string& path() const { return path_; }
  // Bytes of the file before the next record, and the file's size: lets
  // readers size their tables from the first rows.
  std::uint64_t offset() const { return pos_; }
  std::uint64_t file_size() const { return size_; }

 private:
  void read_whole(int fd, std::size_t expected);  // a pipe, a small file, or one that cannot be mapped
  // Splits the record at pos_ that holds a quote; returns its end (the line
  // end, or size_).
  std::size_t quoted_record();

  std::string path_;
  char sep_;
  const char* data_ = nullptr;  // the file: the mapping or buffer_
  std::size_t size_ = 0;
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  std::string buffer_;         // what was read (a pipe, a small file)
  std::vector<char> unquoted_;  // a quoted record's fields, unescaped
  std::size_t pos_ = 0;        // start of the next record
  std::size_t next_line_ = 1, line_ = 0;
  bool unterminated_end_ = false, open_quote_ = false;
  std::vector<std::string_view> fields_;
};

// Trims ASCII spaces and tabs at both ends.
std::string_view trim_blanks(std::string_view s);

}  // namespace fastgpu

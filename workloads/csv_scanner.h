#pragma once
// The one CSV record scanner: every CSV-based reader (the canonical CSV, and
// through trace::CsvRows the production traces) reads its rows with it. Reads
// the file in large blocks (no iostream; pipes too), splits records on unquoted
// line ends (\n or \r\n) and fields on unquoted separators, and undoes RFC 4180
// quoting ("a,b", "say ""hi""", quoted line ends) in place: no allocation per
// field. Fields are views into its buffer, valid until the next call to next().
#include <cstddef>
#include <cstdint>
#include <cstdio>
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
  // Bytes of the file before the next record, and the file's size (0 if unknown):
  // lets readers size their tables from the first rows.
  std::uint64_t offset() const { return dropped_ + pos_; }
  std::uint64_t file_size() const { return file_size_; }

 private:
  bool refill();  // moves the unread tail to the front and reads more; false at EOF
  void split(char* begin, char* end);

  std::string path_;
  char sep_;
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;  // unread bytes are buf_[pos_, end_)
  std::uint64_t dropped_ = 0;       // bytes of the file before buf_[0]
  std::uint64_t file_size_ = 0;
  bool eof_ = false;
  std::size_t next_line_ = 1, line_ = 0;
  bool unterminated_end_ = false, open_quote_ = false;
  std::vector<std::string_view> fields_;
};

// Trims ASCII spaces and tabs at both ends.
std::string_view trim_blanks(std::string_view s);

}  // namespace fastgpu

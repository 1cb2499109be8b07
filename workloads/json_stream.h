#pragma once
// A small streaming JSON reader for trace files (Debian has no JSON library
// header installed here). The file is read in 1 MiB chunks and parsed one
// top-level element at a time, so a JSON array of a million jobs never sits in
// memory as a whole: only the element being mapped does.
//
// Accepted top levels: one array of values ("[ {...}, {...} ]"), or a
// sequence of values separated by white space (JSON Lines). Errors (syntax,
// truncation, bad UTF-8, control characters in strings, nesting deeper than
// 64) are InputErrors naming the file and line.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fastgpu::json {

struct Value {
  enum class Kind : std::uint8_t { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;
  std::string text;                                    // string value
  std::vector<Value> items;                            // array
  std::vector<std::pair<std::string, Value>> members;  // object, in file order
  std::size_t line = 0;                                // where the value starts (1-based)

  bool is_null() const { return kind == Kind::null; }
  bool is_string() const { return kind == Kind::string; }
  bool is_number() const { return kind == Kind::number; }
  bool is_array() const { return kind == Kind::array; }
  bool is_object() const { return kind == Kind::object; }
  // Member `key` of an object (first occurrence), or nullptr.
  const Value* find(std::string_view key) const;
};

const char* kind_name(Value::Kind k);

class Stream {
 public:
  explicit Stream(std::string path);  // InputError when it cannot be opened
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Parses the next top-level element into `out`; false at the end.
  bool next(Value& out);
  bool top_level_array() const { return mode_ == Mode::array; }
  const std::string& path() const { return path_; }

 private:
  enum class Mode { unknown, array, lines, done };
  int peek();
  int get();
  void skip_ws();
  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void fail_eof(const char* inside, std::size_t since) const;
  void parse_value(Value& out, int depth);
  void parse_string(std::string& out);
  void parse_number(Value& out);
  void expect_word(const char* word);
  bool fill();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::size_t line_ = 1;
  Mode mode_ = Mode::unknown;
  bool first_item_ = true;
  std::size_t array_line_ = 0;
  std::string scratch_;
};

}  // namespace fastgpu::json

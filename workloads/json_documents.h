#pragma once
// The top-level elements of a JSON trace file, parsed with simdjson's
// On-Demand API: either one array of values ("[ {...}, {...} ]", iterated
// element by element) or a sequence of values separated by white space (JSON
// Lines, iterated document by document with iterate_many).
//
// The file is memory-mapped (a pipe is read whole) with simdjson's padding
// readable past its end. The elements of a well-formed array are parsed a
// chunk of about 32 KiB at a time with a reused parser, so simdjson's buffers
// are sized to a chunk rather than to the file, its fixed cost per parse is
// shared by hundreds of elements, and a chunk is still in the cache when its
// elements are read; anything unusual (and every error) goes through one
// parse of the whole file, which gives the messages. simdjson reports byte
// positions (a position in a chunk is taken back to the file's); errors are
// InputErrors naming the file and the line of that position, and a file that
// ends early says so.
// Internal to the workloads library: only the JSON readers include it.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "sim/error.h"

namespace fastgpu::json {

namespace ondemand = simdjson::ondemand;

// "null", "a boolean", "a number", "a string", "an array", "an object".
const char* type_name(ondemand::json_type type);

class Documents {
 public:
  explicit Documents(std::string path);  // InputError when it cannot be read
  ~Documents();
  Documents(const Documents&) = delete;
  Documents& operator=(const Documents&) = delete;

  // Calls `each` with every top-level element, in file order. Syntax errors
  // anywhere in the file are InputErrors; an empty file has no elements.
  void for_each(const std::function<void(ondemand::value)>& each);
  bool top_level_array() const { return array_; }
  // How many elements have been handed to `each` so far, the current one
  // included (an element may be handed over twice when its error is re-read).
  std::size_t elements_started() const { return elements_; }

  // Reads a value whole, checking its syntax (strings, numbers, literals,
  // nesting up to 64 levels); `depth` is its nesting below the element.
  void check_value(ondemand::value value, int depth = 1);
  // The type of a value, or an InputError when it is not a JSON value.
  ondemand::json_type type_of(ondemand::value& value, const char* context) {
    ondemand::json_type type{};
    check(value.type().get(type), context, start_of(value));
    return type;
  }
  // Throws the located InputError for a simdjson error (no-op for SUCCESS).
  // `context` says what was being read ("an object", "an array", ...);
  // `fallback` is where to point when simdjson cannot say where it stopped.
  // Inline: it runs for every value read, and almost always succeeds.
  void check(simdjson::error_code error, const char* context, const char* fallback = nullptr) {
    if (error != simdjson::SUCCESS) [[unlikely]]
      report(error, context, fallback);
  }

  // Where a value starts (a pointer into the file or the chunk; line_at takes either).
  static const char* start_of(ondemand::value& value) { return value.raw_json_token().data(); }
  // 1-based line of a position in the file or the chunk.
  std::size_t line_at(const char* position);
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const char* position, const std::string& what);
  [[noreturn]] void report(simdjson::error_code error, const char* context, const char* fallback);
  const char* current_location();  // nullptr at the end of the document
  const char* last_byte() const;  // the last non-blank byte of the file
  void read_file();
  // Parses the elements of the array that opens at `open` several at a time;
  // returns npos when the whole array was read, else how many elements were
  // handed over before one must be read within the whole file (an unusual
  // element, a syntax error, an error to report).
  std::size_t each_element(std::size_t open, const std::function<void(ondemand::value)>& each);
  // What the element parsers say: go on with the element at `i`, read it
  // alone, the array is done, or the rest needs the whole-file parse.
  enum class Step { next, alone, finished, failed };
  // The elements from offset `i` up to a cut, copied between brackets and
  // parsed as one array. A cut is a ',' between '}' and '{': at the top level
  // it separates two elements; elsewhere (inside a string or a nested array)
  // the chunk does not parse, or its last element is cut short and fails to
  // read, and that element is read alone. `each` must read an element whole
  // before acting on it.
  Step several_elements(std::size_t& i, const std::function<void(ondemand::value)>& each, std::size_t& done);
  // The object or array at offset `i`, found by container_end() and parsed alone.
  Step one_element(std::size_t& i, const std::function<void(ondemand::value)>& each, std::size_t& done);
  // The last cut in (from, to], or 0.
  std::size_t find_cut(std::size_t from, std::size_t to) const;
  std::size_t skip_blanks(std::size_t i) const;
  // The offset in the file of a position in the file or in the chunk.
  std::size_t file_offset(const char* position) const;
  void whole_array(std::size_t skip, const std::function<void(ondemand::value)>& each);

  std::string path_;
  std::string_view text_;     // the file; capacity_ bytes from its start are readable
  std::size_t capacity_ = 0;  // >= size + SIMDJSON_PADDING
  void* map_ = nullptr;       // the mapping of a regular file, or
  std::size_t map_bytes_ = 0;
  std::string buffer_;        // what was read from a pipe
  // The chunk being parsed: '[', the bytes from offset chunk_from_, ']'.
  std::unique_ptr<char[]> chunk_;
  std::size_t chunk_from_ = std::string_view::npos;  // npos: positions are in the file
  bool array_ = false;
  bool started_ = false;  // a document is being iterated: simdjson can say where it is
  bool one_element_ = false;  // parsing one element: errors are re-read in the whole file
  std::size_t elements_ = 0;
  ondemand::parser parser_;
  ondemand::document document_;        // array layout
  ondemand::document_reference record_;  // JSON Lines: the current document
  // line_at() counts newlines from the last position it was asked about.
  std::size_t counted_to_ = 0, counted_lines_ = 1;
};

}  // namespace fastgpu::json

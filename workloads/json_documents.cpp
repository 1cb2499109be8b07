#include "workloads/json_documents.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "workloads/json_element_end.h"
#include "workloads/read_to_end.h"
#include "workloads/trace_io.h"

namespace fastgpu::json {

namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kReadChunk = 1 << 20;
// Bytes of array elements parsed at once: enough for simdjson's fixed cost
// per parse to vanish, few enough to stay in the cache. Larger chunks parse
// no faster and cost a short file's reading more in first-touch page faults
// of the chunk and of simdjson's buffers.
constexpr std::size_t kChunkBytes = 32 << 10;

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Thrown by check() and fail() while one element is parsed on its own: the
// element is read again within the whole file, which gives the message.
struct RereadInWholeFile {};

}  // namespace

const char* type_name(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::null: return "null";
    case ondemand::json_type::boolean: return "a boolean";
    case ondemand::json_type::number: return "a number";
    case ondemand::json_type::string: return "a string";
    case ondemand::json_type::array: return "an array";
    case ondemand::json_type::object: return "an object";
  }
  return "?";
}

Documents::Documents(std::string path) : path_(std::move(path)) { read_file(); }

Documents::~Documents() {
  if (map_) ::munmap(map_, map_bytes_);
}

void Documents::read_file() {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) trace::throw_cannot_open(path_);
  const std::unique_ptr<const int, void (*)(const int*)> closer(&fd, [](const int* f) { ::close(*f); });
  // A large regular file is mapped: file pages over an anonymous zero-filled
  // mapping that is SIMDJSON_PADDING bytes longer, so the padding past the
  // end is readable even when the file ends on a page boundary.
  struct stat st {};
  // Smaller files are read: mmap and munmap cost more than copying a few
  // pages (munmap flushes the TLB of every CPU the process ran on).
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && static_cast<std::size_t>(st.st_size) >= kReadChunk) {
    const auto size = static_cast<std::size_t>(st.st_size);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    map_bytes_ = (size + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    void* base = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base != MAP_FAILED) {
      if (::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) != MAP_FAILED) {
        map_ = base;
        text_ = std::string_view(static_cast<const char*>(base), size);
        capacity_ = map_bytes_;
        return;
      }
      ::munmap(base, map_bytes_);
    }
  }
  // A pipe, a small file (or one that cannot be mapped) is read to its end:
  // room for the expected size, a byte to see the end and the padding.
  const std::size_t first =
      regular && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) + 1 + simdjson::SIMDJSON_PADDING : 4096;
  const std::size_t size = trace::read_to_end(fd, buffer_, first, path_);
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: keep them allocated.
  buffer_.resize(size + simdjson::SIMDJSON_PADDING, ' ');
  text_ = std::string_view(buffer_.data(), size);
  capacity_ = buffer_.size();
}

void Documents::for_each(const std::function<void(ondemand::value)>& each) {
  const char* data = text_.data();
  const std::size_t size = text_.size();
  std::size_t first = 0;
  while (first < size && blank(data[first])) ++first;
  if (first == size) return;  // empty: no elements
  if (text_.compare(first, 3, "\xEF\xBB\xBF") == 0)
    fail(data + first, "JSON: byte-order marks are not supported; remove the UTF-8 BOM");
  if (data[first] == '[') {
    array_ = true;
    const std::size_t from = each_element(first, each);
    if (from != std::string_view::npos) whole_array(from, each);
    return;
  }

  // JSON Lines: one batch holds the whole file, so no record is too long for
  // it (and a small file's parser is small).
  ondemand::document_stream stream;
  check(parser_.iterate_many(data, size, size).get(stream), "the file");
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    const char* record_start = data + it.current_index();
    check(it.error(), "a JSON Lines record", record_start);
    check((*it).get(record_), "a JSON Lines record", record_start);
    started_ = true;
    ondemand::value value;
    check(record_.get_value().get(value), "a JSON Lines record", record_start);
    ++elements_;
    each(value);
  }
  if (stream.truncated_bytes() > 0)
    fail(last_byte(), "JSON: unexpected end of file inside a JSON Lines record (file cut?)");
}

std::size_t Documents::each_element(std::size_t open, const std::function<void(ondemand::value)>& each) {
  const char* data = text_.data();
  const std::size_t size = text_.size();
  std::size_t i = skip_blanks(open + 1);
  if (i < size && data[i] == ']') return skip_blanks(i + 1) == size ? std::string_view::npos : 0;
  one_element_ = true;
  std::size_t done = 0;  // elements handed over
  Step step = Step::next;
  while (step == Step::next) {
    step = several_elements(i, each, done);
    if (step == Step::alone) step = one_element(i, each, done);
  }
  one_element_ = false;
  chunk_from_ = std::string_view::npos;
  return step == Step::finished ? std::string_view::npos : done;
}

std::size_t Documents::skip_blanks(std::size_t i) const {
  while (i < text_.size() && blank(text_[i])) ++i;
  return i;
}

std::size_t Documents::find_cut(std::size_t from, std::size_t to) const {
  const char* data = text_.data();
  for (std::size_t c = to; c > from; --c) {
    if (data[c] != ',') continue;
    std::size_t before = c - 1, after = c + 1;
    while (before > from && blank(data[before])) --before;
    while (after < to && blank(data[after])) ++after;
    if (data[before] == '}' && after < to && data[after] == '{') return c;
  }
  return 0;
}

Documents::Step Documents::several_elements(std::size_t& i, const std::function<void(ondemand::value)>& each,
                                            std::size_t& done) {
  const char* data = text_.data();
  const std::size_t close = static_cast<std::size_t>(last_byte() - data);
  if (data[close] != ']') return Step::alone;
  // The last chunk runs to the closing bracket; any other ends at a cut.
  const bool last = i + kChunkBytes >= close;
  const std::size_t end = last ? close : find_cut(i, i + kChunkBytes);
  if (end == 0) return Step::alone;  // no cut: an element longer than a chunk
  // A copy, bracketed: '[', the elements, ']' (the file's own for the last
  // chunk). Copying costs less than writing brackets into the mapped file,
  // which would copy two of its pages per chunk in page faults.
  const std::size_t length = end - i + 2;
  if (!chunk_) {
    chunk_ = std::make_unique_for_overwrite<char[]>(kChunkBytes + 2 + simdjson::SIMDJSON_PADDING);
    check(parser_.allocate(kChunkBytes + 2), "the file");
  }
  chunk_[0] = '[';
  std::memcpy(chunk_.get() + 1, data + i, end - i);
  chunk_[length - 1] = ']';
  std::memset(chunk_.get() + length, ' ', simdjson::SIMDJSON_PADDING);
  chunk_from_ = i;
  ondemand::array elements;
  if (parser_.iterate(simdjson::padded_string_view(chunk_.get(), length, length + simdjson::SIMDJSON_PADDING))
          .get(document_) ||
      document_.get_array().get(elements))
    return Step::alone;  // e.g. a cut inside a string: no element was handed over
  for (auto element : elements) {
    ondemand::value value;
    if (element.get(value)) return Step::failed;
    const std::size_t start = file_offset(start_of(value));
    elements_ = done + 1;
    try {
      each(value);
    } catch (const RereadInWholeFile&) {
      i = start;  // read alone: it may be the one a wrong cut cut short
      return Step::alone;
    }
    ++done;
  }
  const char* rest = nullptr;
  if (!document_.current_location().get(rest)) return Step::failed;  // data after the array
  if (last) return Step::finished;
  i = skip_blanks(end + 1);
  return Step::next;
}

Documents::Step Documents::one_element(std::size_t& i, const std::function<void(ondemand::value)>& each,
                                       std::size_t& done) {
  const char* data = text_.data();
  const std::size_t size = text_.size();
  // Only objects and arrays: other elements are left to the whole-file parse.
  const std::size_t end = container_end(data, size, i);
  if (end == size) return Step::failed;
  // simdjson checks the element's syntax and UTF-8; the bytes between
  // elements are checked here.
  const simdjson::padded_string_view view(data + i, end - i, capacity_ - i);
  ondemand::value value;
  if (parser_.iterate(view).get(document_) || document_.get_value().get(value)) return Step::failed;
  chunk_from_ = std::string_view::npos;
  elements_ = done + 1;
  try {
    each(value);
  } catch (const RereadInWholeFile&) {
    return Step::failed;
  }
  ++done;
  i = skip_blanks(end);
  if (i < size && data[i] == ']' && skip_blanks(i + 1) == size) return Step::finished;
  if (i >= size || data[i] != ',') return Step::failed;
  i = skip_blanks(i + 1);
  return Step::next;
}

void Documents::whole_array(std::size_t skip, const std::function<void(ondemand::value)>& each) {
  const simdjson::padded_string_view view(text_.data(), text_.size(), capacity_);
  check(parser_.iterate(view).get(document_), "the top-level array");
  started_ = true;
  // Through the root value rather than document::get_array(), which refuses
  // up front a file whose last token is not ']': a cut file, data after the
  // array and nesting too deep each get their own message below.
  ondemand::value root;
  check(document_.get_value().get(root), "the top-level array");
  ondemand::array elements;
  check(root.get_array().get(elements), "the top-level array");
  std::size_t index = 0;
  for (auto element : elements) {
    ondemand::value value;
    check(element.get(value), "the top-level array");
    if (index++ < skip) continue;  // already read element by element
    elements_ = index;
    each(value);
  }
  if (const char* rest = current_location()) fail(rest, "JSON: unexpected data after the top-level array");
}

void Documents::check_value(ondemand::value value, int depth) {
  const char* at = start_of(value);
  switch (type_of(value, "a value")) {
    case ondemand::json_type::object: {
      if (depth > kMaxDepth) fail(at, "JSON: nesting deeper than 64 levels");
      ondemand::object object;
      check(value.get_object().get(object), "an object", at);
      for (auto field : object) {
        std::string_view key;
        check(field.unescaped_key().get(key), "an object", at);
        ondemand::value member;
        check(field.value().get(member), "an object", at);
        check_value(member, depth + 1);
      }
      return;
    }
    case ondemand::json_type::array: {
      if (depth > kMaxDepth) fail(at, "JSON: nesting deeper than 64 levels");
      ondemand::array array;
      check(value.get_array().get(array), "an array", at);
      for (auto element : array) {
        ondemand::value item;
        check(element.get(item), "an array", at);
        check_value(item, depth + 1);
      }
      return;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      check(value.get_string().get(text), "a string", at);
      return;
    }
    case ondemand::json_type::number: {
      double number;
      check(value.get_double().get(number), "a number", at);
      return;
    }
    case ondemand::json_type::boolean: {
      bool flag;
      check(value.get_bool().get(flag), "a literal", at);
      return;
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      check(value.is_null().get(is_null), "a literal", at);
      if (!is_null) check(simdjson::N_ATOM_ERROR, "a literal", at);
      return;
    }
  }
}

void Documents::report(simdjson::error_code error, const char* context, const char* fallback) {
  if (one_element_) throw RereadInWholeFile{};
  const std::string_view inside(context);
  if (error == simdjson::UTF8_ERROR) {
    const std::size_t bad = trace::find_invalid_utf8(text_);
    if (bad != std::string_view::npos) {
      const std::size_t line_start = text_.rfind('\n', bad == 0 ? 0 : bad - 1);
      const std::size_t column = line_start == std::string::npos || bad == 0 ? bad + 1 : bad - line_start;
      fail(text_.data() + bad, fmt::format("JSON: invalid UTF-8 at byte {} of the line", column));
    }
  }
  const char* end = text_.data() + text_.size();
  const char* at = current_location();
  if (at >= end) at = nullptr;
  if (error == simdjson::UNCLOSED_STRING)
    fail(last_byte(), "JSON: unexpected end of file inside a string (file cut?)");
  // JSON Lines records are whole (a cut last one is told apart by the stream);
  // in the array, running past the last token means the file ends early.
  if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || (!at && array_ && started_))
    fail(last_byte(), fmt::format("JSON: unexpected end of file inside {} (file cut?)", context));
  if (!at) at = fallback ? fallback : last_byte();
  // The token at the error, for the message.
  const char* token_end = at;
  while (token_end < end && token_end - at < 24 && !blank(*token_end) && *token_end != ',' && *token_end != ']' &&
         *token_end != '}')
    ++token_end;
  if (token_end == at && at < end) ++token_end;
  const std::string found = at < end ? fmt::format("'{}'", std::string_view(at, token_end - at)) : "the end of file";
  // A scalar that does not read as the type its first character announces.
  if (inside == "a number") fail(at, fmt::format("JSON: malformed number {}", found));
  if (inside == "a literal") fail(at, fmt::format("JSON: invalid literal {} (expected true, false or null)", found));
  if (inside == "a string") fail(at, fmt::format("JSON: bad escape or invalid character in the string {}", found));
  switch (error) {
    case simdjson::TAPE_ERROR:
      if (inside == "an object")
        fail(at, fmt::format("JSON: expected ',' or '}}' after a member, or a member name in double quotes followed "
                             "by ':', found {}",
                             found));
      if (inside.find("array") != std::string_view::npos)
        fail(at, fmt::format("JSON: expected ',' or ']' between array elements, found {}", found));
      fail(at, fmt::format("JSON: malformed {} at {}", context, found));
    case simdjson::NUMBER_ERROR:
      fail(at, fmt::format("JSON: malformed number {}", found));
    case simdjson::NUMBER_OUT_OF_RANGE:
      fail(at, fmt::format("JSON: number out of range {}", found));
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
    case simdjson::INCORRECT_TYPE:
      fail(at, fmt::format("JSON: invalid literal {} (expected true, false or null)", found));
    case simdjson::STRING_ERROR:
      fail(at, fmt::format("JSON: bad escape or invalid character in the string {}", found));
    case simdjson::UNESCAPED_CHARS:
      fail(at, "JSON: control character inside a string (unterminated string?)");
    case simdjson::DEPTH_ERROR:
      fail(at, "JSON: nesting deeper than 64 levels");
    default:
      fail(at, fmt::format("JSON: {} in {}", simdjson::error_message(error), context));
  }
}

std::size_t Documents::file_offset(const char* position) const {
  const char* chunk = chunk_.get();
  if (chunk_from_ != std::string_view::npos && position >= chunk && position <= chunk + kChunkBytes + 2)
    return chunk_from_ + static_cast<std::size_t>(position - chunk) - 1;  // chunk_[0] is the added '['
  return static_cast<std::size_t>(std::max<std::ptrdiff_t>(position - text_.data(), 0));
}

std::size_t Documents::line_at(const char* position) {
  const std::size_t offset = std::min(file_offset(position), text_.size());
  if (offset < counted_to_) {
    counted_to_ = 0;
    counted_lines_ = 1;
  }
  counted_lines_ += static_cast<std::size_t>(std::count(text_.data() + counted_to_, text_.data() + offset, '\n'));
  counted_to_ = offset;
  return counted_lines_;
}

void Documents::fail(const char* position, const std::string& what) {
  if (one_element_) throw RereadInWholeFile{};
  throw InputError({path_, line_at(position), ""}, what);
}

const char* Documents::current_location() {
  if (!started_) return nullptr;
  const char* at = nullptr;
  const auto error = array_ ? document_.current_location().get(at) : record_.current_location().get(at);
  return error ? nullptr : at;
}

const char* Documents::last_byte() const {
  std::size_t end = text_.size();
  while (end > 0 && blank(text_[end - 1])) --end;
  return text_.data() + (end > 0 ? end - 1 : 0);
}

}  // namespace fastgpu::json

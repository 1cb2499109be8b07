#include "workloads/json_stream.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "sim/error.h"
#include "workloads/trace_io.h"

namespace fastgpu::json {

namespace {
constexpr std::size_t kChunk = 1 << 20;
constexpr int kMaxDepth = 64;
}  // namespace

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : members)
    if (k == key) return &v;
  return nullptr;
}

const char* kind_name(Value::Kind k) {
  switch (k) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "a boolean";
    case Value::Kind::number: return "a number";
    case Value::Kind::string: return "a string";
    case Value::Kind::array: return "an array";
    case Value::Kind::object: return "an object";
  }
  return "?";
}

Stream::Stream(std::string path) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "rb");
  if (!file_) trace::throw_cannot_open(path_);
  buf_.resize(kChunk);
}

Stream::~Stream() {
  if (file_) std::fclose(file_);
}

bool Stream::fill() {
  if (eof_) return false;
  std::size_t got = std::fread(buf_.data(), 1, buf_.size(), file_);
  pos_ = 0;
  end_ = got;
  if (got == 0) {
    if (std::ferror(file_)) fail("read error");
    eof_ = true;
    return false;
  }
  return true;
}

inline int Stream::peek() {
  if (pos_ == end_ && !fill()) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

inline int Stream::get() {
  if (pos_ == end_ && !fill()) return -1;
  int c = static_cast<unsigned char>(buf_[pos_++]);
  if (c == '\n') ++line_;
  return c;
}

void Stream::skip_ws() {
  for (;;) {
    int c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      get();
    } else {
      return;
    }
  }
}

void Stream::fail(const std::string& what) const {
  throw InputError({path_, line_, ""}, "JSON: " + what);
}

void Stream::fail_eof(const char* inside, std::size_t since) const {
  throw InputError({path_, line_, ""},
                   fmt::format("JSON: unexpected end of file inside {} that starts at line {} (file cut?)", inside,
                               since));
}

bool Stream::next(Value& out) {
  if (mode_ == Mode::done) return false;
  skip_ws();
  if (mode_ == Mode::unknown) {
    int c = peek();
    if (c == -1) {
      mode_ = Mode::done;
      return false;
    }
    if (c == 0xEF) fail("byte-order marks are not supported; remove the UTF-8 BOM");
    if (c == '[') {
      mode_ = Mode::array;
      array_line_ = line_;
      get();
      skip_ws();
    } else {
      mode_ = Mode::lines;
    }
  }
  if (mode_ == Mode::array) {
    int c = peek();
    if (c == -1) fail_eof("the top-level array", array_line_);
    if (c == ']') {
      get();
      skip_ws();
      if (peek() != -1) fail("unexpected data after the top-level array");
      mode_ = Mode::done;
      return false;
    }
    if (!first_item_) {
      if (c != ',') fail(fmt::format("expected ',' or ']' between array elements, found '{}'", static_cast<char>(c)));
      get();
      skip_ws();
    }
    first_item_ = false;
    parse_value(out, 1);
    return true;
  }
  // JSON Lines / concatenated values.
  if (peek() == -1) {
    mode_ = Mode::done;
    return false;
  }
  parse_value(out, 1);
  return true;
}

void Stream::expect_word(const char* word) {
  for (const char* p = word; *p; ++p) {
    int c = get();
    if (c == -1) fail(fmt::format("unexpected end of file in '{}'", word));
    if (c != *p) fail(fmt::format("invalid literal (expected '{}')", word));
  }
}

void Stream::parse_value(Value& out, int depth) {
  if (depth > kMaxDepth) fail("nesting deeper than 64 levels");
  skip_ws();
  out.line = line_;
  int c = peek();
  switch (c) {
    case -1: fail("unexpected end of file where a value was expected (file cut?)");
    case '{': {
      get();
      out.kind = Value::Kind::object;
      out.members.clear();
      std::size_t start = out.line;
      skip_ws();
      if (peek() == '}') {
        get();
        return;
      }
      for (;;) {
        skip_ws();
        int q = peek();
        if (q == -1) fail_eof("an object", start);
        if (q != '"') fail(fmt::format("expected a member name in double quotes, found '{}'", static_cast<char>(q)));
        auto& member = out.members.emplace_back();
        parse_string(member.first);
        skip_ws();
        int colon = get();
        if (colon == -1) fail_eof("an object", start);
        if (colon != ':') fail(fmt::format("expected ':' after member name \"{}\"", member.first));
        parse_value(member.second, depth + 1);
        skip_ws();
        int sep = get();
        if (sep == '}') return;
        if (sep == -1) fail_eof("an object", start);
        if (sep != ',')
          fail(fmt::format("expected ',' or '}}' after member \"{}\", found '{}'", member.first, static_cast<char>(sep)));
      }
    }
    case '[': {
      get();
      out.kind = Value::Kind::array;
      out.items.clear();
      std::size_t start = out.line;
      skip_ws();
      if (peek() == ']') {
        get();
        return;
      }
      for (;;) {
        if (peek() == -1) fail_eof("an array", start);
        parse_value(out.items.emplace_back(), depth + 1);
        skip_ws();
        int sep = get();
        if (sep == ']') return;
        if (sep == -1) fail_eof("an array", start);
        if (sep != ',') fail(fmt::format("expected ',' or ']' in an array, found '{}'", static_cast<char>(sep)));
        skip_ws();
      }
    }
    case '"':
      out.kind = Value::Kind::string;
      parse_string(out.text);
      return;
    case 't':
      expect_word("true");
      out.kind = Value::Kind::boolean;
      out.boolean = true;
      return;
    case 'f':
      expect_word("false");
      out.kind = Value::Kind::boolean;
      out.boolean = false;
      return;
    case 'n':
      expect_word("null");
      out.kind = Value::Kind::null;
      return;
    default:
      if (c == '-' || (c >= '0' && c <= '9')) {
        parse_number(out);
        return;
      }
      fail(fmt::format("unexpected character '{}'", static_cast<char>(c)));
  }
}

namespace {
void append_utf8(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}
}  // namespace

void Stream::parse_string(std::string& out) {
  std::size_t start = line_;
  get();  // opening quote
  out.clear();
  bool non_ascii = false;
  for (;;) {
    // Copy the plain run up to the next quote or backslash in one go.
    if (pos_ == end_ && !fill()) fail_eof("a string", start);
    const char* base = buf_.data() + pos_;
    std::size_t n = end_ - pos_, i = 0;
    while (i < n) {
      unsigned char ch = static_cast<unsigned char>(base[i]);
      if (ch == '"' || ch == '\\' || ch < 0x20) break;
      non_ascii |= ch >= 0x80;
      ++i;
    }
    out.append(base, i);
    pos_ += i;
    if (i == n) continue;  // refill
    int c = get();
    if (c == '"') break;
    if (c != '\\') {
      if (c == '\n') --line_;  // report the line the string is on
      fail("control character inside a string (unterminated string?)");
    }
    int e = get();
    switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        auto hex4 = [&]() {
          std::uint32_t v = 0;
          for (int k = 0; k < 4; ++k) {
            int h = get();
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<std::uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<std::uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<std::uint32_t>(h - 'A' + 10);
            else fail("bad \\u escape in a string");
          }
          return v;
        };
        std::uint32_t cp = hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (get() != '\\' || get() != 'u') fail("unpaired UTF-16 surrogate in a \\u escape");
          std::uint32_t lo = hex4();
          if (lo < 0xDC00 || lo > 0xDFFF) fail("unpaired UTF-16 surrogate in a \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          fail("unpaired UTF-16 surrogate in a \\u escape");
        }
        append_utf8(out, cp);
        break;
      }
      case -1: fail_eof("a string", start);
      default: fail(fmt::format("bad escape '\\{}' in a string", static_cast<char>(e)));
    }
  }
  if (non_ascii) {
    std::size_t bad = trace::find_invalid_utf8(out);
    if (bad != std::string::npos) fail(fmt::format("invalid UTF-8 in a string (byte {} of it)", bad + 1));
  }
}

void Stream::parse_number(Value& out) {
  scratch_.clear();
  for (;;) {
    int c = peek();
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
      scratch_.push_back(static_cast<char>(c));
      get();
    } else {
      break;
    }
  }
  // JSON forbids leading zeros and a bare '-'; from_chars checks the rest.
  std::string_view s = scratch_;
  std::string_view digits = s.front() == '-' ? s.substr(1) : s;
  if (digits.empty() || digits.front() == '.' || (digits.size() > 1 && digits[0] == '0' && digits[1] >= '0' &&
                                                  digits[1] <= '9'))
    fail(fmt::format("malformed number '{}'", s));
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ptr != s.data() + s.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
    fail(fmt::format("malformed number '{}'", s));
  if (ec == std::errc::result_out_of_range) v = std::strtod(scratch_.c_str(), nullptr);  // +-HUGE_VAL or 0
  if (!std::isfinite(v)) fail(fmt::format("number out of range '{}'", s));
  out.kind = Value::Kind::number;
  out.number = v;
}

}  // namespace fastgpu::json

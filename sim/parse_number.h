#pragma once
// Whole-string number parsing, the one place text becomes a number: the
// whole string must be the number (no trailing characters), and a number
// that does not fit the type is told apart from text that is not a number.
// std::from_chars underneath: locale-independent, no allocation, no errno.
//
// Header-only and standard library only, so that every layer can use it
// (the GA core included).
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace fastgpu {

enum class NumberError : std::uint8_t {
  none,
  not_a_number,  // empty, a stray character, trailing characters
  out_of_range,  // a number, but too large (or, for doubles, too close to 0) for the type
};

// What may surround the digits. By default nothing: "12" only.
struct NumberSyntax {
  bool blanks = false;  // spaces and tabs at both ends
  bool plus = false;    // a leading '+' (from_chars accepts only '-')
};

// Parses all of `text` as a T (an integer type or double). `out` is set only
// on success. Doubles accept what std::from_chars's general format does,
// including "inf" and "nan": callers that need finite values check them.
template <class T>
NumberError parse_number(std::string_view text, T& out, NumberSyntax syntax = {}) {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, "parse_number: integers and doubles");
  if (syntax.blanks) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  }
  if (syntax.plus && !text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) return NumberError::not_a_number;
  }
  if (text.empty()) return NumberError::not_a_number;
  const char* end = text.data() + text.size();
  T value{};
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  // from_chars reports a number that overflows (or a double that underflows)
  // as out of range and leaves `value` alone; it is only out of range when
  // nothing follows it.
  if (stop != end) return NumberError::not_a_number;
  if (error == std::errc::result_out_of_range) return NumberError::out_of_range;
  if (error != std::errc()) return NumberError::not_a_number;
  out = value;
  return NumberError::none;
}

// The number, or nullopt when `text` is not one or it is out of range.
template <class T>
std::optional<T> parse_number(std::string_view text, NumberSyntax syntax = {}) {
  T value{};
  if (parse_number(text, value, syntax) != NumberError::none) return std::nullopt;
  return value;
}

}  // namespace fastgpu

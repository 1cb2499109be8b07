#include "workloads/philly_record.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace fastgpu::philly {

namespace {

using json::ondemand::json_type;
using json::ondemand::value;

// Bytes of `word` equal to `c`: the high bit of the lowest such byte is set,
// and no bit below it (higher bytes may show false matches).
std::uint64_t bytes_equal(std::uint64_t word, char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  const std::uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));
  return (x - kOnes) & ~x & kHighs;
}

// The text of a string straight from the file when it holds no escape
// (simdjson has already checked its UTF-8 and that it holds no control
// character, so it equals the unescaped string); false when it has one.
// `quoted` points just past the opening quote. Reads 8 bytes at a time: the
// closing quote is in the input, and simdjson's padding past its end is
// readable.
bool unescaped_in_place(const char* quoted, std::string_view& text) {
  static_assert(std::endian::native == std::endian::little, "byte i of a word is bits 8i..8i+7");
  for (const char* p = quoted;; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    const std::uint64_t quote = bytes_equal(word, '"'), backslash = bytes_equal(word, '\\');
    if ((quote | backslash) == 0) continue;
    // The lowest match is exact; a backslash before the quote means an escape.
    const int at_quote = quote ? __builtin_ctzll(quote) : 64;
    const int at_backslash = backslash ? __builtin_ctzll(backslash) : 64;
    if (at_backslash < at_quote) return false;
    text = std::string_view(quoted, static_cast<std::size_t>(p - quoted) + static_cast<std::size_t>(at_quote / 8));
    return true;
  }
}

// Reads a member's value into `m` (the first occurrence of a key wins; a
// repeated key is only checked). Strings and numbers are kept; arrays are
// left to the caller when `descend_into_arrays` says so (returns true then).
bool take(json::Documents& in, Member& m, value& v, bool descend_into_arrays = false) {
  if (m.present) {
    in.check_value(v);
    return false;
  }
  m.present = true;
  m.at = json::Documents::start_of(v);
  m.type = in.type_of(v, "an object");
  if (m.type == json_type::string) {
    if (!unescaped_in_place(m.at + 1, m.text)) in.check(v.get_string().get(m.text), "a string", m.at);
  } else if (m.type == json_type::number) {
    in.check(v.get_double().get(m.number), "a number", m.at);
  } else if (m.type == json_type::array && descend_into_arrays) {
    return true;
  } else {
    in.check_value(v);
  }
  return false;
}

// Calls on_member(key, value) for each member of an object, in file order.
template <class F>
void members(json::Documents& in, value& object_value, const char* at, F&& on_member) {
  json::ondemand::object object;
  in.check(object_value.get_object().get(object), "an object", at);
  for (auto result : object) {
    json::ondemand::field field;
    in.check(std::move(result).get(field), "an object", at);
    std::string_view key;
    if (!unescaped_in_place(field.key().raw(), key)) in.check(field.unescaped_key().get(key), "an object", at);
    on_member(key, field.value());
  }
}

template <class F>
void elements(json::Documents& in, value& array_value, const char* at, F&& on_element) {
  json::ondemand::array array;
  in.check(array_value.get_array().get(array), "an array", at);
  for (auto element : array) {
    value v;
    in.check(element.get(v), "an array", at);
    on_element(v);
  }
}

// One machine of an attempt's `detail`: counts its `gpus`.
void read_machine(json::Documents& in, value& machine, AttemptRecord& a) {
  const char* at = json::Documents::start_of(machine);
  bool has_gpus = false;
  if (in.type_of(machine, "an array") == json_type::object) {
    members(in, machine, at, [&](std::string_view key, value& m) {
      if (key == "gpus" && !has_gpus && in.type_of(m, "an object") == json_type::array) {
        has_gpus = true;
        elements(in, m, at, [&](value& gpu) {
          in.check_value(gpu, 3);
          ++a.gpus;
        });
      } else {
        in.check_value(m);
      }
    });
  } else {
    in.check_value(machine);
  }
  if (!has_gpus && !a.bad_machine) a.bad_machine = at;
}

void read_attempt(json::Documents& in, value& v, AttemptRecord& a) {
  a.at = json::Documents::start_of(v);
  a.is_object = in.type_of(v, "an array") == json_type::object;
  if (!a.is_object) return in.check_value(v);
  members(in, v, a.at, [&](std::string_view key, value& m) {
    if (key == "start_time") take(in, a.start_time, m);
    else if (key == "end_time") take(in, a.end_time, m);
    else if (key == "detail") {
      if (take(in, a.detail, m, true))
        elements(in, m, a.detail.at, [&](value& machine) { read_machine(in, machine, a); });
    } else in.check_value(m);
  });
}

// The `attempts` array: one AttemptRecord per element, in file order.
void read_attempts(json::Documents& in, value& attempts, const char* at, std::vector<AttemptRecord>& out) {
  elements(in, attempts, at, [&](value& a) { read_attempt(in, a, out.emplace_back()); });
}

}  // namespace

void read_job_record(json::Documents& in, value& v, JobRecord& r) {
  r = JobRecord{json::Documents::start_of(v), {}, {}, {}, {}, {}, {}, {}, {}, {}, std::move(r.attempt_list)};
  r.attempt_list.clear();
  members(in, v, r.at, [&](std::string_view key, value& m) {
    if (key == "jobid") take(in, r.jobid, m);
    else if (key == "id") take(in, r.id, m);
    else if (key == "submitted_time") take(in, r.submitted_time, m);
    else if (key == "attempts") {
      if (take(in, r.attempts, m, true)) read_attempts(in, m, r.attempts.at, r.attempt_list);
    } else if (key == "num_gpus") take(in, r.num_gpus, m);
    else if (key == "user") take(in, r.user, m);
    else if (key == "status") take(in, r.status, m);
    else if (key == "runtime") take(in, r.runtime, m);
    else if (key == "vc") take(in, r.vc, m);
    else in.check_value(m);
  });
}

}  // namespace fastgpu::philly

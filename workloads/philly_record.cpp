#include "workloads/philly_record.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string_view>

namespace fastgpu::philly {

namespace {

using json::ondemand::json_type;
using json::ondemand::value;

// The members read; the others are only checked. The job's in the order of
// JobRecord's `taken` below, then "attempts".
constexpr std::array<std::string_view, 9> kJobKeys{"jobid",  "id",      "submitted_time", "num_gpus", "user",
                                                   "status", "runtime", "vc",             "attempts"};
constexpr std::array<std::string_view, 3> kAttemptKeys{"start_time", "end_time", "detail"};

// The text of a string value straight from the file when it holds no
// escape (simdjson has already checked its UTF-8 and that it holds no control
// character, so it equals the unescaped string); false when it has one.
// simdjson's token of a string runs from its opening quote to the next
// structural character: the closing quote and blanks.
bool unescaped_in_place(value& v, std::string_view& text) {
  std::string_view token = v.raw_json_token();
  while (token.size() > 1 && token.back() != '"') token.remove_suffix(1);
  if (token.size() < 2) return false;
  token = token.substr(1, token.size() - 2);
  if (std::memchr(token.data(), '\\', token.size())) return false;
  text = token;
  return true;
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
    if (!unescaped_in_place(v, m.text)) in.check(v.get_string().get(m.text), "a string", m.at);
  } else if (m.type == json_type::number) {
    in.check(v.get_double().get(m.number), "a number", m.at);
  } else if (m.type == json_type::array && descend_into_arrays) {
    return true;
  } else {
    in.check_value(v);
  }
  return false;
}

// Calls on_member(k, value) for each member of an object, in file order,
// with k the index of its key in `names` (names.size() for another key). The
// key's bytes in the file are compared first; only a key that matches none
// is unescaped (an escaped spelling of a name is that name).
template <std::size_t N, class F>
void members(json::Documents& in, value& object_value, const char* at, const std::array<std::string_view, N>& names,
             F&& on_member) {
  json::ondemand::object object;
  in.check(object_value.get_object().get(object), "an object", at);
  for (auto result : object) {
    json::ondemand::field field;
    in.check(std::move(result).get(field), "an object", at);
    std::size_t k = 0;
    const json::ondemand::raw_json_string raw = field.key();
    // The first byte rules out most names without a call to memcmp (an empty
    // key's first byte is its closing quote, which no name starts with).
    const char first = *raw.raw();
    while (k < N && !(!names[k].empty() && first == names[k].front() && raw.unsafe_is_equal(names[k]))) ++k;
    if (k == N) {
      std::string_view key;
      in.check(field.unescaped_key().get(key), "an object", at);
      k = static_cast<std::size_t>(std::find(names.begin(), names.end(), key) - names.begin());
    }
    on_member(k, field.value());
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
    members(in, machine, at, std::array<std::string_view, 1>{"gpus"}, [&](std::size_t key, value& m) {
      if (key == 0 && !has_gpus && in.type_of(m, "an object") == json_type::array) {
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
  members(in, v, a.at, kAttemptKeys, [&](std::size_t key, value& m) {
    if (key == 0) take(in, a.start_time, m);
    else if (key == 1) take(in, a.end_time, m);
    else if (key == 2) {
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
  Member* const taken[] = {&r.jobid, &r.id, &r.submitted_time, &r.num_gpus, &r.user, &r.status, &r.runtime, &r.vc};
  members(in, v, r.at, kJobKeys, [&](std::size_t key, value& m) {
    if (key < std::size(taken)) take(in, *taken[key], m);
    else if (key == kJobKeys.size() - 1) {
      if (take(in, r.attempts, m, true)) read_attempts(in, m, r.attempts.at, r.attempt_list);
    } else in.check_value(m);
  });
}

}  // namespace fastgpu::philly

#pragma once
// Reading ETC instances from files (standard library only; the CLI turns
// EtcParseError into an InputError).
//
// braun: the format of Braun et al.'s benchmark: T x M numbers, one per line,
//   task-major (the value of task t on machine m is on line t*M + m + 1).
//   T and M must be given unless the file has exactly 8192 values (the standard
//   512 x 16). Blank lines are skipped; error messages give the real line.
// csv: fastgpu's own format, one task per row (docs/ga.md):
//   - lines starting with '#' and blank lines are ignored;
//   - either a plain matrix (every row M numbers), or a header whose first cell
//     is `task`, optionally followed by `gpus` (gang width), then one name per
//     machine; rows then start with the task's name (and its width);
//   - with a header, a row named `ready` gives the machines' ready times.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "policies/ga/etc_instance.h"

namespace fastgpu::ga {

class EtcParseError : public std::runtime_error {
 public:
  EtcParseError(std::string file, std::size_t line, std::string field, const std::string& what)
      : std::runtime_error(what), file(std::move(file)), line(line), field(std::move(field)) {}
  std::string file;
  std::size_t line;   // 1-based; 0 = the file as a whole
  std::string field;  // column name or "value"; may be empty
};

struct EtcFile {
  EtcSpec spec;
  std::vector<std::string> task_names;     // csv with a header; else "0", "1", ...
  std::vector<std::string> machine_names;  // csv with a header; else "m0", "m1", ...
};

// tasks/machines = 0: infer (braun: 8192 values -> 512 x 16; otherwise, one of
// them given -> the other = count / given).
EtcFile read_braun(const std::string& path, std::uint32_t tasks = 0, std::uint32_t machines = 0);
EtcFile read_etc_csv(const std::string& path);

}  // namespace fastgpu::ga

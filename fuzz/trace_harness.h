#pragma once
// The body shared by the trace-reader harnesses (fuzz_trace_<format>.cpp):
// one option byte (strict, skip_bad_rows, sum_attempts, pin_gpu_type), then
// the file; formats that read two files (alibaba2020: tasks, jobs) take them
// split at the first NUL byte. A reader may reject the input with an
// InputError (bad input, exit 2); anything else escaping it (another
// exception, a sanitizer report, a hang) is a bug the fuzzer reports.
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/memory_file.h"
#include "sim/error.h"
#include "workloads/trace_reader.h"

namespace fastgpu::fuzz {

inline int run_trace_reader(const char* format, const std::uint8_t* data, std::size_t size, int files = 1) {
  static MemoryFile first, second;
  std::string_view text = as_text(data, size);
  const std::uint8_t option = take_option_byte(text);
  TraceReadOptions options;
  options.strict = option & 1;
  options.skip_bad_rows = option & 2;
  options.sum_attempts = option & 4;
  options.pin_gpu_type = option & 8;
  std::vector<std::string> paths;
  if (files == 2) {
    // alibaba2020 tells its tables apart by their published names: links
    // with those names to the two in-memory files, made once.
    struct Links {
      std::string dir;
      std::vector<std::string> paths;
      Links() {
        char d[] = "/tmp/fastgpu-fuzz-XXXXXX";
        if (!mkdtemp(d)) std::abort();
        dir = d;
        paths = {dir + "/pai_task_table.csv", dir + "/pai_job_table.csv"};
        if (symlink(first.path().c_str(), paths[0].c_str()) != 0 || symlink(second.path().c_str(), paths[1].c_str()))
          std::abort();
      }
      ~Links() {
        for (const std::string& p : paths) unlink(p.c_str());
        rmdir(dir.c_str());
      }
    };
    static const Links links;
    const std::vector<std::string>& named = links.paths;
    const std::size_t cut = text.find('\0');
    first.write(text.substr(0, cut));
    second.write(cut == text.npos ? "" : text.substr(cut + 1));
    paths = named;
  } else {
    paths = {first.write(text)};
  }
  try {
    TraceReadReport report;
    Workload w = read_trace(format, paths, options, &report);
    // What every reader promises of a workload it returns.
    if (report.kept != w.jobs.size()) __builtin_trap();
    for (const Job& j : w.jobs)
      if (!(j.work > 0) || j.num_gpus == 0) __builtin_trap();
  } catch (const InputError&) {
  }
  return 0;
}

}  // namespace fastgpu::fuzz

#pragma once
// One scratch directory per test, under the system temp dir and removed at
// the end of the test, so that tests never see each other's files (or those
// of an earlier run); and a way to run the `fastgpu` executable (FASTGPU_CLI)
// or any shell command inside it, capturing stdout and stderr outside the
// directory so that they never count among the files a command left behind.
#include "source_paths.h"
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace fastgpu::testing {

// A fresh directory temp_directory_path()/fastgpu-TAG-PID-N, removed with the object.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag = "test") {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("fastgpu-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` in the directory (which need not exist).
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string operator/(const std::string& name) const { return file(name); }
  // Writes `text` byte for byte and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::string p = file(name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  // The names directly in the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  // Every path below the directory, relative to it, except the listed inputs.
  std::vector<std::string> outputs(const std::vector<std::string>& inputs) const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(path_)) {
      const std::string rel = std::filesystem::relative(e.path(), path_).string();
      if (std::find(inputs.begin(), inputs.end(), rel) == inputs.end()) out.push_back(rel);
    }
    return out;
  }

 private:
  std::filesystem::path path_;
};

// Exit code (-1 when the command did not exit normally) and captured streams.
struct Shell {
  int code = -1;
  std::string out, err;
};

// Whether captured output (or an error's text) holds `part`.
inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` with /bin/sh inside `dir`; stdout and stderr go to files next
// to the directory (not in it) and are read back and removed.
inline Shell run_in(const ScratchDir& dir, const std::string& command) {
  const std::string out = dir.path().string() + ".stdout", err = dir.path().string() + ".stderr";
  const std::string full = "cd '" + dir.path().string() + "' && " + command + " > '" + out + "' 2> '" + err + "'";
  const int status = std::system(full.c_str());
  Shell r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  std::error_code ec;
  std::filesystem::remove(out, ec);
  std::filesystem::remove(err, ec);
  return r;
}

// Runs `fastgpu ARGS` inside `dir`.
inline Shell run_cli(const ScratchDir& dir, const std::string& args) {
  return run_in(dir, "'" + fastgpu::test::cli_path() + "' " + args);
}

}  // namespace fastgpu::testing

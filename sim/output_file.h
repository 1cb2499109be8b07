#pragma once
// Every file fastgpu writes for the user (results, converted traces, Batsim
// workloads, baselines, solve results) goes through OutputFile:
//  - it is written to a temporary file with a unique name in the destination's
//    own directory (".NAME.XXXXXX.tmp", mkstemp) and renamed over the
//    destination only when complete, so the destination is always the previous
//    file or a complete new one, and two runs writing the same path never share
//    a temporary file (the last rename wins; each file is whole);
//  - the temporary file is removed on every error path, and by a SIGINT /
//    SIGTERM / SIGHUP handler if the process is interrupted (SIGKILL cannot be
//    caught: a leftover ".NAME.XXXXXX.tmp" is then the only trace);
//  - a destination that is a symbolic link is written through: the link's
//    target is replaced and the link kept; a destination that exists and is
//    not a regular file (a device such as /dev/null, a FIFO, a socket, a
//    directory) is refused with an InputError, before anything is written.
// Standard library and POSIX only, so every layer can use it.
#include <string>

namespace fastgpu {

class OutputFile {
 public:
  // Checks the destination, creates its parent directory when missing and the
  // temporary file (empty). InputError naming `path` on any failure.
  explicit OutputFile(const std::string& path);
  // Without commit(): removes the temporary file.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& path() const { return path_; }         // as given (for messages)
  const std::string& temp_path() const { return temp_; }    // write here

  // Renames the temporary file over the destination (its target, for a
  // symbolic link). InputError on failure, after removing the temporary file.
  void commit();
  // Removes the temporary file now (idempotent).
  void abandon();

 private:
  std::string path_, target_, temp_;
  int slot_ = -1;  // in the signal handler's table of files to remove
};

// The destination checks of OutputFile alone (not a device, FIFO, socket or
// directory, through symbolic links), for commands that want to refuse a bad
// -o before a long run rather than after it. Creates nothing.
void check_output_path(const std::string& path);

// Writes `bytes` to `path` through an OutputFile. InputError naming the path
// (with the system's reason, e.g. "No space left on device") on failure.
void write_output_file(const std::string& path, const std::string& bytes);

}  // namespace fastgpu

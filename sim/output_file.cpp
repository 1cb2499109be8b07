#include "sim/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu {

namespace fs = std::filesystem;

namespace {

// Temporary files to remove when a signal ends the process. The handler only
// reads fixed buffers and calls unlink (async-signal-safe); a slot's path is
// complete before `live` is set and `live` is cleared before the path changes.
// Constant-initialised (all zero, in .bss): a dynamic initialiser would write
// the 64 flags, 4 KiB apart, and fault in 64 pages at every start.
struct PendingFile {
  std::atomic<bool> live{false};
  char path[PATH_MAX]{};
};
constinit std::array<PendingFile, 64> g_pending;
std::mutex g_pending_mutex;  // serialises claiming slots (not used by the handler)

void remove_pending_and_die(int sig) {
  for (PendingFile& p : g_pending)
    if (p.live.load(std::memory_order_acquire)) unlink(p.path);
  // Die by the same signal, so the parent (shell, Slurm) sees how we ended.
  signal(sig, SIG_DFL);
  raise(sig);
}

// Installs the handler for the signals that interrupt a run, leaving alone a
// signal the parent asked us to ignore (nohup, `trap '' INT`).
void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
      struct sigaction sa {};
      sa.sa_handler = remove_pending_and_die;
      sigemptyset(&sa.sa_mask);
      sigaction(sig, &sa, nullptr);
    }
  });
}

int claim_slot(const std::string& path) {
  install_handlers();
  if (path.size() >= PATH_MAX) return -1;
  const std::lock_guard lock(g_pending_mutex);
  for (std::size_t i = 0; i < g_pending.size(); ++i) {
    PendingFile& p = g_pending[i];
    if (p.live.load(std::memory_order_relaxed)) continue;
    std::memcpy(p.path, path.c_str(), path.size() + 1);
    p.live.store(true, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;  // more than 64 files at once: still removed on errors, not on signals
}

void release_slot(int slot) {
  if (slot >= 0) g_pending[static_cast<std::size_t>(slot)].live.store(false, std::memory_order_release);
}

const char* kind_of(fs::file_type t) {
  switch (t) {
    case fs::file_type::directory: return "a directory";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

// The file the destination names: itself, or a symbolic link's final target
// (which need not exist yet).
fs::path resolve_target(const std::string& path) {
  std::error_code ec;
  fs::path p(path);
  for (int hops = 0; hops < 40; ++hops) {
    const fs::file_status st = fs::symlink_status(p, ec);
    if (ec || st.type() != fs::file_type::symlink) return p;
    fs::path next = fs::read_symlink(p, ec);
    if (ec) throw InputError(SourceLocation{path, 0, ""}, "cannot read the symbolic link: " + ec.message());
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  throw InputError(SourceLocation{path, 0, ""}, "too many levels of symbolic links");
}

// The destination's target after the checks of check_output_path.
fs::path checked_target(const std::string& path) {
  if (path.empty()) throw InputError(SourceLocation{"", 0, "output"}, "the output path is empty");
  const fs::path target = resolve_target(path);
  std::error_code ec;
  const fs::file_status st = fs::status(target, ec);
  if (!ec && st.type() != fs::file_type::regular && st.type() != fs::file_type::not_found)
    throw InputError(SourceLocation{path, 0, ""},
                     fmt::format("is {}: fastgpu writes its output only to regular files", kind_of(st.type())));
  return target;
}

}  // namespace

void check_output_path(const std::string& path) { checked_target(path); }

OutputFile::OutputFile(const std::string& path) : path_(path) {
  const fs::path target = checked_target(path);
  std::error_code ec;
  target_ = target.string();

  fs::path dir = target.parent_path();
  if (!dir.empty()) {
    fs::create_directories(dir, ec);
    if (ec)
      throw InputError(SourceLocation{path, 0, ""},
                       fmt::format("cannot create directory '{}': {}", dir.string(), ec.message()));
  }
  std::string pattern = (dir / ("." + target.filename().string() + ".XXXXXX.tmp")).string();
  const int fd = mkstemps(pattern.data(), 4);
  if (fd < 0)
    throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot create a file in '{}': {}",
                                                               dir.empty() ? "." : dir.string(), std::strerror(errno)));
  // mkstemp creates 0600; give the file the mode a plain create would have.
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  close(fd);
  temp_ = pattern;
  slot_ = claim_slot(temp_);
}

OutputFile::~OutputFile() { abandon(); }

void OutputFile::abandon() {
  if (temp_.empty()) return;
  release_slot(slot_);
  slot_ = -1;
  std::error_code ec;
  fs::remove(temp_, ec);
  temp_.clear();
}

void OutputFile::commit() {
  if (temp_.empty()) throw InternalError("OutputFile::commit after commit or abandon");
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec) {
    const std::string why = ec.message();
    abandon();
    throw InputError(SourceLocation{path_, 0, ""}, "cannot replace the file: " + why);
  }
  release_slot(slot_);
  slot_ = -1;
  temp_.clear();
}

void write_output_file(const std::string& path, const std::string& bytes) {
  OutputFile out(path);
  std::FILE* f = std::fopen(out.temp_path().c_str(), "wb");
  if (!f) throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot write: {}", std::strerror(errno)));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  int err = ok ? 0 : errno;
  if (std::fclose(f) != 0 && ok) ok = false, err = errno;
  if (!ok) throw InputError(SourceLocation{path, 0, ""}, fmt::format("cannot write: {}", std::strerror(err)));
  out.commit();
}

}  // namespace fastgpu

#include "sim/run_progress.h"

#include <utility>

namespace fastgpu {

namespace {
thread_local ProgressHook current_hook;
}  // namespace

const ProgressHook& thread_progress_hook() { return current_hook; }

ScopedProgressHook::ScopedProgressHook(ProgressHook hook) : previous_(std::exchange(current_hook, std::move(hook))) {}

ScopedProgressHook::~ScopedProgressHook() { current_hook = std::move(previous_); }

}  // namespace fastgpu

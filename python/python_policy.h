#pragma once
// A policy written in Python: a subclass of fastgpu.Policy whose hooks the
// engine calls through this adapter. The GIL is taken per call, so runs on
// several threads are safe (their Python code runs one call at a time); the
// thread's Python state is kept for the whole run so that a call costs one
// GIL hand-over, not a thread-state creation.
#include <memory>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "policies/placement.h"
#include "sim/policy.h"
#include "sim/scheduling_context.h"

namespace fastgpu::python {

// What a Python policy's hooks receive as `ctx`: the engine's scheduling
// context for the current call, and the policy's placement (its `placement`
// class attribute) for ctx.place / ctx.try_start.
struct PyContext {
  SchedulingContext* ctx = nullptr;
  Placement* placement = nullptr;
  std::vector<GpuIndex> scratch;

  SchedulingContext& get() const;  // PolicyError outside a hook call
};

class PythonPolicy final : public Policy {
 public:
  // `instance` is the fastgpu.Policy object; the GIL is held by the caller.
  PythonPolicy(std::string name, pybind11::object instance);
  ~PythonPolicy() override;

  void init(SchedulingContext& ctx) override;
  void on_arrival(SchedulingContext& ctx, JobIndex j) override;
  void on_finish(SchedulingContext& ctx, JobIndex j) override;
  void on_requeue(SchedulingContext& ctx, JobIndex j) override;
  void on_timer(SchedulingContext& ctx, std::uint64_t tag) override;
  void on_monitor(SchedulingContext& ctx) override;
  void schedule(SchedulingContext& ctx) override;
  void finish(SchedulingContext& ctx) override;
  std::map<std::string, std::string> attributes() const override;

 private:
  template <class... Args>
  void call(const pybind11::object& hook, const char* hook_name, SchedulingContext& ctx, Args... args);
  void release_thread_state();

  std::string name_;
  pybind11::object instance_, context_object_;
  pybind11::object init_, on_arrival_, on_finish_, on_requeue_, on_timer_, on_monitor_, schedule_, finish_;
  std::unique_ptr<Placement> placement_;
  PyContext* context_ = nullptr;  // owned by context_object_
  PyGILState_STATE run_state_{};
  PyThreadState* saved_ = nullptr;
  bool holds_thread_state_ = false;
};

}  // namespace fastgpu::python

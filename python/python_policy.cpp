#include "python/python_policy.h"

#include <mutex>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "policies/builtin.h"
#include "python/bindings.h"
#include "sim/error.h"

namespace py = pybind11;

namespace fastgpu::python {

namespace {

const char* const kHooks[] = {"init", "on_arrival", "on_finish", "on_requeue", "on_timer", "on_monitor", "schedule",
                              "finish"};

// The pending Python exception as its formatted traceback (GIL held).
std::string take_traceback() {
  py::error_already_set e;
  try {
    py::module_ tb = py::module_::import("traceback");
    py::list lines = tb.attr("format_exception")(e.type(), e.value(), e.trace());
    std::string out;
    for (const py::handle& l : lines) out += l.cast<std::string>();
    return out;
  } catch (const py::error_already_set&) {
    return e.what();
  }
}

// The hook if the subclass overrides it, else None (the engine then skips
// the call, so a policy pays only for the hooks it has).
py::object hook_of(const py::object& instance, const char* name) {
  py::object base = py::module_::import("fastgpu.policy").attr("Policy").attr(name);
  py::object own = py::type::of(instance).attr(name);
  if (own.is(base)) return py::none();
  return instance.attr(name);
}

}  // namespace

PythonPolicy::PythonPolicy(std::string name, py::object instance)
    : name_(std::move(name)), instance_(std::move(instance)) {
  placement_ = make_placement(py::str(instance_.attr("placement")).cast<std::string>());
  py::object* hooks[] = {&init_, &on_arrival_, &on_finish_, &on_requeue_, &on_timer_, &on_monitor_, &schedule_, &finish_};
  for (std::size_t i = 0; i < std::size(kHooks); ++i) *hooks[i] = hook_of(instance_, kHooks[i]);
  if (schedule_.is_none()) throw InputError(fmt::format("Python policy '{}' has no schedule(ctx) method", name_));
  context_object_ = py::cast(new PyContext(), py::return_value_policy::take_ownership);
  context_ = context_object_.cast<PyContext*>();
  context_->placement = placement_.get();
}

PythonPolicy::~PythonPolicy() {
  if (holds_thread_state_) {
    PyEval_RestoreThread(saved_);
  } else {
    run_state_ = PyGILState_Ensure();
  }
  py::object* objects[] = {&instance_, &context_object_, &init_,      &on_arrival_, &on_finish_,
                           &on_requeue_, &on_timer_,     &on_monitor_, &schedule_,   &finish_};
  for (py::object* o : objects) *o = py::object();
  PyGILState_Release(run_state_);
}

template <class... Args>
void PythonPolicy::call(const py::object& hook, const char* hook_name, SchedulingContext& ctx, Args... args) {
  if (hook.is_none()) return;
  const PyGILState_STATE state = PyGILState_Ensure();
  context_->ctx = &ctx;
  PyObject* argv[1 + sizeof...(Args)] = {context_object_.ptr(), PyLong_FromUnsignedLongLong(args)...};
  PyObject* result = PyObject_Vectorcall(hook.ptr(), argv, 1 + sizeof...(Args), nullptr);
  for (std::size_t i = 1; i < std::size(argv); ++i) Py_DECREF(argv[i]);
  context_->ctx = nullptr;
  if (!result) {
    std::string message = fmt::format("Python policy '{}' raised in {} at t = {}:\n{}", name_, hook_name, ctx.now(),
                                      take_traceback());
    PyGILState_Release(state);
    throw PolicyError(message);
  }
  Py_DECREF(result);
  PyGILState_Release(state);
}

void PythonPolicy::init(SchedulingContext& ctx) {
  // Keep this thread's Python state for the whole run (released in finish or
  // the destructor): later calls then only take and give back the GIL.
  run_state_ = PyGILState_Ensure();
  saved_ = PyEval_SaveThread();
  holds_thread_state_ = true;
  placement_->init(ctx);
  call(init_, "init", ctx);
}

void PythonPolicy::on_arrival(SchedulingContext& ctx, JobIndex j) { call(on_arrival_, "on_arrival", ctx, j); }
void PythonPolicy::on_finish(SchedulingContext& ctx, JobIndex j) { call(on_finish_, "on_finish", ctx, j); }
void PythonPolicy::on_requeue(SchedulingContext& ctx, JobIndex j) { call(on_requeue_, "on_requeue", ctx, j); }
void PythonPolicy::on_timer(SchedulingContext& ctx, std::uint64_t tag) { call(on_timer_, "on_timer", ctx, tag); }

void PythonPolicy::on_monitor(SchedulingContext& ctx) {
  placement_->on_monitor(ctx);
  call(on_monitor_, "on_monitor", ctx);
}

void PythonPolicy::schedule(SchedulingContext& ctx) { call(schedule_, "schedule", ctx); }

void PythonPolicy::finish(SchedulingContext& ctx) {
  call(finish_, "finish", ctx);
  placement_->finish(ctx);
  release_thread_state();
}

void PythonPolicy::release_thread_state() {
  if (!holds_thread_state_) return;
  PyEval_RestoreThread(saved_);
  holds_thread_state_ = false;
  PyGILState_Release(run_state_);
}

std::map<std::string, std::string> PythonPolicy::attributes() const {
  PyGILState_STATE state = PyGILState_Ensure();
  std::map<std::string, std::string> out;
  try {
    py::object attrs = instance_.attr("attributes")();
    for (const auto& [k, v] : attrs.cast<py::dict>()) out[py::str(k)] = py::str(v);
  } catch (py::error_already_set& e) {
    std::string message = fmt::format("Python policy '{}' raised in attributes: {}", name_, e.what());
    e.restore();
    PyErr_Clear();
    PyGILState_Release(state);
    throw PolicyError(message);
  }
  PyGILState_Release(state);
  return out;
}

namespace {

// A fastgpu.Policy subclass's declared parameters (its `params` dict: name ->
// default) as the registry's declarations, by the default's Python type.
std::vector<ParamSpec> param_specs(const py::dict& params) {
  std::vector<ParamSpec> out;
  for (const auto& [k, v] : params) {
    const std::string name = py::str(k);
    if (py::isinstance<py::bool_>(v)) {
      out.push_back(flag_param(name, v.cast<bool>(), "a Python policy parameter"));
    } else if (py::isinstance<py::int_>(v)) {
      out.push_back(integer_param(name, v.cast<std::int64_t>(), -kUnbounded, kUnbounded, "a Python policy parameter"));
    } else if (py::isinstance<py::float_>(v)) {
      out.push_back(number_param(name, v.cast<double>(), -kUnbounded, kUnbounded, "a Python policy parameter"));
    } else if (py::isinstance<py::str>(v)) {
      out.push_back(text_param(name, v.cast<std::string>(), "a Python policy parameter"));
    } else {
      throw py::type_error(fmt::format("parameter '{}': the default must be a bool, int, float or str", name));
    }
  }
  return out;
}

py::object value_of(const PolicyParams& p, const ParamSpec& spec) {
  switch (spec.default_value.index()) {
    case 0: return py::bool_(p.get_bool(spec.name));
    case 1: return py::int_(p.get_int(spec.name));
    case 2: return py::float_(p.get_double(spec.name));
    default: return py::str(p.get_string(spec.name));
  }
}

// Adds `name` to the registry; its factory asks fastgpu.policy for the class
// registered under that name now, so re-registering a class in the same
// session takes effect.
void register_python_policy(const std::string& name, const std::string& summary, const py::dict& params) {
  PolicyInfo info;
  info.name = name;
  info.summary = summary;
  info.source = "a Python class (fastgpu.Policy subclass)";
  info.params = param_specs(params);
  info.create = [name, specs = info.params](const PolicyParams& p) -> std::unique_ptr<Policy> {
    py::gil_scoped_acquire gil;
    try {
      py::object cls = py::module_::import("fastgpu.policy").attr("registered_class")(name);
      py::dict kwargs;
      for (const ParamSpec& spec : specs) kwargs[py::str(spec.name)] = value_of(p, spec);
      return std::make_unique<PythonPolicy>(name, cls(**kwargs));
    } catch (py::error_already_set& e) {
      e.restore();
      throw PolicyError(fmt::format("Python policy '{}': creating it raised:\n{}", name, take_traceback()));
    }
  };
  std::unique_lock lock(registry_mutex(), std::try_to_lock);
  if (!lock) throw PolicyError(fmt::format("cannot register policy '{}' while an experiment is running", name));
  register_policy(std::move(info));
}

}  // namespace

void bind_policy(py::module_& m) {
  m.def("_register_policy", &register_python_policy, py::arg("name"), py::arg("summary"), py::arg("params"));
}

}  // namespace fastgpu::python

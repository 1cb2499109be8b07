// fastgpu.Context: the SchedulingContext as a Python policy sees it. The same
// queries and the same validated actions as in C++ (an invalid action raises
// fastgpu.PolicyError naming the policy, time and job), plus batched
// accessors that return numpy arrays (one crossing instead of one per job)
// and the policy's placement (ctx.place, ctx.try_start).
#include <cmath>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "python/bindings.h"
#include "python/python_policy.h"
#include "sim/error.h"

namespace py = pybind11;

namespace fastgpu::python {

SchedulingContext& PyContext::get() const {
  if (!ctx) throw PolicyError("the scheduling context is only valid during a policy hook call");
  return *ctx;
}

namespace {

template <class T>
py::array_t<T> to_array(std::span<const T> values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

std::vector<GpuIndex> to_gpus(const py::handle& gpus) {
  auto a = py::array_t<GpuIndex, py::array::c_style | py::array::forcecast>::ensure(gpus);
  if (!a || a.ndim() != 1) throw py::type_error("gpus must be a sequence of GPU indices");
  return {a.data(), a.data() + a.size()};
}

// f(j) for every job of a 1-D array, as a float64 array.
template <class F>
py::array_t<double> per_job(const py::array_t<JobIndex, py::array::c_style | py::array::forcecast>& jobs, F&& f) {
  py::array_t<double> out(jobs.size());
  double* o = out.mutable_data();
  const JobIndex* in = jobs.data();
  for (py::ssize_t i = 0; i < jobs.size(); ++i) o[i] = f(in[i]);
  return out;
}

// Every job's static fields, one numpy array per column.
py::dict jobs_table(const SchedulingContext& ctx) {
  const Workload& w = ctx.workload();
  const auto& jobs = w.jobs;
  const py::ssize_t n = static_cast<py::ssize_t>(jobs.size());
  py::array_t<std::int64_t> id(n);
  py::array_t<double> submit(n), work(n), deadline(n), earliest(n), requested(n);
  py::array_t<std::uint32_t> num_gpus(n), user(n);
  py::array_t<std::int32_t> priority(n);
  py::array_t<float> share(n), memory(n);
  py::array_t<bool> preemptible(n);
  for (py::ssize_t i = 0; i < n; ++i) {
    const Job& j = jobs[static_cast<std::size_t>(i)];
    id.mutable_at(i) = j.id;
    submit.mutable_at(i) = j.submit;
    work.mutable_at(i) = j.work;
    deadline.mutable_at(i) = j.deadline;
    const JobTraceFields& t = w.trace_fields_of(static_cast<JobIndex>(i));
    earliest.mutable_at(i) = t.earliest_start;
    requested.mutable_at(i) = t.requested_time;
    num_gpus.mutable_at(i) = j.num_gpus;
    user.mutable_at(i) = j.user;
    priority.mutable_at(i) = j.priority;
    share.mutable_at(i) = j.gpu_share;
    memory.mutable_at(i) = j.gpu_memory_gb;
    preemptible.mutable_at(i) = j.preemptible;
  }
  py::dict d;
  d["id"] = id;
  d["submit"] = submit;
  d["work"] = work;
  d["deadline"] = deadline;
  d["earliest_start"] = earliest;
  d["requested_time"] = requested;
  d["num_gpus"] = num_gpus;
  d["user"] = user;
  d["priority"] = priority;
  d["gpu_share"] = share;
  d["gpu_memory_gb"] = memory;
  d["preemptible"] = preemptible;
  return d;
}

}  // namespace

void bind_context(py::module_& m) {
  py::enum_<JobState>(m, "JobState")
      .value("not_arrived", JobState::not_arrived)
      .value("pending", JobState::pending)
      .value("running", JobState::running)
      .value("suspending", JobState::suspending)
      .value("finished", JobState::finished)
      .value("rejected", JobState::rejected);

  using C = PyContext;
  py::class_<C>(m, "Context", "What a policy sees and how it acts (valid only during a hook call).")
      // --- time and sizes ---
      .def_property_readonly("now", [](const C& c) { return c.get().now(); }, "simulated time (s)")
      .def_property_readonly("num_jobs", [](const C& c) { return c.get().workload().jobs.size(); })
      .def_property_readonly("num_gpus", [](const C& c) { return c.get().cluster().num_gpus(); })
      .def_property_readonly("num_nodes", [](const C& c) { return c.get().cluster().num_nodes(); })
      .def_property_readonly("num_types", [](const C& c) { return c.get().cluster().num_types(); })
      .def_property_readonly("monitor_interval", [](const C& c) { return c.get().monitor_interval(); },
                             "seconds between load samples")
      // --- jobs ---
      .def("jobs", [](const C& c) { return jobs_table(c.get()); },
           "every job's static fields (id, submit s, work reference-GPU s, num_gpus, gpu_share, user, priority, "
           "deadline s, earliest_start s, requested_time s, gpu_memory_gb, preemptible) as numpy arrays")
      .def("submit", [](const C& c, JobIndex j) { return c.get().job(j).submit; }, py::arg("job"))
      .def("num_gpus_of", [](const C& c, JobIndex j) { return c.get().job(j).num_gpus; }, py::arg("job"))
      .def("state", [](const C& c, JobIndex j) { return c.get().state(j); }, py::arg("job"))
      .def("pending", [](const C& c) { return to_array(c.get().pending()); }, "pending job indices (unordered)")
      .def("running", [](const C& c) { return to_array(c.get().running()); }, "running job indices (unordered)")
      .def("gpus_of", [](const C& c, JobIndex j) { return to_array(c.get().gpus_of(j)); }, py::arg("job"))
      .def("type_allowed", [](const C& c, JobIndex j, TypeIndex t) { return c.get().type_allowed(j, t); },
           py::arg("job"), py::arg("gpu_type"))
      .def("estimated_work", [](const C& c, JobIndex j) { return c.get().estimated_work(j); }, py::arg("job"))
      .def("estimated_remaining_work", [](const C& c, JobIndex j) { return c.get().estimated_remaining_work(j); },
           py::arg("job"))
      .def("estimated_finish", [](const C& c, JobIndex j) { return c.get().estimated_finish(j); }, py::arg("job"))
      .def("remaining_work", [](const C& c, JobIndex j) { return c.get().remaining_work(j); }, py::arg("job"))
      .def("attained_service", [](const C& c, JobIndex j) { return c.get().attained_service(j); }, py::arg("job"),
           "GPU-seconds received so far")
      .def("first_start", [](const C& c, JobIndex j) { return c.get().first_start(j); }, py::arg("job"))
      .def("preemptions", [](const C& c, JobIndex j) { return c.get().preemptions(j); }, py::arg("job"))
      .def("rate_on", [](const C& c, JobIndex j, const py::handle& gpus) { return c.get().rate_on(j, to_gpus(gpus)); },
           py::arg("job"), py::arg("gpus"))
      // --- batched queries: one crossing for many jobs ---
      .def("attained_service_of",
           [](const C& c, const py::array_t<JobIndex, py::array::c_style | py::array::forcecast>& jobs) {
             const SchedulingContext& s = c.get();
             return per_job(jobs, [&](JobIndex j) { return s.attained_service(j); });
           },
           py::arg("jobs"))
      .def("estimated_remaining_work_of",
           [](const C& c, const py::array_t<JobIndex, py::array::c_style | py::array::forcecast>& jobs) {
             const SchedulingContext& s = c.get();
             return per_job(jobs, [&](JobIndex j) { return s.estimated_remaining_work(j); });
           },
           py::arg("jobs"))
      // --- cluster ---
      .def("free_gpus", [](const C& c) { return c.get().cluster().free_gpus(); }, "wholly free GPUs")
      .def("free_gpus_of_type", [](const C& c, TypeIndex t) { return c.get().cluster().free_gpus_of_type(t); })
      .def("is_free", [](const C& c, GpuIndex g) { return c.get().cluster().is_free(g); })
      .def("node_of", [](const C& c, GpuIndex g) { return c.get().cluster().node_of(g); })
      .def("type_of", [](const C& c, GpuIndex g) { return c.get().cluster().type_of(g); })
      .def("type_name", [](const C& c, TypeIndex t) { return c.get().cluster().gpu_type(t).name; })
      .def("gpu_load", [](const C& c) { return to_array(c.get().gpu_load()); },
           "per-GPU busy fraction over the last monitor interval")
      .def("gpu_load_changed", [](const C& c) { return to_array(c.get().gpu_load_changed()); })
      // --- placement (the policy's `placement` attribute) ---
      .def("place",
           [](C& c, JobIndex j) -> py::object {
             if (!c.placement->place(c.get(), j, c.scratch)) return py::none();
             return to_array(std::span<const GpuIndex>(c.scratch));
           },
           py::arg("job"), "GPUs for pending job j by the policy's placement, or None when it does not fit now")
      .def("try_start",
           [](C& c, JobIndex j) {
             SchedulingContext& s = c.get();
             if (!c.placement->place(s, j, c.scratch)) return false;
             s.start(j, c.scratch);
             return true;
           },
           py::arg("job"), "place(job) and start it there; False (nothing done) when it does not fit")
      // --- actions (validated; PolicyError when invalid) ---
      .def("start", [](C& c, JobIndex j, const py::handle& gpus) { c.get().start(j, to_gpus(gpus)); },
           py::arg("job"), py::arg("gpus"))
      .def("preempt", [](C& c, JobIndex j) { c.get().preempt(j); }, py::arg("job"))
      .def("migrate", [](C& c, JobIndex j, const py::handle& gpus) { c.get().migrate(j, to_gpus(gpus)); },
           py::arg("job"), py::arg("gpus"))
      .def("reject", [](C& c, JobIndex j, const std::string& reason) { c.get().reject(j, reason); }, py::arg("job"),
           py::arg("reason"))
      .def("set_timer", [](C& c, double at, std::uint64_t tag) { c.get().set_timer(at, tag); }, py::arg("at"),
           py::arg("tag") = 0)
      .def("reserve", [](C& c, GpuIndex g, bool reserved) { c.get().reserve(g, reserved); }, py::arg("gpu"),
           py::arg("reserved") = true)
      .def("count_reservation", [](C& c, bool hit) { c.get().count_reservation(hit); }, py::arg("hit"))
      .def("set_attribute", [](C& c, const std::string& k, const std::string& v) { c.get().set_attribute(k, v); },
           py::arg("key"), py::arg("value"));
}

}  // namespace fastgpu::python

// C++ errors reach Python as the exceptions of fastgpu.errors, so a script
// can catch them by kind and read where the bad input was:
//   InputError (file, line, field; exit status 2 in the CLI),
//   PolicyError (an invalid action or a failing Python policy), InternalError.
#include <pybind11/pybind11.h>

#include "python/bindings.h"
#include "sim/error.h"

namespace py = pybind11;

namespace fastgpu::python {

namespace {

void raise(const char* kind, const std::string& message, const SourceLocation* where) {
  py::module_ errors = py::module_::import("fastgpu.errors");
  py::object cls = errors.attr(kind);
  py::object error = where ? cls(message, where->file, where->line, where->field) : cls(message);
  PyErr_SetObject(cls.ptr(), error.ptr());
}

}  // namespace

void bind_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      raise("InputError", e.what(), &e.where());
    } catch (const PolicyError& e) {
      raise("PolicyError", e.what(), nullptr);
    } catch (const InternalError& e) {
      raise("InternalError", e.what(), nullptr);
    }
  });
}

}  // namespace fastgpu::python

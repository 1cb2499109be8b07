// The _fastgpu extension module: its parts are defined in one file each.
#include <pybind11/pybind11.h>

#include "python/bindings.h"

PYBIND11_MODULE(_fastgpu, m) {
  m.doc() = "fastgpu's engine and experiments; use the fastgpu package, not this module";
  fastgpu::python::bind_errors(m);
  fastgpu::python::bind_context(m);
  fastgpu::python::bind_policy(m);
  fastgpu::python::bind_experiments(m);
}

#pragma once
// Compares two fastgpu results files object by object with the HDF5 C API,
// for the "same file for any -j / any number of MPI ranks" tests: the same
// groups and datasets in the same order, every dataset's type, shape and raw
// bytes, every attribute's type and value. What legitimately differs between
// two executions is left out and nothing else:
//   - the root attribute created_utc (a timestamp);
//   - the wall-clock measurements scheduler_seconds, wall_seconds and
//     events_per_second (run-group attributes and /summary columns);
//   - the "# command line: ..." line that load_config appends to the stored
//     config text (it records -j and -o, which is what the tests vary).
// Returns the differences found, empty when the files are equal.
//
// Also, from scratch_dir.h: a temporary directory and a way to run a shell
// command in it, for the tests that drive the `fastgpu` executable (sweeps,
// statistics, MPI).
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "tests/scratch_dir.h"

namespace fastgpu::test {

// The scratch directory and shell helpers, under the names the sweep tests use.
using fastgpu::testing::read_text;
using fastgpu::testing::run_in;
using fastgpu::testing::ScratchDir;
using fastgpu::testing::Shell;

namespace files_detail {

inline const std::set<std::string>& timing_names() {
  static const std::set<std::string> names{"scheduler_seconds", "wall_seconds", "events_per_second"};
  return names;
}

struct Object {
  std::string path;
  H5O_type_t type;
};

#if H5_VERSION_GE(1, 12, 0)
using ObjectInfo = H5O_info2_t;
#define FASTGPU_TEST_H5OVISIT H5Ovisit3
#else
using ObjectInfo = H5O_info_t;
#define FASTGPU_TEST_H5OVISIT H5Ovisit2
#endif

inline herr_t visit(hid_t, const char* name, const ObjectInfo* info, void* data) {
  static_cast<std::vector<Object>*>(data)->push_back(Object{name, info->type});
  return 0;
}

// Every object in creation order (the writer tracks it); false when the walk fails.
inline bool objects(hid_t file, std::vector<Object>& out) {
  return FASTGPU_TEST_H5OVISIT(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, visit, &out, H5O_INFO_BASIC) >= 0;
}

inline std::vector<std::string> attribute_names(hid_t obj) {
  std::vector<std::string> out;
  H5Aiterate2(
      obj, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
      },
      &out);
  return out;
}

inline std::string drop_command_line(std::string text) {
  const auto at = text.find("# command line: ");
  if (at == std::string::npos) return text;
  const auto end = text.find('\n', at);
  return text.erase(at, end == std::string::npos ? std::string::npos : end + 1 - at);
}

// The attribute's value as bytes in a canonical memory form: strings as their
// characters, everything else as the raw bytes of its (native) type.
inline std::string attribute_value(hid_t obj, const std::string& name) {
  const hid_t attr = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  const hid_t type = H5Aget_type(attr);
  const hid_t space = H5Aget_space(attr);
  std::string out;
  if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
    const hid_t mem = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, H5Tget_cset(type));
    // A scalar or a 1-D array of strings (e.g. gpu_type_names): one pointer per element.
    std::vector<char*> values(static_cast<std::size_t>(std::max<hssize_t>(1, H5Sget_simple_extent_npoints(space))),
                              nullptr);
    H5Aread(attr, mem, values.data());
    for (char* value : values) {
      out += value ? value : "";
      out += '\0';
      H5free_memory(value);
    }
    H5Tclose(mem);
  } else {
    const hid_t mem = H5Tget_native_type(type, H5T_DIR_ASCEND);
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    out.assign(static_cast<std::size_t>(n) * H5Tget_size(mem), '\0');
    H5Aread(attr, mem, out.data());
    H5Tclose(mem);
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
  return out;
}

// The dataset's raw bytes in its file type, wall-clock columns zeroed.
inline std::string dataset_bytes(hid_t ds, std::string& problem) {
  const hid_t type = H5Dget_type(ds);
  const hid_t space = H5Dget_space(ds);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  const std::size_t row = H5Tget_size(type);
  std::string out(static_cast<std::size_t>(n) * row, '\0');
  if (H5Tdetect_class(type, H5T_VLEN) > 0 || (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0)) {
    problem = "variable-length dataset (not compared bytewise)";
  } else if (n > 0) {
    H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
    if (H5Tget_class(type) == H5T_COMPOUND) {
      for (int m = 0; m < H5Tget_nmembers(type); ++m) {
        char* name = H5Tget_member_name(type, static_cast<unsigned>(m));
        const bool timing = timing_names().count(name) > 0;
        H5free_memory(name);
        if (!timing) continue;
        const std::size_t at = H5Tget_member_offset(type, static_cast<unsigned>(m));
        const hid_t mt = H5Tget_member_type(type, static_cast<unsigned>(m));
        const std::size_t size = H5Tget_size(mt);
        H5Tclose(mt);
        for (hssize_t r = 0; r < n; ++r) std::memset(out.data() + static_cast<std::size_t>(r) * row + at, 0, size);
      }
    }
  }
  H5Sclose(space);
  H5Tclose(type);
  return out;
}

inline bool same_type(hid_t a, hid_t b) { return H5Tequal(a, b) > 0; }

}  // namespace files_detail

inline std::vector<std::string> results_file_differences(const std::string& path_a, const std::string& path_b) {
  using namespace files_detail;
  std::vector<std::string> diffs;
  const hid_t a = H5Fopen(path_a.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t b = H5Fopen(path_b.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (a < 0 || b < 0) {
    diffs.push_back("cannot open " + (a < 0 ? path_a : path_b));
    if (a >= 0) H5Fclose(a);
    if (b >= 0) H5Fclose(b);
    return diffs;
  }
  std::vector<Object> oa, ob;
  if (!objects(a, oa) || !objects(b, ob) || oa.empty()) diffs.push_back("cannot list the objects");
  // The root itself (".") is visited first; compare objects pairwise in order.
  if (oa.size() != ob.size()) diffs.push_back("different numbers of objects");
  for (std::size_t i = 0; i < std::min(oa.size(), ob.size()) && diffs.size() < 20; ++i) {
    const std::string& path = oa[i].path;
    if (path != ob[i].path || oa[i].type != ob[i].type) {
      diffs.push_back("object " + std::to_string(i) + ": " + path + " vs " + ob[i].path);
      continue;
    }
    const hid_t xa = H5Oopen(a, path.c_str(), H5P_DEFAULT), xb = H5Oopen(b, path.c_str(), H5P_DEFAULT);
    const std::vector<std::string> na = attribute_names(xa), nb = attribute_names(xb);
    if (na != nb) diffs.push_back(path + ": different attributes");
    for (const std::string& name : na) {
      if (na != nb) break;
      if (timing_names().count(name) || (path == "." && name == "created_utc")) continue;
      const hid_t aa = H5Aopen(xa, name.c_str(), H5P_DEFAULT), ab = H5Aopen(xb, name.c_str(), H5P_DEFAULT);
      const hid_t ta = H5Aget_type(aa), tb = H5Aget_type(ab);
      const bool types_equal = same_type(ta, tb);
      H5Tclose(ta), H5Tclose(tb), H5Aclose(aa), H5Aclose(ab);
      if (!types_equal) {
        diffs.push_back(path + " attribute " + name + ": different types");
        continue;
      }
      std::string va = attribute_value(xa, name), vb = attribute_value(xb, name);
      if (path == "." && name == "config_text") va = drop_command_line(va), vb = drop_command_line(vb);
      if (va != vb) diffs.push_back(path + " attribute " + name + ": different values");
    }
    if (oa[i].type == H5O_TYPE_DATASET) {
      const hid_t ta = H5Dget_type(xa), tb = H5Dget_type(xb);
      const bool types_equal = same_type(ta, tb);
      H5Tclose(ta), H5Tclose(tb);
      if (!types_equal) {
        diffs.push_back(path + ": different dataset types");
      } else {
        std::string problem;
        const std::string ba = dataset_bytes(xa, problem), bb = dataset_bytes(xb, problem);
        if (!problem.empty()) diffs.push_back(path + ": " + problem);
        if (ba != bb) diffs.push_back(path + ": different contents");
      }
    }
    H5Oclose(xa), H5Oclose(xb);
  }
  H5Fclose(a);
  H5Fclose(b);
  return diffs;
}

}  // namespace fastgpu::test

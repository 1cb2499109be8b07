#include "results_io/hdf5_file.h"

#include <fmt/format.h>

#include "sim/error.h"

namespace fastgpu::h5 {

AtomicFile::AtomicFile(const std::string& path, hid_t create_plist, hid_t access_plist) : out_(path) {
  // H5F_ACC_TRUNC: the unique temporary file exists (empty) already.
  const hid_t id = H5Fcreate(out_.temp_path().c_str(), H5F_ACC_TRUNC, create_plist, access_plist);
  if (id < 0) throw InputError(SourceLocation{path, 0, ""}, "cannot create file: " + error_stack());
  file_ = Handle{id, H5Fclose};
}

AtomicFile::~AtomicFile() {
  if (open_) abandon();
}

void AtomicFile::abandon() {
  const QuietErrors quiet;
  open_ = false;
  file_ = Handle{};  // closes; its errors do not matter now
  out_.abandon();
}

void AtomicFile::commit() {
  try {
    file_.close("closing (flushing) the file");
  } catch (...) {
    abandon();
    throw;
  }
  open_ = false;
  out_.commit();  // InputError (temporary file removed) when the rename fails
}

template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<std::uint32_t>() { return H5T_NATIVE_UINT32; }
template <> hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }

void write_attribute(hid_t loc, const std::string& name, hid_t type, const void* value) {
  Handle space = make_space(H5Screate(H5S_SCALAR), "creating a scalar dataspace");
  Handle attr{check(H5Acreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                    "creating attribute " + name),
              H5Aclose};
  check_status(H5Awrite(attr, type, value), "writing attribute " + name);
}

void write_attribute(hid_t loc, const std::string& name, const std::string& value) {
  Handle type = vl_string_type();
  const char* p = value.c_str();
  write_attribute(loc, name, type, &p);
}

void write_attribute(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  Handle type = vl_string_type();
  std::vector<const char*> ptrs;
  for (const std::string& v : values) ptrs.push_back(v.c_str());
  const hsize_t dims[1] = {values.size()};
  Handle space = make_space(H5Screate_simple(1, dims, nullptr), "creating dataspace of attribute " + name);
  Handle attr{check(H5Acreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), "creating attribute " + name),
              H5Aclose};
  check_status(H5Awrite(attr, type, ptrs.data()), "writing attribute " + name);
}

void write_dataset(hid_t loc, const std::string& name, hid_t type, const void* data, std::size_t rows) {
  const hsize_t dims[1] = {rows};
  Handle space = make_space(H5Screate_simple(1, dims, nullptr), "creating dataspace of " + name);
  Handle ds{check(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "creating dataset " + name),
            H5Dclose};
  if (rows > 0) check_status(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "writing dataset " + name);
}

Handle compound_type(std::size_t row_bytes, std::initializer_list<Column> columns) {
  Handle t = make_type(H5Tcreate(H5T_COMPOUND, row_bytes), "creating a row type");
  for (const Column& c : columns)
    check_status(H5Tinsert(t, c.name, c.offset, c.type), std::string("adding column ") + c.name);
  return t;
}

}  // namespace fastgpu::h5

#pragma once
// Writing small HDF5 files: a file created as a unique temporary file next to
// PATH and renamed to PATH only when complete (sim/output_file.h: PATH is the
// previous file or a complete new one, never a half-written one), scalar attributes, contiguous 1-D datasets and compound
// row types. Used by the results writer and by `fastgpu solve`; callers keep
// HDF5's error printing off (h5::QuietErrors) and catch h5::Error.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "results_io/hdf5_common.h"
#include "sim/output_file.h"

namespace fastgpu::h5 {

class AtomicFile {
 public:
  // Creates PATH's parent directory when missing and the temporary file, with
  // the given creation and access properties. Throws InputError when either
  // cannot be created or PATH exists and is not a regular file.
  explicit AtomicFile(const std::string& path, hid_t create_plist = H5P_DEFAULT, hid_t access_plist = H5P_DEFAULT);
  // Without commit(): closes the file and removes the temporary file.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  hid_t id() const { return file_.get(); }
  operator hid_t() const { return file_.get(); }  // NOLINT: passed straight to the helpers below

  // Closes (flushes; h5::Error on failure) and renames the temporary file to
  // PATH (InputError on failure). It is removed on either failure.
  void commit();

 private:
  void abandon();

  OutputFile out_;
  Handle file_;
  bool open_ = true;
};

// The native HDF5 type of a C++ arithmetic type.
template <class T>
hid_t native_type();
template <> hid_t native_type<double>();
template <> hid_t native_type<float>();
template <> hid_t native_type<std::int32_t>();
template <> hid_t native_type<std::int64_t>();
template <> hid_t native_type<std::uint32_t>();
template <> hid_t native_type<std::uint64_t>();

// A scalar attribute of `loc` (file, group or dataset) of the given type.
void write_attribute(hid_t loc, const std::string& name, hid_t type, const void* value);
// A variable-length UTF-8 string attribute.
void write_attribute(hid_t loc, const std::string& name, const std::string& value);
// A 1-D attribute of variable-length UTF-8 strings.
void write_attribute(hid_t loc, const std::string& name, const std::vector<std::string>& values);
inline void write_attribute(hid_t loc, const std::string& name, const char* value) {
  write_attribute(loc, name, std::string(value));
}
template <class T>
void write_attribute(hid_t loc, const std::string& name, T value) {
  write_attribute(loc, name, native_type<T>(), &value);
}

// A contiguous 1-D dataset of `rows` values of `type` (same layout in memory
// and in the file).
void write_dataset(hid_t loc, const std::string& name, hid_t type, const void* data, std::size_t rows);
template <class T>
void write_dataset(hid_t loc, const std::string& name, std::span<const T> values) {
  write_dataset(loc, name, native_type<T>(), values.data(), values.size());
}

// One member of a compound row type: its name, byte offset in the row and type.
struct Column {
  const char* name;
  std::size_t offset;
  hid_t type;
};
// A compound type of `row_bytes` bytes with the given columns.
Handle compound_type(std::size_t row_bytes, std::initializer_list<Column> columns);

}  // namespace fastgpu::h5

#pragma once
// Building blocks of the HDF5 code in results_io/: RAII handles, HDF5 errors
// turned into exceptions, the compound types of the `jobs` and `timeseries`
// tables and the names inside a results file (docs/hdf5-schema.md). Writing a
// file of one's own (attributes, datasets, atomic creation) goes through
// results_io/hdf5_file.h.
#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fastgpu::h5 {

// A failed HDF5 call; the public functions rethrow it with the file's path.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Owns one HDF5 identifier and closes it with the matching H5xclose.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_, close_ = o.close_;
      o.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }  // NOLINT: handles are passed straight to the C API
  // Closes now and reports failure (a file's final flush happens here).
  void close(const std::string& what);

 private:
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

// The outermost and innermost messages of the current thread's HDF5 error stack.
std::string error_stack();
// Throws h5::Error("<what>: <error stack>") when id/status is negative.
hid_t check(hid_t id, const std::string& what);
herr_t check_status(herr_t status, const std::string& what);
// The name of member k of a compound type; throws h5::Error when HDF5 cannot give it.
std::string member_name(hid_t compound, unsigned k);

// Switches off HDF5's automatic printing of error stacks for this scope (we
// throw instead) and restores the previous handler afterwards.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t old_func_ = nullptr;
  void* old_data_ = nullptr;
};

// Handles of new objects, checked.
Handle make_type(hid_t id, const std::string& what);   // a type, closed with H5Tclose
Handle make_plist(hid_t id, const std::string& what);  // a property list
Handle make_space(hid_t id, const std::string& what);  // a dataspace

// Transfer properties for reading or writing `rows` rows converted between
// `a` and `b`: HDF5 zero-fills a 1 MiB conversion buffer (and a background
// buffer) on every H5Dread/H5Dwrite, so small tables get a buffer their size.
Handle transfer_plist(std::size_t rows, hid_t a, hid_t b);

// Fixed-length, null-padded UTF-8 string type of `size` bytes (at least 1).
Handle fixed_string_type(std::size_t size);
// Variable-length UTF-8 string type.
Handle vl_string_type();

// Native compound type laid out like JobRecord, of total size `row_size`
// (>= sizeof(JobRecord)): every JobRecord field at its offsetof. The writer
// appends its extra columns; the reader uses it as is.
Handle job_record_type(std::size_t row_size);
// Native compound types of the JobRecord columns a job's inputs (Job) and the
// engine's outputs (JobOutputs) hold as they are, under the same names: the
// writer shuffles the jobs table from those tables without assembling records.
Handle job_inputs_type();
Handle job_outputs_type();
// The same for the five failure fields (FailureOutputs), at the start of a row
// of `row_size` (>= sizeof(FailureOutputs)) bytes, for the writer to append to.
Handle job_failure_outputs_type(std::size_t row_size);
// Native compound type laid out like TimeSample.
Handle time_sample_type();

// Names inside the file.
inline constexpr const char* kJobsDataset = "jobs";
inline constexpr const char* kJobGpusDataset = "job_gpus";
inline constexpr const char* kJobGpusOffsetDataset = "job_gpus_offset";
inline constexpr const char* kTimeseriesDataset = "timeseries";
inline constexpr const char* kGpuBusyDataset = "gpu_busy_seconds";
inline constexpr const char* kGpuTypesDataset = "gpu_types";
inline constexpr const char* kSummaryDataset = "/summary";
inline constexpr const char* kRunsGroup = "/runs";
inline constexpr const char* kRejectReasonTextColumn = "reject_reason_text";
inline constexpr const char* kFirstGpuColumn = "first_gpu";
// Derived per-job columns: first_start - submit and final_start - submit.
inline constexpr const char* kWaitColumn = "wait";
inline constexpr const char* kFinalWaitColumn = "final_wait";

}  // namespace fastgpu::h5

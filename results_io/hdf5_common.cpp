#include "results_io/hdf5_common.h"

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/error.h"
#include "sim/run_result.h"

namespace fastgpu::h5 {

// The tables are read and written straight from/to these structs.
static_assert(std::is_standard_layout_v<JobRecord> && std::is_trivially_copyable_v<JobRecord>);
static_assert(std::is_standard_layout_v<TimeSample> && std::is_trivially_copyable_v<TimeSample>);
static_assert(std::is_standard_layout_v<Job> && std::is_standard_layout_v<JobOutputs> &&
              std::is_standard_layout_v<FailureOutputs> && std::is_trivially_copyable_v<FailureOutputs>);
static_assert(sizeof(bool) == 1 && sizeof(JobOutcome) == 1);
// A field added to these structs must be added to the column lists below.
static_assert(sizeof(JobRecord) == 136, "JobRecord changed: update job_record_type() and the schema doc");
static_assert(sizeof(TimeSample) == 56, "TimeSample changed: update time_sample_type() and the schema doc");
static_assert(sizeof(JobOutputs) == 56, "JobOutputs changed: update job_outputs_type()");
static_assert(sizeof(FailureOutputs) == 32, "FailureOutputs changed: update job_failure_outputs_type()");

namespace {
// HDF5 closes every id still open from an atexit handler. An id whose close
// failed (a flush on a full disk) stays open, and that exit-time close then
// crashed the process (SIGSEGV) after the error had been reported. Our files
// are closed explicitly (RAII) or abandoned and removed, so nothing is lost
// by not registering the handler; it must be switched off before the first
// HDF5 call, hence a static initializer in the library's one always-linked file.
const bool kNoAtexitClose = (H5dont_atexit(), true);
}  // namespace

void Handle::close(const std::string& what) {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = H5I_INVALID_HID;
  check_status(close_(id), what);
}

namespace {

herr_t collect(unsigned, const H5E_error2_t* e, void* data) {
  std::string msg = e->desc ? e->desc : "?";
  if (e->func_name) (msg += " (in ") += e->func_name, msg += ")";
  std::replace(msg.begin(), msg.end(), '\n', ' ');
  static_cast<std::vector<std::string>*>(data)->push_back(std::move(msg));
  return 0;
}

}  // namespace

// The outermost message says what failed, the innermost why (errno, ...);
// the ones between are HDF5's internal call chain.
std::string error_stack() {
  std::vector<std::string> stack;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &stack);
  if (stack.empty()) return "unknown HDF5 error";
  return stack.size() == 1 ? stack.front() : stack.front() + "; " + stack.back();
}

std::string member_name(hid_t compound, unsigned k) {
  char* raw = H5Tget_member_name(compound, k);
  if (!raw) throw Error("reading the name of a compound member: " + error_stack());
  std::string name(raw);
  H5free_memory(raw);
  return name;
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw Error(what + ": " + error_stack());
  return id;
}

herr_t check_status(herr_t status, const std::string& what) {
  if (status < 0) throw Error(what + ": " + error_stack());
  return status;
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_); }

Handle make_type(hid_t id, const std::string& what) { return {check(id, what), H5Tclose}; }
Handle make_plist(hid_t id, const std::string& what) { return {check(id, what), H5Pclose}; }
Handle make_space(hid_t id, const std::string& what) { return {check(id, what), H5Sclose}; }

Handle transfer_plist(std::size_t rows, hid_t a, hid_t b) {
  constexpr std::size_t kMin = 4096, kMax = std::size_t{1} << 20;  // HDF5's default is kMax
  const std::size_t widest = std::max(H5Tget_size(a), H5Tget_size(b));
  const std::size_t bytes = std::clamp(rows * widest, std::max(kMin, widest), std::max(kMax, widest));
  Handle dxpl = make_plist(H5Pcreate(H5P_DATASET_XFER), "creating transfer properties");
  check_status(H5Pset_buffer(dxpl, bytes, nullptr, nullptr), "sizing the conversion buffer");
  return dxpl;
}

Handle fixed_string_type(std::size_t size) {
  Handle t = make_type(H5Tcopy(H5T_C_S1), "copying the string type");
  check_status(H5Tset_size(t, size > 0 ? size : 1), "sizing a string type");
  check_status(H5Tset_strpad(t, H5T_STR_NULLPAD), "setting string padding");
  check_status(H5Tset_cset(t, H5T_CSET_UTF8), "setting string encoding");
  return t;
}

Handle vl_string_type() {
  Handle t = make_type(H5Tcopy(H5T_C_S1), "copying the string type");
  check_status(H5Tset_size(t, H5T_VARIABLE), "making a variable-length string type");
  check_status(H5Tset_cset(t, H5T_CSET_UTF8), "setting string encoding");
  return t;
}

namespace {

void insert(hid_t compound, const char* name, std::size_t offset, hid_t type) {
  check_status(H5Tinsert(compound, name, offset, type), std::string("adding column ") + name);
}

// A JobRecord column's name and its offset in another row type.
struct PlacedColumn {
  const char* name;
  std::size_t offset;
};

// A compound type of `row_size` bytes with the named JobRecord columns at
// the given offsets, each of its type in job_record_type, where the column
// types are stated once.
Handle record_columns(std::size_t row_size, std::initializer_list<PlacedColumn> columns, const char* what) {
  const Handle record = job_record_type(sizeof(JobRecord));
  Handle t = make_type(H5Tcreate(H5T_COMPOUND, row_size), what);
  for (const PlacedColumn& c : columns) {
    const int k = H5Tget_member_index(record, c.name);
    if (k < 0) throw InternalError(std::string("record_columns: no JobRecord column ") + c.name);
    const Handle type = make_type(H5Tget_member_type(record, static_cast<unsigned>(k)), "reading a column type");
    insert(t, c.name, c.offset, type);
  }
  return t;
}

}  // namespace

// Column names are the JobRecord field names (docs/hdf5-schema.md).
Handle job_record_type(std::size_t row_size) {
  Handle t = make_type(H5Tcreate(H5T_COMPOUND, row_size), "creating the jobs row type");
  Handle outcome = make_type(H5Tenum_create(H5T_NATIVE_UINT8), "creating the outcome enum");
  const auto add_value = [&](const char* name, JobOutcome v) {
    const auto raw = static_cast<std::uint8_t>(v);
    check_status(H5Tenum_insert(outcome, name, &raw), "adding an outcome value");
  };
  add_value("finished", JobOutcome::finished);
  add_value("rejected", JobOutcome::rejected);
#define FASTGPU_COLUMN(field, type) insert(t, #field, offsetof(JobRecord, field), type)
  FASTGPU_COLUMN(id, H5T_NATIVE_INT64);
  FASTGPU_COLUMN(user, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(priority, H5T_NATIVE_INT32);
  FASTGPU_COLUMN(num_gpus, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(gpu_share, H5T_NATIVE_FLOAT);
  FASTGPU_COLUMN(submit, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(first_start, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(final_start, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(end, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(deadline, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(work, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(runtime_alone, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(gpu_seconds, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(failed_gpu_seconds, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(useful_gpu_seconds, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(lost_gpu_seconds, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(preemptions, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(migrations, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(attempts, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(failure_stops, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(deadline_met, H5T_NATIVE_INT8);
  FASTGPU_COLUMN(on_reserved, H5T_NATIVE_UINT8);  // bool: 0 or 1
  FASTGPU_COLUMN(gpu_type, H5T_NATIVE_UINT16);
  FASTGPU_COLUMN(outcome, outcome.get());
  FASTGPU_COLUMN(reject_reason, H5T_NATIVE_UINT16);
#undef FASTGPU_COLUMN
  return t;
}

#define FASTGPU_AT(row, field) PlacedColumn{#field, offsetof(row, field)}

Handle job_inputs_type() {
  return record_columns(sizeof(Job),
                        {FASTGPU_AT(Job, id), FASTGPU_AT(Job, user), FASTGPU_AT(Job, priority),
                         FASTGPU_AT(Job, num_gpus), FASTGPU_AT(Job, gpu_share), FASTGPU_AT(Job, submit),
                         FASTGPU_AT(Job, deadline), FASTGPU_AT(Job, work)},
                        "creating the job inputs row type");
}

Handle job_outputs_type() {
  return record_columns(sizeof(JobOutputs),
                        {FASTGPU_AT(JobOutputs, first_start), FASTGPU_AT(JobOutputs, end),
                         FASTGPU_AT(JobOutputs, runtime_alone), FASTGPU_AT(JobOutputs, gpu_seconds),
                         FASTGPU_AT(JobOutputs, useful_gpu_seconds), FASTGPU_AT(JobOutputs, preemptions),
                         FASTGPU_AT(JobOutputs, migrations), FASTGPU_AT(JobOutputs, gpu_type),
                         FASTGPU_AT(JobOutputs, reject_reason), FASTGPU_AT(JobOutputs, deadline_met),
                         FASTGPU_AT(JobOutputs, on_reserved), FASTGPU_AT(JobOutputs, outcome)},
                        "creating the job outputs row type");
}

Handle job_failure_outputs_type(std::size_t row_size) {
  return record_columns(row_size,
                        {FASTGPU_AT(FailureOutputs, final_start), FASTGPU_AT(FailureOutputs, failed_gpu_seconds),
                         FASTGPU_AT(FailureOutputs, lost_gpu_seconds), FASTGPU_AT(FailureOutputs, failure_stops),
                         FASTGPU_AT(FailureOutputs, attempts)},
                        "creating the job failure fields row type");
}

#undef FASTGPU_AT

Handle time_sample_type() {
  Handle t = make_type(H5Tcreate(H5T_COMPOUND, sizeof(TimeSample)), "creating the timeseries row type");
#define FASTGPU_COLUMN(field, type) insert(t, #field, offsetof(TimeSample, field), type)
  FASTGPU_COLUMN(time, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(busy_gpus, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(utilisation, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(load_variance, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(queue_length, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(running, H5T_NATIVE_UINT32);
  FASTGPU_COLUMN(reserved_idle, H5T_NATIVE_DOUBLE);
  FASTGPU_COLUMN(memory_used_gb, H5T_NATIVE_DOUBLE);
#undef FASTGPU_COLUMN
  return t;
}

}  // namespace fastgpu::h5

#include "results_io/run_result_codec.h"
#include "results_io/vc_table.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "sim/error.h"

namespace fastgpu {

namespace {

constexpr std::uint32_t kMagic = 0x52524746;  // "FGRR"
constexpr std::uint32_t kVersion = 2;         // bump when a RunResult field is added

static_assert(std::is_trivially_copyable_v<JobRecord>);
static_assert(std::is_trivially_copyable_v<TimeSample>);
static_assert(std::is_trivially_copyable_v<Summary>);

class Writer {
 public:
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    out_.append(s);
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    pod<std::uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void strings(const std::vector<std::string>& v) {
    pod<std::uint64_t>(v.size());
    for (const std::string& s : v) str(s);
  }
  void map(const std::map<std::string, std::string>& m) {
    pod<std::uint64_t>(m.size());
    for (const auto& [k, v] : m) {
      str(k);
      str(v);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <class T>
  T pod() {
    T v;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  std::string str() {
    const std::uint64_t n = count(1);
    return std::string(take(n), n);
  }
  template <class T>
  std::vector<T> vec() {
    const std::uint64_t n = count(sizeof(T));
    std::vector<T> v(n);
    if (n > 0) std::memcpy(v.data(), take(n * sizeof(T)), n * sizeof(T));
    return v;
  }
  std::vector<std::string> strings() {
    const std::uint64_t n = count(sizeof(std::uint64_t));
    std::vector<std::string> v;
    v.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) v.push_back(str());
    return v;
  }
  std::map<std::string, std::string> map() {
    const std::uint64_t n = count(2 * sizeof(std::uint64_t));
    std::map<std::string, std::string> m;
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string k = str();
      m[std::move(k)] = str();
    }
    return m;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  // A length prefix, checked against what is left (each item >= `item_bytes`).
  std::uint64_t count(std::size_t item_bytes) {
    const auto n = pod<std::uint64_t>();
    if (item_bytes > 0 && n > (in_.size() - pos_) / item_bytes) fail();
    return n;
  }
  const char* take(std::size_t n) {
    if (n > in_.size() - pos_) fail();
    const char* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  [[noreturn]] static void fail() { throw InternalError("decode_run_result: truncated or malformed run result"); }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_run_result(const RunResult& r) {
  Writer w;
  w.pod(kMagic);
  w.pod(kVersion);
  w.str(r.policy);
  w.str(r.workload);
  w.pod(r.seed);
  w.pod(r.num_gpus);
  w.vec(std::vector<JobRecord>(r.jobs.begin(), r.jobs.end()));  // assembled: the decoded result owns its job table
  w.vec(r.timeseries);
  w.pod(r.summary);
  w.strings(r.reject_reasons);
  w.map(r.policy_params);
  w.map(r.attributes);
  w.map(r.sweep);
  w.vec(r.gpu_arena);
  w.vec(r.gpu_offset);
  w.vec(r.gpu_busy_seconds);
  w.vec(r.type_busy_gpu_seconds);
  w.vec(r.type_gpu_count);
  w.vec(r.type_idle_watts);
  w.vec(r.type_busy_watts);
  w.vec(r.type_price_per_hour);
  w.vec(h5::to_vc_rows(r.vcs));  // the VC names travel inside the fixed-size rows
  return w.take();
}

RunResult decode_run_result(std::string_view bytes) {
  Reader in(bytes);
  if (in.pod<std::uint32_t>() != kMagic) throw InternalError("decode_run_result: not an encoded run result");
  if (in.pod<std::uint32_t>() != kVersion) throw InternalError("decode_run_result: encoded by another version");
  RunResult r;
  r.policy = in.str();
  r.workload = in.str();
  r.seed = in.pod<std::uint64_t>();
  r.num_gpus = in.pod<std::uint32_t>();
  r.jobs = JobRecords(in.vec<JobRecord>());
  r.timeseries = in.vec<TimeSample>();
  r.summary = in.pod<Summary>();
  r.reject_reasons = in.strings();
  r.policy_params = in.map();
  r.attributes = in.map();
  r.sweep = in.map();
  r.gpu_arena = in.vec<GpuIndex>();
  r.gpu_offset = in.vec<std::uint64_t>();
  r.gpu_busy_seconds = in.vec<double>();
  r.type_busy_gpu_seconds = in.vec<double>();
  r.type_gpu_count = in.vec<std::uint32_t>();
  r.type_idle_watts = in.vec<double>();
  r.type_busy_watts = in.vec<double>();
  r.type_price_per_hour = in.vec<double>();
  r.vcs = h5::from_vc_rows(in.vec<h5::VcRow>());
  if (!in.done()) throw InternalError("decode_run_result: trailing bytes after the run result");
  return r;
}

}  // namespace fastgpu

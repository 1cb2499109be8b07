#pragma once
// A CUDA warp emulated with 32 host threads, to run the GA's warp code
// (policies/ga/ga_warp.h) without a GPU. Every collective (shuffle, ballot,
// match_any, syncwarp) is a rendezvous of the 32 threads through a barrier, so
// code that is correct for a converged CUDA warp behaves the same here.
// Slow (microseconds per collective): for small instances in tests only.
#include <barrier>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fastgpu::test {

class EmulatedWarp {
 public:
  struct Shared {
    std::barrier<> bar{32};
    std::uint64_t slot[32] = {};
  };
  EmulatedWarp(Shared& s, unsigned lane) : s_(s), lane_(lane) {}

  unsigned lane() const { return lane_; }
  void sync() { s_.bar.arrive_and_wait(); }

  template <class T>
  T shfl(T v, int src) {
    return exchange(v, static_cast<unsigned>(src) & 31u);
  }
  template <class T>
  T shfl_down(T v, unsigned d) {
    const unsigned src = lane_ + d;
    T r = exchange(v, src < 32 ? src : lane_);
    return r;
  }
  template <class T>
  T shfl_xor(T v, unsigned m) {
    return exchange(v, (lane_ ^ m) & 31u);
  }
  std::uint32_t ballot(bool p) {
    publish(p ? 1 : 0);
    std::uint32_t mask = 0;
    for (unsigned i = 0; i < 32; ++i) mask |= static_cast<std::uint32_t>(s_.slot[i] & 1u) << i;
    sync();
    return mask;
  }
  std::uint32_t match_any(std::uint32_t v) {
    publish(v);
    std::uint32_t mask = 0;
    for (unsigned i = 0; i < 32; ++i) mask |= (s_.slot[i] == v ? 1u : 0u) << i;
    sync();
    return mask;
  }
  bool any(bool p) { return ballot(p) != 0; }

 private:
  void publish(std::uint64_t bits) {
    s_.slot[lane_] = bits;
    sync();
  }
  template <class T>
  T exchange(T v, unsigned src) {
    static_assert(sizeof(T) <= 8);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    publish(bits);
    const std::uint64_t got = s_.slot[src];
    sync();
    T out;
    std::memcpy(&out, &got, sizeof(T));
    return out;
  }
  Shared& s_;
  unsigned lane_;
};

// Runs body(warp) on 32 emulated lanes; rethrows the first exception.
inline void run_warp(const std::function<void(EmulatedWarp&)>& body) {
  EmulatedWarp::Shared shared;
  std::exception_ptr error;
  std::mutex mu;
  std::vector<std::thread> lanes;
  for (unsigned l = 0; l < 32; ++l) {
    lanes.emplace_back([&, l] {
      EmulatedWarp w(shared, l);
      try {
        body(w);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
      }
    });
  }
  for (auto& t : lanes) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace fastgpu::test

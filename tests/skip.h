#pragma once
// A test that cannot run on this machine says so instead of passing: the line
// below makes ctest report it as "Skipped" (SKIP_REGULAR_EXPRESSION in
// tests/CMakeLists.txt), and `ctest -V` or the test log shows the reason.
#include <iostream>
#include <sstream>

namespace fastgpu::testing {

template <class... Parts>
void announce_skip(const Parts&... reason) {
  std::ostringstream s;
  (s << ... << reason);
  std::cout << "SKIPPED: " << s.str() << std::endl;
}

}  // namespace fastgpu::testing

// Ends the current test case as skipped; the arguments are streamed into the reason.
#define FASTGPU_SKIP(...)                                  \
  do {                                                     \
    ::fastgpu::testing::announce_skip(__VA_ARGS__);        \
    return;                                                \
  } while (false)

// free_memory gives a vector's memory back, where `v = {}` would keep it.
#include <doctest/doctest.h>

#include <vector>

#include "sim/free_memory.h"

TEST_CASE("free_memory: the container is empty and holds no memory") {
  std::vector<double> kept(1000, 1.0);
  kept = {};  // the initializer-list assignment: empty, capacity kept
  CHECK(kept.empty());
  CHECK(kept.capacity() >= 1000);

  std::vector<double> v(1000, 1.0);
  fastgpu::free_memory(v);
  CHECK(v.empty());
  CHECK(v.capacity() == 0);
}

#pragma once
// Empties a container and gives its memory back. `v = {}` and `v.clear()`
// keep a std::vector's capacity (the braces pick the initializer-list
// assignment); moving an empty container in does not.
namespace fastgpu {

template <class Container>
void free_memory(Container& c) {
  c = Container();
}

}  // namespace fastgpu

#pragma once
// Copies rows from a native compound layout (members at their C++ offsets,
// with padding) to the packed layout of the file (the same members, no
// padding), as runs of adjacent members: the conversion HDF5 would do, at the
// cost of a few memcpy per row. Only for two compound types with the same
// members of equal types; anything else is left to H5Tconvert.
#include <cstddef>
#include <optional>
#include <vector>

#include <hdf5.h>

namespace fastgpu::h5 {

class PackedRows {
 public:
  // A plan from `mem_type` to `file_type`, or nothing when the two are not
  // compounds of the same members with equal types.
  static std::optional<PackedRows> plan(hid_t mem_type, hid_t file_type);

  // Packs `rows` rows of `from` (mem layout) into `to` (file layout).
  void pack(const std::byte* from, std::size_t rows, std::byte* to) const;

 private:
  struct Run {
    std::size_t from, to, bytes;
  };
  std::vector<Run> runs_;
  std::size_t mem_bytes_ = 0, file_bytes_ = 0;
};

}  // namespace fastgpu::h5

#pragma once
// Builds a chunk of a table directly in the layout HDF5's shuffle filter
// stores: byte 0 of every row, then byte 1 of every row, ... of the packed
// file row. The rows are read column by column from where they lie in memory
// (one or more arrays of structs, each described by a compound type), so no
// row is assembled, packed or copied on the way: each run of adjacent
// members is read once per row and its bytes scattered to their planes.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include <hdf5.h>

namespace fastgpu::h5 {

class ShuffledColumns {
 public:
  // A plan from `sources` (the memory types of the arrays the rows come from;
  // each file member is found by name in one of them with an equal type) to
  // `file_type`, or nothing when a member is missing or differs. A file type
  // that is not a compound takes one source of an equal type.
  static std::optional<ShuffledColumns> plan(hid_t file_type, std::span<const hid_t> sources);

  std::size_t row_bytes() const { return file_bytes_; }

  // Writes rows [0, count) into `out`, a chunk of `chunk_rows` rows in the
  // shuffled layout; rows[s] is row 0 of source s (rows of the source type's
  // size). Rows from count to chunk_rows are zero (HDF5's edge chunk).
  void shuffle(std::span<const void* const> rows, std::size_t count, std::size_t chunk_rows, std::byte* out) const;

 private:
  struct Run {  // bytes adjacent in a source row and in the file row
    std::size_t source, from, to, bytes;
  };
  std::vector<Run> runs_;
  std::vector<std::size_t> strides_;  // bytes per row of each source
  std::size_t file_bytes_ = 0;
};

}  // namespace fastgpu::h5

#include "source_paths.h"

namespace fastgpu::test {

const std::string& source_dir() {
  static const std::string dir = FASTGPU_SOURCE_DIR;
  return dir;
}

const std::string& shared_data_dir() {
  static const std::string dir = FASTGPU_SHARED_DATA_DIR;
  return dir;
}

const std::string& cli_path() {
  static const std::string path = FASTGPU_CLI;
  return path;
}

}  // namespace fastgpu::test

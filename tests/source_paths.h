// Where the tests find the sources, the shared samples and the `fastgpu`
// executable. Only tests/source_paths.cpp sees the build's absolute paths, so
// every other test object is the same in any checkout (and ccache shares it).
#pragma once

#include <string>

namespace fastgpu::test {

const std::string& source_dir();       // the repository root
const std::string& shared_data_dir();  // ../shared/data next to the repository
const std::string& cli_path();         // the fastgpu executable

}  // namespace fastgpu::test

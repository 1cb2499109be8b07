# An out-of-tree C++ policy, as a user builds one: install fastgpu into a
# temporary prefix, configure and build examples/cpp_policy against it with
# find_package(fastgpu), and run the installed `fastgpu compare` with
# --plugin next to the built-in fifo on tests/python/data/three_jobs.toml,
# whose comment derives the expected mean JCTs (fifo 169, the plugin 139).
#   cmake -DBUILD_DIR=build -DSOURCE_DIR=. -DWORK_DIR=build/plugin-test -P tests/plugin_out_of_tree.cmake
foreach(v BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "${v} is not set")
  endif()
endforeach()

function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp_policy -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix}
     -DCMAKE_BUILD_TYPE=Release)
step(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
set(plugin ${WORK_DIR}/build/libfewest_gpus_first.so)
step(${prefix}/bin/fastgpu compare ${SOURCE_DIR}/tests/python/data/three_jobs.toml --plugin ${plugin}
     --policies fifo,fewest-gpus-first -o ${WORK_DIR}/three_jobs.h5 --quiet)
message("${step_output}")
foreach(expected "fewest-gpus-first +1 +210.0 +139.0" "fifo +1 +210.0 +169.0")
  if(NOT step_output MATCHES "${expected}")
    message(FATAL_ERROR "the comparison table has no row matching '${expected}'")
  endif()
endforeach()
message("plugin built out of tree and compared next to fifo: ${plugin}")

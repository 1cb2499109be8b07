# Installs what an out-of-tree policy needs: the engine and policy headers
# (include/fastgpu/sim, include/fastgpu/policies), the engine library, and the
# CMake package config, so that
#   find_package(fastgpu REQUIRED)
#   add_library(my_policy MODULE my_policy.cpp)
#   target_link_libraries(my_policy PRIVATE fastgpu::plugin)
# builds a plugin for `fastgpu compare CONFIG --plugin libmy_policy.so`.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(FASTGPU_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/fastgpu)
set(FASTGPU_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/fastgpu)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim DESTINATION ${FASTGPU_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/policies DESTINATION ${FASTGPU_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "ga" EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/generated/sim/version.h DESTINATION ${FASTGPU_INSTALL_INCLUDEDIR}/sim)

# Headers only: a plugin's engine symbols resolve in the process that loads
# it (the fastgpu executable exports them; the Python module makes its own
# global before loading a plugin).
add_library(fastgpu_plugin INTERFACE)
target_compile_features(fastgpu_plugin INTERFACE cxx_std_20)
target_include_directories(fastgpu_plugin INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                           $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/generated>
                           $<INSTALL_INTERFACE:${FASTGPU_INSTALL_INCLUDEDIR}>)
target_include_directories(fastgpu_plugin SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})
target_link_libraries(fastgpu_plugin INTERFACE Boost::headers fmt::fmt)
set_target_properties(fastgpu_plugin PROPERTIES EXPORT_NAME plugin)

install(TARGETS fastgpu_engine fastgpu_plugin EXPORT fastgpuTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${FASTGPU_INSTALL_INCLUDEDIR})
install(TARGETS fastgpu RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS fastgpu_json LIBRARY DESTINATION ${CMAKE_INSTALL_BINDIR})  # loaded from next to the executable
install(EXPORT fastgpuTargets NAMESPACE fastgpu:: DESTINATION ${FASTGPU_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/fastgpuConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/fastgpuConfig.cmake INSTALL_DESTINATION ${FASTGPU_INSTALL_CMAKEDIR}
                              PATH_VARS CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/fastgpuConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/fastgpuConfig.cmake ${PROJECT_BINARY_DIR}/fastgpuConfigVersion.cmake
        DESTINATION ${FASTGPU_INSTALL_CMAKEDIR})

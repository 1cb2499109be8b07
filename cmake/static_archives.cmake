# Start-up (docs/performance.md#start-up): every shared library a process
# loads costs its mapping, relocation and symbol lookups at each start. Where
# a library's Debian -dev package ships a static archive beside the shared
# one, executables take the archive: only the objects they call are linked.
# A shared module (the Python module) keeps the shared libraries, by a
# generator expression on the consuming target's type.

# fastgpu_static_archives(<var>): the list <var> with libz.so, libbz2.so and
# libsz.so replaced by their archives where installed (libsz.a followed by
# libaec.a, whose coder it calls).
function(fastgpu_static_archives var)
  set(out)
  foreach(lib IN LISTS ${var})
    set(archives)
    if(lib MATCHES "^(.*)/lib(z|bz2|sz)\\.so$")
      set(archives "${CMAKE_MATCH_1}/lib${CMAKE_MATCH_2}.a")
      if(CMAKE_MATCH_2 STREQUAL "sz")
        list(APPEND archives "${CMAKE_MATCH_1}/libaec.a")
      endif()
    endif()
    foreach(archive IN LISTS archives)
      if(NOT EXISTS "${archive}")
        set(archives)
      endif()
    endforeach()
    if(archives)
      list(APPEND out ${archives})
    else()
      list(APPEND out "${lib}")
    endif()
  endforeach()
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

# The archive form of one library for executables, the shared form for
# everything else: "$<IF:executable,ARCHIVE,SHARED>" in <var>.
function(fastgpu_archive_for_executables var archive shared)
  set(${var} "$<IF:$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>,${archive},${shared}>" PARENT_SCOPE)
endfunction()

# Installs libleash into a temporary prefix, then builds and runs a consumer project
# against it twice: with find_package(leash) (shared and static) and with pkg-config.
# Run by ctest: cmake -DBUILD_DIR=... -DWORK_DIR=... -DSOURCE_DIR=... -DC_COMPILER=...
#   -DSANITIZE=... -P install_consumer.cmake
foreach(var BUILD_DIR WORK_DIR SOURCE_DIR C_COMPILER)
  if(NOT ${var})
    message(FATAL_ERROR "install_consumer.cmake: ${var} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

cmake_minimum_required(VERSION 3.20)
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(flags "")
if(SANITIZE)
  set(flags "-fsanitize=${SANITIZE} -fno-omit-frame-pointer")
endif()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component leash_runtime)
foreach(f include/leash/leash.h include/leash/version.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# find_package(leash)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${C_COMPILER} "-DCMAKE_C_FLAGS=${flags}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
foreach(exe consumer_shared consumer_static)
  run(${WORK_DIR}/build/${exe})
  message(STATUS "${exe}: ${last_output}")
endforeach()

# pkg-config
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  file(GLOB_RECURSE pcs ${prefix}/*/leash.pc)
  list(GET pcs 0 pc)
  get_filename_component(pcdir ${pc} DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} ${pcdir})
  run(${PKG_CONFIG} --cflags --libs leash)
  string(STRIP "${last_output}" pkgflags)
  separate_arguments(pkgflags UNIX_COMMAND "${pkgflags}")
  separate_arguments(sanflags UNIX_COMMAND "${flags}")
  set(defs "")
  if(EXISTS ${prefix}/include/leash/curl.h)
    set(defs -DCONSUMER_CURL=1)
  endif()
  run(${C_COMPILER} ${sanflags} ${defs} ${SOURCE_DIR}/main.c ${pkgflags}
    -o ${WORK_DIR}/consumer_pc)
  get_filename_component(libdir ${pcdir} DIRECTORY)
  set(ENV{LD_LIBRARY_PATH} ${libdir})
  run(${WORK_DIR}/consumer_pc)
  message(STATUS "consumer_pc: ${last_output}")
endif()

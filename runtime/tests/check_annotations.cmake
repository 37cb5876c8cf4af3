# Checks with clang's AST that each libleash API carries the SPEC section 2
# annotation the analyzer matches, and that gcc takes the header without a warning.
# Run by ctest: cmake -DCLANG=... -DGCC=... -DINCLUDES="a;b" -DWORK_DIR=... -P ...
cmake_minimum_required(VERSION 3.20)
set(expected
  leash_pool_create=leash:bounded
  leash_pool_submit=leash:bounded
  leash_pool_try_submit=leash:bounded
  leash_pool_close=leash:closes:1
  leash_chan_recv=leash:receives:1
  leash_chan_close=leash:closes:1
  leash_sem_acquire=leash:bounded
  leash_sem_try_acquire=leash:bounded
  leash_thread_spawn=leash:spawns:2
  leash_net_connect=leash:deadline:4
  leash_net_accept=leash:deadline:5
  leash_net_read=leash:deadline:5
  leash_net_write=leash:deadline:5
)
file(MAKE_DIRECTORY ${WORK_DIR})
set(src ${WORK_DIR}/annotations.c)
set(body "#include <leash/leash.h>\n")
if(HAVE_CURL)
  string(APPEND body "#include <leash/curl.h>\n")
  list(APPEND expected leash_curl_apply=leash:timeout:1)
endif()
string(APPEND body "int main(void) { return leash_thread_count(); }\n")
file(WRITE ${src} "${body}")

set(incflags "")
foreach(dir IN LISTS INCLUDES)
  list(APPEND incflags -I${dir})
endforeach()

if(GCC)
  execute_process(COMMAND ${GCC} -std=c11 -Wall -Wextra -Wpedantic -Werror ${incflags}
      -fsyntax-only ${src}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gcc does not take <leash/leash.h> cleanly:\n${err}")
  endif()
endif()

execute_process(COMMAND ${CLANG} -std=c11 ${incflags} -fsyntax-only -fno-color-diagnostics
    -Xclang -ast-dump -Xclang -ast-dump-filter=leash_ ${src}
  RESULT_VARIABLE rc OUTPUT_VARIABLE dump ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "clang failed:\n${err}")
endif()

string(REPLACE ";" "," dump "${dump}")
string(REPLACE "\n" ";" lines "${dump}")
set(found "")
set(current "")
foreach(line IN LISTS lines)
  if(line MATCHES "FunctionDecl .* (leash_[a-z_]+) '")
    set(current ${CMAKE_MATCH_1})
  elseif(line MATCHES "AnnotateAttr .*\"(leash:[a-z0-9:]+)\"" AND current)
    list(APPEND found "${current}=${CMAKE_MATCH_1}")
  endif()
endforeach()

set(missing "")
foreach(pair IN LISTS expected)
  if(NOT pair IN_LIST found)
    list(APPEND missing ${pair})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "annotations missing: ${missing}\nfound: ${found}")
endif()
list(LENGTH expected n)
message(STATUS "all ${n} annotations present")

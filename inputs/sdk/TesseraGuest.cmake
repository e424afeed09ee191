# tessera_add_guest(NAME SOURCES a.c ...): builds NAME.elf, a static RV32IM executable for the
# Tessera executor (and qemu-riscv32), with Debian's riscv64-unknown-elf-gcc and picolibc:
#
#   riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 --specs=picolibc.specs -nostartfiles
#       -T guest.ld crt0.S syscalls.c <sources>
#
# -march=rv32im selects picolibc's rv32im/ilp32 multilib and emits no compressed instructions;
# --specs=picolibc.specs adds picolibc's headers and libraries (libc, libgcc for 64-bit division);
# -nostartfiles and -T replace picolibc's crt0 and linker script with the SDK's.
# The target guest_NAME builds it; tessera_guests builds every guest.

set(TESSERA_GUEST_SDK_DIR ${CMAKE_CURRENT_LIST_DIR})
set(TESSERA_GUEST_FLAGS
  -march=rv32im -mabi=ilp32 -O2 -static -nostartfiles --specs=picolibc.specs
  -ffunction-sections -fdata-sections -Wall -Wextra -Werror)

if(NOT TARGET tessera_guests)
  add_custom_target(tessera_guests ALL)
endif()

function(tessera_add_guest NAME)
  cmake_parse_arguments(G "" "" "SOURCES" ${ARGN})
  set(sdk ${TESSERA_GUEST_SDK_DIR})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${NAME}.elf)
  list(TRANSFORM G_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  add_custom_command(OUTPUT ${out}
    COMMAND ${TESSERA_RISCV_GCC} ${TESSERA_GUEST_FLAGS} -I${sdk} -T ${sdk}/guest.ld
            ${sdk}/crt0.S ${sdk}/syscalls.c ${G_SOURCES} -o ${out}
    DEPENDS ${G_SOURCES} ${sdk}/crt0.S ${sdk}/guest.ld ${sdk}/guest.h ${sdk}/syscalls.c
            ${sdk}/TesseraGuest.cmake
    COMMENT "Building RV32IM guest ${NAME}.elf"
    VERBATIM)
  add_custom_target(guest_${NAME} DEPENDS ${out})
  add_dependencies(tessera_guests guest_${NAME})
endfunction()

# Configure-time probe: can this compiler build and link a guest? (An install without picolibc,
# or without the rv32im multilib, fails here rather than in the middle of the build.)
function(tessera_probe_guest_toolchain RESULT)
  set(dir ${CMAKE_BINARY_DIR}/CMakeFiles/tessera_guest_probe)
  file(MAKE_DIRECTORY ${dir})
  file(WRITE ${dir}/probe.c "#include <string.h>\n#include \"guest.h\"\nint main(void) { char b[4]; memset(b, 0, 4); guest_commit(b, 4); return 0; }\n")
  execute_process(
    COMMAND ${TESSERA_RISCV_GCC} ${TESSERA_GUEST_FLAGS} -I${TESSERA_GUEST_SDK_DIR}
            -T ${TESSERA_GUEST_SDK_DIR}/guest.ld ${TESSERA_GUEST_SDK_DIR}/crt0.S
            ${TESSERA_GUEST_SDK_DIR}/syscalls.c ${dir}/probe.c -o ${dir}/probe.elf
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    set(${RESULT} TRUE PARENT_SCOPE)
  else()
    set(${RESULT} FALSE PARENT_SCOPE)
    message(STATUS "Guest toolchain probe failed: ${err}")
  endif()
endfunction()

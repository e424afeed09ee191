# Finds every dependency once; the rest of the build only looks at the TESSERA_HAVE_* results.

find_package(Threads REQUIRED)
find_package(OpenMP REQUIRED COMPONENTS CXX)  # CPU parallelism of the reference backend
find_package(MPI REQUIRED COMPONENTS CXX)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)

# Parallel HDF5 (Debian: libhdf5-openmpi-dev). The serial library cannot do MPI-IO collective
# writes, so finding it is a configuration error, not a fallback.
set(HDF5_PREFER_PARALLEL TRUE)
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_IS_PARALLEL)
  message(FATAL_ERROR "Tessera needs parallel HDF5, but the HDF5 found (${HDF5_INCLUDE_DIRS}) is serial. "
                      "On Debian install libhdf5-openmpi-dev (and remove libhdf5-dev from the search path).")
endif()
add_library(tessera_hdf5 INTERFACE)
target_include_directories(tessera_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
target_link_libraries(tessera_hdf5 INTERFACE ${HDF5_LIBRARIES} MPI::MPI_CXX)
target_compile_definitions(tessera_hdf5 INTERFACE ${HDF5_DEFINITIONS})

if(TESSERA_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(TESSERA_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

# ---- CUDA ------------------------------------------------------------------------------------
set(TESSERA_HAVE_CUDA OFF)
if(NOT TESSERA_ENABLE_CUDA STREQUAL "OFF")
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    # A100 and H100/H200 by default; -DCMAKE_CUDA_ARCHITECTURES=... or CMake's CUDAARCHS
    # environment variable choose others (CI compiles for 90 alone: the code is the same).
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES AND NOT DEFINED ENV{CUDAARCHS})
      set(CMAKE_CUDA_ARCHITECTURES 80;90 CACHE STRING "CUDA architectures")
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    # CMake 3.25 does not know nvcc's C++20 dialect (nvcc >= 12 has it); teach it, because the
    # headers shared by src/ and kernels/ are C++20.
    if(NOT CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
      set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
      set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
      list(APPEND CMAKE_CUDA_COMPILE_FEATURES cuda_std_20)
      set(CMAKE_CUDA20_COMPILE_FEATURES cuda_std_20)
    endif()
    set(CMAKE_CUDA_STANDARD 20)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    set(TESSERA_HAVE_CUDA ON)
  elseif(TESSERA_ENABLE_CUDA STREQUAL "ON")
    message(FATAL_ERROR "TESSERA_ENABLE_CUDA=ON but no CUDA compiler was found (set CUDACXX)")
  endif()
endif()

# ---- NCCL (only meaningful with CUDA) --------------------------------------------------------
set(TESSERA_HAVE_NCCL OFF)
if(TESSERA_HAVE_CUDA AND NOT TESSERA_ENABLE_NCCL STREQUAL "OFF")
  find_path(NCCL_INCLUDE_DIR nccl.h HINTS ${CUDAToolkit_INCLUDE_DIRS} /usr/include)
  find_library(NCCL_LIBRARY nccl HINTS ${CUDAToolkit_LIBRARY_DIR} /usr/lib/x86_64-linux-gnu)
  if(NCCL_INCLUDE_DIR AND NCCL_LIBRARY)
    add_library(tessera_nccl INTERFACE)
    target_include_directories(tessera_nccl SYSTEM INTERFACE ${NCCL_INCLUDE_DIR})
    target_link_libraries(tessera_nccl INTERFACE ${NCCL_LIBRARY})
    set(TESSERA_HAVE_NCCL ON)
  endif()
endif()
if(TESSERA_ENABLE_NCCL STREQUAL "ON" AND NOT TESSERA_HAVE_NCCL)
  message(FATAL_ERROR "TESSERA_ENABLE_NCCL=ON but NCCL (with CUDA) was not found")
endif()

# ---- RISC-V guest toolchain and the qemu oracle ----------------------------------------------
find_program(TESSERA_RISCV_GCC riscv64-unknown-elf-gcc)
find_program(TESSERA_QEMU_RISCV32 qemu-riscv32)
find_program(TESSERA_H5DUMP h5dump)

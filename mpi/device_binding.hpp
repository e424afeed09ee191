#pragma once
// Makes `device` the calling thread's current CUDA device (the CUDA runtime keeps the current
// device per host thread, so every thread that launches work on a rank's GPU binds itself).
// A no-op for device < 0 (a CPU rank) and in builds without CUDA.

namespace tessera::mpi {

void bind_thread_to_device(int device);

}  // namespace tessera::mpi

#pragma once
// Graceful interruption: SIGUSR1 (Slurm's `--signal=B:USR1@120` forwarded by the batch script,
// or `scancel --signal=USR1`), SIGTERM (Slurm's time limit) and SIGINT ask the pipeline to stop
// handing out shards, finish the shards in flight, flush the artifact and exit with
// ErrorKind::Interrupted (17), so that a requeued job resumes. The handler only records the
// signal (async-signal-safe); the message loop reads it. A second signal of the same kind gets
// the default action (SA_RESETHAND): the journal keeps every finished shard even then.

namespace tessera::mpi {

class InterruptHandlers {
 public:
  InterruptHandlers();   // installs the handlers and clears any earlier request
  ~InterruptHandlers();  // restores the previous handlers
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;

  static bool requested();
  static int signal_number();  // 0 when none
  static const char* signal_name();
};

}  // namespace tessera::mpi

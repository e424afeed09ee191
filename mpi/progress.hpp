#pragma once
// Rank 0's progress report while shards are proven: shards done / total, rate and ETA.
// On a terminal it is one live line redrawn in place (at most a few times a second); anywhere
// else (a Slurm output file, a pipe) it is a plain line every `interval` seconds, so logs stay
// readable. TESSERA_PROGRESS=live|plain|off overrides the choice, TESSERA_PROGRESS_INTERVAL the
// plain interval (seconds, default 10; 0: a line for every finished shard).

#include <cstdint>
#include <ostream>
#include <string>

namespace tessera::mpi {

class Progress {
 public:
  enum class Style { Live, Plain, Off };
  // The style for a stream that is (or is not) a terminal, after the environment override.
  static Style style_from_env(bool is_tty);
  static double interval_from_env();

  // `already`: shards stored before this run (they count as done but not in the rate).
  Progress(std::ostream& os, Style style, double interval_s, uint64_t total, uint64_t already);

  // `proven`: shards proven by this run so far; `elapsed`: seconds since proving started.
  void update(uint64_t proven, double elapsed);
  // The last state, always shown (ends the live line).
  void finish(uint64_t proven, double elapsed);
  // Ends a live line, so that another message starts on a line of its own (it is redrawn at the
  // next update).
  void break_line();

  // "proving: 12/64 shards (19%, 3 stored before), 2.31 shards/s, ETA 22 s"
  static std::string line(uint64_t done, uint64_t total, uint64_t already, uint64_t proven,
                          double elapsed);

 private:
  void show(uint64_t proven, double elapsed);
  std::ostream& os_;
  Style style_;
  double interval_;
  uint64_t total_;
  uint64_t already_;
  double last_shown_ = -1e300;
  uint64_t last_proven_ = UINT64_MAX;
  size_t live_width_ = 0;
};

}  // namespace tessera::mpi

#include "mpi/interrupt.hpp"

#include <csignal>

namespace tessera::mpi {

namespace {
volatile std::sig_atomic_t g_signal = 0;
constexpr int kSignals[] = {SIGUSR1, SIGTERM, SIGINT};
struct sigaction g_previous[3];

extern "C" void on_interrupt(int sig) {
  g_signal = sig;
}
}  // namespace

InterruptHandlers::InterruptHandlers() {
  g_signal = 0;
  for (int i = 0; i < 3; ++i) {
    struct sigaction sa = {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaction(kSignals[i], &sa, &g_previous[i]);
  }
}

InterruptHandlers::~InterruptHandlers() {
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

bool InterruptHandlers::requested() {
  return g_signal != 0;
}

int InterruptHandlers::signal_number() {
  return g_signal;
}

const char* InterruptHandlers::signal_name() {
  switch (g_signal) {
    case SIGUSR1:
      return "SIGUSR1";
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    default:
      return "no signal";
  }
}

}  // namespace tessera::mpi

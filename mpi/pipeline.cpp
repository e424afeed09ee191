#include "mpi/pipeline.hpp"

#include "mpi/rank_loop.hpp"
#include "shard/sharded_machine.hpp"

namespace tessera::mpi {

namespace {

// The one request of a `tessera prove`: handed out once, its result kept.
class SingleFeed final : public RequestFeed {
 public:
  explicit SingleFeed(RequestTicket ticket) : ticket_(std::move(ticket)) {}
  std::optional<RequestTicket> next() override {
    if (given_) return std::nullopt;
    given_ = true;
    return ticket_;
  }
  bool exhausted() override { return given_; }
  std::vector<StopRequest> poll(const std::vector<ActiveRequest>&) override { return {}; }
  void finished(const RequestTicket&, const PipelineResult&) override {}

 private:
  RequestTicket ticket_;
  bool given_ = false;
};

}  // namespace

PipelineResult run_pipeline(const Communicator& world, const ShardedMachine& machine,
                            const PipelineOptions& options) {
  RequestTicket ticket;
  ticket.key = options.out.string();
  ticket.machine = machine.name();
  ticket.parameters = machine.parameters();
  ticket.out = options.out;
  ticket.resume = options.resume;
  ticket.force = options.force;

  EngineOptions engine;
  engine.backend = options.backend;
  engine.max_attempts = options.max_attempts;
  engine.faults = options.faults;
  engine.log = options.log;
  engine.progress_style = options.progress_style;
  engine.progress_interval = options.progress_interval;
  engine.write_interval = options.write_interval;
  engine.journal_sync = options.journal_sync;
  engine.max_active = 1;

  // Every rank proves the machine it was given (no aliasing copy: the caller owns it).
  const MachineMaker maker = [&machine](const RequestTicket&) {
    return std::shared_ptr<const ShardedMachine>(&machine, [](const ShardedMachine*) {});
  };
  SingleFeed feed(ticket);
  EngineResult r = run_requests(world, maker, &feed, engine);
  if (!r.requests.empty()) return std::move(r.requests.front());
  // The ranks could not start (no backend, ...): the request's error, as before any artifact.
  PipelineResult result;
  result.artifact = options.out.string();
  result.request = request_of(machine);
  result.ranks = world.size();
  result.shards = machine.num_shards();
  result.end = PipelineResult::End::Failed;
  if (r.setup_error) {
    result.kind = r.setup_error->kind;
    result.message = r.setup_error->message;
  } else {
    result.kind = ErrorKind::Internal;
    result.message = "the pipeline ended without running the request";
  }
  return result;
}

}  // namespace tessera::mpi

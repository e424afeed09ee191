#pragma once
// The LogUp bus rules of a machine (air.hpp states them for AIR writers).
//
// LogUp (stark/logup.hpp) proves, for random beta and gamma, that
//     sum over tables, rows and interactions of  m_j / (beta - f_j)  =  0,
// f_j = bus + gamma v_0 + ... + gamma^a v_{a-1} the fingerprint of the message. With high
// probability over beta this forces, for every distinct fingerprint, the net multiplicity (sends
// minus receives) to vanish AS AN ELEMENT OF F_p. Three rules turn that into what an AIR means
// ("every message is received exactly as often as it is sent", or "every lookup hits the table"):
//
//  1. Distinct messages must have distinct fingerprints (w.h.p. over gamma), so the fingerprint
//     must determine the message: the bus id enters as a field element, so ids equal mod p would
//     be one bus (ids are < p); and (a) and (a, 0) have the same fingerprint, so a bus carries
//     messages of ONE arity in every table.
//  2. A net multiplicity 0 mod p must mean 0 as an integer. A bus's interactions are BOUNDED
//     (send / receive: the AIR declares the largest multiplicity, an integer in [0, p), and its
//     constraints enforce it) or the LOOKUP-TABLE side (receive_lookup / send_lookup: a free
//     witness count per allowed message). For one message let S and R be its bounded sends and
//     receives, as integers; both are at most
//         B = sum over tables t of 2^log_height(t) * (sum of the declared bounds of t's bounded
//             interactions on the bus),
//     and S + R <= B. If B < p, then S = R mod p implies S = R: no message can be produced by
//     wrapping around (p sends of a forbidden value, or p - 1 sends standing for one receive).
//     A message present on the lookup-table side may have any count there (that is a lookup:
//     the bounded side's uses of an allowed message are counted by a free column), so the
//     lookup-table side is excluded from B; for every message NOT in the table S = R holds.
//  3. On one bus every lookup-table-side interaction has the same direction: the lookup side is
//     one set of allowed messages facing the bounded side. Lookup sides facing each other would
//     let free counts cancel free counts, and nothing would be looked up: a wiring mistake.
//
// Rules 1 and 3 depend only on the AIRs: Machine::add checks them (InvalidArgument). Rule 2
// depends on the heights of a shard: the prover checks it with the witness's heights
// (InvalidArgument) and the verifier with the proof's log_heights (VerifyFailed).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "stark/symbolic_builder.hpp"

namespace tessera {

// One table as the bus rules see it.
struct BusTable {
  std::string_view name;
  std::span<const InteractionInfo> interactions;
};

// Rules 1 and 3 (and every declared bound < p) over the tables of a machine. InvalidArgument
// naming the bus, the tables and their arities or directions.
void check_bus_rules(std::span<const BusTable> tables);

// Rule 2 for one shard, log_heights[t] the height of tables[t]: "" when every bus's bound B is
// below p, otherwise one line naming the first bus that could wrap, its tables and B.
std::string bus_wraparound(std::span<const BusTable> tables, std::span<const uint32_t> log_heights);

}  // namespace tessera

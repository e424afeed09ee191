#pragma once
// The shard prover (DESIGN.md §3). Entry point:
//
//   ShardProof prove(machine, proving_key, witness, backend, options)
//
// Rounds (the verifier replays the same transcript):
//   0. statement header: configuration, machine name, table heights, preprocessed commitment;
//   1. main traces of all tables -> ONE PCS commit (mixed heights); observe the root, then every
//      table's public values;
//   2. LogUp challenges beta, gamma (BabyBear4);
//   3. LogUp permutation traces (h_k, z; flattened) of the tables with interactions -> one commit;
//      observe the root and every cumulative sum;
//   4. constraint challenge alpha;
//   5. per table, the folded constraints divided by Z_H on the quotient domain (CPU fold, OpenMP),
//      split into 2^log_quotient_degree chunks of degree < n, flattened -> one commit; observe;
//   6. zeta; open preprocessed, main and permutation traces at zeta and zeta * g_table, quotient
//      chunks at zeta — one batched FRI (pcs.open: DEEP quotients, FRI folding, PoW, queries).
// The proof bytes depend only on the statement, the witness and the configuration.

#include <vector>

#include "backend/backend.hpp"
#include "field/babybear.hpp"
#include "matrix/row_major_matrix.hpp"
#include "stark/keys.hpp"
#include "stark/machine.hpp"
#include "stark/proof.hpp"

namespace tessera {

// One table's witness: its main trace (power-of-two height; for a table with preprocessed
// columns, the preprocessed height) and its public values.
struct TableWitness {
  RowMajorMatrix<BabyBear> trace;
  std::vector<BabyBear> public_values;
};

// Wall time per prover phase, seconds.
struct ProverTimings {
  double debug_check = 0;
  double main_commit = 0;         // LDE + Merkle tree of the main traces
  double logup_trace = 0;         // interaction evaluation, batch inversion, running sums
  double permutation_commit = 0;  // LDE + Merkle tree of the LogUp columns
  double quotient = 0;            // quotient-domain extraction + constraint folding
  double quotient_commit = 0;     // chunk split + LDE + Merkle tree
  double open = 0;                // evaluations at zeta, DEEP quotient, FRI, PoW, queries
  double total = 0;
};

struct ProveOptions {
  // Run the debug checker (constraints row by row, LogUp balance) before proving, so that a bad
  // witness is reported as "constraint <c> of table <t> fails at row <r>" instead of producing a
  // proof that the verifier rejects. Costs one pass over every trace.
  bool debug_check = true;
  ProverTimings* timings = nullptr;
};

// InvalidArgument for a witness of the wrong shape (count, width, height, public values), heights
// under which a LogUp bus could wrap around mod p (stark/bus_rules.hpp), or a witness that fails
// the debug check.
ShardProof prove(const Machine& machine, const ProvingKey& pk, std::vector<TableWitness> witness,
                 Backend& backend, const ProveOptions& options = {});

}  // namespace tessera

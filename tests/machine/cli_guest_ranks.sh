#!/usr/bin/env bash
# A sample guest proven by `tessera prove --elf` on 1, 2, 3 and 4 MPI ranks (label mpi): the
# artifacts are byte-identical (proofs, statements, tree, final statement), each verifies alone,
# and the verified root reports the executor's output digest, exit code and cycle count.
#   cli_guest_ranks.sh TESSERA GUEST_DIR GUEST SHARD_CYCLES
TESSERA=$1
GUESTS=$2
G=$3
SHARD=$4
source "$(dirname "$0")/../pipeline/cli_lib.sh"
source "$(dirname "$0")/guest_inputs.sh"
[[ -f "$GUESTS/$G.elf" ]] || { echo "SKIP: sample guests not built"; exit 77; }
small_input "$G" in.bin

expect_rc 0 "$TESSERA" execute "$GUESTS/$G.elf" --input in.bin --shard-cycles "$SHARD" --json
cp "$WORK/last.out" exec.json
shards=$(json exec.json "d['shards']")
for key in output_digest exit_code cycles; do
  declare "want_$key=$(json exec.json "d['$key']")"
done

for np in 1 2 3 4; do
  expect_rc 0 "${MPIRUN[@]}" -np $np "$TESSERA" prove --elf "$GUESTS/$G.elf" --input in.bin \
    --shard-cycles "$SHARD" --config test --out np$np.h5 --json
  cp "$WORK/last.out" np$np.json
  [[ $(json np$np.json "d['ranks']") == "$np" ]] || fail "ran on the wrong number of ranks"
  [[ $(json np$np.json "d['shards']") == "$shards" && $(json np$np.json "d['proven']") == "$shards" ]] ||
    fail "np $np: expected $shards shards proven (execute's count)"
  [[ $(json np$np.json "d['verified']") == True ]] || fail "np $np did not verify its root"
  expect_rc 0 "$TESSERA" verify np$np.h5 --allow-insecure --json
  cp "$WORK/last.out" verify$np.json
  [[ $(json verify$np.json "d['result']['output_digest']") == "$want_output_digest" ]] ||
    fail "np $np: the output digest is not the executor's"
  [[ $(json verify$np.json "d['result']['exit_code']") == "$want_exit_code" ]] || fail "np $np: exit code"
  [[ $(json verify$np.json "d['result']['cycles']") == "$want_cycles" ]] || fail "np $np: cycles"
  content np$np.h5 >np$np.content
  if [[ $np -gt 1 ]]; then
    cmp -s np1.content np$np.content || { diff np1.content np$np.content | head; fail "np $np differs from np 1"; }
  fi
done
echo "PASS: $G ($want_cycles cycles, $shards shards of $SHARD) identical on 1-4 ranks, output digest $want_output_digest"

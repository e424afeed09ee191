#!/usr/bin/env bash
# `make demo`: the sample run of the day on two local MPI ranks, with the embedded defaults:
# prove a Poseidon2 hash chain (64 shards of 1024 steps, `core` configuration) into an HDF5
# artifact on 2 ranks, then verify that artifact alone in one process and show what it holds.
set -euo pipefail
build=${1:-build}
tessera="$build/src/cli/tessera"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --oversubscribe --allow-run-as-root --bind-to none)
out=${DEMO_OUT:-$build/demo/hashchain.h5}
mkdir -p "$(dirname "$out")"

"$tessera" --version
echo "== two MPI ranks: host, node-local rank and bound device =="
"${mpirun[@]}" -np 2 "$tessera" ranks
echo "== prove a hash chain of 65536 Poseidon2 compressions (64 shards) on 2 ranks =="
"${mpirun[@]}" -np 2 "$tessera" prove --machine hashchain --steps 65536 --shard-steps 1024 \
  --out "$out" --force
echo "== verify the artifact alone, in one process =="
"$tessera" verify "$out"
echo "== what the artifact holds =="
"$tessera" inspect "$out"

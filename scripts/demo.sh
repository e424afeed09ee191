#!/usr/bin/env bash
# `make demo`: the sample run of the day on two local MPI ranks, with the embedded defaults.
set -euo pipefail
build=${1:-build}
tessera="$build/src/cli/tessera"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --oversubscribe --allow-run-as-root --bind-to none)

"$tessera" --version
echo "== two MPI ranks: host, node-local rank and bound device =="
"${mpirun[@]}" -np 2 "$tessera" ranks

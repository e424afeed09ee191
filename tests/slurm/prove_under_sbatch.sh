#!/usr/bin/env bash
# Submits slurm/prove.sbatch with 2 tasks to the local Slurm, and checks that the job ran on both
# ranks and that its artifact verifies.
set -euo pipefail
tessera=$1
repo=$2
source "$(dirname "$0")/local_cluster_test.sh" prove

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export TESSERA=$tessera TESSERA_OUT=$work/chain.h5 TESSERA_STEPS=1024 TESSERA_SHARD_STEPS=64 \
  TESSERA_CONFIG=test TESSERA_MPIRUN_FLAGS="--oversubscribe --allow-run-as-root"
sbatch --wait -n 2 -D "$work" -o "$work/out.txt" "$repo/slurm/prove.sbatch" >/dev/null || true
cat "$work/out.txt"
grep -q "^ranks      2 " "$work/out.txt" || { echo "FAIL: the job did not run on 2 ranks"; exit 1; }
grep -q "^result     complete" "$work/out.txt" || { echo "FAIL: the job did not complete"; exit 1; }
"$tessera" verify "$work/chain.h5" --allow-insecure
echo "PASS: prove.sbatch on 2 tasks produced an artifact that verifies"

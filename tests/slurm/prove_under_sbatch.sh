#!/usr/bin/env bash
# Submits slurm/prove.sbatch with 2 tasks to the local Slurm, and checks that the job ran on both
# ranks, launched by the launcher asked for, and that its artifact verifies.
#
#   prove_under_sbatch.sh TESSERA REPO [mpirun|srun]   (the launcher inside the job; default mpirun)
set -euo pipefail
tessera=$1
repo=$2
launcher=${3:-mpirun}
source "$(dirname "$0")/local_cluster_test.sh" "prove-$launcher"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export TESSERA=$tessera TESSERA_OUT=$work/chain.h5 TESSERA_STEPS=1024 TESSERA_SHARD_STEPS=64 \
  TESSERA_CONFIG=test TESSERA_LAUNCHER=$launcher
# mpirun needs these as root on 2 cores; srun places the tasks itself.
[[ $launcher == mpirun ]] && export TESSERA_MPIRUN_FLAGS="--oversubscribe --allow-run-as-root"
sbatch --wait -n 2 -D "$work" -o "$work/out.txt" "$repo/slurm/prove.sbatch" >/dev/null || true
cat "$work/out.txt"
grep -q "on 2 task(s) via $launcher:" "$work/out.txt" || { echo "FAIL: not launched by $launcher"; exit 1; }
grep -q "^ranks      2 " "$work/out.txt" || { echo "FAIL: the job did not run on 2 ranks"; exit 1; }
grep -q "^result     complete" "$work/out.txt" || { echo "FAIL: the job did not complete"; exit 1; }
"$tessera" verify "$work/chain.h5" --allow-insecure
echo "PASS: prove.sbatch on 2 tasks ($launcher) produced an artifact that verifies"

#!/usr/bin/env bash
# The walltime path of prove.sbatch on the local Slurm: USR1 to the batch script mid-run
# (`scancel --signal=USR1 --batch`, as `--signal=B:USR1@120` would) makes tessera finish the shards
# in flight, flush and exit 17; the script requeues the job; released, the requeued run resumes
# (SLURM_RESTART_COUNT=1, --resume) and proves only the missing shards; the artifact verifies.
#
#   requeue_resume.sh TESSERA REPO [mpirun|srun]   (the launcher inside the job; default mpirun)
set -euo pipefail
tessera=$1
repo=$2
launcher=${3:-mpirun}
source "$(dirname "$0")/local_cluster_test.sh" "requeue-$launcher"

export TESSERA=$tessera TESSERA_OUT=$work/chain.h5 TESSERA_STEPS=2048 TESSERA_SHARD_STEPS=64 \
  TESSERA_CONFIG=test TESSERA_TEST_SLOW_SHARD_MS=300 TESSERA_PROGRESS=plain \
  TESSERA_PROGRESS_INTERVAL=0 TESSERA_LAUNCHER=$launcher
# mpirun needs these as root on 2 cores; srun places the tasks itself.
[[ $launcher == mpirun ]] && export TESSERA_MPIRUN_FLAGS="--oversubscribe --allow-run-as-root"
job=$(sbatch --parsable -n 2 -D "$work" -o "$work/out.txt" "$repo/slurm/prove.sbatch")

# Wait until the first run has proven a few shards, then send the walltime warning.
for _ in $(seq 900); do
  grep -q 'proving: \([4-9]\|[1-9][0-9]\)/32' "$work/out.txt" 2>/dev/null && break
  sleep 0.1
done
grep -q 'proving: \([4-9]\|[1-9][0-9]\)/32' "$work/out.txt" || fail "the first run made no progress"
scancel --signal=USR1 --batch "$job"

# The script requeues the job; Slurm holds it (BeginTime) until released.
for _ in $(seq 600); do
  grep -q "requeueing job $job" "$work/out.txt" && [[ $(state "$job") == PENDING ]] && break
  sleep 0.1
done
[[ $(state "$job") == PENDING ]] || fail "job $job was not requeued (state $(state "$job"))"
release_requeued "$job"
wait_end "$job"
[[ $(state "$job") == COMPLETED ]] || fail "the requeued job ended $(state "$job")"
cat "$work/out.txt"

grep -q "run 1 (SLURM_RESTART_COUNT=0) on 2 task(s) via $launcher" "$work/out.txt" ||
  fail "the job did not launch its ranks with $launcher"
grep -q "run 2 (SLURM_RESTART_COUNT=1).*--resume" "$work/out.txt" || fail "the requeued run did not resume"
grep -q "stopped by SIGUSR1: [0-9]* of 32 shards are stored" "$work/out.txt" ||
  fail "the first run did not stop on SIGUSR1"
stored=$(grep -o "stopped by SIGUSR1: [0-9]* of 32" "$work/out.txt" | head -1 | grep -o "[0-9]* of" | tr -dc 0-9)
line=$(grep "^shards     32 total" "$work/out.txt" | tail -1)
[[ $line == *"$((32 - stored)) proven by this run, $stored resumed from the artifact"* ]] ||
  fail "the requeued run did not prove exactly the $((32 - stored)) missing shards: $line"
grep -q "^result     complete" "$work/out.txt" || fail "the requeued run did not complete"
"$tessera" verify "$work/chain.h5" --allow-insecure
echo "PASS ($launcher): USR1 stopped the job with $stored shards stored; the requeued job proved the other $((32 - stored))"

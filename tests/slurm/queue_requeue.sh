#!/usr/bin/env bash
# The walltime path of queue.sbatch on the local Slurm: USR1 to the batch script mid-drain
# (`scancel --signal=USR1 --batch`, as `--signal=B:USR1@120` would) makes the drain finish the
# shards in flight, flush and release its open requests (exit 17); the script requeues the job;
# released, the requeued run (restart 1) reclaims nothing it should not, resumes the released
# requests without proving a stored shard again, and finishes every request exactly once.
#
#   queue_requeue.sh TESSERA REPO [mpirun|srun]
set -euo pipefail
tessera=$1
repo=$2
launcher=${3:-mpirun}
source "$(dirname "$0")/local_cluster_test.sh" "queue-requeue-$launcher"
q=$work/queue
declare -A SHARDS
for i in 1 2 3 4 5 6; do
  id=$("$tessera" queue submit "$q" --machine hashchain --steps $((64 * 6 * i)) --shard-steps 64 \
    --seed "$i" --config test)
  SHARDS[$id]=$((6 * i))
done
export TESSERA=$tessera TESSERA_QUEUE=$q TESSERA_TEST_SLOW_SHARD_MS=60 TESSERA_LAUNCHER=$launcher
[[ $launcher == mpirun ]] && export TESSERA_MPIRUN_FLAGS="--oversubscribe --allow-run-as-root"
job=$(sbatch --parsable -n 2 -D "$work" -o "$work/out.txt" "$repo/slurm/queue.sbatch")

# Once a request is done and others are part-way, send the walltime warning.
for _ in $(seq 1200); do
  grep -q "tessera: queue: done " "$work/out.txt" 2>/dev/null &&
    ls "$q"/claims/ 2>/dev/null | grep -q . && break
  sleep 0.1
done
grep -q "tessera: queue: done " "$work/out.txt" || fail "the first run finished nothing"
scancel --signal=USR1 --batch "$job"
for _ in $(seq 600); do
  grep -q "requeueing job $job" "$work/out.txt" && [[ $(state "$job") == PENDING ]] && break
  sleep 0.1
done
[[ $(state "$job") == PENDING ]] || fail "job $job was not requeued (state $(state "$job"))"
grep -q "tessera: queue: released " "$work/out.txt" || fail "the first run released nothing"
[[ -z $(ls "$q/running") ]] || fail "requests left running: $(ls "$q/running")"
release_requeued "$job"
wait_end "$job"
[[ $(state "$job") == COMPLETED ]] || fail "the requeued job ended $(state "$job")"
cat "$work/out.txt"
grep -q "run 2 (SLURM_RESTART_COUNT=1)" "$work/out.txt" || fail "no second run"

# Every request done exactly once; a released one resumed exactly what it had stored.
declare -A STORED
while read -r id stored; do STORED[$id]=$stored; done < <(
  grep -o "released [^:]*: [0-9]* of" "$work/out.txt" | sed 's/released \([^:]*\): \([0-9]*\) of/\1 \2/')
for id in "${!SHARDS[@]}"; do
  [[ -f $q/done/$id ]] || fail "$id is not done"
  lines=$(grep "tessera: queue: done $id: " "$work/out.txt") || true
  [[ $(echo "$lines" | grep -c .) -eq 1 ]] || fail "$id finished $(echo "$lines" | grep -c .) times"
  n=${SHARDS[$id]}
  want_resumed=${STORED[$id]:-0}
  [[ $lines == *"$n shards ($((n - want_resumed)) proven, $want_resumed resumed)"* ]] ||
    fail "$id: stored $want_resumed at release, but: $lines"
  "$tessera" verify "$q/results/$id.h5" --allow-insecure >/dev/null
done
echo "PASS ($launcher): USR1 released ${#STORED[@]} request(s); the requeued job finished all ${#SHARDS[@]} once"

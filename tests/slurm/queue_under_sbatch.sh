#!/usr/bin/env bash
# slurm/queue-submit.sh on the local Slurm: a chain of two queue.sbatch jobs (2 tasks each, the
# second depending on the first) drains a queue of hash chains; every request is done once, its
# artifact verifies, and the second job finds the queue empty and ends at once.
#
#   queue_under_sbatch.sh TESSERA REPO
set -euo pipefail
tessera=$1
repo=$2
source "$(dirname "$0")/local_cluster_test.sh" queue
q=$work/queue
ids=()
for i in 1 2 3 4 5 6; do
  ids+=("$("$tessera" queue submit "$q" --machine hashchain --steps $((128 * i)) --shard-steps 64 \
    --seed "$i" --config test)")
done
export TESSERA=$tessera TESSERA_MPIRUN_FLAGS="--oversubscribe --allow-run-as-root" \
  TESSERA_METRICS=$work/tessera.prom
mapfile -t jobs < <("$repo/slurm/queue-submit.sh" -n 2 "$q" -n 2 -D "$work" -o "$work/out-%j.txt")
[[ ${#jobs[@]} -eq 2 ]] || fail "queue-submit.sh printed ${#jobs[@]} job ids"
scontrol show job "${jobs[1]}" | grep -q "Dependency=afterany:${jobs[0]}" ||
  fail "the second job does not depend on the first"
wait_end "${jobs[1]}"
[[ $(state "${jobs[0]}") == COMPLETED && $(state "${jobs[1]}") == COMPLETED ]] ||
  fail "jobs ended $(state "${jobs[0]}") and $(state "${jobs[1]}")"
cat "$work/out-${jobs[0]}.txt"
for id in "${ids[@]}"; do
  [[ -f $q/done/$id ]] || fail "$id is not done"
  n=$(cat "$work"/out-*.txt | grep -c "tessera: queue: done $id: ") || true
  [[ $n -eq 1 ]] || fail "$id finished $n times"
  "$tessera" verify "$q/results/$id.h5" --allow-insecure >/dev/null
done
grep -q "drained $q: 0 done" "$work/out-${jobs[1]}.txt" || fail "the second job found work left"
grep -q '^tessera_queue_requests{.*state="done"} 6$' "$work/tessera.prom" || fail "metrics"
echo "PASS: a chain of 2 queue jobs drained 6 requests, each once"

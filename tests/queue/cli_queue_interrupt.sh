#!/usr/bin/env bash
# SIGUSR1 to a drain under mpirun (what Slurm's --signal=B:USR1 forwarded by queue.sbatch does):
# the shards being proven finish, every open request's artifact is flushed and the requests go
# back to the queue; exit 17 with one line. The next drain resumes them without proving a stored
# shard again, and every artifact equals proving it alone.
TESSERA=$1
source "$(dirname "$0")/queue_lib.sh"
declare -A ARGS
for i in 1 2 3 4; do
  args=(--machine hashchain --steps $((64 * 16 * i)) --shard-steps 64 --seed $i --config test)
  id=$(submit "${args[@]}")
  ARGS[$id]="${args[*]}"
done
TESSERA_TEST_SLOW_SHARD_MS=40 "${MPIRUN[@]}" -np 2 "$TESSERA" queue drain "$Q" --heartbeat 0.2 \
  >first.out 2>first.err &
drain=$!
# Once a request has a few shards done (its heartbeat says so), send the walltime warning.
for _ in $(seq 300); do
  status_json
  python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(0 if any(r['state']=='running' and r['shards_done']>=3 for r in d['requests']) else 1)" \
    "$WORK/status.json" && break
  kill -0 "$drain" 2>/dev/null || break
  sleep 0.05
done
kill -USR1 "$drain" || { cat first.err; fail "the drain ended before it could be interrupted"; }
rc=0
wait "$drain" || rc=$?
[[ $rc -eq 17 ]] || { cat first.err; fail "exit $rc after SIGUSR1, expected 17"; }
grep -v "^tessera: queue: " first.err >"$WORK/last.err" || true  # event lines are not errors
one_error_line "^tessera: interrupted: stopped by SIGUSR1: [1-9][0-9]* request(s) released to the queue"
[[ $(count running) == 0 ]] || fail "requests left running after the drain stopped"
declare -A STORED
while read -r id stored; do STORED[$id]=$stored; done < <(
  grep -o "released [^:]*: [0-9]* of" first.err | sed 's/released \([^:]*\): \([0-9]*\) of/\1 \2/')
[[ ${#STORED[@]} -ge 1 ]] || fail "nothing was released"

expect_rc 0 "${MPIRUN[@]}" -np 2 "$TESSERA" queue drain "$Q" --json
cp "$WORK/last.out" second.json
[[ $(count done) == 4 ]] || fail "$(count done) of 4 done after the second drain"
for id in "${!STORED[@]}"; do
  resumed=$(python3 -c "import json,sys; print(next(r['resumed'] for r in json.load(open(sys.argv[1]))['requests'] if r['id']==sys.argv[2]))" second.json "$id")
  proven=$(python3 -c "import json,sys; print(next(r['proven'] for r in json.load(open(sys.argv[1]))['requests'] if r['id']==sys.argv[2]))" second.json "$id")
  shards=$(python3 -c "import json,sys; print(next(r['shards'] for r in json.load(open(sys.argv[1]))['requests'] if r['id']==sys.argv[2]))" second.json "$id")
  [[ $resumed == "${STORED[$id]}" && $proven == $((shards - resumed)) ]] ||
    fail "$id: ${STORED[$id]} stored at release, the resume found $resumed and proved $proven of $shards"
done
for id in "${!ARGS[@]}"; do
  # shellcheck disable=SC2086
  same_as_alone "$id" ${ARGS[$id]}
done
echo "PASS: SIGUSR1 released ${#STORED[@]} request(s); the next drain resumed them without re-proving"

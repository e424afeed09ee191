#!/usr/bin/env bash
# Two drains (2 ranks each) started at once on one queue (label mpi): every request is proven by
# exactly one of them — each done once, no shard proven twice —, every artifact verifies, and the
# two summaries add up to the queue.
TESSERA=$1
source "$(dirname "$0")/queue_lib.sh"
declare -A SHARDS
for i in $(seq 10); do
  steps=$((64 * (2 + i % 5)))
  id=$(submit --machine hashchain --steps $steps --shard-steps 64 --seed "$i" --config test)
  SHARDS[$id]=$((steps / 64))
done
TESSERA_TEST_SLOW_SHARD_MS=10 "${MPIRUN[@]}" -np 2 "$TESSERA" queue drain "$Q" --json >a.json 2>a.err &
a=$!
TESSERA_TEST_SLOW_SHARD_MS=10 "${MPIRUN[@]}" -np 2 "$TESSERA" queue drain "$Q" --json >b.json 2>b.err &
b=$!
rc=0
wait $a || rc=$?
wait $b || rc=$((rc + $?))
[[ $rc -eq 0 ]] || { cat a.err b.err; fail "a drain failed"; }
[[ $(count done) == 10 ]] || { cat a.err b.err; fail "$(count done) of 10 done"; }
python3 - a.json b.json "${!SHARDS[@]}" <<'PY' || fail "the drains overlapped or missed a request"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
ids = sys.argv[3:]
seen = {}
for d in (a, b):
    for r in d["requests"]:
        assert r["end"] == "complete" and r["verified"], r
        assert r["id"] not in seen, f"{r['id']} proven by both drains"
        assert r["resumed"] == 0 and r["proven"] == r["shards"], f"{r['id']} re-proved or resumed: {r}"
        seen[r["id"]] = r
assert sorted(seen) == sorted(ids), (sorted(seen), sorted(ids))
assert a["totals"]["done"] + b["totals"]["done"] == len(ids)
print(f"drain a: {a['totals']['done']} requests, drain b: {b['totals']['done']}")
PY
for id in "${!SHARDS[@]}"; do
  expect_rc 0 "$TESSERA" verify "$Q/results/$id.h5" --allow-insecure
  n=$(grep -ho "done $id: [0-9]* shards" a.err b.err | wc -l)
  [[ $n -eq 1 ]] || fail "$id finished $n times"
done
echo "PASS: two drains shared the queue, each request proven once"

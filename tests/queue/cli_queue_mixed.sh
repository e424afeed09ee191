#!/usr/bin/env bash
# A queue of 12 mixed requests drained on NP ranks (label mpi): hash chains of different sizes and
# priorities, a guest program (when the sample guests are built), one "ELF" that is not an ELF
# (failed with its reason, the drain goes on), and a long
# chain cancelled while it runs (it stops at its next shard and is marked cancelled). Every done
# request's artifact equals proving it alone with `tessera prove` and verifies; status, the metrics
# file and the drain's summary agree.
#
#   cli_queue_mixed.sh TESSERA NP [GUEST_DIR]
TESSERA=$1
NP=$2
GUESTS=${3:-}
source "$(dirname "$0")/queue_lib.sh"

declare -A ARGS
add_chain() {  # add_chain STEPS SEED PRIORITY
  local args=(--machine hashchain --steps "$1" --shard-steps 64 --seed "$2" --config test)
  local id
  id=$(submit "${args[@]}" --priority "$3" --name "chain-$1-$2")
  ARGS[$id]="${args[*]}"
}
# The long one goes first (highest priority) so that it is running when it is cancelled.
long=$(submit --machine hashchain --steps 32768 --shard-steps 64 --seed 99 --config test --priority 9 --name long)
for spec in "128 1 0" "256 2 0" "512 3 1" "192 4 0" "320 5 2" "64 6 0" "448 7 1" "384 8 0" "640 9 0"; do
  add_chain $spec
done
printf 'this is not an ELF file\n' >"$WORK/bad.elf"
bad=$(submit --elf "$WORK/bad.elf" --config test --name bad)
guest=""
# F(500): about 5,500 cycles, 6 shards of 1024 (the sample input, F(200000), is 2.2M cycles).
# --keep-input: the artifact records the private input (the queue's copy is still removed).
printf '\xf4\x01\x00\x00' >"$WORK/fib500.input"
if [[ -n $GUESTS && -f $GUESTS/fibonacci.elf ]]; then
  guest=$(submit --elf "$GUESTS/fibonacci.elf" --input "$WORK/fib500.input" --keep-input \
    --shard-cycles 1024 --config test --name fibonacci)
else
  # Without the sample guests the 12th request is one more chain.
  add_chain 256 10 0
fi
[[ $(count queued) == 12 ]] || fail "12 requests should be queued"

TESSERA_TEST_SLOW_SHARD_MS=20 "${MPIRUN[@]}" -np "$NP" "$TESSERA" queue drain "$Q" --json \
  --metrics "$WORK/tessera.prom" --heartbeat 0.2 >drain.json 2>drain.err &
drain=$!
for _ in $(seq 600); do
  [[ $(field_of "$long" shards_done 2>/dev/null) -ge 2 ]] 2>/dev/null && break
  sleep 0.1
done
[[ $(state_of "$long") == running ]] || { cat drain.err; fail "the long request is not running"; }
expect_rc 0 "$TESSERA" queue cancel "$Q" "$long"
grep -q "cancel requested" "$WORK/last.out" || fail "cancel of a running request: $(cat "$WORK/last.out")"
rc=0
wait "$drain" || rc=$?
[[ $rc -eq 0 ]] || { cat drain.err; fail "drain exited $rc"; }

[[ $(state_of "$long") == cancelled ]] || { cat drain.err; fail "the long request is $(state_of "$long")"; }
grep -q "tessera: queue: cancelled $long: [0-9]* of 512 shards stored" drain.err || { cat drain.err; fail "no cancel line"; }
[[ $(state_of "$bad") == failed ]] || fail "the bad ELF request is $(state_of "$bad")"
reason=$(field_of "$bad" reason)
[[ $reason == "bad ELF: "* ]] || fail "the bad ELF's reason is '$reason'"
grep -q "tessera: queue: failed $bad: bad ELF: " drain.err || { cat drain.err; fail "no failure line for the bad ELF"; }

for id in "${!ARGS[@]}"; do
  [[ $(state_of "$id") == done ]] || fail "$id is $(state_of "$id")"
  # shellcheck disable=SC2086
  same_as_alone "$id" ${ARGS[$id]}
done
if [[ -n $guest ]]; then
  [[ $(state_of "$guest") == done ]] || fail "the guest is $(state_of "$guest"): $(field_of "$guest" reason)"
  same_as_alone "$guest" --elf "$GUESTS/fibonacci.elf" --input "$WORK/fib500.input" \
    --keep-input --shard-cycles 1024 --config test
  [[ ! -e $Q/inputs/$guest ]] || fail "the private input of a done request was kept"
  h5dump -d /request/blobs/input "$Q/results/$guest.h5" | grep -q "244, 1, 0, 0" ||
    fail "--keep-input: the artifact does not record the input"
fi
[[ ! -e $Q/inputs/$bad/input ]] || fail "inputs of a failed request changed"

# The summary, the status and the metrics agree.
done_n=$(count done)
[[ $(json drain.json "d['totals']['done']") == "$done_n" ]] || fail "summary and status disagree"
[[ $(json drain.json "d['ranks']") == "$NP" ]] || fail "the drain ran on the wrong number of ranks"
grep -q "^tessera_queue_requests{.*state=\"done\"} $done_n\$" "$WORK/tessera.prom" ||
  { cat "$WORK/tessera.prom"; fail "metrics do not count $done_n done"; }
grep -q '^tessera_request_latency_seconds_count{.*} '"$done_n"'$' "$WORK/tessera.prom" ||
  fail "no latency histogram"
echo "PASS ($NP ranks): $done_n done equal to proving alone, bad ELF failed, long request cancelled while running"

#!/usr/bin/env bash
# The queue's commands on bad input (label unit): one line and the right exit code each; status,
# cancel and retry on a small queue; `estimate` sizes a chain and stores a calibration.
TESSERA=$1
source "$(dirname "$0")/queue_lib.sh"
expect_rc 2 "$TESSERA" queue
one_error_line "needs a command: submit, status, cancel, retry, drain"
expect_rc 2 "$TESSERA" queue frobnicate "$Q"
one_error_line "unknown queue command 'frobnicate'"
expect_rc 0 "$TESSERA" queue submit --help
expect_rc 2 "$TESSERA" queue submit "$Q" --elf x.elf --machine hashchain --steps 64
one_error_line "usage error: say what to prove: --elf PROGRAM.elf or --machine hashchain --steps N (not both)"
expect_rc 2 "$TESSERA" queue submit "$Q" --machine hashchain
one_error_line "needs --steps N"
expect_rc 2 "$TESSERA" queue submit "$Q" --machine hashchain --steps 64 --input x
one_error_line "--input is for --elf"
expect_rc 2 "$TESSERA" queue submit "$Q" --machine hashchain --steps 64 --keep-input
one_error_line "--keep-input is for --elf"
expect_rc 3 "$TESSERA" queue submit "$Q" --elf "$WORK/missing.elf"
one_error_line "input file error: cannot read the program"
expect_rc 10 "$TESSERA" queue submit "$Q" --machine hashchain --steps 100 --shard-steps 64 --config test
one_error_line "invalid argument: hashchain"
mkdir -p "$WORK/plain"
expect_rc 3 "$TESSERA" queue status "$WORK/plain"
one_error_line "is not a tessera queue"

a=$(submit --machine hashchain --steps 128 --shard-steps 64 --config test --name first)
b=$(submit --machine hashchain --steps 256 --shard-steps 64 --config test --priority 3)
[[ $a =~ ^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$ ]] || fail "odd request id '$a'"
[[ $(stat -c %a "$Q") == 700 ]] || fail "the queue folder is not private"
expect_rc 0 "$TESSERA" queue status "$Q"
grep -q "^queue .*: 2 queued, 0 running, 0 done, 0 failed, 0 cancelled" "$WORK/last.out" ||
  fail "status header: $(head -1 "$WORK/last.out")"
# The higher priority is listed (and claimed) first.
[[ $(grep -n "$b" "$WORK/last.out" | cut -d: -f1) -lt $(grep -n "$a" "$WORK/last.out" | cut -d: -f1) ]] ||
  fail "status does not list by priority"
grep -q "$a  *first  *queued  *0 .* 0/2" "$WORK/last.out" || { cat "$WORK/last.out"; fail "status row"; }
expect_rc 0 "$TESSERA" queue cancel "$Q" "$a"
[[ $(state_of "$a") == cancelled ]] || fail "cancel of a queued request"
expect_rc 0 "$TESSERA" queue retry "$Q" "$a"
[[ $(state_of "$a") == queued ]] || fail "retry of a cancelled request"
expect_rc 2 "$TESSERA" queue retry "$Q" "$a"
one_error_line "is queued: only a failed or cancelled request can be retried"
expect_rc 3 "$TESSERA" queue cancel "$Q" 20990101-000000-000000
one_error_line "no request 20990101-000000-000000"
expect_rc 2 "$TESSERA" queue cancel "$Q" ../etc
one_error_line "request id '../etc' may hold only"

# estimate: sizes the chain and calibrates once (stored), then reuses the calibration.
export TESSERA_CALIBRATION=$WORK/calibration.txt
expect_rc 0 "$TESSERA" estimate --machine hashchain --steps 2048 --shard-steps 64 --config test --ranks 2 --json
cp "$WORK/last.out" est1.json
[[ $(json est1.json "d['shards']") == 32 && $(json est1.json "d['cycles']") == 2048 ]] || fail "estimate size"
[[ $(json est1.json "d['calibration']['measured_now']") == True ]] || fail "no calibration measured"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['wall_seconds'] > 0 and d['rank_memory_mib'] > 1" est1.json ||
  fail "no estimate"
grep -q "^hashchain config=test shard=64 " "$TESSERA_CALIBRATION" || fail "calibration not stored"
expect_rc 0 "$TESSERA" estimate --machine hashchain --steps 4096 --shard-steps 64 --config test --ranks 2 --json
[[ $(json "$WORK/last.out" "d['calibration']['measured_now']") == False ]] || fail "calibration not reused"
# queue status uses it for the time left.
expect_rc 0 "$TESSERA" queue status "$Q" --json --calibration "$TESSERA_CALIBRATION" --ranks 2
python3 -c "import json,sys; e=json.load(open(sys.argv[1]))['estimate']; assert e['estimated']==2 and e['seconds_left']>0, e" \
  "$WORK/last.out" || fail "no time left in status"
echo "PASS: queue usage errors, status, cancel, retry, estimate"

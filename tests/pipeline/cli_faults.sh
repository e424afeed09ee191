#!/usr/bin/env bash
# A retryable failure is retried on another rank; a non-retryable one ends the run with its exit
# code and one line, keeps every proven shard, and --resume finishes the artifact.
TESSERA=$1
source "$(dirname "$0")/cli_lib.sh"
TESSERA_TEST_FAIL_SHARD=3:1 expect_rc 0 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${CHAIN[@]}" --out retry.h5 --json
cp "$WORK/last.out" retry.json
[[ $(json retry.json "d['retries']") == 1 ]] || fail "expected one retry"
failed_on=$(json retry.json "d['failures'][0]['rank']")
"$TESSERA" inspect retry.h5 --json >inspect.json
proven_on=$(json inspect.json "d['shard_table'][3]['prover_rank']")
[[ $(json inspect.json "d['shard_table'][3]['attempts']") == 2 ]] || fail "shard 3 should take 2 attempts"
[[ $failed_on != "$proven_on" ]] || fail "shard 3 was retried on rank $failed_on, which failed it"
expect_rc 0 "$TESSERA" verify retry.h5 --allow-insecure

TESSERA_TEST_FAIL_SHARD=5:fatal TESSERA_TEST_SLOW_SHARD_MS=20 \
  expect_rc 13 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${CHAIN[@]}" --out fatal.h5
one_error_line "^tessera: out of memory: shard 5 failed on rank [01]: injected non-retryable failure"
grep -q "shards are kept in 'fatal.h5'" "$WORK/last.err" || fail "the message does not say what was kept"
"$TESSERA" inspect fatal.h5 --json >fatal.json
[[ $(json fatal.json "d['shard_table'][5]['status']") == failed ]] || fail "shard 5 is not marked failed"
before=$(json fatal.json "' '.join(str(s['shard']) for s in d['shard_table'] if s['status'] == 'proven')")
[[ $(echo $before | wc -w) -ge 5 ]] || fail "shards 0-4 were not kept ($before)"
expect_rc 7 "$TESSERA" verify fatal.h5 --allow-insecure
one_error_line "^tessera: verification failed: artifact 'fatal.h5' is incomplete"

expect_rc 0 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${CHAIN[@]}" --out fatal.h5 --resume --json
cp "$WORK/last.out" resumed.json
for s in $(json resumed.json "' '.join(map(str, d['proven_shards']))"); do
  for b in $before; do [[ $s != "$b" ]] || fail "shard $s was proven again"; done
done
expect_rc 0 "$TESSERA" verify fatal.h5 --allow-insecure
content retry.h5 >a.content
content fatal.h5 >b.content
cmp -s a.content b.content || fail "the resumed artifact differs from an uninterrupted one"
echo "PASS: retry on another rank, fatal failure kept $(echo $before | wc -w) shards, resume finished"

#!/usr/bin/env bash
# SIGUSR1 to mpirun (as Slurm's batch script forwards it): the ranks finish the shards in flight,
# flush the artifact and exit 17 with one line; --resume proves only the rest.
TESSERA=$1
source "$(dirname "$0")/cli_lib.sh"
TESSERA_TEST_SLOW_SHARD_MS=250 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${CHAIN[@]}" \
  --out usr1.h5 >usr1.out 2>usr1.err &
launcher=$!
for _ in $(seq 600); do
  grep -q 'proving: [4-9]/\|proving: [1-9][0-9]/' usr1.err 2>/dev/null && break
  sleep 0.1
done
kill -USR1 "$launcher"
rc=0
wait "$launcher" || rc=$?
[[ $rc -eq 17 ]] || { cat usr1.err; fail "exit $rc after SIGUSR1, expected 17"; }
cp usr1.err "$WORK/last.err"
one_error_line "^tessera: interrupted: stopped by SIGUSR1: [0-9]* of 32 shards are stored in 'usr1.h5'"
stored=$("$TESSERA" inspect usr1.h5 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['proven'])")
[[ $stored -ge 4 && $stored -lt 32 ]] || fail "$stored shards stored"
expect_rc 0 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${CHAIN[@]}" --out usr1.h5 --resume --json
cp "$WORK/last.out" resumed.json
[[ $(json resumed.json "d['resumed']") == "$stored" && $(json resumed.json "d['proven']") == $((32 - stored)) ]] ||
  fail "resume did not prove exactly the $((32 - stored)) missing shards"
expect_rc 0 "$TESSERA" verify usr1.h5 --allow-insecure
echo "PASS: SIGUSR1 stopped the run with $stored shards stored; resume proved the rest"

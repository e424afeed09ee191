#!/usr/bin/env bash
# SIGKILL part-way, resume, compare with an uninterrupted run: byte-identical content, and the
# resumed run proves only what was not stored (no shard reported done before the kill is proven
# again).
TESSERA=$1
source "$(dirname "$0")/cli_lib.sh"
expect_rc 0 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${CHAIN[@]}" --out whole.h5

# The run to kill: slowed down so that the kill lands part-way.
TESSERA_TEST_SLOW_SHARD_MS=250 setsid "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${CHAIN[@]}" \
  --out killed.h5 >killed.out 2>killed.err &
launcher=$!
done_before=0
for _ in $(seq 600); do
  done_before=$(grep -o 'proving: [0-9]*/' killed.err 2>/dev/null | tail -1 | tr -dc 0-9 || true)
  [[ ${done_before:-0} -ge 8 ]] && break
  sleep 0.1
done
[[ ${done_before:-0} -ge 8 ]] || { cat killed.err; fail "the run did not get going"; }
ranks=$(pgrep -P "$launcher" || true)
[[ -n "$ranks" ]] || fail "no rank processes under mpirun $launcher"
kill -KILL $ranks "$launcher"
wait "$launcher" 2>/dev/null || true
echo "killed after $done_before shards were reported done"

stored=-1
if "$TESSERA" inspect killed.h5 --json >inspect.json 2>inspect.err; then
  stored=$(json inspect.json "d['proven'] + d['journal_only']")
  [[ $stored -ge $done_before ]] || fail "only $stored shards kept, $done_before were reported done"
else
  echo "the killed artifact is unreadable ($(cat inspect.err)); the journal must carry it"
fi

expect_rc 0 "${MPIRUN[@]}" -np 3 "$TESSERA" prove "${CHAIN[@]}" --out killed.h5 --resume --json
cp "$WORK/last.out" resumed.json
kept=$(json resumed.json "d['resumed'] + d['recovered']")
proven=$(json resumed.json "d['proven']")
[[ $((kept + proven)) -eq 32 ]] || fail "kept $kept + proven $proven != 32"
[[ $kept -ge $done_before ]] || fail "the resume proved shards that were done before the kill"
[[ $stored -lt 0 || $kept -eq $stored ]] || fail "resume kept $kept, the artifact held $stored"
expect_rc 0 "$TESSERA" verify killed.h5 --allow-insecure
content whole.h5 >whole.content
content killed.h5 >resumed.content
cmp -s whole.content resumed.content || { diff whole.content resumed.content | head; fail "resumed artifact differs"; }
[[ ! -e killed.h5.journal ]] || fail "the journal of a finished artifact was left behind"
echo "PASS: killed after $done_before shards, resumed with $kept kept and $proven proven, identical"

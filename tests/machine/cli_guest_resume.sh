#!/usr/bin/env bash
# Resume, interruption and bad guests for `tessera prove --elf` on MPI ranks (label mpi):
#   - SIGKILL part-way, then --resume on another rank count: the same bytes as an uninterrupted
#     run, and no shard stored before the kill is proven again;
#   - SIGUSR1 (as Slurm sends it): exit 17 with one line, --resume proves exactly the rest;
#   - a guest that traps, and one that runs past --max-cycles, on 2 ranks: one line, its exit
#     code, and no artifact that verify would accept.
#   cli_guest_resume.sh TESSERA GUEST_DIR
TESSERA=$1
GUESTS=$2
source "$(dirname "$0")/../pipeline/cli_lib.sh"
source "$(dirname "$0")/guest_inputs.sh"
[[ -f "$GUESTS/p2merkle.elf" ]] || { echo "SKIP: sample guests not built"; exit 77; }

# p2merkle on 20 leaves: 963 cycles, 16 shards of 64.
small_input p2merkle in.bin
GUEST=(--elf "$GUESTS/p2merkle.elf" --input in.bin --shard-cycles 64 --config test)
N=16
expect_rc 0 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${GUEST[@]}" --out whole.h5 --json
[[ $(json "$WORK/last.out" "d['shards']") == $N ]] || fail "expected $N shards"

# SIGKILL part-way.
TESSERA_TEST_SLOW_SHARD_MS=400 setsid "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${GUEST[@]}" \
  --out killed.h5 >killed.out 2>killed.err &
launcher=$!
done_before=0
for _ in $(seq 900); do
  done_before=$(grep -o 'proving: [0-9]*/' killed.err 2>/dev/null | tail -1 | tr -dc 0-9 || true)
  [[ ${done_before:-0} -ge 4 ]] && break
  sleep 0.1
done
[[ ${done_before:-0} -ge 4 ]] || { cat killed.err; fail "the run did not get going"; }
ranks=$(pgrep -P "$launcher" || true)
[[ -n "$ranks" ]] || fail "no rank processes under mpirun $launcher"
kill -KILL $ranks "$launcher"
wait "$launcher" 2>/dev/null || true
expect_rc 0 "${MPIRUN[@]}" -np 3 "$TESSERA" prove "${GUEST[@]}" --out killed.h5 --resume --json
cp "$WORK/last.out" resumed.json
kept=$(json resumed.json "d['resumed'] + d['recovered']")
proven=$(json resumed.json "d['proven']")
[[ $((kept + proven)) -eq $N ]] || fail "kept $kept + proven $proven != $N"
[[ $kept -ge $done_before ]] || fail "the resume proved shards that were done before the kill"
expect_rc 0 "$TESSERA" verify killed.h5 --allow-insecure
content whole.h5 >whole.content
content killed.h5 >resumed.content
cmp -s whole.content resumed.content || { diff whole.content resumed.content | head; fail "resumed artifact differs"; }
echo "killed after $done_before shards; resumed on 3 ranks with $kept kept, $proven proven, identical"

# SIGUSR1 part-way.
TESSERA_TEST_SLOW_SHARD_MS=400 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${GUEST[@]}" \
  --out usr1.h5 >usr1.out 2>usr1.err &
launcher=$!
for _ in $(seq 900); do
  grep -q 'proving: [3-9]/\|proving: [1-9][0-9]/' usr1.err 2>/dev/null && break
  sleep 0.1
done
kill -USR1 "$launcher"
rc=0
wait "$launcher" || rc=$?
[[ $rc -eq 17 ]] || { cat usr1.err; fail "exit $rc after SIGUSR1, expected 17"; }
cp usr1.err "$WORK/last.err"
one_error_line "^tessera: interrupted: stopped by SIGUSR1: [0-9]* of $N shards are stored in 'usr1.h5'"
stored=$("$TESSERA" inspect usr1.h5 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['proven'])")
[[ $stored -ge 3 && $stored -lt $N ]] || fail "$stored shards stored"
expect_rc 7 "$TESSERA" verify usr1.h5 --allow-insecure  # incomplete: verification failed
expect_rc 0 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${GUEST[@]}" --out usr1.h5 --resume --json
cp "$WORK/last.out" resumed.json
[[ $(json resumed.json "d['resumed']") == "$stored" && $(json resumed.json "d['proven']") == $((N - stored)) ]] ||
  fail "resume did not prove exactly the $((N - stored)) missing shards"
expect_rc 0 "$TESSERA" verify usr1.h5 --allow-insecure
content usr1.h5 >usr1.content
cmp -s whole.content usr1.content || fail "the interrupted and resumed artifact differs"
echo "SIGUSR1 stopped the run with $stored shards stored; resume proved the rest, identical"

# A guest that traps and one past --max-cycles, on 2 ranks.
python3 - trap.elf <<'PY'
import struct, sys
text = struct.pack("<3I", 0x00000013, 0x00000000, 0x00000073)  # nop; illegal; ecall
base = 0x10000
ehdr = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
ehdr += struct.pack("<HHIIIIIHHHHHH", 2, 243, 1, base, 52, 0, 0, 52, 32, 1, 0, 0, 0)
phdr = struct.pack("<8I", 1, 0x1000, base, base, len(text), len(text), 5, 0x1000)
open(sys.argv[1], "wb").write((ehdr + phdr).ljust(0x1000, b"\0") + text)
PY
expect_rc 5 "${MPIRUN[@]}" -np 2 "$TESSERA" prove --elf trap.elf --config test --out trap.h5
one_error_line "^tessera: guest trap: illegal instruction at pc 0x00010004"
expect_rc 6 "${MPIRUN[@]}" -np 2 "$TESSERA" prove "${GUEST[@]}" --max-cycles 500 --out long.h5
one_error_line "^tessera: cycle limit exceeded: the guest did not halt within 500 cycles"
for f in trap.h5 long.h5; do
  [[ ! -e $f ]] || ! "$TESSERA" verify "$f" --allow-insecure >/dev/null 2>&1 ||
    fail "$f is an artifact that verify accepts"
done
echo "PASS: guest resume after SIGKILL and SIGUSR1 give identical artifacts; bad guests leave nothing verifiable"

#!/usr/bin/env bash
# `tessera verify` on edited artifacts (issue 12):
#  - a guest's verified result: exit code, cycles and the public output (hex and text), text and
#    JSON; the output stored in /final/output must be the bytes the root statement proves;
#  - /final's readable copies of the root (start_state, end_state, first_shard, end_shard) and
#    its `verified` flag are checked: an edit is exit 7 with one line naming the value;
#  - a forged shard count (2^26 shards claimed by a file of ~0.5 MB) is exit 8 with one line,
#    before anything is allocated per shard: peak RSS stays under 200 MB;
#  - error lines carry no source location or check text unless --verbose / TESSERA_VERBOSE=1.
#   cli_verify_tamper.sh TESSERA ARTIFACT_EDIT
TESSERA=$1
EDIT=$2
source "$(dirname "$0")/../pipeline/cli_lib.sh"

# A tiny RV32IM guest: write(1, "hello, tessera\n"), exit(3) — 9 cycles, 3 shards of 4 cycles.
python3 - hello.elf <<'PY'
import struct, sys
msg = b"hello, tessera\n"
base = 0x10000
def addi(rd, rs1, imm): return ((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13
def lui(rd, imm20): return (imm20 << 12) | (rd << 7) | 0x37
code = [addi(10, 0, 1), lui(11, base >> 12), 0, addi(12, 0, len(msg)), addi(17, 0, 64), 0x73,
        addi(10, 0, 3), addi(17, 0, 93), 0x73]
code[2] = addi(11, 11, 4 * len(code))
text = struct.pack("<%dI" % len(code), *code) + msg
ehdr = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
ehdr += struct.pack("<HHIIIIIHHHHHH", 2, 243, 1, base, 52, 0, 0, 52, 32, 1, 0, 0, 0)
phdr = struct.pack("<8I", 1, 0x1000, base, base, len(text), len(text), 5, 0x1000)
open(sys.argv[1], "wb").write((ehdr + phdr).ljust(0x1000, b"\0") + text)
PY
expect_rc 0 "$TESSERA" prove --elf hello.elf --shard-cycles 4 --config test --out hello.h5
V=(verify --allow-insecure)

# The verified result, in text and JSON.
expect_rc 0 "$TESSERA" "${V[@]}" hello.h5
grep -q '^exit code  3$' "$WORK/last.out" || fail "verify does not print the exit code"
grep -q '^cycles     9$' "$WORK/last.out" || fail "verify does not print the cycles"
grep -q '^output     15 bytes, hex 68656c6c6f2c20746573736572610a$' "$WORK/last.out" ||
  fail "verify does not print the output in hex"
grep -q '^text       hello, tessera$' "$WORK/last.out" || fail "verify does not print the text"
expect_rc 0 "$TESSERA" "${V[@]}" hello.h5 --json
cp "$WORK/last.out" v.json
[[ $(json v.json "d['guest']['exit_code'], d['guest']['cycles'], d['guest']['output_bytes']") == "3 9 15" ]] ||
  fail "JSON exit code / cycles / output length"
[[ $(json v.json "repr(d['guest']['output']['text'])") == "'hello, tessera\\n'" ]] || fail "JSON text"
[[ $(json v.json "d['guest']['output']['hex']") == 68656c6c6f2c20746573736572610a ]] || fail "JSON hex"

# tampered NAME EDIT-ARGS... : a copy of hello.h5 edited by artifact_edit.
tampered() {
  local name=$1
  shift
  cp hello.h5 "$name.h5"
  "$EDIT" "$name.h5" "$@" || fail "artifact_edit $*"
}

# Every value a reader may take as the result is checked against the root the proofs establish.
tampered end_state set /final/end_state 9 12345
expect_rc 7 "$TESSERA" "${V[@]}" end_state.h5
one_error_line "^tessera: verification failed: artifact 'end_state.h5': /final/end_state differs from the root statement"
tampered start_state set /final/start_state 0 7
expect_rc 7 "$TESSERA" "${V[@]}" start_state.h5
one_error_line "/final/start_state differs from the root statement"
tampered end_shard set-attr /final end_shard 2
expect_rc 7 "$TESSERA" "${V[@]}" end_shard.h5
one_error_line "/final attribute end_shard differs"
tampered unverified set-attr /final verified 0
expect_rc 7 "$TESSERA" "${V[@]}" unverified.h5
one_error_line "/final attribute verified says 0"
# The output: one byte changed ('h' -> 'j') is not the proven output; JSON says why as well.
tampered output set /final/output 0 106
expect_rc 7 "$TESSERA" "${V[@]}" output.h5
one_error_line "^tessera: verification failed: artifact 'output.h5': /final/output (15 bytes, digest [0-9a-f]*) is not the output the proofs establish (15 bytes, digest 46de2659"
expect_rc 7 "$TESSERA" "${V[@]}" output.h5 --json
[[ $(json "$WORK/last.out" "d['verified'], d['error']['exit_code']") == "False 7" ]] || fail "JSON error"
# Without /final/output (an artifact from before it was recorded) the output is not printed.
tampered no_output drop /final/output
expect_rc 0 "$TESSERA" "${V[@]}" no_output.h5
grep -q '^output     15 bytes, not recorded in this artifact' "$WORK/last.out" || fail "no output line"
grep -q '^text' "$WORK/last.out" && fail "an unrecorded output printed as text"

# A forged shard count: the request and its fingerprint claim 2^26 shards, the /shards tables
# claim 2^26 entries that the file does not hold. Refused before any per-shard allocation.
tampered forged claim-shards 67108864
[[ $(stat -c %s forged.h5) -lt 2000000 ]] || fail "the forged file is not small"
for v in "" --verbose; do
  expect_rc 8 /usr/bin/time -v -o rss.txt "$TESSERA" $v "${V[@]}" forged.h5
  one_error_line "^tessera: malformed data: damaged artifact: the request claims 67108864 shards but /shards/status stores only 0 bytes"
  rss_kb=$(awk -F: '/Maximum resident set size/ {print $2 + 0}' rss.txt)
  [[ -n $rss_kb && $rss_kb -lt 200000 ]] || fail "verify of a forged shard count peaked at ${rss_kb} KB"
  if [[ -z $v ]]; then
    grep -Eq 'failed at|\.cpp|\.hpp|<=|==' "$WORK/last.err" && fail "a user's error line names the check: $(cat "$WORK/last.err")"
  else
    grep -q 'failed at .*artifact\.cpp:[0-9]' "$WORK/last.err" || fail "--verbose does not add the check's location"
  fi
done
TESSERA_VERBOSE=1 expect_rc 8 "$TESSERA" "${V[@]}" forged.h5
grep -q 'failed at .*artifact\.cpp:[0-9]' "$WORK/last.err" || fail "TESSERA_VERBOSE=1 does not add the check's location"
expect_rc 8 "$TESSERA" inspect forged.h5
one_error_line "^tessera: malformed data: damaged artifact: the request claims 67108864 shards"

# The same forgery on a hash chain (its shard count is steps / shard_steps).
expect_rc 0 "$TESSERA" prove "${CHAIN[@]}" --out chain.h5
cp chain.h5 chain_forged.h5
"$EDIT" chain_forged.h5 claim-shards 67108864 || fail "artifact_edit claim-shards on a chain"
expect_rc 8 /usr/bin/time -v -o rss.txt "$TESSERA" "${V[@]}" chain_forged.h5
one_error_line "the request claims 67108864 shards but /shards/status stores only 0 bytes"
rss_kb=$(awk -F: '/Maximum resident set size/ {print $2 + 0}' rss.txt)
[[ $rss_kb -lt 200000 ]] || fail "verify of a forged hash chain peaked at ${rss_kb} KB"
expect_rc 0 "$TESSERA" "${V[@]}" chain.h5 --json
[[ $(json "$WORK/last.out" "d['guest']") == None ]] || fail "a hash chain reports a guest"

echo "PASS: verify checks /final's values and the guest's output, refuses a forged shard count in bounded memory, error lines without source locations"

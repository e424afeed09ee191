#!/usr/bin/env bash
# `tessera prove --elf` and `tessera verify` on a guest program in one process: the artifact alone
# verifies (the ELF travels in it), the proof is of this program and this output, and bad input is
# one line with its exit code, leaving nothing that verify would accept.
#   cli_rv32im.sh TESSERA GUEST_DIR
TESSERA=$1
GUESTS=$2
source "$(dirname "$0")/../pipeline/cli_lib.sh"
[[ -f "$GUESTS/sha256.elf" ]] || { echo "SKIP: sample guests not built"; exit 77; }

# sha256 of 100 bytes: about 11 000 cycles, 3 shards of 4096 cycles.
python3 -c "import sys; sys.stdout.buffer.write(bytes((i * 37 + 11) % 256 for i in range(100)))" >in.bin
GUEST=(--elf "$GUESTS/sha256.elf" --input in.bin --shard-cycles 4096 --config test)
expect_rc 0 "$TESSERA" prove "${GUEST[@]}" --out sha.h5 --json
cp "$WORK/last.out" prove.json
[[ $(json prove.json "d['machine']") == rv32im ]] || fail "not an rv32im artifact"
[[ $(json prove.json "d['verified']") == True ]] || fail "the run did not verify its root"
[[ $(json prove.json "d['shards']") -ge 3 ]] || fail "expected several shards"
expect_rc 0 "$TESSERA" verify sha.h5 --allow-insecure
expect_rc 0 "$TESSERA" inspect sha.h5

# --debug-check checks every witness before proving it; the artifact's content is the same.
expect_rc 0 "$TESSERA" prove "${GUEST[@]}" --debug-check --out debug.h5
content sha.h5 >sha.content
content debug.h5 >debug.content
cmp -s sha.content debug.content || fail "--debug-check changed the artifact's content"

# The executor's output digest is the statement's.
expect_rc 0 "$TESSERA" execute "$GUESTS/sha256.elf" --input in.bin --json
out_digest=$(json "$WORK/last.out" "d['output_digest']")
expect_rc 0 "$TESSERA" verify sha.h5 --allow-insecure --json
grep -q "$out_digest" "$WORK/last.out" || fail "verify does not report the executor's output digest"

# The private input is in the artifact only with --keep-input.
h5ls -r sha.h5 | grep -q '^/request/blobs/elf' || fail "the ELF is not recorded"
! h5ls -r sha.h5 | grep -q '^/request/blobs/input' || fail "the private input was recorded without --keep-input"
expect_rc 0 "$TESSERA" prove "${GUEST[@]}" --keep-input --out kept.h5
h5ls -r kept.h5 | grep -q '^/request/blobs/input' || fail "--keep-input did not record the input"
expect_rc 0 "$TESSERA" verify kept.h5 --allow-insecure

# Bad input: one line, its exit code, no artifact.
expect_rc 3 "$TESSERA" prove --elf "$GUESTS/missing.elf" --config test --out x.h5
one_error_line "^tessera: input file error: cannot open program"
expect_rc 3 "$TESSERA" prove --elf "$GUESTS/sha256.elf" --input no-such-input --config test --out x.h5
one_error_line "^tessera: input file error: "
printf 'not an elf' >bad.elf
expect_rc 4 "$TESSERA" prove --elf bad.elf --config test --out x.h5
one_error_line "^tessera: bad ELF: "
expect_rc 6 "$TESSERA" prove "${GUEST[@]}" --max-cycles 1000 --out x.h5
one_error_line "^tessera: cycle limit exceeded: the guest did not halt within 1000 cycles"
# A guest that traps: an RV32IM ELF whose first instruction is illegal.
python3 - trap.elf <<'PY'
import struct, sys
text = struct.pack("<3I", 0x00000013, 0x00000000, 0x00000073)  # nop; illegal; ecall
base = 0x10000
ehdr = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
ehdr += struct.pack("<HHIIIIIHHHHHH", 2, 243, 1, base, 52, 0, 0, 52, 32, 1, 0, 0, 0)
phdr = struct.pack("<8I", 1, 0x1000, base, base, len(text), len(text), 5, 0x1000)
blob = (ehdr + phdr).ljust(0x1000, b"\0") + text
open(sys.argv[1], "wb").write(blob)
PY
expect_rc 5 "$TESSERA" prove --elf trap.elf --config test --out x.h5
one_error_line "^tessera: guest trap: illegal instruction at pc 0x00010004"
expect_rc 2 "$TESSERA" prove --elf "$GUESTS/sha256.elf" --machine hashchain --out x.h5
one_error_line "^tessera: usage error: --elf proves a guest program"
expect_rc 10 "$TESSERA" prove --elf "$GUESTS/sha256.elf" --shard-cycles 1000 --config test --out x.h5
one_error_line "^tessera: invalid argument: rv32im: --shard-cycles 1000 must be a power of two"
[[ ! -e x.h5 ]] || fail "a refused run created its output"

echo "PASS: rv32im prove/verify in one process, bad input gives one line and its exit code"

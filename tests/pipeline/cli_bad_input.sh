#!/usr/bin/env bash
# Bad input is one line with a distinct exit code, and nothing already proven is lost.
TESSERA=$1
source "$(dirname "$0")/cli_lib.sh"
SMALL=(--machine hashchain --steps 256 --shard-steps 64 --seed 7 --config test)
expect_rc 0 "$TESSERA" prove "${SMALL[@]}" --out good.h5

expect_rc 3 "$TESSERA" verify missing.h5
one_error_line "^tessera: input file error: artifact 'missing.h5' does not exist"
expect_rc 3 "$TESSERA" inspect missing.h5
printf 'not an artifact\n' >text.h5
expect_rc 8 "$TESSERA" verify text.h5
one_error_line "^tessera: malformed data: artifact 'text.h5' is not a readable HDF5 file"
head -c $(($(stat -c %s good.h5) / 2)) good.h5 >cut.h5
expect_rc 8 "$TESSERA" verify cut.h5 --allow-insecure
one_error_line "^tessera: malformed data: artifact 'cut.h5'"
expect_rc 8 "$TESSERA" inspect cut.h5
one_error_line "^tessera: malformed data: artifact 'cut.h5'"

# A flipped byte inside shard 1's proof: the stored checksum catches it.
cp good.h5 flipped.h5
h5dump -d /shards/proofs -s 20000 -c 32 -b LE -o probe.bin good.h5 >/dev/null
python3 - flipped.h5 probe.bin <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
probe = open(sys.argv[2], 'rb').read()
at = data.find(probe)
assert at >= 0 and data.find(probe, at + 1) < 0, "probe bytes not unique in the file"
data[at + 5] ^= 0x10
open(sys.argv[1], 'wb').write(data)
PY
expect_rc 8 "$TESSERA" verify flipped.h5 --allow-insecure
one_error_line "proof bytes do not match their checksum"

expect_rc 9 "$TESSERA" verify good.h5
one_error_line "^tessera: configuration mismatch: .*insecure 'test' configuration; pass --allow-insecure"
expect_rc 0 "$TESSERA" verify good.h5 --allow-insecure

expect_rc 3 "$TESSERA" prove "${SMALL[@]}" --out good.h5
one_error_line "already exists (use --resume to continue it or --force to overwrite it)"
expect_rc 9 "$TESSERA" prove --machine hashchain --steps 256 --shard-steps 64 --seed 8 --config test --out good.h5 --resume
one_error_line "^tessera: configuration mismatch: cannot resume 'good.h5'"
expect_rc 0 "$TESSERA" verify good.h5 --allow-insecure  # refused runs touched nothing
expect_rc 0 "$TESSERA" prove "${SMALL[@]}" --out good.h5 --force

expect_rc 10 "$TESSERA" prove --machine hashchain --steps 256 --shard-steps 48 --config test --out other.h5
one_error_line "^tessera: invalid argument: .*not a power of two"
expect_rc 2 "$TESSERA" prove "${SMALL[@]}" --out other.h5 --resume --force
one_error_line "^tessera: usage error: --resume and --force exclude each other"
expect_rc 2 "$TESSERA" prove --machine rv32im --steps 4 --out other.h5
one_error_line "^tessera: usage error: --machine rv32im needs --elf PROGRAM.elf"
[[ ! -e other.h5 ]] || fail "a refused run created its output"
echo "PASS: bad input gives one line and a distinct exit code"

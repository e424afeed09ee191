#!/usr/bin/env bash
# `make demo`: a RISC-V guest program proven on two local MPI ranks with the embedded defaults.
# The sample guest sha256 hashes the sample input (24 KiB, about 2 M cycles): `tessera prove --elf`
# executes it, cuts the run into shards of 2^20 cycles and proves them at the `core` configuration
# on 2 ranks into an HDF5 artifact; `tessera verify` checks that artifact alone, in one process,
# and prints the proven result (exit code, cycles, public output checked against the root). The same program then runs under qemu-riscv32 (an executor nobody
# on the team wrote), and sha256sum hashes the same file: the three outputs must agree.
set -euo pipefail
build=${1:-build}
tessera="$build/src/cli/tessera"
guest="$build/inputs/sha256.elf"
input=inputs/data/sha256.input
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --oversubscribe --allow-run-as-root --bind-to none)
out=${DEMO_OUT:-$build/demo/sha256.h5}
mkdir -p "$(dirname "$out")"
[[ -f $guest ]] || { echo "demo: $guest was not built (the RISC-V toolchain is missing?)" >&2; exit 1; }

"$tessera" --version
echo "== two MPI ranks: host, node-local rank and bound device =="
"${mpirun[@]}" -np 2 "$tessera" ranks
echo "== execute the guest: cycles and shards =="
"$tessera" execute "$guest" --input "$input" --shard-cycles $((1 << 20)) | sed -n '1,9p'
echo "== prove sha256 of $input on 2 ranks =="
"${mpirun[@]}" -np 2 "$tessera" prove --elf "$guest" --input "$input" --out "$out" --force
echo "== verify the artifact alone, in one process (the ELF travels in it) =="
"$tessera" verify "$out"
echo "== the proven output beside qemu-riscv32 and sha256sum =="
proven=$("$tessera" verify "$out" --json |
  python3 -c "import json,sys; print(json.load(sys.stdin)['guest']['output']['hex'])")
echo "tessera (proven)  $proven"
if command -v qemu-riscv32 >/dev/null; then
  echo "qemu-riscv32      $(qemu-riscv32 "$guest" <"$input" | od -An -v -tx1 | tr -d ' \n')"
fi
echo "sha256sum         $(sha256sum "$input" | cut -d' ' -f1)"

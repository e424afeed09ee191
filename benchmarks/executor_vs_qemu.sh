#!/usr/bin/env bash
# Whole-program comparison: `tessera execute` against qemu-riscv32 on the same guest ELFs and
# inputs, both as whole processes (start-up included), best of REPS runs each. Also reports
# qemu's start-up alone (fibonacci with n = 0) and the in-process executor speed that
# `tessera execute` measures itself (instruction mix counting on).
#
#   benchmarks/executor_vs_qemu.sh [BUILD_DIR] [REPS]      (default: build 5)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
reps=${2:-5}
tessera=$build/src/cli/tessera
guests=$build/inputs
data=$root/inputs/data
qemu=$(command -v qemu-riscv32 || true)

[[ -x $tessera ]] || { echo "no $tessera (build the 'tessera' target)" >&2; exit 1; }
[[ -f $guests/fibonacci.elf ]] || { echo "no guests in $guests (build 'tessera_guests')" >&2; exit 1; }
[[ -n $qemu ]] || { echo "qemu-riscv32 not found (Debian: apt install qemu-user)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best_ms CMD...: the smallest wall time in milliseconds over $reps runs.
best_ms() {
  local best=""
  for _ in $(seq "$reps"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000 ))
    if [[ -z $best || $ms -lt $best ]]; then best=$ms; fi
  done
  awk -v us="$best" 'BEGIN { printf "%.2f", us / 1000 }'
}

printf '\0\0\0\0' > "$tmp/zero.input"
startup=$(best_ms sh -c "'$qemu' '$guests/fibonacci.elf' < '$tmp/zero.input'")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1 /proc/loadavg)"
echo "qemu-riscv32 start-up (fibonacci, n = 0): $startup ms; best of $reps runs"
echo
echo "| guest | cycles | tessera in-process MIPS | tessera process ms | qemu process ms | qemu minus start-up ms | qemu / tessera (process) | qemu net / tessera in-process |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for g in fibonacci sha256 keccak sort bigmul interp; do
  elf=$guests/$g.elf
  input=$data/$g.input
  "$tessera" execute "$elf" --input "$input" --json > "$tmp/$g.json"
  read -r cycles mips seconds < <(python3 -c "
import json; d = json.load(open('$tmp/$g.json')); print(d['cycles'], round(d['mips'], 1), d['seconds'])")
  t_ms=$(best_ms "$tessera" execute "$elf" --input "$input")
  q_ms=$(best_ms sh -c "'$qemu' '$elf' < '$input'")
  awk -v g="$g" -v c="$cycles" -v m="$mips" -v t="$t_ms" -v q="$q_ms" -v s="$startup" -v sec="$seconds" 'BEGIN {
    net = q - s; if (net < 0) net = 0;
    printf "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1fx | %.1fx |\n", g, c, m, t, q, net, q / t, net / (sec * 1000)
  }'
done

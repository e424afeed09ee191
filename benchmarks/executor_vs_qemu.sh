#!/usr/bin/env bash
# Whole-program comparison of `tessera execute` and qemu-riscv32 on the same guest ELFs and inputs:
# the six sample guests and two scaled workloads (fibonacci n = 2*10^7, SHA-256 of 4 MiB) that show
# steady-state speed once start-up no longer dominates. Each process runs REPS times; the table
# gives the best CPU time (user + sys of the child, from wait4) and the best wall time, plus
#   - qemu's start-up cost alone (fibonacci with n = 0), subtracted for "qemu net",
#   - the executor's own in-process speed as `tessera execute --json` measures it (CPU time of
#     the executing thread, instruction mix counting on).
# CPU time is the fair figure on a shared machine; wall time is shown for completeness.
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

python3 - "$tmp" <<'EOF'
import struct, sys
tmp = sys.argv[1]
open(f"{tmp}/zero.input", "wb").write(struct.pack("<I", 0))
open(f"{tmp}/fibonacci_20M.input", "wb").write(struct.pack("<I", 20_000_000))
x, out = 0x9E3779B97F4A7C15, bytearray()
while len(out) < 4 << 20:
    x = (x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
    out += struct.pack("<Q", x)
open(f"{tmp}/sha256_4MiB.input", "wb").write(out[: 4 << 20])
EOF

# measure STDIN CMD...: "best_cpu_ms best_wall_ms" over $reps runs (stdout discarded).
measure() {
  python3 - "$reps" "$@" <<'EOF'
import os, subprocess, sys, time
reps, stdin, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
best_cpu = best_wall = float("inf")
for _ in range(reps):
    with open(stdin, "rb") as f:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd} failed with status {status}")
    best_cpu = min(best_cpu, ru.ru_utime + ru.ru_stime)
    best_wall = min(best_wall, wall)
print(f"{best_cpu * 1e3:.1f} {best_wall * 1e3:.1f}")
EOF
}

# qemu's fixed cost, measured with three times the repetitions (it is subtracted from others).
startup() { reps=$((3 * reps)) measure "$tmp/zero.input" "$qemu" "$guests/fibonacci.elf"; }
read -r start_cpu start_wall < <(startup)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1 /proc/loadavg)"
echo "qemu-riscv32 start-up (fibonacci, n = 0): $start_cpu ms CPU, $start_wall ms wall (best of $((3 * reps))); other rows best of $reps runs"
echo
echo "| workload | cycles | tessera in-process MIPS (CPU) | tessera process ms CPU (wall) | qemu process ms CPU (wall) | process CPU qemu / tessera | qemu net ms CPU | qemu net MIPS | tessera in-process / qemu net |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for w in fibonacci sha256 keccak sort bigmul interp fibonacci_20M sha256_4MiB; do
  g=${w%%_*}
  elf=$guests/$g.elf
  input=$data/$w.input
  [[ -f $input ]] || input=$tmp/$w.input
  "$tessera" execute "$elf" --input "$input" --json > "$tmp/$w.json" 2>/dev/null
  read -r cycles cpu_s < <(python3 -c "
import json; d = json.load(open('$tmp/$w.json')); print(d['cycles'], d['cpu_seconds'])")
  read -r t_cpu t_wall < <(measure "$input" "$tessera" execute "$elf" --input "$input")
  read -r q_cpu q_wall < <(measure "$input" "$qemu" "$elf")
  awk -v w="$w" -v c="$cycles" -v s="$cpu_s" -v tc="$t_cpu" -v tw="$t_wall" -v qc="$q_cpu" -v qw="$q_wall" \
      -v sc="$start_cpu" 'BEGIN {
    printf "| %s | %d | %.0f | %.1f (%.1f) | %.1f (%.1f) | %.2f |", w, c, c / s / 1e6, tc, tw, qc, qw, qc / tc
    # qemu net of start-up only where the run is long enough for the difference to mean something.
    net = qc - sc
    if (net > 10) printf " %.1f | %.0f | %.1fx |\n", net, c / net / 1e3, (s * 1e3) / net
    else printf " - | - | - |\n"
  }'
done

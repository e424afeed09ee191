#!/usr/bin/env bash
# Strong scaling of the distributed prover: the same hash chain, or the same guest program run,
# proven on 1, 2, ... ranks.
# Reports wall time, speedup and parallel efficiency against the smallest rank count, and the
# time split (execute, scatter, prove, tree, I/O; seconds, the maximum over ranks — tree and I/O
# run beside proving) and the tail: the time from the last proof to the end, i.e. the tree and
# I/O the run actually waited for, and its share of wall time.
#
#   benchmarks/scaling.sh [BUILD]                 # defaults below
#   RANKS="1 2 4 8 16" STEPS=65536 SHARD_STEPS=1024 CONFIG=core REPEATS=3 benchmarks/scaling.sh build
#   APPEND_RESULTS=1 benchmarks/scaling.sh build  # also appends the table to benchmarks/RESULTS.md
#   THREADS=1 benchmarks/scaling.sh build         # OpenMP threads per rank fixed (OMP_NUM_THREADS)
#   ELF=build/inputs/sha256.elf INPUT=inputs/data/sha256.input SHARD_CYCLES=131072 \
#     benchmarks/scaling.sh build                 # a guest program instead (tessera prove --elf);
#                                                 # the table then has its proving rate in cycles/s
#
# Wall time is the pipeline's own (rank 0, from setup to the closed artifact; MPI start-up and
# process launch excluded) and the median of REPEATS runs. By default each rank gets
# cores/ranks OpenMP threads (the pipeline's default), so 1 rank uses every core too: the
# speedup of the distributed pipeline over the multithreaded single-process prover. With
# THREADS=t every rank has t threads: ranks are then the unit of parallelism (as GPUs are).
set -euo pipefail
build=${1:-build}
tessera=$build/src/cli/tessera
ranks_list=${RANKS:-"1 2"}
steps=${STEPS:-65536}
shard_steps=${SHARD_STEPS:-1024}
config=${CONFIG:-core}
repeats=${REPEATS:-3}
backend=${BACKEND:-auto}
threads=${THREADS:-}
elf=${ELF:-}
input=${INPUT:-}
shard_cycles=${SHARD_CYCLES:-1048576}
if [[ -n $elf ]]; then
  what=(--elf "$elf" --shard-cycles "$shard_cycles")
  [[ -n $input ]] && what+=(--input "$input")
else
  what=(--machine hashchain --steps "$steps" --shard-steps "$shard_steps")
fi
[[ -n $threads ]] && export OMP_NUM_THREADS=$threads
[[ -x $tessera ]] || { echo "no tessera at $tessera (build first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed to read the JSON summaries" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 TESSERA_PROGRESS=off
work=$(mktemp -d /tmp/tessera-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT

for np in $ranks_list; do
  for rep in $(seq "$repeats"); do
    mpirun --oversubscribe --allow-run-as-root --bind-to none -np "$np" "$tessera" prove \
      "${what[@]}" --config "$config" \
      --backend "$backend" --out "$work/chain.h5" --force --json >"$work/np$np.rep$rep.json"
  done
done

table=$(python3 - "$work" "$repeats" $ranks_list "$(basename "${elf:-chain}")" <<'PY'
import json, statistics, sys
work, repeats, ranks = sys.argv[1], int(sys.argv[2]), [int(r) for r in sys.argv[3:-1]]
rows = []
for np in ranks:
    runs = [json.load(open(f"{work}/np{np}.rep{k}.json")) for k in range(1, repeats + 1)]
    for r in runs:
        assert r["verified"], f"a run on {np} ranks did not verify"
    runs.sort(key=lambda r: r["wall_seconds"])
    med = runs[len(runs) // 2]
    phases = med["timings"]["phases"]
    worst = {p: max(rank[i] for rank in med["timings"]["seconds"]) for i, p in enumerate(phases)}
    rows.append((np, med, worst, [r["wall_seconds"] for r in runs]))
base_np, base, _, _ = rows[0]
t1 = base["wall_seconds"]
shards = base["shards"]
params = base["parameters"]
guest = base["machine"] == "rv32im"
cycles = 0
if guest:  # the guest's cycle count, from the root statement (rv32im state: cycle = [9] + [10] * 2^24)
    cycles = base["root"]["end_state"][9] + (base["root"]["end_state"][10] << 24)
rate_head, rate_rule = (" cycles/s |", " --- |") if guest else ("", "")
print(f"| ranks | wall s (median of {repeats}) | speedup | efficiency | busy |{rate_head} execute | scatter | prove | tree | I/O | tail | tail % |")
print(f"| --- | --- | --- | --- | --- |{rate_rule} --- | --- | --- | --- | --- | --- | --- |")
for np, med, w, walls in rows:
    t = med["wall_seconds"]
    speedup = t1 / t
    eff = speedup / (np / base_np)
    # The share of the ranks' time their workers spent proving or computing tree nodes: what the
    # pipeline kept busy. Efficiency below it is the hardware (cores slowing each other down).
    secs = med["timings"]["seconds"]
    ip, it, itot = (med["timings"]["phases"].index(p) for p in ("prove", "tree", "total"))
    busy = sum(r[ip] + r[it] for r in secs) / sum(r[itot] for r in secs)
    rate = f" {cycles / t:,.0f} |" if guest else ""
    print(f"| {np} | {t:.2f} ({min(walls):.2f}–{max(walls):.2f}) | {speedup:.2f} | {100 * eff:.0f} % | {100 * busy:.0f} % |{rate} "
          f"{w['execute']:.3f} | {w['scatter']:.3f} | {w['prove']:.2f} | {w['tree']:.3f} | {w['io']:.3f} | "
          f"{med['tail_seconds']:.3f} | {100 * med['tail_seconds'] / t:.1f} % |")
print()
what = (f"{shards} shards of {params['shard_cycles']} cycles, {cycles} cycles of {sys.argv[-1]}" if guest
        else f"{shards} shards, {params['steps']} steps")
print(f"{what}, backend {base['backend']}; "
      f"busy: share of the ranks' time their workers spent proving or computing tree nodes; "
      f"phase columns: seconds, maximum over ranks (tree and I/O run beside proving); tail: seconds "
      f"from the last proof to the end (the tree and I/O the run waited for), and its share of wall.")
PY
)
machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(getconf _NPROCESSORS_ONLN) cores"
if [[ -n $elf ]]; then
  command="${threads:+THREADS=$threads }ELF=$elf INPUT=$input SHARD_CYCLES=$shard_cycles RANKS=\"$ranks_list\" CONFIG=$config REPEATS=$repeats benchmarks/scaling.sh $build"
else
  command="${threads:+THREADS=$threads }RANKS=\"$ranks_list\" STEPS=$steps SHARD_STEPS=$shard_steps CONFIG=$config REPEATS=$repeats benchmarks/scaling.sh $build"
fi
echo "machine: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: $command"
echo
echo "$table"

if [[ ${APPEND_RESULTS:-0} == 1 ]]; then
  results=$(dirname "$0")/RESULTS.md
  if ! grep -q '^## Distributed pipeline' "$results"; then
    {
      echo
      echo "## Distributed pipeline: strong scaling (issue 6)"
      echo
      echo "\`benchmarks/scaling.sh\` proves one fixed hash chain on 1, 2, ... ranks (\`mpirun\`, each rank"
      echo "with cores/ranks OpenMP threads) and reports the pipeline's wall time (median of the"
      echo "repetitions), speedup and parallel efficiency against the smallest rank count, and the time"
      echo "split per phase (maximum over ranks). Target: efficiency >= 90 % at 16 ranks for 64 shards;"
      echo "I/O and reduction tree together under 5 % of wall time."
    } >>"$results"
  fi
  {
    echo
    echo "### Strong scaling, $(date -u +%Y-%m-%d) ($machine; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
    echo
    echo "Command: \`$command\` (commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown))."
    echo
    echo "$table"
  } >>"$results"
  echo "appended to $results"
fi

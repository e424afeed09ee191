#!/usr/bin/env bash
# The queue benchmark (issue 13): a queue of 20 small hash-chain requests (2-8 shards each) drained
# on RANKS ranks, against proving each request alone with `tessera prove` on the same ranks.
# Reports, as medians over REPEATS runs (a fresh queue each time):
#   drain wall   the drain's own wall time (rank 0's loop; process start-up excluded)
#   alone sum    the sum of the 20 `tessera prove` wall times (pipeline wall, as scaling.sh)
#   prove / R    the proving work — every rank's prove phase over every request, as the drain
#                measured it (and as the runs alone did) — divided by the ranks: the time a
#                perfect schedule would need; (prove + tree) / R adds the reduction tree's
#                verifications, which are part of proving every request
#   wall / ...   drain wall over those   (target <= 1.1)
#   busy         the share of the ranks' time their workers spent proving, journaling or
#                computing tree nodes during the drain (target >= 90 %)
#
#   benchmarks/queue.sh [BUILD]
#   RANKS=2 SHARD_STEPS=4096 CONFIG=core REPEATS=3 benchmarks/queue.sh build
#   APPEND_RESULTS=1 benchmarks/queue.sh build   # also appends the table to benchmarks/RESULTS.md
set -euo pipefail
build=${1:-build}
tessera=$build/src/cli/tessera
ranks=${RANKS:-2}
shard_steps=${SHARD_STEPS:-4096}
config=${CONFIG:-core}
repeats=${REPEATS:-3}
requests=${REQUESTS:-20}
[[ -x $tessera ]] || { echo "no tessera at $tessera (build first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed to read the JSON summaries" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 TESSERA_PROGRESS=off
mpirun=(mpirun --oversubscribe --allow-run-as-root --bind-to none -np "$ranks")
work=$(mktemp -d /tmp/tessera-queue-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Request i has 2 + (3 i mod 7) shards: every size from 2 to 8, 100 shards in all for 20.
shards_of() { echo $((2 + (3 * $1) % 7)); }
for rep in $(seq "$repeats"); do
  q=$work/q$rep
  for i in $(seq "$requests"); do
    "$tessera" queue submit "$q" --machine hashchain --steps $(($(shards_of "$i") * shard_steps)) \
      --shard-steps "$shard_steps" --seed "$i" --config "$config" >/dev/null
  done
  "${mpirun[@]}" "$tessera" queue drain "$q" --json >"$work/drain$rep.json" 2>"$work/drain$rep.err"
  for i in $(seq "$requests"); do
    "${mpirun[@]}" "$tessera" prove --machine hashchain --steps $(($(shards_of "$i") * shard_steps)) \
      --shard-steps "$shard_steps" --seed "$i" --config "$config" --out "$work/alone.h5" --force \
      --json >"$work/alone$rep.$i.json"
  done
done

table=$(python3 - "$work" "$repeats" "$requests" "$ranks" <<'PY'
import json, statistics, sys
work, repeats, requests, ranks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = []
def phase(a, name):  # a phase summed over ranks, from a `tessera prove --json` summary
    i = a["timings"]["phases"].index(name)
    return sum(row[i] for row in a["timings"]["seconds"])
for rep in range(1, repeats + 1):
    d = json.load(open(f"{work}/drain{rep}.json"))
    assert d["totals"]["done"] == requests, d["totals"]
    assert all(r["verified"] for r in d["requests"])
    alone = [json.load(open(f"{work}/alone{rep}.{i}.json")) for i in range(1, requests + 1)]
    assert all(a["verified"] for a in alone)
    prove = sum(r["prove_seconds"] for r in d["requests"])
    tree = sum(r["tree_seconds"] for r in d["requests"])
    rows.append(dict(wall=d["wall_seconds"], alone=sum(a["wall_seconds"] for a in alone),
                     prove=prove / ranks, work=(prove + tree) / ranks,
                     alone_prove=sum(phase(a, "prove") for a in alone) / ranks,
                     busy=d["busy_share"], shards=sum(r["shards"] for r in d["requests"])))
for r in rows:
    r["ratio_prove"], r["ratio_work"] = r["wall"] / r["prove"], r["wall"] / r["work"]
med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
print("| ranks | requests | shards | drain wall s | alone sum s | prove / R s | (prove + tree) / R s | prove / R s, alone | wall / (prove / R) | wall / ((prove + tree) / R) | busy |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
print(f"| {ranks} | {requests} | {rows[0]['shards']} | {med['wall']:.2f} ({min(r['wall'] for r in rows):.2f}–{max(r['wall'] for r in rows):.2f}) | "
      f"{med['alone']:.2f} | {med['prove']:.2f} | {med['work']:.2f} | {med['alone_prove']:.2f} | "
      f"{med['ratio_prove']:.3f} | {med['ratio_work']:.3f} | {100 * med['busy']:.1f} % |")
print()
print(f"Medians of {repeats} runs (drain wall: range in brackets). Each run: a fresh queue drained by one "
      f"`queue drain`, then every request proven alone by `tessera prove` on the same ranks. prove / R: "
      f"every rank's prove phase over every request, divided by the ranks (tree: the reduction tree's "
      f"verifications, which every request needs too), as measured in the drain and in the runs alone. "
      f"busy: the share of the ranks' time their workers spent proving, journaling or on tree nodes.")
PY
)
machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(getconf _NPROCESSORS_ONLN) cores"
command="RANKS=$ranks SHARD_STEPS=$shard_steps CONFIG=$config REPEATS=$repeats benchmarks/queue.sh $build"
echo "machine: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: $command"
echo
echo "$table"

if [[ ${APPEND_RESULTS:-0} == 1 ]]; then
  results=$(dirname "$0")/RESULTS.md
  if ! grep -q '^## Request queue' "$results"; then
    {
      echo
      echo "## Request queue: batch proving (issue 13)"
      echo
      echo "\`benchmarks/queue.sh\` drains a queue of 20 small hash-chain requests (2–8 shards each) on"
      echo "2 ranks and proves the same requests one by one with \`tessera prove\`. Target: ranks busy"
      echo ">= 90 % of the drain; drain wall <= 1.1 x (proving work / ranks)."
    } >>"$results"
  fi
  {
    echo
    echo "### Queue drain, $(date -u +%Y-%m-%d) ($machine; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
    echo
    echo "Command: \`$command\` (commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown))."
    echo
    echo "$table"
  } >>"$results"
  echo "appended to $results"
fi

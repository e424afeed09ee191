#!/usr/bin/env bash
# Submits slurm/profile.sbatch with 2 tasks to the local Slurm, twice:
#  1. without Nsight Systems (this machine has none): the run goes ahead unprofiled, says so, and
#     its artifact verifies;
#  2. with NSYS pointing at a stand-in that records how it was called and then runs the command it
#     wraps: every rank must run under the profiler with the options the script promises (CUDA,
#     NVTX, OS runtime and MPI traces) and its own report name (%q{OMPI_COMM_WORLD_RANK} under
#     mpirun, %q{SLURM_PROCID} under srun) — once with each launcher.
# The real nsys is exercised on a machine that has it; this checks the script's wiring.
set -euo pipefail
tessera=$1
repo=$2
source "$(dirname "$0")/local_cluster_test.sh" profile

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export TESSERA=$tessera TESSERA_STEPS=512 TESSERA_SHARD_STEPS=64 TESSERA_CONFIG=test \
  TESSERA_MPIRUN_FLAGS="--oversubscribe --allow-run-as-root"

# 1. No profiler.
TESSERA_OUT=$work/plain.h5 NSYS=/nonexistent/nsys \
  sbatch --wait -n 2 -D "$work" -o "$work/plain.txt" "$repo/slurm/profile.sbatch" >/dev/null || true
cat "$work/plain.txt"
grep -q "nsys (Nsight Systems) not found; running unprofiled" "$work/plain.txt" ||
  { echo "FAIL: no message about the missing profiler"; exit 1; }
grep -q "^result     complete" "$work/plain.txt" || { echo "FAIL: the unprofiled job did not complete"; exit 1; }
"$tessera" verify "$work/plain.h5" --allow-insecure >/dev/null

# 2. A stand-in profiler: `nsys profile [options] -o NAME PROGRAM ARGS...`. It writes its options
# and the expanded report name to calls/, creates NAME.nsys-rep and runs PROGRAM ARGS.
mkdir -p "$work/calls"
cat >"$work/nsys" <<'SHIM'
#!/usr/bin/env bash
set -euo pipefail
[[ $1 == profile ]] || { echo "stand-in nsys: expected 'profile', got '$1'" >&2; exit 64; }
shift
opts=() out=
while [[ $# -gt 0 && $1 == -* ]]; do
  if [[ $1 == -o ]]; then out=$2; shift 2; else opts+=("$1"); shift; fi
done
# nsys's %q{VAR}: the variable's value in this process.
while [[ $out =~ %q\{([A-Z_]+)\} ]]; do
  var=${BASH_REMATCH[1]}
  out=${out//"%q{$var}"/${!var:?$var is not set in this process}}
done
printf '%s\n' "${opts[@]}" >"$(dirname "$0")/calls/$out.opts"
touch "$out.nsys-rep"
exec "$@"
SHIM
chmod +x "$work/nsys"
for launcher in mpirun srun; do
  rm -f "$work"/tessera-*.nsys-rep "$work"/calls/*
  flags=
  [[ $launcher == mpirun ]] && flags=$TESSERA_MPIRUN_FLAGS
  TESSERA_OUT=$work/profiled-$launcher.h5 NSYS=$work/nsys TESSERA_LAUNCHER=$launcher \
    TESSERA_MPIRUN_FLAGS=$flags sbatch --wait -n 2 -D "$work" -o "$work/profiled-$launcher.txt" \
    "$repo/slurm/profile.sbatch" >/dev/null || true
  out=$work/profiled-$launcher.txt
  cat "$out"
  grep -q "^tessera-profile: profiling every rank with $work/nsys" "$out" ||
    { echo "FAIL: the profiler was not announced ($launcher)"; exit 1; }
  grep -q "^tessera-profile: 2 task(s) via $launcher" "$out" || { echo "FAIL: not launched by $launcher"; exit 1; }
  grep -q "^result     complete" "$out" || { echo "FAIL: the profiled job did not complete ($launcher)"; exit 1; }
  for rank in 0 1; do
    report=$(ls "$work"/tessera-*-rank$rank.nsys-rep 2>/dev/null | head -1)
    [[ -n $report ]] || { echo "FAIL: no report for rank $rank ($launcher)"; ls "$work"; exit 1; }
    opts=$work/calls/$(basename "$report" .nsys-rep).opts
    for want in --trace=cuda,nvtx,osrt,mpi --mpi-impl=openmpi; do
      grep -qx -- "$want" "$opts" || { echo "FAIL: rank $rank profiled without $want ($launcher)"; cat "$opts"; exit 1; }
    done
  done
  "$tessera" verify "$work/profiled-$launcher.h5" --allow-insecure >/dev/null
done
echo "PASS: profile.sbatch runs unprofiled without nsys and wraps every rank in nsys when present (mpirun and srun)"

#!/usr/bin/env bash
# The walltime path of prove.sbatch on the local Slurm: USR1 to the batch script mid-run
# (`scancel --signal=USR1 --batch`, as `--signal=B:USR1@120` would) makes tessera finish the shards
# in flight, flush and exit 17; the script requeues the job; released, the requeued run resumes
# (SLURM_RESTART_COUNT=1, --resume) and proves only the missing shards; the artifact verifies.
# On a guest program the same, and the verified root reports the executor's output digest.
#
#   requeue_resume.sh TESSERA REPO [mpirun|srun] [chain|guest:GUEST_DIR]
#     the launcher inside the job (default mpirun); what to prove: a hash chain of 32 shards
#     (default), or the sample guest p2merkle of GUEST_DIR on 20 leaves (16 shards of 64 cycles)
set -euo pipefail
tessera=$1
repo=$2
launcher=${3:-mpirun}
what=${4:-chain}
source "$(dirname "$0")/local_cluster_test.sh" "requeue-$launcher"

export TESSERA=$tessera TESSERA_OUT=$work/proof.h5 TESSERA_CONFIG=test TESSERA_PROGRESS=plain \
  TESSERA_PROGRESS_INTERVAL=0 TESSERA_LAUNCHER=$launcher
if [[ $what == chain ]]; then
  export TESSERA_STEPS=2048 TESSERA_SHARD_STEPS=64 TESSERA_TEST_SLOW_SHARD_MS=300
  N=32
else
  guests=${what#guest:}
  [[ -f $guests/p2merkle.elf ]] || { echo "SKIP: sample guests not built"; exit 77; }
  source "$repo/tests/machine/guest_inputs.sh"
  small_input p2merkle "$work/in.bin"
  export TESSERA_ELF=$guests/p2merkle.elf TESSERA_INPUT=$work/in.bin TESSERA_SHARD_CYCLES=64 \
    TESSERA_TEST_SLOW_SHARD_MS=400
  N=16
fi
# mpirun needs these as root on 2 cores; srun places the tasks itself.
[[ $launcher == mpirun ]] && export TESSERA_MPIRUN_FLAGS="--oversubscribe --allow-run-as-root"
job=$(sbatch --parsable -n 2 -D "$work" -o "$work/out.txt" "$repo/slurm/prove.sbatch")

# Wait until the first run has proven a few shards, then send the walltime warning.
for _ in $(seq 900); do
  grep -q "proving: \\([4-9]\\|[1-9][0-9]\\)/$N" "$work/out.txt" 2>/dev/null && break
  sleep 0.1
done
grep -q "proving: \\([4-9]\\|[1-9][0-9]\\)/$N" "$work/out.txt" || fail "the first run made no progress"
scancel --signal=USR1 --batch "$job"

# The script requeues the job; Slurm holds it (BeginTime) until released.
for _ in $(seq 600); do
  grep -q "requeueing job $job" "$work/out.txt" && [[ $(state "$job") == PENDING ]] && break
  sleep 0.1
done
[[ $(state "$job") == PENDING ]] || fail "job $job was not requeued (state $(state "$job"))"
release_requeued "$job"
wait_end "$job"
[[ $(state "$job") == COMPLETED ]] || fail "the requeued job ended $(state "$job")"
cat "$work/out.txt"

grep -q "run 1 (SLURM_RESTART_COUNT=0) on 2 task(s) via $launcher" "$work/out.txt" ||
  fail "the job did not launch its ranks with $launcher"
grep -q "run 2 (SLURM_RESTART_COUNT=1).*--resume" "$work/out.txt" || fail "the requeued run did not resume"
grep -q "stopped by SIGUSR1: [0-9]* of $N shards are stored" "$work/out.txt" ||
  fail "the first run did not stop on SIGUSR1"
stored=$(grep -o "stopped by SIGUSR1: [0-9]* of $N" "$work/out.txt" | head -1 | grep -o "[0-9]* of" | tr -dc 0-9)
line=$(grep "^shards     $N total" "$work/out.txt" | tail -1)
[[ $line == *"$((N - stored)) proven by this run, $stored resumed from the artifact"* ]] ||
  fail "the requeued run did not prove exactly the $((N - stored)) missing shards: $line"
grep -q "^result     complete" "$work/out.txt" || fail "the requeued run did not complete"
"$tessera" verify "$work/proof.h5" --allow-insecure
if [[ $what != chain ]]; then
  want=$("$tessera" execute "$TESSERA_ELF" --input "$TESSERA_INPUT" --json |
    python3 -c "import json,sys; print(json.load(sys.stdin)['output_digest'])")
  "$tessera" verify "$work/proof.h5" --allow-insecure --json | grep -q "\"output_digest\": \"$want\"" ||
    fail "the verified root does not carry the executor's output digest"
fi
echo "PASS (${TESSERA_ELF:-chain}, $launcher): USR1 stopped the job with $stored shards stored; the requeued job proved the other $((N - stored))"

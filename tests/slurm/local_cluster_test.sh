# Sourced by the slurm tests: `source local_cluster_test.sh NAME` with $repo set. Skips the test
# (exit 77) where a local Slurm cannot run, makes a fresh folder $work (/tmp/tessera-slurm-NAME.*),
# starts slurm/local-cluster.sh under $work/cluster, exports SLURM_CONF, and on exit stops exactly
# that cluster and removes $work.
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root for slurmd/munged"; exit 77; }
command -v slurmctld >/dev/null && command -v munged >/dev/null || { echo "SKIP: slurm-wlm/munge missing"; exit 77; }

work=$(mktemp -d "/tmp/tessera-slurm-$1.XXXXXX")
cleanup() { "$repo/slurm/local-cluster.sh" stop "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
chmod o+x "$work"  # munged (its own user) reaches its pid folder under it
"$repo/slurm/local-cluster.sh" start "$work/cluster" >/dev/null
export SLURM_CONF=$work/cluster/slurm.conf

# Helpers of the tests that follow jobs. `job` is the job fail() describes; the job's output goes
# to $work/out*.txt.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
job=none
fail() {
  echo "FAIL: $*"
  cat "$work"/out*.txt 2>/dev/null
  scontrol show job "$job" 2>/dev/null || true
  tail -n 30 "$work/cluster/log/slurmctld.log" 2>/dev/null || true
  exit 1
}
state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
# wait_end JOB: until the job has ended (at most 3 minutes); prints nothing.
wait_end() {
  local s
  for _ in $(seq 1800); do
    s=$(state "$1")
    [[ $s == COMPLETED || $s == FAILED || $s == CANCELLED ]] && return 0
    sleep 0.1
  done
}
# release_requeued JOB: starts a job that requeued itself once the node has cleaned up its first
# run: slurmd refuses to start a job whose credential it revoked in the same second ("Job
# credential revoked") — what the ~2 minutes of BeginTime normally guard against.
release_requeued() {
  for _ in $(seq 300); do [[ $(sinfo -h -o %t | head -n1) == idle ]] && break; sleep 0.1; done
  sleep 2
  scontrol update JobId="$1" StartTime=now
}

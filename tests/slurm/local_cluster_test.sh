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

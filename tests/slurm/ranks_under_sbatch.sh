#!/usr/bin/env bash
# Brings up the local Slurm, submits a 2-task job that runs `tessera ranks` under mpirun inside
# the allocation, and checks that both ranks reported with the local rank Slurm gave them.
set -euo pipefail
tessera=$1
repo=$2
source "$(dirname "$0")/local_cluster_test.sh" ranks

cat > "$work/job.sh" <<JOB
#!/usr/bin/env bash
set -euo pipefail
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun --oversubscribe --allow-run-as-root --bind-to none -np \$SLURM_NTASKS "$tessera" ranks
JOB
sbatch --wait -n 2 -o "$work/out.txt" "$work/job.sh" >/dev/null
cat "$work/out.txt"
grep -q "rank 0/2 on " "$work/out.txt"
grep -q "rank 1/2 on .*local rank 1 " "$work/out.txt"  # not the batch step's SLURM_LOCALID=0
echo "PASS: both ranks ran inside the Slurm allocation"

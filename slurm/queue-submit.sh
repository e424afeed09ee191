#!/usr/bin/env bash
# Submits slurm/queue.sbatch for a queue as a chain of jobs, each starting when the one before it
# has ended (--dependency=afterany), so that the queue keeps draining across time limits without
# anyone resubmitting. A chain already waiting or running for the same queue (jobs named
# tessera-queue whose comment is the queue's folder) is extended instead of started beside it.
#
#   slurm/queue-submit.sh [-n JOBS] DIR [sbatch options...]
#   slurm/queue-submit.sh -n 3 /scratch/queue -N 2 --ntasks-per-node=4 -t 04:00:00
#
# Prints the job ids, one per line. Each job runs `tessera queue drain DIR` (TESSERA,
# TESSERA_LAUNCHER, TESSERA_MPIRUN_FLAGS, TESSERA_WAIT, TESSERA_METRICS, TESSERA_BACKEND pass
# through the environment, see slurm/queue.sbatch); a job that finds the queue empty ends at once.
set -euo pipefail
jobs=2
if [[ ${1:-} == -n ]]; then
  jobs=$2
  shift 2
fi
[[ $# -ge 1 ]] || { echo "usage: $0 [-n JOBS] DIR [sbatch options...]" >&2; exit 2; }
queue=$(cd "$1" && pwd) || { echo "queue-submit: no folder '$1'" >&2; exit 2; }
shift
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "queue-submit: -n needs a positive count" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

# The newest job of an existing chain for this queue, if any.
last=$(squeue -h -u "$(id -un)" -n tessera-queue -o '%i %k' 2>/dev/null |
  awk -v q="$queue" '$2 == q { print $1 }' | sort -n | tail -n 1)
for _ in $(seq "$jobs"); do
  dep=()
  [[ -n $last ]] && dep=(--dependency="afterany:$last")
  last=$(TESSERA_QUEUE=$queue sbatch --parsable --export=ALL --comment="$queue" "${dep[@]}" "$@" \
    "$here/queue.sbatch")
  last=${last%%;*}
  echo "$last"
done

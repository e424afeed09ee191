#!/usr/bin/env bash
# A real single-node Slurm (munge + slurmctld + slurmd) under a temporary directory, for tests
# and for trying the sbatch templates on a workstation.
#
#   slurm/local-cluster.sh start DIR   # prints `export SLURM_CONF=DIR/slurm.conf`; waits until the node is idle
#   slurm/local-cluster.sh stop DIR    # stops exactly the daemons it started (by their pid files)
#   slurm/local-cluster.sh status DIR
#
# Needs root (slurmd and munged run as in a real installation) and Debian's slurm-wlm and munge.
# munged is only started if none is answering already, and only a munged started here is stopped.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }

log() { echo "local-cluster: $*" >&2; }

stop_pidfile() {
  local f=$1 pid
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "munged already answering; using it"
    return
  fi
  [[ -f /etc/munge/munge.key ]] || mungekey -c >/dev/null
  mkdir -p /var/lib/munge /var/log/munge /run/munge
  chown munge:munge /etc/munge /etc/munge/munge.key /var/lib/munge /var/log/munge /run/munge
  chmod 0700 /etc/munge /var/lib/munge /var/log/munge
  chmod 0755 /run/munge
  chmod 0400 /etc/munge/munge.key
  # munged runs as the munge user and writes its pid file itself, so it gets a folder it owns;
  # that pid file is how `stop` ends exactly this daemon and nothing else.
  chmod o+x "$dir"
  mkdir -p "$dir/munge"
  chown munge:munge "$dir/munge"
  su -s /bin/sh munge -c "munged --force --pid-file=$dir/munge/munged.pid"
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || { log "munged did not start"; exit 1; }
  [[ -s "$dir/munge/munged.pid" ]] || { log "munged wrote no pid file"; exit 1; }
}

write_conf() {
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  mkdir -p "$dir/spool/ctld" "$dir/spool/d" "$dir/log"
  cat > "$dir/slurm.conf" <<CONF
ClusterName=tessera-local
SlurmctldHost=$host
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
ReturnToService=2
MpiDefault=none
SlurmctldPort=$(( 16817 + RANDOM % 1000 ))
SlurmdPort=$(( 17817 + RANDOM % 1000 ))
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
StateSaveLocation=$dir/spool/ctld
SlurmdSpoolDir=$dir/spool/d
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=defer
MinJobAge=300
KillWait=5
InactiveLimit=0
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
}

case "$cmd" in
  start)
    [[ $(id -u) -eq 0 ]] || { log "must run as root"; exit 1; }
    for tool in slurmctld slurmd sbatch munged; do
      command -v $tool >/dev/null || { log "$tool not found (apt-get install slurm-wlm munge)"; exit 1; }
    done
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    start_munge
    write_conf
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -f "$SLURM_CONF"
    slurmd -f "$SLURM_CONF"
    for _ in $(seq 150); do
      state=$(sinfo -h -o %t 2>/dev/null | head -n1 || true)
      [[ "$state" == idle* ]] && break
      sleep 0.2
    done
    [[ "$state" == idle* ]] || { log "node did not become idle (state '$state'); see $dir/log"; exit 1; }
    log "up: node $(hostname -s) idle"
    echo "export SLURM_CONF=$SLURM_CONF"
    ;;
  stop)
    dir=$(cd "$dir" 2>/dev/null && pwd) || exit 0
    stop_pidfile "$dir/slurmd.pid"
    stop_pidfile "$dir/slurmctld.pid"
    stop_pidfile "$dir/munge/munged.pid"  # present only if this script started munged
    log "stopped"
    ;;
  status)
    export SLURM_CONF=$dir/slurm.conf
    sinfo && squeue
    ;;
  *) echo "usage: $0 start|stop|status DIR" >&2; exit 2 ;;
esac

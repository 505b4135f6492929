#!/usr/bin/env bash
# Starts a single-node Slurm on this machine for `deno task sweep ... --executor slurm` and its
# tests: munged, slurmctld and slurmd on 127.0.0.1, no accounting, process tracking by parent pid
# (proctrack/linuxproc), no task plugin. Needs root and Debian's `slurm-wlm` and `munge`
# (apt-get install -y --no-install-recommends slurm-wlm munge); with --install it installs them.
#
# Idempotent: when the daemons already run with this configuration and the node takes jobs, it
# changes nothing. It writes /etc/slurm/slurm.conf only where there is none or where this script
# wrote it (first line below), so it never overwrites a real cluster's configuration.
#
# Usage: scripts/slurm/start-local.sh [--install]
# Exits 0 once `sinfo` shows the node idle (or busy with jobs), 1 with the reason otherwise.
# scripts/slurm/stop-local.sh stops what this started.
set -euo pipefail

MARK="# gan-harness local single-node Slurm (scripts/slurm/start-local.sh)"
CONF=/etc/slurm/slurm.conf
LOGDIR=/var/log/slurm
say() { echo "slurm-local: $*" >&2; }
die() {
  say "$*"
  exit 1
}

if [ "${1:-}" = "--install" ]; then
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    [ "$(id -u)" -eq 0 ] || die "--install needs root"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends slurm-wlm munge; } >/dev/null || die "apt-get install slurm-wlm munge failed"
  fi
fi

[ "$(id -u)" -eq 0 ] || die "needs root (it starts munged, slurmctld and slurmd); got uid $(id -u)"
for bin in munged slurmctld slurmd scontrol sinfo; do
  command -v "$bin" >/dev/null ||
    die "$bin not found: install Debian's slurm-wlm and munge (apt-get install -y --no-install-recommends slurm-wlm munge)"
done

host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
desired=$(
  cat <<EOF
$MARK
ClusterName=ganlocal
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=10
MinJobAge=600
InactiveLimit=0
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
)

changed=0
if [ -e "$CONF" ] && [ "$(head -n 1 "$CONF")" != "$MARK" ]; then
  die "$CONF exists and was not written by this script; not touching a real Slurm configuration"
fi
if [ ! -e "$CONF" ] || [ "$(cat "$CONF")" != "$desired" ]; then
  mkdir -p /etc/slurm
  printf '%s\n' "$desired" >"$CONF.tmp.$$"
  mv "$CONF.tmp.$$" "$CONF"
  changed=1
fi
mkdir -p /var/spool/slurmctld /var/spool/slurmd "$LOGDIR" /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# munge: a key, then the daemon (as the munge user, as Debian's unit does).
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 status=none
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
fi
if ! alive /run/munge/munged.pid; then
  rm -f /run/munge/munge.socket.2*
  if id munge >/dev/null 2>&1; then
    runuser -u munge -- munged || die "munged did not start: see /var/log/munge/munged.log"
  else
    munged --force || die "munged did not start: see /var/log/munge/munged.log"
  fi
fi
for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
munge -n </dev/null >/dev/null 2>&1 || die "munge does not answer: see /var/log/munge/munged.log"

stop_pid() {
  alive "$1" || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
if [ "$changed" -eq 1 ]; then
  # A new configuration (first start, or another host name or core count): restart both.
  stop_pid /run/slurmd.pid
  stop_pid /run/slurmctld.pid
fi
if ! alive /run/slurmctld.pid; then
  # With a new configuration, a clean start (-c: no jobs or node states of an earlier one);
  # otherwise it recovers its saved state, so job ids keep counting up.
  clean=()
  [ "$changed" -eq 1 ] && clean=(-c)
  slurmctld "${clean[@]}" || die "slurmctld did not start: see $LOGDIR/slurmctld.log"
fi
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q "is UP" && break; sleep 0.1; done
scontrol ping 2>/dev/null | grep -q "is UP" ||
  die "slurmctld does not answer: $(tail -n 5 "$LOGDIR/slurmctld.log" 2>/dev/null)"
if ! alive /run/slurmd.pid; then
  slurmd -N "$host" || die "slurmd did not start: see $LOGDIR/slurmd.log"
fi

# Wait for the node to register; bring it back if an earlier run left it down or drained.
state=""
for i in $(seq 150); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null | head -n 1)
  case "$state" in
  idle | mixed | allocated | completing) break ;;
  down* | drain* | fail*) [ $((i % 10)) -eq 1 ] && scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 0.1
done
case "$state" in
idle | mixed | allocated | completing) ;;
*) die "node $host is '${state:-unknown}', not idle: $(tail -n 5 "$LOGDIR/slurmd.log" 2>/dev/null)" ;;
esac
say "up: node $host ($cpus CPUs) is $state, partition local"

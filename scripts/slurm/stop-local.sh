#!/usr/bin/env bash
# Stops the single-node Slurm that scripts/slurm/start-local.sh started (slurmd, slurmctld,
# munged), after cancelling its jobs. Leaves the configuration in place; starting again takes
# seconds. Does nothing where the daemons do not run.
set -uo pipefail

MARK="# gan-harness local single-node Slurm (scripts/slurm/start-local.sh)"
if [ -e /etc/slurm/slurm.conf ] && [ "$(head -n 1 /etc/slurm/slurm.conf)" != "$MARK" ]; then
  echo "slurm-local: /etc/slurm/slurm.conf was not written by start-local.sh; not stopping anything" >&2
  exit 1
fi
stop_pid() {
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
if [ -f /run/slurmctld.pid ] && kill -0 "$(cat /run/slurmctld.pid)" 2>/dev/null; then
  scancel --user="$(id -un)" 2>/dev/null || true
fi
stop_pid /run/slurmd.pid
stop_pid /run/slurmctld.pid
stop_pid /run/munge/munged.pid
echo "slurm-local: stopped" >&2

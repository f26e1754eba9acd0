#!/usr/bin/env bash
# The runs behind docs/bench/testbed.md: each manifest of this directory,
# and the far-primary manifest at larger RTTs. Needs root (network
# namespaces); each run is bounded by its --duration plus start-up.
# Usage: sudo scripts/testbed/figures.sh [enigma binary] > testbed-figures.txt
set -euo pipefail
cd "$(dirname "$0")"
enigma=${1:-enigma}
run() {
  echo "== $*"
  cat /proc/loadavg
  "$enigma" --log.level warn testbed consensus "$@" 2>&1 | grep -v '^bench: warm-up done'
}
for clients in 1 16; do
  run --manifest wan4-near.toml --clients "$clients" --duration 20s
  run --manifest wan4.toml --clients "$clients" --duration 20s
done
run --manifest wan4.toml --clients 256 --batch 256 --duration 20s
run --manifest wan4-cut.toml --clients 16 --duration 30s
run --manifest wan4-near-cut.toml --clients 16 --duration 30s
run --manifest wan4-pause.toml --clients 16 --duration 30s
run --manifest wan4-loss.toml --clients 16 --duration 20s
run --manifest wan7.toml --clients 16 --duration 20s
# The far primary at larger RTTs: where do the 1 s request timers fire?
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for rtt in 300ms 600ms; do
  sed "s/^rtt = \"150ms\"/rtt = \"$rtt\"/" wan4.toml > "$tmp/wan4-$rtt.toml"
  run --manifest "$tmp/wan4-$rtt.toml" --clients 16 --duration 20s
done

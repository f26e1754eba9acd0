#!/usr/bin/env bash
# Figures of docs/BENCHMARKS.md, "A dataset's life": on a devnet, three metadata
# updates (script, schedule, workers) from the command to every persistence node
# serving the new version, and three new subscribers from subscribe to the first
# decrypted result, the keys fetched from a worker (the provider runs nothing).
# Usage: make build && bash scripts/lifecycle-bench.sh [path to enigma]
set -euo pipefail
cd "$(dirname "$0")/.."
ENIGMA=${1:-bin/enigma}
DIR=$(mktemp -d -t enigma-measure.XXXXXX)
export ENIGMA_PUZZLE_STATIC=10 ENIGMA_PUZZLE_DYNAMIC=10
"$ENIGMA" --datadir "$DIR" --log.level warn devnet >"$DIR/devnet.log" 2>&1 &
DEVNET=$!
trap 'kill "$DEVNET" 2>/dev/null; wait "$DEVNET" 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 240); do [ -f "$DIR/devnet.json" ] && break; sleep 0.5; done
field() { sed -n "s/^  \"$1\": \"\\(.*\\)\",\{0,1\}$/\\1/p" "$DIR/devnet.json"; }
list() { sed -n "/\"$1\": \[/,/\]/p" "$DIR/devnet.json" | grep -o '"[0-9a-fA-Fx]\{40,66\}"' | tr -d '"' | paste -sd, -; }
# ENIGMA_YES: a script confirms its own spending (without a terminal the CLI
# refuses to move money unless told --yes).
export ENIGMA_DATADIR="$DIR" ENIGMA_PASSWORD=devnet ENIGMA_LOG_LEVEL=warn ENIGMA_YES=true
export ENIGMA_CHAIN_RPC="$(field rpc)" ENIGMA_BOOTSTRAP="$(field bootstrap)"
ACCOUNTS=($(list accounts | tr , ' '))
PROVIDER=${ACCOUNTS[1]} FUNDER=${ACCOUNTS[2]}
DATASET="$PROVIDER/crypto_daily"
EX=examples/crypto-daily
"$ENIGMA" devnet stage "$DATASET" "$EX/market.csv" >/dev/null
"$ENIGMA" provider register --account "$PROVIDER" --schema "$EX/schema.json" --script "$EX/curate.star" \
  --price 10 --deposit 100 --workers "$(list workers | cut -d, -f1)" --persistence "$(list persistence)" \
  --encrypt asset=det,close=ope,volume_usd=ope crypto_daily >/dev/null
ms() { date +%s%3N; }
scripts=("$EX/curate-v2.star" "$EX/curate.star" "$EX/curate-v2.star")
scheds=("@every 1h" "@every 2h" "@hourly")
workers=("$(list workers)" "$(list workers | cut -d, -f2)" "$(list workers | cut -d, -f1)")
for i in 0 1 2; do
  echo "loadavg before update $((i+2)): $(cat /proc/loadavg)"
  t0=$(ms)
  "$ENIGMA" provider update --account "$PROVIDER" --script "${scripts[$i]}" --schedule "${scheds[$i]}" --workers "${workers[$i]}" --wait crypto_daily | tail -2
  t1=$(ms)
  echo "update $((i+2)): command returned after $((t1-t0)) ms"
done
for i in 1 2 3; do
  addr=$("$ENIGMA" account new --lightkdf | sed -n 's/^Address: //p')
  "$ENIGMA" account send --account "$FUNDER" --eth --to "$addr" --amount 1 >/dev/null
  "$ENIGMA" account send --account "$FUNDER" --to "$addr" --amount 20 >/dev/null
  echo "loadavg before subscriber $i: $(cat /proc/loadavg)"
  t0=$(ms)
  "$ENIGMA" subscriber subscribe --account "$addr" "$DATASET" >/dev/null
  t1=$(ms)
  "$ENIGMA" subscriber query --account "$addr" --format csv "$DATASET" "SELECT asset, MAX(close) FROM crypto_daily WHERE asset = 'ETH' GROUP BY asset" 2>/dev/null | tail -1
  t2=$(ms)
  echo "subscriber $i: subscribe $((t1-t0)) ms, first decrypted query (grant from a worker) $((t2-t1)) ms, total $((t2-t0)) ms"
done

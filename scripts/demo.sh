#!/usr/bin/env bash
# The end-to-end story of the marketplace on a local devnet, through the CLI
# only: a provider lists the example dataset with encrypted columns, a worker
# curates it onto two persistence nodes, a subscriber pays, gets the column
# keys and queries on encrypted columns, the ranking shows the dataset, and a
# stranger's query is denied. Run it with `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."

ENIGMA=bin/enigma
DIR=$(mktemp -d -t enigma-demo.XXXXXX)
LOG="$DIR/devnet.log"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
field() { sed -n "s/^  \"$1\": \"\\(.*\\)\",\{0,1\}$/\\1/p" "$DIR/devnet.json"; }
list() { sed -n "/\"$1\": \[/,/\]/p" "$DIR/devnet.json" | grep -o '"[0-9a-fA-Fx]\{40,66\}"' | tr -d '"' | paste -sd, -; }

# A local network does not need the production identity cost (c1 = 16,
# seconds per node key): every node and every command below uses these.
export ENIGMA_PUZZLE_STATIC=10 ENIGMA_PUZZLE_DYNAMIC=10

step "Starting a devnet in $DIR (embedded chain, 4 validators, 2 workers, 2 persistence nodes)"
"$ENIGMA" --datadir "$DIR" --log.level warn devnet >"$LOG" 2>&1 &
DEVNET=$!
trap 'kill "$DEVNET" 2>/dev/null; wait "$DEVNET" 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 240); do
  [ -f "$DIR/devnet.json" ] && break
  kill -0 "$DEVNET" 2>/dev/null || { cat "$LOG"; echo "the devnet failed to start" >&2; exit 1; }
  sleep 0.5
done
[ -f "$DIR/devnet.json" ] || { cat "$LOG"; echo "the devnet did not start within 2 minutes" >&2; exit 1; }
sed -n '1,20p' "$LOG"

export ENIGMA_DATADIR="$DIR" ENIGMA_PASSWORD=devnet ENIGMA_LOG_LEVEL=warn
export ENIGMA_CHAIN_RPC="$(field rpc)" ENIGMA_BOOTSTRAP="$(field bootstrap)"
ACCOUNTS=($(list accounts | tr , ' '))
PROVIDER=${ACCOUNTS[1]} SUBSCRIBER=${ACCOUNTS[2]} STRANGER=${ACCOUNTS[3]}
DATASET="$PROVIDER/crypto_daily"
EX=examples/crypto-daily

step "The provider's data feed reaches the workers"
"$ENIGMA" devnet stage "$DATASET" "$EX/market.csv"

step "Provider $PROVIDER lists crypto_daily: asset encrypted deterministically, close and volume order-preserving"
"$ENIGMA" provider register --account "$PROVIDER" \
  --schema "$EX/schema.json" --script "$EX/curate.star" --schedule @daily \
  --price 10 --deposit 100 --trial 24h \
  --workers "$(list workers)" --persistence "$(list persistence)" \
  --encrypt asset=det,close=ope,volume_usd=ope \
  crypto_daily

step "Subscriber $SUBSCRIBER pays for one period"
"$ENIGMA" subscriber subscribe --periods 1 --account "$SUBSCRIBER" "$DATASET"

step "The provider seals the column keys to the subscriber"
"$ENIGMA" provider grant --to "$("$ENIGMA" subscriber grant-key)" --out "$DIR/grant.bin" "$DATASET"

# query [flags] SQL
query() {
  local args=("$@") sql="${@: -1}"
  "$ENIGMA" subscriber query --account "$SUBSCRIBER" --grant "$DIR/grant.bin" "${args[@]:0:$#-1}" "$DATASET" "$sql"
}

step "Waiting for the worker's rows on the persistence nodes"
for _ in $(seq 1 120); do
  n=$(query --format csv "SELECT COUNT(*) FROM crypto_daily" 2>/dev/null | tail -n 1 || true)
  [ -n "$n" ] && [ "$n" != "0" ] && [ "$n" != "COUNT(*)" ] && break
  sleep 0.5
done
echo "rows stored: $n"

step "Equality on an encrypted column and a range on an order-preserving one"
query "SELECT day, asset, close, volume_usd FROM crypto_daily WHERE asset = 'BTC' AND close BETWEEN 95000 AND 100000 ORDER BY close DESC LIMIT 8"

step "An aggregate grouped by the encrypted asset column"
query "SELECT asset, COUNT(*), MIN(close), MAX(close) FROM crypto_daily WHERE asset IN ('BTC', 'ETH', 'SOL') GROUP BY asset"

step "The public ranking, from the chain"
"$ENIGMA" market top

step "A stranger without a subscription asks too"
if "$ENIGMA" subscriber query --account "$STRANGER" "$DATASET" "SELECT COUNT(*) FROM crypto_daily"; then
  echo "the stranger's query was answered: access control is broken" >&2
  exit 1
fi

step "Done: the whole marketplace ran end to end"

#!/usr/bin/env bash
# The end-to-end story of the marketplace on a local devnet, through the CLI
# only: a provider's listing is checked before any money moves (a broken
# script is refused, a dry run shows the cost), then lists the example
# dataset with encrypted columns; a worker curates it onto two persistence
# nodes; a subscriber pays and queries on encrypted columns with the keys it
# gets from a worker; the provider certifies a new version (new script,
# schedule and workers) and queries move to it; with the provider away, a
# stranger is denied, subscribes and queries too; the provider sees its
# listing's state and earnings. Run it with `make demo`.
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

# ENIGMA_YES: a script confirms its own spending (without a terminal the CLI
# refuses to move money unless told --yes).
export ENIGMA_DATADIR="$DIR" ENIGMA_PASSWORD=devnet ENIGMA_LOG_LEVEL=warn ENIGMA_YES=true
export ENIGMA_CHAIN_RPC="$(field rpc)" ENIGMA_BOOTSTRAP="$(field bootstrap)"
ACCOUNTS=($(list accounts | tr , ' '))
PROVIDER=${ACCOUNTS[1]} SUBSCRIBER=${ACCOUNTS[2]} STRANGER=${ACCOUNTS[3]}
DATASET="$PROVIDER/crypto_daily"
EX=examples/crypto-daily

step "The provider's data feed reaches the workers"
"$ENIGMA" devnet stage "$DATASET" "$EX/market.csv"

step "Pre-flight: a listing whose script does not compile is refused before any transaction"
printf 'def curate(ctx)\n    return []\n' >"$DIR/broken.star"
if "$ENIGMA" provider register --account "$PROVIDER" \
  --schema "$EX/schema.json" --script "$DIR/broken.star" --price 10 --deposit 100 \
  --workers "$(list workers)" --persistence "$(list persistence)" crypto_daily; then
  echo "a broken script was listed" >&2
  exit 1
fi

step "A dry run of the real listing: the checks (the script run once on the feed), what would be sent and spent"
"$ENIGMA" provider register --account "$PROVIDER" --dry-run --check-run --check-dir "$EX" \
  --schema "$EX/schema.json" --script "$EX/curate.star" --schedule @daily \
  --price 10 --deposit 100 --trial 24h \
  --workers "$(list workers | cut -d, -f1)" --persistence "$(list persistence)" \
  --encrypt asset=det,close=ope,volume_usd=ope \
  crypto_daily

step "Provider $PROVIDER lists crypto_daily: asset encrypted deterministically, close and volume order-preserving"
"$ENIGMA" provider register --account "$PROVIDER" \
  --schema "$EX/schema.json" --script "$EX/curate.star" --schedule @daily \
  --price 10 --deposit 100 --trial 24h \
  --workers "$(list workers | cut -d, -f1)" --persistence "$(list persistence)" \
  --encrypt asset=det,close=ope,volume_usd=ope \
  crypto_daily

step "Subscriber $SUBSCRIBER pays for one period"
"$ENIGMA" subscriber subscribe --periods 1 --account "$SUBSCRIBER" "$DATASET"

# query ACCOUNT [flags] SQL: the column keys come from one of the dataset's
# workers on the first query (cached in the subscriber's datadir).
query() {
  local who=$1; shift
  local args=("$@") sql="${@: -1}"
  "$ENIGMA" subscriber query --account "$who" "${args[@]:0:$#-1}" "$DATASET" "$sql"
}
count() { query "$1" --format csv "SELECT COUNT(*) FROM crypto_daily" 2>/dev/null | tail -n 1 || true; }

step "Waiting for the worker's rows on the persistence nodes"
for _ in $(seq 1 120); do
  n=$(count "$SUBSCRIBER")
  [ -n "$n" ] && [ "$n" != "0" ] && [ "$n" != "COUNT(*)" ] && break
  sleep 0.5
done
echo "rows stored: $n"

step "Equality on an encrypted column and a range on an order-preserving one (keys from a worker, no grant from the provider)"
query "$SUBSCRIBER" "SELECT day, asset, close, volume_usd FROM crypto_daily WHERE asset = 'BTC' AND close BETWEEN 95000 AND 100000 ORDER BY close DESC LIMIT 8"

step "An aggregate grouped by the encrypted asset column"
query "$SUBSCRIBER" "SELECT asset, COUNT(*), MIN(close), MAX(close) FROM crypto_daily WHERE asset IN ('BTC', 'ETH', 'SOL') GROUP BY asset"

step "The provider certifies version 2: a new script (no stablecoins), an hourly schedule, both workers"
"$ENIGMA" provider update --account "$PROVIDER" --script "$EX/curate-v2.star" --schedule "@every 1h" \
  --workers "$(list workers)" --wait crypto_daily
echo "rows served now: $(count "$SUBSCRIBER") (version 1 had $n; the persistence nodes served it until version 2's first run had landed)"

step "The provider is away. A stranger, $STRANGER, asks without paying"
if query "$STRANGER" "SELECT COUNT(*) FROM crypto_daily"; then
  echo "the stranger's query was answered: access control is broken" >&2
  exit 1
fi

step "The stranger subscribes, gets the keys from a worker and queries the encrypted columns"
"$ENIGMA" subscriber subscribe --periods 1 --account "$STRANGER" "$DATASET"
query "$STRANGER" "SELECT asset, MAX(close) FROM crypto_daily WHERE asset IN ('BTC', 'ETH') GROUP BY asset"

step "The provider's view: the listing's steps, the workers' runs, rows per persistence node"
"$ENIGMA" provider status --account "$PROVIDER" crypto_daily

step "The provider's earnings and balance"
"$ENIGMA" provider earnings --account "$PROVIDER" crypto_daily
"$ENIGMA" account balance "$PROVIDER"

step "The public ranking, from the chain"
"$ENIGMA" market top

step "The same in a browser, and over HTTP: the explorer and API one devnet node serves"
EXPLORER=$(field explorer)
echo "explorer: $EXPLORER (open it while the devnet runs; 'enigma devnet' alone keeps it up)"
if command -v curl >/dev/null 2>&1; then
  curl -fsS "${EXPLORER}api/v1/datasets?q=crypto_daily" | sed -n '1,25p'
fi

step "Done: the whole marketplace ran end to end"

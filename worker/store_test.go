package worker

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker/wire"
)

// TestExampleDatasetReachesAPersistenceStore runs the crypto-daily example
// job into a real query.Store (Pebble) through CallPusher and Receiver, and
// queries it back with encrypted constants, as a subscriber would.
func TestExampleDatasetReachesAPersistenceStore(t *testing.T) {
	example := filepath.Join("..", "examples", "crypto-daily")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(example, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	schema, err := dataset.ParseSchemaJSON(read("schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := dataset.Path{Provider: provider, Name: "market"}
	store, err := query.Open(t.TempDir(), query.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.CreateDataset(path, schema); err != nil {
		t.Fatal(err)
	}
	ingested := 0
	recv := Receiver(ReceiverConfig{
		Lookup: func(id common.Hash) (DatasetInfo, error) {
			tbl, err := store.Table(id)
			if err != nil {
				return DatasetInfo{}, err
			}
			return DatasetInfo{Workers: []identity.NodeID{workerID}, Schema: &tbl.Schema, Schedule: "daily", Version: 1}, nil
		},
		Now: func() time.Time { return day(10, 0, 0) },
		Ingest: func(_ identity.NodeID, b *wire.Batch) (bool, error) {
			res, err := store.Ingest(query.Batch{Dataset: b.DatasetID, RunID: b.RunID.String(), Seq: uint64(b.Seq), Rows: b.Rows})
			ingested++
			return res.Applied, err
		},
	})
	caller := loopbackCaller{from: workerID, receivers: map[identity.NodeID]func(context.Context, identity.NodeID, []byte) ([]byte, error){nodeA: recv}}

	dir := t.TempDir()
	h := newHarness(t, day(10, 0, 0).AddDate(-1, -1, 0), dir, func(c *Config) {
		c.Pusher = CallPusher{Caller: caller}
		c.BatchRows = 32
	})
	job := Job{Dataset: path, Version: 1, Schema: schema, Script: read("curate.star"), Schedule: "daily", PersistenceNodes: []identity.NodeID{nodeA}}
	if err := os.MkdirAll(filepath.Join(dir, "jobs", path.ID().Hex()), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "jobs", path.ID().Hex(), "market.csv"), read("market.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.setJob(job)
	h.start()
	// The clock starts on 2025-01-10: the run covers ten days of 8 assets.
	r := h.waitRuns(1)[0]
	if r.Status != RunOK || r.Rows != 80 || r.Batches != 3 || ingested != 3 {
		t.Fatalf("run = %+v, %d ingests; want 80 rows in 3 batches", r, ingested)
	}

	// A subscriber holding the keys asks for BTC's closes above 95,000.
	cipher, err := colcrypt.New(testKeys, path.ID())
	if err != nil {
		t.Fatal(err)
	}
	asset, err := cipher.EncryptValue(schema.Columns[schema.ColumnIndex("asset")], dataset.String("BTC"))
	if err != nil {
		t.Fatal(err)
	}
	closeCol := schema.Columns[schema.ColumnIndex("close")]
	bound, err := cipher.EncryptValue(closeCol, dataset.Float64(95000))
	if err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("SELECT day, close FROM market WHERE asset = X'%s' AND close > X'%s' ORDER BY close DESC",
		hex.EncodeToString(asset.Bytes), hex.EncodeToString(bound.Bytes))
	res, err := store.Query(context.Background(), q, query.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	for _, row := range res.Rows {
		v, err := cipher.DecryptValue(closeCol, row[1])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v.Float)
	}
	want := btcClosesAbove(t, read("market.csv"), "2025-01-10", 95000)
	if len(got) == 0 || !slices.Equal(got, want) {
		t.Fatalf("query returned closes %v, the CSV has %v", got, want)
	}
}

// btcClosesAbove reads BTC's closes above min, on days up to until, from
// the CSV, highest first.
func btcClosesAbove(t *testing.T, csv []byte, until string, min float64) []float64 {
	t.Helper()
	var out []float64
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		closeP, err := strconv.ParseFloat(f[5], 64)
		if err != nil {
			t.Fatal(err)
		}
		if f[1] == "BTC" && f[0] <= until && closeP > min {
			out = append(out, closeP)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

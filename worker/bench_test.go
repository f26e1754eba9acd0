package worker

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/worker/wire"
)

type encodingPusher struct{}

func (encodingPusher) Push(_ context.Context, _ identity.NodeID, b *wire.Batch) error {
	_, err := wire.Encode(b)
	return err
}

// BenchmarkExampleRunEndToEnd is one run of the crypto-daily job as a
// worker does it: script, schema checks, encryption of three columns with
// colcrypt, batching, and encoding every batch for two persistence nodes.
func BenchmarkExampleRunEndToEnd(b *testing.B) {
	example := filepath.Join("..", "examples", "crypto-daily")
	src, err := os.ReadFile(filepath.Join(example, "curate.star"))
	if err != nil {
		b.Fatal(err)
	}
	sb, err := os.ReadFile(filepath.Join(example, "schema.json"))
	if err != nil {
		b.Fatal(err)
	}
	schema, err := dataset.ParseSchemaJSON(sb)
	if err != nil {
		b.Fatal(err)
	}
	csv, err := os.ReadFile(filepath.Join(example, "market.csv"))
	if err != nil {
		b.Fatal(err)
	}
	w, err := New(Config{NodeID: workerID, Dir: b.TempDir(), Pusher: encodingPusher{}, Keys: fixedKeys, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	job := Job{Dataset: dataset.Path{Provider: provider, Name: "crypto-daily"}, Version: 1, Schema: schema,
		Script: src, Schedule: "daily", PersistenceNodes: []identity.NodeID{nodeA, nodeB}}
	if _, err := w.SetJob(job); err != nil {
		b.Fatal(err)
	}
	e := w.mu.jobs[job.Dataset.ID()]
	if err := os.WriteFile(filepath.Join(e.dir, "market.csv"), csv, 0o644); err != nil {
		b.Fatal(err)
	}
	slot := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var rows int
	for b.Loop() {
		rec := w.run(context.Background(), e, slot)
		if rec.Status != RunOK {
			b.Fatal(rec.Error)
		}
		rows = rec.Rows
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

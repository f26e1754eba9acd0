package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/worker/wire"
)

func TestCheckSlot(t *testing.T) {
	now := day(10, 12, 0)
	for _, tc := range []struct {
		spec string
		slot time.Time
		want error
	}{
		{"daily", day(10, 0, 0), nil},
		{"daily", time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), ErrFutureSlot}, // a daily slot, 74 years ahead
		{"daily", day(11, 0, 0), ErrFutureSlot},
		{"daily", day(10, 0, 1), ErrNotASlot},
		{"daily", day(10, 0, 0).Add(time.Microsecond), ErrNotASlot},
		{"hourly", now.Add(time.Hour), ErrFutureSlot},
		{"minutely", now.Add(time.Minute), nil}, // within the allowance for clock skew
		{"minutely", now.Add(2 * time.Minute), ErrFutureSlot},
		{"@every 90m", day(10, 10, 30), nil},
		{"@every 90m", day(10, 11, 0), ErrNotASlot},
	} {
		err := CheckSlot(tc.spec, tc.slot, now, time.Minute)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%q slot %v: %v, want %v", tc.spec, tc.slot, err, tc.want)
		}
	}
	if err := CheckSlot("every tuesday", day(10, 0, 0), now, time.Minute); err == nil || !strings.Contains(err.Error(), "certified schedule") {
		t.Errorf("unreadable schedule: %v", err)
	}
}

// TestFutureSlotCannotDisplaceRealRuns is issue 15 (5): a listed worker
// pushes a run for a slot in 2100; the persistence store (stale-run logic in
// query.Store) would then take it as the newest run and drop every real run
// as stale. The receiver refuses slots past its clock (plus the skew
// allowance) and slots the schedule does not produce, counts each refusal,
// and the real runs that follow are applied.
func TestFutureSlotCannotDisplaceRealRuns(t *testing.T) {
	path := dataset.Path{Provider: provider, Name: "market"}
	store, err := query.Open("", query.Options{FS: vfs.NewMem(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.CreateVersion(path, 1, marketSchema(t), nil); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	metrics, err := NewReceiverMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	now := day(10, 0, 20) // the run for the slot of 10 February started 20 s ago
	recv := Receiver(ReceiverConfig{
		Lookup: func(id common.Hash) (DatasetInfo, error) {
			tbl, err := store.Table(id)
			if err != nil {
				return DatasetInfo{}, err
			}
			return DatasetInfo{Workers: []identity.NodeID{workerID}, Schema: &tbl.Schema, Schedule: "daily", Version: 1}, nil
		},
		// As the persistence role ingests: with the run's slot and total,
		// so the store's stale-run check is on.
		Ingest: func(_ identity.NodeID, b *wire.Batch) (bool, error) {
			res, err := store.Ingest(query.Batch{Dataset: b.DatasetID, RunID: b.RunID.String(), Seq: uint64(b.Seq), Rows: b.Rows, Total: uint64(b.Total), Slot: b.SlotMicros, Version: b.Version})
			return res.Applied, err
		},
		Now:     func() time.Time { return now },
		Metrics: metrics,
	})
	push := func(slot time.Time, runByte byte) error {
		b := &wire.Batch{DatasetID: path.ID(), Version: 1, RunID: wire.RunID{runByte}, SlotMicros: slot.UnixMicro(), Seq: 0, Total: 1,
			Rows: []dataset.Row{{dataset.Timestamp(slot), dataset.Bytes([]byte("ct")), dataset.Bytes(make([]byte, dataset.OrderPreservingCellBytes))}}}
		enc, err := wire.Encode(b)
		if err != nil {
			t.Fatal(err)
		}
		_, err = recv(context.Background(), workerID, enc)
		return err
	}

	if err := push(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 1); err == nil || !strings.Contains(err.Error(), "has not come yet") {
		t.Fatalf("run for 2100: %v, want it refused as a future slot", err)
	}
	if err := push(day(10, 0, 7), 2); err == nil || !strings.Contains(err.Error(), "not a slot") {
		t.Fatalf("run for 00:00:07: %v, want it refused as not a slot of the daily schedule", err)
	}
	if err := push(day(11, 0, 0), 3); err == nil || !strings.Contains(err.Error(), "has not come yet") {
		t.Fatalf("run for tomorrow: %v, want it refused", err)
	}
	if err := push(day(10, 0, 0), 4); err != nil {
		t.Fatalf("the real run after the refused ones: %v", err)
	}
	now = day(11, 0, 0).Add(-30 * time.Second) // the worker's clock is 30 s ahead
	if err := push(day(11, 0, 0), 5); err != nil {
		t.Fatalf("the next real run, within the clock-skew allowance: %v", err)
	}
	res, err := store.Query(context.Background(), "SELECT day FROM market ORDER BY day", query.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Rows[0][0].Int != day(10, 0, 0).UnixMicro() || res.Rows[1][0].Int != day(11, 0, 0).UnixMicro() {
		t.Fatalf("stored rows %v, want the two real runs only", res.Rows)
	}
	for reason, want := range map[string]float64{RefusedFutureSlot: 2, RefusedNotASlot: 1, RefusedIngest: 0} {
		var m dto.Metric
		if err := metrics.Refused(reason).Write(&m); err != nil {
			t.Fatal(err)
		}
		if got := m.GetCounter().GetValue(); got != want {
			t.Errorf("enigma_persistence_push_refused_total{reason=%q} = %v, want %v", reason, got, want)
		}
	}
}

// TestReceiverTakesOnlyTheNodesVersion: a batch curated under another
// metadata version than the node stores is refused (a worker behind is
// told to take the new version; one ahead makes the node refresh once and
// then takes it).
func TestReceiverTakesOnlyTheNodesVersion(t *testing.T) {
	path := dataset.Path{Provider: provider, Name: "market"}
	known := uint64(2)
	refreshed := 0
	metrics, err := NewReceiverMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	schema := marketSchema(t)
	info := func() DatasetInfo {
		return DatasetInfo{Workers: []identity.NodeID{workerID}, Schema: &schema, Schedule: "daily", Version: known}
	}
	var ingested []uint64
	recv := Receiver(ReceiverConfig{
		Lookup: func(common.Hash) (DatasetInfo, error) { return info(), nil },
		Refresh: func(_ identity.NodeID, _ common.Hash, v uint64) (DatasetInfo, error) {
			refreshed++
			if v == 4 { // the catalog finds version 4 certified
				known = 4
			}
			return info(), nil
		},
		Ingest: func(_ identity.NodeID, b *wire.Batch) (bool, error) {
			ingested = append(ingested, b.Version)
			return true, nil
		},
		Now:     func() time.Time { return day(10, 0, 20) },
		Metrics: metrics,
	})
	push := func(v uint64) error {
		b := &wire.Batch{DatasetID: path.ID(), Version: v, RunID: wire.RunID{byte(v)}, SlotMicros: day(10, 0, 0).UnixMicro(), Total: 1,
			Rows: []dataset.Row{{dataset.Timestamp(day(10, 0, 0)), dataset.Bytes([]byte("ct")), dataset.Bytes(make([]byte, dataset.OrderPreservingCellBytes))}}}
		enc, err := wire.Encode(b)
		if err != nil {
			t.Fatal(err)
		}
		_, err = recv(context.Background(), workerID, enc)
		return err
	}
	if err := push(1); err == nil || !strings.Contains(err.Error(), "the worker is behind") {
		t.Fatalf("batch of an older version: %v", err)
	}
	if err := push(3); err == nil || !strings.Contains(err.Error(), "not seen the new version") {
		t.Fatalf("batch of a version the node cannot find: %v", err)
	}
	if err := push(4); err != nil {
		t.Fatalf("batch of a version the refresh found: %v", err)
	}
	if err := push(2); err == nil {
		t.Fatal("batch of the version the node replaced was taken")
	}
	if refreshed != 2 || fmt.Sprint(ingested) != "[4]" {
		t.Fatalf("refreshed %d times, ingested %v", refreshed, ingested)
	}
	var m dto.Metric
	if err := metrics.Refused(RefusedVersion).Write(&m); err != nil || m.GetCounter().GetValue() != 3 {
		t.Fatalf("refusals counted: %v %v", m.GetCounter().GetValue(), err)
	}
}

package node

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/wire"
)

type oneRecord struct{ rec *ledger.Record }

func (o oneRecord) FetchRecord(context.Context, common.Hash) (*ledger.CertifiedRecord, *ledger.Record, error) {
	return nil, o.rec, nil
}

func (o oneRecord) DatasetIDs(context.Context) ([]common.Hash, error) {
	return []common.Hash{o.rec.Signed.Metadata.ID()}, nil
}

type noAccess struct{}

func (noAccess) HasAccess(context.Context, common.Hash, common.Address) (access.Level, error) {
	return 0, nil
}

// TestPersistenceRefusesFutureSlots is issue 15 (5) on the persistence
// role: its push handler bounds a run's slot by the dataset's certified
// schedule and the node's clock (persistence.max_slot_skew), so a listed
// worker that pushes a run for 2100 cannot make the store drop the real
// runs that follow as stale.
func TestPersistenceRefusesFutureSlots(t *testing.T) {
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "day", "type": "timestamp"}, {"name": "v", "type": "int64"}], "primary_key": ["day"]}`))
	if err != nil {
		t.Fatal(err)
	}
	self, listed := identity.NodeID{0x01}, identity.NodeID{0x02}
	rec := &ledger.Record{Signed: ledger.SignedMetadata{Metadata: ledger.Metadata{
		Provider: common.HexToAddress("0xaa"), Name: "daily", Version: 1, Schema: schema, Schedule: "daily",
		Workers: []identity.NodeID{listed}, Persistence: []identity.NodeID{self},
	}}}
	m := &rec.Signed.Metadata
	log := slog.New(slog.DiscardHandler)
	catalog := NewCatalog(oneRecord{rec}, oneRecord{rec}, time.Hour, nil, log)
	clk := clock.NewSimulated(time.Date(2026, 2, 10, 0, 0, 20, 0, time.UTC))
	reg := prometheus.NewRegistry()
	p, err := NewPersistence(PersistenceConfig{
		Self: self, Dir: t.TempDir(), ChainID: 1337, Access: noAccess{}, Catalog: catalog, Clock: clk, Logger: log,
		// The receiver judges slots on the role's Clock, as Assemble
		// gives it the node's.
		Push: PushReceiverConfig{MaxSlotSkew: time.Minute, Registerer: reg},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if _, err := catalog.Fetch(context.Background(), m.ID()); err != nil {
		t.Fatal(err)
	}
	handle := p.Handlers()[worker.PushProtocol]
	push := func(slot time.Time, run byte) error {
		b := &wire.Batch{DatasetID: m.ID(), Version: 1, RunID: wire.RunID{run}, SlotMicros: slot.UnixMicro(), Seq: 0, Total: 1,
			Rows: []dataset.Row{{dataset.Timestamp(slot), dataset.Int64(int64(run))}}}
		enc, err := wire.Encode(b)
		if err != nil {
			t.Fatal(err)
		}
		_, err = handle(context.Background(), listed, enc)
		return err
	}
	day := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }

	if err := push(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 1); err == nil || !strings.Contains(err.Error(), "has not come yet") {
		t.Fatalf("run for 2100: %v, want it refused", err)
	}
	if err := push(day(10).Add(time.Hour), 2); err == nil || !strings.Contains(err.Error(), "not a slot") {
		t.Fatalf("run for 01:00 of a daily dataset: %v, want it refused", err)
	}
	if err := push(day(10), 3); err != nil {
		t.Fatalf("the real run: %v", err)
	}
	// A day ahead of the role's clock (though long past on the wall
	// clock): the slot is judged on the role's Clock.
	if err := push(day(11), 5); err == nil || !strings.Contains(err.Error(), "has not come yet") {
		t.Fatalf("run for tomorrow on the role's clock: %v, want it refused", err)
	}
	clk.AdvanceTo(day(11).Add(-20 * time.Second))
	if err := push(day(11), 4); err != nil {
		t.Fatalf("the next real run, 20 s early: %v", err)
	}
	res, err := p.Store().Query(context.Background(), "SELECT v FROM daily ORDER BY day", query.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Rows[0][0].Int != 3 || res.Rows[1][0].Int != 4 {
		t.Fatalf("stored %v, want the rows of runs 3 and 4", res.Rows)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]float64{}
	for _, f := range families {
		if f.GetName() == "enigma_persistence_push_refused_total" {
			for _, mt := range f.GetMetric() {
				refused[mt.GetLabel()[0].GetValue()] = mt.GetCounter().GetValue()
			}
		}
	}
	if refused[worker.RefusedFutureSlot] != 2 || refused[worker.RefusedNotASlot] != 1 || refused[worker.RefusedIngest] != 0 {
		t.Fatalf("enigma_persistence_push_refused_total = %v, want future_slot 2, not_a_slot 1", refused)
	}
}

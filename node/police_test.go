package node

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// probeCounter answers probes after a short wait, counting them per
// dataset and the most in flight at once.
type probeCounter struct {
	mu       sync.Mutex
	probes   map[common.Hash]int
	inFlight int
	most     int
}

func (c *probeCounter) Call(_ context.Context, _ identity.NodeID, _, proto string, req []byte) ([]byte, error) {
	if proto != ProtoProbe {
		return nil, fmt.Errorf("unexpected protocol %s", proto)
	}
	c.mu.Lock()
	c.probes[common.BytesToHash(req)]++
	c.inFlight++
	c.most = max(c.most, c.inFlight)
	c.mu.Unlock()
	time.Sleep(5 * time.Millisecond) // a network round trip
	c.mu.Lock()
	c.inFlight--
	c.mu.Unlock()
	return nil, nil
}

// Each round probes every dataset in the ledger, new ones included,
// several at a time; its listing follows the ledger root round by round.
func TestPoliceProbesEveryDatasetConcurrently(t *testing.T) {
	f, err := ledgertest.NewFixture(7, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	register := func(names ...string) {
		t.Helper()
		var reqs [][]byte
		for _, name := range names {
			cmd, err := f.Command(0, f.Metadata(0, name, 1))
			if err != nil {
				t.Fatal(err)
			}
			reqs = append(reqs, cmd)
		}
		bc, err := f.Context(reqs)
		if err != nil {
			t.Fatal(err)
		}
		if _, results, err := l.Apply(l.Seq()+1, bc, reqs); err != nil {
			t.Fatal(err)
		} else {
			for i, r := range results {
				if r != nil {
					t.Fatalf("register %s: %v", names[i], r)
				}
			}
		}
	}
	net := &probeCounter{probes: map[common.Hash]int{}}
	reg := prometheus.NewRegistry()
	p := NewPolice(PoliceConfig{Ledger: l, Net: net, Logger: slog.New(slog.DiscardHandler), Registry: reg})
	var names []string
	for i := range 40 {
		names = append(names, fmt.Sprintf("set%02d", i))
	}
	register(names[:30]...)
	p.round(context.Background())
	register(names[30:]...)
	listed := p.listedAt
	p.round(context.Background())
	if p.listedAt == listed || p.listedAt != l.Root() {
		t.Fatal("the second round did not list the ledger's new root")
	}
	for i, name := range names {
		want := 2
		if i >= 30 {
			want = 1
		}
		if got := net.probes[f.Metadata(0, name, 1).ID()]; got != want {
			t.Errorf("dataset %s probed %d times, want %d", name, got, want)
		}
	}
	// The operator sees the rounds and their outcomes.
	if rounds, answered := counterValue(t, reg, "enigma_police_rounds_total", ""), counterValue(t, reg, "enigma_police_datasets_probed_total", "answered"); rounds != 2 || answered != 70 {
		t.Errorf("enigma_police_rounds_total %v, datasets answered %v; want 2 and 70", rounds, answered)
	}
	if net.most < 2 || net.most > maxConcurrentProbes {
		t.Errorf("at most %d probes in flight, want between 2 and %d", net.most, maxConcurrentProbes)
	}
}

// The police's rounds follow its Clock: none before the interval has passed,
// one when it has, and none after Stop.
func TestPoliceRoundsFollowItsClock(t *testing.T) {
	clk := clock.NewSimulated(time.Unix(1_700_000_000, 0))
	rounds := make(chan struct{}, 8)
	p := NewPolice(PoliceConfig{Interval: time.Minute, Clock: clk, Logger: slog.New(slog.DiscardHandler),
		Duty: func(context.Context) (PoliceDuty, bool) {
			rounds <- struct{}{}
			return PoliceDuty{}, false // not a validator: the round ends there
		}})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for want := 1; want <= 2; want++ {
		if err := clk.WaitForTimers(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute - time.Second)
		select {
		case <-rounds:
			t.Fatalf("round %d ran before its interval passed", want)
		default:
		}
		clk.Advance(time.Second)
		select {
		case <-rounds:
		case <-ctx.Done():
			t.Fatalf("round %d did not run once the interval passed", want)
		}
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	select {
	case <-rounds:
		t.Fatal("a round ran after Stop")
	default:
	}
}

// counterValue reads a counter from reg, the sample whose label value is
// label ("" for an unlabelled counter); 0 when absent.
func counterValue(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if label == "" || len(m.GetLabel()) > 0 && m.GetLabel()[0].GetValue() == label {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

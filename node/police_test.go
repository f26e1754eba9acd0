package node

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/chain"
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
	f, l := policedLedger(t, nil)
	register := func(names ...string) {
		t.Helper()
		var listings []ledger.Metadata
		for _, name := range names {
			listings = append(listings, f.Metadata(0, name, 1))
		}
		applyListings(t, f, l, listings...)
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

// policedLedger returns a fixture and an empty ledger of its chain, which
// takes slash signatures over slashDigest's digests (nil: none).
func policedLedger(t *testing.T, slashDigest func(common.Hash, ledger.Offence, uint64) common.Hash) (*ledgertest.Fixture, *ledger.Ledger) {
	t.Helper()
	f, err := ledgertest.NewFixture(7, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true, SlashDigest: slashDigest}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	return f, l
}

// applyListings commits the register (version 1) or update commands of
// provider 0's listings to l.
func applyListings(t *testing.T, f *ledgertest.Fixture, l *ledger.Ledger, listings ...ledger.Metadata) {
	t.Helper()
	var reqs [][]byte
	for _, m := range listings {
		cmd, err := f.Command(0, m)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, cmd)
	}
	applyCommands(t, f, l, reqs...)
}

// applyCommands commits encoded ledger commands to l, each of which must
// be accepted.
func applyCommands(t *testing.T, f *ledgertest.Fixture, l *ledger.Ledger, reqs ...[]byte) {
	t.Helper()
	bc, err := f.Context(reqs)
	if err != nil {
		t.Fatal(err)
	}
	_, results, err := l.Apply(l.Seq()+1, bc, reqs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if r != nil {
			t.Fatalf("command %d: %v", i, r)
		}
	}
}

// datasetsUp answers a dataset's probes while it is marked up.
type datasetsUp struct {
	up map[common.Hash]bool
}

func (d *datasetsUp) Call(_ context.Context, _ identity.NodeID, _, _ string, req []byte) ([]byte, error) {
	if d.up[common.BytesToHash(req)] {
		return []byte("ok"), nil
	}
	return nil, errors.New("probe: dataset unknown to this node")
}

// A dataset none of whose persistence nodes has answered yet (just listed,
// or a version naming other nodes) is not counted offline within the
// grace; one whose nodes answered once is counted from its first miss.
func TestPoliceGivesNewPersistenceNodesGrace(t *testing.T) {
	f, l := policedLedger(t, nil)
	clk := clock.NewSimulated(time.Unix(1_700_000_000, 0))
	net := &datasetsUp{up: map[common.Hash]bool{}}
	reg := prometheus.NewRegistry()
	p := NewPolice(PoliceConfig{Ledger: l, Net: net, Clock: clk, Grace: time.Minute, Failures: 2,
		Logger: slog.New(slog.DiscardHandler), Registry: reg})
	fresh, served := f.Metadata(0, "fresh", 1), f.Metadata(0, "served", 1)
	applyListings(t, f, l, fresh, served)
	net.up[served.ID()] = true
	round := func(after time.Duration, wantFresh, wantServed int) {
		t.Helper()
		clk.Advance(after)
		p.round(context.Background())
		if got := p.failed[fresh.ID()]; got != wantFresh {
			t.Errorf("at %s: fresh has %d misses counted, want %d", clk.Now().Format(time.TimeOnly), got, wantFresh)
		}
		if got := p.failed[served.ID()]; got != wantServed {
			t.Errorf("at %s: served has %d misses counted, want %d", clk.Now().Format(time.TimeOnly), got, wantServed)
		}
	}
	round(0, 0, 0)
	net.up[served.ID()] = false
	round(10*time.Second, 0, 1)
	// Two misses: served is attested offline (refused here: this police
	// has no account); fresh is still within its grace.
	round(10*time.Second, 0, 2)
	if got := counterValue(t, reg, "enigma_police_attestations_total", "failed"); got != 1 {
		t.Errorf("%v attestations tried, want 1 (served's)", got)
	}
	// A minute after fresh was listed its misses count.
	round(40*time.Second, 1, 3)
	// A version naming other persistence nodes gets a grace of its own.
	moved := f.Metadata(0, "served", 2)
	moved.Persistence = []identity.NodeID{f.Nodes[3], f.Nodes[1]}
	applyListings(t, f, l, moved)
	round(10*time.Second, 2, 0)
	if grace, missed := counterValue(t, reg, "enigma_police_datasets_probed_total", "grace"), counterValue(t, reg, "enigma_police_datasets_probed_total", "missed"); grace != 4 || missed != 5 {
		t.Errorf("datasets probed: %v within grace and %v missed, want 4 and 5", grace, missed)
	}
}

// fakeSlasher records the slash transactions a police sends.
type fakeSlasher struct{ sent int }

func (*fakeSlasher) SlashDigest(id, offence common.Hash, epoch uint64) common.Hash {
	return crypto.Keccak256Hash(id[:], offence[:], binary.BigEndian.AppendUint64(nil, epoch))
}

func (s *fakeSlasher) Slash(context.Context, *ecdsa.PrivateKey, common.Hash, common.Hash, uint64, [][]byte) (*types.Receipt, error) {
	s.sent++
	return &types.Receipt{}, nil
}

// The offence record keeps its attestations in attester order, so its first
// attester changes while they arrive. A validator that was not first when
// the record reached its quorum sends the slash once it is (CI, 2026-12-07:
// each validator saw another first and gave up, and none sent); and any
// attester sends it once the record has held a quorum for Failures rounds
// without it (the first may be down).
func TestPoliceSlashesOnceTheRecordsFirstAttesterSettles(t *testing.T) {
	var digests fakeSlasher
	f, l := policedLedger(t, func(id common.Hash, o ledger.Offence, epoch uint64) common.Hash {
		return digests.SlashDigest(id, offenceCodes[o], epoch)
	})
	m := f.Metadata(0, "offline", 1)
	applyListings(t, f, l, m)
	attestation := func(i int) []byte {
		t.Helper()
		a := ledger.Attestation{DatasetID: m.ID(), Offence: ledger.OffencePersistenceOffline, Subject: m.Persistence[0], Evidence: []byte("no answer")}
		sig, err := chain.SignSlash(f.ValidatorAccounts[i], digests.SlashDigest(m.ID(), chain.OffencePersistenceOffline, 0))
		if err != nil {
			t.Fatal(err)
		}
		a.SlashSignature = sig
		sa, err := ledger.SignAttestation(f.Validators[i], f.ChainID, a)
		if err != nil {
			t.Fatal(err)
		}
		cmd, err := ledger.AttestCommand(sa).Encode()
		if err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// by ID: the record's order.
	order := []int{0, 1, 2, 3}
	slices.SortFunc(order, func(a, b int) int {
		ida, idb := f.Validators[a].ID(), f.Validators[b].ID()
		return bytes.Compare(ida[:], idb[:])
	})
	smallest, largest := order[0], order[3]
	police := func(i int) (*Police, *fakeSlasher) {
		slasher := &fakeSlasher{}
		p := NewPolice(PoliceConfig{Key: f.Validators[i], Account: f.ValidatorAccounts[i], ChainID: f.ChainID, Ledger: l,
			Net: &datasetsUp{up: map[common.Hash]bool{}}, Chain: slasher, Failures: 2, Logger: slog.New(slog.DiscardHandler),
			Duty: func(context.Context) (PoliceDuty, bool) { return PoliceDuty{Quorum: 3}, true }})
		p.done[m.ID()] = true // it attested (through the ledger below)
		return p, slasher
	}
	first, firstChain := police(smallest)
	last, lastChain := police(largest)
	// A quorum without the smallest ID: its first attester is order[1].
	applyCommands(t, f, l, attestation(order[1]), attestation(order[2]), attestation(order[3]))
	first.round(context.Background())
	last.round(context.Background())
	// The smallest ID's attestation lands: it is first now.
	applyCommands(t, f, l, attestation(smallest))
	first.round(context.Background())
	if firstChain.sent != 1 {
		t.Fatalf("the record's first attester sent %d slashes, want 1", firstChain.sent)
	}
	first.round(context.Background())
	if firstChain.sent != 1 {
		t.Fatalf("the first attester sent %d slashes after its slash went through, want 1", firstChain.sent)
	}
	// The last attester waits out Failures rounds at the quorum, then sends
	// in case the first is down.
	last.round(context.Background())
	if lastChain.sent != 0 {
		t.Fatal("an attester that is not first sent the slash before waiting")
	}
	last.round(context.Background())
	if lastChain.sent != 1 {
		t.Fatalf("an attester that is not first sent %d slashes after the record held a quorum for 3 rounds, want 1", lastChain.sent)
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

package chain

import (
	"errors"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain/contracts"
)

func (e *env) follower(depth uint64, store CursorStore) *Follower {
	e.t.Helper()
	f, err := NewFollower(FollowerConfig{Backend: e.dc.Backend(), Market: e.c.Market(), Depth: depth, Start: e.dc.Deployment.Block, Store: store, Logger: quietLogger})
	if err != nil {
		e.t.Fatal(err)
	}
	return f
}

func collect(t *testing.T, f *Follower) []Event {
	t.Helper()
	var evs []Event
	if _, err := f.Poll(t.Context(), func(ev Event) error { evs = append(evs, ev); return nil }); err != nil {
		t.Fatal(err)
	}
	return evs
}

func names(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Name)
	}
	return out
}

func TestFollowerConfirmationDepthAndRestart(t *testing.T) {
	e := newEnv(t)
	store := FileCursorStore{Path: filepath.Join(t.TempDir(), "cursor.json")}
	f := e.follower(2, store)
	id := e.register("weather")
	e.subscribe(e.subs[0], id, 1)
	head, _ := e.c.BlockNumber(e.ctx)

	first := collect(t, f)
	for _, ev := range first {
		if ev.Block > head-2 {
			t.Fatalf("delivered %s of block %d with head %d and depth 2", ev.Name, ev.Block, head)
		}
	}
	e.dc.Commit()
	e.dc.Commit()
	all := append(first, collect(t, f)...)
	want := []string{"OwnershipTransferred", "DatasetRegistered", "PayoutsChanged", "Subscribed"}
	if got := names(all); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Fatalf("events %v, want %v", got, want)
	}
	reg := all[1].Data.(*contracts.MarketplaceDatasetRegistered)
	if reg.Id != id || reg.Name != "weather" || reg.Provider != Address(e.prov) {
		t.Fatalf("decoded registration %+v", reg)
	}
	if sub := all[3].Data.(*contracts.MarketplaceSubscribed); sub.Subscriber != Address(e.subs[0]) || sub.Periods.Cmp(big.NewInt(1)) != 0 {
		t.Fatalf("decoded subscription %+v", sub)
	}

	// A restarted follower resumes from the saved cursor.
	again := e.follower(2, store)
	if evs := collect(t, again); len(evs) != 0 {
		t.Fatalf("after restart, redelivered %v", names(evs))
	}
	if _, err := e.c.StartTrial(e.ctx, e.subs[1], id); err != nil {
		t.Fatal(err)
	}
	e.dc.Commit()
	e.dc.Commit()
	if got := names(collect(t, again)); len(got) != 1 || got[0] != "TrialStarted" {
		t.Fatalf("after restart, delivered %v, want [TrialStarted]", got)
	}
}

func TestFollowerHandlerErrorKeepsCursor(t *testing.T) {
	e := newEnv(t)
	store := &memCursorStore{}
	f := e.follower(0, store)
	e.register("weather")
	boom := errors.New("boom")
	if _, err := f.Poll(e.ctx, func(Event) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("want the handler's error, got %v", err)
	}
	if got := names(collect(t, f)); len(got) != 3 {
		t.Fatalf("after a failed handler, redelivered %v, want all 3 events again", got)
	}
}

// TestFollowerDetectsDeepReorg forks the chain below blocks the follower had
// handled (depth 0) and checks that it reports the reorg, rewinds, and then
// delivers exactly what a fresh scan of the new chain sees.
func TestFollowerDetectsDeepReorg(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	forkPoint, err := e.dc.Backend().HeaderByNumber(e.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := e.follower(0, &memCursorStore{})
	collect(t, f)
	e.subscribe(e.subs[0], id, 1)
	e.subscribe(e.subs[1], id, 1)
	oldHead, _ := e.c.BlockNumber(e.ctx)
	if got := names(collect(t, f)); len(got) != 2 {
		t.Fatalf("before the reorg: %v", got)
	}

	if err := e.dc.Fork(forkPoint.Hash()); err != nil {
		t.Fatal(err)
	}
	for n := forkPoint.Number.Uint64(); n <= oldHead+1; n++ {
		e.dc.Commit()
	}
	_, err = f.Poll(e.ctx, func(Event) error { return nil })
	var re *ReorgError
	if !errors.As(err, &re) || re.Resume != forkPoint.Number.Uint64() {
		t.Fatalf("want a reorg back to block %d, got %v", forkPoint.Number, err)
	}
	after := collect(t, f)
	fresh := e.follower(0, &memCursorStore{})
	var truth []Event
	for _, ev := range collect(t, fresh) {
		if ev.Block > forkPoint.Number.Uint64() {
			truth = append(truth, ev)
		}
	}
	if len(after) != len(truth) {
		t.Fatalf("after the reorg delivered %v, the new chain has %v", names(after), names(truth))
	}
	for i := range after {
		if after[i].BlockHash != truth[i].BlockHash || after[i].TxHash != truth[i].TxHash {
			t.Fatalf("event %d: delivered %s in %s, chain has %s in %s", i, after[i].Name, after[i].BlockHash, truth[i].Name, truth[i].BlockHash)
		}
	}
}

func TestFileCursorStore(t *testing.T) {
	s := FileCursorStore{Path: filepath.Join(t.TempDir(), "sub", "cursor.json")}
	if _, ok, err := s.LoadCursor(); ok || err != nil {
		t.Fatalf("empty store: %v %v", ok, err)
	}
	c := Cursor{Block: 9, Recent: []BlockMarker{{Number: 9, Hash: common.HexToHash("0x9")}}}
	if err := s.SaveCursor(c); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.LoadCursor()
	if err != nil || !ok || got.Block != 9 || got.Recent[0] != c.Recent[0] {
		t.Fatalf("loaded %+v %v %v", got, ok, err)
	}
}

type memCursorStore struct {
	c  Cursor
	ok bool
}

func (m *memCursorStore) LoadCursor() (Cursor, bool, error) { return m.c, m.ok, nil }
func (m *memCursorStore) SaveCursor(c Cursor) error {
	m.c, m.ok = c, true
	return nil
}

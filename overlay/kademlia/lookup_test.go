package kademlia

import (
	"slices"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// testNet is a tiny in-memory overlay: every node has a Table; answers are
// Closest(target, K) from the asked node's table.
type testNet struct {
	ids    []ID
	tables map[ID]*Table
}

func newTestNet(r *randsrc.Rand, n, k int) *testNet {
	net := &testNet{tables: map[ID]*Table{}}
	for range n {
		net.ids = append(net.ids, randomID(r))
	}
	for _, id := range net.ids {
		tab := NewTable(TableConfig{Self: id, K: k, Siblings: 4, Eta: 2})
		for i, other := range net.ids {
			tab.Observe(Contact{ID: other, Addr: addr(i)}, Responded, 0)
		}
		net.tables[id] = tab
	}
	return net
}

// run drives l to completion; answer decides each reply (nil = failure).
func (net *testNet) run(t *testing.T, l *Lookup, answer func(Request) []Contact) map[ID]int {
	t.Helper()
	asked := map[ID]int{}
	for rounds := 0; !l.Done(); rounds++ {
		reqs := l.Next()
		if len(reqs) == 0 && !l.Done() {
			t.Fatal("lookup neither done nor asking")
		}
		if rounds > 10_000 {
			t.Fatal("lookup does not terminate")
		}
		for _, req := range reqs {
			if p, dup := asked[req.To.ID]; dup {
				t.Fatalf("%s asked twice (paths %d and %d)", req.To.ID.Short(), p, req.Path)
			}
			asked[req.To.ID] = req.Path
			if cs := answer(req); cs != nil {
				l.HandleNodes(req.To.ID, cs)
			} else {
				l.HandleFailure(req.To.ID)
			}
		}
	}
	return asked
}

func (net *testNet) honest(target ID) func(Request) []Contact {
	return func(req Request) []Contact { return net.tables[req.To.ID].Closest(target, 16) }
}

func TestLookupFindsTrueClosestOnDisjointPaths(t *testing.T) {
	r := randsrc.New(10)
	net := newTestNet(r, 300, 8)
	for trial := range 20 {
		target := randomID(r)
		start := net.tables[net.ids[trial]]
		l := NewLookup(target, start.Closest(target, 16), LookupConfig{K: 8, Paths: 4, Alpha: 2})
		net.run(t, l, net.honest(target))
		want := slices.Clone(net.ids)
		slices.SortFunc(want, func(a, b ID) int { return CompareDistance(target, a, b) })
		got := l.Closest(4)
		if len(got) != 4 {
			t.Fatalf("trial %d: %d results", trial, len(got))
		}
		if got[0].ID != want[0] && got[0].ID != start.Self() {
			t.Fatalf("trial %d: closest found %s, true closest %s", trial, got[0].ID.Short(), want[0].Short())
		}
		if l.Requests() == 0 {
			t.Fatal("lookup sent nothing")
		}
	}
}

func TestLookupRoutesAroundDroppingNodes(t *testing.T) {
	r := randsrc.New(11)
	net := newTestNet(r, 300, 8)
	bad := map[ID]bool{}
	for _, id := range net.ids[:60] {
		bad[id] = true
	}
	target := randomID(r)
	l := NewLookup(target, net.tables[net.ids[299]].Closest(target, 16), LookupConfig{K: 8, Paths: 4})
	honest := net.honest(target)
	asked := net.run(t, l, func(req Request) []Contact {
		if bad[req.To.ID] {
			return nil
		}
		return honest(req)
	})
	for _, c := range l.Closest(16) {
		if bad[c.ID] {
			t.Fatalf("a dropping node %s is reported as having answered", c.ID.Short())
		}
	}
	var trueHonest ID
	sorted := slices.Clone(net.ids)
	slices.SortFunc(sorted, func(a, b ID) int { return CompareDistance(target, a, b) })
	for _, id := range sorted {
		if !bad[id] {
			trueHonest = id
			break
		}
	}
	if _, ok := asked[trueHonest]; !ok {
		t.Fatalf("the closest honest node %s was never reached", trueHonest.Short())
	}
}

func TestLookupStopsAtRequestCap(t *testing.T) {
	r := randsrc.New(12)
	target := randomID(r)
	// Every answer invents fresh, ever closer contacts: an endless lookup
	// without the cap.
	var seeds []Contact
	for i := range 4 {
		seeds = append(seeds, Contact{ID: randomID(r), Addr: addr(i)})
	}
	l := NewLookup(target, seeds, LookupConfig{K: 4, Paths: 2, MaxPathRequests: 15})
	n := 0
	(&testNet{}).run(t, l, func(req Request) []Contact {
		n++
		var cs []Contact
		for j := range 4 {
			id := target
			id[20] ^= byte(200 - n) // each answer is closer than the last
			id[31] ^= byte(j + 1)
			cs = append(cs, Contact{ID: id, Addr: addr(n*4 + j)})
		}
		return cs
	})
	if l.Requests() != 30 {
		t.Fatalf("%d requests, want the cap of 2 paths × 15", l.Requests())
	}
}

func TestLookupValueEndsPathAndIgnoresStrangers(t *testing.T) {
	r := randsrc.New(13)
	net := newTestNet(r, 50, 8)
	target := randomID(r)
	l := NewLookup(target, net.tables[net.ids[0]].Closest(target, 8), LookupConfig{K: 8, Paths: 1, WantValue: true})
	reqs := l.Next()
	if len(reqs) != 1 {
		t.Fatalf("α=1, d=1: %d requests", len(reqs))
	}
	l.HandleValue(randomID(r), []byte("stranger")) // never asked: ignored
	l.HandleValue(reqs[0].To.ID, []byte("v1:x"))
	l.HandleValue(reqs[0].To.ID, []byte("v2:again")) // duplicate answer: ignored
	if !l.Done() {
		t.Fatal("FIND_VALUE path did not end at the value")
	}
	vals, holders := l.Values()
	if len(vals) != 1 || string(vals[0]) != "v1:x" || holders[0].ID != reqs[0].To.ID {
		t.Fatalf("values %q from %v", vals, holders)
	}
}

func TestLookupEndsWhenPathsAgreeOnSiblings(t *testing.T) {
	r := randsrc.New(14)
	net := newTestNet(r, 300, 8)
	saved := 0
	for trial := range 20 {
		target := randomID(r)
		seeds := net.tables[net.ids[trial]].Closest(target, 16)
		full := NewLookup(target, seeds, LookupConfig{K: 8, Paths: 4})
		net.run(t, full, net.honest(target))
		early := NewLookup(target, seeds, LookupConfig{K: 8, Paths: 4, Siblings: 4})
		net.run(t, early, net.honest(target))
		if !early.Agreed(4) {
			t.Fatalf("trial %d: lookup with Siblings ended without agreement", trial)
		}
		want := slices.Clone(net.ids)
		slices.SortFunc(want, func(a, b ID) int { return CompareDistance(target, a, b) })
		for i, c := range early.Closest(4) {
			if c.ID != want[i] && c.ID != net.ids[trial] {
				t.Fatalf("trial %d: agreed sibling %d is %s, true %s", trial, i, c.ID.Short(), want[i].Short())
			}
		}
		saved += full.Requests() - early.Requests()
	}
	if saved <= 0 {
		t.Fatalf("ending on agreement saved no requests (%d)", saved)
	}
}

func TestAgreementFailsWhenAPathIsPoisoned(t *testing.T) {
	r := randsrc.New(15)
	net := newTestNet(r, 300, 8)
	target := randomID(r)
	seeds := net.tables[net.ids[0]].Closest(target, 16)
	// Path 0's first node answers with fake contacts nobody else knows.
	var fakes []Contact
	for i := range 8 {
		id := target
		id[31] ^= byte(i + 1)
		fakes = append(fakes, Contact{ID: id, Addr: addr(1000 + i)})
	}
	l := NewLookup(target, seeds, LookupConfig{K: 8, Paths: 2, Siblings: 4})
	honest := net.honest(target)
	first := true
	net.run(t, l, func(req Request) []Contact {
		if _, fake := net.tables[req.To.ID]; !fake {
			return fakes // the fake nodes vouch for each other
		}
		if req.Path == 0 && first {
			first = false
			return fakes
		}
		return honest(req)
	})
	if l.Agreed(4) {
		t.Fatal("paths with different sibling views reported agreement")
	}
}

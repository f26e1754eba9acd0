package kademlia

import (
	"fmt"
	"slices"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// idWithPrefix returns an ID sharing exactly cpl leading bits with self.
func idWithPrefix(r *randsrc.Rand, self ID, cpl int) ID {
	return NewTable(TableConfig{Self: self}).RandomIDInBucket(cpl, randomID(r))
}

// addr gives node i an address in its own /24.
func addr(i int) string { return fmt.Sprintf("10.%d.%d.1:4000", i>>8&255, i&255) }

func TestTableAddsActivelyValidAndPingsPassiveInsideProtectedRegion(t *testing.T) {
	r := randsrc.New(1)
	self := randomID(r)
	tab := NewTable(TableConfig{Self: self, ProtectedPrefix: 8})
	far := Contact{ID: idWithPrefix(r, self, 2), Addr: addr(1)}
	near := Contact{ID: idWithPrefix(r, self, 12), Addr: addr(2)}
	if ping := tab.Observe(far, Requested, 1); len(ping) != 0 || !tab.Contains(far.ID) {
		t.Fatalf("signed requester outside the protected region: ping %v, in table %v", ping, tab.Contains(far.ID))
	}
	ping := tab.Observe(near, Requested, 2)
	if tab.Contains(near.ID) || len(ping) != 1 || ping[0] != near {
		t.Fatalf("requester inside the protected region must be pinged first: ping %v, in table %v", ping, tab.Contains(near.ID))
	}
	if ping := tab.Observe(near, Responded, 3); len(ping) != 0 || !tab.Contains(near.ID) {
		t.Fatal("an actively valid contact was not added at once")
	}
	if tab.Observe(Contact{ID: self, Addr: addr(3)}, Responded, 4) != nil || tab.Contains(self) {
		t.Fatal("table added its own ID")
	}
	if err := checkTable(tab); err != nil {
		t.Fatal(err)
	}
}

func TestTableKeepsLongLivedContactsAndReplacesFailedOnes(t *testing.T) {
	r := randsrc.New(2)
	self := randomID(r)
	// Eta·Siblings = 1 keeps the sibling list tiny so the bucket fills.
	tab := NewTable(TableConfig{Self: self, K: 4, Siblings: 1, Eta: 1, MaxFailures: 1})
	tab.Observe(Contact{ID: idWithPrefix(r, self, 200), Addr: addr(100)}, Responded, 0) // the sibling
	var olds []Contact
	for i := range 4 {
		c := Contact{ID: idWithPrefix(r, self, 1), Addr: addr(i)}
		olds = append(olds, c)
		tab.Observe(c, Responded, Time(i))
	}
	newcomer := Contact{ID: idWithPrefix(r, self, 1), Addr: addr(50)}
	ping := tab.Observe(newcomer, Responded, 10)
	if tab.Contains(newcomer.ID) || len(ping) != 1 || ping[0] != olds[0] {
		t.Fatalf("full bucket: newcomer in table %v, ping %v; want it cached and the oldest (%s) pinged", tab.Contains(newcomer.ID), ping, olds[0].ID.Short())
	}
	// The oldest answers: it stays, it becomes the most recently seen.
	tab.Observe(olds[0], Responded, 11)
	if ping := tab.Observe(newcomer, Responded, 12); len(ping) != 1 || ping[0] != olds[1] {
		t.Fatalf("after the oldest answered, the next oldest should be pinged, got %v", ping)
	}
	tab.Failed(olds[1].ID)
	if tab.Contains(olds[1].ID) || !tab.Contains(newcomer.ID) {
		t.Fatal("a failed contact was not replaced by the cached newcomer")
	}
	if err := checkTable(tab); err != nil {
		t.Fatal(err)
	}
}

func TestTableSubnetLimits(t *testing.T) {
	r := randsrc.New(3)
	self := randomID(r)
	tab := NewTable(TableConfig{Self: self, Siblings: 1, Eta: 1, BucketSubnetLimit: 2, TableSubnetLimit: 3})
	sameSubnet := func(i int) string { return fmt.Sprintf("192.0.2.%d:4000", i) }
	tab.Observe(Contact{ID: idWithPrefix(r, self, 200), Addr: addr(1)}, Responded, 0) // the sibling
	for i := range 2 {
		tab.Observe(Contact{ID: idWithPrefix(r, self, 3), Addr: sameSubnet(i)}, Responded, 0)
	}
	third := Contact{ID: idWithPrefix(r, self, 3), Addr: sameSubnet(9)}
	tab.Observe(third, Responded, 0)
	if tab.Contains(third.ID) {
		t.Fatal("bucket subnet limit not enforced")
	}
	for i := range 5 {
		tab.Observe(Contact{ID: idWithPrefix(r, self, 5+i), Addr: sameSubnet(20 + i)}, Responded, 0)
	}
	if got := tab.subnets["192.0.2"]; got != 3 {
		t.Fatalf("table subnet count %d, want the limit 3", got)
	}
	if err := checkTable(tab); err != nil {
		t.Fatal(err)
	}
}

func TestSubnetOf(t *testing.T) {
	for addr, want := range map[string]string{
		"10.1.2.3:4000":            "10.1.2",
		"127.0.0.1:9":              "",
		"[2001:db8:1:2:3::4]:4000": "2001:db8:1:2:3::4",
		"[2001:db8:1:2:3:4:5:6]:1": "2001:db8:1:2",
		"[::1]:5":                  "",
		"example.org:80":           "",
		"[broken":                  "",
	} {
		if got := SubnetOf(addr); got != want {
			t.Errorf("SubnetOf(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestTableMatchesBruteForce inserts many contacts, fails some, and checks
// the invariants and that Closest equals a brute-force sort of the contents.
func TestTableMatchesBruteForce(t *testing.T) {
	r := randsrc.New(4)
	self := randomID(r)
	tab := NewTable(TableConfig{Self: self, K: 8, Siblings: 4, Eta: 3})
	var inserted []Contact
	for i := range 3000 {
		c := Contact{ID: randomID(r), Addr: addr(i)}
		if i%3 == 0 {
			c.ID = idWithPrefix(r, self, 6+r.IntN(10))
		}
		inserted = append(inserted, c)
		tab.Observe(c, Responded, Time(i))
		if i%7 == 0 {
			tab.Failed(inserted[r.IntN(len(inserted))].ID)
		}
		if i%11 == 0 {
			tab.Remove(inserted[r.IntN(len(inserted))].ID)
		}
		if err := checkTable(tab); err != nil {
			t.Fatalf("after %d operations: %v", i, err)
		}
	}
	var contents []Contact
	for _, c := range inserted {
		if tab.Contains(c.ID) {
			contents = append(contents, c)
		}
	}
	if len(contents) != tab.Len() || len(tab.Contacts()) != tab.Len() {
		t.Fatalf("Contains finds %d contacts, Len says %d", len(contents), tab.Len())
	}
	for range 50 {
		target := randomID(r)
		want := slices.Clone(contents)
		SortByDistance(target, want)
		want = want[:20]
		if got := tab.Closest(target, 20); !slices.Equal(got, want) {
			t.Fatalf("Closest differs from brute force")
		}
	}
	// The sibling list is the η·s closest contacts to self.
	want := slices.Clone(contents)
	SortByDistance(self, want)
	if got := tab.Siblings(); !slices.Equal(got, want[:len(got)]) || len(got) != 12 {
		t.Fatalf("sibling list is not the %d closest contacts", 12)
	}
}

// TestCheckTableCatchesBrokenTables proves the invariant checker can fail.
func TestCheckTableCatchesBrokenTables(t *testing.T) {
	r := randsrc.New(5)
	self := randomID(r)
	build := func() *Table {
		tab := NewTable(TableConfig{Self: self, K: 4, Siblings: 2, Eta: 1})
		for i := range 200 {
			tab.Observe(Contact{ID: randomID(r), Addr: addr(i)}, Responded, 0)
		}
		if err := checkTable(tab); err != nil {
			t.Fatal(err)
		}
		return tab
	}
	breakers := map[string]func(*Table){
		"unsorted siblings": func(tab *Table) { tab.siblings[0], tab.siblings[1] = tab.siblings[1], tab.siblings[0] },
		"wrong bucket": func(tab *Table) {
			e := tab.buckets[0].entries[0]
			tab.buckets[0].entries = tab.buckets[0].entries[1:]
			tab.buckets[1].entries = append(tab.buckets[1].entries, e)
		},
		"size drift":      func(tab *Table) { tab.size++ },
		"subnet drift":    func(tab *Table) { tab.subnets["10.0.0"] += 5 },
		"overfull bucket": func(tab *Table) { tab.buckets[0].entries = append(tab.buckets[0].entries, tab.buckets[0].entries...) },
	}
	for name, breakIt := range breakers {
		tab := build()
		breakIt(tab)
		if err := checkTable(tab); err == nil {
			t.Errorf("%s: checker found nothing", name)
		}
	}
}

func TestResponsible(t *testing.T) {
	r := randsrc.New(6)
	self := randomID(r)
	tab := NewTable(TableConfig{Self: self, Siblings: 2})
	for i := range 100 {
		tab.Observe(Contact{ID: randomID(r), Addr: addr(i)}, Responded, 0)
	}
	if !tab.Responsible(self) {
		t.Fatal("a node is not responsible for its own ID")
	}
	sib := tab.Siblings()
	key := sib[len(sib)-1].ID // far from self relative to 2 closer nodes
	closest := tab.Closest(key, 2)
	want := !Closer(key, closest[1].ID, self)
	if got := tab.Responsible(key); got != want {
		t.Fatalf("Responsible(%s) = %v, want %v", key.Short(), got, want)
	}
}

func TestStaleBuckets(t *testing.T) {
	r := randsrc.New(8)
	self := randomID(r)
	tab := NewTable(TableConfig{Self: self, Siblings: 1, Eta: 1})
	tab.Observe(Contact{ID: idWithPrefix(r, self, 200), Addr: addr(0)}, Responded, 0)
	tab.Observe(Contact{ID: idWithPrefix(r, self, 0), Addr: addr(1)}, Responded, 100)
	tab.Observe(Contact{ID: idWithPrefix(r, self, 1), Addr: addr(2)}, Responded, 500)
	if got := tab.StaleBuckets(200); !slices.Equal(got, []int{0}) {
		t.Fatalf("stale buckets %v, want [0]", got)
	}
}

// Closest orders contacts whose distances to the target share their first
// 64 bits (it compares those first) as a brute-force sort does, for any n.
func TestClosestBeyondTheFirst64Bits(t *testing.T) {
	r := randsrc.New(5)
	self := randomID(r)
	base := randomID(r)
	tab := NewTable(TableConfig{Self: self, K: 64, Siblings: 16})
	for i := range 300 {
		c := Contact{ID: randomID(r), Addr: addr(i)}
		if i%2 == 0 {
			copy(c.ID[:8+r.IntN(20)], base[:]) // the first 64 bits or more as base's
		}
		tab.Observe(c, Responded, Time(i))
	}
	contents := tab.Contacts()
	tied := 0
	for _, c := range contents {
		if [8]byte(c.ID[:8]) == [8]byte(base[:8]) {
			tied++
		}
	}
	if tied < 16 {
		t.Fatalf("%d contacts share base's first 64 bits, want at least 16", tied)
	}
	for i := range 60 {
		target := base
		target[8+r.IntN(24)] ^= byte(1 + r.IntN(255))
		n := []int{1, 3, 16, 40, 500}[i%5]
		want := slices.Clone(contents)
		SortByDistance(target, want)
		want = want[:min(n, len(want))]
		if got := tab.Closest(target, n); !slices.Equal(got, want) {
			t.Fatalf("Closest(n = %d) differs from brute force", n)
		}
		if got := tab.appendClosest([]Contact{{Addr: "kept"}}, target, n); got[0].Addr != "kept" || !slices.Equal(got[1:], want) {
			t.Fatalf("appendClosest(n = %d) differs from brute force", n)
		}
	}
}

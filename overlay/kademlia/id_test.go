package kademlia

import (
	"crypto/sha256"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

func TestCommonPrefixLenAndDistance(t *testing.T) {
	var a, b ID
	if got := CommonPrefixLen(a, b); got != IDBits {
		t.Fatalf("equal IDs: prefix %d", got)
	}
	b[1] = 0x10 // bit 11
	if got := CommonPrefixLen(a, b); got != 11 {
		t.Fatalf("prefix %d, want 11", got)
	}
	var c ID
	c[1] = 0x01
	if !Closer(a, c, b) || Closer(a, b, c) || Closer(a, c, c) {
		t.Fatal("Closer disagrees with XOR distance")
	}
	if CompareDistance(a, b, c) != 1 || CompareDistance(a, c, b) != -1 || CompareDistance(a, b, b) != 0 {
		t.Fatal("CompareDistance disagrees with Closer")
	}
}

func TestPuzzles(t *testing.T) {
	key, x := testKey(1)
	if err := testPuzzle.Check(key.ID(), x); err != nil {
		t.Fatalf("solved puzzles rejected: %v", err)
	}
	if id := key.ID(); LeadingZeroBits(sha256.Sum256(id[:])) < testPuzzle.Static {
		t.Fatal("GenerateKey returned a key failing the static puzzle")
	}
	// A wrong X must fail the dynamic puzzle at a difficulty where a
	// random X almost surely fails.
	hard := Puzzle{Static: testPuzzle.Static, Dynamic: 40}
	if err := hard.Check(key.ID(), x); err == nil {
		t.Fatal("dynamic puzzle accepted an X solved for a lower difficulty")
	}
	// Find a key that fails the static puzzle and check it is refused.
	r := randsrc.New(7)
	for {
		id := randomID(r)
		if !StaticOK(id, 8) {
			if err := (Puzzle{Static: 8}).Check(id, SolveDynamic(id, 0)); err == nil {
				t.Fatal("static puzzle accepted an unsolved ID")
			}
			break
		}
	}
	if _, _, err := GenerateKey(seededReader{r}, 99); err == nil {
		t.Fatal("absurd difficulty accepted")
	}
}

func TestRandomIDInBucket(t *testing.T) {
	r := randsrc.New(3)
	tab := NewTable(TableConfig{Self: randomID(r)})
	for _, i := range []int{0, 1, 7, 8, 100, 255} {
		id := tab.RandomIDInBucket(i, randomID(r))
		if got := CommonPrefixLen(tab.Self(), id); got != i {
			t.Fatalf("bucket %d: ID has prefix %d", i, got)
		}
	}
}

package overlay

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

func TestNamedRecords(t *testing.T) {
	alice, _ := testKey(t, 1)
	mallory, _ := testKey(t, 2)
	v := NamedRecords{ChainID: 5}
	key, rec1, err := NewNamedRecord(alice, 5, "site", 1, []byte("one"))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(key, rec1); err != nil {
		t.Fatalf("valid record: %v", err)
	}
	_, rec2, _ := NewNamedRecord(alice, 5, "site", 2, []byte("two"))
	if i, err := v.Select(key, [][]byte{rec2, rec1}); err != nil || i != 0 {
		t.Fatalf("select: %d %v", i, err)
	}
	_, forged, _ := NewNamedRecord(mallory, 5, "site", 9, []byte("evil"))
	if v.Validate(key, forged) == nil {
		t.Fatal("another publisher wrote under alice's key")
	}
	_, otherChain, _ := NewNamedRecord(alice, 6, "site", 3, []byte("x"))
	if v.Validate(key, otherChain) == nil {
		t.Fatal("record signed for another chain accepted")
	}
	if v.Validate(key, []byte("junk")) == nil {
		t.Fatal("junk accepted")
	}
	if _, err := v.Select(key, [][]byte{forged}); err == nil {
		t.Fatal("select among invalid records")
	}
}

func TestLoadOrSolvePuzzle(t *testing.T) {
	key, _ := testKey(t, 1)
	path := filepath.Join(t.TempDir(), "nodekey.puzzle")
	x, err := LoadOrSolvePuzzle(path, key, testPuzzle)
	if err != nil {
		t.Fatal(err)
	}
	if err := testPuzzle.Check(key.ID(), x); err != nil {
		t.Fatal(err)
	}
	again, err := LoadOrSolvePuzzle(path, key, testPuzzle)
	if err != nil || again != x {
		t.Fatalf("stored solution not reused: %v", err)
	}
	harder := kademlia.Puzzle{Static: testPuzzle.Static, Dynamic: 10}
	y, err := LoadOrSolvePuzzle(path, key, harder)
	if err != nil || !kademlia.DynamicOK(key.ID(), y, 10) {
		t.Fatalf("raised difficulty not re-solved: %v", err)
	}
	os.WriteFile(path, []byte("zz"), 0o600)
	if _, err := LoadOrSolvePuzzle(path, key, testPuzzle); err == nil {
		t.Fatal("damaged puzzle file accepted")
	}
	if _, err := LoadOrSolvePuzzle(path, key, kademlia.Puzzle{Static: 40}); err == nil || errors.Is(err, os.ErrNotExist) {
		t.Fatalf("key failing the static puzzle: %v", err)
	}
}

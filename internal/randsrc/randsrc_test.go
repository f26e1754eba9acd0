package randsrc

import "testing"

func TestSameSeedSameSequence(t *testing.T) {
	a, b := New(42), New(42)
	for i := 0; i < 100; i++ {
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("draw %d differs: %d vs %d", i, x, y)
		}
	}
	if New(1).Uint64() == New(2).Uint64() {
		t.Fatal("different seeds gave the same first draw")
	}
}

func TestDeriveSeparatesComponents(t *testing.T) {
	if Derive(7, "network").Uint64() == Derive(7, "clients").Uint64() {
		t.Fatal("components of one seed share a stream")
	}
	if Derive(7, "network").Uint64() != Derive(7, "network").Uint64() {
		t.Fatal("Derive is not deterministic")
	}
}

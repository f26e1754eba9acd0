package ledger_test

import (
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/ledger"
)

// A copy keeps the recent states whole — same head, readable records,
// certifiable at a kept sequence — and drops the superseded nodes.
func TestCopyRecentKeepsRecentStatesAndDropsTheRest(t *testing.T) {
	f := newFixture(t, 4, 1)
	src := memorydb.New()
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, src)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		mustAccept(t, f, l, command(t, f, 0, f.Metadata(0, fmt.Sprintf("set%02d", i), 1)))
	}
	m := f.Metadata(0, "set00", 1)
	for v := uint64(2); v <= 120; v++ {
		m.Version = v
		m.Schedule = fmt.Sprintf("%d * * * *", v%60)
		mustAccept(t, f, l, command(t, f, 0, m))
	}
	if _, err := l.CopyRecent(memorydb.New(), 0); err == nil {
		t.Fatal("keep 0 accepted")
	}
	const keep = 16
	dst := memorydb.New()
	stats, err := l.CopyRecent(dst, keep)
	if err != nil {
		t.Fatal(err)
	}
	if stats.ToSeq != l.Seq() || stats.FromSeq != l.Seq()-keep+1 || stats.Nodes == 0 {
		t.Fatalf("stats %+v for a ledger at %d", stats, l.Seq())
	}
	if src.Len() <= dst.Len() {
		t.Fatalf("the copy has %d keys, the original %d: nothing was dropped", dst.Len(), src.Len())
	}
	t.Logf("keys: %d → %d (%d trie nodes copied)", src.Len(), dst.Len(), stats.Nodes)

	c, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, dst)
	if err != nil {
		t.Fatal(err)
	}
	if c.Seq() != l.Seq() || c.Root() != l.Root() {
		t.Fatalf("copy at %d/%s, original at %d/%s", c.Seq(), c.Root(), l.Seq(), l.Root())
	}
	rec, err := c.Dataset(m.ID())
	if err != nil || rec.Signed.Metadata.Version != 120 {
		t.Fatalf("dataset in the copy: %+v, %v", rec, err)
	}
	older := l.Seq() - keep + 1
	root, ok, err := c.RootAt(older)
	if err != nil || !ok {
		t.Fatalf("kept sequence %d: %v %v", older, ok, err)
	}
	cert, err := f.Certificate(older, root)
	if err != nil {
		t.Fatal(err)
	}
	cr, err := c.Certify(m.ID(), cert)
	if err != nil {
		t.Fatalf("certify at a kept sequence: %v", err)
	}
	if e, err := ledger.Verify(cr, f.Set); err != nil || e.Kind != ledger.EntryDataset {
		t.Fatalf("record certified by the copy does not verify: %v", err)
	}
	if _, ok, _ := c.RootAt(older - 1); ok {
		t.Fatal("a dropped sequence still has a root")
	}
	// The copy goes on applying batches where the original left off.
	m.Version = 121
	req := command(t, f, 0, m)
	bc, err := f.Context([][]byte{req})
	if err != nil {
		t.Fatal(err)
	}
	var roots []string
	for _, x := range []*ledger.Ledger{l, c} {
		root, results, err := x.Apply(x.Seq()+1, bc, [][]byte{req})
		if err != nil || results[0] != nil {
			t.Fatalf("apply: %v %v", err, results)
		}
		roots = append(roots, root.Hex())
	}
	if roots[0] != roots[1] {
		t.Fatalf("after one more batch the original is at %s, the copy at %s", roots[0], roots[1])
	}
}

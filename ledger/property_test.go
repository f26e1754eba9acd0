package ledger_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// batch is one generated batch: its context, its requests and the outcome
// the naive model expects for each (nil: accepted).
type batch struct {
	context  []byte
	requests [][]byte
	want     []error
}

// model is the naive version of the ledger the generator keeps: dataset
// versions and who attested what.
type model struct {
	owner    map[common.Hash]int // dataset → provider index
	version  map[common.Hash]uint64
	names    map[common.Hash]string
	attested map[common.Hash]map[identity.NodeID]bool // offence key → attesters
	ids      []common.Hash                            // registered, in order
}

// generate draws a random command history from seed: valid registers,
// updates and attestations mixed with stale, mis-signed, duplicate and
// malformed ones. Within a batch a dataset is touched at most once, since
// the batch's facts are read at one block.
func generate(t testing.TB, f *ledgertest.Fixture, seed uint64, batches int) ([]batch, *model) {
	t.Helper()
	rng := randsrc.Derive(seed, "ledger-property")
	md := &model{owner: map[common.Hash]int{}, version: map[common.Hash]uint64{}, names: map[common.Hash]string{}, attested: map[common.Hash]map[identity.NodeID]bool{}}
	var out []batch
	named := 0
	for range batches {
		var b batch
		touched := map[common.Hash]bool{}
		pick := func() (common.Hash, bool) {
			for range 4 {
				if len(md.ids) == 0 {
					return common.Hash{}, false
				}
				id := md.ids[rng.IntN(len(md.ids))]
				if !touched[id] {
					touched[id] = true
					return id, true
				}
			}
			return common.Hash{}, false
		}
		for range 1 + rng.IntN(6) {
			switch op := rng.IntN(7); {
			case op == 0 || len(md.ids) == 0: // register
				p := rng.IntN(len(f.Providers))
				name := fmt.Sprintf("ds-%d-%d", seed, named)
				named++
				m := f.Metadata(p, name, 1)
				b.requests = append(b.requests, command(t, f, p, m))
				b.want = append(b.want, nil)
				md.owner[m.ID()], md.version[m.ID()], md.names[m.ID()] = p, 1, name
				md.ids = append(md.ids, m.ID())
				touched[m.ID()] = true
			case op == 1 || op == 2: // update, sometimes skipping versions
				id, ok := pick()
				if !ok {
					continue
				}
				v := md.version[id] + 1 + uint64(rng.IntN(2))
				b.requests = append(b.requests, command(t, f, md.owner[id], f.Metadata(md.owner[id], md.names[id], v)))
				b.want = append(b.want, nil)
				md.version[id] = v
			case op == 3: // stale update
				id, ok := pick()
				if !ok {
					continue
				}
				m := f.Metadata(md.owner[id], md.names[id], md.version[id])
				m.Schedule = "@daily"
				enc, err := f.CommandOf(ledger.CmdUpdate, md.owner[id], m)
				if err != nil {
					t.Fatal(err)
				}
				b.requests = append(b.requests, enc)
				b.want = append(b.want, ledger.ErrStaleVersion)
			case op == 4: // signed by someone other than the owner
				id, ok := pick()
				if !ok || len(f.Providers) < 2 {
					continue
				}
				other := (md.owner[id] + 1) % len(f.Providers)
				b.requests = append(b.requests, command(t, f, other, f.Metadata(md.owner[id], md.names[id], md.version[id]+1)))
				b.want = append(b.want, ledger.ErrWrongOwner)
			case op == 5: // attestation, possibly a duplicate
				id := md.ids[rng.IntN(len(md.ids))]
				v := f.Validators[rng.IntN(len(f.Validators))]
				m := f.Metadata(md.owner[id], md.names[id], 1)
				subject := m.Persistence[rng.IntN(len(m.Persistence))]
				sa, err := ledger.SignAttestation(v, f.ChainID, ledger.Attestation{DatasetID: id, Epoch: 0, Offence: ledger.OffencePersistenceOffline, Subject: subject})
				if err != nil {
					t.Fatal(err)
				}
				enc, _ := ledger.AttestCommand(sa).Encode()
				key := ledger.OffenceKey(id, 0, ledger.OffencePersistenceOffline, subject)
				if md.attested[key] == nil {
					md.attested[key] = map[identity.NodeID]bool{}
				}
				var want error
				if md.attested[key][v.ID()] {
					want = ledger.ErrDuplicateAttestation
				}
				md.attested[key][v.ID()] = true
				b.requests = append(b.requests, enc)
				b.want = append(b.want, want)
			default: // junk
				junk := make([]byte, 1+rng.IntN(40))
				for i := range junk {
					junk[i] = byte(rng.Uint32())
				}
				b.requests = append(b.requests, junk)
				b.want = append(b.want, ledger.ErrMalformed)
			}
		}
		ctx, err := f.Context(b.requests)
		if err != nil {
			t.Fatal(err)
		}
		b.context = ctx
		out = append(out, b)
	}
	return out, md
}

// replay applies batches to l from sequence first, checking each outcome
// against the model's expectation.
func replay(t testing.TB, l *ledger.Ledger, batches []batch, first uint64) []common.Hash {
	t.Helper()
	var roots []common.Hash
	for i, b := range batches {
		root, results, err := l.Apply(first+uint64(i), b.context, b.requests)
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range results {
			if (b.want[j] == nil) != (r == nil) || (r != nil && !errors.Is(r, b.want[j])) {
				t.Fatalf("batch %d request %d: got %v, model expects %v", i, j, r, b.want[j])
			}
		}
		roots = append(roots, root)
	}
	return roots
}

// sameRoots is the invariant checker: every instance reports the same root
// after every batch.
func sameRoots(perInstance [][]common.Hash) error {
	for i := 1; i < len(perInstance); i++ {
		if len(perInstance[i]) != len(perInstance[0]) {
			return fmt.Errorf("instance %d applied %d batches, instance 0 applied %d", i, len(perInstance[i]), len(perInstance[0]))
		}
		for b := range perInstance[0] {
			if perInstance[i][b] != perInstance[0][b] {
				return fmt.Errorf("after batch %d instance %d has root %s, instance 0 has %s", b, i, perInstance[i][b].Hex(), perInstance[0][b].Hex())
			}
		}
	}
	return nil
}

func TestPropertyIndependentInstancesAgree(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			f, err := ledgertest.NewFixture(seed, 4, 3)
			if err != nil {
				t.Fatal(err)
			}
			batches, md := generate(t, f, seed, 25)
			a, b := newLedger(t, f), newLedger(t, f)
			ra, rb := replay(t, a, batches, 1), replay(t, b, batches, 1)

			// A third instance joins halfway by state transfer.
			half := len(batches) / 2
			c := newLedger(t, f)
			donor := newLedger(t, f)
			replay(t, donor, batches[:half], 1)
			snap, err := donor.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Restore(snap, donor.Root()); err != nil {
				t.Fatal(err)
			}
			rc := append(append([]common.Hash{}, ra[:half]...), replay(t, c, batches[half:], uint64(half)+1)...)
			if err := sameRoots([][]common.Hash{ra, rb, rc}); err != nil {
				t.Fatal(err)
			}

			// The ledger agrees with the model, and every key proves.
			sets := ledger.SetList{f.Set}
			cert, err := f.Certificate(a.Seq(), a.Root())
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range md.ids {
				cr, err := a.Certify(id, cert)
				if err != nil {
					t.Fatal(err)
				}
				enc, _ := cr.Encode()
				_, rec, err := ledger.VerifyDatasetRecord(sets, id, enc)
				if err != nil {
					t.Fatalf("dataset %s: %v", id.Hex(), err)
				}
				if rec.Signed.Metadata.Version != md.version[id] {
					t.Fatalf("dataset %s at version %d, the model says %d", id.Hex(), rec.Signed.Metadata.Version, md.version[id])
				}
			}
			for key, who := range md.attested {
				cr, err := a.Certify(key, cert)
				if err != nil {
					t.Fatal(err)
				}
				e, err := ledger.Verify(cr, f.Set)
				if err != nil || e.Kind != ledger.EntryOffence || len(e.Offence.Attestations) != len(who) {
					t.Fatalf("offence %s: %v, kind %v, want %d attestations", key.Hex(), err, e.Kind, len(who))
				}
			}
			for i := range 20 {
				key := crypto.Keccak256Hash([]byte(fmt.Sprint("absent", i)))
				cr, err := a.Certify(key, cert)
				if err != nil {
					t.Fatal(err)
				}
				if e, err := ledger.Verify(cr, f.Set); err != nil || e.Kind != ledger.EntryAbsent {
					t.Fatalf("absence of %s: %v %v", key.Hex(), e.Kind, err)
				}
			}
		})
	}
}

// TestSameRootsCatchesDivergence shows the checker failing on instances
// that applied different histories: b's last batch carries a register that
// a's lacks (a Byzantine primary sending different batches).
func TestSameRootsCatchesDivergence(t *testing.T) {
	f := newFixture(t, 4, 2)
	batches, _ := generate(t, f, 9, 5)
	a, b := newLedger(t, f), newLedger(t, f)
	ra, rb := replay(t, a, batches, 1), replay(t, b, batches, 1)
	if err := sameRoots([][]common.Hash{ra, rb}); err != nil {
		t.Fatalf("equal histories flagged: %v", err)
	}
	extra := command(t, f, 0, f.Metadata(0, "divergent", 1))
	ctx, err := f.Context([][]byte{extra})
	if err != nil {
		t.Fatal(err)
	}
	rootA, _, errA := a.Apply(a.Seq()+1, ctx, nil)
	rootB, _, errB := b.Apply(b.Seq()+1, ctx, [][]byte{extra})
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if err := sameRoots([][]common.Hash{append(ra, rootA), append(rb, rootB)}); err == nil {
		t.Fatal("the checker missed diverging instances")
	}
	if err := sameRoots([][]common.Hash{ra, ra[:3]}); err == nil {
		t.Fatal("the checker missed an instance that fell behind")
	}
}

func TestSnapshotRoundTripAndCorruption(t *testing.T) {
	f := newFixture(t, 4, 3)
	batches, _ := generate(t, f, 3, 12)
	src := newLedger(t, f)
	replay(t, src, batches, 1)
	snap, err := src.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	dst := newLedger(t, f)
	if err := dst.Restore(snap, src.Root()); err != nil {
		t.Fatal(err)
	}
	if dst.Root() != src.Root() || dst.Seq() != src.Seq() {
		t.Fatalf("restored %d/%s, want %d/%s", dst.Seq(), dst.Root(), src.Seq(), src.Root())
	}
	again, _ := dst.Snapshot()
	if !bytes.Equal(again, snap) {
		t.Fatal("a restored ledger snapshots differently")
	}

	// Corruptions: every one is refused and leaves the target untouched.
	fresh := newLedger(t, f)
	rng := randsrc.New(5)
	for i := range 200 {
		bad := bytes.Clone(snap)
		pos := rng.IntN(len(bad))
		bad[pos] ^= byte(1 + rng.IntN(255))
		if err := fresh.Restore(bad, src.Root()); err == nil {
			t.Fatalf("corruption %d at byte %d accepted", i, pos)
		}
		if fresh.Seq() != 0 || fresh.Root() != newLedger(t, f).Root() {
			t.Fatal("a refused snapshot changed the ledger")
		}
	}
	if err := fresh.Restore(snap[:len(snap)/2], src.Root()); err == nil {
		t.Fatal("a truncated snapshot was accepted")
	}
	otherRoot := src.Root()
	otherRoot[0] ^= 1
	if err := fresh.Restore(snap, otherRoot); err == nil {
		t.Fatal("a snapshot was accepted against the wrong root")
	}
	if err := fresh.Restore(snap, src.Root()); err != nil {
		t.Fatalf("the intact snapshot was refused after the failed attempts: %v", err)
	}
	// The restored ledger keeps applying like the original.
	more, _ := generate(t, f, 4, 3)
	if err := sameRoots([][]common.Hash{replay(t, src, more, src.Seq()+1), replay(t, fresh, more, fresh.Seq()+1)}); err != nil {
		t.Fatal(err)
	}
}

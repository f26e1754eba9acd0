package ledger_test

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/ledger"
)

// FuzzCertifiedRecord feeds arbitrary bytes to the DHT-facing decoder and
// verifier: no panic, and anything decoded re-encodes to the same bytes.
func FuzzCertifiedRecord(f *testing.F) {
	fx := newFixture(f, 4, 1)
	l := newLedger(f, fx)
	m := fx.Metadata(0, "prices", 1)
	mustAccept(f, fx, l, command(f, fx, 0, m), command(f, fx, 0, fx.Metadata(0, "volumes", 1)))
	for _, key := range [][32]byte{m.ID(), crypto.Keccak256Hash([]byte("absent"))} {
		enc, err := certify(f, fx, l, key).Encode()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	sets := ledger.SetList{fx.Set}
	f.Fuzz(func(t *testing.T, b []byte) {
		cr, err := ledger.DecodeCertifiedRecord(b)
		if err != nil {
			return
		}
		again, err := cr.Encode()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("non-canonical certified record accepted: %v", err)
		}
		_, _, _ = ledger.VerifyEncoded(sets, cr.Key, b)
	})
}

// FuzzCommand feeds arbitrary request payloads to the decoder and to Apply.
func FuzzCommand(f *testing.F) {
	fx := newFixture(f, 4, 1)
	m := fx.Metadata(0, "prices", 1)
	reg := command(f, fx, 0, m)
	sa, _ := ledger.SignAttestation(fx.Validators[0], fx.ChainID, ledger.Attestation{DatasetID: m.ID(), Offence: ledger.OffencePersistenceOffline, Subject: m.Persistence[0], Evidence: []byte("x")})
	att, _ := ledger.AttestCommand(sa).Encode()
	f.Add(reg)
	f.Add(att)
	ctx, err := fx.Context([][]byte{reg, att})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, err := ledger.DecodeCommand(b); err == nil {
			again, err := c.Encode()
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("non-canonical command accepted: %v", err)
			}
		}
		l := newLedger(t, fx)
		if _, _, err := l.Apply(1, ctx, [][]byte{reg, b}); err != nil {
			t.Fatalf("a request payload broke the batch: %v", err)
		}
	})
}

// FuzzBatchContext feeds arbitrary contexts to the replica's check.
func FuzzBatchContext(f *testing.F) {
	fx := newFixture(f, 4, 1)
	reg := command(f, fx, 0, fx.Metadata(0, "prices", 1))
	ctx, err := fx.Context([][]byte{reg})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ctx)
	f.Fuzz(func(t *testing.T, b []byte) {
		bc, err := ledger.DecodeContext(b)
		if err != nil {
			return
		}
		again, err := bc.Encode()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("non-canonical context accepted: %v", err)
		}
		if err := ledger.CheckContext(t.Context(), fx.Chain, b, [][]byte{reg}); err == nil && !bytes.Equal(b, ctx) {
			t.Fatal("a context other than the true one passed the check")
		}
	})
}

// FuzzRestore feeds arbitrary snapshots to Restore: only the true one for
// the expected root may succeed.
func FuzzRestore(f *testing.F) {
	fx := newFixture(f, 4, 1)
	src := newLedger(f, fx)
	mustAccept(f, fx, src, command(f, fx, 0, fx.Metadata(0, "prices", 1)), command(f, fx, 0, fx.Metadata(0, "volumes", 1)))
	snap, err := src.Snapshot()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(snap)
	f.Fuzz(func(t *testing.T, b []byte) {
		dst := newLedger(t, fx)
		if err := dst.Restore(b, src.Root()); err == nil && dst.Root() != src.Root() {
			t.Fatal("restore succeeded with another root")
		}
	})
}

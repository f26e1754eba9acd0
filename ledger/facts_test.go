package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

func TestReplicaChecksPrimaryContext(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 4, 1)
	m := f.Metadata(0, "prices", 1)
	sm, _ := f.Sign(0, m)
	reg, _ := ledger.RegisterCommand(sm).Encode()
	sa, _ := ledger.SignAttestation(f.Validators[0], f.ChainID, ledger.Attestation{DatasetID: m.ID(), Offence: ledger.OffencePersistenceOffline, Subject: m.Persistence[0]})
	att, _ := ledger.AttestCommand(sa).Encode()
	reqs := [][]byte{reg, att, []byte("junk needs no facts")}

	// The primary's view is ahead: the dataset is published and confirmed.
	if err := f.Publish(&m); err != nil {
		t.Fatal(err)
	}
	bc, err := ledger.BuildContext(ctx, f.Chain, reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(bc.Datasets) != 1 || !bc.Datasets[0].Exists || len(bc.Validators) != 1 || !bc.Validators[0].Member {
		t.Fatalf("context facts: %+v", bc)
	}
	enc, _ := bc.Encode()
	if err := ledger.CheckContext(ctx, f.Chain, enc, reqs); err != nil {
		t.Fatalf("a replica with the same view rejected the context: %v", err)
	}

	// A replica whose view lags: not ready until it confirms block B.
	lagging := ledgertest.NewChain()
	lagging.Confirm(lagging.SetValidatorSet(f.Set))
	if err := ledger.CheckContext(ctx, lagging, enc, reqs); !errors.Is(err, ledger.ErrNotReady) {
		t.Fatalf("lagging view: got %v, want ErrNotReady", err)
	}

	// A primary that lies about the facts, or leaves some out.
	lie := *bc
	lie.Datasets = append([]ledger.DatasetFacts{}, bc.Datasets...)
	lie.Datasets[0].Owner[0] ^= 1
	lieEnc, _ := lie.Encode()
	if err := ledger.CheckContext(ctx, f.Chain, lieEnc, reqs); !errors.Is(err, ledger.ErrBadContext) {
		t.Fatalf("false facts: got %v, want ErrBadContext", err)
	}
	partial := *bc
	partial.Validators = nil
	partialEnc, _ := partial.Encode()
	if err := ledger.CheckContext(ctx, f.Chain, partialEnc, reqs); !errors.Is(err, ledger.ErrBadContext) {
		t.Fatalf("missing facts: got %v, want ErrBadContext", err)
	}
	notMember := *bc
	notMember.Validators = []ledger.ValidatorFacts{{Epoch: 0, ID: identity.NodeID{1}}}
	nmEnc, _ := notMember.Encode()
	if err := ledger.CheckContext(ctx, f.Chain, nmEnc, reqs); !errors.Is(err, ledger.ErrBadContext) {
		t.Fatalf("facts about another validator: got %v, want ErrBadContext", err)
	}
	if err := ledger.CheckContext(ctx, f.Chain, []byte{0xc1}, reqs); !errors.Is(err, ledger.ErrBadContext) {
		t.Fatalf("garbage context: got %v, want ErrBadContext", err)
	}
	// Unsorted facts are refused even if each fact is true.
	m2 := f.Metadata(0, "volumes", 1)
	if err := f.Publish(&m2); err != nil {
		t.Fatal(err)
	}
	sm2, _ := f.Sign(0, m2)
	reg2, _ := ledger.RegisterCommand(sm2).Encode()
	two, err := ledger.BuildContext(ctx, f.Chain, [][]byte{reg, reg2})
	if err != nil {
		t.Fatal(err)
	}
	two.Datasets[0], two.Datasets[1] = two.Datasets[1], two.Datasets[0]
	twoEnc, _ := two.Encode()
	if err := ledger.CheckContext(ctx, f.Chain, twoEnc, [][]byte{reg, reg2}); !errors.Is(err, ledger.ErrBadContext) {
		t.Fatalf("unsorted facts: got %v, want ErrBadContext", err)
	}
}

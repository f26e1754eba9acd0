package ledger_test

import (
	"crypto/ed25519"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
)

func TestRegisterThenUpdate(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	if l.Root() != types.EmptyRootHash || l.Seq() != 0 {
		t.Fatalf("new ledger at seq %d root %s, want 0 and the empty root", l.Seq(), l.Root())
	}
	m := f.Metadata(0, "prices", 1)
	r1 := mustAccept(t, f, l, command(t, f, 0, m))
	createdAt := f.Chain.Head()
	rec, err := l.Dataset(m.ID())
	if err != nil || rec == nil {
		t.Fatalf("registered dataset not found: %v", err)
	}
	if rec.Signed.Metadata.Version != 1 || rec.CreatedBlock != createdAt || rec.UpdatedSeq != 1 {
		t.Fatalf("record after register: version %d created %d seq %d", rec.Signed.Metadata.Version, rec.CreatedBlock, rec.UpdatedSeq)
	}
	m2 := f.Metadata(0, "prices", 2)
	m2.Schedule = "@every 30m"
	r2 := mustAccept(t, f, l, command(t, f, 0, m2))
	if r2 == r1 {
		t.Fatal("update did not change the root")
	}
	rec, _ = l.Dataset(m.ID())
	if rec.Signed.Metadata.Version != 2 || rec.Signed.Metadata.Schedule != "@every 30m" {
		t.Fatalf("update not applied: %+v", rec.Signed.Metadata)
	}
	if rec.CreatedBlock != createdAt || rec.UpdatedBlock != f.Chain.Head() || rec.UpdatedSeq != 2 {
		t.Fatalf("blocks after update: created %d updated %d seq %d", rec.CreatedBlock, rec.UpdatedBlock, rec.UpdatedSeq)
	}
	if root, ok, _ := l.RootAt(1); !ok || root != r1 {
		t.Fatalf("RootAt(1) = %s %v, want %s", root, ok, r1)
	}
}

// TestRejectedCommandsChangeNothing runs each kind of invalid command
// against a ledger holding one dataset and checks the reason and that the
// root is unchanged.
func TestRejectedCommandsChangeNothing(t *testing.T) {
	f := newFixture(t, 4, 2)
	l := newLedger(t, f)
	m := f.Metadata(0, "prices", 1)
	mustAccept(t, f, l, command(t, f, 0, m))
	subject := m.Persistence[0]

	signed := func(provider int, m ledger.Metadata) ledger.SignedMetadata {
		sm, err := f.Sign(provider, m)
		if err != nil {
			t.Fatal(err)
		}
		return sm
	}
	encode := func(c ledger.Command) []byte {
		b, err := c.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	attest := func(k *identity.NodeKey, a ledger.Attestation) []byte {
		sa, err := ledger.SignAttestation(k, f.ChainID, a)
		if err != nil {
			t.Fatal(err)
		}
		return encode(ledger.AttestCommand(sa))
	}
	offline := ledger.Attestation{DatasetID: m.ID(), Epoch: 0, Offence: ledger.OffencePersistenceOffline, Subject: subject, Evidence: []byte("probe log")}
	outsider, _ := identity.NodeKeyFromSeed(make([]byte, 32))

	cases := []struct {
		name string
		want error
		req  func() []byte
	}{
		{"garbage", ledger.ErrMalformed, func() []byte { return []byte{0xde, 0xad} }},
		{"bad name", ledger.ErrBadName, func() []byte {
			bad := f.Metadata(0, "Prices!", 1)
			return encode(ledger.RegisterCommand(signed(0, bad)))
		}},
		{"oversized script", ledger.ErrOversized, func() []byte {
			big := f.Metadata(0, "big", 1)
			big.Script = make([]byte, ledger.MaxScriptSize+1)
			big.ScriptHash = crypto.Keccak256Hash(big.Script)
			return encode(ledger.RegisterCommand(signed(0, big)))
		}},
		{"script hash mismatch", ledger.ErrInvalidMetadata, func() []byte {
			bad := f.Metadata(0, "other", 1)
			bad.ScriptHash[0] ^= 1
			return encode(ledger.RegisterCommand(signed(0, bad)))
		}},
		{"time zone schedule", ledger.ErrInvalidMetadata, func() []byte {
			bad := f.Metadata(0, "other", 1)
			bad.Schedule = "CRON_TZ=Europe/Paris 0 * * * *"
			return encode(ledger.RegisterCommand(signed(0, bad)))
		}},
		{"bad signature", ledger.ErrBadSignature, func() []byte {
			m2 := f.Metadata(0, "prices", 2)
			sm := signed(0, m2)
			if err := f.Publish(&m2); err != nil {
				t.Fatal(err)
			}
			sm.Signature = sm.Signature[:64] // a tampered R or S recovers another signer; a short one recovers none
			return encode(ledger.UpdateCommand(sm))
		}},
		{"wrong owner", ledger.ErrWrongOwner, func() []byte {
			m2 := f.Metadata(0, "prices", 2)
			if err := f.Publish(&m2); err != nil {
				t.Fatal(err)
			}
			return encode(ledger.UpdateCommand(signed(1, m2))) // provider 1 signs provider 0's dataset
		}},
		{"not on chain", ledger.ErrNotOnChain, func() []byte {
			return encode(ledger.RegisterCommand(signed(1, f.Metadata(1, "unpublished", 1))))
		}},
		{"metadata hash not on chain", ledger.ErrMetadataHashMismatch, func() []byte {
			m2 := f.Metadata(0, "prices", 2)
			if err := f.Publish(&m2); err != nil {
				t.Fatal(err)
			}
			m2.Trial.RowLimit++ // sign something other than what is on chain
			return encode(ledger.UpdateCommand(signed(0, m2)))
		}},
		{"inactive on chain", ledger.ErrInactive, func() []byte {
			m2 := f.Metadata(0, "prices", 2)
			h, _ := ledger.MetadataHash(&m2)
			f.Chain.Confirm(f.Chain.SetDataset(ledger.DatasetFacts{ID: m2.ID(), Exists: true, Owner: m2.Provider, MetadataHash: h}))
			return encode(ledger.UpdateCommand(signed(0, m2)))
		}},
		{"register twice", ledger.ErrAlreadyRegistered, func() []byte {
			return command(t, f, 0, f.Metadata(0, "prices", 1))
		}},
		{"update unknown", ledger.ErrNotRegistered, func() []byte {
			return command(t, f, 1, f.Metadata(1, "fresh", 2))
		}},
		{"stale version", ledger.ErrStaleVersion, func() []byte {
			m1 := f.Metadata(0, "prices", 1)
			m1.Schedule = "@daily" // a different version 1, hash on chain
			sm := signed(0, m1)
			if err := f.Publish(&m1); err != nil {
				t.Fatal(err)
			}
			return encode(ledger.UpdateCommand(sm))
		}},
		{"attester not a validator", ledger.ErrNotValidator, func() []byte { return attest(outsider, offline) }},
		{"attestation with bad signature", ledger.ErrBadSignature, func() []byte {
			sa, _ := ledger.SignAttestation(f.Validators[0], f.ChainID, offline)
			sa.Signature[0] ^= 1
			return encode(ledger.AttestCommand(sa))
		}},
		{"attestation about a node not in the dataset", ledger.ErrNotSubject, func() []byte {
			a := offline
			a.Subject = m.Workers[0] // a worker, accused of a persistence offence
			return attest(f.Validators[0], a)
		}},
		{"attestation with oversized evidence", ledger.ErrOversized, func() []byte {
			a := offline
			a.Evidence = make([]byte, ledger.MaxEvidenceSize+1)
			return attest(f.Validators[0], a)
		}},
		{"attestation of unknown offence", ledger.ErrUnknownOffence, func() []byte {
			a := offline
			a.Offence = 9
			return attest(f.Validators[0], a)
		}},
		{"attestation in an unknown epoch", ledger.ErrNotValidator, func() []byte {
			a := offline
			a.Epoch = 7
			return attest(f.Validators[0], a)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req()
			ctx, err := f.Context([][]byte{req})
			if err != nil {
				t.Fatal(err)
			}
			unchanged := emptyBatchRoot(t, f, l, ctx)
			root, results, err := l.Apply(l.Seq()+1, ctx, [][]byte{req})
			if err != nil {
				t.Fatal(err)
			}
			if !errors.Is(results[0], tc.want) {
				t.Fatalf("got %v, want %v", results[0], tc.want)
			}
			if root != unchanged {
				t.Fatal("a rejected command changed the state")
			}
		})
	}
}

func TestAttestationsAccumulatePerOffence(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	m := f.Metadata(0, "prices", 1)
	mustAccept(t, f, l, command(t, f, 0, m))
	a := ledger.Attestation{DatasetID: m.ID(), Offence: ledger.OffencePersistenceOffline, Subject: m.Persistence[1], Evidence: []byte("no answer to 5 probes")}
	var reqs [][]byte
	for _, k := range f.Validators[:3] {
		sa, err := ledger.SignAttestation(k, f.ChainID, a)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := ledger.AttestCommand(sa).Encode()
		reqs = append(reqs, b)
	}
	mustAccept(t, f, l, reqs[2], reqs[0])
	_, results := apply(t, f, l, reqs[1], reqs[0])
	if results[0] != nil || !errors.Is(results[1], ledger.ErrDuplicateAttestation) {
		t.Fatalf("results %v, want [nil, duplicate]", results)
	}
	e, err := l.Get(ledger.OffenceKey(m.ID(), 0, ledger.OffencePersistenceOffline, m.Persistence[1]))
	if err != nil || e.Kind != ledger.EntryOffence {
		t.Fatalf("offence record: %v %v", e.Kind, err)
	}
	if len(e.Offence.Attestations) != 3 {
		t.Fatalf("%d attestations recorded, want 3", len(e.Offence.Attestations))
	}
	for i := 1; i < 3; i++ {
		prev, cur := e.Offence.Attestations[i-1].Attestation.Attester, e.Offence.Attestations[i].Attestation.Attester
		if strings.Compare(prev.String(), cur.String()) >= 0 {
			t.Fatal("attestations are not sorted by attester")
		}
	}
}

func TestBatchWithoutFactsRejectsEverything(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	req := command(t, f, 0, f.Metadata(0, "prices", 1))
	// A context lacking the dataset's facts: every replica rejects alike.
	empty, _ := (&ledger.BatchContext{Block: f.Chain.Head()}).Encode()
	unchanged := emptyBatchRoot(t, f, l, empty)
	root, results, err := l.Apply(1, empty, [][]byte{req})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(results[0], ledger.ErrNoFacts) || root != unchanged {
		t.Fatalf("got %v root %s, want ErrNoFacts and root %s", results[0], root, unchanged)
	}
	_, results, err = l.Apply(2, []byte{0x01}, [][]byte{req})
	if err != nil || !errors.Is(results[0], ledger.ErrNoFacts) {
		t.Fatalf("undecodable context: %v %v", results, err)
	}
	if _, _, err := l.Apply(2, empty, nil); !errors.Is(err, ledger.ErrAlreadyApplied) {
		t.Fatalf("reapplying seq 2: %v, want ErrAlreadyApplied", err)
	}
}

func TestValidatorSetChecks(t *testing.T) {
	f := newFixture(t, 4, 0)
	if f.Set.Quorum() != 3 || f.Set.Faulty() != 1 {
		t.Fatalf("n=4: quorum %d f %d, want 3 and 1", f.Set.Quorum(), f.Set.Faulty())
	}
	for n, want := range map[int]int{1: 1, 2: 2, 3: 2, 4: 3, 5: 4, 6: 4, 7: 5, 8: 6, 9: 6, 10: 7} {
		vs := &ledger.ValidatorSet{Members: make([]ledger.Validator, n)}
		if got := vs.Quorum(); got != want {
			t.Errorf("n=%d: quorum %d, want %d", n, got, want)
		}
	}
	bad := *f.Set
	bad.Members = append([]ledger.Validator{}, f.Set.Members...)
	bad.Members[1].PublicKey = ed25519.PublicKey(f.Set.Members[0].PublicKey)
	if err := bad.Check(); err == nil {
		t.Fatal("a member whose ID is not its key's hash passed")
	}
	bad.Members = []ledger.Validator{f.Set.Members[1], f.Set.Members[0]}
	if err := bad.Check(); err == nil {
		t.Fatal("an unsorted set passed")
	}
	sets, err := ledger.ParseValidatorSetsJSON(mustJSON(t, f.Set))
	if err != nil || len(sets) != 1 || sets[0].Epoch != 0 || len(sets[0].Members) != 4 {
		t.Fatalf("validator set JSON round trip: %v", err)
	}
	if _, err := ledger.ParseValidatorSetsJSON([]byte(`{"chain_id":1,"epoch":0,"validators":[{"node_id":"00","public_key":"00"}]}`)); err == nil {
		t.Fatal("a malformed validator file was accepted")
	}
}

func mustJSON(t *testing.T, vs *ledger.ValidatorSet) []byte {
	t.Helper()
	b, err := vs.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckRequestCatchesStaticFaults(t *testing.T) {
	f := newFixture(t, 4, 1)
	l := newLedger(t, f)
	good := command(t, f, 0, f.Metadata(0, "prices", 1))
	if err := l.CheckRequest(good); err != nil {
		t.Fatalf("a good request failed: %v", err)
	}
	bad := f.Metadata(0, "prices", 1)
	bad.Workers = nil
	sm, _ := f.Sign(0, bad)
	noWorkers, _ := ledger.RegisterCommand(sm).Encode()
	sm, _ = f.Sign(0, f.Metadata(0, "prices", 1))
	sm.Signature = sm.Signature[:10]
	badSig, _ := ledger.RegisterCommand(sm).Encode()
	sa, _ := ledger.SignAttestation(f.Validators[0], f.ChainID, ledger.Attestation{Offence: 42})
	badOffence, _ := ledger.AttestCommand(sa).Encode()
	for name, tc := range map[string]struct {
		req  []byte
		want error
	}{
		"junk":          {[]byte("junk"), ledger.ErrMalformed},
		"no workers":    {noWorkers, ledger.ErrInvalidMetadata},
		"bad signature": {badSig, ledger.ErrBadSignature},
		"bad offence":   {badOffence, ledger.ErrUnknownOffence},
	} {
		if err := l.CheckRequest(tc.req); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}

// TestSlashSignatures configures the ledger with the Marketplace's slash
// digest: attestations must then carry the attester account's signature,
// which the contract will verify.
func TestSlashSignatures(t *testing.T) {
	f := newFixture(t, 4, 1)
	market := common.HexToAddress("0x00000000000000000000000000000000000e1a")
	code := map[ledger.Offence]common.Hash{ledger.OffencePersistenceOffline: chain.OffencePersistenceOffline}
	digest := func(id common.Hash, o ledger.Offence, epoch uint64) common.Hash {
		return chain.SlashDigest(new(big.Int).SetUint64(f.ChainID), market, id, code[o], epoch)
	}
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true, SlashDigest: digest}, memorydb.New())
	if err != nil {
		t.Fatal(err)
	}
	m := f.Metadata(0, "prices", 1)
	mustAccept(t, f, l, command(t, f, 0, m))
	attest := func(v int, slashKey int, withSig bool) []byte {
		a := ledger.Attestation{DatasetID: m.ID(), Epoch: 0, Offence: ledger.OffencePersistenceOffline, Subject: m.Persistence[0]}
		if withSig {
			sig, err := chain.SignSlash(f.ValidatorAccounts[slashKey], digest(a.DatasetID, a.Offence, a.Epoch))
			if err != nil {
				t.Fatal(err)
			}
			a.SlashSignature = sig
		}
		sa, err := ledger.SignAttestation(f.Validators[v], f.ChainID, a)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := ledger.AttestCommand(sa).Encode()
		return b
	}
	_, results := apply(t, f, l, attest(0, 0, true), attest(1, 2, true), attest(2, 2, false))
	if results[0] != nil || !errors.Is(results[1], ledger.ErrBadSignature) || !errors.Is(results[2], ledger.ErrBadSignature) {
		t.Fatalf("results %v, want [accepted, bad signature (another validator's account), bad signature (none)]", results)
	}
	// The certified offence record carries signatures the contract's
	// digest recovers to the validators' accounts.
	e, err := l.Get(ledger.OffenceKey(m.ID(), 0, ledger.OffencePersistenceOffline, m.Persistence[0]))
	if err != nil || e.Kind != ledger.EntryOffence {
		t.Fatal(err)
	}
	sigs := [][]byte{e.Offence.Attestations[0].Attestation.SlashSignature}
	if _, err := chain.SortSlashSignatures(digest(m.ID(), ledger.OffencePersistenceOffline, 0), sigs); err != nil {
		t.Fatal(err)
	}
	// A ledger without a slash digest refuses slash signatures.
	plain := newLedger(t, f)
	mustAccept(t, f, plain, command(t, f, 0, f.Metadata(0, "prices", 1)))
	_, results = apply(t, f, plain, attest(0, 0, true), attest(1, 1, false))
	if !errors.Is(results[0], ledger.ErrBadSignature) || results[1] != nil {
		t.Fatalf("ledger without slashing: %v, want [bad signature, accepted]", results)
	}
}

// TestCheckRequestDoesNotChangeApply applies the same history with and
// without the pre-ordering check (which fills the signer memo): roots and
// outcomes must not differ.
func TestCheckRequestDoesNotChangeApply(t *testing.T) {
	f := newFixture(t, 4, 3)
	batches, _ := generate(t, f, 17, 10)
	plain, checked := newLedger(t, f), newLedger(t, f)
	rp := replay(t, plain, batches, 1)
	for _, b := range batches {
		for _, req := range b.requests {
			_ = checked.CheckRequest(req)
		}
	}
	if err := sameRoots([][]common.Hash{rp, replay(t, checked, batches, 1)}); err != nil {
		t.Fatal(err)
	}
}

package ledgertest

import (
	"context"
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerapp"
)

// Fixture is a deterministic cast for ledger tests, benchmarks and
// simulations: a chain, a validator set with its node keys, providers
// with account keys, and persistence/worker node IDs. One seed gives one
// cast.
type Fixture struct {
	ChainID    uint64
	Chain      *Chain
	Validators []*identity.NodeKey // sorted as in Set
	// ValidatorAccounts are the validators' Ethereum account keys, in the
	// order of Validators.
	ValidatorAccounts []*ecdsa.PrivateKey
	Set               *ledger.ValidatorSet
	Providers         []*ecdsa.PrivateKey
	Nodes             []identity.NodeID // worker and persistence nodes to name in metadata
	seed              uint64
}

// NewFixture builds a cast of n validators (epoch 0, recorded on the
// chain and confirmed) and p providers.
func NewFixture(seed uint64, n, p int) (*Fixture, error) {
	rng := randsrc.Derive(seed, "ledgertest")
	f := &Fixture{ChainID: 1337, Chain: NewChain(), seed: seed}
	var members []ledger.Validator
	accounts := map[identity.NodeID]*ecdsa.PrivateKey{}
	for range n {
		k, err := identity.NodeKeyFromSeed(randomBytes(rng, 32))
		if err != nil {
			return nil, err
		}
		acct, err := accountKey(rng)
		if err != nil {
			return nil, err
		}
		accounts[k.ID()] = acct
		f.Validators = append(f.Validators, k)
		members = append(members, ledger.Validator{ID: k.ID(), PublicKey: k.Public(), Account: crypto.PubkeyToAddress(acct.PublicKey)})
	}
	set, err := ledger.NewValidatorSet(f.ChainID, 0, members)
	if err != nil {
		return nil, err
	}
	f.Set = set
	byID := map[identity.NodeID]*identity.NodeKey{}
	for _, k := range f.Validators {
		byID[k.ID()] = k
	}
	for i, m := range set.Members {
		f.Validators[i] = byID[m.ID]
		f.ValidatorAccounts = append(f.ValidatorAccounts, accounts[m.ID])
	}
	f.Chain.Confirm(f.Chain.SetValidatorSet(set))
	for range p {
		key, err := accountKey(rng)
		if err != nil {
			return nil, err
		}
		f.Providers = append(f.Providers, key)
	}
	for range 4 {
		var id identity.NodeID
		copy(id[:], randomBytes(rng, 32))
		f.Nodes = append(f.Nodes, id)
	}
	return f, nil
}

// Submitter returns the request signer of simulated client i: a key of its
// own, so that each client's PBFT client ID (which names its key) is its
// alone. Any account may submit a provider's signed metadata.
func (f *Fixture) Submitter(i int) (ledger.AccountSigner, error) {
	key, err := accountKey(randsrc.Derive(f.seed, fmt.Sprintf("ledgertest/submitter/%d", i)))
	return ledger.AccountSigner{Key: key}, err
}

// accountKey draws a secp256k1 key, drawing again in the (negligible) case
// that 32 random bytes are not a valid scalar.
func accountKey(rng *randsrc.Rand) (*ecdsa.PrivateKey, error) {
	for range 16 {
		if key, err := crypto.ToECDSA(randomBytes(rng, 32)); err == nil {
			return key, nil
		}
	}
	return nil, fmt.Errorf("no valid account key in 16 draws")
}

func randomBytes(rng *randsrc.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// Provider returns provider i's address.
func (f *Fixture) Provider(i int) common.Address {
	return crypto.PubkeyToAddress(f.Providers[i].PublicKey)
}

// Metadata returns valid metadata for provider i's dataset name at version.
func (f *Fixture) Metadata(provider int, name string, version uint64) ledger.Metadata {
	script := []byte(fmt.Sprintf("def curate(ctx):\n    return fetch(%q, version=%d)\n", name, version))
	return ledger.Metadata{
		Provider: f.Provider(provider),
		Name:     name,
		Version:  version,
		Schema: dataset.Schema{
			Columns: []dataset.Column{
				{Name: "day", Type: dataset.TypeTimestamp},
				{Name: "asset", Type: dataset.TypeString, Encryption: dataset.EncDeterministic},
				{Name: "close", Type: dataset.TypeFloat64, Encryption: dataset.EncOrderPreserving, Nullable: true},
			},
			PrimaryKey: []string{"day", "asset"},
			Indexes:    []dataset.Index{{Name: "by_close", Columns: []string{"close"}}},
		},
		Script:      script,
		ScriptHash:  crypto.Keccak256Hash(script),
		Schedule:    "0 * * * *",
		Workers:     []identity.NodeID{f.Nodes[0]},
		Persistence: []identity.NodeID{f.Nodes[1], f.Nodes[2]},
		Storage:     ledger.StorageHints{Replicas: 2, RetentionDays: 365},
		Trial:       ledger.TrialPolicy{Enabled: true, DurationSeconds: 86400, RowLimit: 100},
	}
}

// Sign signs m with provider i's key.
func (f *Fixture) Sign(provider int, m ledger.Metadata) (ledger.SignedMetadata, error) {
	return ledger.SignMetadata(f.Providers[provider], f.ChainID, m)
}

// Publish does on the chain what the Marketplace register or update
// transaction does for m: the dataset exists, owned by its provider, with
// m's hash, active. The block is confirmed.
func (f *Fixture) Publish(m *ledger.Metadata) error {
	h, err := ledger.MetadataHash(m)
	if err != nil {
		return err
	}
	f.Chain.Confirm(f.Chain.SetDataset(ledger.DatasetFacts{ID: m.ID(), Exists: true, Owner: m.Provider, MetadataHash: h, Active: true}))
	return nil
}

// Command signs m with provider's key, publishes its hash on chain and
// returns the encoded register command for version 1, update otherwise.
func (f *Fixture) Command(provider int, m ledger.Metadata) ([]byte, error) {
	kind := ledger.CmdUpdate
	if m.Version == 1 {
		kind = ledger.CmdRegister
	}
	return f.CommandOf(kind, provider, m)
}

// CommandOf is Command with the kind chosen by the caller.
func (f *Fixture) CommandOf(kind ledger.CommandKind, provider int, m ledger.Metadata) ([]byte, error) {
	sm, err := f.Sign(provider, m)
	if err != nil {
		return nil, err
	}
	if err := f.Publish(&m); err != nil {
		return nil, err
	}
	return ledger.Command{Kind: kind, Metadata: &sm}.Encode()
}

// Context builds the encoded batch context for requests from the chain.
func (f *Fixture) Context(requests [][]byte) ([]byte, error) {
	bc, err := ledger.BuildContext(context.Background(), f.Chain, requests)
	if err != nil {
		return nil, err
	}
	return bc.Encode()
}

// Certificate returns a checkpoint certificate over (seq, root) signed by
// the first quorum of validators.
func (f *Fixture) Certificate(seq uint64, root common.Hash) (ledger.CheckpointCertificate, error) {
	var sigs []ledger.CheckpointSignature
	for _, k := range f.Validators[:f.Set.Quorum()] {
		s, err := ledger.SignCheckpoint(k, f.ChainID, f.Set.Epoch, seq, root)
		if err != nil {
			return ledger.CheckpointCertificate{}, err
		}
		sigs = append(sigs, s)
	}
	return ledger.NewCertificate(f.Set.Epoch, seq, root, sigs), nil
}

// Batch is a batch ready for Apply: its encoded context and requests.
type Batch struct {
	Context  []byte
	Requests [][]byte
}

// RegisterBatches returns n batches of size registers each, of datasets
// named <prefix>-<i>, spread over the providers, with their facts published
// on the chain. It is the standard load for benchmarks and simulations.
func (f *Fixture) RegisterBatches(prefix string, n, size int) ([]Batch, error) {
	var out []Batch
	for b := range n {
		var reqs [][]byte
		for i := range size {
			idx := b*size + i
			p := idx % len(f.Providers)
			req, err := f.Command(p, f.Metadata(p, fmt.Sprintf("%s-%d", prefix, idx), 1))
			if err != nil {
				return nil, err
			}
			reqs = append(reqs, req)
		}
		ctx, err := f.Context(reqs)
		if err != nil {
			return nil, err
		}
		out = append(out, Batch{Context: ctx, Requests: reqs})
	}
	return out, nil
}

// Workload feeds simulated clients a stream of valid ledger commands: each
// client registers its own datasets and updates each once, so commands of
// different clients never touch the same dataset. Every command's facts are
// published (and confirmed) on the chain before it is returned. Not safe
// for concurrent use.
type Workload struct {
	f    *Fixture
	sent map[int]int
}

// Workload returns a command stream over f.
func (f *Fixture) Workload() *Workload { return &Workload{f: f, sent: map[int]int{}} }

// Next returns client's next command: register c<client>-<k> at k's first
// call, update it to version 2 at the second.
func (w *Workload) Next(client int) ([]byte, error) {
	k := w.sent[client]
	w.sent[client]++
	p := client % len(w.f.Providers)
	name := fmt.Sprintf("c%d-%d", client, k/2)
	return w.f.Command(p, w.f.Metadata(p, name, uint64(1+k%2)))
}

// NewApp returns a fresh in-memory ledger wrapped for the PBFT engine,
// reading facts from the fixture's chain: what a simulated replica runs as
// its application and verifier.
func (f *Fixture) NewApp() (*ledgerapp.App, *ledger.Ledger, error) {
	l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
	if err != nil {
		return nil, nil, err
	}
	return ledgerapp.New(l, f.Chain, f.ChainID, nil), l, nil
}

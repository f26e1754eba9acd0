// Package client holds the provider's and subscriber's flows that span the
// chain and the off-chain network: registering a dataset (on-chain
// register, column keys to the workers, signed metadata certified by the
// validators, the certified record resolvable in the DHT) and querying one
// (certified record from the DHT over disjoint paths, verified against the
// on-chain validator set, a signed query to a persistence node, the sealed
// result opened and its encrypted columns decrypted).
//
// It trusts no single node: records are verified against the chain's
// validator sets, ledger results need f+1 matching validator replies, and a
// query result must be sealed to this request's hash.
package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/chain/chainview"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/overlay/records"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
)

// Session is a client's connection to the marketplace: a chain client and
// a short-lived overlay node with a fresh identity.
type Session struct {
	Chain   *chain.Client
	View    *chainview.View
	Overlay *overlay.DHT
	ChainID uint64
	log     *slog.Logger

	mu struct {
		sync.Mutex
		// records caches verified records for queries, so repeated queries
		// skip the DHT lookup; entries expire after recordTTL so updates
		// (new persistence nodes, a new schema) are seen.
		records map[common.Hash]cachedRecord
		// encrypters keeps the QueryEncrypter of one dataset version
		// under one set of column keys, so that a session's queries
		// share its cipher (the OPE memo: a constant's encryption starts
		// below the tree's upper levels) and the query shapes it has
		// rewritten.
		encrypters map[encrypterKey]*query.QueryEncrypter
	}
}

// encrypterKey names a certified dataset version, whose schema never
// changes, and the column keys its queries use.
type encrypterKey struct {
	id      common.Hash
	version uint64
	keys    *colcrypt.Keys
}

// maxEncrypters bounds a session's encrypters; when full they are all
// dropped and made again as queries need them.
const maxEncrypters = 64

type cachedRecord struct {
	rec     *ledger.Record
	fetched time.Time
}

// recordTTL bounds how long a query trusts a cached record: a certified
// record stays valid, but a newer version may have been published.
const recordTTL = 30 * time.Second

// Config says how to reach the marketplace.
type Config struct {
	RPC           string
	Market        common.Address
	Confirmations uint64
	Bootstrap     []overlay.Peer
	Puzzle        kademlia.Puzzle
	// Key and PuzzleSolution are the session's overlay identity; nil Key
	// makes a fresh one (solving the puzzles at Puzzle's difficulty).
	Key            *identity.NodeKey
	PuzzleSolution [32]byte
	// Listen is the UDP address the session's overlay node listens on
	// (default 127.0.0.1:0, which reaches only nodes on this host).
	Listen string
	Logger *slog.Logger
}

// Connect dials the chain and joins the overlay.
func Connect(ctx context.Context, cfg Config) (*Session, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if len(cfg.Bootstrap) == 0 {
		return nil, errors.New("no overlay node to join: give --bootstrap <node ID>@<host:port> (printed by 'enigma devnet' or 'enigma node run')")
	}
	c, err := chain.Dial(ctx, cfg.RPC, cfg.Market, cfg.Confirmations)
	if err != nil {
		return nil, fmt.Errorf("connect to the chain at %s: %w", cfg.RPC, err)
	}
	s := &Session{Chain: c, View: chainview.New(c, cfg.Confirmations), ChainID: c.ChainID().Uint64(), log: cfg.Logger}
	s.mu.records = make(map[common.Hash]cachedRecord)
	key, x := cfg.Key, cfg.PuzzleSolution
	if key == nil {
		if key, _, err = kademlia.GenerateKey(rand.Reader, cfg.Puzzle.Static); err != nil {
			return nil, err
		}
		x = kademlia.SolveDynamic(key.ID(), cfg.Puzzle.Dynamic)
	}
	// A client asks and serves nothing: it stays out of routing tables, so
	// lookups never wait on a command that has exited.
	s.Overlay, err = overlay.Start(overlay.Config{
		Key: key, PuzzleSolution: x, ListenAddr: cfg.Listen, ClientOnly: true,
		Kad:    records.OverlayProtocol(s.ChainID, cfg.Puzzle, s.View),
		Logger: cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	if err := s.Overlay.Bootstrap(ctx, cfg.Bootstrap); err != nil {
		s.Close()
		return nil, fmt.Errorf("join the overlay: %w", err)
	}
	return s, nil
}

// Close leaves the overlay.
func (s *Session) Close() error { return s.Overlay.Close() }

// Record resolves a dataset's certified record in the DHT and verifies it
// against the on-chain validator sets.
func (s *Session) Record(ctx context.Context, path dataset.Path) (*ledger.Record, error) {
	_, rec, err := records.DHT{Overlay: s.Overlay, View: s.View}.FetchRecord(ctx, path.ID())
	if err != nil {
		return nil, fmt.Errorf("dataset %s: no verifiable certified record in the DHT: %w", path, err)
	}
	s.remember(path, rec)
	return rec, nil
}

func (s *Session) cachedRecord(ctx context.Context, path dataset.Path) (*ledger.Record, error) {
	id := path.ID()
	s.mu.Lock()
	c, ok := s.mu.records[id]
	s.mu.Unlock()
	if ok && time.Since(c.fetched) < recordTTL {
		return c.rec, nil
	}
	rec, err := s.Record(ctx, path)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.mu.records[id] = cachedRecord{rec: rec, fetched: time.Now()}
	s.mu.Unlock()
	return rec, nil
}

// Validators returns the current validator set as PBFT peers.
func (s *Session) Validators(ctx context.Context) ([]ledgerclient.ValidatorPeer, error) {
	vs, err := s.View.CurrentValidators(ctx)
	if err != nil {
		return nil, err
	}
	var peers []ledgerclient.ValidatorPeer
	for _, m := range vs.Members {
		peers = append(peers, ledgerclient.ValidatorPeer{ID: m.ID, PublicKey: m.PublicKey})
	}
	return peers, nil
}

// Listing is what a provider registers.
type Listing struct {
	Metadata ledger.Metadata // Provider is set from the key; Version from the chain state
	Price    *big.Int
	Deposit  *big.Int
	Payouts  []chain.Payout
	// TrialPeriod enables "try before you buy" for this long (0: none).
	TrialPeriod time.Duration
	// Keys are the column keys (required when the schema encrypts columns).
	Keys *colcrypt.Keys
}

// Register lists a new dataset in one go, without pre-flight or a journal
// (devnet, benchmarks; the CLI uses List, whose pre-flight compiles the
// script): the on-chain register (approving the deposit if needed), the
// column keys to each worker, the signed metadata to the validators, then
// waits until its certified record resolves in the DHT. It returns that
// record.
func (s *Session) Register(ctx context.Context, key *ecdsa.PrivateKey, l Listing) (*ledger.Record, error) {
	m := l.Metadata
	m.Provider = crypto.PubkeyToAddress(key.PublicKey)
	if m.Version == 0 {
		m.Version = 1
	}
	if len(m.Script) > 0 {
		m.ScriptHash = crypto.Keccak256Hash(m.Script)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	hash, err := ledger.MetadataHash(&m)
	if err != nil {
		return nil, err
	}
	if _, err := s.Chain.EnsureAllowance(ctx, key, l.Deposit); err != nil {
		return nil, err
	}
	id, _, err := s.Chain.Register(ctx, key, chain.RegisterParams{
		Name: m.Name, Price: l.Price, Deposit: l.Deposit, MetadataHash: hash, Payouts: l.Payouts, TrialPeriod: l.TrialPeriod,
	})
	if err != nil {
		return nil, err
	}
	if id != m.ID() {
		return nil, fmt.Errorf("the Marketplace registered ID %s, expected %s", id.Hex(), m.ID().Hex())
	}
	s.log.Info("registered on chain", "dataset", m.Path(), "id", id.Hex())
	return s.certify(ctx, key, m, ledger.CmdRegister, l.Keys)
}

// certify delivers keys to the workers, submits the metadata command and
// waits for the certified record of this version.
func (s *Session) certify(ctx context.Context, key *ecdsa.PrivateKey, m ledger.Metadata, kind ledger.CommandKind, keys *colcrypt.Keys) (*ledger.Record, error) {
	if keys != nil {
		for _, w := range m.Workers {
			if err := workerkeys.DeliverKeys(ctx, s.Overlay.Host(), key, s.ChainID, m.ID(), w, keys); err != nil {
				return nil, err
			}
		}
	}
	sm, err := ledger.SignMetadata(key, s.ChainID, m)
	if err != nil {
		return nil, err
	}
	cmd := ledger.RegisterCommand(sm)
	if kind == ledger.CmdUpdate {
		cmd = ledger.UpdateCommand(sm)
	}
	payload, err := cmd.Encode()
	if err != nil {
		return nil, err
	}
	if err := s.waitConfirmed(ctx, m.ID(), sm); err != nil {
		return nil, err
	}
	peers, err := s.Validators(ctx)
	if err != nil {
		return nil, err
	}
	result, err := ledgerclient.SubmitCommand(ctx, s.Overlay.Host(), peers, ledger.AccountSigner{Key: key}, s.ChainID, payload)
	if err != nil {
		return nil, err
	}
	if string(result) != "ok" {
		return nil, fmt.Errorf("the validators refused the metadata: %s", result)
	}
	return s.waitRecord(ctx, m.Path(), m.Version)
}

// waitConfirmed waits until the validators' chain views (at the
// confirmation depth) see the on-chain metadata hash, so they do not reject
// the command as "not on chain yet".
func (s *Session) waitConfirmed(ctx context.Context, id common.Hash, sm ledger.SignedMetadata) error {
	want, err := ledger.MetadataHash(&sm.Metadata)
	if err != nil {
		return err
	}
	return poll(ctx, 100*time.Millisecond, func() (bool, error) {
		block, err := s.View.ConfirmedBlock(ctx)
		if err != nil {
			return false, err
		}
		f, err := s.View.Dataset(ctx, block, id)
		return err == nil && f.Exists && f.MetadataHash == want, err
	})
}

func (s *Session) waitRecord(ctx context.Context, path dataset.Path, version uint64) (*ledger.Record, error) {
	var rec *ledger.Record
	err := poll(ctx, 200*time.Millisecond, func() (bool, error) {
		r, err := s.Record(ctx, path)
		if err == nil && r.Signed.Metadata.Version >= version {
			rec = r
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("certified record of %s version %d did not appear in the DHT: %w", path, version, err)
	}
	return rec, nil
}

func poll(ctx context.Context, every time.Duration, done func() (bool, error)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	var last error
	for {
		ok, err := done()
		if ok {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}

// queryTTL is how long a query request is valid: well inside the nodes'
// limit (access.DefaultMaxLifetime, 2 minutes), with room for clock skew.
const queryTTL = time.Minute

// Result is a decrypted query answer and where it came from.
type Result struct {
	*query.Result
	Node identity.NodeID
	// Version is the dataset's metadata version the answer was read from
	// (the node reads one version, whole).
	Version     uint64
	TrialCapped bool
}

// Query runs q against the dataset on one of its persistence nodes, in the
// record's order, moving on when a node does not answer or refuses for
// its own load or state (access.Reason.Retryable: busy, unavailable); any
// other refusal (no access, bad query, trial used up, …) is the answer.
// Each node gets its own signed request, addressed to it, naming the
// metadata version whose schema encrypted the query. A node that serves
// another version (an update still being curated, or a newer one than the
// client's record) says so with that version's certified record: the
// client verifies it against the validator sets and asks again for that
// version, so an answer never mixes versions. keys, if the schema encrypts
// columns, encrypt the query's constants and decrypt the result (a
// subscriber gets them from a worker's grant or the provider's).
func (s *Session) Query(ctx context.Context, key *ecdsa.PrivateKey, path dataset.Path, q string, keys *colcrypt.Keys) (*Result, error) {
	rec, err := s.cachedRecord(ctx, path)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, pn := range rec.Signed.Metadata.Persistence {
		res, err := s.queryNode(ctx, key, pn, rec, q, keys)
		var denied *access.DeniedError
		if errors.As(err, &denied) && denied.Reason == access.ReasonVersion {
			other, verr := s.verifyShownRecord(ctx, path, denied.Record)
			if verr != nil {
				errs = append(errs, fmt.Errorf("persistence node %s: %w", pn.Short(), verr))
				continue
			}
			if other.Signed.Metadata.Version > rec.Signed.Metadata.Version {
				s.remember(path, other) // the client's record was behind
			}
			s.log.Info("persistence node serves another version; asking for it", "node", pn.Short(), "asked", rec.Signed.Metadata.Version, "served", other.Signed.Metadata.Version)
			res, err = s.queryNode(ctx, key, pn, other, q, keys)
		}
		if refusedForItsState(err, &denied) {
			s.log.Info("persistence node refused for its own state; asking the next", "node", pn.Short(), "reason", denied.Reason, "msg", denied.Message)
			errs = append(errs, fmt.Errorf("persistence node %s: %w", pn.Short(), err))
			continue
		}
		var unreachable *nodeError
		if errors.As(err, &unreachable) {
			errs = append(errs, err)
			continue
		}
		if err != nil {
			// Any other denial is the network's answer, not a node failure.
			return nil, err
		}
		return res, nil
	}
	if len(errs) == 1 {
		return nil, fmt.Errorf("the only persistence node of %s did not answer: %w", path, errs[0])
	}
	return nil, fmt.Errorf("no persistence node of %s answered: %w", path, errors.Join(errs...))
}

// refusedForItsState reports whether err is a persistence node's refusal
// that says something about that node, not about the query or the
// subscriber (retryable, another version served, the dataset not stored),
// so the client asks the next node; denied receives the refusal.
func refusedForItsState(err error, denied **access.DeniedError) bool {
	if !errors.As(err, denied) {
		return false
	}
	r := (*denied).Reason
	return r.Retryable() || r == access.ReasonVersion || r == access.ReasonUnknownDataset
}

// nodeError is a persistence node that could not be reached.
type nodeError struct {
	node identity.NodeID
	err  error
}

func (e *nodeError) Error() string {
	return fmt.Sprintf("persistence node %s: %v", e.node.Short(), e.err)
}
func (e *nodeError) Unwrap() error { return e.err }

// queryNode asks one persistence node for rec's version of the dataset.
func (s *Session) queryNode(ctx context.Context, key *ecdsa.PrivateKey, pn identity.NodeID, rec *ledger.Record, q string, keys *colcrypt.Keys) (*Result, error) {
	m := &rec.Signed.Metadata
	var cipher *colcrypt.Cipher
	if keys != nil {
		enc, err := s.encrypter(m, keys)
		if err != nil {
			return nil, err
		}
		cipher = enc.Cipher()
		if q, err = enc.Encrypt(q); err != nil {
			return nil, err
		}
	}
	replyKey, err := seal.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	req, err := access.NewRequest(rand.Reader, pn, m.Path(), q, crypto.PubkeyToAddress(key.PublicKey), replyKey.PublicKey(), time.Now(), queryTTL)
	if err != nil {
		return nil, err
	}
	req.Version = m.Version
	signed, err := access.Sign(key, s.ChainID, req)
	if err != nil {
		return nil, err
	}
	resp, err := s.Overlay.Host().Call(ctx, pn, "", access.Protocol, signed)
	if err != nil {
		return nil, &nodeError{node: pn, err: err}
	}
	res, payload, err := access.OpenResponse(s.ChainID, req, replyKey, resp)
	if err != nil {
		return nil, err
	}
	if cipher != nil {
		if err := access.DecryptResult(res, &m.Schema, cipher); err != nil {
			return nil, fmt.Errorf("%w (are the column keys this dataset's? a grant from another dataset or a stale cache decrypts nothing)", err)
		}
	}
	return &Result{Result: res, Node: pn, Version: m.Version, TrialCapped: payload.TrialCapped}, nil
}

// encrypter returns the encrypter of m's version under keys.
func (s *Session) encrypter(m *ledger.Metadata, keys *colcrypt.Keys) (*query.QueryEncrypter, error) {
	k := encrypterKey{id: m.ID(), version: m.Version, keys: keys}
	s.mu.Lock()
	enc, ok := s.mu.encrypters[k]
	s.mu.Unlock()
	if ok {
		return enc, nil
	}
	c, err := colcrypt.New(keys, k.id)
	if err != nil {
		return nil, err
	}
	if enc, err = access.NewQueryEncrypter(&m.Schema, c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.mu.encrypters == nil || len(s.mu.encrypters) >= maxEncrypters {
		s.mu.encrypters = make(map[encrypterKey]*query.QueryEncrypter)
	}
	s.mu.encrypters[k] = enc
	s.mu.Unlock()
	return enc, nil
}

// verifyShownRecord checks a certified record a persistence node showed:
// it must verify against the chain's validator sets and be this dataset's.
func (s *Session) verifyShownRecord(ctx context.Context, path dataset.Path, raw []byte) (*ledger.Record, error) {
	if len(raw) == 0 {
		return nil, errors.New("it serves another version but showed no certified record of it")
	}
	_, rec, err := records.DHT{Overlay: s.Overlay, View: s.View}.VerifyRecord(ctx, path.ID(), raw)
	if err != nil {
		return nil, fmt.Errorf("the record of the version it serves does not verify: %w", err)
	}
	return rec, nil
}

func (s *Session) remember(path dataset.Path, rec *ledger.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.records[path.ID()] = cachedRecord{rec: rec, fetched: time.Now()}
}

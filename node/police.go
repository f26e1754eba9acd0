package node

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
)

// ProtoProbe asks a persistence node whether it serves a dataset.
const ProtoProbe = "enigma/probe/v1"

// offenceCodes maps the ledger's offences to the Marketplace's codes.
var offenceCodes = map[ledger.Offence]common.Hash{ledger.OffencePersistenceOffline: chain.OffencePersistenceOffline}

// LedgerOffence maps a Marketplace offence code (as a Slashed event names
// it) back to the ledger's offence.
func LedgerOffence(code common.Hash) (ledger.Offence, bool) {
	for o, c := range offenceCodes {
		if c == code {
			return o, true
		}
	}
	return 0, false
}

// SlashDigest is the ledger's view of the Marketplace's slash digest, so
// attestations carry the signatures the contract verifies.
func SlashDigest(c *chain.Client) func(common.Hash, ledger.Offence, uint64) common.Hash {
	return func(id common.Hash, o ledger.Offence, epoch uint64) common.Hash {
		return c.SlashDigest(id, offenceCodes[o], epoch)
	}
}

// PoliceConfig configures a validator's availability probes.
type PoliceConfig struct {
	Key     *identity.NodeKey
	Account *ecdsa.PrivateKey // signs slash digests and sends slash transactions
	ChainID uint64
	// Duty says, each round, whether this node is a validator now and of
	// which epoch (default: always, of epoch 0 with no peers — tests).
	Duty   func(ctx context.Context) (PoliceDuty, bool)
	Ledger *ledger.Ledger
	Net    Caller
	Chain  Slasher
	// Interval between probe rounds (default 1 min); Failures is how many
	// consecutive rounds every persistence node of a dataset must fail
	// before the validator attests it offline (default 5).
	Interval time.Duration
	Failures int
	// Grace is how long a dataset none of whose persistence nodes has
	// answered yet (a new listing, or a version that names other nodes)
	// is probed before its misses count: the time its nodes take to learn
	// of it from the chain and the DHT. 0: misses count from the first round.
	// A police that restarts watches every dataset anew: after a validator
	// restart a dataset offline since before it is attested up to Grace
	// later.
	Grace time.Duration
	// Clock times the rounds and the grace (default the system clock).
	Clock  clock.Clock
	Logger *slog.Logger
	// Registry, if set, receives the police's counters
	// (enigma_police_*_total, docs/OPERATIONS.md).
	Registry prometheus.Registerer
}

// Slasher is the chain as the police use it (chain.Client).
type Slasher interface {
	SlashDigest(id, offence common.Hash, epoch uint64) common.Hash
	Slash(ctx context.Context, key *ecdsa.PrivateKey, id, offence common.Hash, epoch uint64, sigs [][]byte) (*types.Receipt, error)
}

// policeMetrics count what the police does, so an operator sees it work.
type policeMetrics struct {
	rounds       prometheus.Counter     // probe rounds run as a validator
	datasets     *prometheus.CounterVec // datasets probed, by outcome: answered, missed
	attestations *prometheus.CounterVec // offline attestations, by outcome: submitted, failed
	slashes      *prometheus.CounterVec // slash transactions, by outcome: sent, already_slashed, failed
}

func newPoliceMetrics(reg prometheus.Registerer, log *slog.Logger) policeMetrics {
	m := policeMetrics{
		rounds: prometheus.NewCounter(prometheus.CounterOpts{Name: "enigma_police_rounds_total",
			Help: "Probe rounds this validator ran over the persistence nodes of every dataset in the ledger."}),
		datasets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "enigma_police_datasets_probed_total",
			Help: "Datasets probed, by outcome: answered (a persistence node answered), missed (none did), or grace (none did, but none has answered yet and the dataset is within its grace: not counted)."}, []string{"outcome"}),
		attestations: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "enigma_police_attestations_total",
			Help: "Offline attestations this validator signed, by outcome: submitted (the ledger took it) or failed."}, []string{"outcome"}),
		slashes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "enigma_police_slashes_total",
			Help: "Slash transactions this validator sent, by outcome: sent, already_slashed (another validator was first) or failed."}, []string{"outcome"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.rounds, m.datasets, m.attestations, m.slashes} {
			if err := reg.Register(c); err != nil {
				log.Warn("police metrics not registered", "err", err)
			}
		}
	}
	return m
}

// PoliceDuty is the validator epoch the police acts in: attestations name
// it, go to its validators, and the slash is sent once Quorum of them are
// recorded.
type PoliceDuty struct {
	Epoch uint64
	Peers []ledgerclient.ValidatorPeer
	// Quorum is how many attestations the offence record must hold before
	// the slash is sent: the larger of the ledger's quorum and the epoch's
	// on-chain slash threshold (which may lie above the quorum, up to n−f),
	// so the contract never refuses the slash for too few signatures.
	Quorum int
}

// Police probes the persistence nodes of every dataset in the ledger. When
// all of a dataset's persistence nodes stay unreachable, it signs an
// offline attestation (node key, plus its account's signature over the
// Marketplace's slash digest) and submits it to the ledger through
// consensus; once the certified offence record holds a quorum, its first
// attester (by ID, as the record is ordered) sends the slash transaction,
// which needs nothing but the record, and any other attester does once the
// record has held the quorum for Failures rounds.
type Police struct {
	cfg PoliceConfig
	log *slog.Logger
	// known holds the datasets in the ledger as of the root listedAt; each
	// round walks only the part of the trie that changed since.
	known    map[common.Hash]*ledger.Metadata
	listedAt common.Hash
	// watched says, per dataset, since when its current persistence nodes
	// have been probed and whether one of them has answered: its misses
	// count once one has, or once Grace has passed.
	watched map[common.Hash]watch
	failed  map[common.Hash]int
	duty    PoliceDuty
	done    map[common.Hash]bool // attested this epoch
	slash   map[common.Hash]bool // slash sent, or found sent
	// atQuorum counts the rounds each offence record of this epoch has held
	// a quorum of attestations while this police did not send its slash.
	atQuorum map[common.Hash]int
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	metrics  policeMetrics
}

type watch struct {
	since    time.Time
	answered bool
}

// NewPolice returns the prober.
func NewPolice(cfg PoliceConfig) *Police {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.Failures <= 0 {
		cfg.Failures = 5
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Duty == nil {
		cfg.Duty = func(context.Context) (PoliceDuty, bool) { return PoliceDuty{}, true }
	}
	log := cfg.Logger.With("service", "police")
	return &Police{cfg: cfg, log: log, known: map[common.Hash]*ledger.Metadata{}, listedAt: types.EmptyRootHash,
		watched: map[common.Hash]watch{}, failed: map[common.Hash]int{}, done: map[common.Hash]bool{}, slash: map[common.Hash]bool{}, atQuorum: map[common.Hash]int{}, metrics: newPoliceMetrics(cfg.Registry, log)}
}

// Name implements Service.
func (p *Police) Name() string { return "police" }

// Start implements Service.
func (p *Police) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			t := p.cfg.Clock.NewTimer(p.cfg.Interval)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C():
				p.round(ctx)
			}
		}
	}()
	return nil
}

// Stop implements Service.
func (p *Police) Stop() error {
	p.cancel()
	p.wg.Wait()
	return nil
}

// maxConcurrentProbes bounds the datasets probed at once in a round.
const maxConcurrentProbes = 16

func (p *Police) round(ctx context.Context) {
	duty, ok := p.cfg.Duty(ctx)
	if !ok {
		return // not a validator now
	}
	if duty.Epoch != p.duty.Epoch {
		// Offences are per epoch: a new epoch attests (and slashes) anew.
		clear(p.done)
		clear(p.slash)
		clear(p.atQuorum)
	}
	p.duty = duty
	now := p.cfg.Clock.Now()
	if err := p.refresh(now); err != nil {
		p.log.Warn("cannot list the ledger", "err", err)
		return
	}
	p.metrics.rounds.Inc()
	// Probe every dataset, a bounded number at a time: a round over many
	// datasets whose nodes time out must not take their sum.
	answered := make(map[common.Hash]bool, len(p.known))
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, maxConcurrentProbes)
	for key, m := range p.known {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			ok := p.anyAnswers(ctx, m)
			<-slots
			mu.Lock()
			answered[key] = ok
			mu.Unlock()
		}()
	}
	wg.Wait()
	keys := slices.SortedFunc(maps.Keys(p.known), func(a, b common.Hash) int { return a.Cmp(b) })
	for _, key := range keys {
		m := p.known[key]
		if answered[key] {
			p.metrics.datasets.WithLabelValues("answered").Inc()
			p.watched[key] = watch{since: p.watched[key].since, answered: true}
			p.failed[key] = 0
			continue
		}
		if w := p.watched[key]; !w.answered && now.Sub(w.since) < p.cfg.Grace {
			// Its nodes may not have learnt of it yet: a provider is not
			// slashed for the network's propagation delay.
			p.metrics.datasets.WithLabelValues("grace").Inc()
			continue
		}
		p.metrics.datasets.WithLabelValues("missed").Inc()
		p.failed[key]++
		if p.failed[key] >= p.cfg.Failures && !p.done[key] {
			if err := p.attest(ctx, m); err != nil {
				p.metrics.attestations.WithLabelValues("failed").Inc()
				p.log.Warn("offline attestation not submitted", "dataset", m.Path(), "err", err)
			} else {
				p.metrics.attestations.WithLabelValues("submitted").Inc()
				p.done[key] = true
			}
		}
		if p.done[key] && !p.slash[key] {
			p.trySlash(ctx, m)
		}
	}
}

// refresh brings known up to the ledger's root, walking only the keys that
// changed since the last listing; a dataset new to it, or whose version
// names other persistence nodes, is watched anew from now.
func (p *Police) refresh(now time.Time) error {
	l := p.cfg.Ledger
	root := l.Root()
	if root == p.listedAt {
		return nil
	}
	keys, err := l.ChangedKeys(p.listedAt, root)
	if err != nil {
		return err
	}
	for _, key := range keys {
		e, err := l.GetAt(root, key)
		if err != nil {
			return err
		}
		if e.Kind == ledger.EntryDataset {
			m := &e.Dataset.Signed.Metadata
			if old := p.known[key]; old == nil || !slices.Equal(old.Persistence, m.Persistence) {
				p.watched[key] = watch{since: now}
				p.failed[key] = 0
			}
			p.known[key] = m
		}
	}
	p.listedAt = root
	return nil
}

func (p *Police) anyAnswers(ctx context.Context, m *ledger.Metadata) bool {
	id := m.ID()
	for _, n := range m.Persistence {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := p.cfg.Net.Call(cctx, n, "", ProtoProbe, id[:])
		cancel()
		if err == nil {
			return true
		}
	}
	return false
}

func (p *Police) attest(ctx context.Context, m *ledger.Metadata) error {
	if p.cfg.Account == nil {
		return errors.New("this validator has no account to sign slash digests with")
	}
	id := m.ID()
	sig, err := chain.SignSlash(p.cfg.Account, p.cfg.Chain.SlashDigest(id, chain.OffencePersistenceOffline, p.duty.Epoch))
	if err != nil {
		return err
	}
	sa, err := ledger.SignAttestation(p.cfg.Key, p.cfg.ChainID, ledger.Attestation{
		DatasetID: id, Epoch: p.duty.Epoch, Offence: ledger.OffencePersistenceOffline, Subject: m.Persistence[0],
		Evidence:       fmt.Appendf(nil, "no persistence node answered %d probe rounds %s apart", p.failed[id], p.cfg.Interval),
		SlashSignature: sig,
	})
	if err != nil {
		return err
	}
	payload, err := ledger.AttestCommand(sa).Encode()
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	result, err := ledgerclient.SubmitCommand(sctx, p.cfg.Net, p.duty.Peers, ledger.NodeSigner{Key: p.cfg.Key}, p.cfg.ChainID, payload)
	if err != nil {
		return err
	}
	if string(result) != "ok" {
		return fmt.Errorf("the ledger refused the attestation: %s", result)
	}
	p.log.Info("attested persistence offline", "dataset", m.Path(), "epoch", p.duty.Epoch)
	return nil
}

// trySlash sends the slash once the offence record holds cfg.Quorum
// attestations. The record's first attester sends it, so one transaction
// is paid for; but the record keeps its attestations in attester order, so
// its first attester can change while they arrive (a validator that saw
// itself first before the quorum, or another first at the quorum, may be
// displaced by a smaller ID), and the first may be down. So every attester
// checks again each round, and any of them sends once the record has held a
// quorum for Failures rounds: the contract keeps one slash, and refuses
// another at its gas estimate, before it costs anything.
func (p *Police) trySlash(ctx context.Context, m *ledger.Metadata) {
	id := m.ID()
	e, err := p.cfg.Ledger.GetAt(p.cfg.Ledger.Root(), ledger.OffenceKey(id, p.duty.Epoch, ledger.OffencePersistenceOffline, m.Persistence[0]))
	if err != nil || e.Kind != ledger.EntryOffence || len(e.Offence.Attestations) < p.duty.Quorum {
		return
	}
	p.atQuorum[id]++
	if e.Offence.Attestations[0].Attestation.Attester != p.cfg.Key.ID() && p.atQuorum[id] <= p.cfg.Failures {
		return
	}
	digest := p.cfg.Chain.SlashDigest(id, chain.OffencePersistenceOffline, p.duty.Epoch)
	var sigs [][]byte
	for _, a := range e.Offence.Attestations {
		sigs = append(sigs, a.Attestation.SlashSignature)
	}
	sigs, err = chain.SortSlashSignatures(digest, sigs)
	if err != nil {
		p.log.Error("certified attestations carry a bad slash signature", "dataset", m.Path(), "err", err)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err = p.cfg.Chain.Slash(sctx, p.cfg.Account, id, chain.OffencePersistenceOffline, p.duty.Epoch, sigs)
	if errors.Is(err, chain.Revert("AlreadySlashed")) {
		// Attestations arrive in any order, so two validators can each have
		// seen themselves first in the record; the contract keeps one slash.
		p.slash[id] = true
		p.metrics.slashes.WithLabelValues("already_slashed").Inc()
		p.log.Info("already slashed by another validator", "dataset", m.Path(), "epoch", p.duty.Epoch)
		return
	}
	if err != nil {
		p.metrics.slashes.WithLabelValues("failed").Inc()
		p.log.Warn("slash transaction failed", "dataset", m.Path(), "err", err)
		return
	}
	p.slash[id] = true
	p.metrics.slashes.WithLabelValues("sent").Inc()
	p.log.Info("slashed on chain: persistence offline", "dataset", m.Path(), "epoch", p.duty.Epoch, "attestations", len(sigs))
}

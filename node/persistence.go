package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/wire"
)

// Persistence is the persistence role: it stores the datasets whose
// certified metadata names this node, takes row batches from their workers,
// and answers subscribers' signed queries.
type Persistence struct {
	self    identity.NodeID
	dir     string
	store   *query.Store
	backend Backend
	server  *access.Server
	catalog *Catalog
	clock   clock.Clock
	log     *slog.Logger
	push    func(context.Context, identity.NodeID, []byte) ([]byte, error)

	probes        probeLimiter
	refresh       refreshLimiter
	stats         statsCache
	probeRefused  *prometheus.CounterVec
	probeLookups  prometheus.Counter
	probeAnswered prometheus.Counter
	// queryDuration and queryBytes time and size every answer to a
	// subscriber's query request, granted or refused (the query server
	// counts them by outcome: enigma_query_answered_total and
	// enigma_query_refused_total).
	queryDuration prometheus.Histogram
	queryBytes    prometheus.Counter
}

// PersistenceConfig configures the role.
type PersistenceConfig struct {
	Self    identity.NodeID
	Dir     string
	ChainID uint64
	Access  access.AccessChecker
	Catalog *Catalog
	// Backend is where rows live and queries run: BackendPebble (""
	// too) or BackendPostgres, with PostgresDSN (from config.toml or
	// PostgresDSNEnv; never a flag).
	Backend     string
	PostgresDSN string
	// ExternalTables serves datasets (path → "[schema.]relation") from the
	// provider's own PostgreSQL relations, read-only (postgres backend
	// only; docs/arch/postgres.md).
	ExternalTables map[string]string
	// CacheBytes sizes the store's block cache (0: query.DefaultCacheBytes).
	CacheBytes int64
	// Push configures the receiver of workers' pushes.
	Push PushReceiverConfig
	// Registry receives the role's metrics: query refusals by reason
	// (enigma_query_refused_total), probes (enigma_probe_*).
	Registry prometheus.Registerer
	Clock    clock.Clock // default: the system clock
	Logger   *slog.Logger
}

// Bounds of the probe answer: a probe for a dataset this node neither
// stores nor knows from its catalog may start a DHT lookup of its
// certified record (a dataset certified a moment ago, before the catalog's
// poll), but only this often.
const (
	ProbeWindow              = time.Minute
	ProbeLookupsPerPeer      = 3  // per peer and window
	ProbeLookupsPerWindow    = 30 // all peers together, per window
	ProbeLookupTimeout       = 3 * time.Second
	probeMissedPerWindowKept = ProbeLookupsPerWindow
)

// NewPersistence opens the store and subscribes to the catalog.
func NewPersistence(cfg PersistenceConfig) (*Persistence, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	store, err := query.Open(cfg.Dir, query.Options{Logger: cfg.Logger, CacheBytes: cfg.CacheBytes})
	if err != nil {
		return nil, err
	}
	var backend Backend
	switch cfg.Backend {
	case "", BackendPebble:
		backend = pebbleBackend{store}
	case BackendPostgres:
		external, xerr := parseExternalTables(cfg.ExternalTables)
		if xerr != nil {
			return nil, errors.Join(xerr, store.Close())
		}
		if backend, err = openPostgres(store, cfg.PostgresDSN, external, cfg.Logger); err != nil {
			return nil, errors.Join(err, store.Close())
		}
	default:
		return nil, errors.Join(fmt.Errorf("[persistence] backend %q: use %q (the default) or %q", cfg.Backend, BackendPebble, BackendPostgres), store.Close())
	}
	closeAll := func(err error) error { return errors.Join(err, backend.Close(), store.Close()) }
	if len(cfg.ExternalTables) > 0 && cfg.Backend != BackendPostgres {
		return nil, closeAll(fmt.Errorf("[persistence] external_tables needs backend = %q", BackendPostgres))
	}
	server, err := access.NewServer(access.Config{
		Store: store, Engine: backend, HasRun: backend.HasRun, Access: cfg.Access, Self: cfg.Self, ChainID: cfg.ChainID,
		Clock: cfg.Clock, Logger: cfg.Logger, Registerer: cfg.Registry,
	})
	if err != nil {
		return nil, closeAll(err)
	}
	p := &Persistence{self: cfg.Self, dir: cfg.Dir, store: store, backend: backend, server: server, catalog: cfg.Catalog, clock: cfg.Clock, log: cfg.Logger.With("role", "persistence")}
	p.probeRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "enigma_probe_refused_total",
		Help: "Availability probes this persistence node refused, by reason.",
	}, []string{"reason"})
	p.probeLookups = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "enigma_probe_lookups_total",
		Help: "DHT lookups of a certified record started by a probe for a dataset this node did not know.",
	})
	p.probeAnswered = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "enigma_probe_answered_total",
		Help: "Availability probes answered ok.",
	})
	p.queryDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "enigma_query_duration_seconds",
		Help: "Time to answer a subscriber's query request: the checks, the query and the result's encryption (refusals too).",
		// 0.5 ms to about 2 min, ×4 per bucket.
		Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
	})
	p.queryBytes = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "enigma_query_response_bytes_total",
		Help: "Bytes of query responses sent: encrypted results and refusals.",
	})
	if cfg.Registry != nil {
		collectors := append([]prometheus.Collector{p.probeRefused, p.probeLookups, p.probeAnswered, p.queryDuration, p.queryBytes}, cacheMetrics(store)...)
		for _, c := range collectors {
			if err := cfg.Registry.Register(c); err != nil {
				return nil, closeAll(fmt.Errorf("register persistence metrics: %w", err))
			}
		}
	}
	if p.push, err = p.newPushReceiver(cfg.Push); err != nil {
		return nil, closeAll(err)
	}
	cfg.Catalog.Subscribe(p.onRecord)
	return p, nil
}

// cacheMetrics export the store's block cache, by which an operator sizes
// persistence.cache_mib: a miss rate that grows with the tables served says
// they no longer fit.
func cacheMetrics(store *query.Store) []prometheus.Collector {
	var out []prometheus.Collector
	for _, m := range []struct {
		name, help string
		counter    bool
		value      func(query.CacheStats) int64
	}{
		{"enigma_query_block_cache_capacity_bytes", "Configured size of the query store's block cache (persistence.cache_mib).", false, func(c query.CacheStats) int64 { return c.Capacity }},
		{"enigma_query_block_cache_bytes", "Bytes the query store's block cache holds.", false, func(c query.CacheStats) int64 { return c.Bytes }},
		{"enigma_query_block_cache_hits_total", "Block reads of the query store served from its block cache.", true, func(c query.CacheStats) int64 { return c.Hits }},
		{"enigma_query_block_cache_misses_total", "Block reads of the query store that missed its block cache and read the disk.", true, func(c query.CacheStats) int64 { return c.Misses }},
	} {
		read := func() float64 { return float64(m.value(store.CacheStats())) }
		if m.counter {
			out = append(out, prometheus.NewCounterFunc(prometheus.CounterOpts{Name: m.name, Help: m.help}, read))
		} else {
			out = append(out, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: m.name, Help: m.help}, read))
		}
	}
	return out
}

// Name implements Service.
func (p *Persistence) Name() string { return "persistence" }

// Start implements Service.
func (p *Persistence) Start(context.Context) error { return nil }

// Stop implements Service: it closes the backend and the store cleanly.
func (p *Persistence) Stop() error {
	err := p.backend.Close()
	if ferr := p.store.Flush(); ferr != nil {
		return errors.Join(err, ferr, p.store.Close())
	}
	return errors.Join(err, p.store.Close())
}

// Store is the role's dataset store: catalog, versions, batch bookkeeping,
// query state, and the rows on the Pebble backend.
func (p *Persistence) Store() *query.Store { return p.store }

// Backend is where the role keeps rows and runs queries.
func (p *Persistence) Backend() Backend { return p.backend }

// Handlers returns the overlay protocol handlers of the role.
func (p *Persistence) Handlers() map[string]func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	return map[string]func(context.Context, identity.NodeID, []byte) ([]byte, error){
		access.Protocol: func(ctx context.Context, _ identity.NodeID, req []byte) ([]byte, error) {
			// Timed on the role's Clock like everything else in node: in
			// production it is the wall clock; under a simulated clock the
			// histogram shows the simulated time a query took (0 unless the
			// test advances it), which no decision depends on.
			start := p.clock.Now()
			resp := p.server.Handle(ctx, req)
			p.queryDuration.Observe(p.clock.Now().Sub(start).Seconds())
			p.queryBytes.Add(float64(len(resp)))
			return resp, nil
		},
		worker.PushProtocol: p.push,
		ProtoProbe:          p.serveProbe,
	}
}

// serveProbe answers a validator's availability probe: ok if this node
// serves the dataset. It answers from what the node holds: its tables and
// its catalog. Only a dataset unknown to both (certified a moment ago,
// before the catalog's poll) is looked up in the DHT, at most
// ProbeLookupsPerPeer times per peer and ProbeLookupsPerWindow times in all
// per ProbeWindow, and an ID looked up in vain is not looked up again in
// that window. Every refusal is an error to the caller and a count in
// enigma_probe_refused_total.
func (p *Persistence) serveProbe(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	if len(req) != common.HashLength {
		return nil, p.refuseProbe("malformed", fmt.Errorf("probe: want a 32-byte dataset ID, got %d bytes", len(req)))
	}
	id := common.BytesToHash(req)
	if p.serves(id) {
		p.probeAnswered.Inc()
		return []byte("ok"), nil
	}
	if rec, known := p.catalog.Record(id); known {
		m := &rec.Signed.Metadata
		if slices.Contains(m.Persistence, p.self) {
			// Named here, but the table could not be created (logged).
			p.onRecord(rec)
			if p.serves(id) {
				p.probeAnswered.Inc()
				return []byte("ok"), nil
			}
			return nil, p.refuseProbe("not_stored", fmt.Errorf("probe: node %s is named for dataset %s but cannot create its table; see the node's log", p.self.Short(), m.Path()))
		}
		return nil, p.refuseProbe("not_stored", fmt.Errorf("probe: node %s does not store dataset %s: its certified record (version %d) names other persistence nodes", p.self.Short(), m.Path(), m.Version))
	}
	if reason, err := p.probes.allow(from, id, p.clock.Now()); err != nil {
		return nil, p.refuseProbe(reason, fmt.Errorf("probe: dataset %s is unknown to node %s: %w", id.Hex(), p.self.Short(), err))
	}
	p.probeLookups.Inc()
	lctx, cancel := context.WithTimeout(ctx, ProbeLookupTimeout)
	_, err := p.catalog.Fetch(lctx, id)
	cancel()
	if err != nil {
		p.probes.missed(id, p.clock.Now())
		return nil, p.refuseProbe("unknown_dataset", fmt.Errorf("probe: dataset %s is unknown to node %s and has no certified record in the DHT: %w", id.Hex(), p.self.Short(), err))
	}
	if !p.serves(id) {
		return nil, p.refuseProbe("not_stored", fmt.Errorf("probe: node %s does not store dataset %s: its certified record names other persistence nodes", p.self.Short(), id.Hex()))
	}
	p.probeAnswered.Inc()
	return []byte("ok"), nil
}

// serves reports whether this node has the dataset's table.
func (p *Persistence) serves(id common.Hash) bool {
	_, err := p.store.Table(id)
	return err == nil
}

func (p *Persistence) refuseProbe(reason string, err error) error {
	p.probeRefused.WithLabelValues(reason).Inc()
	p.log.Debug("probe refused", "reason", reason, "err", err)
	return err
}

// probeLimiter counts the DHT lookups probes start, per fixed window: per
// peer, in all, and the IDs found nowhere. Its maps hold at most
// ProbeLookupsPerWindow entries and are dropped whole when a window ends.
type probeLimiter struct {
	mu      sync.Mutex
	start   time.Time
	perPeer map[identity.NodeID]int
	total   int
	miss    map[common.Hash]struct{}
}

func (l *probeLimiter) rollLocked(now time.Time) {
	if l.perPeer == nil || now.Sub(l.start) >= ProbeWindow || now.Before(l.start) {
		l.start, l.total = now, 0
		l.perPeer = make(map[identity.NodeID]int)
		l.miss = make(map[common.Hash]struct{})
	}
}

// allow takes a lookup for peer's probe of id, or says why not (the metric
// label and the error for the peer).
func (l *probeLimiter) allow(peer identity.NodeID, id common.Hash, now time.Time) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rollLocked(now)
	retry := l.start.Add(ProbeWindow).Sub(now).Round(time.Second)
	switch {
	case hasKey(l.miss, id):
		return "unknown_dataset", fmt.Errorf("it was looked up in the DHT in the last %v and not found; retry in %v", ProbeWindow, retry)
	case l.perPeer[peer] >= ProbeLookupsPerPeer:
		return "peer_rate", fmt.Errorf("peer %s already had %d unknown-dataset probes looked up this %v; retry in %v", peer.Short(), ProbeLookupsPerPeer, ProbeWindow, retry)
	case l.total >= ProbeLookupsPerWindow:
		return "node_rate", fmt.Errorf("the node already looked up %d unknown datasets for probes this %v; retry in %v", ProbeLookupsPerWindow, ProbeWindow, retry)
	}
	l.perPeer[peer]++
	l.total++
	return "", nil
}

// missed remembers an ID a lookup did not find, for the rest of the window.
func (l *probeLimiter) missed(id common.Hash, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rollLocked(now)
	if len(l.miss) < probeMissedPerWindowKept {
		l.miss[id] = struct{}{}
	}
}

func hasKey[K comparable, V any](m map[K]V, k K) bool {
	_, ok := m[k]
	return ok
}

// onRecord follows a dataset's certified versions. A version naming this
// node gets a table of its own beside the served one (query.CreateVersion):
// the node keeps answering from the old version until the new version's
// first run is complete, then switches in one step. A version that no
// longer names this node drops the dataset: the node stops serving it.
func (p *Persistence) onRecord(rec *ledger.Record) {
	m := &rec.Signed.Metadata
	if !slices.Contains(m.Persistence, p.self) {
		if len(p.store.Versions(m.ID())) > 0 {
			if err := p.store.DropDataset(m.ID()); err != nil {
				p.log.Error("cannot drop a dataset this node is no longer named for", "dataset", m.Path(), "err", err)
				return
			}
			if err := p.backend.Dropped(m.ID()); err != nil {
				p.log.Error("cannot drop the rows of a dataset this node is no longer named for", "dataset", m.Path(), "err", err)
			}
			p.stats.forget(m.ID())
			p.log.Info("no longer a persistence node of the dataset; dropped it", "dataset", m.Path(), "version", m.Version)
		}
		return
	}
	if _, err := p.store.TableVersion(m.ID(), m.Version); err == nil {
		return
	}
	if served, err := p.store.Table(m.ID()); err == nil && p.backend.External(m.ID()) && served.Version < m.Version {
		// A provider's own relation has no runs to wait for: the new
		// version replaces the old at once (the store serves a dataset's
		// first table at once).
		if err := p.store.DropDataset(m.ID()); err != nil {
			p.log.Error("cannot replace the version of a dataset served from the provider's relation", "dataset", m.Path(), "err", err)
			return
		}
	}
	var certified []byte
	if c := p.catalog.Certified(m.ID()); c != nil {
		certified = c
	}
	t, err := p.store.CreateVersion(m.Path(), m.Version, m.Schema, certified)
	if err != nil {
		p.log.Error("cannot create dataset table", "dataset", m.Path(), "version", m.Version, "err", err)
		return
	}
	if err := p.backend.Created(t); err != nil {
		// Ingest creates it again before the first batch.
		p.log.Error("cannot create the dataset's table in the backend", "dataset", m.Path(), "version", m.Version, "err", err)
	}
	p.stats.forget(m.ID())
	p.log.Info("storing dataset", "dataset", m.Path(), "version", m.Version)
}

func (p *Persistence) lookup(id common.Hash) (worker.DatasetInfo, error) {
	rec, ok := p.catalog.Record(id)
	if !ok || !slices.Contains(rec.Signed.Metadata.Persistence, p.self) {
		return worker.DatasetInfo{}, fmt.Errorf("this node does not store dataset %s (no certified record names it)", id.Hex())
	}
	m := &rec.Signed.Metadata
	return worker.DatasetInfo{Workers: m.Workers, Schema: &m.Schema, Schedule: m.Schedule, Version: m.Version}, nil
}

// refreshFor is the push receiver's Refresh: a batch of a dataset or
// version the catalog does not hold yet makes the node fetch the dataset's
// record now rather than at the next poll. For a dataset the node stores it
// looks at most once per dataset per RefreshInterval; for one it does not
// know, the lookup takes a place in the probes' budget (ProbeLookupsPerPeer
// per peer and ProbeLookupsPerWindow in all per ProbeWindow), so pushes of
// random IDs buy no more DHT lookups than probes do.
func (p *Persistence) refreshFor(from identity.NodeID, id common.Hash, _ uint64) (worker.DatasetInfo, error) {
	now := p.clock.Now()
	if len(p.store.Versions(id)) > 0 {
		if !p.refresh.allow(id, now) {
			return p.lookup(id)
		}
	} else if _, known := p.catalog.Record(id); known {
		return p.lookup(id) // known and not for this node: nothing to fetch
	} else if _, err := p.probes.allow(from, id, now); err != nil {
		return worker.DatasetInfo{}, fmt.Errorf("this node does not store dataset %s yet and will not look it up now: %w", id.Hex(), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ProbeLookupTimeout)
	defer cancel()
	if _, err := p.catalog.Fetch(ctx, id); err != nil {
		p.probes.missed(id, now)
		p.log.Debug("refresh of a dataset's record for a pushed batch failed", "dataset", id.Hex(), "err", err)
	}
	return p.lookup(id)
}

// RefreshInterval is how often a persistence node fetches one dataset's
// record ahead of its catalog's poll because a worker pushed a newer
// version.
const RefreshInterval = 2 * time.Second

// refreshLimiter remembers when each dataset was last refreshed; it holds
// only datasets the node stores.
type refreshLimiter struct {
	mu   sync.Mutex
	last map[common.Hash]time.Time
}

func (l *refreshLimiter) allow(id common.Hash, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == nil {
		l.last = make(map[common.Hash]time.Time)
	}
	if t, ok := l.last[id]; ok && now.Sub(t) < RefreshInterval && !now.Before(t) {
		return false
	}
	l.last[id] = now
	return true
}

// statsCache keeps each dataset's table statistics for InfoCacheTTL, so
// info requests cost at most one bounded row count per dataset per TTL.
type statsCache struct {
	mu      sync.Mutex
	entries map[common.Hash]statsEntry
}

// forget drops a dataset's entry when its versions change.
func (c *statsCache) forget(id common.Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, id)
}

type statsEntry struct {
	at    time.Time
	stats []query.TableStats
}

// fillInfo implements InfoSource.
func (p *Persistence) fillInfo(id common.Hash, _ func(common.Address) bool, resp *nodeinfo.Response) {
	pi := &resp.Persistence
	pi.Accepts = true
	if free, ok := diskFree(p.dir); ok && free < minFreeBytes {
		pi.Accepts, pi.Refusal = false, fmt.Sprintf("only %d MiB free on the persistence node's disk (at least %d MiB wanted)", free>>20, minFreeBytes>>20)
	}
	if rec, ok := p.catalog.Record(id); ok {
		pi.KnownVersion, pi.Named = rec.Signed.Metadata.Version, slices.Contains(rec.Signed.Metadata.Persistence, p.self)
	}
	now := p.clock.Now()
	p.stats.mu.Lock()
	defer p.stats.mu.Unlock()
	e, ok := p.stats.entries[id]
	if !ok || now.Sub(e.at) >= InfoCacheTTL || now.Before(e.at) {
		stats, err := p.backend.Stats(id, InfoMaxRows)
		if err != nil {
			p.log.Warn("table statistics", "dataset", id.Hex(), "err", err)
			return
		}
		if p.stats.entries == nil || len(p.stats.entries) > 10_000 {
			p.stats.entries = make(map[common.Hash]statsEntry)
		}
		e = statsEntry{at: now, stats: stats}
		p.stats.entries[id] = e
	}
	for _, st := range e.stats {
		pi.Tables = append(pi.Tables, nodeinfo.TableInfo{Version: st.Version, Serving: st.Serving, HasRun: st.HasRun, NewestSlotMicros: uint64(max(st.NewestSlot, 0)), Rows: st.Rows, RowsCapped: st.Capped})
	}
}

func (p *Persistence) ingest(_ identity.NodeID, b *wire.Batch) (bool, error) {
	res, err := p.backend.Ingest(ingestBatch(b))
	if err != nil {
		return false, err
	}
	if res.Switched {
		p.stats.forget(b.DatasetID)
	}
	return res.Applied, nil
}

// ingestBatch turns a batch a worker pushed into the store's ingest batch.
func ingestBatch(b *wire.Batch) query.Batch {
	return query.Batch{Dataset: b.DatasetID, RunID: b.RunID.String(), Seq: uint64(b.Seq), Rows: b.Rows, Total: uint64(b.Total), Slot: b.SlotMicros, Version: b.Version}
}

// Readiness implements ProgressReporter: the persistence node is ready
// once its catalog has read the chain's dataset list, so it knows which
// datasets it must serve; it reports how many it stores, how many of them
// have a complete run to serve, and the datasets named for it that have no
// complete run yet (their workers have not pushed one).
func (p *Persistence) Readiness() RoleReadiness {
	tables := p.store.Tables()
	serving := 0
	for _, t := range tables {
		if t.Version == 0 || p.backend.HasRun(t) {
			serving++
		}
	}
	named := 0
	for _, rec := range p.catalog.Records() {
		if slices.Contains(rec.Signed.Metadata.Persistence, p.self) {
			named++
		}
	}
	progress := map[string]uint64{"datasets_stored": uint64(len(tables)), "datasets_serving": uint64(serving), "datasets_named": uint64(named)}
	if _, _, ok := p.catalog.Listed(); !ok {
		return RoleReadiness{Detail: notListed, Progress: progress}
	}
	detail := fmt.Sprintf("serving %d of the %d datasets stored here (%d certified records name this node)", serving, len(tables), named)
	if waiting := len(tables) - serving; waiting > 0 {
		detail += fmt.Sprintf("; %d wait for their workers' first complete run", waiting)
	}
	return RoleReadiness{Ready: true, Detail: detail, Progress: progress}
}

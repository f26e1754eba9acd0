package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/chain/chainview"
	"github.com/enigma-mpc/enigma/chain/contracts"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/records"
)

// How long answers are reused.
const (
	// RecordTTL: a verified record; a failed lookup is retried after
	// recordErrTTL.
	RecordTTL    = 30 * time.Second
	recordErrTTL = 5 * time.Second
	// InfoTTL: a node's answer to enigma/node/info/v1 (liveness, probe
	// results), asked with infoTimeout.
	InfoTTL     = 15 * time.Second
	infoTimeout = 2 * time.Second
	// eventsPollGap: the chain's events are read at most this often.
	eventsPollGap = time.Second
	// maxCached bounds each cache's entries; a full cache is emptied.
	maxCached = 10_000
	// fetchParallel bounds the DHT lookups one request makes at once.
	fetchParallel = 8
)

// Backend is what the API reads: the node's own chain client, chain view,
// overlay node and, on a validator, its replica.
type Backend struct {
	Self    identity.NodeID
	Roles   []nodeinfo.Role
	ChainID uint64
	Chain   *chain.Client
	View    *chainview.View
	Overlay *overlay.DHT
	// Validator is nil unless the node runs the validator role.
	Validator *node.Validator
	// EventsFrom is the first block whose Marketplace events are read.
	EventsFrom uint64
}

// BackendOf is the backend of an assembled node.
func BackendOf(r *node.Running, roles []nodeinfo.Role) Backend {
	return Backend{Self: r.Overlay.ID(), Roles: roles, ChainID: r.Chain.ChainID().Uint64(), Chain: r.Chain, View: r.View,
		Overlay: r.Overlay, Validator: r.Validator}
}

// Data reads and caches what the handlers show.
type Data struct {
	b       Backend
	dht     records.DHT
	now     func() time.Time
	started time.Time

	// ctx ends the reads started on behalf of requests (Close).
	ctx    context.Context
	cancel context.CancelFunc

	listing struct {
		sync.Mutex
		snap listingSnapshot
		// reading is the read of the listing in progress, if any.
		reading *listingRead
	}

	mu struct {
		sync.Mutex
		records map[common.Hash]recordEntry
		infos   map[infoKey]infoEntry
		// refreshing holds the keys of the background refreshes running.
		refreshing map[any]bool
		// attestations holds who authorised each slash, by its
		// transaction.
		attestations map[common.Hash]*AttestationsView
	}

	events chan struct{} // one-slot semaphore over polls of ev.follower
	evMu   sync.Mutex
	ev     eventState
	// bgSlots bounds the background refreshes running at once.
	bgSlots chan struct{}
	log     *slog.Logger
}

type listingSnapshot struct {
	head  uint64
	items []chain.Listed
	ok    bool
}

// listingRead is one read of the whole listing; done closes when items or
// err are set.
type listingRead struct {
	head  uint64
	done  chan struct{}
	items []chain.Listed
	err   error
}

// listingTimeout bounds one read of the whole listing. The read runs apart
// from the request that started it, so a listing that takes longer to read
// than a request may wait (many datasets, a slow chain endpoint) is still
// read once, and then served to every request until the head moves.
const listingTimeout = 2 * time.Minute

// recordEntry is a dataset's certified record as this node resolved and
// verified it.
type recordEntry struct {
	cr      *ledger.CertifiedRecord
	rec     *ledger.Record
	encoded []byte
	// block is the confirmed block whose validator sets verified it.
	block uint64
	err   error
	at    time.Time
}

type infoKey struct {
	node    identity.NodeID
	dataset common.Hash
}

type infoEntry struct {
	resp *nodeinfo.Response
	err  error
	rtt  time.Duration
	at   time.Time
}

// eventState is what the Marketplace's events say, read by a follower from
// Backend.EventsFrom. The follower is polled only under Data.events; the
// rest is guarded by Data.evMu.
type eventState struct {
	follower *chain.Follower
	polledAt time.Time
	versions map[common.Hash][]versionEvent
	slashes  []slashEvent
	seen     map[eventID]bool
}

// eventID is a log's place: its transaction and index in the block.
type eventID struct {
	tx    common.Hash
	index uint
}

type versionEvent struct {
	Block        uint64
	Tx           common.Hash
	MetadataHash common.Hash
	Registered   bool
}

type slashEvent struct {
	Block uint64
	Tx    common.Hash
	Data  contracts.MarketplaceSlashed
}

// NewData returns the API's reader over b.
func NewData(b Backend) *Data {
	d := &Data{b: b, dht: records.DHT{Overlay: b.Overlay, View: b.View}, now: time.Now, events: make(chan struct{}, 1),
		bgSlots: make(chan struct{}, fetchParallel), log: slog.Default()}
	d.mu.refreshing = make(map[any]bool)
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.started = d.now()
	d.mu.records = make(map[common.Hash]recordEntry)
	d.mu.infos = make(map[infoKey]infoEntry)
	d.mu.attestations = make(map[common.Hash]*AttestationsView)
	return d
}

// acquire takes a one-slot semaphore or gives up at ctx's deadline.
func acquire(ctx context.Context, sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close ends the reads still running for requests.
func (d *Data) Close() { d.cancel() }

// Listing is the Marketplace's listing as of the chain head, in
// registration order. It is read again only when the head moved, by one
// read at a time that every request waiting for it shares; a request that
// arrives during a read gets that read's listing. Callers must not modify
// it.
func (d *Data) Listing(ctx context.Context) (head uint64, items []chain.Listed, err error) {
	head, err = d.b.Chain.BlockNumber(ctx)
	if err != nil {
		return 0, nil, err
	}
	d.listing.Lock()
	if snap := d.listing.snap; snap.ok && snap.head == head {
		d.listing.Unlock()
		return head, snap.items, nil
	}
	r := d.listing.reading
	if r == nil {
		r = &listingRead{head: head, done: make(chan struct{})}
		d.listing.reading = r
		go d.readListing(r)
	}
	d.listing.Unlock()
	select {
	case <-r.done:
		return r.head, r.items, r.err
	case <-ctx.Done():
		return 0, nil, ctx.Err()
	}
}

func (d *Data) readListing(r *listingRead) {
	ctx, cancel := context.WithTimeout(d.ctx, listingTimeout)
	defer cancel()
	items, err := d.b.Chain.Listing(ctx)
	d.listing.Lock()
	r.items, r.err = items, err
	if err == nil {
		d.listing.snap = listingSnapshot{head: r.head, items: items, ok: true}
	}
	d.listing.reading = nil
	d.listing.Unlock()
	close(r.done)
}

// Record resolves dataset id's certified record in the DHT and verifies
// it against the chain's validator sets (records.DHT.FetchRecord, as a
// subscriber's query does). A verified record older than RecordTTL is
// served while a background lookup replaces it (it stays a valid
// certificate; a newer version may exist); a failed lookup is retried in
// the request. Callers pass only IDs the chain knows, so the cache holds no
// more entries than the Marketplace has datasets.
func (d *Data) Record(ctx context.Context, id common.Hash) recordEntry {
	d.mu.Lock()
	e, ok := d.mu.records[id]
	d.mu.Unlock()
	switch {
	case ok && d.now().Sub(e.at) < ttlOf(e.err, RecordTTL, recordErrTTL):
		return e
	case ok && e.err == nil:
		d.background(id, func(ctx context.Context) { d.fetchRecord(ctx, id) })
		return e
	}
	return d.fetchRecord(ctx, id)
}

func (d *Data) fetchRecord(ctx context.Context, id common.Hash) recordEntry {
	e := recordEntry{at: d.now()}
	e.block, e.err = d.b.View.ConfirmedBlock(ctx)
	if e.err == nil {
		e.cr, e.rec, e.err = d.dht.FetchRecord(ctx, id)
	}
	if e.err == nil {
		e.encoded, e.err = e.cr.Encode()
	}
	if ctx.Err() != nil && e.err != nil {
		return e // the client's deadline, not the record's state: not cached
	}
	d.mu.Lock()
	if len(d.mu.records) >= maxCached {
		clear(d.mu.records)
	}
	d.mu.records[id] = e
	d.mu.Unlock()
	return e
}

// background runs fn once per key at a time, apart from any request, at
// most fetchParallel at once; Close ends it.
func (d *Data) background(key any, fn func(context.Context)) {
	d.mu.Lock()
	if d.mu.refreshing[key] || d.ctx.Err() != nil {
		d.mu.Unlock()
		return
	}
	d.mu.refreshing[key] = true
	d.mu.Unlock()
	go func() {
		defer func() {
			d.mu.Lock()
			delete(d.mu.refreshing, key)
			d.mu.Unlock()
		}()
		if acquire(d.ctx, d.bgSlots) != nil {
			return
		}
		defer func() { <-d.bgSlots }()
		ctx, cancel := context.WithTimeout(d.ctx, RequestTimeout)
		defer cancel()
		fn(ctx)
	}()
}

// Records resolves several records, fetchParallel at a time.
func (d *Data) Records(ctx context.Context, ids []common.Hash) map[common.Hash]recordEntry {
	out := make(map[common.Hash]recordEntry, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, fetchParallel)
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			e := d.Record(ctx, id)
			mu.Lock()
			out[id] = e
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func ttlOf(err error, ok, failed time.Duration) time.Duration {
	if err != nil {
		return failed
	}
	return ok
}

// Info asks a node (enigma/node/info/v1, as `enigma provider status` does)
// about a dataset, or only its roles for the zero dataset. An answer is
// this node's probe of that node: the QUIC connection proves who answered.
// An answer older than InfoTTL is served while a background question
// replaces it.
func (d *Data) Info(ctx context.Context, id identity.NodeID, ds common.Hash) infoEntry {
	k := infoKey{id, ds}
	d.mu.Lock()
	e, ok := d.mu.infos[k]
	d.mu.Unlock()
	if ok {
		if d.now().Sub(e.at) >= InfoTTL {
			d.background(k, func(ctx context.Context) { d.askInfo(ctx, k) })
		}
		return e
	}
	return d.askInfo(ctx, k)
}

func (d *Data) askInfo(ctx context.Context, k infoKey) infoEntry {
	cctx, cancel := context.WithTimeout(ctx, infoTimeout)
	defer cancel()
	start := d.now()
	resp, err := nodeinfo.Ask(cctx, d.b.Overlay.Host(), d.b.ChainID, k.node, k.dataset, nil)
	e := infoEntry{resp: resp, err: err, rtt: d.now().Sub(start), at: d.now()}
	if ctx.Err() != nil && err != nil {
		return e
	}
	d.mu.Lock()
	if len(d.mu.infos) >= maxCached {
		clear(d.mu.infos)
	}
	d.mu.infos[k] = e
	d.mu.Unlock()
	return e
}

// Infos asks several nodes at once.
func (d *Data) Infos(ctx context.Context, keys []infoKey) map[infoKey]infoEntry {
	out := make(map[infoKey]infoEntry, len(keys))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, fetchParallel)
	for _, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			e := d.Info(ctx, k.node, k.dataset)
			mu.Lock()
			out[k] = e
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// eventsKey names the background poll of the events.
type eventsKey struct{}

// Events calls read with the Marketplace's events. The first call reads
// them up to the confirmed head; later calls read what is known while a
// background poll (at most every eventsPollGap) brings it up to date.
func (d *Data) Events(ctx context.Context, read func(*eventState)) error {
	d.evMu.Lock()
	started, stale := d.ev.follower != nil, d.now().Sub(d.ev.polledAt) >= eventsPollGap
	d.evMu.Unlock()
	switch {
	case !started:
		if err := d.pollEvents(ctx); err != nil {
			return err
		}
	case stale:
		d.background(eventsKey{}, func(ctx context.Context) {
			if err := d.pollEvents(ctx); err != nil {
				d.log.Debug("read Marketplace events", "err", err)
			}
		})
	}
	d.evMu.Lock()
	defer d.evMu.Unlock()
	read(&d.ev)
	return nil
}

// pollEvents brings the events up to the confirmed head; one poll at a
// time.
func (d *Data) pollEvents(ctx context.Context) error {
	if err := acquire(ctx, d.events); err != nil {
		return err
	}
	defer func() { <-d.events }()
	d.evMu.Lock()
	f := d.ev.follower
	if f != nil && d.now().Sub(d.ev.polledAt) < eventsPollGap {
		d.evMu.Unlock()
		return nil // another poll just did
	}
	d.evMu.Unlock()
	if f == nil {
		var err error
		f, err = chain.NewFollower(chain.FollowerConfig{
			Backend: d.b.Chain.Backend(), Market: d.b.Chain.Market(), Depth: d.b.View.Confirmations(),
			Start: d.b.EventsFrom, Store: &chain.MemoryCursorStore{},
		})
		if err != nil {
			return err
		}
		d.evMu.Lock()
		d.ev = eventState{follower: f, versions: make(map[common.Hash][]versionEvent), seen: make(map[eventID]bool)}
		d.evMu.Unlock()
	}
	_, err := f.Poll(ctx, func(e chain.Event) error {
		d.evMu.Lock()
		defer d.evMu.Unlock()
		d.ev.add(e)
		return nil
	})
	var reorg *chain.ReorgError
	if errors.As(err, &reorg) {
		d.evMu.Lock()
		d.ev = eventState{} // start over: the derived state holds lost blocks
		d.evMu.Unlock()
		return fmt.Errorf("the chain reorganised; the events are read again on the next request: %w", err)
	}
	if err != nil {
		return err
	}
	d.evMu.Lock()
	d.ev.polledAt = d.now()
	d.evMu.Unlock()
	return nil
}

// add records one event once: a poll that failed half-way through a range
// delivers that range's events again.
func (ev *eventState) add(e chain.Event) {
	id := eventID{e.TxHash, e.Index}
	if ev.seen[id] {
		return
	}
	ev.seen[id] = true
	switch data := e.Data.(type) {
	case *contracts.MarketplaceDatasetRegistered:
		ev.versions[data.Id] = append(ev.versions[data.Id], versionEvent{e.Block, e.TxHash, data.MetadataHash, true})
	case *contracts.MarketplaceMetadataChanged:
		ev.versions[data.Id] = append(ev.versions[data.Id], versionEvent{e.Block, e.TxHash, data.MetadataHash, false})
	case *contracts.MarketplaceSlashed:
		ev.slashes = append(ev.slashes, slashEvent{e.Block, e.TxHash, *data})
	}
}

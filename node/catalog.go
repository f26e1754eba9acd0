package node

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
)

// DatasetSource lists the datasets the chain knows.
type DatasetSource interface {
	DatasetIDs(ctx context.Context) ([]common.Hash, error)
}

// RecordFetcher finds a dataset's certified record (the DHT) and verifies it.
type RecordFetcher interface {
	FetchRecord(ctx context.Context, id common.Hash) (*ledger.CertifiedRecord, *ledger.Record, error)
}

// Catalog follows the certified metadata of every dataset: it polls the
// chain's dataset list and resolves each dataset's newest certified record,
// and tells subscribers (the worker and persistence roles) about every new
// version. It trusts nothing it fetched without verification.
type Catalog struct {
	source   DatasetSource
	fetcher  RecordFetcher
	interval time.Duration
	clock    clock.Clock
	log      *slog.Logger

	mu struct {
		sync.Mutex
		records map[common.Hash]*ledger.Record
		// certified holds each record's certified form, encoded as the DHT
		// serves it, so a node can show it to clients later.
		certified map[common.Hash][]byte
		listeners []func(*ledger.Record)
		// listed is when the chain's dataset list was last read, and
		// listedIDs how many it held (zero time: never).
		listed    time.Time
		listedIDs int
	}
	cancel context.CancelFunc
	done   chan struct{}
}

// NewCatalog returns a catalog polling every interval of clk (nil: the
// system clock).
func NewCatalog(source DatasetSource, fetcher RecordFetcher, interval time.Duration, clk clock.Clock, log *slog.Logger) *Catalog {
	if clk == nil {
		clk = clock.System{}
	}
	c := &Catalog{source: source, fetcher: fetcher, interval: interval, clock: clk, log: log.With("service", "catalog")}
	c.mu.records = make(map[common.Hash]*ledger.Record)
	c.mu.certified = make(map[common.Hash][]byte)
	return c
}

// Certified returns the encoded certified record of the newest version the
// catalog knows of a dataset (nil if it knows none).
func (c *Catalog) Certified(id common.Hash) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.certified[id]
}

// Subscribe registers fn for every new record version, called once per
// version, in version order per dataset, from the catalog's poll or from
// Fetch.
func (c *Catalog) Subscribe(fn func(*ledger.Record)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mu.listeners = append(c.mu.listeners, fn)
}

// Record returns the newest verified record of a dataset the catalog knows.
func (c *Catalog) Record(id common.Hash) (*ledger.Record, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.mu.records[id]
	return r, ok
}

// Listed reports when the chain's dataset list was last read and how many
// datasets it held; ok is false until the first read succeeds (a role
// following the catalog does not know yet what it should serve).
func (c *Catalog) Listed() (at time.Time, datasets int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.listed, c.mu.listedIDs, !c.mu.listed.IsZero()
}

// Records returns the newest verified record of every dataset it knows.
func (c *Catalog) Records() []*ledger.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*ledger.Record, 0, len(c.mu.records))
	for _, r := range c.mu.records {
		out = append(out, r)
	}
	return out
}

// notListed is the readiness detail of a role whose catalog has not read
// the chain's dataset list yet.
const notListed = "the catalog has not read the chain's dataset list yet (it does at start and every few seconds; is the chain endpoint up?)"

// Name implements Service.
func (c *Catalog) Name() string { return "catalog" }

// Start implements Service.
func (c *Catalog) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.done = make(chan struct{})
	go c.loop(ctx)
	return nil
}

// Stop implements Service. Stopping a catalog that never started (a node
// whose start-up failed before it) does nothing.
func (c *Catalog) Stop() error {
	if c.cancel == nil {
		return nil
	}
	c.cancel()
	<-c.done
	return nil
}

func (c *Catalog) loop(ctx context.Context) {
	defer close(c.done)
	t := c.clock.NewTicker(c.interval)
	defer t.Stop()
	for {
		c.Refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C():
		}
	}
}

// Fetch resolves one dataset's record now (not waiting for the next poll)
// and tells the subscribers if it is new.
func (c *Catalog) Fetch(ctx context.Context, id common.Hash) (*ledger.Record, error) {
	cr, rec, err := c.fetcher.FetchRecord(ctx, id)
	if err != nil {
		return nil, err
	}
	c.offer(id, cr, rec)
	return rec, nil
}

// offer records rec if it is newer than what the catalog holds and, if so,
// calls the subscribers.
func (c *Catalog) offer(id common.Hash, cr *ledger.CertifiedRecord, rec *ledger.Record) {
	var raw []byte
	if cr != nil {
		raw, _ = cr.Encode()
	}
	c.mu.Lock()
	old, known := c.mu.records[id]
	fresh := !known || rec.Signed.Metadata.Version > old.Signed.Metadata.Version
	if fresh {
		c.mu.records[id] = rec
		c.mu.certified[id] = raw
	}
	listeners := append([]func(*ledger.Record){}, c.mu.listeners...)
	c.mu.Unlock()
	if fresh {
		c.log.Info("dataset metadata", "dataset", rec.Signed.Metadata.Path(), "version", rec.Signed.Metadata.Version)
		for _, fn := range listeners {
			fn(rec)
		}
	}
}

// Refresh polls once.
func (c *Catalog) Refresh(ctx context.Context) {
	ids, err := c.source.DatasetIDs(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.log.Warn("cannot list datasets on chain", "err", err)
		}
		return
	}
	c.mu.Lock()
	c.mu.listed, c.mu.listedIDs = c.clock.Now(), len(ids)
	c.mu.Unlock()
	for _, id := range ids {
		fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		cr, rec, err := c.fetcher.FetchRecord(fctx, id)
		cancel()
		if err != nil {
			// Registered on chain but not certified yet, or not reachable.
			c.log.Debug("no certified record yet", "dataset", id.Hex(), "err", err)
			continue
		}
		c.offer(id, cr, rec)
	}
}

package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
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
	store   *query.Store
	server  *access.Server
	catalog *Catalog
	log     *slog.Logger
	push    func(context.Context, identity.NodeID, []byte) ([]byte, error)
}

// PersistenceConfig configures the role.
type PersistenceConfig struct {
	Self    identity.NodeID
	Dir     string
	ChainID uint64
	Access  access.AccessChecker
	Catalog *Catalog
	Logger  *slog.Logger
	// Push configures the receiver of workers' pushes.
	Push PushReceiverConfig
	// Registry receives the role's metrics: query refusals by reason
	// (enigma_query_refused_total).
	Registry prometheus.Registerer
	Clock    clock.Clock // default: the system clock
}

// NewPersistence opens the store and subscribes to the catalog.
func NewPersistence(cfg PersistenceConfig) (*Persistence, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	store, err := query.Open(cfg.Dir, query.Options{Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	server, err := access.NewServer(access.Config{
		Store: store, Access: cfg.Access, Self: cfg.Self, ChainID: cfg.ChainID,
		Clock: cfg.Clock, Logger: cfg.Logger, Registerer: cfg.Registry,
	})
	if err != nil {
		return nil, errors.Join(err, store.Close())
	}
	p := &Persistence{self: cfg.Self, store: store, server: server, catalog: cfg.Catalog, log: cfg.Logger.With("role", "persistence")}
	if p.push, err = p.newPushReceiver(cfg.Push); err != nil {
		return nil, errors.Join(err, store.Close())
	}
	cfg.Catalog.Subscribe(p.onRecord)
	return p, nil
}

// Name implements Service.
func (p *Persistence) Name() string { return "persistence" }

// Start implements Service.
func (p *Persistence) Start(context.Context) error { return nil }

// Stop implements Service: it closes the store cleanly.
func (p *Persistence) Stop() error {
	if err := p.store.Flush(); err != nil {
		return errors.Join(err, p.store.Close())
	}
	return p.store.Close()
}

// Store is the role's dataset store.
func (p *Persistence) Store() *query.Store { return p.store }

// Handlers returns the overlay protocol handlers of the role.
func (p *Persistence) Handlers() map[string]func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	return map[string]func(context.Context, identity.NodeID, []byte) ([]byte, error){
		access.Protocol: func(ctx context.Context, _ identity.NodeID, req []byte) ([]byte, error) {
			return p.server.Handle(ctx, req), nil
		},
		worker.PushProtocol: p.push,
		ProtoProbe:          p.serveProbe,
	}
}

// serveProbe answers a validator's availability probe: ok if this node
// serves the dataset. A dataset certified a moment ago may not have reached
// the catalog's poll yet, so an unknown one is looked up at once.
func (p *Persistence) serveProbe(ctx context.Context, _ identity.NodeID, req []byte) ([]byte, error) {
	if len(req) != common.HashLength {
		return nil, fmt.Errorf("probe: want a 32-byte dataset ID, got %d bytes", len(req))
	}
	id := common.BytesToHash(req)
	if _, err := p.store.Table(id); err != nil {
		if _, ferr := p.catalog.Fetch(ctx, id); ferr != nil {
			return nil, fmt.Errorf("probe: %w", errors.Join(err, ferr))
		}
		if _, err := p.store.Table(id); err != nil {
			return nil, fmt.Errorf("probe: %w", err)
		}
	}
	return []byte("ok"), nil
}

func (p *Persistence) onRecord(rec *ledger.Record) {
	m := &rec.Signed.Metadata
	if !slices.Contains(m.Persistence, p.self) {
		return
	}
	if _, err := p.store.Table(m.ID()); err == nil {
		return
	}
	if _, err := p.store.CreateDataset(m.Path(), m.Schema); err != nil {
		p.log.Error("cannot create dataset table", "dataset", m.Path(), "err", err)
		return
	}
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

func (p *Persistence) ingest(_ identity.NodeID, b *wire.Batch) (bool, error) {
	res, err := p.store.Ingest(query.FromWire(b))
	if err != nil {
		return false, err
	}
	return res.Applied, nil
}

package node

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
)

// OwnerSource tells who owns a dataset on chain.
type OwnerSource interface {
	ConfirmedBlock(ctx context.Context) (uint64, error)
	Dataset(ctx context.Context, block uint64, id common.Hash) (ledger.DatasetFacts, error)
}

// WorkerRole runs the curation jobs this node is named for, and hands the
// column keys of those datasets to their subscribers (workerkeys.GrantProtocol).
type WorkerRole struct {
	*worker.Worker
	self    identity.NodeID
	dir     string
	keysDir string
	chainID uint64
	owners  OwnerSource
	access  access.AccessChecker
	catalog *Catalog
	clock   clock.Clock
	grants  *prometheus.CounterVec
	log     *slog.Logger
}

// WorkerRoleConfig configures the role.
type WorkerRoleConfig struct {
	Self    identity.NodeID
	Dir     string
	ChainID uint64
	Net     worker.Caller
	Owners  OwnerSource
	// Access answers hasAccess on chain: a worker grants a dataset's keys
	// to accounts with access only.
	Access  access.AccessChecker
	Catalog *Catalog
	Worker  worker.Config // Dir, NodeID, Pusher and Keys are filled in
	// Clock judges grant requests' expiry and, unless Worker.Clock is
	// set, schedules the curation runs (nil: the system clock).
	Clock clock.Clock
	// Registry receives enigma_worker_grants_total (default: a private
	// registry).
	Registry prometheus.Registerer
	Logger   *slog.Logger
}

// NewWorkerRole builds the worker and subscribes it to the catalog.
func NewWorkerRole(cfg WorkerRoleConfig) (*WorkerRole, error) {
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	keysDir := filepath.Join(cfg.Dir, "keys")
	if err := os.MkdirAll(keysDir, 0o700); err != nil {
		return nil, fmt.Errorf("create worker key directory: %w", err)
	}
	wc := cfg.Worker
	wc.NodeID = cfg.Self
	wc.Dir = cfg.Dir
	wc.Pusher = worker.CallPusher{Caller: cfg.Net}
	wc.Keys = worker.KeysFromDir(keysDir)
	wc.Logger = cfg.Logger
	if wc.Clock == nil {
		wc.Clock = cfg.Clock
	}
	w, err := worker.New(wc)
	if err != nil {
		return nil, err
	}
	r := &WorkerRole{Worker: w, self: cfg.Self, dir: cfg.Dir, keysDir: keysDir, chainID: cfg.ChainID, owners: cfg.Owners, access: cfg.Access,
		catalog: cfg.Catalog, clock: cfg.Clock, log: cfg.Logger.With("role", "worker")}
	r.grants = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "enigma_worker_grants_total",
		Help: "Column-key grants this worker answered, by result (ok, or the refusal's reason).",
	}, []string{"result"})
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if err := cfg.Registry.Register(r.grants); err != nil {
		return nil, errors.Join(fmt.Errorf("register worker grant metrics: %w", err), w.Stop())
	}
	cfg.Catalog.Subscribe(r.onRecord)
	return r, nil
}

// onRecord follows a dataset's certified versions: a version naming this
// node replaces its job (the worker cancels the old version's run and runs
// the new one at once); a version that no longer names it stops the job and
// deletes the column keys, so a removed worker neither curates nor grants.
func (r *WorkerRole) onRecord(rec *ledger.Record) {
	m := &rec.Signed.Metadata
	if !slices.Contains(m.Workers, r.self) {
		if _, ok := r.Job(m.ID()); ok {
			if err := r.RemoveJob(m.ID()); err != nil {
				r.log.Error("cannot remove curation job", "dataset", m.Path(), "err", err)
			}
			if err := os.Remove(filepath.Join(r.keysDir, worker.KeysFileName(m.ID()))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				r.log.Error("cannot delete the column keys of a dataset this node no longer curates", "dataset", m.Path(), "err", err)
			}
			r.log.Info("no longer a worker of the dataset", "dataset", m.Path(), "version", m.Version)
		}
		return
	}
	job := worker.Job{
		Dataset: m.Path(), Version: m.Version, Schema: m.Schema,
		ScriptName: m.Name + ".star", Script: m.Script, Schedule: m.Schedule,
		PersistenceNodes: m.Persistence,
	}
	if _, err := r.SetJob(job); err != nil {
		r.log.Error("cannot schedule curation job", "dataset", m.Path(), "err", err)
	}
}

// Handlers returns the overlay protocol handlers of the role.
func (r *WorkerRole) Handlers() map[string]func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	return map[string]func(context.Context, identity.NodeID, []byte) ([]byte, error){
		workerkeys.DeliveryProtocol: r.serveKeys,
		workerkeys.GrantProtocol:    r.serveGrant,
	}
}

// fillInfo implements InfoSource.
func (r *WorkerRole) fillInfo(id common.Hash, owner func(common.Address) bool, resp *nodeinfo.Response) {
	wi := &resp.Worker
	wi.Accepts = true
	if free, ok := diskFree(r.dir); ok && free < minFreeBytes {
		wi.Accepts, wi.Refusal = false, fmt.Sprintf("only %d MiB free on the worker's disk (at least %d MiB wanted)", free>>20, minFreeBytes>>20)
	}
	var provider common.Address
	if rec, ok := r.catalog.Record(id); ok {
		m := &rec.Signed.Metadata
		wi.KnownVersion, wi.Named, provider = m.Version, slices.Contains(m.Workers, r.self), m.Provider
	}
	if job, ok := r.Job(id); ok {
		wi.JobVersion, provider = job.Version, job.Dataset.Provider
	}
	if _, err := os.Stat(filepath.Join(r.keysDir, worker.KeysFileName(id))); err == nil {
		wi.HasKeys = true
	}
	if entries, err := os.ReadDir(worker.JobDir(r.dir, id)); err == nil {
		for _, e := range entries {
			if e.Type().IsRegular() {
				wi.StagedFiles++
			}
		}
	}
	runs := r.History().RunsOf(id.Hex())
	for i := len(runs) - 1; i >= 0 && len(wi.Runs) < InfoRuns; i-- {
		run := runs[i]
		ri := nodeinfo.RunInfo{Version: run.Version, SlotMicros: uint64(max(run.Slot.UnixMicro(), 0)), Status: string(run.Status), Rows: uint64(run.Rows),
			NodesOK: uint64(run.NodesOK), NodesTotal: uint64(run.NodesTotal)}
		if owner(provider) {
			ri.Error = truncateError(run.Error)
		}
		wi.Runs = append(wi.Runs, ri)
	}
}

// minFreeBytes is the free disk space below which a node says it does not
// take a new dataset.
const minFreeBytes = 256 << 20

func (r *WorkerRole) serveKeys(ctx context.Context, _ identity.NodeID, body []byte) ([]byte, error) {
	d, signer, err := workerkeys.OpenDelivery(body, r.chainID)
	if err != nil {
		return nil, err
	}
	if d.Worker != r.self {
		return nil, fmt.Errorf("key delivery is for worker %s, not this node", d.Worker.Short())
	}
	block, err := r.owners.ConfirmedBlock(ctx)
	if err != nil {
		return nil, err
	}
	facts, err := r.owners.Dataset(ctx, block, d.DatasetID)
	if err != nil {
		return nil, err
	}
	if !facts.Exists || facts.Owner != signer {
		return nil, fmt.Errorf("key delivery signed by %s, but dataset %s is not registered to it on chain", signer.Hex(), d.DatasetID.Hex())
	}
	var keys colcrypt.Keys
	if err := keys.UnmarshalBinary(d.Keys); err != nil {
		return nil, fmt.Errorf("key delivery: %w", err)
	}
	path := filepath.Join(r.keysDir, worker.KeysFileName(d.DatasetID))
	tmp := path + ".new"
	os.Remove(tmp)
	if err := colcrypt.SaveKeys(tmp, &keys); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("install keys: %w", err)
	}
	r.log.Info("installed column keys", "dataset", d.DatasetID.Hex(), "provider", signer.Hex())
	return nil, nil
}

// Readiness implements ProgressReporter: the worker is ready once its
// catalog has read the chain's dataset list (it knows its jobs); it
// reports its jobs and the next scheduled run.
func (r *WorkerRole) Readiness() RoleReadiness {
	jobs := r.Jobs()
	var next time.Time
	for _, j := range jobs {
		if !j.NextRun.IsZero() && (next.IsZero() || j.NextRun.Before(next)) {
			next = j.NextRun
		}
	}
	progress := map[string]uint64{"jobs": uint64(len(jobs))}
	if !next.IsZero() {
		progress["next_run_unix"] = uint64(next.Unix())
	}
	if _, _, ok := r.catalog.Listed(); !ok {
		return RoleReadiness{Detail: notListed, Progress: progress}
	}
	detail := fmt.Sprintf("%d curation jobs", len(jobs))
	if !next.IsZero() {
		detail += ", next run at " + next.UTC().Format(time.RFC3339)
	}
	return RoleReadiness{Ready: true, Detail: detail, Progress: progress}
}

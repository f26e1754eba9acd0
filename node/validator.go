package node

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerapp"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
	"github.com/enigma-mpc/enigma/signing"
)

// ProtoPBFT carries consensus messages between validators: a long-lived
// one-way stream per peer (overlay.Host.Send), one message per frame. It
// replaced enigma/pbft/1, a request with a batch of messages and an empty
// answer per call. Validators also serve ledgerclient.Protocol, the
// clients' submissions.
const ProtoPBFT = "enigma/pbft/2"

// Limits on what the validator accepts from the network.
const (
	outboxDepth = 4096
	inboxDepth  = 4096
)

// Caller is what the roles need from the overlay host to ask other nodes:
// authenticated request/response to a node ID (ledgerclient.Caller and the
// other protocol clients take the same).
type Caller interface {
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

// ValidatorNet is what the validator needs from the overlay host: calls,
// and long-lived one-way streams to its peers for consensus messages (the
// host registers its handlers).
type ValidatorNet interface {
	Caller
	Send(ctx context.Context, to identity.NodeID, addrHint, proto string, frames ...[]byte) error
	CloseSend(to identity.NodeID, proto string) error
}

// Publisher stores certified records where clients find them (the DHT).
type Publisher interface {
	Publish(ctx context.Context, key [32]byte, value []byte) error
}

// ValidatorConfig configures the validator role.
type ValidatorConfig struct {
	Key     *identity.NodeKey
	ChainID uint64
	// Epoch is the validator epoch the replica starts in; Peers are that
	// epoch's validators in replica order (by node ID) and PrevPeers those
	// of the epoch before (nil for the first). A node that is not in Peers
	// waits, watching the chain, until an epoch names it.
	Epoch     uint64
	Peers     []ledgerclient.ValidatorPeer
	PrevPeers []ledgerclient.ValidatorPeer
	// Joining: the replica enters a running epoch without its state and
	// fetches it first (a validator the chain added).
	Joining bool
	// Ledger and View make the ledger the replicated application. Without
	// a Ledger, App and Verifier are used (benchmarks of the engine alone).
	// With a View the validator follows the chain's validator epochs.
	Ledger   *ledger.Ledger
	View     ledger.ChainView
	App      consensus.Application
	Verifier consensus.Verifier
	Storage  consensus.Storage
	Net      ValidatorNet
	// Publisher receives the ledger's certified records after each stable
	// checkpoint (nil: do not publish).
	Publisher Publisher
	// TickInterval is the engine's tick (default DefaultTickInterval).
	TickInterval time.Duration
	// EpochCheckInterval is how often the validator asks View whether the
	// chain activated a later validator epoch (default 5s).
	EpochCheckInterval time.Duration
	// LeaveAfter is how long a replica whose node left the validator set
	// keeps serving state transfer before it stops (default 10 minutes).
	LeaveAfter time.Duration
	// Tune lets tests and benchmarks adjust the engine's configuration.
	Tune func(*consensus.Config)
	// Equivocate turns this validator Byzantine, for fault tests only: as
	// primary it sends the replicas with odd IDs a conflicting (null)
	// batch for every sequence number it proposes, and its commits for
	// that batch. The honest replicas must still agree and make progress.
	Equivocate bool
	Logger     *slog.Logger
	Registry   prometheus.Registerer
	// Clock is the validator's clock (default the system clock): it drives
	// the engine's ticks, the epoch checks and the admission of command
	// timestamps.
	Clock clock.Clock
}

// Validator runs a PBFT replica with the ledger as its application, and
// follows the validator epochs the chain defines: it asks the validators to
// record a new set in the ledger, switches with the engine, starts a replica
// when an epoch adds its node, and stops it a while after one removes it.
type Validator struct {
	cfg ValidatorConfig
	log *slog.Logger
	app consensus.Application
	ver consensus.Verifier

	// The replica and its driver are used by the run goroutine only; rep
	// is set while it runs.
	replica *consensus.Replica
	driver  *consensus.Driver
	running atomic.Bool
	epoch   uint64 // of the replica, as the run goroutine last saw it
	left    time.Time

	inbox     chan consensus.Message
	proposals chan proposal

	out struct {
		sync.Mutex
		boxes map[identity.NodeID]chan []byte
	}
	spaces struct {
		sync.Mutex
		m map[uint64]*epochSpace
	}

	mu struct {
		sync.Mutex
		waiters map[consensus.ClientID]waitList
		status  consensus.Status
		// counters is the running replica's totals as reportStatus last
		// saw them; carried sums those of the replicas before it.
		counters, carried consensus.Counters
		// behindBy is how far below the highest sequence number seen
		// the replica may have executed and still be caught up: one
		// checkpoint interval (batches in flight are always ahead).
		behindBy uint64
	}
	shellCounts shellCounters
	published   ledgerRoot

	committed  prometheus.Counter
	stable     prometheus.Counter
	views      prometheus.Gauge
	executed   prometheus.Gauge
	epochs     prometheus.Gauge
	member     prometheus.Gauge
	joinedAt   prometheus.Gauge
	leftAt     prometheus.Gauge
	superseded prometheus.Gauge
	refused    *prometheus.CounterVec

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type ledgerRoot struct {
	mu    sync.Mutex
	root  common.Hash
	epoch uint64 // of the last published certificate
}

// waiter is a submission call waiting for the reply to its command number
// idx, the client's command at timestamp ts; the reply goes to the call with
// that number, so the call needs no map of its own to place it.
type waiter struct {
	call *submitCall
	idx  int
	ts   uint64
}

// indexedReply is the reply to a call's command number idx; the command
// gives its client and timestamp.
type indexedReply struct {
	idx     int
	replica consensus.ReplicaID
	view    uint64
	result  []byte
}

// submitCall is where deliverReplies leaves the replies to one submission
// call's commands. A batch executes many of a call's commands at once: they
// are appended under Validator.mu and the call is woken once, not sent one
// by one over a channel (a lock and a wake-up per reply).
type submitCall struct {
	// replies has room for one reply per command of the call and is only
	// appended to (under Validator.mu): deliverReplies unregisters a command
	// as it answers it, so it never outgrows that room, and an element
	// below a length read under the lock is never written again.
	replies []indexedReply
	wake    chan struct{} // capacity 1: replies came since the call last looked
}

func newSubmitCall(commands int) *submitCall {
	return &submitCall{replies: make([]indexedReply, 0, commands), wake: make(chan struct{}, 1)}
}

// delivered returns the replies delivered to c so far; the call reads those
// past the ones it has handled, without the lock.
func (v *Validator) delivered(c *submitCall) []indexedReply {
	v.mu.Lock()
	defer v.mu.Unlock()
	return c.replies
}

// waitList holds the calls waiting for one client's commands: almost
// always one call for one command, kept in the map's value without a slice
// of its own. The map is keyed by the client ID alone, a string, which
// hashes faster than a client and timestamp together.
type waitList struct {
	first waiter
	more  []waiter
}

// of returns the waiter of call c for command ts, if it
// waits here.
func (l *waitList) of(c *submitCall, ts uint64) (waiter, bool) {
	if l.first.call == c && l.first.ts == ts {
		return l.first, true
	}
	for _, w := range l.more {
		if w.call == c && w.ts == ts {
			return w, true
		}
	}
	return waiter{}, false
}

// keep returns the list of the waiters for which drop (called once for
// each) is false, and whether any remain.
func (l waitList) keep(drop func(waiter) bool) (waitList, bool) {
	firstGone := drop(l.first)
	if len(l.more) == 0 {
		return l, !firstGone // the common case: one waiter
	}
	var kept []waiter
	if !firstGone {
		kept = append(kept, l.first)
	}
	for _, w := range l.more {
		if !drop(w) {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return waitList{}, false
	}
	return waitList{first: kept[0], more: kept[1:]}, true
}

// The states of one command of a submission call.
const (
	cmdWaiting = iota // registered, unanswered
	cmdRepeat         // the same command earlier in the call: answered there
	cmdReplied        // its reply came (deliverReplies unregistered it)
	cmdRefused        // the replica refused it (still registered)
)

// proposal hands the replica the commands of one submission call; done
// receives one error (or nil) per command.
type proposal struct {
	reqs []consensus.Request
	done chan []error
}

// NewValidator builds the replica from its WAL, or a validator that waits
// for an epoch to name its node. Register its handlers with Handle, then
// Start it.
func NewValidator(cfg ValidatorConfig) (*Validator, error) {
	if cfg.TickInterval <= 0 {
		cfg.TickInterval = DefaultTickInterval
	}
	if cfg.EpochCheckInterval <= 0 {
		cfg.EpochCheckInterval = 5 * time.Second
	}
	if cfg.LeaveAfter <= 0 {
		cfg.LeaveAfter = 10 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	v := &Validator{cfg: cfg, log: cfg.Logger.With("role", "validator"), app: cfg.App, ver: cfg.Verifier}
	if cfg.Ledger != nil {
		la := ledgerapp.New(cfg.Ledger, cfg.View, cfg.ChainID, v.log)
		v.app, v.ver = la, la
	}
	v.mu.waiters = make(map[consensus.ClientID]waitList)
	v.inbox = make(chan consensus.Message, inboxDepth)
	v.proposals = make(chan proposal, 256)
	v.out.boxes = make(map[identity.NodeID]chan []byte)
	v.spaces.m = make(map[uint64]*epochSpace)
	v.committed = prometheus.NewCounter(prometheus.CounterOpts{Name: "enigma_pbft_committed_batches_total", Help: "Batches this replica executed."})
	v.stable = prometheus.NewCounter(prometheus.CounterOpts{Name: "enigma_pbft_stable_checkpoints_total", Help: "Checkpoints that became stable."})
	v.views = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_pbft_view", Help: "The replica's current view."})
	v.executed = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_pbft_last_executed", Help: "The last sequence number this replica executed."})
	v.epochs = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_validator_epoch", Help: "The validator epoch this node's replica runs (0: it runs none)."})
	v.member = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_validator_member", Help: "1 while this node is a validator of its replica's epoch, 0 when it left (and only serves state transfer) or runs no replica."})
	v.joinedAt = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_validator_joined_timestamp_seconds", Help: "When this node's replica last entered a validator epoch (Unix time)."})
	v.leftAt = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_validator_left_timestamp_seconds", Help: "When this node last left the validator set (Unix time; 0: never)."})
	v.refused = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "enigma_validator_commands_refused_total", Help: "Client commands this validator refused to propose, by reason (future-timestamp, invalid: a bad signature or client binding, a malformed command, a stale timestamp)."}, []string{"reason"})
	v.superseded = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_validator_epoch_superseded", Help: "1 while the chain has activated a validator epoch after the one this validator runs."})
	if cfg.Registry != nil {
		for _, c := range []prometheus.Collector{v.committed, v.stable, v.views, v.executed, v.epochs, v.member, v.joinedAt, v.leftAt, v.superseded, v.refused, validatorCollector{v}} {
			if err := cfg.Registry.Register(c); err != nil {
				return nil, fmt.Errorf("register validator metrics: %w", err)
			}
		}
	}
	v.published.root = types.EmptyRootHash
	v.setSpace(cfg.Epoch, cfg.Peers, cfg.PrevPeers)
	if slices.ContainsFunc(cfg.Peers, func(p ledgerclient.ValidatorPeer) bool { return p.ID == cfg.Key.ID() }) {
		if err := v.makeReplica(cfg.Epoch, cfg.Joining); err != nil {
			return nil, err
		}
	} else if cfg.View == nil {
		return nil, fmt.Errorf("this node (%s) is not in the validator set of epoch %d: register it on-chain or drop the validator role", cfg.Key.ID().Short(), cfg.Epoch)
	} else {
		v.log.Info("this node is not a validator of the current epoch; it waits for an epoch that names it", "epoch", cfg.Epoch, "node", cfg.Key.ID().Short())
	}
	// The context exists before Start: the handlers are registered on the
	// overlay host (and may be called) before the role starts.
	v.ctx, v.cancel = context.WithCancel(context.Background())
	return v, nil
}

// epochSpace is an epoch's validators in replica order, and its address
// space as the engine numbers it: the validators, then those of the epoch
// before that left (they serve state transfer only).
type epochSpace struct {
	members, prev, addrs []ledgerclient.ValidatorPeer
}

// setSpace records epoch's validators (and prev, the epoch before's).
func (v *Validator) setSpace(epoch uint64, members, prev []ledgerclient.ValidatorPeer) *epochSpace {
	es := &epochSpace{members: members, prev: prev, addrs: slices.Clone(members)}
	for _, p := range prev {
		if !slices.ContainsFunc(members, func(q ledgerclient.ValidatorPeer) bool { return q.ID == p.ID }) {
			es.addrs = append(es.addrs, p)
		}
	}
	v.spaces.Lock()
	v.spaces.m[epoch] = es
	v.spaces.Unlock()
	return es
}

// space returns epoch's validators and address space, reading the sets
// from the chain the first time an epoch other than the configured one is
// asked for.
func (v *Validator) space(ctx context.Context, epoch uint64) (*epochSpace, error) {
	v.spaces.Lock()
	es, ok := v.spaces.m[epoch]
	v.spaces.Unlock()
	if ok {
		return es, nil
	}
	if v.cfg.View == nil {
		return nil, fmt.Errorf("epoch %d is not this validator's", epoch)
	}
	members, err := v.chainPeers(ctx, epoch)
	if err != nil {
		return nil, fmt.Errorf("validators of epoch %d: %w", epoch, err)
	}
	if members == nil {
		return nil, fmt.Errorf("the chain does not define validator epoch %d yet", epoch)
	}
	prev, err := v.chainPeers(ctx, epoch-1)
	if err != nil {
		return nil, fmt.Errorf("validators of epoch %d: %w", epoch-1, err)
	}
	return v.setSpace(epoch, members, prev), nil
}

// chainPeers reads epoch's validators from the chain (nil if undefined).
func (v *Validator) chainPeers(ctx context.Context, epoch uint64) ([]ledgerclient.ValidatorPeer, error) {
	if epoch == 0 {
		return nil, nil
	}
	block, err := v.cfg.View.ConfirmedBlock(ctx)
	if err != nil {
		return nil, err
	}
	vs, err := v.cfg.View.ValidatorSet(ctx, block, epoch)
	if err != nil || vs == nil {
		return nil, err
	}
	return PeersOf(vs), nil
}

// PeersOf lists a validator set's members as peers, in replica order.
func PeersOf(vs *ledger.ValidatorSet) []ledgerclient.ValidatorPeer {
	peers := make([]ledgerclient.ValidatorPeer, len(vs.Members))
	for i, m := range vs.Members {
		peers[i] = ledgerclient.ValidatorPeer{ID: m.ID, PublicKey: m.PublicKey}
	}
	return peers
}

func keysOf(peers []ledgerclient.ValidatorPeer) []ed25519.PublicKey {
	keys := make([]ed25519.PublicKey, len(peers))
	for i, p := range peers {
		keys[i] = p.PublicKey
	}
	return keys
}

// makeReplica builds the replica of epoch from the WAL (joining: it has no
// state of that epoch and fetches it).
func (v *Validator) makeReplica(epoch uint64, joining bool) error {
	es, err := v.space(context.Background(), epoch)
	if err != nil {
		return err
	}
	id := slices.IndexFunc(es.members, func(p ledgerclient.ValidatorPeer) bool { return p.ID == v.cfg.Key.ID() })
	if id < 0 {
		return fmt.Errorf("this node (%s) is not in the validator set of epoch %d", v.cfg.Key.ID().Short(), epoch)
	}
	state, err := v.cfg.Storage.Load()
	if err != nil {
		return fmt.Errorf("load consensus log: %w", err)
	}
	ccfg := consensus.NodeTuning()
	ccfg.ID, ccfg.Validators, ccfg.PrevValidators = consensus.ReplicaID(id), keysOf(es.members), keysOf(es.prev)
	ccfg.Key, ccfg.ChainID, ccfg.Epoch, ccfg.Joining = v.cfg.Key.Private(), v.cfg.ChainID, epoch, joining
	ccfg.App, ccfg.Verifier, ccfg.Restart, ccfg.Logger = v.app, v.ver, state, v.log
	if v.cfg.Tune != nil {
		v.cfg.Tune(&ccfg)
	}
	v.replica, err = consensus.NewReplica(ccfg)
	if err != nil {
		return err
	}
	v.driver = consensus.NewDriver(v.replica, validatorShell{v})
	st := v.replica.Status()
	v.epoch = st.Epoch
	v.mu.Lock()
	v.mu.status = st
	v.mu.behindBy = ccfg.CheckpointInterval
	v.mu.carried = addCounters(v.mu.carried, v.mu.counters)
	v.mu.counters = consensus.Counters{}
	v.mu.Unlock()
	return nil
}

// Name implements Service.
func (v *Validator) Name() string { return "validator" }

// Handlers returns the overlay request handlers of the role.
func (v *Validator) Handlers() map[string]func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	return map[string]func(context.Context, identity.NodeID, []byte) ([]byte, error){
		ledgerclient.Protocol: v.serveSubmit,
	}
}

// StreamHandlers returns the overlay one-way stream handlers of the role
// (overlay.Host.HandleStream).
func (v *Validator) StreamHandlers() map[string]func(ctx context.Context, from identity.NodeID, frame []byte) error {
	return map[string]func(context.Context, identity.NodeID, []byte) error{
		ProtoPBFT: v.serveMessage,
	}
}

// Start implements Service.
func (v *Validator) Start(context.Context) error {
	if v.replica != nil {
		v.startReplica()
	}
	if v.cfg.View != nil {
		v.wg.Add(1)
		go v.watchEpochs()
	}
	return nil
}

func (v *Validator) startReplica() {
	st := v.replica.Status()
	v.running.Store(true)
	v.wg.Add(1)
	go v.run()
	v.reportStatus()
	v.joinedAt.Set(float64(v.cfg.Clock.Now().Unix()))
	v.log.Info("replica started", "replica", st.ID, "epoch", st.Epoch, "joining", st.Joining, "last_executed", st.LastExecuted)
}

// Stop implements Service.
func (v *Validator) Stop() error {
	v.cancel()
	v.wg.Wait()
	return nil
}

// Membership returns the epoch this node is a validator of now, with that
// epoch's validators; ok is false while it runs no replica, or one that
// left or has not finished joining.
func (v *Validator) Membership() (epoch uint64, peers []ledgerclient.ValidatorPeer, ok bool) {
	st := v.Status()
	if !v.running.Load() || !st.Member || st.Joining {
		return 0, nil, false
	}
	es, err := v.space(v.ctx, st.Epoch)
	if err != nil {
		return 0, nil, false
	}
	return st.Epoch, es.members, true
}

// Status returns the replica's last reported status.
func (v *Validator) Status() consensus.Status {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.mu.status
}

// Readiness implements ProgressReporter: the validator is ready while it
// runs a replica that is a member of its epoch, has its state, is in a
// view (not changing it) and has executed up to within a checkpoint
// interval of the highest sequence number it saw.
func (v *Validator) Readiness() RoleReadiness {
	v.mu.Lock()
	st, behindBy := v.mu.status, v.mu.behindBy
	v.mu.Unlock()
	progress := map[string]uint64{
		"epoch": st.Epoch, "view": st.View, "executed_seq": st.LastExecuted,
		"highest_seen_seq": max(st.HighestSeen, st.LastExecuted), "stable_seq": st.LowWater, "pending_requests": uint64(st.Pending),
	}
	r := RoleReadiness{Progress: progress}
	switch {
	case !v.running.Load() && st.Epoch == 0:
		r.Detail = fmt.Sprintf("not a validator: the chain's current validator set does not name node %s; it starts a replica once an epoch names it (enigma node doctor checks the registration)", v.cfg.Key.ID().Short())
	case !v.running.Load():
		r.Detail = fmt.Sprintf("the replica of epoch %d stopped (this node left the validator set, or its disk failed: see the log)", st.Epoch)
	case !st.Member:
		r.Detail = fmt.Sprintf("left the validator set at epoch %d: the replica only serves state transfer until it stops", st.Epoch)
	case st.Joining:
		r.Detail = fmt.Sprintf("joining epoch %d: fetching the ledger state from the other validators", st.Epoch)
	case st.InViewChange:
		r.Detail = fmt.Sprintf("changing view: voting to replace the primary of view %d (executed seq %d)", st.View, st.LastExecuted)
	case st.LastExecuted < st.LowWater || st.HighestSeen > st.LastExecuted+behindBy:
		r.Detail = fmt.Sprintf("catching up: executed seq %d of %d seen (stable checkpoint %d)", st.LastExecuted, max(st.HighestSeen, st.LowWater), st.LowWater)
	default:
		r.Ready = true
		r.Detail = fmt.Sprintf("in view %d of epoch %d; executed seq %d of %d seen", st.View, st.Epoch, st.LastExecuted, max(st.HighestSeen, st.LastExecuted))
	}
	return r
}

// run is the replica's loop: it takes one event, folds in whatever else is
// queued (so one synced write covers many events under load), and flushes
// the Ready through the driver. It ends a while after the node left the
// validator set.
func (v *Validator) run() {
	defer v.wg.Done()
	defer v.running.Store(false)
	tk := newTicks(v.cfg.Clock, v.cfg.TickInterval)
	defer tk.stop()
	for {
		var msg *consensus.Message
		var prop *proposal
		select {
		case <-v.ctx.Done():
			return
		case <-tk.wake():
		case m := <-v.inbox:
			msg = &m
		case p := <-v.proposals:
			prop = &p
		}
		// The ticks due go first: they came before the event.
		for range tk.due() {
			v.driver.Tick()
		}
		switch {
		case msg != nil:
			v.step(*msg)
		case prop != nil:
			v.propose(*prop)
		}
		v.drain()
		v.shellCounts.readies.Add(1)
		if err := v.driver.Flush(); err != nil {
			v.log.Error("replica stopped; restart the node once the disk is writable again", "err", err)
			return
		}
		tk.promise(v.driver.QuietTicks(maxQuietTicks))
		v.reportStatus()
		if !v.left.IsZero() && v.cfg.Clock.Now().Sub(v.left) >= v.cfg.LeaveAfter {
			v.log.Info("this node left the validator set; its replica stops (it served state transfer for a while)", "epoch", v.epoch)
			return
		}
	}
}

// watchEpochs follows the chain's validator epochs. While this node runs a
// replica of an epoch the chain has replaced, it asks the validators to
// record the next set in the ledger (every validator asks; the ledger takes
// the first, and the engine switches at the closing checkpoint). When it
// runs none, or a replica that left, and the chain's current epoch names
// it, it starts a replica that joins by state transfer.
func (v *Validator) watchEpochs() {
	defer v.wg.Done()
	for {
		select {
		case <-v.ctx.Done():
			return
		case <-v.cfg.Clock.After(v.cfg.EpochCheckInterval):
		}
		if err := v.followChain(v.ctx); err != nil {
			v.log.Debug("cannot follow the chain's validator epochs", "err", err)
		}
	}
}

func (v *Validator) followChain(ctx context.Context) error {
	block, err := v.cfg.View.ConfirmedBlock(ctx)
	if err != nil {
		return err
	}
	st := v.Status()
	running := v.running.Load()
	// The chain's newest epoch at the confirmed block.
	latest := max(st.Epoch, v.cfg.Epoch)
	for {
		next, err := v.cfg.View.ValidatorSet(ctx, block, latest+1)
		if err != nil {
			return err
		}
		if next == nil {
			break
		}
		latest++
	}
	if running && st.Epoch < latest {
		v.superseded.Set(1)
	} else {
		v.superseded.Set(0)
	}
	if running && st.Member && st.Epoch < latest {
		return v.proposeEpoch(ctx, st.Epoch+1)
	}
	if running {
		return nil
	}
	vs, err := v.cfg.View.ValidatorSet(ctx, block, latest)
	if err != nil || vs == nil {
		return err
	}
	if _, ok := vs.Member(v.cfg.Key.ID()); !ok {
		return nil
	}
	v.log.Info("the chain's validator set names this node; joining", "epoch", latest)
	if err := v.makeReplica(latest, true); err != nil {
		return err
	}
	v.left = time.Time{}
	v.startReplica()
	return nil
}

// proposeEpoch submits the command that records epoch's set in the ledger
// to the validators of the epoch before.
func (v *Validator) proposeEpoch(ctx context.Context, epoch uint64) error {
	es, err := v.space(ctx, epoch-1)
	if err != nil {
		return err
	}
	cmd, err := ledger.EpochCommand(epoch).Encode()
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := ledgerclient.SubmitCommand(sctx, v.cfg.Net, es.members, ledger.NodeSigner{Key: v.cfg.Key}, v.cfg.ChainID, cmd)
	if err != nil {
		return fmt.Errorf("ask the validators to record epoch %d: %w", epoch, err)
	}
	v.log.Info("asked the validators to record the next validator epoch", "epoch", epoch, "result", string(res))
	return nil
}

func (v *Validator) drain() {
	for !v.driver.Full() {
		select {
		case m := <-v.inbox:
			v.step(m)
		case p := <-v.proposals:
			v.propose(p)
		default:
			return
		}
	}
}

// maxQuietTicks bounds how long an idle replica's shell sleeps (a second
// at the default tick), so it still looks at the clock for its own ends,
// such as LeaveAfter.
const maxQuietTicks = 100

// ticks paces a replica's ticks on the clock. A replica gets one tick per
// interval, and at most one per wake-up beyond those it promised would be
// quiet (consensus.Replica.QuietTicks): a shell that could not keep up
// drops ticks, as a ticker drops them for a slow receiver, so load alone
// does not rush the replica's timers; quiet ticks do nothing, so an idle
// replica's shell sleeps through them and delivers them together when it
// next wakes, and its replica's clock keeps up with the wall clock.
type ticks struct {
	clock    clock.Clock
	interval time.Duration
	next     time.Time // when the first tick not yet delivered is due
	quiet    uint64    // promised quiet ticks from next on
	timer    clock.Timer
	timerAt  time.Time
}

func newTicks(c clock.Clock, interval time.Duration) *ticks {
	return &ticks{clock: c, interval: interval, next: c.Now().Add(interval)}
}

// wake returns a channel that delivers when the first tick that may act is
// due: the one after the quiet ones.
func (t *ticks) wake() <-chan time.Time {
	at := t.next.Add(time.Duration(t.quiet) * t.interval)
	if t.timer == nil || !at.Equal(t.timerAt) {
		if t.timer != nil {
			t.timer.Stop()
		}
		t.timer, t.timerAt = t.clock.NewTimer(at.Sub(t.clock.Now())), at
	}
	return t.timer.C()
}

// due returns how many ticks to deliver now, and moves on past every tick
// due so far, delivered or dropped.
func (t *ticks) due() int {
	now := t.clock.Now()
	if now.Before(t.next) {
		return 0
	}
	n := uint64(now.Sub(t.next)/t.interval) + 1
	t.next = t.next.Add(time.Duration(n) * t.interval)
	if !t.timerAt.After(now) {
		t.timer = nil // fired, or about to: the next wake needs a new one
	}
	deliver := min(n, t.quiet+1)
	t.quiet = 0
	return int(deliver)
}

// promise records the quiet ticks the replica promised after its Ready.
func (t *ticks) promise(quiet uint64) { t.quiet = quiet }

func (t *ticks) stop() {
	if t.timer != nil {
		t.timer.Stop()
	}
}

// DefaultTickInterval is the validator's tick: consensus.NodeTuning counts
// its timeouts in these.
const DefaultTickInterval = 10 * time.Millisecond

// maxTimestampAhead is how far ahead of this validator's clock a ledger
// command's timestamp (nanoseconds since the epoch) may be. A client's
// signature binds its timestamps to its own client ID, so a timestamp far
// ahead could only lock the client itself out; refusing it protects a
// client whose clock ran ahead. It is an admission rule of this validator,
// not part of consensus: validators' clocks need not agree.
const maxTimestampAhead = 10 * time.Minute

var errFutureTimestamp = errors.New("command timestamp is ahead of the validator's clock")

func (v *Validator) propose(p proposal) {
	errs := make([]error, len(p.reqs))
	limit := uint64(v.cfg.Clock.Now().Add(maxTimestampAhead).UnixNano())
	for i := range p.reqs {
		if v.cfg.Ledger != nil && p.reqs[i].Timestamp > limit {
			errs[i] = fmt.Errorf("%w by more than %s: stamp commands with the current time in nanoseconds since 1970 (check the client's clock)", errFutureTimestamp, maxTimestampAhead)
			continue
		}
		errs[i] = v.driver.Propose(p.reqs[i])
	}
	p.done <- errs
}

func (v *Validator) step(m consensus.Message) {
	v.shellCounts.received.Add(1)
	if err := v.driver.Step(m); err != nil {
		v.shellCounts.rejected.Add(1)
		v.log.Debug("message rejected", "from", m.From, "type", m.Type, "err", err)
	}
}

// validatorShell connects the driver to the node: replies to waiting
// submissions, the log to Pebble, messages to the peers' outboxes, executed
// batches to metrics and stable checkpoints to the DHT.
type validatorShell struct{ v *Validator }

func (s validatorShell) Save(u *consensus.Update, sync bool) error {
	s.v.shellCounts.logWrites.Add(1)
	if sync {
		s.v.shellCounts.logSyncs.Add(1)
	}
	return s.v.cfg.Storage.Save(u, sync)
}

func (s validatorShell) Reply(replies []consensus.Reply) { s.v.deliverReplies(replies) }

func (s validatorShell) Send(msgs []consensus.Message) {
	v := s.v
	if v.cfg.Equivocate {
		for i := range msgs {
			v.equivocate(&msgs[i])
		}
	}
	encs, err := consensus.EncodeMessages(msgs)
	if err != nil {
		// The engine's own messages always encode: this is a bug, and the
		// retransmissions of PBFT cannot fix it.
		v.log.Error("encode consensus messages", "err", err)
		return
	}
	for i, enc := range encs {
		m := &msgs[i]
		es, err := v.space(v.ctx, m.Epoch)
		if err != nil || int(m.To) >= len(es.addrs) {
			v.log.Debug("message to a replica outside its epoch's address space", "epoch", m.Epoch, "to", m.To, "err", err)
			continue
		}
		v.shellCounts.sent.Add(1)
		select {
		case v.outbox(es.addrs[m.To]) <- enc:
		default:
			// PBFT retransmits; a full queue to a slow peer drops, never blocks.
			v.shellCounts.dropped.Add(1)
			v.log.Debug("outbox full, dropping message", "to", m.To)
		}
	}
}

// outbox returns the queue to peer, starting its send loop the first time.
func (v *Validator) outbox(peer ledgerclient.ValidatorPeer) chan []byte {
	v.out.Lock()
	defer v.out.Unlock()
	box, ok := v.out.boxes[peer.ID]
	if !ok {
		box = make(chan []byte, outboxDepth)
		v.out.boxes[peer.ID] = box
		v.wg.Add(1)
		go v.sendLoop(peer, box)
	}
	return box
}

func (s validatorShell) Executed(batches []consensus.ExecutedBatch, stable []consensus.StableCheckpoint) {
	v := s.v
	v.committed.Add(float64(len(batches)))
	for _, sc := range stable {
		v.stable.Inc()
		v.publishStable(sc)
	}
}

// reportStatus publishes the replica's status and follows its epochs: a
// switch is logged and counted, and a switch out of the validator set
// starts the clock after which the replica stops.
func (v *Validator) reportStatus() {
	st := v.replica.Status()
	v.views.Set(float64(st.View))
	v.executed.Set(float64(st.LastExecuted))
	v.epochs.Set(float64(st.Epoch))
	if st.Member && !st.Joining {
		v.member.Set(1)
	} else {
		v.member.Set(0)
	}
	if st.Epoch != v.epoch {
		v.epoch = st.Epoch
		now := v.cfg.Clock.Now()
		if st.Member {
			v.joinedAt.Set(float64(now.Unix()))
			v.log.Info("the replica entered a new validator epoch", "epoch", st.Epoch, "replica", st.ID)
		} else if v.left.IsZero() {
			v.left = now
			v.leftAt.Set(float64(now.Unix()))
			v.log.Info("this node left the validator set; it serves state transfer, then its replica stops", "epoch", st.Epoch, "stops_in", v.cfg.LeaveAfter)
		}
	}
	counters := v.replica.Counters()
	v.mu.Lock()
	v.mu.status = st
	v.mu.counters = counters
	v.mu.Unlock()
}

// maxSendBatch bounds the messages written to a peer's stream at once.
const maxSendBatch = 256

// equivocate rewrites a message for an odd-numbered replica into its
// conflicting twin, re-signed with this validator's key (Equivocate).
func (v *Validator) equivocate(m *consensus.Message) {
	if m.To%2 == 0 {
		return
	}
	sign := func(x consensus.Signable) {
		if err := consensus.Sign(v.cfg.Key.Private(), v.cfg.ChainID, m.Epoch, x); err != nil {
			v.log.Error("sign equivocating message", "err", err)
		}
	}
	switch m.Type {
	case consensus.MsgPrePrepare:
		null := consensus.Batch{}
		alt := &consensus.PrePrepare{View: m.PrePrepare.View, Seq: m.PrePrepare.Seq, BatchDigest: null.Digest(), Batch: null}
		sign(alt)
		m.PrePrepare = alt
	case consensus.MsgCommit:
		null := consensus.Batch{}
		c := *m.Commit
		c.BatchDigest = null.Digest()
		sign(&c)
		m.Commit = &c
	}
}

// sendLoop writes queued messages to one peer's consensus stream,
// everything queued at once in one write, so a slow peer delays messages
// instead of serializing them. A write waits only for the peer's flow
// control, and for at most sendTimeout; meanwhile the outbox fills and
// Send drops, so the replica's loop never waits for a peer. When the
// validator stops, the stream is closed cleanly.
func (v *Validator) sendLoop(p ledgerclient.ValidatorPeer, box chan []byte) {
	defer v.wg.Done()
	defer v.cfg.Net.CloseSend(p.ID, ProtoPBFT)
	batch := make([][]byte, 0, maxSendBatch)
	for {
		batch = batch[:0]
		select {
		case <-v.ctx.Done():
			return
		case msg := <-box:
			batch = append(batch, msg)
		}
	more:
		for len(batch) < maxSendBatch {
			select {
			case msg := <-box:
				batch = append(batch, msg)
			default:
				break more
			}
		}
		ctx, cancel := context.WithTimeout(v.ctx, sendTimeout)
		v.shellCounts.sendCalls.Add(1)
		if err := v.cfg.Net.Send(ctx, p.ID, p.Addr, ProtoPBFT, batch...); err != nil && v.ctx.Err() == nil {
			v.log.Debug("send to replica failed", "peer", p.ID.Short(), "messages", len(batch), "err", err)
		}
		cancel()
		clear(batch)
	}
}

// sendTimeout bounds one write to a peer's consensus stream (and the dial
// before it): PBFT retransmits what a slow or departed peer missed.
const sendTimeout = 2 * time.Second

// serveMessage takes one consensus message from a peer's stream. The
// overlay host authenticated the sender's node ID; the message must claim
// to come from that same replica, in its epoch's address space, so a
// validator cannot speak for another: a message that does not, or does not
// decode, is refused, which closes the stream and is counted
// (overlay_rejected_total{reason="frame_refused"}). A message this
// validator cannot place (it runs no replica, or does not know the epoch)
// is dropped. While the replica's inbox is full the stream is not read,
// and the peer's writes slow down.
func (v *Validator) serveMessage(ctx context.Context, from identity.NodeID, frame []byte) error {
	m, err := consensus.DecodeMessage(frame)
	if err != nil {
		return fmt.Errorf("consensus message: %w", err)
	}
	if !v.running.Load() {
		v.log.Debug("consensus message while this node runs no replica; dropped", "from", from.Short(), "epoch", m.Epoch)
		return nil
	}
	es, err := v.space(ctx, m.Epoch)
	if err != nil {
		v.log.Debug("consensus message of an epoch this validator cannot place; dropped", "from", from.Short(), "epoch", m.Epoch, "err", err)
		return nil
	}
	if int(m.From) >= len(es.addrs) || es.addrs[m.From].ID != from {
		return fmt.Errorf("message claims replica %d of epoch %d but came from node %s", m.From, m.Epoch, from.Short())
	}
	select {
	case v.inbox <- m:
	case <-ctx.Done():
	case <-v.ctx.Done():
	}
	return nil
}

// serveSubmit proposes the commands of one call and answers once each has
// executed or been refused; at the deadline it answers with those done.
func (v *Validator) serveSubmit(ctx context.Context, _ identity.NodeID, body []byte) ([]byte, error) {
	if !v.running.Load() {
		return nil, errors.New("this node runs no validator replica now: send the command to the current validator set")
	}
	if len(body) > ledgerclient.MaxRequest {
		return nil, fmt.Errorf("ledger submission of %d bytes: send at most %d", len(body), ledgerclient.MaxRequest)
	}
	// A list of ledgerclient.SubmitRequest has the shape of a list of
	// consensus requests (TestSubmissionDecodesAsRequests): decoded as
	// one, the commands need no copy, and their payloads stay in body.
	reqs, err := consensus.DecodeRequests(body, ledgerclient.MaxBatch)
	if err != nil && !errors.Is(err, consensus.ErrTooManyRequests) {
		return nil, fmt.Errorf("ledger submission: %w", err)
	}
	if err != nil || len(reqs) == 0 {
		return nil, fmt.Errorf("ledger submission of %d commands: send 1 to %d", signing.CountList(body), ledgerclient.MaxBatch)
	}
	v.shellCounts.submitCalls.Add(1)
	v.shellCounts.commands.Add(uint64(len(reqs)))
	call := newSubmitCall(len(reqs))
	state, first, waiting := v.register(reqs, call)
	defer v.unregister(reqs, state, call)

	done := make(chan []error, 1)
	select {
	case v.proposals <- proposal{reqs: reqs, done: done}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-v.ctx.Done():
		return nil, errors.New("validator is stopping")
	}
	var errs []error
	select {
	case errs = <-done:
	case <-v.ctx.Done():
		// The replica stopped before it took the commands.
		return nil, errors.New("validator is stopping")
	}
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, errFutureTimestamp):
			v.refused.WithLabelValues("future-timestamp").Inc()
		case errors.Is(err, consensus.ErrStaleRequest):
			v.refused.WithLabelValues("stale").Inc()
		default:
			v.refused.WithLabelValues("invalid").Inc()
		}
	}
	replies := make([]ledgerclient.SubmitReply, 0, waiting)
	for i, err := range errs {
		if err == nil {
			continue
		}
		j := first[i]
		if state[j] != cmdWaiting {
			continue
		}
		state[j] = cmdRefused
		waiting--
		replies = append(replies, ledgerclient.SubmitReply{Replica: uint32(v.Status().ID), Client: string(reqs[i].Client), Timestamp: reqs[i].Timestamp, Refused: err.Error()})
	}
	handled := 0
	for waiting > 0 {
		select {
		case <-call.wake:
			got := v.delivered(call)
			for _, ir := range got[handled:] {
				if state[ir.idx] != cmdWaiting {
					// Refused meanwhile; deliverReplies unregistered it already.
					state[ir.idx] = cmdReplied
					continue
				}
				state[ir.idx] = cmdReplied
				waiting--
				cmd := &reqs[ir.idx]
				replies = append(replies, ledgerclient.SubmitReply{Replica: uint32(ir.replica), View: ir.view, Client: string(cmd.Client), Timestamp: cmd.Timestamp, Result: ir.result})
			}
			handled = len(got)
		case <-ctx.Done():
			if len(replies) == 0 {
				return nil, fmt.Errorf("not committed before the deadline: %w", ctx.Err())
			}
			waiting = 0
		case <-v.ctx.Done():
			return nil, errors.New("validator is stopping")
		}
	}
	return ledgerclient.EncodeReplies(replies), nil
}

// register records call as waiting for each of reqs. It returns
// each command's state (a command repeated in the call is answered at its
// first index, first[i]) and how many commands wait.
func (v *Validator) register(reqs []consensus.Request, call *submitCall) (state []uint8, first []int, waiting int) {
	state, first = make([]uint8, len(reqs)), make([]int, len(reqs))
	v.mu.Lock()
	defer v.mu.Unlock()
	for i := range reqs {
		first[i] = i
		client, ts := reqs[i].Client, reqs[i].Timestamp
		l, ok := v.mu.waiters[client]
		if ok {
			if w, mine := l.of(call, ts); mine {
				state[i], first[i] = cmdRepeat, w.idx
				continue
			}
			l.more = append(l.more, waiter{call, i, ts})
		} else {
			l.first = waiter{call, i, ts}
		}
		v.mu.waiters[client] = l
		waiting++
	}
	return state, first, waiting
}

// unregister drops call from the commands it still waits for
// (those replied to were unregistered by deliverReplies).
func (v *Validator) unregister(reqs []consensus.Request, state []uint8, call *submitCall) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for i := range reqs {
		if state[i] == cmdWaiting || state[i] == cmdRefused {
			v.dropWaiter(reqs[i].Client, reqs[i].Timestamp, call)
		}
	}
}

// dropWaiter unregisters call from a client's command ts; v.mu is held.
func (v *Validator) dropWaiter(client consensus.ClientID, ts uint64, call *submitCall) {
	l, ok := v.mu.waiters[client]
	if !ok {
		return
	}
	if l, left := l.keep(func(w waiter) bool { return w.call == call && w.ts == ts }); left {
		v.mu.waiters[client] = l
	} else {
		delete(v.mu.waiters, client)
	}
}

// deliverReplies hands each reply to the calls waiting for its command and
// unregisters them: a command executes once, and a reply sent again (from
// the reply cache) finds no one left to tell.
func (v *Validator) deliverReplies(replies []consensus.Reply) {
	if len(replies) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, rep := range replies {
		l, ok := v.mu.waiters[rep.Client]
		if !ok {
			continue
		}
		sent := false
		l, left := l.keep(func(w waiter) bool {
			if w.ts != rep.Timestamp {
				return false
			}
			if c := w.call; len(c.replies) < cap(c.replies) { // always (one place per command)
				c.replies = append(c.replies, indexedReply{w.idx, rep.Replica, rep.View, rep.Result})
				select {
				case c.wake <- struct{}{}:
				default: // already woken: it reads all the replies there are
				}
			}
			sent = true
			return true
		})
		switch {
		case !left:
			delete(v.mu.waiters, rep.Client)
		case sent:
			v.mu.waiters[rep.Client] = l
		}
	}
}

// publishStable certifies the records that changed since the last
// published checkpoint and stores them in the DHT, off the replica's
// goroutine.
func (v *Validator) publishStable(sc consensus.StableCheckpoint) {
	if v.cfg.Publisher == nil || v.cfg.Ledger == nil {
		return
	}
	es, err := v.space(v.ctx, sc.Epoch)
	if err != nil {
		v.log.Error("stable checkpoint of an epoch this validator does not know", "seq", sc.Seq, "epoch", sc.Epoch, "err", err)
		return
	}
	cert, err := ledgerapp.CertificateFromStable(sc.Epoch, keysOf(es.members), sc)
	if err != nil {
		v.log.Error("stable checkpoint without a usable certificate", "seq", sc.Seq, "err", err)
		return
	}
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		v.publish(cert)
	}()
}

func (v *Validator) publish(cert ledger.CheckpointCertificate) {
	v.published.mu.Lock()
	defer v.published.mu.Unlock()
	// A new epoch's set certifies every record again: a record of the
	// replaced set never wins over its successor's (ledger.Newer), whatever
	// the replaced keys sign later.
	from := v.published.root
	if cert.Epoch != v.published.epoch {
		from = types.EmptyRootHash
	}
	keys, err := v.cfg.Ledger.ChangedKeys(from, cert.StateRoot)
	if err != nil {
		v.log.Warn("cannot diff ledger states for publishing", "seq", cert.Seq, "err", err)
		return
	}
	published := 0
	for _, key := range keys {
		// The DHT serves dataset records and the records of validator
		// epochs (verifiers read where an epoch ended from them); offence
		// records stay in the ledger, where the slash is read from.
		if e, err := v.cfg.Ledger.GetAt(cert.StateRoot, key); err != nil || (e.Kind != ledger.EntryDataset && e.Kind != ledger.EntryEpoch) {
			continue
		}
		cr, err := v.cfg.Ledger.Certify(key, cert)
		if err != nil {
			v.log.Warn("certify record", "key", key.Hex(), "seq", cert.Seq, "err", err)
			return
		}
		enc, err := cr.Encode()
		if err != nil {
			v.log.Error("encode certified record", "err", err)
			return
		}
		ctx, cancel := context.WithTimeout(v.ctx, 10*time.Second)
		err = v.cfg.Publisher.Publish(ctx, key, enc)
		cancel()
		if err != nil {
			// The root stays where it was, so the next checkpoint retries.
			v.log.Warn("publish certified record", "key", key.Hex(), "err", err)
			return
		}
		published++
	}
	v.published.root, v.published.epoch = cert.StateRoot, cert.Epoch
	v.log.Info("published certified records", "seq", cert.Seq, "records", published, "root", cert.StateRoot.Hex())
}

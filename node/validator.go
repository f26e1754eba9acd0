package node

import (
	"context"
	"crypto/ed25519"
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

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerapp"
	"github.com/enigma-mpc/enigma/signing"
)

// Overlay protocols the validator role serves.
const (
	// ProtoPBFT carries consensus messages between validators (one-way; the
	// response is empty).
	ProtoPBFT = "enigma/pbft/1"
	// ProtoLedgerSubmit takes a client's ledger command and answers with the
	// replica's reply once the command executed.
	ProtoLedgerSubmit = "enigma/ledger-submit/1"
)

// Limits on what the validator accepts from the network.
const (
	maxPBFTMessage   = 16 << 20
	maxSubmitRequest = 1 << 20
	outboxDepth      = 4096
	inboxDepth       = 4096
)

// Caller is what the validator needs from the overlay host: authenticated
// request/response to a node ID, and handlers for its protocols.
type Caller interface {
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

// Publisher stores certified records where clients find them (the DHT).
type Publisher interface {
	Publish(ctx context.Context, key [32]byte, value []byte) error
}

// ValidatorPeer is one member of the validator set, in replica order.
type ValidatorPeer struct {
	ID        identity.NodeID
	PublicKey ed25519.PublicKey
	Addr      string
}

// ValidatorConfig configures the validator role.
type ValidatorConfig struct {
	Key     *identity.NodeKey
	ChainID uint64
	// Epoch is the validator-set epoch the peers belong to; certificates
	// name it.
	Epoch uint64
	Peers []ValidatorPeer
	// Ledger and View make the ledger the replicated application. Without
	// a Ledger, App and Verifier are used (benchmarks of the engine alone).
	Ledger   *ledger.Ledger
	View     ledger.ChainView
	App      consensus.Application
	Verifier consensus.Verifier
	Storage  consensus.Storage
	Net      Caller
	// Publisher receives the ledger's certified records after each stable
	// checkpoint (nil: do not publish).
	Publisher Publisher
	// TickInterval is the engine's tick (default 10ms).
	TickInterval time.Duration
	// EpochCheckInterval is how often the validator asks View whether the
	// on-chain registry has defined a later validator epoch (default 30s).
	EpochCheckInterval time.Duration
	// Tune lets tests and benchmarks adjust the engine's configuration.
	Tune func(*consensus.Config)
	// Equivocate turns this validator Byzantine, for fault tests only: as
	// primary it sends the replicas with odd IDs a conflicting (null)
	// batch for every sequence number it proposes, and its commits for
	// that batch. The honest replicas must still agree and make progress.
	Equivocate bool
	Logger     *slog.Logger
	Registry   prometheus.Registerer
}

// Validator runs a PBFT replica with the ledger as its application.
type Validator struct {
	cfg     ValidatorConfig
	id      consensus.ReplicaID
	replica *consensus.Replica
	driver  *consensus.Driver
	log     *slog.Logger
	keys    []ed25519.PublicKey

	inbox     chan consensus.Message
	proposals chan proposal
	outboxes  []chan []byte

	mu struct {
		sync.Mutex
		waiters map[replyKey][]chan consensus.Reply
		status  consensus.Status
	}
	published ledgerRoot

	committed  prometheus.Counter
	stable     prometheus.Counter
	views      prometheus.Gauge
	executed   prometheus.Gauge
	superseded prometheus.Gauge
	refused    *prometheus.CounterVec

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type ledgerRoot struct {
	mu   sync.Mutex
	root common.Hash
}

type replyKey struct {
	client consensus.ClientID
	ts     uint64
}

// proposal hands the replica the commands of one submission call; done
// receives one error (or nil) per command.
type proposal struct {
	reqs []consensus.Request
	done chan []error
}

// NewValidator builds the replica from its WAL. Register its handlers with
// Handle, then Start it.
func NewValidator(cfg ValidatorConfig) (*Validator, error) {
	if cfg.TickInterval <= 0 {
		cfg.TickInterval = 10 * time.Millisecond
	}
	if cfg.EpochCheckInterval <= 0 {
		cfg.EpochCheckInterval = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	v := &Validator{cfg: cfg, id: consensus.ReplicaID(len(cfg.Peers)), log: cfg.Logger.With("role", "validator")}
	for i, p := range cfg.Peers {
		v.keys = append(v.keys, p.PublicKey)
		if p.ID == cfg.Key.ID() {
			v.id = consensus.ReplicaID(i)
		}
	}
	if int(v.id) == len(cfg.Peers) {
		return nil, fmt.Errorf("this node (%s) is not in the validator set of epoch %d: register it on-chain or drop the validator role", cfg.Key.ID().Short(), cfg.Epoch)
	}
	state, err := cfg.Storage.Load()
	if err != nil {
		return nil, fmt.Errorf("load consensus log: %w", err)
	}
	app, verifier := cfg.App, cfg.Verifier
	if cfg.Ledger != nil {
		la := ledgerapp.New(cfg.Ledger, cfg.View, cfg.ChainID, v.log)
		app, verifier = la, la
	}
	ccfg := consensus.NodeTuning()
	ccfg.ID, ccfg.Validators, ccfg.Key, ccfg.ChainID, ccfg.Epoch = v.id, v.keys, cfg.Key.Private(), cfg.ChainID, cfg.Epoch
	ccfg.App, ccfg.Verifier, ccfg.Restart, ccfg.Logger = app, verifier, state, v.log
	if cfg.Tune != nil {
		cfg.Tune(&ccfg)
	}
	v.replica, err = consensus.NewReplica(ccfg)
	if err != nil {
		return nil, err
	}
	v.driver = consensus.NewDriver(v.replica, validatorShell{v})
	v.mu.waiters = make(map[replyKey][]chan consensus.Reply)
	v.inbox = make(chan consensus.Message, inboxDepth)
	v.proposals = make(chan proposal, 256)
	for range cfg.Peers {
		v.outboxes = append(v.outboxes, make(chan []byte, outboxDepth))
	}
	v.committed = prometheus.NewCounter(prometheus.CounterOpts{Name: "enigma_pbft_committed_batches_total", Help: "Batches this replica executed."})
	v.stable = prometheus.NewCounter(prometheus.CounterOpts{Name: "enigma_pbft_stable_checkpoints_total", Help: "Checkpoints that became stable."})
	v.views = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_pbft_view", Help: "The replica's current view."})
	v.executed = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_pbft_last_executed", Help: "The last sequence number this replica executed."})
	v.refused = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "enigma_validator_commands_refused_total", Help: "Client commands this validator refused to propose, by reason (future-timestamp, invalid: a bad signature or client binding, a malformed command, a stale timestamp)."}, []string{"reason"})
	v.superseded = prometheus.NewGauge(prometheus.GaugeOpts{Name: "enigma_validator_epoch_superseded", Help: "1 once the on-chain registry defines a validator epoch after the one this validator runs."})
	if cfg.Registry != nil {
		for _, c := range []prometheus.Collector{v.committed, v.stable, v.views, v.executed, v.superseded, v.refused} {
			if err := cfg.Registry.Register(c); err != nil {
				return nil, fmt.Errorf("register validator metrics: %w", err)
			}
		}
	}
	v.published.root = types.EmptyRootHash
	v.mu.status = v.replica.Status()
	// The context exists before Start: the handlers are registered on the
	// overlay host (and may be called) before the role starts.
	v.ctx, v.cancel = context.WithCancel(context.Background())
	return v, nil
}

// Name implements Service.
func (v *Validator) Name() string { return "validator" }

// Handlers returns the overlay protocol handlers of the role.
func (v *Validator) Handlers() map[string]func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	return map[string]func(context.Context, identity.NodeID, []byte) ([]byte, error){
		ProtoPBFT:         v.servePBFT,
		ProtoLedgerSubmit: v.serveSubmit,
	}
}

// Start implements Service.
func (v *Validator) Start(context.Context) error {
	for i := range v.cfg.Peers {
		if consensus.ReplicaID(i) == v.id {
			continue
		}
		v.wg.Add(1)
		go v.sendLoop(i)
	}
	v.wg.Add(1)
	go v.run()
	if v.cfg.View != nil {
		v.wg.Add(1)
		go v.watchEpoch()
	}
	v.log.Info("replica started", "replica", v.id, "validators", len(v.cfg.Peers), "epoch", v.cfg.Epoch, "last_executed", v.replica.Status().LastExecuted)
	return nil
}

// Stop implements Service.
func (v *Validator) Stop() error {
	v.cancel()
	v.wg.Wait()
	return nil
}

// Status returns the replica's last reported status.
func (v *Validator) Status() consensus.Status {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.mu.status
}

// run is the replica's loop: it takes one event, folds in whatever else is
// queued (so one synced write covers many events under load), and flushes
// the Ready through the driver.
func (v *Validator) run() {
	defer v.wg.Done()
	ticker := time.NewTicker(v.cfg.TickInterval)
	defer ticker.Stop()
	for {
		select {
		case <-v.ctx.Done():
			return
		case <-ticker.C:
			v.driver.Tick()
		case m := <-v.inbox:
			v.step(m)
		case p := <-v.proposals:
			v.propose(p)
		}
		v.drain()
		if err := v.driver.Flush(); err != nil {
			v.log.Error("replica stopped; restart the node once the disk is writable again", "err", err)
			return
		}
		v.reportStatus()
	}
}

// watchEpoch warns, once, when the registry defines a validator epoch after
// the one this replica runs: validators do not reconfigure yet, so the
// operator must know the set it serves is no longer the current one.
func (v *Validator) watchEpoch() {
	defer v.wg.Done()
	t := time.NewTicker(v.cfg.EpochCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-v.ctx.Done():
			return
		case <-t.C:
		}
		block, err := v.cfg.View.ConfirmedBlock(v.ctx)
		if err != nil {
			v.log.Debug("cannot read the chain for validator epochs", "err", err)
			continue
		}
		next, err := v.cfg.View.ValidatorSet(v.ctx, block, v.cfg.Epoch+1)
		if err != nil || next == nil {
			continue
		}
		v.superseded.Set(1)
		v.log.Warn("the on-chain registry defines a later validator epoch, but validators do not reconfigure yet: this one keeps serving its own epoch's set (the records it certifies still verify against that epoch)",
			"running_epoch", v.cfg.Epoch, "new_epoch", v.cfg.Epoch+1, "block", block)
		return
	}
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
	limit := uint64(time.Now().Add(maxTimestampAhead).UnixNano())
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
	if err := v.driver.Step(m); err != nil {
		v.log.Debug("message rejected", "from", m.From, "type", m.Type, "err", err)
	}
}

// validatorShell connects the driver to the node: replies to waiting
// submissions, the log to Pebble, messages to the peers' outboxes, executed
// batches to metrics and stable checkpoints to the DHT.
type validatorShell struct{ v *Validator }

func (s validatorShell) Save(u *consensus.Update) error { return s.v.cfg.Storage.Save(u) }

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
		to := msgs[i].To
		select {
		case v.outboxes[to] <- enc:
		default:
			// PBFT retransmits; a full queue to a slow peer drops, never blocks.
			v.log.Debug("outbox full, dropping message", "to", to)
		}
	}
}

func (s validatorShell) Executed(batches []consensus.CommittedBatch, stable []consensus.StableCheckpoint) {
	v := s.v
	v.committed.Add(float64(len(batches)))
	for _, sc := range stable {
		v.stable.Inc()
		v.publishStable(sc)
	}
}

func (v *Validator) reportStatus() {
	st := v.replica.Status()
	v.views.Set(float64(st.View))
	v.executed.Set(float64(st.LastExecuted))
	v.mu.Lock()
	v.mu.status = st
	v.mu.Unlock()
}

// maxSendBatch bounds the messages sent to a peer in one call.
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

// sendLoop sends queued messages to one peer, everything queued at once in
// one call, so a slow round trip delays messages instead of serializing them.
func (v *Validator) sendLoop(peer int) {
	defer v.wg.Done()
	p := v.cfg.Peers[peer]
	for {
		var batch [][]byte
		select {
		case <-v.ctx.Done():
			return
		case msg := <-v.outboxes[peer]:
			batch = append(batch, msg)
		}
	more:
		for len(batch) < maxSendBatch {
			select {
			case msg := <-v.outboxes[peer]:
				batch = append(batch, msg)
			default:
				break more
			}
		}
		enc, err := signing.Encode(batch)
		if err != nil {
			v.log.Error("encode message batch", "err", err)
			continue
		}
		ctx, cancel := context.WithTimeout(v.ctx, 2*time.Second)
		if _, err := v.cfg.Net.Call(ctx, p.ID, p.Addr, ProtoPBFT, enc); err != nil && v.ctx.Err() == nil {
			v.log.Debug("send to replica failed", "peer", peer, "messages", len(batch), "err", err)
		}
		cancel()
	}
}

// servePBFT takes a batch of consensus messages from a peer. The overlay host
// authenticated the sender's node ID; the message must claim to come from
// that same replica, so a validator cannot speak for another.
func (v *Validator) servePBFT(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	var batch [][]byte
	if err := signing.Decode(req, &batch, maxPBFTMessage); err != nil {
		return nil, fmt.Errorf("consensus messages: %w", err)
	}
	if len(batch) > maxSendBatch {
		return nil, fmt.Errorf("%d consensus messages in one call, the limit is %d", len(batch), maxSendBatch)
	}
	for _, enc := range batch {
		m, err := consensus.DecodeMessage(enc)
		if err != nil {
			return nil, err
		}
		if int(m.From) >= len(v.cfg.Peers) || v.cfg.Peers[m.From].ID != from {
			return nil, fmt.Errorf("message claims replica %d but came from node %s", m.From, from.Short())
		}
		select {
		case v.inbox <- m:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-v.ctx.Done():
			return nil, errors.New("validator is stopping")
		}
	}
	return nil, nil
}

// submitRequest is one command a client sends to every validator; a
// submission call carries a list of them (the commands of concurrent
// callers of one Submitter).
type submitRequest struct {
	Client    string
	Timestamp uint64
	Payload   []byte
}

// maxSubmitBatch bounds the commands of one submission call.
const maxSubmitBatch = 4096

// SubmitReply is a validator's answer to one command: its replica ID, its
// view and the command's result ("ok" or "rejected: …"), or, in Refused,
// why the replica would not take the command at all.
type SubmitReply struct {
	Replica   uint32
	View      uint64
	Client    string
	Timestamp uint64
	Result    []byte
	Refused   string
}

// serveSubmit proposes the commands of one call and answers once each has
// executed or been refused; at the deadline it answers with those done.
func (v *Validator) serveSubmit(ctx context.Context, _ identity.NodeID, body []byte) ([]byte, error) {
	var batch []submitRequest
	if err := signing.Decode(body, &batch, maxSubmitRequest); err != nil {
		return nil, fmt.Errorf("ledger submission: %w", err)
	}
	if len(batch) == 0 || len(batch) > maxSubmitBatch {
		return nil, fmt.Errorf("ledger submission of %d commands: send 1 to %d", len(batch), maxSubmitBatch)
	}
	reqs := make([]consensus.Request, len(batch))
	ch := make(chan consensus.Reply, len(batch))
	// at holds the commands still unanswered; a command sent twice in one
	// call is answered once.
	at := make(map[replyKey]bool, len(batch))
	v.mu.Lock()
	for i, sr := range batch {
		reqs[i] = consensus.Request{Client: consensus.ClientID(sr.Client), Timestamp: sr.Timestamp, Payload: sr.Payload}
		key := replyKey{reqs[i].Client, sr.Timestamp}
		if !at[key] {
			at[key] = true
			v.mu.waiters[key] = append(v.mu.waiters[key], ch)
		}
	}
	v.mu.Unlock()
	registered := slices.Collect(maps.Keys(at))
	defer func() {
		for _, key := range registered {
			v.dropWaiter(key, ch)
		}
	}()

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
	var replies []SubmitReply
	waiting := len(at)
	for i, err := range errs {
		if err == nil {
			continue
		}
		key := replyKey{reqs[i].Client, reqs[i].Timestamp}
		if !at[key] {
			continue
		}
		delete(at, key)
		waiting--
		replies = append(replies, SubmitReply{Replica: uint32(v.id), Client: batch[i].Client, Timestamp: batch[i].Timestamp, Refused: err.Error()})
	}
	for waiting > 0 {
		select {
		case rep := <-ch:
			key := replyKey{rep.Client, rep.Timestamp}
			if !at[key] {
				continue
			}
			delete(at, key)
			waiting--
			replies = append(replies, SubmitReply{Replica: uint32(rep.Replica), View: rep.View, Client: string(rep.Client), Timestamp: rep.Timestamp, Result: rep.Result})
		case <-ctx.Done():
			if len(replies) == 0 {
				return nil, fmt.Errorf("not committed before the deadline: %w", ctx.Err())
			}
			waiting = 0
		case <-v.ctx.Done():
			return nil, errors.New("validator is stopping")
		}
	}
	return signing.Encode(replies)
}

func (v *Validator) dropWaiter(key replyKey, ch chan consensus.Reply) {
	v.mu.Lock()
	defer v.mu.Unlock()
	list := v.mu.waiters[key]
	for i, c := range list {
		if c == ch {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(v.mu.waiters, key)
	} else {
		v.mu.waiters[key] = list
	}
}

func (v *Validator) deliverReplies(replies []consensus.Reply) {
	if len(replies) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, rep := range replies {
		for _, ch := range v.mu.waiters[replyKey{rep.Client, rep.Timestamp}] {
			select {
			case ch <- rep:
			default:
			}
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
	cert, err := ledgerapp.CertificateFromStable(v.cfg.Epoch, v.keys, sc)
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
	keys, err := v.cfg.Ledger.ChangedKeys(v.published.root, cert.StateRoot)
	if err != nil {
		v.log.Warn("cannot diff ledger states for publishing", "seq", cert.Seq, "err", err)
		return
	}
	published := 0
	for _, key := range keys {
		// The DHT serves dataset records; offence records stay in the
		// ledger, where the slash is read from.
		if e, err := v.cfg.Ledger.Get(key); err != nil || e.Kind != ledger.EntryDataset {
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
	v.published.root = cert.StateRoot
	v.log.Info("published certified records", "seq", cert.Seq, "records", published, "root", cert.StateRoot.Hex())
}

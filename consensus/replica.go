package consensus

import (
	"bytes"
	"cmp"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/enigma-mpc/enigma/consensus/quorum"
)

// Ready is what the replica asks its shell to do; Driver.Flush handles it
// (which messages may leave before the write, and which writes are synced).
// In outline:
//  1. write Persist (Storage.Save);
//  2. send Messages to replicas and Replies to clients (Replies may go
//     before step 1: a reply reports the execution of a batch 2f+1
//     replicas committed, which holds whatever this replica's disk keeps);
//  3. hand Executed (already applied to the Application, in sequence
//     order) and NewStable to whoever watches the log;
//  4. call Advance.
type Ready struct {
	Persist  *Update
	Messages []Message
	// Replies is the replica's own buffer, reused after Advance: a shell
	// copies what it keeps of them.
	Replies  []Reply
	Executed []ExecutedBatch
	// NewStable lists checkpoints that became stable, with their 2f+1
	// signatures (the ledger turns them into checkpoint certificates).
	NewStable []StableCheckpoint
}

// ExecutedBatch is a batch this replica executed.
type ExecutedBatch struct {
	Seq         uint64
	View        uint64
	Digest      Digest
	Batch       *Batch
	Executed    []Request // the batch's requests minus duplicates, in execution order
	Results     [][]byte
	StateDigest Digest
	Replayed    bool // re-executed from the log after a restart
}

// Status is a read-only summary for logs, metrics and tests.
type Status struct {
	ID           ReplicaID
	Epoch        uint64
	Member       bool // a validator of Epoch (false: it left, and only serves state transfer)
	Joining      bool // waiting for the state of Epoch before it takes part
	View         uint64
	InViewChange bool
	LowWater     uint64 // last stable checkpoint
	LastExecuted uint64
	// HighestSeen is the highest sequence number this replica saw in its
	// peers' messages: while LastExecuted is well below it, the replica
	// is catching up.
	HighestSeen uint64
	StateDigest Digest // the application's digest after LastExecuted
	Pending     int
}

type slot struct {
	view        uint64
	pp          *PrePrepare
	prepares    map[ReplicaID]*Prepare
	commits     map[ReplicaID]*Commit
	accepted    bool // pp verified (Verifier included)
	waiting     bool // Verifier said ErrNotReady
	waitSince   uint64
	sentPrepare bool
	sentCommit  bool
	prepared    bool
	committed   bool
}

type pendingRequest struct {
	req   Request
	since uint64
	// inflight mirrors Replica.inflight for this request (INVARIANT:
	// inflight ⇔ req.key() ∈ Replica.inflight), so that the primary, which
	// looks at every pending request each time it cuts a batch, need not
	// hash each one's key.
	inflight bool
	// gone: no longer in Replica.pending (executed, replaced by a newer
	// request of its client, or settled by an installed state); it is
	// dropped from Replica.arrivals when it reaches the front.
	gone bool
}

type clientRecord struct {
	lastTs     uint64
	lastResult []byte
	lastView   uint64
	// pending is the client's pending request (INVARIANT: pending ==
	// Replica.pending[client]), so that a request received or executed
	// costs one lookup of its client, not one per map.
	pending *pendingRequest
}

// Replica is one PBFT replica: a deterministic state machine. It is not
// safe for concurrent use; the shell serialises calls.
type Replica struct {
	cfg  Config
	n, f int       // the epoch's validators, and how many may be faulty
	id   ReplicaID // in the epoch's address space: < n for a member
	log  *slog.Logger
	ver  *verifier // the epoch's validators

	counters Counters

	// phase is what the replica does (phase.go); only the become…
	// functions change it. INVARIANT: phase == phaseLeft ⇔ id ≥ n;
	// phasePrimary ⇔ operating in view as primary(view) (phaseBackup: as
	// another); phaseViewChange ⇒ ownVC is its vote for view;
	// phaseFetchingState ⇒ lastExe == 0.
	phase phase
	// fetchInVC: the replica lost its state while changing views, and
	// changes views again once it has one. INVARIANT: fetchInVC ⇒
	// phase == phaseFetchingState.
	fetchInVC bool

	// Epochs. The address space of an epoch is its validators, then the
	// previous epoch's validators that left (observers: they serve state
	// transfer only). INVARIANT: peers = len(addrs).
	epoch      uint64
	addrs      []ed25519.PublicKey
	prevVer    *verifier // the previous epoch's validators, nil in the first
	prevAddrs  []ed25519.PublicKey
	epochStart uint64 // the closing checkpoint of the previous epoch (0: none)
	// next is a reconfiguration the state decided; the epoch closes at
	// closeSeq (0: none pending), the first checkpoint at or after
	// next.AtSeq+WindowSize. INVARIANT: next == nil ⇔ closeSeq == 0.
	next      *Reconfiguration
	closeSeq  uint64
	nextEpoch []Message // messages of the next epoch, kept for after the switch
	// closing is the checkpoint that closed the previous epoch, with its
	// snapshot: replicas of that epoch that have not switched fetch it.
	closing *StableCheckpoint
	// sitOut: restarted from its log, the replica does not order in the
	// view it was in (sitOutEpoch, sitOutView); see ownsView.
	sitOut                  bool
	sitOutEpoch, sitOutView uint64

	now uint64 // ticks

	view    uint64
	seq     uint64 // highest sequence number assigned (primary) or seen in a new view; INVARIANT: seq ≥ low
	low     uint64 // low watermark h = last stable checkpoint; INVARIANT: low == stable.Seq
	stable  StableCheckpoint
	lastExe uint64 // may be below low: the replica then catches up by state transfer
	// lastDigest is the application's state digest after lastExe.
	lastDigest Digest

	// INVARIANT: slots, certs and ckptVotes hold only sequence numbers
	// above low, and no slot is of a view above view. decided, execd and
	// ownSnaps may hold low itself (a replica behind a stable checkpoint
	// catches up through commit certificates); the next checkpoint
	// collects them. CheckInvariants checks these after every Ready.
	slots     map[uint64]*slot
	certs     map[uint64]*PreparedCert  // highest prepared certificate per seq
	decided   map[uint64]*CommittedCert // commit certificates (execution order source)
	execd     map[uint64]Digest         // batch digest executed per seq; INVARIANT: keys ≤ lastExe
	ckptVotes map[uint64]map[ReplicaID]*Checkpoint
	ownSnaps  map[uint64]ownSnapshot
	clients   map[ClientID]*clientRecord

	pending map[ClientID]*pendingRequest
	// arrivals holds the pending requests in the order they arrived, and
	// some that are gone. INVARIANT: the entries not gone are exactly
	// pending's, and their since never decreases along it (a request
	// arrives at the current tick; a new view or epoch sets every pending
	// request's since to the same tick). The oldest pending request is
	// its first entry not gone, which the request timer reads every tick
	// without scanning every pending request.
	arrivals []*pendingRequest
	cutting  bool                  // cutBatches is running (execution inside it must not re-enter)
	inflight map[requestKey]uint64 // primary: requests in an uncommitted batch of this view
	// execRecs is execute's room for the client records of a batch's
	// requests, kept between batches and cleared after each.
	execRecs []*clientRecord

	// last holds when the replica's timers last started; waitAvg scales
	// the request timer.
	last          stamps
	waitAvg       uint64 // moving average of requests' waits for execution, ticks × waitScale
	highestSeen   uint64 // highest sequence number it knows exists (signed messages, its log, the next epoch's traffic): it fetches while behind it
	fetchRotation int
	lastServed    map[ReplicaID]uint64 // state requests answered, per peer (ticks)

	// view change
	vcs map[uint64]map[ReplicaID]*ViewChange
	// latestVC, aheadView, behindSeen: one per validator (INVARIANT: len n).
	latestVC    []uint64 // highest view each replica asked for
	aheadView   []uint64 // highest later view each replica was seen operating in
	behindSeen  []uint64 // when each replica last asked for a view below ours (ticks)
	ownVC       *ViewChange
	vcAttempts  int  // view changes since it last executed outside one: each doubles the timeout
	vcTimerOn   bool // a quorum voted for its view: the NEW-VIEW is due (last.vcQuorum)
	nvSent      bool
	currentNV   *NewView
	nvForwarded map[ReplicaID]uint64
	future      []Message

	// Ready accumulation
	msgs      []Message
	replies   []Reply
	executed  []ExecutedBatch
	newStable []StableCheckpoint
	// Dirty state is tagged with the generation it changed in; Ready starts
	// a new generation, and Advance clears only what that Ready carried, so
	// work added between Ready and Advance is not lost.
	gen        uint64
	readyGen   uint64
	readyCount [4]int // messages, replies, executed, newStable handed out
	dirtySeqs  map[uint64]uint64
	dirtyHard  uint64
	dirtyVC    uint64
	dirtyStab  uint64
	truncateTo uint64
	truncGen   uint64
}

// stamps are the ticks (Replica.now) the replica's timers count from: a
// timer expires when now minus its stamp reaches its timeout.
type stamps struct {
	// viewEntered: it entered its view or epoch; the idle, request and
	// closing timers of the view count from no earlier.
	viewEntered uint64
	// primaryHeard: a pre-prepare or heartbeat of its view's primary; the
	// backup's idle timer (IdleTimeoutTicks).
	primaryHeard uint64
	// primarySent: as primary, its last pre-prepare or heartbeat; the
	// heartbeat timer (HeartbeatTicks).
	primarySent uint64
	// progress: a batch executed or a state installed; state fetching
	// (FetchTicks), a stalled epoch close (the request timeout) and the
	// re-sent checkpoint vote count from it.
	progress uint64
	// fetch: its last state request (0: the next may go at once); one per
	// FetchTicks.
	fetch uint64
	// vcStart: it voted for its view; a view change that gathers no quorum
	// moves on after twice the view-change timeout.
	vcStart uint64
	// vcQuorum: a quorum voted for its view (Replica.vcTimerOn); the
	// NEW-VIEW is due within the view-change timeout.
	vcQuorum uint64
	// vcSend, ckptSend: it last sent its view-change vote, re-sent its
	// checkpoint vote; both every ResendTicks.
	vcSend, ckptSend uint64
}

type ownSnapshot struct {
	stateDigest, clientsDigest Digest
	snapshot                   []byte
}

const maxFutureMessages = 4096

// NewReplica creates a replica, restarting from cfg.Restart when set.
func NewReplica(cfg Config) (*Replica, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &Replica{
		cfg:         c,
		log:         c.Logger.With("replica", c.ID),
		slots:       make(map[uint64]*slot),
		certs:       make(map[uint64]*PreparedCert),
		decided:     make(map[uint64]*CommittedCert),
		execd:       make(map[uint64]Digest),
		ckptVotes:   make(map[uint64]map[ReplicaID]*Checkpoint),
		ownSnaps:    make(map[uint64]ownSnapshot),
		clients:     make(map[ClientID]*clientRecord),
		pending:     make(map[ClientID]*pendingRequest),
		inflight:    make(map[requestKey]uint64),
		vcs:         make(map[uint64]map[ReplicaID]*ViewChange),
		nvForwarded: make(map[ReplicaID]uint64),
		lastServed:  make(map[ReplicaID]uint64),
		dirtySeqs:   make(map[uint64]uint64),
		gen:         1,
	}
	if c.Restart != nil && c.Restart.IsEmpty() {
		c.Restart = nil // a log never written: a fresh start
	}
	r.setEpoch(c.Epoch, c.Validators, c.PrevValidators)
	r.becomeNormal() // Config makes it a validator of c.Epoch
	if c.Restart == nil {
		// A fresh log records its epoch and view before anything is signed
		// there (the Driver sends a Ready's messages after a write that
		// holds a HardState): a replica that signed and crashed before its
		// first write would otherwise restart as fresh and sign again.
		r.dirtyHard = r.gen
	}
	if c.Joining && c.Restart == nil {
		r.becomeFetchingState()
	}
	if c.Restart != nil {
		if err := r.restore(c.Restart); err != nil {
			return nil, fmt.Errorf("restart replica %d from its log: %w", c.ID, err)
		}
	}
	return r, nil
}

// Status returns a summary of the replica's state.
func (r *Replica) Status() Status {
	return Status{ID: r.id, Epoch: r.epoch, Member: r.phase != phaseLeft, Joining: r.phase == phaseFetchingState, View: r.view, InViewChange: r.changingViews(), LowWater: r.low, LastExecuted: r.lastExe, HighestSeen: r.highestSeen, StateDigest: r.lastDigest, Pending: len(r.pending)}
}

// setEpoch makes validators (of epoch) the replica's set, with prev the
// set of the epoch before (nil for none), and places the replica in the
// epoch's address space.
func (r *Replica) setEpoch(epoch uint64, validators, prev []ed25519.PublicKey) {
	r.epoch = epoch
	r.cfg.Epoch, r.cfg.Validators, r.cfg.PrevValidators = epoch, validators, prev
	r.n, r.f = len(validators), quorum.Faulty(len(validators))
	r.addrs = append([]ed25519.PublicKey(nil), validators...)
	for _, k := range prev {
		if keyIndex(validators, k) < 0 {
			r.addrs = append(r.addrs, k)
		}
	}
	r.prevAddrs = prev
	own := r.cfg.Key.Public().(ed25519.PublicKey)
	r.id = ReplicaID(keyIndex(r.addrs, own))
	r.log = r.cfg.Logger.With("replica", r.id, "epoch", epoch)
	r.ver = newVerifier(&r.cfg, epoch, validators, 1<<16, &r.counters)
	r.prevVer = nil
	if len(prev) > 0 && epoch > 0 {
		r.prevVer = newVerifier(&r.cfg, epoch-1, prev, 1<<10, &r.counters)
	}
	r.latestVC = make([]uint64, r.n)
	r.aheadView = make([]uint64, r.n)
	r.behindSeen = make([]uint64, r.n)
}

// keyIndex returns the index of k in keys, or -1.
func keyIndex(keys []ed25519.PublicKey, k ed25519.PublicKey) int {
	return slices.IndexFunc(keys, func(x ed25519.PublicKey) bool { return x.Equal(k) })
}

// verifierFor returns the verifier of epoch: the replica's own or the one
// before (whose closing checkpoint starts this epoch).
func (r *Replica) verifierFor(epoch uint64) (*verifier, error) {
	switch {
	case epoch == r.epoch:
		return r.ver, nil
	case r.prevVer != nil && epoch == r.prevVer.epoch:
		return r.prevVer, nil
	}
	return nil, fmt.Errorf("a certificate of epoch %d cannot be checked in epoch %d", epoch, r.epoch)
}

// checkReconfiguration asks the application whether its state decided the
// change to the next epoch, and if so schedules the closing checkpoint.
func (r *Replica) checkReconfiguration() {
	if r.next != nil {
		return
	}
	next, ok := r.reconfigurationFrom(r.epoch)
	if !ok {
		return
	}
	if next.Epoch != r.epoch+1 || len(next.Validators) < 4 {
		r.log.Error("the state decided a reconfiguration the engine cannot follow; keeping the current set", "to_epoch", next.Epoch, "validators", len(next.Validators))
		return
	}
	r.next = &next
	r.closeSeq = r.closeSeqFor(next.AtSeq)
	r.log.Info("validator set changes", "from_epoch", r.epoch, "to_epoch", next.Epoch, "decided_at", next.AtSeq, "closing_checkpoint", r.closeSeq, "validators", len(next.Validators))
	if r.phase == phasePrimary && !r.cutting {
		r.cutBatches(false)
	}
}

// maybeEnterEpoch switches epochs once the closing checkpoint is both
// stable and executed here (in whichever order those happened).
func (r *Replica) maybeEnterEpoch() {
	if r.next != nil && (r.low >= r.closeSeq || r.cfg.Bug == BugEarlyEpoch) && r.lastExe >= r.closeSeq {
		r.enterEpoch()
	}
}

// enterEpoch switches to the next epoch once the closing checkpoint (the
// current stable one) is stable: the new set from view 0, sequence numbers
// after the closing checkpoint. A replica that is not in the new set stays
// as an observer that serves state transfer.
func (r *Replica) enterEpoch() {
	next := r.next
	closing := r.stable
	r.log.Info("entering epoch", "epoch", next.Epoch, "closing_checkpoint", closing.Seq)
	r.setEpoch(next.Epoch, next.Validators, r.cfg.Validators)
	r.next, r.closeSeq = nil, 0
	r.epochStart = closing.Seq
	r.closing = &closing
	r.view, r.vcAttempts = 0, 0
	if int(r.id) < r.n {
		r.becomeNormal()
	} else {
		r.becomeLeft()
	}
	r.dirtyHard = r.gen
	r.seq = max(r.seq, closing.Seq)
	clear(r.slots)
	clear(r.certs)
	clear(r.ckptVotes)
	clear(r.vcs)
	clear(r.inflight)
	clear(r.nvForwarded)
	clear(r.lastServed)
	r.ownVC, r.currentNV, r.nvSent, r.vcTimerOn = nil, nil, false, false
	r.future = nil
	r.last.viewEntered, r.last.primaryHeard, r.last.primarySent, r.last.progress = r.now, r.now, r.now, r.now
	for _, p := range r.pending {
		p.since, p.inflight = r.now, false
	}
	if r.phase == phaseLeft {
		r.log.Info("this replica left the validator set; it serves state transfer until it is stopped")
		clear(r.pending)
		r.arrivals = nil
		for _, cr := range r.clients {
			cr.pending = nil
		}
		return
	}
	msgs := r.nextEpoch
	r.nextEpoch = nil
	for _, m := range msgs {
		if err := r.Step(m); err != nil {
			r.log.Debug("dropping a message kept for the new epoch", "type", m.Type, "from", m.From, "err", err)
		}
	}
	if r.phase == phasePrimary {
		r.cutBatches(false)
	}
}

// ClosingCheckpoint is the checkpoint that closes an epoch whose change was
// decided at atSeq, with checkpoints every interval and a window of window:
// the first checkpoint at or beyond atSeq+window. When a replica executes
// atSeq its low watermark is at most atSeq, so no replica has accepted a
// sequence number beyond atSeq+window in the closing epoch.
func ClosingCheckpoint(atSeq, interval, window uint64) uint64 {
	end := atSeq + window
	return (end + interval - 1) / interval * interval
}

func (r *Replica) closeSeqFor(seq uint64) uint64 {
	if r.cfg.Bug == BugEarlyEpoch {
		return seq
	}
	return ClosingCheckpoint(seq, r.cfg.CheckpointInterval, r.cfg.WindowSize)
}

func (r *Replica) primary(v uint64) ReplicaID { return ReplicaID(v % uint64(r.n)) }
func (r *Replica) high() uint64               { return r.low + r.cfg.WindowSize }

func (r *Replica) inWindow(seq uint64) bool {
	return seq > r.low && seq <= r.high() && (r.closeSeq == 0 || seq <= r.closeSeq)
}

// quorum is the size of every certificate: prepared (with the pre-prepare),
// committed, stable checkpoint, view changes of a new view. Any two quorums
// intersect in f+1 replicas, one of them correct (package quorum).
func (r *Replica) quorum() int {
	if r.cfg.Bug == BugClassicQuorum {
		return 2*r.f + 1
	}
	return quorum.Size(r.n)
}

// prepareQuorum counts matching prepares from backups: with the primary's
// pre-prepare they make a quorum.
func (r *Replica) prepareQuorum() int {
	if r.cfg.Bug == BugWeakPrepareQuorum {
		return r.f
	}
	return r.quorum() - 1
}

// HasReady reports whether Ready would return anything.
func (r *Replica) HasReady() bool {
	return len(r.msgs) > 0 || len(r.replies) > 0 || len(r.executed) > 0 || len(r.newStable) > 0 ||
		len(r.dirtySeqs) > 0 || r.dirtyHard != 0 || r.dirtyVC != 0 || r.dirtyStab != 0 || r.truncateTo > 0
}

// Ready returns the pending work. Call Advance once it is handled. Calling
// Ready again before Advance returns that work again (plus anything newer);
// events stepped in between are kept for the next Ready.
func (r *Replica) Ready() Ready {
	rd := Ready{Messages: r.msgs, Replies: r.replies, Executed: r.executed, NewStable: r.newStable}
	r.readyCount = [4]int{len(r.msgs), len(r.replies), len(r.executed), len(r.newStable)}
	r.readyGen = r.gen
	r.gen++
	u := &Update{TruncateThrough: r.truncateTo}
	if r.dirtyHard != 0 {
		u.HardState = &HardState{View: r.view, InViewChange: r.changingViews(), Epoch: r.epoch}
	}
	if r.dirtyVC != 0 {
		u.ViewChange = r.ownVC
	}
	if r.dirtyStab != 0 {
		s := r.stable
		u.Stable = &s
	}
	seqs := make([]uint64, 0, len(r.dirtySeqs))
	for s := range r.dirtySeqs {
		if s > r.low {
			seqs = append(seqs, s)
		}
	}
	slices.Sort(seqs)
	for _, s := range seqs {
		u.Entries = append(u.Entries, r.entry(s))
	}
	if !u.IsEmpty() {
		rd.Persist = u
	}
	return rd
}

// Advance acknowledges the last Ready.
func (r *Replica) Advance() {
	c := r.readyCount
	r.msgs = rest(r.msgs, c[0])
	if c[1] >= len(r.replies) && cap(r.replies) <= maxKeptRoom {
		// All handed out: the buffer is kept for the next batch's replies
		// (a full batch's would otherwise be allocated anew each time).
		clear(r.replies)
		r.replies = r.replies[:0]
	} else {
		r.replies = rest(r.replies, c[1])
	}
	r.executed = rest(r.executed, c[2])
	r.newStable = rest(r.newStable, c[3])
	r.readyCount = [4]int{}
	g := r.readyGen
	for seq, at := range r.dirtySeqs {
		if at <= g {
			delete(r.dirtySeqs, seq)
		}
	}
	if r.dirtyHard <= g {
		r.dirtyHard = 0
	}
	if r.dirtyVC <= g {
		r.dirtyVC = 0
	}
	if r.dirtyStab <= g {
		r.dirtyStab = 0
	}
	if r.truncGen <= g {
		r.truncateTo = 0
	}
}

// maxKeptRoom bounds the requests whose room a replica keeps between
// batches (replies, client records): a batch bigger than any a validator
// cuts (a peer's, up to the message size limit) gets room of its own.
const maxKeptRoom = 4096

// rest drops the first n elements, keeping no reference to them.
func rest[T any](s []T, n int) []T {
	if n >= len(s) {
		return nil
	}
	return append([]T(nil), s[n:]...)
}

func (r *Replica) entry(seq uint64) LogEntry {
	e := LogEntry{Seq: seq, Cert: r.certs[seq], Committed: r.decided[seq]}
	if s := r.slots[seq]; s != nil && s.pp != nil && s.accepted {
		e.View, e.PrePrepare, e.SentPrepare, e.SentCommit = s.view, s.pp, s.sentPrepare, s.sentCommit
	}
	return e
}

func (r *Replica) send(to ReplicaID, m Message) {
	m.Epoch, m.From, m.To = r.epoch, r.id, to
	r.msgs = append(r.msgs, m)
}

// broadcast sends m to the epoch's other validators.
func (r *Replica) broadcast(m Message) {
	for i := 0; i < r.n; i++ {
		if ReplicaID(i) != r.id {
			r.send(ReplicaID(i), m)
		}
	}
}

// Peers is the size of the address space of the replica's epoch: its
// validators (0 … n-1) and the previous epoch's validators that left.
func (r *Replica) Peers() int { return len(r.addrs) }

// PeerKey returns the public key of address i in the replica's epoch.
func (r *Replica) PeerKey(i ReplicaID) ed25519.PublicKey {
	if int(i) < len(r.addrs) {
		return r.addrs[i]
	}
	return nil
}

func (r *Replica) sign(m Signable) {
	r.counters.Signed++
	if err := Sign(r.cfg.Key, r.cfg.ChainID, r.epoch, m); err != nil {
		// Bodies hold only integers and byte strings; encoding cannot fail.
		panic("consensus: sign: " + err.Error())
	}
}

// ErrStaleRequest is returned by Propose for a request older than the
// client's last executed one.
var ErrStaleRequest = errors.New("request is older than the client's last executed request")

// ErrNotValidator is returned by Propose on a replica whose node left the
// validator set: send the request to the current epoch's validators.
var ErrNotValidator = errors.New("this replica is no longer a validator (its epoch ended): send the request to the current validator set")

// Propose hands the replica a client request. A request already executed is
// answered again from the reply cache; an invalid one is refused.
func (r *Replica) Propose(req Request) error {
	if r.phase == phaseLeft {
		return ErrNotValidator
	}
	cr := r.clients[req.Client]
	if cr != nil && req.Timestamp <= cr.lastTs {
		if req.Timestamp < cr.lastTs {
			return ErrStaleRequest
		}
		// A retransmission: answer from the reply cache, but only a request
		// that verifies (the cached result is the client's business). The
		// verifier gets a copy made here, so that req itself does not escape
		// to the heap on every call.
		again := req
		if err := r.cfg.Verifier.VerifyRequest(&again); err != nil {
			return fmt.Errorf("client %q request %d refused: %w", req.Client, req.Timestamp, err)
		}
		r.replies = append(r.replies, Reply{Replica: r.id, View: cr.lastView, Client: req.Client, Timestamp: req.Timestamp, Result: cr.lastResult})
		return nil
	}
	var old *pendingRequest
	if cr != nil {
		old = cr.pending
	} else {
		old = r.pending[req.Client]
	}
	if old != nil && old.req.Timestamp >= req.Timestamp {
		return nil // already waiting for it (or a newer one)
	}
	p := &pendingRequest{req: req, since: r.now}
	if len(r.inflight) > 0 {
		_, p.inflight = r.inflight[req.key()]
	}
	if err := r.cfg.Verifier.VerifyRequest(&p.req); err != nil {
		return fmt.Errorf("client %q request %d refused: %w", req.Client, req.Timestamp, err)
	}
	if old != nil {
		old.gone = true
	}
	r.pending[req.Client] = p
	if cr != nil {
		cr.pending = p
	}
	r.arrive(p)
	if r.phase == phasePrimary {
		r.cutBatches(false)
	}
	return nil
}

// Tick advances the replica's logical clock by one tick.
func (r *Replica) Tick() {
	r.now++
	switch r.phase {
	case phaseLeft:
		return // it only answers state requests
	case phaseFetchingState:
	case phaseViewChange:
		r.tickViewChange()
		r.tickCheckpoint()
	case phasePrimary:
		r.tickPrimary()
		r.tickCheckpoint()
	case phaseBackup:
		r.tickBackup()
		r.tickCheckpoint()
	}
	r.tickFetch()
}

// QuietTicks returns how many of the next ticks certainly do nothing but
// advance the replica's clock, at most limit, if no other event comes
// first: no message, no log write, no reply, no change of phase or view.
// A shell may then deliver those ticks late and together, so an idle
// replica's shell sleeps instead of waking every tick; the tick after them
// may act (a heartbeat, a silent primary suspected, a checkpoint resent)
// and must be delivered on time. It is 0 while a timer runs that any tick
// could fire: requests pending, a batch waiting for its check, a view
// change, a state fetch, an epoch closing.
func (r *Replica) QuietTicks(limit uint64) uint64 {
	switch {
	case r.HasReady():
		return 0
	case r.phase == phaseLeft:
		return limit // it only answers state requests
	case r.phase != phasePrimary && r.phase != phaseBackup:
		return 0
	case len(r.pending) > 0 || (r.closeSeq > 0 && r.lastExe < r.closeSeq):
		return 0
	case r.lastExe < r.low || r.highestSeen > r.lastExe:
		return 0 // behind: tickFetch may ask for state
	}
	// first is the first of the next ticks that may act: the one that
	// brings the clock to at, for each timer due at at.
	first := limit + 1
	due := func(at uint64) {
		first = min(first, max(at, r.now+1)-r.now)
	}
	if r.phase == phasePrimary {
		if r.ownsView() && r.cfg.Bug != BugOverQuiet {
			due(r.last.primarySent + uint64(r.cfg.HeartbeatTicks))
		}
	} else {
		for _, s := range r.slots {
			if s.waiting {
				return 0
			}
		}
		due(max(r.last.primaryHeard, r.last.viewEntered) + uint64(r.cfg.IdleTimeoutTicks) + 1)
	}
	if r.lastExe > r.low && r.newestOwnCheckpointAbove(r.low) != nil {
		due(max(r.last.progress, r.last.ckptSend) + uint64(r.cfg.ResendTicks))
	}
	return first - 1
}

func (r *Replica) tickPrimary() {
	r.cutBatches(false)
	// A primary that sits out its view sends no heartbeat either, so its
	// backups replace it as soon as they miss it.
	if r.ownsView() && r.now-r.last.primarySent >= uint64(r.cfg.HeartbeatTicks) {
		hb := &Heartbeat{View: r.view, Seq: r.seq}
		r.sign(hb)
		r.broadcast(Message{Type: MsgHeartbeat, Heartbeat: hb})
		r.last.primarySent = r.now
	}
	r.tickRequestTimers()
}

func (r *Replica) tickBackup() {
	var waiting []uint64
	for seq, s := range r.slots {
		if s.waiting {
			waiting = append(waiting, seq)
		}
	}
	slices.Sort(waiting)
	for _, seq := range waiting {
		r.retryVerify(seq, r.slots[seq])
		if r.phase == phaseViewChange {
			return // a rejected batch started a view change
		}
	}
	if r.now-max(r.last.primaryHeard, r.last.viewEntered) > uint64(r.cfg.IdleTimeoutTicks) {
		r.log.Debug("primary silent; starting view change", "view", r.view)
		r.startViewChange(r.view+1, CausePrimarySilent)
		return
	}
	r.tickRequestTimers()
}

// tickRequestTimers runs the timers of the primary and the backups alike:
// a request waiting too long, and an epoch not closing.
func (r *Replica) tickRequestTimers() {
	// The request timer runs per request, from when this replica received
	// it (or entered the view), whatever else executes meanwhile: a primary
	// that keeps committing other requests, or empty batches, must not hold
	// one back for ever. It runs on the primary too: a primary whose batches
	// stop executing has lost its backups (they moved to a later view it
	// missed) and must follow them rather than wait for ever.
	if oldest, ok := r.oldestPending(); ok && r.now-r.requestTimerStart(oldest) > r.requestTimeout() {
		r.log.Debug("request timer expired; starting view change", "view", r.view)
		r.startViewChange(r.view+1, CauseRequestTimer)
		return
	}
	// The batches that close an epoch carry no request to time: a replica
	// that makes no progress towards the closing checkpoint suspects the
	// primary the same way (a backup that missed a null pre-prepare could
	// otherwise keep the quorum from forming for ever).
	if r.closeSeq > 0 && r.lastExe < r.closeSeq && r.now-max(r.last.progress, r.last.viewEntered) > r.requestTimeout() {
		r.log.Debug("no progress towards the closing checkpoint; starting view change", "view", r.view, "closing", r.closeSeq)
		r.startViewChange(r.view+1, CauseClosingStalled)
	}
}

func (r *Replica) requestTimerStart(oldest uint64) uint64 {
	if r.cfg.Bug == BugPerBatchTimer {
		return max(oldest, r.last.progress, r.last.viewEntered)
	}
	return max(oldest, r.last.viewEntered)
}

// requestTimeout is how long a request may wait before this replica
// suspects the primary: four times the moving average of the waits it
// observed, bounded below by RequestTimeoutTicks (so a quiet system reacts
// fast) and above by that doubled MaxTimeoutDoublings times (so a primary
// that slows every request to stretch the timer is still replaced within a
// bound). Under load requests wait longer for their batch, and load alone
// must not replace a correct primary.
func (r *Replica) requestTimeout() uint64 {
	base := uint64(r.cfg.RequestTimeoutTicks)
	return min(max(base, 4*r.waitAvg/waitScale), base<<r.cfg.MaxTimeoutDoublings)
}

// waitScale is the fixed-point scale of waitAvg.
const waitScale = 16

// observeWait folds one request's wait (ticks from receipt or view start to
// execution) into waitAvg, an exponential moving average with weight 1/8.
func (r *Replica) observeWait(p *pendingRequest) {
	w := (r.now - max(p.since, r.last.viewEntered)) * waitScale
	if w >= r.waitAvg {
		r.waitAvg += (w - r.waitAvg) / 8
	} else {
		r.waitAvg -= (r.waitAvg - w) / 8
	}
}

func (r *Replica) oldestPending() (uint64, bool) {
	for len(r.arrivals) > 0 && r.arrivals[0].gone {
		r.arrivals[0] = nil
		r.arrivals = r.arrivals[1:]
	}
	if len(r.arrivals) == 0 {
		return 0, false
	}
	return r.arrivals[0].since, true
}

// arrive appends a request that entered pending to arrivals, first
// dropping the entries that are gone once they are half of it (requests
// behind a long-pending one are dropped only from the front).
func (r *Replica) arrive(p *pendingRequest) {
	if len(r.arrivals) >= 64 && len(r.arrivals) >= 2*len(r.pending) {
		r.arrivals = slices.DeleteFunc(r.arrivals, func(q *pendingRequest) bool { return q.gone })
	}
	r.arrivals = append(r.arrivals, p)
}

// dropPending removes a client's pending request p; cr is the client's
// record, if it has one.
func (r *Replica) dropPending(client ClientID, cr *clientRecord, p *pendingRequest) {
	p.gone = true
	delete(r.pending, client)
	if cr != nil {
		cr.pending = nil
	}
}

// cutBatches is the primary's batching: it assigns sequence numbers to
// pending requests while the window has room.
func (r *Replica) cutBatches(force bool) {
	if !r.mayOrderIn(r.view) {
		return
	}
	r.cutting = true
	defer func() { r.cutting = false }()
	for {
		if r.seq+1 > r.high() || r.lastExe < r.low || (r.closeSeq > 0 && r.seq >= r.closeSeq) {
			return
		}
		// With the pipeline full, only a full batch may go; requests in
		// flight are pending too, so this count is a cheap lower bound.
		pipelineFull := r.cfg.MaxInflightBatches > 0 && r.seq > r.lastExe && r.seq-r.lastExe >= uint64(r.cfg.MaxInflightBatches)
		if pipelineFull && len(r.pending)-len(r.inflight) < r.cfg.MaxBatchSize {
			return
		}
		var cands []*pendingRequest
		for _, p := range r.pending {
			if !p.inflight {
				cands = append(cands, p)
			}
		}
		if pipelineFull && len(cands) < r.cfg.MaxBatchSize {
			return
		}
		if len(cands) == 0 && r.closeSeq == 0 {
			return
		}
		// With the epoch closing, null batches fill the sequence numbers up
		// to the closing checkpoint, so the new set need not wait for load.
		var b Batch
		if len(cands) > 0 {
			slices.SortFunc(cands, func(a, b *pendingRequest) int {
				return cmp.Or(cmp.Compare(a.since, b.since), cmp.Compare(a.req.Client, b.req.Client))
			})
			if !force && r.closeSeq == 0 && len(cands) < r.cfg.MaxBatchSize && r.cfg.BatchDelayTicks > 0 && r.now-cands[0].since < uint64(r.cfg.BatchDelayTicks) {
				return
			}
			if len(cands) > r.cfg.MaxBatchSize {
				cands = cands[:r.cfg.MaxBatchSize]
			}
			reqs := make([]Request, len(cands))
			for i, p := range cands {
				reqs[i] = p.req
				p.inflight = true // its key enters r.inflight below
			}
			b = Batch{Requests: reqs, Context: r.cfg.Verifier.BatchContext(r.seq+1, reqs)}
		}
		r.seq++
		r.counters.BatchesProposed++
		reqs := b.Requests
		pp := &PrePrepare{View: r.view, Seq: r.seq, BatchDigest: b.Digest(), Batch: b}
		r.sign(pp)
		for i := range reqs {
			r.inflight[reqs[i].key()] = r.seq
		}
		s := r.slotFor(r.seq)
		s.pp, s.accepted = pp, true
		r.markDirty(r.seq)
		r.broadcast(Message{Type: MsgPrePrepare, PrePrepare: pp})
		r.last.primarySent = r.now
		r.tryPrepared(r.seq, s)
	}
}

func (r *Replica) markDirty(seq uint64) { r.dirtySeqs[seq] = r.gen }

// slotFor returns the slot for seq in the current view, clearing what an
// older view left there.
func (r *Replica) slotFor(seq uint64) *slot {
	s := r.slots[seq]
	if s == nil || s.view != r.view {
		s = &slot{view: r.view, prepares: make(map[ReplicaID]*Prepare), commits: make(map[ReplicaID]*Commit)}
		r.slots[seq] = s
	}
	return s
}

func (r *Replica) seen(seq uint64) {
	if seq > r.highestSeen {
		r.highestSeen = seq
	}
}

// Step processes a message from another replica. It returns an error for a
// message it rejects (bad signature, wrong sender, malformed); the replica's
// state is unchanged by rejected messages.
func (r *Replica) Step(m Message) error {
	if !m.hasBody() {
		return fmt.Errorf("%s message without its body", m.Type)
	}
	switch {
	case m.Epoch == r.epoch:
	case m.Epoch+1 == r.epoch && m.Type == MsgStateRequest:
		// A replica of the previous epoch that has not switched yet asks
		// for the closing checkpoint.
		return r.stepStateRequest(m.From, m.StateRequest, m.Epoch)
	case m.Epoch == r.epoch+1:
		if m.Type == MsgStateResponse {
			// The closing checkpoint of this epoch, sent by a replica that
			// switched already: it proves itself.
			if m.StateResponse == nil {
				break
			}
			return r.stepStateResponse(m.StateResponse)
		}
		// The next epoch started without this replica: keep its messages
		// for after the switch, and fetch the state that closes this one.
		if len(r.nextEpoch) < maxFutureMessages {
			r.nextEpoch = append(r.nextEpoch, m)
		}
		r.seen(r.lastExe + 1)
		return nil
	default:
		return fmt.Errorf("message of epoch %d, this replica is in epoch %d", m.Epoch, r.epoch)
	}
	if int(m.From) >= len(r.addrs) || m.From == r.id {
		return fmt.Errorf("message from unknown replica %d", m.From)
	}
	if int(m.From) >= r.n && m.Type != MsgStateRequest && m.Type != MsgStateResponse {
		return fmt.Errorf("%s message from replica %d, which left the validator set", m.Type, m.From)
	}
	switch {
	case r.phase == phaseLeft && m.Type != MsgStateRequest:
		return nil // a replica that left only serves state transfer
	case r.phase == phaseFetchingState && m.Type != MsgStateResponse && m.Type != MsgStateRequest:
		return r.noteWhileJoining(&m)
	}
	// The one view rule of the normal case: a pre-prepare, prepare, commit
	// or heartbeat of a later view, or of the view this replica is still
	// changing to, waits until the replica enters that view. The handlers
	// below see only messages of the view it operates in, or older ones.
	if view, seq, sender, body := r.normalCase(&m); body != nil && (view > r.view || (view == r.view && r.phase == phaseViewChange)) {
		return r.deferFuture(&m, view, seq, sender, body)
	}
	switch m.Type {
	case MsgPrePrepare:
		if m.PrePrepare == nil {
			break
		}
		return r.stepPrePrepare(m.From, m.PrePrepare)
	case MsgPrepare:
		if m.Prepare == nil {
			break
		}
		return r.stepPrepare(m.From, m.Prepare)
	case MsgCommit:
		if m.Commit == nil {
			break
		}
		return r.stepCommit(m.From, m.Commit)
	case MsgCheckpoint:
		if m.Checkpoint == nil {
			break
		}
		return r.stepCheckpoint(m.From, m.Checkpoint)
	case MsgViewChange:
		if m.ViewChange == nil {
			break
		}
		return r.stepViewChange(m.From, m.ViewChange)
	case MsgNewView:
		if m.NewView == nil {
			break
		}
		return r.stepNewView(m.From, m.NewView)
	case MsgHeartbeat:
		if m.Heartbeat == nil {
			break
		}
		return r.stepHeartbeat(m.From, m.Heartbeat)
	case MsgStateRequest:
		if m.StateRequest == nil {
			break
		}
		return r.stepStateRequest(m.From, m.StateRequest, m.Epoch)
	case MsgStateResponse:
		if m.StateResponse == nil {
			break
		}
		if m.From != m.StateResponse.Replica {
			return fmt.Errorf("state response from replica %d claims replica %d", m.From, m.StateResponse.Replica)
		}
		return r.stepStateResponse(m.StateResponse)
	default:
		return fmt.Errorf("unknown message type %d", m.Type)
	}
	return fmt.Errorf("%s message without a body", m.Type)
}

// normalCase returns the view and sequence number of a pre-prepare,
// prepare, commit or heartbeat, whether its sender may send it at all (the
// view's primary; the replica a vote names), and its body: nil for other
// messages and for one without its body.
func (r *Replica) normalCase(m *Message) (view, seq uint64, sender bool, body Signable) {
	switch {
	case m.Type == MsgPrePrepare && m.PrePrepare != nil:
		pp := m.PrePrepare
		return pp.View, pp.Seq, m.From == r.primary(pp.View), pp
	case m.Type == MsgPrepare && m.Prepare != nil:
		p := m.Prepare
		return p.View, p.Seq, m.From == p.Replica, p
	case m.Type == MsgCommit && m.Commit != nil:
		c := m.Commit
		return c.View, c.Seq, m.From == c.Replica, c
	case m.Type == MsgHeartbeat && m.Heartbeat != nil:
		hb := m.Heartbeat
		return hb.View, hb.Seq, m.From == r.primary(hb.View), hb
	}
	return 0, 0, false, nil
}

// noteWhileJoining takes a message of the epoch a joining replica has no
// state of yet only as evidence of how far the epoch got (so it fetches),
// keeping it for when it has the state.
func (r *Replica) noteWhileJoining(m *Message) error {
	if b := m.signable(); b != nil {
		if err := r.ver.verify(m.From, b); err != nil {
			return err
		}
	}
	var seq uint64
	switch m.Type {
	case MsgPrePrepare:
		seq = m.PrePrepare.Seq
	case MsgPrepare:
		seq = m.Prepare.Seq
	case MsgCommit:
		seq = m.Commit.Seq
	case MsgCheckpoint:
		seq = m.Checkpoint.Seq
	case MsgHeartbeat:
		seq = m.Heartbeat.Seq
	}
	r.seen(max(seq, 1))
	if len(r.future) < maxFutureMessages {
		r.future = append(r.future, *m)
	}
	return nil
}

// deferFuture keeps a message for a view this replica has not entered yet,
// so it can be processed when the new view starts. A validly signed
// normal-case message of a later view is also evidence: its sender operates
// in that view (it was entered: correct replicas send no such message in a
// view change), and its sequence number shows how far the others got.
// sender says whether the message may come from its sender at all.
func (r *Replica) deferFuture(m *Message, view, seq uint64, sender bool, body Signable) error {
	if len(r.future) < maxFutureMessages {
		r.future = append(r.future, *m)
	}
	if view <= r.view || !sender || (view <= r.aheadView[m.From] && seq <= r.highestSeen) {
		return nil
	}
	if err := r.ver.verify(m.From, body); err != nil {
		return err
	}
	r.aheadView[m.From] = max(r.aheadView[m.From], view)
	r.seen(seq)
	r.joinLaterView()
	return nil
}

// joinLaterView applies the join rule: when f+1 other replicas are in, or
// ask for, views above this replica's, at least one correct replica is
// there, so this replica moves to the smallest such view (it then gets the
// view's NEW-VIEW from the replicas already in it). Without it, a replica
// left behind in an older view, with no request pending and, as that
// view's primary, no idle timer, would never follow.
func (r *Replica) joinLaterView() {
	others := make([]uint64, 0, r.n)
	for i := range r.latestVC {
		if v := max(r.latestVC[i], r.aheadView[i]); ReplicaID(i) != r.id && v > r.view {
			others = append(others, v)
		}
	}
	if len(others) < r.f+1 {
		return
	}
	slices.Sort(others)
	slices.Reverse(others)
	r.startViewChange(others[r.f], CauseFollow)
}

func (r *Replica) stepPrePrepare(from ReplicaID, pp *PrePrepare) error {
	if from != r.primary(pp.View) {
		return fmt.Errorf("pre-prepare for view %d from replica %d, which is not its primary", pp.View, from)
	}
	if pp.View < r.view {
		return r.noteOlderView(from, pp.Seq, pp)
	}
	if !r.inWindow(pp.Seq) {
		return r.noteAboveWindow(from, pp.Seq, pp)
	}
	if pp.batchDigest() != pp.BatchDigest {
		return fmt.Errorf("pre-prepare %d/%d: batch does not match its digest", pp.View, pp.Seq)
	}
	if err := r.ver.verify(from, pp); err != nil {
		return err
	}
	r.last.primaryHeard = r.now
	r.seen(pp.Seq)
	s := r.slotFor(pp.Seq)
	if s.pp != nil {
		if s.pp.BatchDigest != pp.BatchDigest {
			r.log.Warn("primary sent conflicting pre-prepares", "view", pp.View, "seq", pp.Seq)
		}
		return nil
	}
	s.pp = pp
	r.acceptPrePrepare(pp.Seq, s)
	return nil
}

// acceptPrePrepare runs the Verifier over a pre-prepared batch and, if it
// passes, prepares it.
func (r *Replica) acceptPrePrepare(seq uint64, s *slot) {
	for i := range s.pp.Batch.Requests {
		req := &s.pp.Batch.Requests[i]
		if p := r.pending[req.Client]; p != nil && p.req.Timestamp == req.Timestamp && bytes.Equal(p.req.Payload, req.Payload) {
			continue // this exact request was verified on receipt
		}
		if err := r.cfg.Verifier.VerifyRequest(req); err != nil {
			r.rejectBatch(seq, fmt.Errorf("request %d of client %q: %w", req.Timestamp, req.Client, err))
			return
		}
	}
	if !s.pp.Batch.IsNull() {
		switch err := r.cfg.Verifier.VerifyBatch(seq, &s.pp.Batch); {
		case errors.Is(err, ErrNotReady):
			if !s.waiting {
				s.waiting, s.waitSince = true, r.now
			}
			return
		case err != nil:
			r.rejectBatch(seq, err)
			return
		}
	}
	s.waiting, s.accepted = false, true
	r.markDirty(seq)
	r.sendPrepare(seq, s)
	r.tryPrepared(seq, s)
}

// sendPrepare signs and broadcasts this backup's prepare for the slot's
// pre-prepare, once, unless it sits out the view.
func (r *Replica) sendPrepare(seq uint64, s *slot) {
	if r.phase != phaseBackup || s.sentPrepare || !r.mayOrderIn(s.view) {
		return
	}
	r.broadcast(Message{Type: MsgPrepare, Prepare: r.ownPrepare(seq, s)})
}

// ownPrepare signs this replica's prepare for the slot's pre-prepare and
// records it in the slot as sent. The one place the replica's own prepare
// is built: when it is first sent, and again on a restart from the log
// (Ed25519 is deterministic, so it is the same prepare).
func (r *Replica) ownPrepare(seq uint64, s *slot) *Prepare {
	p := &Prepare{View: s.view, Seq: seq, BatchDigest: s.pp.BatchDigest, Replica: r.id}
	r.sign(p)
	s.prepares[r.id] = p
	s.sentPrepare = true
	return p
}

// ownCommit is ownPrepare's counterpart for the replica's commit.
func (r *Replica) ownCommit(seq uint64, s *slot) *Commit {
	c := &Commit{View: s.view, Seq: seq, BatchDigest: s.pp.BatchDigest, Replica: r.id}
	r.sign(c)
	s.commits[r.id] = c
	s.sentCommit = true
	return c
}

// ownsView reports whether the replica may order in its view: sign
// pre-prepares, prepares and commits. A replica restarted from its log sits
// out the view it was in: pre-prepares and prepares leave before their log
// write is synced (see Driver), so its log may have lost what it signed
// there, and signing again could contradict it. From the next view on, it
// signs only what its durable log is consistent with.
func (r *Replica) ownsView() bool {
	return !r.sitOut || r.cfg.Bug == BugNoSitOut || r.view != r.sitOutView || r.epoch != r.sitOutEpoch
}

// mayOrderIn reports whether the replica may sign a pre-prepare, prepare or
// commit of view v now: v is its view, it operates in it (it is not
// changing views: its vote for a later view promises nothing more in this
// one, and handling one message can start a view change half-way, as a
// deferred invalid batch does while a new view is entered), and it does not
// sit v out.
func (r *Replica) mayOrderIn(v uint64) bool {
	return v == r.view && r.phase.ordering() && r.ownsView()
}

func (r *Replica) retryVerify(seq uint64, s *slot) {
	if r.now-s.waitSince > uint64(r.cfg.NotReadyTicks) {
		r.rejectBatch(seq, fmt.Errorf("verifier still not ready after %d ticks", r.cfg.NotReadyTicks))
		return
	}
	r.acceptPrePrepare(seq, s)
}

// rejectBatch refuses the primary's batch: an honest primary never proposes
// an invalid one, so the replica asks for a new view.
func (r *Replica) rejectBatch(seq uint64, err error) {
	r.log.Warn("rejecting the primary's batch; starting view change", "view", r.view, "seq", seq, "err", err)
	if s := r.slots[seq]; s != nil && !s.accepted {
		s.pp, s.waiting = nil, false
	}
	r.startViewChange(r.view+1, CauseBadBatch)
}

// noteAboveWindow records a signed message for a sequence number above the
// high watermark: evidence that this replica is behind, which tickFetch acts
// on. The message itself cannot be used.
func (r *Replica) noteAboveWindow(from ReplicaID, seq uint64, m Signable) error {
	if seq <= r.high() || seq <= r.highestSeen {
		return nil
	}
	if err := r.ver.verify(from, m); err != nil {
		return err
	}
	r.seen(seq)
	return nil
}

// noteOlderView takes a signed message of an older view's primary only as
// evidence of how far that view got. The primary still orders batches when
// this replica moved on without a quorum (it was cut off, or alone in a
// view change): it then fetches what the others executed (state transfer
// works in any view) instead of waiting for them to change view too. The
// signature is checked only when the sequence number is news.
func (r *Replica) noteOlderView(from ReplicaID, seq uint64, m Signable) error {
	if seq <= r.highestSeen {
		return nil
	}
	if err := r.ver.verify(from, m); err != nil {
		return err
	}
	r.seen(seq)
	return nil
}

func (r *Replica) stepPrepare(from ReplicaID, p *Prepare) error {
	if p.View < r.view {
		return nil
	}
	if !r.inWindow(p.Seq) {
		return r.noteAboveWindow(from, p.Seq, p)
	}
	if from != p.Replica || from == r.primary(p.View) {
		return fmt.Errorf("prepare from replica %d claims replica %d or comes from the primary", from, p.Replica)
	}
	s := r.slotFor(p.Seq)
	if _, dup := s.prepares[from]; dup || s.prepared {
		// Past its quorum a prepare changes nothing: the certificate is
		// made, and the signature need not be checked.
		return nil
	}
	if err := r.ver.verify(from, p); err != nil {
		return err
	}
	r.seen(p.Seq)
	s.prepares[from] = p
	r.tryPrepared(p.Seq, s)
	return nil
}

func (r *Replica) tryPrepared(seq uint64, s *slot) {
	if s.pp == nil || !s.accepted || s.prepared {
		return
	}
	var matching []Prepare
	for i := 0; i < r.n; i++ {
		if p := s.prepares[ReplicaID(i)]; p != nil && p.BatchDigest == s.pp.BatchDigest {
			matching = append(matching, *p)
		}
	}
	if len(matching) < r.prepareQuorum() {
		return
	}
	s.prepared = true
	if old := r.certs[seq]; old == nil || old.PrePrepare.View <= s.view {
		r.certs[seq] = &PreparedCert{PrePrepare: *s.pp, Prepares: matching}
	}
	r.markDirty(seq)
	if !s.sentCommit && r.mayOrderIn(s.view) {
		r.broadcast(Message{Type: MsgCommit, Commit: r.ownCommit(seq, s)})
	}
	r.tryCommitted(seq, s)
}

func (r *Replica) stepCommit(from ReplicaID, c *Commit) error {
	if c.View < r.view {
		return nil
	}
	if !r.inWindow(c.Seq) {
		return r.noteAboveWindow(from, c.Seq, c)
	}
	if from != c.Replica {
		return fmt.Errorf("commit from replica %d claims replica %d", from, c.Replica)
	}
	s := r.slotFor(c.Seq)
	if _, dup := s.commits[from]; dup || s.committed {
		return nil
	}
	if err := r.ver.verify(from, c); err != nil {
		return err
	}
	r.seen(c.Seq)
	s.commits[from] = c
	r.tryCommitted(c.Seq, s)
	return nil
}

func (r *Replica) tryCommitted(seq uint64, s *slot) {
	if !s.prepared || s.committed {
		return
	}
	var matching []Commit
	for i := 0; i < r.n; i++ {
		if c := s.commits[ReplicaID(i)]; c != nil && c.BatchDigest == s.pp.BatchDigest {
			matching = append(matching, *c)
		}
	}
	if len(matching) < r.quorum() {
		return
	}
	s.committed = true
	if r.decided[seq] == nil {
		r.decided[seq] = &CommittedCert{PrePrepare: *s.pp, Commits: matching}
		r.markDirty(seq)
	}
	r.executeReady()
}

func (r *Replica) stepHeartbeat(from ReplicaID, hb *Heartbeat) error {
	if from != r.primary(hb.View) {
		return fmt.Errorf("heartbeat for view %d from replica %d, which is not its primary", hb.View, from)
	}
	if hb.View < r.view {
		return r.noteOlderView(from, hb.Seq, hb)
	}
	if err := r.ver.verify(from, hb); err != nil {
		return err
	}
	r.last.primaryHeard = r.now
	r.seen(hb.Seq)
	return nil
}

// executeReady executes decided batches in sequence order.
func (r *Replica) executeReady() {
	executed := false
	for r.lastExe >= r.low {
		cc := r.decided[r.lastExe+1]
		if cc == nil {
			break
		}
		r.execute(cc, false)
		executed = true
	}
	if executed {
		r.maybeEnterEpoch()
	}
	// An execution frees places in the primary's pipeline.
	if executed && r.cfg.MaxInflightBatches > 0 && r.phase == phasePrimary && !r.cutting {
		r.cutBatches(false)
	}
}

func (r *Replica) execute(cc *CommittedCert, replay bool) {
	pp := &cc.PrePrepare
	seq := pp.Seq
	reqs := pp.Batch.Requests
	// Each request's client record is looked up once (the maps are keyed
	// by strings, and a large batch made these lookups a tenth of a
	// replica's CPU): recs[i] for reqs[i], execRecs for executed, both in
	// the replica's kept room.
	room := r.execRecs
	if cap(room) < 2*len(reqs) {
		room = make([]*clientRecord, 2*len(reqs))
		if len(reqs) <= maxKeptRoom {
			r.execRecs = room
		}
	}
	room = room[:2*len(reqs)]
	defer clear(room)
	recs, execRecs := room[:len(reqs)], room[len(reqs):len(reqs)]
	var executed []Request
	for i := range reqs {
		req := &reqs[i]
		cr := r.clients[req.Client]
		if cr != nil && req.Timestamp <= cr.lastTs {
			recs[i] = cr
			continue
		}
		if cr == nil {
			cr = &clientRecord{pending: r.pending[req.Client]}
			r.clients[req.Client] = cr
		}
		recs[i] = cr
		if executed == nil {
			executed = make([]Request, 0, len(reqs)-i)
		}
		executed = append(executed, *req)
		execRecs = append(execRecs, cr)
		cr.lastTs = req.Timestamp // a later duplicate in this batch is skipped
	}
	results, digest := r.cfg.App.Apply(seq, pp.Batch.Context, executed)
	r.counters.BatchesExecuted++
	r.counters.RequestsExecuted += uint64(len(executed))
	if !replay {
		r.replies = slices.Grow(r.replies, len(executed))
	}
	for i, req := range executed {
		var res []byte
		if i < len(results) {
			res = results[i]
		}
		cr := execRecs[i]
		cr.lastResult, cr.lastView = res, r.view
		if !replay {
			r.replies = append(r.replies, Reply{Replica: r.id, View: r.view, Client: req.Client, Timestamp: req.Timestamp, Result: res})
		}
	}
	for i, req := range reqs {
		if len(r.pending) == 0 && len(r.inflight) == 0 {
			break
		}
		if p := recs[i].pending; p != nil && p.req.Timestamp <= recs[i].lastTs {
			if !replay {
				r.observeWait(p)
			}
			r.dropPending(req.Client, recs[i], p)
		}
		delete(r.inflight, req.key())
	}
	r.lastExe, r.lastDigest = seq, digest
	r.execd[seq] = pp.BatchDigest
	r.last.progress = r.now
	if !r.changingViews() {
		r.vcAttempts = 0 // its view works: the next view change starts with the base timeout
	}
	r.executed = append(r.executed, ExecutedBatch{
		Seq: seq, View: pp.View, Digest: pp.BatchDigest, Batch: &pp.Batch,
		Executed: executed, Results: results, StateDigest: digest, Replayed: replay,
	})
	r.checkReconfiguration()
	if seq%r.cfg.CheckpointInterval == 0 {
		r.takeCheckpoint(seq, digest)
	}
}

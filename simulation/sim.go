package simulation

import (
	"container/heap"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"maps"
	"slices"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/pebblestore"
	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/signing"
)

// Engine configurations a run can use (Options.Config).
const (
	// ConfigSmall uses short intervals (ReplicaConfig) so that checkpoints,
	// garbage collection and view changes happen within a short run.
	ConfigSmall = "small"
	// ConfigNode uses the validator node's own settings
	// (consensus.NodeTuning), with more traffic per run.
	ConfigNode = "node"
)

// Options configures one simulated run.
type Options struct {
	Seed     uint64
	Replicas int    // n (default 4)
	Faulty   int    // Byzantine replicas the scenario may use, at most f (default f)
	Scenario string // a name from Scenarios, or "all" to pick by seed (default "all")
	Bug      consensus.Bug
	// Config is ConfigSmall (default) or ConfigNode.
	Config string
	// Trace, when set, receives a human-readable line per event.
	Trace io.Writer
	// Pebble keeps each replica's write-ahead log in Pebble on a crashable
	// in-memory filesystem; a crash then also drops Pebble's unsynced
	// writes. By default the log is a consensus.MemoryStorage (replicas
	// the plan gives disk faults always use Pebble).
	Pebble bool
	// NewApp makes the application and verifier of each replica (again on
	// every restart: the engine restores it from the log). Nil uses KVApp.
	NewApp func(replica consensus.ReplicaID) (consensus.Application, consensus.Verifier)
	// NewPayload makes the payload of a client's request; it must pass the
	// application's Verifier. Nil uses KVApp's MAC-authenticated payloads.
	NewPayload func(client consensus.ClientID, ts uint64) []byte
	// ClientID names client i (an application may bind client IDs to
	// keys). Nil names them client-0, client-1, …
	ClientID func(i int) consensus.ClientID
	// BatchSize overrides the simulator's batch size (ReplicaConfig) when set.
	BatchSize int
	// NoSharedVerify makes every replica verify every signature itself
	// (benchmarks); by default the run memoises verification across replicas.
	NoSharedVerify bool
}

// Result is the outcome of one run.
type Result struct {
	Seed        uint64      `json:"seed"`
	Scenario    string      `json:"scenario"`
	Plan        string      `json:"plan"`
	Replicas    int         `json:"replicas"`
	Faulty      int         `json:"faulty"`
	Requests    int         `json:"requests"`  // client requests submitted (accomplices' excluded)
	Completed   int         `json:"completed"` // client requests accepted by their client
	Batches     int         `json:"batches"`   // sequence numbers committed
	ViewChanges uint64      `json:"view_changes"`
	Transfers   int         `json:"state_transfers"`
	Restarts    int         `json:"restarts"`
	Duplicates  int         `json:"duplicates_skipped"`
	Events      int         `json:"events"`
	VirtualMs   int64       `json:"virtual_ms"`
	HealMs      int64       `json:"heal_ms"`      // when the last fault ended
	ConvergedMs int64       `json:"converged_ms"` // when every honest replica held the same state, after the heal (-1: never)
	Violations  []Violation `json:"violations,omitempty"`
	TraceHash   string      `json:"trace_hash"`
}

// Timing of the simulated world, in virtual milliseconds.
const (
	tickMs        = 10
	clientRetry   = 30 // ticks
	livenessBound = 40_000
	// settleMs is how long a run goes on after the heal even when every
	// client is done, so that replicas that fell behind show whether they
	// catch up.
	settleMs       = 500
	maxEvents      = 3_000_000
	thinkTimeMaxMs = 30
	// longDelayMs bounds a delay "beyond every timeout": longer than the
	// request and view-change timeouts at their caps.
	longDelayMs = 15_000
	// leaveLingerMs is how long a replica that left the validator set
	// serves state transfer before it is stopped.
	leaveLingerMs = 2_000
)

// ReplicaConfig returns the engine settings the simulator uses by default:
// short intervals so that checkpoints, garbage collection and view changes
// happen within a short run.
func ReplicaConfig() consensus.Config {
	return consensus.Config{
		ChainID:                1337,
		CheckpointInterval:     4,
		WindowSize:             8,
		MaxBatchSize:           3,
		BatchDelayTicks:        1,
		HeartbeatTicks:         5,
		IdleTimeoutTicks:       30,
		RequestTimeoutTicks:    30,
		ViewChangeTimeoutTicks: 30,
		MaxTimeoutDoublings:    4,
		ResendTicks:            10,
		FetchTicks:             8,
		NotReadyTicks:          20,
	}
}

// NodeConfig returns the validator node's engine settings
// (consensus.NodeTuning) on the simulator's chain.
func NodeConfig() consensus.Config {
	c := consensus.NodeTuning()
	c.ChainID = ReplicaConfig().ChainID
	return c
}

type eventKind uint8

const (
	evDeliver eventKind = iota
	evRequest
	evReply
	evReplicaTick
	evClientTick
	evCrash
	evRestart
	evProcess // a replica's loop takes its queued events
	evLeave   // a replica that left the validator set is stopped
)

type event struct {
	at    int64
	order uint64
	kind  eventKind
	node  int // replica node index or client index
	msg   consensus.Message
	req   consensus.Request
	reply consensus.Reply
	link  *int       // the link's in-flight count (deliveries)
	crash *crashPlan // evCrash
}

type eventQueue []*event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].order < q[j].order
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(*event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// replicaCopy is one running copy of a replica (twins run two copies of
// one ID; every other replica runs one). It runs the replica as the
// validator node does: a consensus.Driver fed by a loop that takes one
// event, folds in the messages and requests queued behind it, and flushes
// one Ready, whose synced write takes the copy's syncMs of virtual time
// while new events queue up.
type replicaCopy struct {
	idx       int
	ident     int // the validator identity (key), whatever its replica ID in an epoch
	copy      int
	r         *consensus.Replica
	d         *consensus.Driver
	storage   consensus.Storage
	fs        *vfs.MemFS // Pebble only
	pebble    *pebblestore.Store
	up        bool
	broken    bool // refused to restart (a corrupt log): down for good
	behaviour Behaviour
	byz       *byzState

	inbox      []*event
	tickQueued bool
	// quiet is what the replica's last Ready promised (Driver.QuietTicks):
	// how many of the ticks after it do nothing, unless another event
	// comes first; the simulator checks each such tick.
	quiet      uint64
	processing bool  // an evProcess is scheduled
	clock      int64 // virtual time inside the current Ready's handling

	epoch   uint64 // the epoch it was started in (its log's, after a restart)
	joining bool   // started to join a running epoch, without its state
	leaving bool   // left the set: it is stopped after a while

	crash       *crashPlan // armed crash, if any
	recovering  bool       // crashInRecovery: crash again during recovery
	corruptNext bool       // diskCorrupt: corrupt a record before the restart
}

type simClient struct {
	idx        int
	id         consensus.ClientID
	c          *consensus.Client
	submitted  int
	nextAt     int64
	accomplice bool // colludes with a censoring replica: not checked
	afterHeal  bool // submitted a request after the heal
}

// maxRequestFactor bounds how many requests a client submits while the
// network is still faulty (a multiple of the plan's request count): the
// faults should meet traffic, but a run must stay short.
const maxRequestFactor = 3

// wants reports whether client c has more to submit now.
func (s *sim) wants(c *simClient) bool {
	if c.accomplice {
		return true
	}
	if c == s.admin {
		return s.adminDone < len(s.epochs)-1
	}
	if s.now >= s.heal && !c.afterHeal {
		return true // every client also submits after the last fault healed
	}
	return c.submitted < s.plan.requests || (s.now < s.plan.gst && c.submitted < maxRequestFactor*s.plan.requests)
}

// simEpoch is one validator epoch of a run: its members (identities, in
// replica order) and its address space (members, then the previous
// epoch's members that left).
type simEpoch struct {
	members []int
	addrs   []int
}

type sim struct {
	opts    Options
	n, f    int // of the first epoch
	ids     int // validator identities (keys) of the run
	epochs  []simEpoch
	plan    *plan
	heal    int64
	now     int64
	queue   eventQueue
	order   uint64
	net     *randsrc.Rand
	byzRng  *randsrc.Rand
	keys    []ed25519.PrivateKey
	pubs    []ed25519.PublicKey
	ckeys   *ClientKeys
	nodes   []*replicaCopy
	byID    [][]int // replica ID → node indexes
	clients []*simClient
	byName  map[consensus.ClientID]int
	// admin reconfigures the validator set (reconfiguration runs): it has
	// asked for epochs 1 … adminDone.
	admin     *simClient
	adminDone int
	twinOf    []int // endpoint → which twin copy hears it (twins only)
	links     map[[2]int]*int
	// equivocations are the conflicting pre-prepares of equivocating
	// primaries, shared with the Byzantine backups that back them.
	equivocations map[viewSeq]*equivocation
	chk           *checker
	trace         hash.Hash
	res           Result
	// verified memoises signature checks across the run's replicas: every
	// replica that receives a broadcast checks the same (key, digest,
	// signature) triple, and the answer cannot differ.
	verified map[sigTriple]error
}

type sigTriple struct {
	pub    string
	digest common.Hash
	sig    string
}

func (s *sim) verifySignature(key *signing.NodeVerifyKey, digest common.Hash, sig []byte) error {
	k := sigTriple{string(key.Public()), digest, string(sig)}
	if err, ok := s.verified[k]; ok {
		return err
	}
	err := key.VerifyDigest(digest, sig)
	s.verified[k] = err
	return err
}

// Run executes one seeded run and checks its invariants. The same options
// give the same Result, trace hash included.
func Run(opts Options) (*Result, error) {
	if opts.Replicas == 0 {
		opts.Replicas = 4
	}
	n := opts.Replicas
	if n < 4 {
		return nil, fmt.Errorf("%d replicas: PBFT needs at least 4", n)
	}
	f := quorum.Faulty(n)
	if opts.Faulty < 0 || opts.Faulty > f {
		return nil, fmt.Errorf("%d Byzantine replicas requested; with %d replicas at most %d are tolerated", opts.Faulty, n, f)
	}
	switch opts.Config {
	case "":
		opts.Config = ConfigSmall
	case ConfigSmall, ConfigNode:
	default:
		return nil, fmt.Errorf("unknown engine configuration %q: use %s or %s", opts.Config, ConfigSmall, ConfigNode)
	}
	if opts.Scenario == "" || opts.Scenario == "all" {
		opts.Scenario = Scenarios[opts.Seed%uint64(len(Scenarios))]
	}
	p, err := makePlan(opts.Scenario, opts.Config, n, opts.Faulty, randsrc.Derive(opts.Seed, "plan"))
	if err != nil {
		return nil, err
	}
	if len(p.byz)+p.down() > f {
		return nil, fmt.Errorf("plan %q has %d Byzantine and %d broken replicas; %d replicas tolerate %d", p.name, len(p.byz), p.down(), n, f)
	}
	if opts.NewApp != nil {
		// Only the KV store carries the admin's validator-set changes, so
		// the first set stays, and faults of identities outside it go.
		p.sets, p.reconfigAt = nil, nil
		p.crashes = slices.DeleteFunc(p.crashes, func(c crashPlan) bool { return int(c.replica) >= n })
		maps.DeleteFunc(p.byz, func(id consensus.ReplicaID, _ Behaviour) bool { return int(id) >= n })
	}
	return runPlan(opts, p)
}

func runPlan(opts Options, p *plan) (*Result, error) {
	n := opts.Replicas
	f := quorum.Faulty(n)
	s := &sim{
		opts:          opts,
		n:             n,
		f:             f,
		plan:          p,
		heal:          p.heal(),
		net:           randsrc.Derive(opts.Seed, "network"),
		byzRng:        randsrc.Derive(opts.Seed, "byzantine"),
		ckeys:         &ClientKeys{seed: opts.Seed},
		chk:           newChecker(p.identities(n), p.byz),
		trace:         sha256.New(),
		links:         make(map[[2]int]*int),
		equivocations: make(map[viewSeq]*equivocation),
	}
	if !opts.NoSharedVerify {
		s.verified = make(map[sigTriple]error)
	}
	s.res = Result{Seed: opts.Seed, Scenario: p.name, Plan: p.describe(), Replicas: n, Faulty: len(p.byz), HealMs: s.heal, ConvergedMs: -1}
	if err := s.setup(); err != nil {
		return nil, err
	}
	s.loop()
	s.finish()
	// Pebble logs still open at the end hold their goroutines and caches
	// (outside Go's heap): a swarm of 20,000 runs grew by a megabyte a run.
	for _, nd := range s.nodes {
		if nd.pebble != nil {
			_ = nd.pebble.Close()
			nd.pebble = nil
		}
	}
	// A copy: a pointer into s would keep the whole simulated world alive
	// for as long as the caller keeps the result (RunSeeds keeps them all;
	// 20,000 runs at n = 7 grew to 20 GB).
	res := s.res
	return &res, nil
}

func (s *sim) setup() error {
	s.ids = s.plan.identities(s.n)
	for e, members := range s.plan.epochSets(s.n) {
		ep := simEpoch{members: members, addrs: slices.Clone(members)}
		if e > 0 {
			for _, m := range s.epochs[e-1].members {
				if !slices.Contains(members, m) {
					ep.addrs = append(ep.addrs, m)
				}
			}
		}
		s.epochs = append(s.epochs, ep)
	}
	s.keys = make([]ed25519.PrivateKey, s.ids)
	s.pubs = make([]ed25519.PublicKey, s.ids)
	for i := range s.keys {
		var seed [32]byte
		binary.LittleEndian.PutUint64(seed[:], s.opts.Seed)
		binary.LittleEndian.PutUint64(seed[8:], uint64(i))
		copy(seed[16:], "sim-replica-key!")
		s.keys[i] = ed25519.NewKeyFromSeed(seed[:])
		s.pubs[i] = s.keys[i].Public().(ed25519.PublicKey)
	}
	diskFaults := make(map[consensus.ReplicaID]bool)
	for _, c := range s.plan.crashes {
		if c.kind == diskCorrupt {
			diskFaults[c.replica] = true
		}
	}
	s.byID = make([][]int, s.ids)
	// Twins: each endpoint (validator identities, then clients) is heard by
	// one copy. The same halves decide which batch an equivocating primary
	// shows.
	s.twinOf = make([]int, s.ids+s.plan.clients+2)
	for i := range s.twinOf {
		s.twinOf[i] = s.net.IntN(2)
	}
	for _, ident := range s.epochs[0].members {
		if err := s.addNodes(ident, 0, false, diskFaults[consensus.ReplicaID(ident)]); err != nil {
			return err
		}
	}
	for i := 0; i < s.plan.clients; i++ {
		s.addClient(false)
	}
	if s.plan.accomplice() {
		s.addClient(true)
	}
	if len(s.epochs) > 1 {
		s.admin = s.addClient(false)
		s.admin.nextAt = s.plan.reconfigAt[0]
	}
	for i := range s.plan.crashes {
		// By identity: a replica that joins later may not run yet.
		c := &s.plan.crashes[i]
		s.schedule(&event{at: c.at, kind: evCrash, node: -1, crash: c})
		s.schedule(&event{at: c.resume, kind: evRestart, node: -1, crash: c})
	}
	return nil
}

// addNodes starts validator identity ident in epoch (twins get two copies):
// a member of the first epoch, or one that joins a later one.
func (s *sim) addNodes(ident int, epoch uint64, joining, pebble bool) error {
	copies := 1
	if s.plan.byz[consensus.ReplicaID(ident)] == Twins {
		copies = 2
	}
	for c := 0; c < copies; c++ {
		nd := &replicaCopy{idx: len(s.nodes), ident: ident, copy: c, epoch: epoch, joining: joining, storage: consensus.NewMemoryStorage(), behaviour: s.plan.byz[consensus.ReplicaID(ident)]}
		if s.opts.Pebble || pebble {
			nd.fs = vfs.NewCrashableMem()
		}
		if nd.behaviour != "" {
			nd.byz = newByzState()
		}
		s.nodes = append(s.nodes, nd)
		if err := s.start(nd); err != nil {
			return err
		}
		s.byID[ident] = append(s.byID[ident], nd.idx)
		s.schedule(&event{at: s.now + 1 + s.net.Int64N(tickMs), kind: evReplicaTick, node: nd.idx})
	}
	return nil
}

func (s *sim) addClient(accomplice bool) *simClient {
	i := len(s.clients)
	id := consensus.ClientID(fmt.Sprintf("client-%d", i))
	if s.opts.ClientID != nil {
		id = s.opts.ClientID(i)
	}
	if len(s.epochs) > 1 && !accomplice && i == s.plan.clients+btoi(s.plan.accomplice()) {
		id = AdminClient
	}
	if s.byName == nil {
		s.byName = make(map[consensus.ClientID]int)
	}
	s.byName[id] = i
	// Replies are counted per validator identity, across epochs: a client
	// needs one more than the faulty identities there may be in the run.
	c := &simClient{idx: i, id: id, c: consensus.NewClientTolerating(id, s.ids, s.maxFaulty(), 0, clientRetry), nextAt: s.net.Int64N(50), accomplice: accomplice}
	s.clients = append(s.clients, c)
	s.schedule(&event{at: 1 + s.net.Int64N(tickMs), kind: evClientTick, node: i})
	return c
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maxFaulty bounds the faulty identities of the run: f of the first epoch
// (reconfiguration plans keep to it across all their epochs).
func (s *sim) maxFaulty() int { return quorum.Faulty(len(s.epochs[0].members)) }

// identOf returns the identity at address i of epoch, or -1.
func (s *sim) identOf(epoch uint64, i consensus.ReplicaID) int {
	if epoch >= uint64(len(s.epochs)) || int(i) >= len(s.epochs[epoch].addrs) {
		return -1
	}
	return s.epochs[epoch].addrs[i]
}

// indexOf returns ident's address in epoch, or -1.
func (s *sim) indexOf(epoch uint64, ident int) int {
	if epoch >= uint64(len(s.epochs)) {
		return -1
	}
	return slices.Index(s.epochs[epoch].addrs, ident)
}

func (s *sim) pubsOf(idents []int) []ed25519.PublicKey {
	out := make([]ed25519.PublicKey, len(idents))
	for i, id := range idents {
		out[i] = s.pubs[id]
	}
	return out
}

func (s *sim) config() consensus.Config {
	if s.opts.Config == ConfigNode {
		return NodeConfig()
	}
	return ReplicaConfig()
}

// start (re)creates a node's replica from its storage, with a fresh
// application restored by the engine from the log.
func (s *sim) start(nd *replicaCopy) (err error) {
	defer func() {
		if err != nil && nd.pebble != nil {
			// The replica does not run: its log is not held open.
			_ = nd.pebble.Close()
			nd.pebble = nil
		}
	}()
	cfg := s.config()
	cfg.Key = s.keys[nd.ident]
	if s.opts.NewApp != nil {
		cfg.App, cfg.Verifier = s.opts.NewApp(consensus.ReplicaID(nd.ident))
	} else {
		app := NewKVApp(s.ckeys)
		if len(s.epochs) > 1 {
			app.WithReconfiguration(s.pubs, 0, cfg.WindowSize+cfg.CheckpointInterval)
		}
		cfg.App, cfg.Verifier = app, app
	}
	cfg.Bug = s.opts.Bug
	if s.opts.Trace != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(s.opts.Trace, &slog.HandlerOptions{
			Level: slog.LevelDebug,
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Int64("ms", s.now) // virtual time, not the wall clock
				}
				return a
			},
		}))
	}
	if s.opts.BatchSize > 0 {
		cfg.MaxBatchSize = s.opts.BatchSize
	}
	if s.opts.Config != ConfigNode {
		// Seeds alternate between an unlimited pipeline and the adaptive
		// batching of the node (one or two batches in flight).
		cfg.MaxInflightBatches = int(s.opts.Seed % 3)
	}
	if nd.fs != nil {
		st, err := pebblestore.Open("wal", &pebble.Options{FS: nd.fs, Logger: silentPebble{}})
		if err != nil {
			return fmt.Errorf("replica %d: %w", nd.ident, err)
		}
		nd.pebble, nd.storage = st, st
	}
	if s.verified != nil {
		cfg.VerifySignature = s.verifySignature
	}
	st, err := nd.storage.Load()
	if err != nil {
		return fmt.Errorf("replica %d: %w", nd.ident, err)
	}
	if !st.IsEmpty() {
		s.chk.durable(consensus.ReplicaID(nd.ident), st)
		cfg.Restart = st
		nd.epoch = max(nd.epoch, st.HardState.Epoch)
	}
	members := s.epochs[nd.epoch].members
	id := slices.Index(members, nd.ident)
	if id < 0 {
		return errLeft
	}
	cfg.ID, cfg.Epoch, cfg.Validators = consensus.ReplicaID(id), nd.epoch, s.pubsOf(members)
	if nd.epoch > 0 {
		cfg.PrevValidators = s.pubsOf(s.epochs[nd.epoch-1].members)
	}
	cfg.Joining = nd.joining
	r, err := consensus.NewReplica(cfg)
	if err != nil {
		return fmt.Errorf("start replica %d: %w", nd.ident, err)
	}
	nd.r, nd.up = r, true
	nd.d = consensus.NewDriver(r, simShell{s, nd})
	nd.inbox, nd.tickQueued, nd.processing = nil, false, false
	nd.clock = s.now
	s.flush(nd)
	return nil
}

func (s *sim) schedule(e *event) {
	s.order++
	e.order = s.order
	heap.Push(&s.queue, e)
}

func (s *sim) traceEvent(kind byte, a, b uint64, c uint64) {
	var buf [33]byte
	buf[0] = kind
	binary.LittleEndian.PutUint64(buf[1:], uint64(s.now))
	binary.LittleEndian.PutUint64(buf[9:], a)
	binary.LittleEndian.PutUint64(buf[17:], b)
	binary.LittleEndian.PutUint64(buf[25:], c)
	s.trace.Write(buf[:])
}

func (s *sim) tracef(format string, args ...any) {
	if s.opts.Trace != nil {
		fmt.Fprintf(s.opts.Trace, "%7dms "+format+"\n", append([]any{s.now}, args...)...)
	}
}

// clientsDone reports whether every honest client submitted all it wanted
// and had each request committed.
func (s *sim) clientsDone() bool {
	for _, c := range s.clients {
		if c.accomplice {
			continue
		}
		if s.wants(c) {
			return false
		}
		if _, busy := c.c.Outstanding(); busy {
			return false
		}
	}
	return true
}

// converged reports whether every honest replica of the last epoch is in
// it and executed the same sequence number with the same state.
func (s *sim) converged() bool {
	var first *consensus.Status
	last := uint64(len(s.epochs) - 1)
	for _, nd := range s.nodes {
		if !s.chk.honest[nd.ident] || nd.broken || !slices.Contains(s.epochs[last].members, nd.ident) {
			continue
		}
		if nd.up && nd.r.Status().Epoch != last {
			return false
		}
		if !nd.up {
			return false
		}
		st := nd.r.Status()
		if first == nil {
			first = &st
		} else if st.LastExecuted != first.LastExecuted || st.StateDigest != first.StateDigest {
			return false
		}
	}
	return true
}

func (s *sim) loop() {
	deadline := s.heal + livenessBound
	for s.queue.Len() > 0 && s.res.Events < maxEvents {
		e := heap.Pop(&s.queue).(*event)
		if e.at > deadline {
			break
		}
		s.now = e.at
		s.res.Events++
		s.handle(e)
		if s.now >= s.heal+settleMs && s.clientsDone() && s.converged() {
			s.res.ConvergedMs = s.now
			break
		}
	}
}

func (s *sim) handle(e *event) {
	switch e.kind {
	case evReplicaTick:
		nd := s.nodes[e.node]
		if s.admin != nil && e.node == 0 && s.now/tickMs%100 == 0 {
			s.followEpochs() // the shells look at the chain now and then
		}
		// A replica's ticker drops ticks while its loop is busy, as
		// time.Ticker does.
		if nd.up && !nd.tickQueued {
			nd.tickQueued = true
			s.enqueue(nd, e)
		}
		s.schedule(&event{at: s.now + s.tickPeriod(nd.ident), kind: evReplicaTick, node: e.node})
	case evClientTick:
		s.clientTick(s.clients[e.node])
		s.schedule(&event{at: s.now + tickMs, kind: evClientTick, node: e.node})
	case evDeliver, evRequest:
		if e.link != nil {
			*e.link--
		}
		if nd := s.nodes[e.node]; nd.up {
			s.enqueue(nd, e)
		}
	case evProcess:
		s.process(s.nodes[e.node])
	case evReply:
		c := s.clients[e.node]
		s.traceEvent(3, e.reply.Timestamp, uint64(e.reply.Replica), uint64(e.node))
		if result, ok := c.c.Step(e.reply); ok {
			if !c.accomplice {
				s.res.Completed++
			}
			s.tracef("client %d: request %d done", c.idx, e.reply.Timestamp)
			c.nextAt = s.now + s.net.Int64N(thinkTimeMaxMs)
			if c == s.admin {
				s.adminResult(string(result))
			}
		}
	case evCrash:
		for _, ni := range s.byID[e.crash.replica] {
			if nd := s.nodes[ni]; nd.up {
				nd.crash = e.crash
				s.tracef("replica %d armed: %s", nd.ident, crashKindNames[e.crash.kind])
			}
		}
	case evRestart:
		if e.node >= 0 {
			s.restart(s.nodes[e.node])
			break
		}
		for _, ni := range s.byID[e.crash.replica] {
			s.restart(s.nodes[ni])
		}
	case evLeave:
		if nd := s.nodes[e.node]; nd.up && nd.leaving && !nd.r.Status().Member {
			s.tracef("replica %d stops: it left the validator set", nd.ident)
			s.crash(nd)
			nd.broken = true
		}
	}
}

// adminResult follows the admin's reconfiguration request: once the state
// decided the next epoch, the nodes that join it start (as a node does
// when the chain says it is a validator) and the admin moves on to the next
// change; a change decided too soon after the last one is asked again.
func (s *sim) adminResult(result string) {
	if result != "ok" {
		s.admin.nextAt = s.now + 300
		return
	}
	s.adminDone++
	s.followEpochs()
	if s.adminDone < len(s.plan.reconfigAt) {
		s.admin.nextAt = max(s.now, s.plan.reconfigAt[s.adminDone])
	}
}

// followEpochs is what a node's shell does when the chain names a new
// validator set (the admin's change, decided): a member of the latest
// epoch that runs no replica of it starts one that joins by state
// transfer; so does one whose replica left the set (it is an observer, or
// stopped) or fell more than an epoch behind (the replicas of the latest
// epoch serve only the checkpoint that closed the one before).
func (s *sim) followEpochs() {
	epoch := uint64(s.adminDone)
	for _, ident := range s.epochs[epoch].members {
		if len(s.byID[ident]) == 0 {
			s.tracef("validator identity %d joins epoch %d", ident, epoch)
			if err := s.addNodes(ident, epoch, true, false); err != nil {
				s.chk.fail("recovery", "identity %d cannot join epoch %d: %v", ident, epoch, err)
			}
			continue
		}
		for _, ni := range s.byID[ident] {
			nd := s.nodes[ni]
			if nd.broken && !nd.leaving {
				continue // refused its corrupt log: down for good
			}
			if nd.up {
				st := nd.r.Status()
				if st.Epoch >= epoch || (st.Member && st.Epoch+1 == epoch) {
					continue
				}
				s.crash(nd)
			} else if !nd.broken {
				continue // down for a planned restart
			}
			s.tracef("validator identity %d rejoins at epoch %d", ident, epoch)
			nd.broken, nd.leaving, nd.epoch, nd.joining = false, false, epoch, true
			if err := s.start(nd); err != nil {
				s.chk.fail("recovery", "identity %d cannot rejoin epoch %d: %v", ident, epoch, err)
			}
		}
	}
}

func (s *sim) tickPeriod(id int) int64 {
	if int(id) < len(s.plan.tickMs) {
		return s.plan.tickMs[id]
	}
	return tickMs
}

func (s *sim) syncCost(id int) int64 {
	if int(id) < len(s.plan.syncMs) {
		return s.plan.syncMs[id]
	}
	return 0
}

// enqueue puts an event in a replica's inbox and wakes its loop.
func (s *sim) enqueue(nd *replicaCopy, e *event) {
	nd.inbox = append(nd.inbox, e)
	if !nd.processing {
		nd.processing = true
		s.schedule(&event{at: max(s.now, nd.clock), kind: evProcess, node: nd.idx})
	}
}

// process is one turn of the replica's loop, as the node runs it: take one
// event, fold in the queued messages and requests behind it (not ticks:
// the node's ticker is not drained), flush one Ready.
func (s *sim) process(nd *replicaCopy) {
	nd.processing = false
	if !nd.up || len(nd.inbox) == 0 {
		return
	}
	nd.clock = s.now
	s.apply(nd, nd.inbox[0])
	rest := nd.inbox[1:]
	var kept []*event
	for i, e := range rest {
		if nd.d.Full() {
			kept = append(kept, rest[i:]...)
			break
		}
		if e.kind == evReplicaTick {
			kept = append(kept, e)
			continue
		}
		s.apply(nd, e)
	}
	nd.inbox = kept
	s.flush(nd)
	if nd.up && len(nd.inbox) > 0 {
		nd.processing = true
		s.schedule(&event{at: max(s.now, nd.clock), kind: evProcess, node: nd.idx})
	}
}

func (s *sim) apply(nd *replicaCopy, e *event) {
	switch e.kind {
	case evReplicaTick:
		nd.tickQueued = false
		if nd.quiet == 0 {
			nd.d.Tick()
			return
		}
		nd.quiet--
		before := nd.r.Status()
		nd.d.Tick()
		if nd.behaviour == "" && (nd.r.HasReady() || nd.r.Status() != before) {
			s.chk.fail("quiet", "replica %d acted on a tick it promised would do nothing", nd.ident)
		}
		return
	}
	nd.quiet = 0 // the promise held only for ticks alone
	switch e.kind {
	case evDeliver:
		s.traceEvent(1, uint64(e.msg.Type), uint64(e.msg.From), uint64(nd.idx))
		if nd.byz != nil {
			nd.byz.remember(e.msg)
		}
		if e.msg.Type == consensus.MsgStateResponse {
			s.res.Transfers++
		}
		if err := nd.d.Step(e.msg); err != nil {
			s.tracef("replica %d rejects %s from %d: %v", nd.ident, e.msg.Type, e.msg.From, err)
		}
	case evRequest:
		s.traceEvent(2, e.req.Timestamp, uint64(len(e.req.Client)), uint64(nd.idx))
		if nd.behaviour == Censor && s.censors(nd, e) {
			return
		}
		if err := nd.d.Propose(e.req); err != nil {
			s.tracef("replica %d refuses request: %v", nd.ident, err)
		}
	}
}

// errCrashed stops a driver whose replica crashed while saving.
var errCrashed = errors.New("crashed")

// errLeft is start's answer for a node whose log is from an epoch it is
// not a validator of: it left the set and does not come back.
var errLeft = errors.New("not a validator of its log's epoch any more")

// flush hands the replica's Ready to the world through its driver; a crash
// or a failed write stops the replica.
func (s *sim) flush(nd *replicaCopy) {
	if err := nd.d.Flush(); err != nil {
		s.tracef("replica %d stops: %v", nd.ident, err)
		s.crash(nd)
		return
	}
	if err := nd.r.CheckInvariants(); err != nil && nd.behaviour == "" {
		s.chk.fail("invariant", "replica %d: %v", nd.ident, err)
	}
	nd.quiet = nd.d.QuietTicks(maxQuietTicks)
}

// maxQuietTicks bounds the quiet ticks the simulator asks a replica to
// promise, and so checks (the validator's shell asks for at most 100).
const maxQuietTicks = 1000

// simShell connects one node's driver to the simulated world.
type simShell struct {
	s  *sim
	nd *replicaCopy
}

// Save injects the planned crashes and disk faults around the real write.
func (sh simShell) Save(u *consensus.Update, sync bool) error {
	s, nd := sh.s, sh.nd
	if c := nd.crash; c != nil && s.strikes(nd, c) {
		nd.crash = nil
		switch c.kind {
		case diskSaveError:
			s.tracef("replica %d: the log write fails", nd.ident)
			return errors.New("simulated disk error")
		case crashInRecovery:
			nd.recovering = true
		case diskCorrupt:
			nd.corruptNext = true
		}
		// Crash in the middle of handling this Ready: half the time before
		// the write was made, half the time after it (synced or not) but
		// before any message waiting for it left. How much of the unsynced
		// writes reached the disk, the crash decides.
		if s.byzRng.IntN(2) == 0 {
			if err := nd.storage.Save(u, sync); err != nil {
				s.chk.fail("recovery", "replica %d cannot save its log: %v", nd.ident, err)
			}
		}
		return errCrashed
	}
	if err := nd.storage.Save(u, sync); err != nil {
		s.chk.fail("recovery", "replica %d cannot save its log: %v", nd.ident, err)
		return err
	}
	if sync {
		nd.clock += s.syncCost(nd.ident)
	}
	return nil
}

// strikes reports whether an armed crash strikes in the Ready being saved.
func (s *sim) strikes(nd *replicaCopy, c *crashPlan) bool {
	if c.kind == crashInViewChange {
		return nd.r.Status().InViewChange
	}
	return true
}

func (sh simShell) Reply(replies []consensus.Reply) {
	s, nd := sh.s, sh.nd
	if nd.behaviour == Silent {
		return
	}
	for _, rep := range replies {
		ci := s.clientIndex(rep.Client)
		if ci < 0 {
			continue
		}
		// Clients count replies per validator identity, across epochs.
		rep.Replica = consensus.ReplicaID(nd.ident)
		s.transmit(nd.clock, nd.ident, s.ids+ci, nil, func(at int64) { s.schedule(&event{at: at, kind: evReply, node: ci, reply: rep}) })
	}
}

func (sh simShell) Send(msgs []consensus.Message) {
	for _, m := range msgs {
		sh.s.sendMessage(sh.nd, m)
	}
}

func (sh simShell) Executed(batches []consensus.ExecutedBatch, stable []consensus.StableCheckpoint) {
	s, nd := sh.s, sh.nd
	id := consensus.ReplicaID(nd.ident)
	for _, b := range batches {
		if nd.copy == 0 {
			s.chk.committed(id, b)
		}
		if s.chk.honest[nd.ident] {
			s.traceEvent(5, b.Seq, uint64(nd.ident), binary.LittleEndian.Uint64(b.Digest[:8]))
		}
	}
	for _, sc := range stable {
		s.chk.stable(id, sc)
	}
	if st := nd.r.Status(); !st.Member && !nd.leaving {
		// It left the validator set: it serves state transfer for a while,
		// then its operator stops it.
		nd.leaving = true
		s.tracef("replica %d left the validator set in epoch %d", nd.ident, st.Epoch)
		s.schedule(&event{at: s.now + leaveLingerMs, kind: evLeave, node: nd.idx})
	}
	if nd.recovering {
		// The replica is recovering from its restart (re-executing its
		// log, or taking state): crash it again now.
		nd.recovering = false
		nd.crash = &crashPlan{replica: consensus.ReplicaID(nd.ident), kind: crashTimed}
		s.schedule(&event{at: s.now + 50 + s.byzRng.Int64N(200), kind: evRestart, node: nd.idx})
	}
}

// crash stops a node. With Pebble, the filesystem keeps only what was
// synced, plus a seeded share of what was not (none of a log's: crashClone).
func (s *sim) crash(nd *replicaCopy) {
	nd.up, nd.crash = false, nil
	nd.inbox, nd.tickQueued, nd.processing = nil, false, false
	s.tracef("replica %d crashed", nd.ident)
	if mem, ok := nd.storage.(*consensus.MemoryStorage); ok {
		// The log's unsynced writes reach the disk up to a point.
		mem.Crash(s.byzRng.IntN(mem.Unsynced() + 1))
	}
	if nd.fs != nil {
		clone, err := crashClone(nd.fs, s.byzRng.Uint64())
		if err != nil {
			s.chk.fail("recovery", "replica %d: %v", nd.ident, err)
			clone = nd.fs
		}
		if nd.pebble != nil {
			_ = nd.pebble.Close()
			nd.pebble = nil
		}
		nd.fs = clone
	}
}

// restart brings a crashed node back from its log. A log corrupted at rest
// must be refused: the replica then stays down, one of the f faults.
func (s *sim) restart(nd *replicaCopy) {
	if nd.broken {
		return
	}
	if nd.up {
		c := nd.crash
		if c == nil || c.kind == crashInViewChange || c.kind == diskSaveError {
			// The planned fault never struck (no Ready saved in a view
			// change, say): nothing to restart.
			nd.crash = nil
			return
		}
		// No Ready since the crash was armed: crash now.
		nd.recovering = c.kind == crashInRecovery
		nd.corruptNext = c.kind == diskCorrupt
		s.crash(nd)
	}
	corrupted := false
	if nd.corruptNext {
		nd.corruptNext = false
		corrupted = s.corruptRecord(nd)
	}
	s.traceEvent(4, uint64(nd.ident), 0, 0)
	s.res.Restarts++
	s.tracef("replica %d restarts from its log", nd.ident)
	err := s.start(nd)
	switch {
	case errors.Is(err, errLeft):
		s.tracef("replica %d stays down: it left the validator set", nd.ident)
		nd.broken, nd.up = true, false
	case corrupted && err == nil:
		s.chk.fail("recovery", "replica %d restarted from a log with a corrupted record", nd.ident)
	case corrupted:
		s.tracef("replica %d refuses its corrupt log: %v", nd.ident, err)
		nd.broken, nd.up = true, false
		if nd.pebble != nil {
			_ = nd.pebble.Close()
			nd.pebble = nil
		}
	case err != nil:
		s.chk.fail("recovery", "replica %d cannot restart from its log: %v", nd.ident, err)
	}
}

// corruptRecord flips one byte of one record of a crashed node's Pebble
// log, as bit rot would. It reports whether there was a record to corrupt.
func (s *sim) corruptRecord(nd *replicaCopy) bool {
	if nd.fs == nil {
		return false
	}
	db, err := pebble.Open("wal", &pebble.Options{FS: nd.fs, Logger: silentPebble{}})
	if err != nil {
		s.chk.fail("recovery", "replica %d: open its log to corrupt it: %v", nd.ident, err)
		return false
	}
	defer db.Close()
	it, err := db.NewIter(nil)
	if err != nil {
		return false
	}
	type record struct{ k, v []byte }
	var recs []record
	for it.First(); it.Valid(); it.Next() {
		recs = append(recs, record{append([]byte(nil), it.Key()...), append([]byte(nil), it.Value()...)})
	}
	_ = it.Close()
	if len(recs) == 0 {
		return false
	}
	rec := recs[s.byzRng.IntN(len(recs))]
	if len(rec.v) == 0 {
		return false
	}
	rec.v[s.byzRng.IntN(len(rec.v))] ^= byte(1 << s.byzRng.IntN(8))
	if err := db.Set(rec.k, rec.v, pebble.Sync); err != nil {
		return false
	}
	s.tracef("replica %d: corrupted log record %x", nd.ident, rec.k)
	return true
}

// silentPebble drops Pebble's informational logs; the simulator's checkers
// report what matters.
type silentPebble struct{}

func (silentPebble) Infof(string, ...any)           {}
func (silentPebble) Errorf(string, ...any)          {}
func (silentPebble) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }

func (s *sim) clientTick(c *simClient) {
	if req, ok := c.c.Tick(); ok {
		s.sendRequest(c, req)
		return
	}
	if _, busy := c.c.Outstanding(); busy || !s.wants(c) || s.now < c.nextAt {
		return
	}
	id := c.id
	ts := c.c.NextTimestamp()
	var payload []byte
	switch {
	case c == s.admin:
		payload = s.ckeys.Authenticate(id, ts, ReconfigPayload(s.epochs[s.adminDone+1].members))
		s.tracef("admin asks for epoch %d: validators %v", s.adminDone+1, s.epochs[s.adminDone+1].members)
	case s.opts.NewPayload != nil:
		payload = s.opts.NewPayload(id, ts)
	default:
		payload = s.ckeys.Authenticate(id, ts, []byte(fmt.Sprintf("value-%d-%d", c.idx, ts)))
	}
	req, err := c.c.Submit(payload)
	if err != nil {
		return
	}
	c.submitted++
	c.afterHeal = c.afterHeal || s.now >= s.heal
	if !c.accomplice {
		s.res.Requests++
	}
	s.chk.submit(req)
	s.tracef("client %d submits %d", c.idx, req.Timestamp)
	s.sendRequest(c, req)
}

func (s *sim) sendRequest(c *simClient, req consensus.Request) {
	from := s.ids + c.idx
	for id := 0; id < s.ids; id++ {
		for _, ni := range s.byID[id] {
			if len(s.byID[id]) > 1 && s.nodes[ni].copy != s.twinOf[from] {
				continue
			}
			s.transmit(s.now, from, id, nil, func(at int64) { s.schedule(&event{at: at, kind: evRequest, node: ni, req: req}) })
		}
	}
}

func (s *sim) clientIndex(id consensus.ClientID) int {
	if i, ok := s.byName[id]; ok {
		return i
	}
	return -1
}

func (s *sim) sendMessage(nd *replicaCopy, m consensus.Message) {
	out := []consensus.Message{m}
	if nd.byz != nil {
		out = s.misbehave(nd, m)
	} else {
		s.chk.sentMessage(consensus.ReplicaID(nd.ident), &m)
	}
	for _, o := range out {
		// The transport authenticates the sender: its address in the
		// message's epoch is the identity's, whatever it claims.
		from := s.indexOf(o.Epoch, nd.ident)
		to := s.identOf(o.Epoch, o.To)
		if from < 0 || to < 0 {
			continue
		}
		o.From = consensus.ReplicaID(from)
		link := s.link(nd.ident, to)
		if *link >= s.plan.outboxOrDefault() {
			// The sender's queue to that peer is full: the node drops.
			continue
		}
		for _, ni := range s.byID[to] {
			if len(s.byID[to]) > 1 && s.nodes[ni].copy != s.twinOf[nd.ident] {
				continue
			}
			s.transmit(nd.clock, nd.ident, to, link, func(at int64) { s.schedule(&event{at: at, kind: evDeliver, node: ni, msg: o, link: link}) })
		}
	}
}

func (p *plan) outboxOrDefault() int {
	if p.outbox <= 0 {
		return 4096
	}
	return p.outbox
}

func (s *sim) link(from, to int) *int {
	k := [2]int{from, to}
	l := s.links[k]
	if l == nil {
		l = new(int)
		s.links[k] = l
	}
	return l
}

// transmit applies the network model to one message sent at virtual time
// sent from endpoint from to endpoint to (replicas are 0…n-1, clients
// follow) and schedules its delivery (maybe twice, maybe never). link, when
// set, counts the messages in flight on a replica-to-replica link.
func (s *sim) transmit(sent int64, from, to int, link *int, deliver func(at int64)) {
	if sent < s.plan.gst {
		for _, p := range s.plan.parts {
			if sent >= p.start && sent < p.end && s.cut(p, from, to) {
				return
			}
		}
		if s.plan.loss > 0 && s.net.Float64() < s.plan.loss {
			return
		}
	}
	copies := 1
	if sent < s.plan.gst && s.plan.dup > 0 && s.net.Float64() < s.plan.dup {
		copies = 2
	}
	for i := 0; i < copies; i++ {
		d := s.plan.delayLo + s.net.Int64N(s.plan.delayHi-s.plan.delayLo+1)
		if sent < s.plan.gst && s.plan.reorder > 0 && s.net.Float64() < s.plan.reorder {
			d += s.net.Int64N(100)
		}
		if sent < s.plan.gst && s.plan.longDelay > 0 && s.net.Float64() < s.plan.longDelay {
			d += longDelayMs/4 + s.net.Int64N(longDelayMs)
		}
		if link != nil {
			*link++
		}
		deliver(sent + d)
	}
}

// cut reports whether partition p blocks from → to. Clients sit on the
// majority side.
func (s *sim) cut(p partition, from, to int) bool {
	side := func(e int) bool { return e < len(p.side) && p.side[e] }
	switch p.kind {
	case asymmetric:
		return side(to) && !side(from)
	case nonTransitive:
		return from < len(p.links) && to < len(p.links) && p.links[from][to]
	default:
		return side(from) != side(to)
	}
}

func (s *sim) finish() {
	s.res.VirtualMs = s.now
	s.res.Batches = len(s.chk.commits)
	for _, nd := range s.nodes {
		if s.chk.honest[nd.ident] && nd.up {
			s.res.ViewChanges = max(s.res.ViewChanges, nd.r.Status().View)
		}
	}
	if s.res.Completed < s.res.Requests || !s.clientsDone() {
		for _, c := range s.clients {
			if req, busy := c.c.Outstanding(); busy && !c.accomplice {
				s.chk.fail("liveness", "client %d: request %d not committed %dms after the last fault ended at %dms", c.idx, req.Timestamp, s.now-s.heal, s.heal)
				break
			}
		}
	}
	if s.res.ConvergedMs < 0 && len(s.chk.violations) == 0 {
		var states []string
		last := uint64(len(s.epochs) - 1)
		for _, nd := range s.nodes {
			if !s.chk.honest[nd.ident] || nd.broken || !slices.Contains(s.epochs[last].members, nd.ident) {
				continue
			}
			if !nd.up {
				states = append(states, fmt.Sprintf("%d: down", nd.ident))
				continue
			}
			st := nd.r.Status()
			states = append(states, fmt.Sprintf("%d: epoch %d seq %d state %s view %d", nd.ident, st.Epoch, st.LastExecuted, st.StateDigest.Short(), st.View))
		}
		s.chk.fail("convergence", "honest replicas still differ %dms after the last fault ended at %dms: %v", s.now-s.heal, s.heal, states)
	}
	for _, nd := range s.nodes {
		if nd.up {
			st := nd.r.Status()
			s.tracef("final: replica %d copy %d: view %d in-view-change %v low %d executed %d pending %d", nd.ident, nd.copy, st.View, st.InViewChange, st.LowWater, st.LastExecuted, st.Pending)
		} else {
			s.tracef("final: replica %d copy %d: down", nd.ident, nd.copy)
		}
	}
	s.res.Duplicates = s.chk.duplicates
	s.res.Violations = s.chk.violations
	s.res.TraceHash = fmt.Sprintf("%x", s.trace.Sum(nil))
}

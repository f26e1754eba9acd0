package simulation

import (
	"container/heap"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
	"log/slog"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/pebblestore"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/signing"
)

// Options configures one simulated run.
type Options struct {
	Seed     uint64
	Replicas int    // n (default 4)
	Faulty   int    // Byzantine replicas the scenario may use, at most f (default f)
	Scenario string // a name from Scenarios, or "all" to pick by seed (default "all")
	Bug      consensus.Bug
	// Trace, when set, receives a human-readable line per event.
	Trace io.Writer
	// Pebble keeps each replica's write-ahead log in Pebble on a crashable
	// in-memory filesystem; a crash then also drops Pebble's unsynced
	// writes. By default the log is a consensus.MemoryStorage.
	Pebble bool
	// NewApp makes the application and verifier of each replica (again on
	// every restart: the engine restores it from the log). Nil uses KVApp.
	NewApp func(replica consensus.ReplicaID) (consensus.Application, consensus.Verifier)
	// NewPayload makes the payload of a client's request; it must pass the
	// application's Verifier. Nil uses KVApp's MAC-authenticated payloads.
	NewPayload func(client consensus.ClientID, ts uint64) []byte
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
	Requests    int         `json:"requests"`  // client requests submitted
	Completed   int         `json:"completed"` // client requests accepted by their client
	Batches     int         `json:"batches"`   // sequence numbers committed
	ViewChanges uint64      `json:"view_changes"`
	Transfers   int         `json:"state_transfers"`
	Restarts    int         `json:"restarts"`
	Duplicates  int         `json:"duplicates_skipped"`
	Events      int         `json:"events"`
	VirtualMs   int64       `json:"virtual_ms"`
	Violations  []Violation `json:"violations,omitempty"`
	TraceHash   string      `json:"trace_hash"`
}

// Timing of the simulated world, in virtual milliseconds.
const (
	tickMs         = 10
	clientRetry    = 30 // ticks
	livenessBound  = 40_000
	maxEvents      = 3_000_000
	thinkTimeMaxMs = 30
)

// ReplicaConfig returns the engine settings the simulator uses: short
// intervals so that checkpoints, garbage collection and view changes happen
// within a short run.
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

type eventKind uint8

const (
	evDeliver eventKind = iota
	evRequest
	evReply
	evReplicaTick
	evClientTick
	evCrash
	evRestart
)

type event struct {
	at    int64
	order uint64
	kind  eventKind
	node  int // replica node index or client index
	msg   consensus.Message
	req   consensus.Request
	reply consensus.Reply
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

// node is one running copy of a replica (twins run two copies of one ID).
type node struct {
	id        consensus.ReplicaID
	copy      int
	r         *consensus.Replica
	storage   consensus.Storage
	fs        *vfs.MemFS // Pebble only
	pebble    *pebblestore.Store
	up        bool
	behaviour Behaviour
	byz       *byzState
	crashNext bool // crash while handling the next Ready
}

type simClient struct {
	idx       int
	c         *consensus.Client
	submitted int
	nextAt    int64
}

// maxRequestFactor bounds how many requests a client submits while the
// network is still faulty (a multiple of the plan's request count): the
// faults should meet traffic, but a run must stay short.
const maxRequestFactor = 3

// wants reports whether client c has more to submit now.
func (s *sim) wants(c *simClient) bool {
	return c.submitted < s.plan.requests || (s.now < s.plan.gst && c.submitted < maxRequestFactor*s.plan.requests)
}

type sim struct {
	opts    Options
	n, f    int
	plan    *plan
	now     int64
	queue   eventQueue
	order   uint64
	net     *randsrc.Rand
	byzRng  *randsrc.Rand
	keys    []ed25519.PrivateKey
	pubs    []ed25519.PublicKey
	ckeys   *ClientKeys
	nodes   []*node
	byID    [][]int // replica ID → node indexes
	clients []*simClient
	twinOf  []int // endpoint → which twin copy hears it (twins only)
	chk     *checker
	trace   hash.Hash
	res     Result
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

func (s *sim) verifySignature(pub ed25519.PublicKey, digest common.Hash, sig []byte) error {
	k := sigTriple{string(pub), digest, string(sig)}
	if err, ok := s.verified[k]; ok {
		return err
	}
	err := signing.VerifyNodeDigest(pub, digest, sig)
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
	f := (n - 1) / 3
	if opts.Faulty < 0 || opts.Faulty > f {
		return nil, fmt.Errorf("%d Byzantine replicas requested; with %d replicas at most %d are tolerated", opts.Faulty, n, f)
	}
	if opts.Scenario == "" || opts.Scenario == "all" {
		opts.Scenario = Scenarios[opts.Seed%uint64(len(Scenarios))]
	}
	p, err := makePlan(opts.Scenario, n, opts.Faulty, randsrc.Derive(opts.Seed, "plan"))
	if err != nil {
		return nil, err
	}
	return runPlan(opts, p)
}

func runPlan(opts Options, p *plan) (*Result, error) {
	n := opts.Replicas
	f := (n - 1) / 3
	s := &sim{
		opts:   opts,
		n:      n,
		f:      f,
		plan:   p,
		net:    randsrc.Derive(opts.Seed, "network"),
		byzRng: randsrc.Derive(opts.Seed, "byzantine"),
		ckeys:  &ClientKeys{seed: opts.Seed},
		chk:    newChecker(n, p.byz),
		trace:  sha256.New(),
	}
	if !opts.NoSharedVerify {
		s.verified = make(map[sigTriple]error)
	}
	s.res = Result{Seed: opts.Seed, Scenario: p.name, Plan: p.describe(), Replicas: n, Faulty: len(p.byz)}
	if err := s.setup(); err != nil {
		return nil, err
	}
	s.loop()
	s.finish()
	return &s.res, nil
}

func (s *sim) setup() error {
	s.keys = make([]ed25519.PrivateKey, s.n)
	s.pubs = make([]ed25519.PublicKey, s.n)
	for i := range s.keys {
		var seed [32]byte
		binary.LittleEndian.PutUint64(seed[:], s.opts.Seed)
		binary.LittleEndian.PutUint64(seed[8:], uint64(i))
		copy(seed[16:], "sim-replica-key!")
		s.keys[i] = ed25519.NewKeyFromSeed(seed[:])
		s.pubs[i] = s.keys[i].Public().(ed25519.PublicKey)
	}
	s.byID = make([][]int, s.n)
	for i := 0; i < s.n; i++ {
		id := consensus.ReplicaID(i)
		copies := 1
		if s.plan.byz[id] == Twins {
			copies = 2
		}
		for c := 0; c < copies; c++ {
			nd := &node{id: id, copy: c, storage: consensus.NewMemoryStorage(), behaviour: s.plan.byz[id]}
			if s.opts.Pebble {
				nd.fs = vfs.NewCrashableMem()
			}
			if nd.behaviour != "" {
				nd.byz = newByzState()
			}
			if err := s.start(nd); err != nil {
				return err
			}
			s.byID[i] = append(s.byID[i], len(s.nodes))
			s.nodes = append(s.nodes, nd)
			s.schedule(&event{at: 1 + s.net.Int64N(tickMs), kind: evReplicaTick, node: len(s.nodes) - 1})
		}
	}
	// Twins: each endpoint (replicas, then clients) is heard by one copy.
	s.twinOf = make([]int, s.n+s.plan.clients)
	for i := range s.twinOf {
		s.twinOf[i] = s.net.IntN(2)
	}
	for i := 0; i < s.plan.clients; i++ {
		id := consensus.ClientID(fmt.Sprintf("client-%d", i))
		s.clients = append(s.clients, &simClient{idx: i, c: consensus.NewClient(id, s.n, 0, clientRetry), nextAt: s.net.Int64N(50)})
		s.schedule(&event{at: 1 + s.net.Int64N(tickMs), kind: evClientTick, node: i})
	}
	for _, c := range s.plan.crashes {
		for _, ni := range s.byID[c.replica] {
			s.schedule(&event{at: c.at, kind: evCrash, node: ni})
			s.schedule(&event{at: c.resume, kind: evRestart, node: ni})
		}
	}
	return nil
}

// start (re)creates a node's replica from its storage, with a fresh
// application restored by the engine from the log.
func (s *sim) start(nd *node) error {
	cfg := ReplicaConfig()
	cfg.ID = nd.id
	cfg.Validators = s.pubs
	cfg.Key = s.keys[nd.id]
	if s.opts.NewApp != nil {
		cfg.App, cfg.Verifier = s.opts.NewApp(nd.id)
	} else {
		app := NewKVApp(s.ckeys)
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
	// Seeds alternate between an unlimited pipeline and the adaptive
	// batching of the node (one or two batches in flight).
	cfg.MaxInflightBatches = int(s.opts.Seed % 3)
	if nd.fs != nil {
		st, err := pebblestore.Open("wal", &pebble.Options{FS: nd.fs, Logger: silentPebble{}})
		if err != nil {
			return fmt.Errorf("replica %d: %w", nd.id, err)
		}
		nd.pebble, nd.storage = st, st
	}
	if s.verified != nil {
		cfg.VerifySignature = s.verifySignature
	}
	st, err := nd.storage.Load()
	if err != nil {
		return err
	}
	if st.HardState.View > 0 || len(st.Entries) > 0 || st.Stable != nil || st.ViewChange != nil {
		cfg.Restart = st
	}
	r, err := consensus.NewReplica(cfg)
	if err != nil {
		return fmt.Errorf("start replica %d: %w", nd.id, err)
	}
	nd.r, nd.up = r, true
	s.drain(nd)
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

func (s *sim) done() bool {
	for _, c := range s.clients {
		if s.wants(c) {
			return false
		}
		if _, busy := c.c.Outstanding(); busy {
			return false
		}
	}
	return true
}

func (s *sim) loop() {
	deadline := s.plan.gst + livenessBound
	for s.queue.Len() > 0 && s.res.Events < maxEvents {
		e := heap.Pop(&s.queue).(*event)
		if e.at > deadline {
			break
		}
		s.now = e.at
		s.res.Events++
		s.handle(e)
		if s.done() {
			break
		}
	}
}

func (s *sim) handle(e *event) {
	switch e.kind {
	case evReplicaTick:
		nd := s.nodes[e.node]
		if nd.up {
			nd.r.Tick()
			s.drain(nd)
		}
		s.schedule(&event{at: s.now + tickMs, kind: evReplicaTick, node: e.node})
	case evClientTick:
		s.clientTick(s.clients[e.node])
		s.schedule(&event{at: s.now + tickMs, kind: evClientTick, node: e.node})
	case evDeliver:
		nd := s.nodes[e.node]
		if !nd.up {
			return
		}
		s.traceEvent(1, uint64(e.msg.Type), uint64(e.msg.From), uint64(e.node))
		if nd.byz != nil {
			nd.byz.remember(e.msg)
		}
		if e.msg.Type == consensus.MsgStateResponse {
			s.res.Transfers++
		}
		if err := nd.r.Step(e.msg); err != nil {
			s.tracef("replica %d rejects %s from %d: %v", nd.id, e.msg.Type, e.msg.From, err)
		}
		s.drain(nd)
	case evRequest:
		nd := s.nodes[e.node]
		if !nd.up {
			return
		}
		s.traceEvent(2, uint64(e.req.Timestamp), uint64(len(e.req.Client)), uint64(e.node))
		if err := nd.r.Propose(e.req); err != nil {
			s.tracef("replica %d refuses request: %v", nd.id, err)
		}
		s.drain(nd)
	case evReply:
		c := s.clients[e.node]
		s.traceEvent(3, e.reply.Timestamp, uint64(e.reply.Replica), uint64(e.node))
		if _, ok := c.c.Step(e.reply); ok {
			s.res.Completed++
			s.tracef("client %d: request %d done", c.idx, e.reply.Timestamp)
			c.nextAt = s.now + s.net.Int64N(thinkTimeMaxMs)
		}
	case evCrash:
		nd := s.nodes[e.node]
		if nd.up {
			nd.crashNext = true
			s.tracef("replica %d will crash while handling its next Ready", nd.id)
		}
	case evRestart:
		nd := s.nodes[e.node]
		if nd.up {
			// Never got to crash (no Ready in between): crash now.
			s.crash(nd)
		}
		s.traceEvent(4, uint64(nd.id), 0, 0)
		s.res.Restarts++
		s.tracef("replica %d restarts from its log", nd.id)
		nd.crashNext = false
		if err := s.start(nd); err != nil {
			s.chk.fail("recovery", "replica %d cannot restart from its log: %v", nd.id, err)
		}
	}
}

func (s *sim) clientTick(c *simClient) {
	if req, ok := c.c.Tick(); ok {
		s.sendRequest(c, req)
		return
	}
	if _, busy := c.c.Outstanding(); busy || !s.wants(c) || s.now < c.nextAt {
		return
	}
	id := consensus.ClientID(fmt.Sprintf("client-%d", c.idx))
	ts := c.c.NextTimestamp()
	var payload []byte
	if s.opts.NewPayload != nil {
		payload = s.opts.NewPayload(id, ts)
	} else {
		payload = s.ckeys.Authenticate(id, ts, []byte(fmt.Sprintf("value-%d-%d", c.idx, ts)))
	}
	req, err := c.c.Submit(payload)
	if err != nil {
		return
	}
	c.submitted++
	s.res.Requests++
	s.chk.submit(req)
	s.tracef("client %d submits %d", c.idx, req.Timestamp)
	s.sendRequest(c, req)
}

func (s *sim) sendRequest(c *simClient, req consensus.Request) {
	from := s.n + c.idx
	for id := 0; id < s.n; id++ {
		for _, ni := range s.byID[id] {
			if len(s.byID[id]) > 1 && s.nodes[ni].copy != s.twinOf[from] {
				continue
			}
			s.transmit(from, id, func(at int64) { s.schedule(&event{at: at, kind: evRequest, node: ni, req: req}) })
		}
	}
}

// drain hands a node's Ready to the world: persist, then send, then report.
func (s *sim) drain(nd *node) {
	for nd.up && nd.r.HasReady() {
		rd := nd.r.Ready()
		if nd.crashNext {
			// Crash in the middle of handling this Ready: half the time
			// before the write reached the disk (it is lost, as unsynced
			// writes are), half the time after it but before any message
			// left. Either way nothing of this Ready is sent.
			if s.byzRng.IntN(2) == 0 && rd.Persist != nil {
				_ = nd.storage.Save(rd.Persist)
			}
			s.crash(nd)
			return
		}
		if rd.Persist != nil {
			if err := nd.storage.Save(rd.Persist); err != nil {
				s.chk.fail("recovery", "replica %d cannot save its log: %v", nd.id, err)
			}
		}
		for _, m := range rd.Messages {
			s.sendMessage(nd, m)
		}
		if nd.behaviour != Silent {
			for _, rep := range rd.Replies {
				ci := s.clientIndex(rep.Client)
				if ci < 0 {
					continue
				}
				s.transmit(int(nd.id), s.n+ci, func(at int64) { s.schedule(&event{at: at, kind: evReply, node: ci, reply: rep}) })
			}
		}
		for _, b := range rd.Committed {
			if nd.copy == 0 {
				s.chk.committed(nd.id, b)
			}
			if s.chk.honest[nd.id] {
				s.traceEvent(5, b.Seq, uint64(nd.id), binary.LittleEndian.Uint64(b.Digest[:8]))
			}
		}
		for _, sc := range rd.NewStable {
			s.chk.stable(nd.id, sc)
		}
		nd.r.Advance()
	}
}

// crash stops a node. With Pebble, the filesystem keeps only what was
// synced, plus a seeded share of what was not.
func (s *sim) crash(nd *node) {
	nd.up, nd.crashNext = false, false
	s.tracef("replica %d crashed", nd.id)
	if nd.fs != nil {
		clone := nd.fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: s.byzRng.IntN(101), RNG: s.byzRng})
		_ = nd.pebble.Close()
		nd.fs = clone
	}
}

// silentPebble drops Pebble's informational logs; the simulator's checkers
// report what matters.
type silentPebble struct{}

func (silentPebble) Infof(string, ...any)           {}
func (silentPebble) Errorf(string, ...any)          {}
func (silentPebble) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }

func (s *sim) clientIndex(id consensus.ClientID) int {
	var i int
	if _, err := fmt.Sscanf(string(id), "client-%d", &i); err != nil || i < 0 || i >= len(s.clients) {
		return -1
	}
	return i
}

func (s *sim) sendMessage(nd *node, m consensus.Message) {
	out := []consensus.Message{m}
	if nd.byz != nil {
		out = s.misbehave(nd, m)
	} else {
		s.chk.sentMessage(nd.id, &m)
	}
	for _, o := range out {
		o.From = nd.id // the transport authenticates the sender
		to := int(o.To)
		for _, ni := range s.byID[to] {
			if len(s.byID[to]) > 1 && s.nodes[ni].copy != s.twinOf[nd.id] {
				continue
			}
			s.transmit(int(nd.id), to, func(at int64) { s.schedule(&event{at: at, kind: evDeliver, node: ni, msg: o}) })
		}
	}
}

// transmit applies the network model to one message from endpoint from to
// endpoint to (replicas are 0…n-1, clients follow) and schedules its
// delivery (maybe twice, maybe never).
func (s *sim) transmit(from, to int, deliver func(at int64)) {
	if s.now < s.plan.gst {
		for _, p := range s.plan.parts {
			if s.now >= p.start && s.now < p.end && s.cut(p, from, to) {
				return
			}
		}
		if s.plan.loss > 0 && s.net.Float64() < s.plan.loss {
			return
		}
	}
	copies := 1
	if s.now < s.plan.gst && s.plan.dup > 0 && s.net.Float64() < s.plan.dup {
		copies = 2
	}
	for i := 0; i < copies; i++ {
		d := s.plan.delayLo + s.net.Int64N(s.plan.delayHi-s.plan.delayLo+1)
		if s.now < s.plan.gst && s.plan.reorder > 0 && s.net.Float64() < s.plan.reorder {
			d += s.net.Int64N(100)
		}
		deliver(s.now + d)
	}
}

// cut reports whether partition p blocks from → to. Clients sit on the
// majority side.
func (s *sim) cut(p partition, from, to int) bool {
	side := func(e int) bool { return e < s.n && p.side[e] }
	switch p.kind {
	case asymmetric:
		return side(to) && !side(from)
	default:
		return side(from) != side(to)
	}
}

func (s *sim) finish() {
	s.res.VirtualMs = s.now
	s.res.Batches = len(s.chk.commits)
	for _, nd := range s.nodes {
		if s.chk.honest[nd.id] && nd.up {
			s.res.ViewChanges = max(s.res.ViewChanges, nd.r.Status().View)
		}
	}
	if s.res.Completed < s.res.Requests {
		for _, c := range s.clients {
			if req, busy := c.c.Outstanding(); busy {
				s.chk.fail("liveness", "client %d: request %d not committed %dms after the network healed at %dms", c.idx, req.Timestamp, livenessBound, s.plan.gst)
				break
			}
		}
	}
	for _, nd := range s.nodes {
		if nd.up {
			st := nd.r.Status()
			s.tracef("final: replica %d copy %d: view %d in-view-change %v low %d executed %d pending %d", nd.id, nd.copy, st.View, st.InViewChange, st.LowWater, st.LastExecuted, st.Pending)
		} else {
			s.tracef("final: replica %d copy %d: down", nd.id, nd.copy)
		}
	}
	s.res.Duplicates = s.chk.duplicates
	s.res.Violations = s.chk.violations
	s.res.TraceHash = fmt.Sprintf("%x", s.trace.Sum(nil))
}

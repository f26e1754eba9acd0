package consensus

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// testApp is a hash chain over executed requests; its snapshot is the
// chain head and count, so Restore can check the digest.
type testApp struct {
	head     Digest
	count    uint64
	notReady bool // VerifyBatch answers ErrNotReady
}

func (a *testApp) Apply(seq uint64, ctx []byte, reqs []Request) ([][]byte, Digest) {
	res := make([][]byte, len(reqs))
	for i, r := range reqs {
		a.count++
		h := sha256.New()
		h.Write(a.head[:])
		h.Write([]byte(r.Client))
		h.Write(binary.LittleEndian.AppendUint64(nil, r.Timestamp))
		h.Write(r.Payload)
		h.Sum(a.head[:0])
		res[i] = []byte(fmt.Sprintf("ok %s", r.Payload))
	}
	return res, a.digest()
}

func (a *testApp) digest() Digest {
	return sha256.Sum256(a.Snapshot())
}

func (a *testApp) Snapshot() []byte {
	return binary.LittleEndian.AppendUint64(append([]byte(nil), a.head[:]...), a.count)
}

func (a *testApp) Restore(snap []byte, d Digest) error {
	if sha256.Sum256(snap) != d || len(snap) != 40 {
		return errors.New("snapshot does not match")
	}
	copy(a.head[:], snap[:32])
	a.count = binary.LittleEndian.Uint64(snap[32:])
	return nil
}

func (a *testApp) VerifyRequest(r *Request) error {
	if string(r.Payload) == "bad" {
		return errors.New("bad request")
	}
	return nil
}

func (a *testApp) BatchContext(seq uint64, reqs []Request) []byte { return nil }

func (a *testApp) VerifyBatch(seq uint64, b *Batch) error {
	if a.notReady {
		return ErrNotReady
	}
	return nil
}

// cluster runs n replicas with a FIFO network the test controls.
type cluster struct {
	t         testing.TB
	n         int
	keys      []ed25519.PrivateKey
	pubs      []ed25519.PublicKey
	cfg       func(*Config)
	reps      []*Replica
	drivers   []*Driver
	apps      []*testApp
	stores    []*MemoryStorage
	writes    []syncCount // log writes per replica, and of them the synced
	down      []bool
	queue     []Message
	replies   []Reply
	committed [][]ExecutedBatch
	sent      []Message // every message any replica sent
	// drop, if set, discards messages it returns true for.
	drop func(m Message) bool
	// trace, if set, receives what each Ready does and what is dropped
	// (trace_test.go).
	trace *strings.Builder
}

func newCluster(t testing.TB, n int, cfg func(*Config)) *cluster {
	c := &cluster{t: t, n: n, cfg: cfg}
	for i := 0; i < n; i++ {
		seed := sha256.Sum256([]byte{byte(i)})
		c.keys = append(c.keys, ed25519.NewKeyFromSeed(seed[:]))
		c.pubs = append(c.pubs, c.keys[i].Public().(ed25519.PublicKey))
	}
	c.reps = make([]*Replica, n)
	c.drivers = make([]*Driver, n)
	c.apps = make([]*testApp, n)
	c.stores = make([]*MemoryStorage, n)
	c.writes = make([]syncCount, n)
	c.down = make([]bool, n)
	c.committed = make([][]ExecutedBatch, n)
	for i := 0; i < n; i++ {
		c.stores[i] = NewMemoryStorage()
		c.start(i, nil)
	}
	return c
}

func (c *cluster) config(i int) Config {
	app := &testApp{}
	c.apps[i] = app
	cfg := Config{
		ID: ReplicaID(i), Validators: c.pubs, Key: c.keys[i], ChainID: 7, App: app, Verifier: app,
		CheckpointInterval: 4, WindowSize: 8, MaxBatchSize: 4, BatchDelayTicks: -1,
	}
	if c.cfg != nil {
		c.cfg(&cfg)
	}
	return cfg
}

func (c *cluster) start(i int, restart *PersistentState) {
	cfg := c.config(i)
	cfg.Restart = restart
	r, err := NewReplica(cfg)
	if err != nil {
		c.t.Fatalf("replica %d: %v", i, err)
	}
	c.reps[i], c.down[i] = r, false
	c.drivers[i] = NewDriver(r, harnessShell{c, i})
	c.collect(i)
}

// crash stops replica i, as a machine crash would: its log keeps only its
// synced writes. restart brings it back from its storage.
func (c *cluster) crash(i int) {
	c.down[i] = true
	c.stores[i].Crash(0)
}

func (c *cluster) restart(i int) {
	st, err := c.stores[i].Load()
	if err != nil {
		c.t.Fatal(err)
	}
	c.start(i, st)
}

// collect hands replica i's Ready to the test network through its driver,
// as the node and the simulator do.
func (c *cluster) collect(i int) {
	if err := c.drivers[i].Flush(); err != nil {
		c.t.Fatal(err)
	}
	if err := c.reps[i].CheckInvariants(); err != nil {
		c.t.Fatalf("replica %d: %v", i, err)
	}
}

// harnessShell is the test network's side of replica i's driver.
type harnessShell struct {
	c *cluster
	i int
}

func (h harnessShell) Save(u *Update, sync bool) error {
	synced := ""
	h.c.writes[h.i].saves++
	if sync {
		synced = " (synced)"
		h.c.writes[h.i].syncs++
	}
	h.c.tracef("r%d persist%s: %s", h.i, synced, describeUpdate(u))
	return h.c.stores[h.i].Save(u, sync)
}
func (h harnessShell) Send(msgs []Message) {
	h.c.traceSend(h.i, msgs)
	h.c.queue = append(h.c.queue, msgs...)
	h.c.sent = append(h.c.sent, msgs...)
}
func (h harnessShell) Reply(replies []Reply) {
	for _, r := range replies {
		h.c.tracef("r%d reply %s/%d", h.i, r.Client, r.Timestamp)
	}
	h.c.replies = append(h.c.replies, replies...)
}
func (h harnessShell) Executed(batches []ExecutedBatch, stable []StableCheckpoint) {
	for _, b := range batches {
		h.c.tracef("r%d executed s%d %s", h.i, b.Seq, describeBatch(b.Batch))
	}
	for _, sc := range stable {
		h.c.tracef("r%d stable s%d", h.i, sc.Seq)
	}
	h.c.committed[h.i] = append(h.c.committed[h.i], batches...)
}

// deliver runs the network until no message is in flight. It returns the
// errors replicas reported.
func (c *cluster) deliver() []error {
	var errs []error
	for steps := 0; len(c.queue) > 0; steps++ {
		if steps > 100000 {
			c.t.Fatal("network does not quiesce")
		}
		m := c.queue[0]
		c.queue = c.queue[1:]
		if c.down[m.To] || c.down[m.From] || (c.drop != nil && c.drop(m)) {
			switch {
			case c.down[m.From]:
			case c.down[m.To]:
				c.tracef("lost r%d → r%d (down): %s", m.From, m.To, describeMessage(m))
			default:
				c.tracef("dropped r%d → r%d: %s", m.From, m.To, describeMessage(m))
			}
			continue
		}
		if err := c.reps[m.To].Step(m); err != nil {
			errs = append(errs, err)
		}
		c.collect(int(m.To))
	}
	return errs
}

func (c *cluster) propose(req Request, to ...int) {
	if len(to) == 0 {
		for i := 0; i < c.n; i++ {
			to = append(to, i)
		}
	}
	for _, i := range to {
		if c.down[i] {
			continue
		}
		if err := c.reps[i].Propose(req); err != nil {
			c.t.Fatalf("propose to %d: %v", i, err)
		}
		c.collect(i)
	}
}

// tick ticks every live replica k times, delivering after each round.
func (c *cluster) tick(k int) {
	for ; k > 0; k-- {
		for i := 0; i < c.n; i++ {
			if !c.down[i] {
				c.reps[i].Tick()
				c.collect(i)
			}
		}
		c.deliver()
	}
}

func (c *cluster) executed(i int) uint64 { return c.reps[i].Status().LastExecuted }

func req(client string, ts uint64, payload string) Request {
	return Request{Client: ClientID(client), Timestamp: ts, Payload: []byte(payload)}
}

// checkAgreement fails the test if two replicas executed different batches
// at one sequence number.
func (c *cluster) checkAgreement() {
	c.t.Helper()
	seen := map[uint64]Digest{}
	for i, bs := range c.committed {
		for _, b := range bs {
			if d, ok := seen[b.Seq]; ok && d != b.Digest {
				c.t.Fatalf("replica %d executed %s at %d, another replica %s", i, b.Digest.Short(), b.Seq, d.Short())
			}
			seen[b.Seq] = b.Digest
		}
	}
}

package simulation

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/enigma-mpc/enigma/consensus"
)

// Violation is one broken invariant.
type Violation struct {
	Kind   string `json:"kind"` // agreement, integrity, validity, state, equivocation, durability, liveness
	Detail string `json:"detail"`
}

func (v Violation) String() string { return v.Kind + ": " + v.Detail }

const maxViolations = 10

type commitRecord struct {
	batch, state consensus.Digest
	replica      consensus.ReplicaID
}

type reqID struct {
	client consensus.ClientID
	ts     uint64
}

type sentKey struct {
	replica consensus.ReplicaID
	typ     consensus.MsgType
	epoch   uint64
	view    uint64
	seq     uint64
}

// checker holds the invariants of a run. It only looks at what honest
// replicas did: a Byzantine replica may do anything.
type checker struct {
	honest     []bool
	commits    map[uint64]commitRecord
	executedAt map[reqID]uint64
	submitted  map[reqID][32]byte
	checkpts   map[uint64]commitRecord
	sent       map[sentKey]consensus.Digest
	violations []Violation
	duplicates int // ordered requests skipped because they had executed before
}

func newChecker(n int, byz map[consensus.ReplicaID]Behaviour) *checker {
	c := &checker{
		honest:     make([]bool, n),
		commits:    make(map[uint64]commitRecord),
		executedAt: make(map[reqID]uint64),
		submitted:  make(map[reqID][32]byte),
		checkpts:   make(map[uint64]commitRecord),
		sent:       make(map[sentKey]consensus.Digest),
	}
	for i := range c.honest {
		_, bad := byz[consensus.ReplicaID(i)]
		c.honest[i] = !bad
	}
	return c
}

func (c *checker) fail(kind, format string, args ...any) {
	if len(c.violations) < maxViolations {
		c.violations = append(c.violations, Violation{Kind: kind, Detail: fmt.Sprintf(format, args...)})
	}
}

func (c *checker) submit(r consensus.Request) {
	c.submitted[reqID{r.Client, r.Timestamp}] = sha256.Sum256(r.Payload)
}

// committed checks agreement (one batch per sequence number), state (one
// state digest per sequence number), integrity (a request executes at one
// sequence number at most) and validity (only submitted requests execute).
func (c *checker) committed(id consensus.ReplicaID, b consensus.ExecutedBatch) {
	if !c.honest[id] {
		return
	}
	rec, ok := c.commits[b.Seq]
	switch {
	case !ok:
		c.commits[b.Seq] = commitRecord{b.Digest, b.StateDigest, id}
		if b.Batch != nil {
			c.duplicates += len(b.Batch.Requests) - len(b.Executed)
		}
	case rec.batch != b.Digest:
		c.fail("agreement", "seq %d: replica %d committed batch %s, replica %d committed %s", b.Seq, rec.replica, rec.batch.Short(), id, b.Digest.Short())
	case rec.state != b.StateDigest:
		c.fail("state", "seq %d: replica %d has state %s, replica %d has %s", b.Seq, rec.replica, rec.state.Short(), id, b.StateDigest.Short())
	}
	for _, r := range b.Executed {
		k := reqID{r.Client, r.Timestamp}
		if h, ok := c.submitted[k]; !ok || h != sha256.Sum256(r.Payload) {
			c.fail("validity", "seq %d: replica %d executed request %s/%d that no client submitted", b.Seq, id, r.Client, r.Timestamp)
		}
		if at, ok := c.executedAt[k]; ok && at != b.Seq {
			c.fail("integrity", "request %s/%d executed at seq %d and again at seq %d (replica %d)", r.Client, r.Timestamp, at, b.Seq, id)
		} else if !ok {
			c.executedAt[k] = b.Seq
		}
	}
}

// stable checks that every stable checkpoint of honest replicas certifies
// the same state for its sequence number.
func (c *checker) stable(id consensus.ReplicaID, sc consensus.StableCheckpoint) {
	if !c.honest[id] || len(sc.Proof) == 0 {
		return
	}
	d := sc.Proof[0].StateDigest
	if rec, ok := c.checkpts[sc.Seq]; ok && rec.state != d {
		c.fail("state", "stable checkpoint %d: replica %d certified %s, replica %d certified %s", sc.Seq, rec.replica, rec.state.Short(), id, d.Short())
	} else if !ok {
		c.checkpts[sc.Seq] = commitRecord{state: d, replica: id}
	}
	if rec, ok := c.commits[sc.Seq]; ok && rec.state != d {
		c.fail("state", "stable checkpoint %d certifies %s but honest replicas executed to %s", sc.Seq, d.Short(), rec.state.Short())
	}
}

// durable checks what an honest replica restarting from its log promised
// before it crashed: every commit it sent in the log's epoch above the
// log's stable checkpoint is backed, in the log, by a prepared certificate
// of that view (same batch) or a later one, or by the batch's commit
// certificate — what its view changes report. (The driver sends a commit
// only after the write that holds the certificate is synced.)
func (c *checker) durable(id consensus.ReplicaID, st *consensus.PersistentState) {
	if !c.honest[id] {
		return
	}
	var low uint64
	if st.Stable != nil {
		low = st.Stable.Seq
	}
	entries := make(map[uint64]*consensus.LogEntry, len(st.Entries))
	for i := range st.Entries {
		entries[st.Entries[i].Seq] = &st.Entries[i]
	}
	var promised []sentKey
	for k := range c.sent {
		if k.replica == id && k.typ == consensus.MsgCommit && k.epoch == st.HardState.Epoch && k.seq > low {
			promised = append(promised, k)
		}
	}
	slices.SortFunc(promised, func(a, b sentKey) int { return cmp.Or(cmp.Compare(a.seq, b.seq), cmp.Compare(a.view, b.view)) })
	for _, k := range promised {
		d := c.sent[k]
		e := entries[k.seq]
		switch {
		case e != nil && e.Committed != nil && e.Committed.PrePrepare.BatchDigest == d:
		case e != nil && e.Cert != nil && (e.Cert.PrePrepare.View > k.view || e.Cert.PrePrepare.View == k.view && e.Cert.PrePrepare.BatchDigest == d):
		default:
			c.fail("durability", "honest replica %d restarted without the prepared certificate behind its commit of epoch %d view %d seq %d for %s", id, k.epoch, k.view, k.seq, d.Short())
		}
	}
}

// sentMessage checks that an honest replica never signs two different
// values for one (type, view, sequence number) — including across a crash
// and restart from its write-ahead log.
func (c *checker) sentMessage(id consensus.ReplicaID, m *consensus.Message) {
	if !c.honest[id] {
		return
	}
	var k sentKey
	var d consensus.Digest
	switch m.Type {
	case consensus.MsgPrePrepare:
		k, d = sentKey{id, m.Type, m.Epoch, m.PrePrepare.View, m.PrePrepare.Seq}, m.PrePrepare.BatchDigest
	case consensus.MsgPrepare:
		k, d = sentKey{id, m.Type, m.Epoch, m.Prepare.View, m.Prepare.Seq}, m.Prepare.BatchDigest
	case consensus.MsgCommit:
		k, d = sentKey{id, m.Type, m.Epoch, m.Commit.View, m.Commit.Seq}, m.Commit.BatchDigest
	case consensus.MsgCheckpoint:
		k, d = sentKey{id, m.Type, m.Epoch, 0, m.Checkpoint.Seq}, m.Checkpoint.StateDigest
	default:
		return
	}
	if old, ok := c.sent[k]; ok && old != d {
		c.fail("equivocation", "honest replica %d sent %s epoch %d view %d seq %d for %s and for %s", id, m.Type, k.epoch, k.view, k.seq, old.Short(), d.Short())
	} else if !ok {
		c.sent[k] = d
	}
}

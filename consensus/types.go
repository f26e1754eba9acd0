package consensus

import (
	"fmt"
	"io"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/enigma-mpc/enigma/signing"
)

// ReplicaID is a replica's index in the validator set (0 … n-1). The
// primary of view v is replica v mod n.
type ReplicaID uint32

// ClientID names a client. It is opaque to the engine; the application's
// Verifier decides what it means (an account address, a node ID …).
type ClientID string

// Digest is a 32-byte hash.
type Digest [32]byte

// Short returns the first 8 hex digits, for logs and traces.
func (d Digest) Short() string { return fmt.Sprintf("%x", d[:4]) }

// Signature domains of the protocol messages. Every signature also covers
// the validator epoch it was made in (see Sign), so a message or a
// certificate of one epoch is never valid in another. The checkpoint domain
// is fixed by a cross-package contract: the ledger verifies exactly these
// signatures when it turns a stable checkpoint into a certificate.
const (
	DomainPrePrepare signing.Domain = "pbft/preprepare/v2"
	DomainPrepare    signing.Domain = "pbft/prepare/v2"
	DomainCommit     signing.Domain = "pbft/commit/v2"
	DomainCheckpoint signing.Domain = "pbft/checkpoint/v2"
	// DomainCheckpointState signs the full replicated state (application
	// digest plus the engine's client table) so state transfer can be
	// verified end to end.
	DomainCheckpointState signing.Domain = "pbft/checkpoint-state/v2"
	DomainViewChange      signing.Domain = "pbft/viewchange/v2"
	DomainNewView         signing.Domain = "pbft/newview/v2"
	DomainHeartbeat       signing.Domain = "pbft/heartbeat/v2"
)

// Request is a client operation. Payload is opaque to the engine; the
// application verifies it (signatures included) through Verifier.
type Request struct {
	Client    ClientID
	Timestamp uint64
	Payload   []byte
}

type requestKey struct {
	client ClientID
	ts     uint64
}

func (r *Request) key() requestKey { return requestKey{r.Client, r.Timestamp} }

// Batch is what one sequence number orders: requests plus the opaque batch
// context the primary's application attached (for the ledger: the chain
// block it validated against). A batch with no requests and no context is
// the null request used to fill gaps in a new view.
type Batch struct {
	Requests []Request
	Context  []byte
}

// EncodeRLP writes the batch's canonical encoding [[[client, timestamp,
// payload], …], context], byte for byte what the reflective encoder makes
// of it (TestBatchEncodeRLPIsReflective), without reflection: the primary
// encodes each batch to hash it and to send it, and every replica to log
// it, and the reflective walk of a large batch cost more than the copying.
func (b Batch) EncodeRLP(w io.Writer) error {
	buf := rlp.NewEncoderBuffer(w)
	batch := buf.List()
	reqs := buf.List()
	for i := range b.Requests {
		r := &b.Requests[i]
		l := buf.List()
		buf.WriteString(string(r.Client))
		buf.WriteUint64(r.Timestamp)
		buf.WriteBytes(r.Payload)
		buf.ListEnd(l)
	}
	buf.ListEnd(reqs)
	buf.WriteBytes(b.Context)
	buf.ListEnd(batch)
	return buf.Flush()
}

// Digest returns keccak256 of the batch's canonical encoding, written into
// the hash as it is made rather than into a copy of the batch first.
func (b *Batch) Digest() Digest {
	h := crypto.NewKeccakState()
	if err := b.EncodeRLP(h); err != nil {
		// A Batch holds only byte strings and integers, and the hash takes
		// every write: encoding cannot fail.
		panic("consensus: encode batch: " + err.Error())
	}
	var d Digest
	h.Read(d[:])
	return d
}

// IsNull reports whether b is the null request.
func (b *Batch) IsNull() bool { return len(b.Requests) == 0 && len(b.Context) == 0 }

// PrePrepare assigns a batch to (View, Seq). Signed by the primary of View.
type PrePrepare struct {
	View        uint64
	Seq         uint64
	BatchDigest Digest
	Batch       Batch // not signed itself: BatchDigest binds it
	Sig         []byte

	// batchHash is the Keccak-256 of Batch's encoding as DecodeMessage
	// received it (batchHashed says it was set). The decoder accepts only
	// the canonical encoding of a message, so this is Batch.Digest()
	// without encoding the batch once more (FuzzDecodeMessage checks that
	// the two agree on whatever it accepts).
	batchHash   Digest
	batchHashed bool
}

// batchDigest returns the digest of pp's batch, from the bytes it arrived
// in when it came from DecodeMessage.
func (pp *PrePrepare) batchDigest() Digest {
	if pp.batchHashed {
		return pp.batchHash
	}
	return pp.Batch.Digest()
}

type orderPayload struct {
	View, Seq   uint64
	BatchDigest Digest
}

// Prepare is a backup's agreement to the pre-prepare (View, Seq, BatchDigest).
type Prepare struct {
	View        uint64
	Seq         uint64
	BatchDigest Digest
	Replica     ReplicaID
	Sig         []byte
}

// Commit says Replica has prepared (View, Seq, BatchDigest).
type Commit struct {
	View        uint64
	Seq         uint64
	BatchDigest Digest
	Replica     ReplicaID
	Sig         []byte
}

// Checkpoint announces the state after executing Seq. It carries two
// signatures: LedgerSig over [Seq, StateDigest] in DomainCheckpoint (the
// contract with the ledger's checkpoint certificates) and Sig over
// [Seq, StateDigest, ClientsDigest] in DomainCheckpointState, which the
// engine uses for stability and state transfer.
type Checkpoint struct {
	Seq           uint64
	StateDigest   Digest
	ClientsDigest Digest
	Replica       ReplicaID
	LedgerSig     []byte
	Sig           []byte
}

// LedgerCheckpointPayload is the payload of a checkpoint's LedgerSig: the
// epoch of the validator set that signs, the sequence number and the state.
type LedgerCheckpointPayload struct {
	Epoch       uint64
	Seq         uint64
	StateDigest [32]byte
}

type checkpointStatePayload struct {
	Seq           uint64
	StateDigest   Digest
	ClientsDigest Digest
}

func (c *Checkpoint) sameState(o *Checkpoint) bool {
	return c.Seq == o.Seq && c.StateDigest == o.StateDigest && c.ClientsDigest == o.ClientsDigest
}

// PreparedCert proves that a batch prepared at (View, Seq): the signed
// pre-prepare and 2f matching prepares from distinct backups.
type PreparedCert struct {
	PrePrepare PrePrepare
	Prepares   []Prepare
}

// CommittedCert proves that a batch committed at Seq: the signed pre-prepare
// and 2f+1 matching commits from distinct replicas.
type CommittedCert struct {
	PrePrepare PrePrepare
	Commits    []Commit
}

// ViewChange is Replica's vote to move to View. It carries the proof of its
// latest stable checkpoint and its prepared certificates above it.
type ViewChange struct {
	View       uint64
	Replica    ReplicaID
	StableSeq  uint64
	Checkpoint []Checkpoint // 2f+1 signed checkpoints for StableSeq; empty when StableSeq is 0
	Prepared   []PreparedCert
	Sig        []byte
}

type viewChangePayload struct {
	View       uint64
	Replica    ReplicaID
	StableSeq  uint64
	Checkpoint []Checkpoint
	Prepared   []PreparedCert
}

// NewView starts View: the 2f+1 view changes it is built from and the
// pre-prepares every replica recomputes from them.
type NewView struct {
	View        uint64
	ViewChanges []ViewChange
	PrePrepares []PrePrepare
	Sig         []byte
}

type newViewPayload struct {
	View        uint64
	ViewChanges []Digest // signing digests of the view changes
	PrePrepares []orderPayload
}

// Heartbeat is sent by an idle primary so backups can tell a quiet primary
// from a dead one. Seq is the last sequence number it assigned.
type Heartbeat struct {
	View uint64
	Seq  uint64
	Sig  []byte
}

type heartbeatPayload struct{ View, Seq uint64 }

// StableCheckpoint is a checkpoint proven by a quorum of signatures of
// the validator set of Epoch, with the state snapshot when the holder has
// it. The first stable checkpoint of an epoch is the closing checkpoint of
// the one before, signed by that epoch's set.
type StableCheckpoint struct {
	Seq      uint64
	Proof    []Checkpoint
	Snapshot []byte // engine snapshot (client table + application snapshot); may be empty
	Epoch    uint64 `rlp:"optional"`
}

// StateRequest asks a peer for what the sender is missing above HaveSeq,
// its last executed sequence number.
type StateRequest struct {
	Replica ReplicaID
	HaveSeq uint64
}

// StateResponse carries a stable checkpoint (when the requester is behind
// it) and committed certificates for the batches after it.
type StateResponse struct {
	Replica   ReplicaID
	Stable    *StableCheckpoint `rlp:"nil"`
	Committed []CommittedCert
}

// Reply is a replica's answer to a client. The transport authenticates the
// sending replica; a client accepts a result once f+1 replicas agree on it.
type Reply struct {
	Replica   ReplicaID
	View      uint64
	Client    ClientID
	Timestamp uint64
	Result    []byte
}

// MsgType tags a Message's body.
type MsgType uint8

// Message types.
const (
	MsgPrePrepare MsgType = iota + 1
	MsgPrepare
	MsgCommit
	MsgCheckpoint
	MsgViewChange
	MsgNewView
	MsgHeartbeat
	MsgStateRequest
	MsgStateResponse
)

func (t MsgType) String() string {
	switch t {
	case MsgPrePrepare:
		return "pre-prepare"
	case MsgPrepare:
		return "prepare"
	case MsgCommit:
		return "commit"
	case MsgCheckpoint:
		return "checkpoint"
	case MsgViewChange:
		return "view-change"
	case MsgNewView:
		return "new-view"
	case MsgHeartbeat:
		return "heartbeat"
	case MsgStateRequest:
		return "state-request"
	case MsgStateResponse:
		return "state-response"
	}
	return fmt.Sprintf("msgtype(%d)", uint8(t))
}

// Message is one replica-to-replica message. Exactly the body field that
// matches Type is set. From and To are indexes in the address space of
// Epoch (see Replica.Peers): the epoch's validators, then the previous
// epoch's validators that left, which only take part in state transfer.
// From is claimed by the sender and checked against the signature (or, for
// unsigned state-transfer messages, by the transport). Bodies may be shared
// between the copies of a broadcast: treat them as read-only.
type Message struct {
	Type          MsgType
	Epoch         uint64
	From, To      ReplicaID
	PrePrepare    *PrePrepare
	Prepare       *Prepare
	Commit        *Commit
	Checkpoint    *Checkpoint
	ViewChange    *ViewChange
	NewView       *NewView
	Heartbeat     *Heartbeat
	StateRequest  *StateRequest
	StateResponse *StateResponse
}

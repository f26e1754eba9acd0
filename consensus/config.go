package consensus

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/signing"
)

// Application is the replicated state machine the engine orders batches for.
// It must be deterministic: the same calls in the same order give the same
// results and digests on every replica.
type Application interface {
	// Apply executes the requests of the batch committed at seq, in order.
	// The engine has already removed requests it executed before (same
	// client, timestamp not newer). It returns one result per request and
	// the digest of the state after the batch.
	Apply(seq uint64, batchContext []byte, requests []Request) (results [][]byte, stateDigest Digest)
	// Snapshot returns the state after the last applied batch.
	Snapshot() []byte
	// Restore replaces the state with a snapshot, which must hash to
	// stateDigest; it returns an error (and keeps its state) otherwise.
	Restore(snapshot []byte, stateDigest Digest) error
}

// Reconfiguration is a change of the validator set that the replicated
// state decided: from the checkpoint that closes epoch Epoch-1, the
// validators are Validators.
type Reconfiguration struct {
	Epoch      uint64
	Validators []ed25519.PublicKey
	// AtSeq is the sequence number of the batch that decided it.
	AtSeq uint64
}

// Reconfigurable is implemented by an Application whose state can change
// the validator set (the ledger, on a validator-set event from the chain).
// The engine asks after every batch it applies and after it restores a
// snapshot: the latest reconfiguration in the state, if any. When one names
// the epoch after the engine's, the engine closes its epoch at the first
// checkpoint at or after AtSeq+WindowSize (no replica can have ordered a
// sequence number beyond it before it learnt of the change), filling the
// sequence numbers up to it with null batches, and starts the new epoch
// once that checkpoint is stable.
type Reconfigurable interface {
	// Reconfiguration returns the change from epoch `from` to from+1 that
	// the state records, if it records one.
	Reconfiguration(from uint64) (Reconfiguration, bool)
}

// ErrNotReady is returned by Verifier.VerifyBatch when the replica cannot
// judge the batch yet (for the ledger: its chain view has not reached the
// block the primary validated against). The engine retries on later ticks.
var ErrNotReady = errors.New("verifier not ready for this batch yet")

// Verifier decides what may enter the log. The engine calls it on the
// primary when it cuts a batch, and on backups before they prepare one.
type Verifier interface {
	// VerifyRequest checks a client request (its signature, its format).
	VerifyRequest(r *Request) error
	// BatchContext returns the opaque context the primary attaches to a
	// batch it cuts at seq (nil for none).
	BatchContext(seq uint64, requests []Request) []byte
	// VerifyBatch checks a batch (and its context) proposed for seq. It
	// returns nil, ErrNotReady (retry later), or another error (invalid).
	// The requests have already passed VerifyRequest.
	VerifyBatch(seq uint64, b *Batch) error
}

// Bug selects a deliberately broken protocol variant. It exists only so the
// simulator can prove its checkers catch safety violations; production
// configurations leave it at BugNone.
type Bug uint8

// Protocol bugs for checker tests.
const (
	BugNone Bug = iota
	// BugWeakPrepareQuorum: prepared with f matching prepares instead of 2f.
	BugWeakPrepareQuorum
	// BugSkipViewChangeProof: the new view ignores prepared certificates
	// and fills every slot with the null request.
	BugSkipViewChangeProof
	// BugClassicQuorum: quorums of 2f+1 whatever n is; unsafe when n is
	// not 3f+1, where two such quorums may meet only in a faulty replica.
	BugClassicQuorum
	// BugPerBatchTimer: the request timer restarts whenever any batch
	// executes, so a primary that keeps committing other requests (or empty
	// batches) can hold one back for ever.
	BugPerBatchTimer
	// BugWeakCheckpointProof: a stable-checkpoint proof (in state transfer,
	// view changes and restarts) passes with f signatures, which the
	// faulty replicas can produce on their own over a state nobody has.
	BugWeakCheckpointProof
	// BugEarlyEpoch: a replica starts the new epoch as soon as it executed
	// the batch that decided it, without a stable closing checkpoint after
	// every sequence number the old set may have ordered.
	BugEarlyEpoch
	// BugNoSitOut: a replica restarted from its log orders in the view it
	// was in, although pre-prepares and prepares left before their log
	// writes were synced.
	BugNoSitOut
	// BugUnsyncedCommit: the driver syncs only the writes that record a new
	// view, so a commit leaves before the prepared certificate it promises
	// to later view changes is on disk.
	BugUnsyncedCommit
	// BugOverQuiet: Replica.QuietTicks forgets the primary's heartbeat, so
	// it promises quiet ticks of which one sends a heartbeat.
	BugOverQuiet
)

var bugNames = map[Bug]string{
	BugWeakPrepareQuorum:   "weak-prepare-quorum",
	BugSkipViewChangeProof: "skip-viewchange-proof",
	BugClassicQuorum:       "classic-quorum",
	BugPerBatchTimer:       "per-batch-timer",
	BugWeakCheckpointProof: "weak-checkpoint-proof",
	BugEarlyEpoch:          "early-epoch",
	BugNoSitOut:            "no-sit-out",
	BugUnsyncedCommit:      "unsynced-commit",
	BugOverQuiet:           "over-quiet",
}

// Bugs lists the deliberately broken variants, in a stable order.
func Bugs() []Bug {
	out := make([]Bug, 0, len(bugNames))
	for b := BugNone + 1; int(b) <= len(bugNames); b++ {
		out = append(out, b)
	}
	return out
}

// ParseBug parses a bug name as used by the simulator CLI.
func ParseBug(name string) (Bug, error) {
	if name == "" || name == "none" {
		return BugNone, nil
	}
	var names []string
	for _, b := range Bugs() {
		if b.String() == name {
			return b, nil
		}
		names = append(names, b.String())
	}
	return BugNone, fmt.Errorf("unknown protocol bug %q: use one of %s", name, strings.Join(names, ", "))
}

func (b Bug) String() string {
	if s, ok := bugNames[b]; ok {
		return s
	}
	return "none"
}

// Config configures a Replica. Durations are in ticks: the shell calls Tick
// at a fixed interval (a node uses a real ticker, the simulator its virtual
// clock).
type Config struct {
	ID         ReplicaID
	Validators []ed25519.PublicKey // index = ReplicaID; n = len ≥ 4, tolerating f = ⌊(n−1)/3⌋ faults
	Key        ed25519.PrivateKey
	ChainID    uint64
	// Epoch is the validator epoch of Validators (the node uses the
	// chain's epoch numbers; 0 is fine for a network that never changes).
	Epoch uint64
	// PrevValidators is the set of epoch Epoch-1, if any: the engine
	// accepts that set's closing checkpoint as the start of Epoch (a
	// replica that joins fetches it), and its members that left serve
	// state transfer in Epoch.
	PrevValidators []ed25519.PublicKey
	// Joining says the replica enters a running epoch without its state:
	// it takes no part until it has installed a stable checkpoint of
	// Epoch, or the closing checkpoint of Epoch-1, by state transfer.
	Joining bool

	App      Application
	Verifier Verifier
	// Restart is the state loaded from Storage; nil starts a fresh replica.
	Restart *PersistentState

	CheckpointInterval uint64 // K: a checkpoint every K sequence numbers (default 64)
	WindowSize         uint64 // L: sequence numbers accepted above the low watermark (default 2K)
	MaxBatchSize       int    // requests per batch (default 64)
	BatchDelayTicks    int    // how long the primary waits to fill a batch (default 1; negative cuts at once)
	// MaxInflightBatches is how many batches the primary keeps ordered but
	// not yet executed before it holds requests back: while that many are
	// in flight, only full batches are cut, and the rest wait for the next
	// execution, so under load batches grow instead of multiplying (the
	// adaptive batching of Castro and Liskov's BFS). At light load a
	// request still goes out at once. Default 0: limited by the window only.
	MaxInflightBatches int

	HeartbeatTicks         int // an idle primary sends a heartbeat this often (default 4)
	IdleTimeoutTicks       int // a backup suspects a primary silent this long (default 20)
	RequestTimeoutTicks    int // a replica suspects a primary that leaves a request pending this long (default 20; grows with the observed waits, up to MaxTimeoutDoublings doublings)
	ViewChangeTimeoutTicks int // waiting for a new view after 2f+1 view changes (default 20, doubles per failed view)
	MaxTimeoutDoublings    int // cap on the doubling (default 6)
	ResendTicks            int // view-change retransmission interval (default 8)
	FetchTicks             int // how long a replica waits without progress before fetching state (default 6)
	NotReadyTicks          int // how long a backup retries a batch its Verifier is not ready for (default 20)

	// VerifySignature checks an Ed25519 signature over a digest under a
	// validator's prepared key (default (*signing.NodeVerifyKey).VerifyDigest).
	// The simulator memoises it across the replicas it runs in one
	// process; it must stay a pure function.
	VerifySignature func(key *signing.NodeVerifyKey, digest common.Hash, sig []byte) error

	Logger *slog.Logger
	Bug    Bug
}

// NodeTuning returns the engine settings the validator node runs with, in
// ticks of its 10 ms ticker; every field it leaves zero takes its default.
// Certified records are published at stable checkpoints, so the metadata
// ledger checkpoints every batch (registrations become resolvable as soon as
// they commit) with a window of 16. Requests leave at once at light load;
// under load they wait for one of two batches in flight to execute and
// leave together.
//
// The timeouts are those of a network that spans regions and of machines
// shared with noisy neighbours, not of a quiet LAN: a backup suspects a
// primary silent for 1 s (an idle primary sends 4 heartbeats a second, so
// an idle validator costs next to nothing), a request waits at least 1 s
// and four times the observed waits before its primary is suspected, a view
// change gets 1 s, each doubling up to 8 s, and a replica fetches state
// after 250 ms without progress. A starved scheduler then delays a view
// rather than replacing a correct primary; a crashed or censoring one is
// still replaced within seconds. The simulator runs these with
// `--config node`.
func NodeTuning() Config {
	return Config{
		CheckpointInterval: 1, WindowSize: 16, BatchDelayTicks: -1, MaxInflightBatches: 2,
		HeartbeatTicks: 25, IdleTimeoutTicks: 100, RequestTimeoutTicks: 100, ViewChangeTimeoutTicks: 100,
		MaxTimeoutDoublings: 3, ResendTicks: 25, FetchTicks: 25,
	}
}

func (c *Config) withDefaults() (Config, error) {
	out := *c
	n := len(out.Validators)
	if n < 4 {
		return out, fmt.Errorf("consensus: %d validators; PBFT needs at least 4 to tolerate one fault", n)
	}
	if int(out.ID) >= n {
		return out, fmt.Errorf("consensus: replica ID %d outside the validator set of %d", out.ID, n)
	}
	for i, pub := range out.Validators {
		if len(pub) != ed25519.PublicKeySize {
			return out, fmt.Errorf("consensus: validator %d public key is %d bytes, want %d", i, len(pub), ed25519.PublicKeySize)
		}
	}
	if len(out.Key) != ed25519.PrivateKeySize {
		return out, errors.New("consensus: missing or malformed node key")
	}
	if !out.Key.Public().(ed25519.PublicKey).Equal(out.Validators[out.ID]) {
		return out, fmt.Errorf("consensus: node key does not match validator %d's public key", out.ID)
	}
	if out.App == nil || out.Verifier == nil {
		return out, errors.New("consensus: config needs an Application and a Verifier")
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if out.CheckpointInterval == 0 {
		out.CheckpointInterval = 64
	}
	if out.WindowSize == 0 {
		out.WindowSize = 2 * out.CheckpointInterval
	}
	if out.WindowSize < out.CheckpointInterval {
		return out, fmt.Errorf("consensus: window size %d is below the checkpoint interval %d; raise it", out.WindowSize, out.CheckpointInterval)
	}
	def(&out.MaxBatchSize, 64)
	if out.BatchDelayTicks < 0 {
		out.BatchDelayTicks = 0
	} else if c.BatchDelayTicks == 0 {
		out.BatchDelayTicks = 1
	}
	def(&out.HeartbeatTicks, 4)
	def(&out.IdleTimeoutTicks, 20)
	def(&out.RequestTimeoutTicks, 20)
	def(&out.ViewChangeTimeoutTicks, 20)
	def(&out.MaxTimeoutDoublings, 6)
	def(&out.ResendTicks, 8)
	def(&out.FetchTicks, 6)
	def(&out.NotReadyTicks, 20)
	if out.VerifySignature == nil {
		out.VerifySignature = (*signing.NodeVerifyKey).VerifyDigest
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	return out, nil
}

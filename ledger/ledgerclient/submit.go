package ledgerclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/rlp"

	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
)

// Protocol takes a client's ledger commands and answers with the replica's
// reply to each once it executed.
const Protocol = "enigma/ledger-submit/1"

// Limits of the protocol: what a validator accepts in one call, the
// commands of one call, a validator's answer, and what a Submitter puts in
// one call.
const (
	MaxRequest     = 1 << 20
	MaxBatch       = 4096
	maxSubmitReply = 8 << 20
	maxCallBytes   = MaxRequest / 2
)

// Caller is what a client of the validators needs from the overlay host
// (overlay.Host): authenticated request/response to a node ID.
type Caller interface {
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

// ValidatorPeer is one member of the validator set, in replica order.
type ValidatorPeer struct {
	ID        identity.NodeID
	PublicKey ed25519.PublicKey
	Addr      string
}

// SubmitRequest is one command a client sends to every validator; a
// submission call carries a list of them (the commands of concurrent
// callers of one Submitter).
type SubmitRequest struct {
	Client    string
	Timestamp uint64
	Payload   []byte
}

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

// EncodeReplies returns the canonical encoding of a list of replies, byte
// for byte signing.Encode(replies) (TestEncodeRepliesIsReflective), built
// without reflection: a validator encodes a reply per committed command.
func EncodeReplies(replies []SubmitReply) []byte {
	buf := rlp.NewEncoderBuffer(nil)
	defer buf.Flush()
	all := buf.List()
	for i := range replies {
		r := &replies[i]
		l := buf.List()
		buf.WriteUint64(uint64(r.Replica))
		buf.WriteUint64(r.View)
		buf.WriteString(r.Client)
		buf.WriteUint64(r.Timestamp)
		buf.WriteBytes(r.Result)
		buf.WriteString(r.Refused)
		buf.ListEnd(l)
	}
	buf.ListEnd(all)
	return buf.ToBytes()
}

// replyKey names one command: a client's request at a timestamp.
type replyKey struct {
	client string
	ts     uint64
}

// SubmitCommand signs one ledger command (a ledger.Command encoding) as a
// request of signer's client ID at the current time, sends it to every
// validator and returns the result once f+1 of them report the same one, so
// at least one honest replica vouches for it.
func SubmitCommand(ctx context.Context, net Caller, peers []ValidatorPeer, signer ledger.RequestSigner, chainID uint64, cmd []byte) ([]byte, error) {
	// Nanoseconds since the epoch grow with every command the client sends
	// (the engine drops a client's older timestamps as duplicates).
	ts := uint64(time.Now().UnixNano())
	payload, err := signer.SignRequest(chainID, ts, cmd)
	if err != nil {
		return nil, err
	}
	s, err := NewSubmitter(net, peers)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Submit(ctx, signer.ClientID(), ts, payload)
}

// Submitter sends the ledger commands of many concurrent callers to the
// validators. Commands that arrive while calls to a validator are in
// flight wait and leave together in the next call, so under load one QUIC
// exchange carries many commands and each validator proposes them at once.
// Each command is still accepted only on f+1 matching replies.
type Submitter struct {
	net      Caller
	peers    []ValidatorPeer
	maxCalls int
	ctx      context.Context
	cancel   context.CancelFunc

	mu    sync.Mutex
	lanes []lane // one per validator
}

// lane is the traffic to one validator.
type lane struct {
	inflight int
	queue    []*submission
}

// submission is one command on its way; its fields are guarded by the
// Submitter's mutex.
type submission struct {
	req      SubmitRequest
	results  [][]byte // the validators' results, one per answering validator
	errs     []error
	answered int  // validators heard from
	settled  bool // decided (done is closed) or abandoned by its caller
	result   []byte
	err      error
	done     chan struct{}
	calls    []*call // the calls carrying it
}

// call is one submission call to a validator. Once none of its commands
// awaits an answer any more (f+1 agreed elsewhere, or their callers gave
// up), it is cancelled, so a validator that stalls holds no call slot and
// no queue for long.
type call struct {
	subs   []*submission
	open   int // commands not yet settled
	ctx    context.Context
	cancel context.CancelFunc
}

// settleLocked marks sub decided or abandoned and cancels the calls that
// carried only settled commands.
func (sub *submission) settleLocked() {
	sub.settled = true
	for _, c := range sub.calls {
		if c.open--; c.open == 0 {
			c.cancel()
		}
	}
	sub.calls = nil
}

// submitCallTimeout bounds one submission call.
const submitCallTimeout = 30 * time.Second

// NewSubmitter returns a Submitter for the validator set peers (in replica
// order). Close it when done: that abandons the calls in flight.
func NewSubmitter(net Caller, peers []ValidatorPeer) (*Submitter, error) {
	if len(peers) < 4 {
		return nil, fmt.Errorf("%d validators known; PBFT needs at least 4", len(peers))
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Two calls per validator: one can fill while the other waits for its
	// commands to commit.
	return &Submitter{net: net, peers: peers, maxCalls: 2, ctx: ctx, cancel: cancel, lanes: make([]lane, len(peers))}, nil
}

// Close abandons the calls in flight; Submit then fails.
func (s *Submitter) Close() { s.cancel() }

// Submit sends a command and returns its result once f+1 validators agree
// on it.
func (s *Submitter) Submit(ctx context.Context, client string, timestamp uint64, payload []byte) ([]byte, error) {
	if timestamp == 0 {
		return nil, errors.New("command timestamp must be positive")
	}
	sub := &submission{req: SubmitRequest{Client: client, Timestamp: timestamp, Payload: payload}, done: make(chan struct{})}
	s.mu.Lock()
	for i := range s.lanes {
		l := &s.lanes[i]
		l.queue = append(l.queue, sub)
		if l.inflight < s.maxCalls {
			if c := s.takeLocked(i); c != nil {
				l.inflight++
				go s.send(i, c)
			}
		}
	}
	s.mu.Unlock()
	select {
	case <-sub.done:
		return sub.result, sub.err
	case <-ctx.Done():
		s.abandon(sub)
		return nil, fmt.Errorf("ledger command not confirmed by f+1 validators: %w", ctx.Err())
	case <-s.ctx.Done():
		return nil, errors.New("ledger command not confirmed: the submitter was closed")
	}
}

// takeLocked removes from lane i's queue what fits in one call, leaving out
// the commands settled meanwhile, and makes that call (nil: nothing left).
func (s *Submitter) takeLocked(i int) *call {
	l := &s.lanes[i]
	c := &call{}
	n, size := 0, 0
	for ; n < len(l.queue) && len(c.subs) < MaxBatch; n++ {
		sub := l.queue[n]
		if sub.settled {
			continue
		}
		size += len(sub.req.Payload) + len(sub.req.Client) + 16
		if len(c.subs) > 0 && size > maxCallBytes {
			break
		}
		c.subs = append(c.subs, sub)
	}
	l.queue = slices.Delete(l.queue, 0, n)
	if len(c.subs) == 0 {
		return nil
	}
	// The call does not end with its commands' deadlines: their callers
	// give up on their own, and a call that ended first would make them
	// report the call's error instead of their own.
	c.ctx, c.cancel = context.WithTimeout(s.ctx, submitCallTimeout)
	c.open = len(c.subs)
	for _, sub := range c.subs {
		sub.calls = append(sub.calls, c)
	}
	return c
}

// abandon settles a command its caller gave up on.
func (s *Submitter) abandon(sub *submission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !sub.settled {
		sub.settleLocked()
	}
}

// send makes calls to validator i, starting with c, until its queue is
// empty; it holds one of the lane's call slots.
func (s *Submitter) send(i int, c *call) {
	for c != nil {
		replies, err := s.call(i, c)
		c.cancel()
		s.mu.Lock()
		s.settleLocked(i, c.subs, replies, err)
		if s.ctx.Err() != nil {
			c = nil
		} else {
			c = s.takeLocked(i)
		}
		if c == nil {
			s.lanes[i].inflight--
		}
		s.mu.Unlock()
	}
}

func (s *Submitter) call(i int, c *call) ([]SubmitReply, error) {
	p := s.peers[i]
	resp, err := s.net.Call(c.ctx, p.ID, p.Addr, Protocol, encodeRequests(c.subs))
	if err != nil {
		return nil, err
	}
	replies, err := decodeReplies(resp, len(c.subs))
	if err != nil {
		return nil, fmt.Errorf("validator %d: %w", i, err)
	}
	return replies, nil
}

// encodeRequests returns the body of a call carrying subs' requests, byte
// for byte signing.Encode of the []SubmitRequest (TestEncodeRequestsIsReflective),
// built without reflection or a copy of the requests.
func encodeRequests(subs []*submission) []byte {
	buf := rlp.NewEncoderBuffer(nil)
	defer buf.Flush()
	all := buf.List()
	for _, sub := range subs {
		l := buf.List()
		buf.WriteString(sub.req.Client)
		buf.WriteUint64(sub.req.Timestamp)
		buf.WriteBytes(sub.req.Payload)
		buf.ListEnd(l)
	}
	buf.ListEnd(all)
	return buf.ToBytes()
}

// decodeReplies decodes a validator's answer to a call, a list of replies
// (at most maxSubmitReply bytes), without reflection: a client decodes a
// reply per command per validator. It accepts exactly what
// signing.Decode(b, &[]SubmitReply, maxSubmitReply) accepts, with the same
// values (FuzzDecodeReplies). Room is made for up to want replies, the
// number the call asked for; a hostile answer with more costs only its
// bytes.
func decodeReplies(b []byte, want int) ([]SubmitReply, error) {
	if len(b) > maxSubmitReply {
		return nil, fmt.Errorf("decode replies: %d bytes, more than %d", len(b), maxSubmitReply)
	}
	content, rest, err := rlp.SplitList(b)
	if err == nil && len(rest) > 0 {
		err = rlp.ErrMoreThanOneValue
	}
	if err != nil {
		return nil, fmt.Errorf("decode replies: %w", err)
	}
	// A malformed element fails below; until then its count only sizes
	// the slice, at most want.
	n, _ := rlp.CountValues(content)
	replies := make([]SubmitReply, 0, min(n, want))
	for len(content) > 0 {
		var fields []byte
		var r SubmitReply
		fields, content, err = rlp.SplitList(content)
		if err == nil {
			var replica uint64
			replica, fields, err = rlp.SplitUint64(fields)
			if err == nil && replica > math.MaxUint32 {
				err = errReplicaOverflow
			}
			r.Replica = uint32(replica)
		}
		if err == nil {
			r.View, fields, err = rlp.SplitUint64(fields)
		}
		var client, result, refused []byte
		if err == nil {
			client, fields, err = rlp.SplitString(fields)
		}
		if err == nil {
			r.Timestamp, fields, err = rlp.SplitUint64(fields)
		}
		if err == nil {
			result, fields, err = rlp.SplitString(fields)
		}
		if err == nil {
			refused, fields, err = rlp.SplitString(fields)
		}
		if err == nil && len(fields) > 0 {
			err = errTooManyFields
		}
		if err != nil {
			return nil, fmt.Errorf("decode reply %d: %w", len(replies), err)
		}
		// The strings and the result are copies: a caller keeps a result,
		// which must not hold the whole answer in memory.
		r.Client, r.Result, r.Refused = string(client), bytes.Clone(result), string(refused)
		replies = append(replies, r)
	}
	return replies, nil
}

var (
	errReplicaOverflow = errors.New("replica index does not fit 32 bits")
	errTooManyFields   = errors.New("reply has too many fields")
)

// settleLocked records validator i's answers to batch.
func (s *Submitter) settleLocked(i int, batch []*submission, replies []SubmitReply, callErr error) {
	byKey := make(map[replyKey]*SubmitReply, len(replies))
	for j := range replies {
		byKey[replyKey{replies[j].Client, replies[j].Timestamp}] = &replies[j]
	}
	for _, sub := range batch {
		if sub.settled {
			continue
		}
		rep := byKey[replyKey{sub.req.Client, sub.req.Timestamp}]
		switch {
		case callErr != nil:
			sub.errs = append(sub.errs, callErr)
		case rep == nil:
			sub.errs = append(sub.errs, fmt.Errorf("validator %d: not committed before the deadline", i))
		case rep.Refused != "":
			sub.errs = append(sub.errs, fmt.Errorf("validator %d refused the command: %s", i, rep.Refused))
		default:
			// Counted for the validator called (the connection proved its
			// node): the replica number it reports is its place in its own
			// epoch, which during a change of sets differs from ours. Each
			// validator answers a command once (it is in each lane's queue
			// once), so counting results counts distinct validators.
			sub.results = append(sub.results, rep.Result)
			if matching(sub.results, rep.Result) >= quorum.Weak(len(s.peers)) {
				sub.result = rep.Result
				sub.settleLocked()
				close(sub.done)
				continue
			}
		}
		sub.answered++
		if sub.answered == len(s.peers) {
			sub.err = fmt.Errorf("ledger command not confirmed by f+1 validators: %w", errors.Join(sub.errs...))
			sub.settleLocked()
			close(sub.done)
		}
	}
}

// matching counts the results equal to r.
func matching(results [][]byte, r []byte) int {
	n := 0
	for _, x := range results {
		if bytes.Equal(x, r) {
			n++
		}
	}
	return n
}

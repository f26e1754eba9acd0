package ledgerclient

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// fakeValidators answers submission calls as four replicas would: each
// command's result is its payload, except where answer overrides it.
// Calls to a validator block while its gate is closed.
type fakeValidators struct {
	peers []ValidatorPeer

	mu     sync.Mutex
	answer func(replica int, r SubmitRequest) SubmitReply
	calls  [][]int // per validator, the number of commands of each call
	gates  []chan struct{}
}

// setAnswer changes the answers; a call still in flight from an earlier
// command may read them concurrently.
func (f *fakeValidators) setAnswer(fn func(replica int, r SubmitRequest) SubmitReply) {
	f.mu.Lock()
	f.answer = fn
	f.mu.Unlock()
}

func newFakeValidators() *fakeValidators {
	f := &fakeValidators{calls: make([][]int, 4)}
	for i := range 4 {
		var id identity.NodeID
		id[0] = byte(i + 1)
		f.peers = append(f.peers, ValidatorPeer{ID: id, PublicKey: make(ed25519.PublicKey, ed25519.PublicKeySize)})
		gate := make(chan struct{})
		close(gate)
		f.gates = append(f.gates, gate)
	}
	return f
}

func (f *fakeValidators) Call(ctx context.Context, to identity.NodeID, _, proto string, req []byte) ([]byte, error) {
	i := int(to[0]) - 1
	if proto != Protocol {
		return nil, fmt.Errorf("unexpected protocol %s", proto)
	}
	var batch []SubmitRequest
	if err := signing.Decode(req, &batch, MaxRequest); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.calls[i] = append(f.calls[i], len(batch))
	gate, answer := f.gates[i], f.answer
	f.mu.Unlock()
	select {
	case <-gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var replies []SubmitReply
	for _, r := range batch {
		rep := SubmitReply{Replica: uint32(i), Client: r.Client, Timestamp: r.Timestamp, Result: r.Payload}
		if answer != nil {
			rep = answer(i, r)
		}
		replies = append(replies, rep)
	}
	return signing.Encode(replies)
}

// newTestSubmitter is a Submitter on f, closed with the test, and a
// context that bounds the test's commands.
func newTestSubmitter(t *testing.T, f *fakeValidators) (*Submitter, context.Context) {
	s, err := NewSubmitter(f, f.peers)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return s, ctx
}

// submitAll submits n commands concurrently and returns their errors.
func submitAll(ctx context.Context, s *Submitter, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := fmt.Sprintf("payload-%d", c)
			got, err := s.Submit(ctx, fmt.Sprintf("client-%d", c), 1, []byte(want))
			if err == nil && string(got) != want {
				err = fmt.Errorf("client %d got %q, want %q", c, got, want)
			}
			errs[c] = err
		}()
	}
	wg.Wait()
	return errs
}

// waitFor polls cond until it holds or ten seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSubmitterCoalescesCommandsWhileCallsAreInFlight(t *testing.T) {
	f := newFakeValidators()
	release := make(chan struct{})
	for i := range f.gates {
		f.gates[i] = release // every validator holds its calls
	}
	s, ctx := newTestSubmitter(t, f)

	const commands = 40
	done := make(chan []error, 1)
	go func() { done <- submitAll(ctx, s, commands) }()
	// Each validator holds two calls; every other command waits in a queue.
	inFlight := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.calls[0])
	}
	waitFor(t, "two calls reach validator 0", func() bool { return inFlight() >= 2 })
	if n := inFlight(); n != 2 {
		t.Fatalf("%d calls reached validator 0 while it answered none, want 2", n)
	}
	// Release only once every command is either in a held call or queued,
	// whatever the scheduler did with the submitting goroutines.
	waitFor(t, "all commands reach validator 0's lane", func() bool {
		f.mu.Lock()
		sent := 0
		for _, n := range f.calls[0] {
			sent += n
		}
		f.mu.Unlock()
		s.mu.Lock()
		defer s.mu.Unlock()
		return sent+len(s.lanes[0].queue) == commands
	})
	close(release)
	for c, err := range <-done {
		if err != nil {
			t.Fatalf("command %d: %v", c, err)
		}
	}
	// The queued commands left together: few calls, each carrying many.
	// (A command decided by f+1 validators is not sent to the others.)
	f.mu.Lock()
	defer f.mu.Unlock()
	delivered, largest := 0, 0
	for i, calls := range f.calls {
		if len(calls) > 4 {
			t.Errorf("validator %d got %d calls %v for %d commands", i, len(calls), calls, commands)
		}
		for _, n := range calls {
			delivered += n
			largest = max(largest, n)
		}
	}
	if delivered < 2*commands || largest < commands/4 {
		t.Fatalf("calls %v: %d commands delivered (f+1 = 2 answers each need at least %d), the largest call %d", f.calls, delivered, 2*commands, largest)
	}
}

// A validator that never answers holds no call slot and no queue for long:
// its calls are cancelled once f+1 others agreed on their commands.
func TestSubmitterLetsGoOfAStalledValidator(t *testing.T) {
	f := newFakeValidators()
	f.gates[2] = make(chan struct{}) // never opens
	s, ctx := newTestSubmitter(t, f)
	for round := range 3 {
		for c, err := range submitAll(ctx, s, 40) {
			if err != nil {
				t.Fatalf("round %d command %d: %v", round, c, err)
			}
		}
	}
	waitFor(t, "the stalled validator's lane is idle", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.lanes[2].inflight == 0 && len(s.lanes[2].queue) == 0
	})
}

func TestSubmitterNeedsFPlusOneMatchingResults(t *testing.T) {
	f := newFakeValidators()
	f.setAnswer(func(i int, r SubmitRequest) SubmitReply {
		rep := SubmitReply{Replica: uint32(i), Client: r.Client, Timestamp: r.Timestamp, Result: []byte("ok")}
		switch i {
		case 0:
			rep.Result = []byte("forged") // one Byzantine replica
		case 1:
			rep.Refused = "stale request"
		}
		return rep
	})
	ctx := context.Background()
	got, err := submitOnce(ctx, f, f.peers, "alice", 7, []byte("x"))
	if err != nil || string(got) != "ok" {
		t.Fatalf("got %q, %v; want the f+1 matching result", got, err)
	}

	// Two refusals and two different results: no f+1 agree.
	f.setAnswer(func(i int, r SubmitRequest) SubmitReply {
		rep := SubmitReply{Replica: uint32(i), Client: r.Client, Timestamp: r.Timestamp, Result: []byte{byte(i)}}
		if i < 2 {
			rep.Refused = "request is older than the client's last executed request"
		}
		return rep
	})
	_, err = submitOnce(ctx, f, f.peers, "alice", 8, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "not confirmed by f+1") || !strings.Contains(err.Error(), "refused the command: request is older") {
		t.Fatalf("err = %v; want a failure that names the refusals", err)
	}

	// Replies count for the validator called, whatever replica number it
	// reports (its place in its own epoch, which differs during a change
	// of sets): one validator cannot make up f+1 by claiming other places.
	f.setAnswer(func(i int, r SubmitRequest) SubmitReply {
		rep := SubmitReply{Replica: 3, Client: r.Client, Timestamp: r.Timestamp, Result: []byte("ok")}
		if i != 0 {
			rep.Result = []byte{byte(i)}
		}
		return rep
	})
	if _, err := submitOnce(ctx, f, f.peers, "alice", 9, []byte("x")); err == nil || !strings.Contains(err.Error(), "not confirmed by f+1") {
		t.Fatalf("err = %v; want one validator's answer counted once", err)
	}
}

// submitOnce sends one request payload through a fresh Submitter.
func submitOnce(ctx context.Context, net Caller, peers []ValidatorPeer, client string, ts uint64, payload []byte) ([]byte, error) {
	s, err := NewSubmitter(net, peers)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Submit(ctx, client, ts, payload)
}

// replySamples are reply lists with each field's edge values.
func replySamples() [][]SubmitReply {
	long := strings.Repeat("x", 300)
	return [][]SubmitReply{
		nil,
		{{}},
		{
			{Replica: 3, View: 1 << 40, Client: "bench-client-7", Timestamp: 1 << 63, Result: []byte("ok")},
			{Replica: 1<<32 - 1, Client: long, Timestamp: 127, Result: []byte{0x05}, Refused: long},
			{Result: []byte{}, Refused: "stale"},
		},
	}
}

// TestEncodeRepliesIsReflective: the hand-written encoder of replies
// writes what the reflective encoder makes of them.
func TestEncodeRepliesIsReflective(t *testing.T) {
	for _, replies := range replySamples() {
		checkReflective(t, replies, EncodeReplies(replies))
	}
}

// checkReflective fails t unless got is the reflective encoding of v.
func checkReflective(t *testing.T, v any, got []byte) {
	t.Helper()
	want, err := signing.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("%+v:\n got  %x\n want %x", v, got, want)
	}
}

// TestEncodeRequestsIsReflective: a call's body, encoded by hand, is what
// the reflective encoder makes of its requests.
func TestEncodeRequestsIsReflective(t *testing.T) {
	long := strings.Repeat("y", 300)
	for _, reqs := range [][]SubmitRequest{
		nil,
		{{}},
		{{Client: "c", Timestamp: 1 << 63, Payload: []byte{0x05}}, {Client: long, Timestamp: 127, Payload: []byte(long)}, {Payload: []byte{}}},
	} {
		subs := make([]*submission, len(reqs))
		for i, r := range reqs {
			subs[i] = &submission{req: r}
		}
		checkReflective(t, reqs, encodeRequests(subs))
	}
}

// FuzzDecodeReplies: the hand-written decoder of a validator's answer
// accepts exactly what the reflective decoder accepts, with the same values.
func FuzzDecodeReplies(f *testing.F) {
	for _, replies := range replySamples() {
		f.Add(EncodeReplies(replies))
	}
	f.Add([]byte{0xc2, 0xc0, 0xc0})                               // replies without fields
	f.Add([]byte{0xc7, 0xc6, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80}) // a non-canonical zero
	f.Add([]byte{0xc8, 0xc7, 0x85, 1, 0, 0, 0, 0, 0x80, 0x80})    // a replica beyond 32 bits
	f.Fuzz(func(t *testing.T, b []byte) {
		var want []SubmitReply
		wantErr := signing.Decode(b, &want, maxSubmitReply)
		got, err := decodeReplies(b, 4)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%x: hand-written decoder: %v, reflective: %v", b, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%x: hand-written decoder gave\n%#v\nreflective\n%#v", b, got, want)
		}
	})
}

package node

import (
	"context"
	"crypto/ed25519"
	"fmt"
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
	answer func(replica int, r submitRequest) SubmitReply
	calls  [][]int // per validator, the number of commands of each call
	gates  []chan struct{}
}

// setAnswer changes the answers; a call still in flight from an earlier
// command may read them concurrently.
func (f *fakeValidators) setAnswer(fn func(replica int, r submitRequest) SubmitReply) {
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
	if proto != ProtoLedgerSubmit {
		return nil, fmt.Errorf("unexpected protocol %s", proto)
	}
	var batch []submitRequest
	if err := signing.Decode(req, &batch, maxSubmitRequest); err != nil {
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

func TestSubmitterCoalescesCommandsWhileCallsAreInFlight(t *testing.T) {
	f := newFakeValidators()
	release := make(chan struct{})
	f.gates[2] = release // validator 2 is slow; the others answer at once
	s, err := NewSubmitter(f, f.peers)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	const commands = 40
	var wg sync.WaitGroup
	errs := make(chan error, commands)
	for c := range commands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := fmt.Sprintf("payload-%d", c)
			got, err := s.Submit(ctx, fmt.Sprintf("client-%d", c), 1, []byte(want))
			if err == nil && string(got) != want {
				err = fmt.Errorf("client %d got %q, want %q", c, got, want)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Every command was answered by three validators; validator 2 holds
	// two calls, and every other command waits in its queue.
	deadline := time.Now().Add(10 * time.Second)
	for {
		f.mu.Lock()
		inFlight := len(f.calls[2])
		f.mu.Unlock()
		if inFlight > 2 {
			t.Fatalf("%d calls reached the slow validator while it answered none, want at most 2", inFlight)
		}
		if inFlight == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls reached the slow validator, want 2", inFlight)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	for {
		f.mu.Lock()
		calls := append([]int(nil), f.calls[2]...)
		f.mu.Unlock()
		sent := 0
		for _, n := range calls {
			sent += n
		}
		if sent == commands {
			if len(calls) > 4 {
				t.Fatalf("the slow validator got %d calls %v for %d commands; queued commands must leave together", len(calls), calls, commands)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slow validator received %d of %d commands: %v", sent, commands, calls)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSubmitterNeedsFPlusOneMatchingResults(t *testing.T) {
	f := newFakeValidators()
	f.setAnswer(func(i int, r submitRequest) SubmitReply {
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
	got, err := SubmitCommand(ctx, f, f.peers, "alice", 7, []byte("x"))
	if err != nil || string(got) != "ok" {
		t.Fatalf("got %q, %v; want the f+1 matching result", got, err)
	}

	// Two refusals and two different results: no f+1 agree.
	f.setAnswer(func(i int, r submitRequest) SubmitReply {
		rep := SubmitReply{Replica: uint32(i), Client: r.Client, Timestamp: r.Timestamp, Result: []byte{byte(i)}}
		if i < 2 {
			rep.Refused = "request is older than the client's last executed request"
		}
		return rep
	})
	_, err = SubmitCommand(ctx, f, f.peers, "alice", 8, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "not confirmed by f+1") || !strings.Contains(err.Error(), "refused the command: request is older") {
		t.Fatalf("err = %v; want a failure that names the refusals", err)
	}

	// A validator answering for another replica is not counted.
	f.setAnswer(func(i int, r submitRequest) SubmitReply {
		return SubmitReply{Replica: 3, Client: r.Client, Timestamp: r.Timestamp, Result: []byte("ok")}
	})
	if _, err := SubmitCommand(ctx, f, f.peers, "alice", 9, []byte("x")); err == nil || !strings.Contains(err.Error(), "answered as replica 3") {
		t.Fatalf("err = %v; want the impersonation refused", err)
	}
}

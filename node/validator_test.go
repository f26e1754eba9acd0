package node

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/signing"
)

// Hostile submissions and consensus messages get a clear error over QUIC,
// and the validators go on committing.
func TestValidatorRefusesHostileInputAndKeepsCommitting(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cluster, err := LaunchInProcess(ctx, ConsensusBenchConfig{Dir: t.TempDir(), Replicas: 4, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Stop()
	peers := cluster.Peers
	h, _, err := newLoopbackHost(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	call := func(proto string, body []byte) error {
		_, err := h.Call(ctx, peers[1].ID, peers[1].Addr, proto, body)
		return err
	}
	// sendRefused sends frame on the consensus stream and then probes until
	// the validator's refusal (it closed the stream) comes back.
	sendRefused := func(what string, frame []byte) error {
		var err error
		waitFor(t, "the validator refuses a "+what, func() bool {
			err = h.Send(ctx, peers[1].ID, peers[1].Addr, ProtoPBFT, frame)
			return err != nil
		})
		return err
	}
	encode := func(v any) []byte {
		b, err := signing.Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tooMany := make([]ledgerclient.SubmitRequest, ledgerclient.MaxBatch+1)
	for i := range tooMany {
		tooMany[i] = ledgerclient.SubmitRequest{Client: "c", Timestamp: uint64(i + 1)}
	}
	heartbeat, err := consensus.EncodeMessage(&consensus.Message{Type: consensus.MsgHeartbeat, Epoch: 1, From: 0, To: 1, Heartbeat: &consensus.Heartbeat{View: 0, Seq: 0, Sig: []byte{1}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, proto string
		body        []byte
		want        string
	}{
		{"garbage submission", ledgerclient.Protocol, []byte("not rlp at all"), "ledger submission"},
		{"empty submission", ledgerclient.Protocol, encode([]ledgerclient.SubmitRequest{}), "send 1 to 4096"},
		{"oversized batch", ledgerclient.Protocol, encode(tooMany), "send 1 to 4096"},
		{"the old request protocol", "enigma/pbft/1", encode([][]byte{heartbeat}), "no handler"},
	} {
		if err := call(tc.proto, tc.body); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name  string
		frame []byte
	}{
		{"garbage consensus message", []byte{0xff, 0x00}},
		{"message from someone else", heartbeat},
	} {
		if err := sendRefused(tc.name, tc.frame); err == nil || !strings.Contains(err.Error(), "handler refused") {
			t.Errorf("%s: err = %v, want the stream closed by the validator's handler", tc.name, err)
		}
	}
	result, err := submitOnce(ctx, h, peers, "after-the-noise", 1, []byte("payload"))
	if err != nil || string(result) != "ok" {
		t.Fatalf("a valid command after hostile input: %q, %v", result, err)
	}
}

// A validator notices when the registry defines a later epoch.
// A validator notices when the chain activates a later epoch and asks the
// validators to record it in the ledger, with a request signed by its node.
func TestValidatorAsksToRecordALaterEpoch(t *testing.T) {
	chainView := ledgertest.NewChain()
	keys, peers := fourValidators(t)
	app := &hashChainApp{}
	net := &recordingCaller{}
	v, err := NewValidator(ValidatorConfig{
		Key: keys[0], ChainID: 1337, Epoch: 1, Peers: peers, App: app, Verifier: app,
		Storage: consensus.NewMemoryStorage(), Net: net, View: chainView,
		EpochCheckInterval: time.Millisecond, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	chainView.Confirm(chainView.SetValidatorSet(&ledger.ValidatorSet{ChainID: 1337, Epoch: 2}))
	waitFor(t, "the validator flags its epoch as superseded", func() bool {
		var m dto.Metric
		if err := v.superseded.Write(&m); err != nil {
			t.Fatal(err)
		}
		return m.GetGauge().GetValue() == 1
	})
	waitFor(t, "the validator asks its peers to record epoch 2", func() bool {
		for _, sr := range net.submitted() {
			cmd, err := ledger.OpenRequest(1337, sr.Client, sr.Timestamp, sr.Payload)
			if err != nil {
				t.Fatalf("the epoch request does not verify: %v", err)
			}
			c, err := ledger.DecodeCommand(cmd)
			if err == nil && c.Kind == ledger.CmdEpoch && c.Epoch.Epoch == 2 && sr.Client == ledger.NodeClientID(keys[0].ID()) {
				return true
			}
		}
		return false
	})
}

// recordingCaller records ledger submissions and answers none.
type recordingCaller struct {
	mu    sync.Mutex
	calls []ledgerclient.SubmitRequest
}

func (r *recordingCaller) Call(_ context.Context, _ identity.NodeID, _, proto string, req []byte) ([]byte, error) {
	if proto == ledgerclient.Protocol {
		var batch []ledgerclient.SubmitRequest
		if err := signing.Decode(req, &batch, ledgerclient.MaxRequest); err == nil {
			r.mu.Lock()
			r.calls = append(r.calls, batch...)
			r.mu.Unlock()
		}
	}
	return nil, errors.New("unreachable in this test")
}

func (r *recordingCaller) Send(context.Context, identity.NodeID, string, string, ...[]byte) error {
	return errors.New("unreachable in this test")
}

func (r *recordingCaller) CloseSend(identity.NodeID, string) error { return nil }

func (r *recordingCaller) submitted() []ledgerclient.SubmitRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// TestLedgerClientIDsCannotBeJammedOverQUIC runs four validators with the
// ledger as their application over real QUIC. A stranger with a key of its
// own submits a validly signed command under an honest client's ID with a
// timestamp near 2^64: every validator refuses it (counted in
// enigma_validator_commands_refused_total), a command stamped far ahead of
// the validators' clocks by its own client is refused too, and the honest
// client's next command commits.
func TestLedgerClientIDsCannotBeJammedOverQUIC(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, err := ledgertest.NewFixture(41, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	var hosts []*overlay.Host
	var peers []ledgerclient.ValidatorPeer
	for _, k := range f.Validators {
		h, err := overlay.NewHost(overlay.HostConfig{Key: k, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		hosts = append(hosts, h)
		peers = append(peers, ledgerclient.ValidatorPeer{ID: k.ID(), PublicKey: k.Public(), Addr: h.Addr()})
	}
	var validators []*Validator
	registries := make([]*prometheus.Registry, len(f.Validators))
	for i, k := range f.Validators {
		l, err := ledger.Open(ledger.Config{ChainID: f.ChainID, NoSync: true}, memorydb.New())
		if err != nil {
			t.Fatal(err)
		}
		registries[i] = prometheus.NewRegistry()
		v, err := NewValidator(ValidatorConfig{
			Key: k, ChainID: f.ChainID, Peers: peers, Ledger: l, View: f.Chain,
			Storage: consensus.NewMemoryStorage(), Net: hosts[i], Logger: quiet, Registry: registries[i],
		})
		if err != nil {
			t.Fatal(err)
		}
		for proto, h := range v.Handlers() {
			hosts[i].Handle(proto, h)
		}
		for proto, h := range v.StreamHandlers() {
			hosts[i].HandleStream(proto, h)
		}
		if err := v.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer v.Stop()
		validators = append(validators, v)
	}
	host, _, err := newLoopbackHost(quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()

	w := f.Workload()
	honest, err := f.Submitter(0)
	if err != nil {
		t.Fatal(err)
	}
	submit := func(signer ledger.RequestSigner, client string, ts uint64, cmd []byte) ([]byte, error) {
		payload, err := signer.SignRequest(f.ChainID, ts, cmd)
		if err != nil {
			t.Fatal(err)
		}
		return submitOnce(ctx, host, peers, client, ts, payload)
	}
	first, err := w.Next(0)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ledgerclient.SubmitCommand(ctx, host, peers, honest, f.ChainID, first); err != nil || string(res) != "ok" {
		t.Fatalf("first command: %q, %v", res, err)
	}

	attacker, err := f.Submitter(7)
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := w.Next(1)
	if err != nil {
		t.Fatal(err)
	}
	// Five minutes ahead passes the clock check: only the binding stops it.
	soon := uint64(time.Now().Add(5 * time.Minute).UnixNano())
	if _, err := submit(attacker, honest.ClientID(), soon, cmd); err == nil || !strings.Contains(err.Error(), "not signed for its client ID") {
		t.Fatalf("a command under another client's ID: %v, want it refused for its binding", err)
	}
	const far = math.MaxUint64 - 1
	if _, err := submit(attacker, attacker.ClientID(), far, cmd); err == nil || !strings.Contains(err.Error(), "ahead of the validator's clock") {
		t.Fatalf("a command stamped far ahead: %v, want it refused", err)
	}
	next, err := w.Next(0)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ledgerclient.SubmitCommand(ctx, host, peers, honest, f.ChainID, next); err != nil || string(res) != "ok" {
		t.Fatalf("the honest client after the attack: %q, %v", res, err)
	}
	for _, reason := range []string{"invalid", "future-timestamp"} {
		var m dto.Metric
		if err := validators[1].refused.WithLabelValues(reason).Write(&m); err != nil {
			t.Fatal(err)
		}
		if m.GetCounter().GetValue() == 0 {
			t.Errorf("enigma_validator_commands_refused_total{reason=%q} did not move", reason)
		}
	}
	// The work counters: two commands executed, their signatures checked,
	// four commands proposed (the refused ones too), no view change. The
	// client's answer needs f+1 replicas, not this one: wait until it has
	// executed the second command and the client's call to it has arrived
	// (it may execute the command from the primary's batch first).
	var got map[string]float64
	for {
		families, err := registries[1].Gather()
		if err != nil {
			t.Fatal(err)
		}
		got = map[string]float64{}
		for _, mf := range families {
			for _, m := range mf.GetMetric() {
				got[mf.GetName()] += m.GetCounter().GetValue()
			}
		}
		if got["enigma_pbft_requests_executed_total"] >= 2 && got["enigma_validator_commands_proposed_total"] >= 4 || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	for name, atLeast := range map[string]float64{
		"enigma_pbft_requests_executed_total": 2, "enigma_pbft_signatures_verified_total": 1, "enigma_pbft_log_writes_total": 1,
		"enigma_pbft_messages_sent_total": 1, "enigma_pbft_send_calls_total": 1, "enigma_validator_commands_proposed_total": 4,
	} {
		if got[name] < atLeast {
			t.Errorf("%s = %v, want at least %v", name, got[name], atLeast)
		}
	}
	if _, ok := got["enigma_pbft_view_changes_total"]; !ok || got["enigma_pbft_view_changes_total"] != 0 {
		t.Errorf("enigma_pbft_view_changes_total = %v (exported: %v), want 0", got["enigma_pbft_view_changes_total"], ok)
	}
}

// A consensus message must decode and claim the replica whose node key the
// connection proved, in its epoch's address space; one the validator
// cannot place is dropped without closing the stream.
func TestServeMessageChecksTheSender(t *testing.T) {
	keys, peers := fourValidators(t)
	app := &hashChainApp{}
	v, err := NewValidator(ValidatorConfig{
		Key: keys[0], ChainID: 1337, Epoch: 1, Peers: peers, App: app, Verifier: app,
		Storage: consensus.NewMemoryStorage(), Net: &recordingCaller{}, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	serve := v.StreamHandlers()[ProtoPBFT]
	heartbeat := func(epoch uint64, from consensus.ReplicaID) []byte {
		enc, err := consensus.EncodeMessage(&consensus.Message{Type: consensus.MsgHeartbeat, Epoch: epoch, From: from, To: 0, Heartbeat: &consensus.Heartbeat{View: 0, Seq: 0, Sig: []byte{1}}})
		if err != nil {
			t.Fatal(err)
		}
		return enc
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name  string
		from  identity.NodeID
		frame []byte
		want  string // "" for accepted (or dropped) without an error
	}{
		{"garbage", keys[1].ID(), []byte{0xff, 0x00}, "consensus message"},
		{"another replica's message", keys[1].ID(), heartbeat(1, 2), "claims replica 2 of epoch 1 but came from node"},
		{"a stranger's message", identity.NodeID{1}, heartbeat(1, 1), "claims replica 1"},
		{"a replica outside the address space", keys[1].ID(), heartbeat(1, 9), "claims replica 9"},
		{"its own message", keys[1].ID(), heartbeat(1, 1), ""},
		{"an epoch the validator cannot place", keys[1].ID(), heartbeat(7, 1), ""},
	} {
		err := serve(ctx, tc.from, tc.frame)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
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

// submitOnce sends one request payload through a fresh Submitter.
func submitOnce(ctx context.Context, net Caller, peers []ledgerclient.ValidatorPeer, client string, ts uint64, payload []byte) ([]byte, error) {
	s, err := ledgerclient.NewSubmitter(net, peers)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Submit(ctx, client, ts, payload)
}

// fourValidators makes four validator node keys and their peers.
func fourValidators(t *testing.T) ([]*identity.NodeKey, []ledgerclient.ValidatorPeer) {
	t.Helper()
	var keys []*identity.NodeKey
	var peers []ledgerclient.ValidatorPeer
	for range 4 {
		key, err := identity.GenerateNodeKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
		peers = append(peers, ledgerclient.ValidatorPeer{ID: key.ID(), PublicKey: key.Public()})
	}
	return keys, peers
}

// TestSubmissionWaitersGetEachReplyOnce: two calls wait for the same
// command, one of them twice in the call; the reply reaches each call once,
// at the command's first index, and unregisters them, so a reply sent
// again (from the reply cache) reaches no one; a call that gives up leaves
// the other's registration alone.
func TestSubmissionWaitersGetEachReplyOnce(t *testing.T) {
	v := &Validator{}
	v.mu.waiters = make(map[consensus.ClientID]waitList)
	a := consensus.Request{Client: "alice", Timestamp: 7}
	b := consensus.Request{Client: "bob", Timestamp: 3}
	chA, chB := newSubmitCall(3), newSubmitCall(2)
	stateA, firstA, waitingA := v.register([]consensus.Request{a, b, a}, chA)
	if waitingA != 2 || stateA[2] != cmdRepeat || firstA[2] != 0 {
		t.Fatalf("call A: %d waiting, states %v, first %v; want 2 waiting and index 2 a repeat of 0", waitingA, stateA, firstA)
	}
	stateB, _, waitingB := v.register([]consensus.Request{b, a}, chB)
	if waitingB != 2 || stateB[0] != cmdWaiting || stateB[1] != cmdWaiting {
		t.Fatalf("call B: %d waiting, states %v", waitingB, stateB)
	}
	reply := consensus.Reply{Replica: 1, Client: a.Client, Timestamp: a.Timestamp, Result: []byte("ok")}
	v.deliverReplies([]consensus.Reply{reply, reply})
	if len(chA.replies) != 1 || len(chB.replies) != 1 || len(chA.wake) != 1 || len(chB.wake) != 1 {
		t.Fatalf("a reply delivered twice reached call A %d and call B %d times; want once each, each call woken", len(chA.replies), len(chB.replies))
	}
	if got := chA.replies[0]; got.idx != 0 || string(got.result) != "ok" || got.replica != 1 {
		t.Fatalf("call A got %+v, want index 0", got)
	}
	if got := chB.replies[0]; got.idx != 1 {
		t.Fatalf("call B got index %d, want 1", got.idx)
	}
	stateA[0], stateB[1] = cmdReplied, cmdReplied
	// A gives up on b; B still waits for it.
	v.unregister([]consensus.Request{a, b, a}, stateA, chA)
	v.deliverReplies([]consensus.Reply{{Replica: 1, Client: b.Client, Timestamp: b.Timestamp}})
	if len(chA.replies) != 1 || len(chB.replies) != 2 {
		t.Fatalf("after A gave up, b's reply reached A %d and B %d times; want 0 and 1", len(chA.replies)-1, len(chB.replies)-1)
	}
	stateB[0] = cmdReplied
	v.unregister([]consensus.Request{b, a}, stateB, chB)
	if len(v.mu.waiters) != 0 {
		t.Fatalf("%d commands still registered after both calls ended", len(v.mu.waiters))
	}
}

// TestSubmissionDecodesAsRequests: serveSubmit decodes a list of
// ledgerclient.SubmitRequest as consensus requests, so the two must keep
// one shape.
func TestSubmissionDecodesAsRequests(t *testing.T) {
	subs := []ledgerclient.SubmitRequest{
		{Client: "provider-1", Timestamp: 1 << 62, Payload: []byte("register")},
		{Client: "", Timestamp: 0, Payload: nil},
		{Client: "c", Timestamp: 7, Payload: make([]byte, 300)},
	}
	enc, err := signing.Encode(subs)
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := consensus.DecodeRequests(enc, ledgerclient.MaxBatch)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != len(subs) {
		t.Fatalf("%d requests from %d commands", len(reqs), len(subs))
	}
	for i, r := range reqs {
		if string(r.Client) != subs[i].Client || r.Timestamp != subs[i].Timestamp || string(r.Payload) != string(subs[i].Payload) {
			t.Fatalf("command %d decoded as %+v, sent %+v", i, r, subs[i])
		}
	}
}

// TestSubmissionWaitersTellCommandsApart: the waiters are kept per client;
// a reply reaches only the calls waiting for its own timestamp.
func TestSubmissionWaitersTellCommandsApart(t *testing.T) {
	v := &Validator{}
	v.mu.waiters = make(map[consensus.ClientID]waitList)
	a7, a8 := consensus.Request{Client: "alice", Timestamp: 7}, consensus.Request{Client: "alice", Timestamp: 8}
	chA, chB := newSubmitCall(2), newSubmitCall(1)
	stateA, _, _ := v.register([]consensus.Request{a7, a8}, chA)
	stateB, _, _ := v.register([]consensus.Request{a8}, chB)
	v.deliverReplies([]consensus.Reply{{Replica: 1, Client: "alice", Timestamp: 8}})
	if len(chA.replies) != 1 || len(chB.replies) != 1 {
		t.Fatalf("the reply to alice/8 reached call A %d and call B %d times; want once each", len(chA.replies), len(chB.replies))
	}
	if got := chA.replies[0]; got.idx != 1 {
		t.Fatalf("call A got index %d, want 1 (alice/8)", got.idx)
	}
	v.deliverReplies([]consensus.Reply{{Replica: 1, Client: "alice", Timestamp: 8}})
	if len(chA.replies) != 1 || len(chB.replies) != 1 {
		t.Fatalf("alice/8 answered again reached someone: A %d, B %d", len(chA.replies)-1, len(chB.replies)-1)
	}
	stateA[1], stateB[0] = cmdReplied, cmdReplied
	v.unregister([]consensus.Request{a8}, stateB, chB)
	v.deliverReplies([]consensus.Reply{{Replica: 1, Client: "alice", Timestamp: 7}})
	if got := chA.replies[1]; got.idx != 0 {
		t.Fatalf("call A got index %d, want 0 (alice/7)", got.idx)
	}
	stateA[0] = cmdReplied
	v.unregister([]consensus.Request{a7, a8}, stateA, chA)
	if len(v.mu.waiters) != 0 {
		t.Fatalf("%d clients still registered after both calls ended", len(v.mu.waiters))
	}
}

package node

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
	"github.com/enigma-mpc/enigma/signing"
)

// Hostile submissions and consensus messages get a clear error over QUIC,
// and the validators go on committing.
func TestValidatorRefusesHostileInputAndKeepsCommitting(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	peers, stop, err := LaunchInProcess(ctx, ConsensusBenchConfig{Dir: t.TempDir(), Replicas: 4, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	h, _, err := newLoopbackHost(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	call := func(proto string, body []byte) error {
		_, err := h.Call(ctx, peers[1].ID, peers[1].Addr, proto, body)
		return err
	}
	encode := func(v any) []byte {
		b, err := signing.Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tooMany := make([]submitRequest, maxSubmitBatch+1)
	for i := range tooMany {
		tooMany[i] = submitRequest{Client: "c", Timestamp: uint64(i + 1)}
	}
	heartbeat, err := consensus.EncodeMessage(&consensus.Message{Type: consensus.MsgHeartbeat, From: 0, To: 1, Heartbeat: &consensus.Heartbeat{View: 0, Seq: 0, Sig: []byte{1}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, proto string
		body        []byte
		want        string
	}{
		{"garbage submission", ProtoLedgerSubmit, []byte("not rlp at all"), "ledger submission"},
		{"empty submission", ProtoLedgerSubmit, encode([]submitRequest{}), "send 1 to 4096"},
		{"oversized batch", ProtoLedgerSubmit, encode(tooMany), "send 1 to 4096"},
		{"garbage consensus batch", ProtoPBFT, []byte{0xff, 0x00}, "consensus messages"},
		{"message from someone else", ProtoPBFT, encode([][]byte{heartbeat}), "claims replica 0"},
	} {
		if err := call(tc.proto, tc.body); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	result, err := SubmitCommand(ctx, h, peers, "after-the-noise", 1, []byte("payload"))
	if err != nil || string(result) != "ok" {
		t.Fatalf("a valid command after hostile input: %q, %v", result, err)
	}
}

// A validator notices when the registry defines a later epoch.
func TestValidatorNoticesALaterEpoch(t *testing.T) {
	chainView := ledgertest.NewChain()
	var peers []ValidatorPeer
	var keys []*identity.NodeKey
	for range 4 {
		key, err := identity.GenerateNodeKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
		peers = append(peers, ValidatorPeer{ID: key.ID(), PublicKey: key.Public()})
	}
	app := &hashChainApp{}
	v, err := NewValidator(ValidatorConfig{
		Key: keys[0], ChainID: 1337, Epoch: 1, Peers: peers, App: app, Verifier: app,
		Storage: consensus.NewMemoryStorage(), Net: &fakeValidators{}, View: chainView,
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
}

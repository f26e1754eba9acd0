package overlay

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/signing"
)

// testPuzzle keeps key generation fast in tests; production uses
// kademlia.DefaultPuzzle.
var testPuzzle = kademlia.Puzzle{Static: 4, Dynamic: 4}

type seededReader struct{ r *randsrc.Rand }

func (s seededReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}

func testKey(t testing.TB, seed uint64) (*identity.NodeKey, [32]byte) {
	t.Helper()
	k, _, err := kademlia.GenerateKey(seededReader{randsrc.Derive(seed, "overlay-test-key")}, testPuzzle.Static)
	if err != nil {
		t.Fatal(err)
	}
	return k, kademlia.SolveDynamic(k.ID(), testPuzzle.Dynamic)
}

// certified is a "certified-style" record: a payload and version signed by
// an authority key, as the ledger's certified records are signed by the
// validator quorum.
type certified struct {
	Version uint64
	Payload []byte
	Sig     []byte
}

const certDomain signing.Domain = "overlay-test/record/v1"

type certPayload struct {
	Key     kademlia.ID
	Version uint64
	Payload []byte
}

type certAuthority struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

func newAuthority() certAuthority {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	return certAuthority{priv: priv, pub: priv.Public().(ed25519.PublicKey)}
}

func (a certAuthority) record(t testing.TB, key kademlia.ID, version uint64, payload string) []byte {
	t.Helper()
	sig, err := signing.SignNode(a.priv, certDomain, 1, certPayload{Key: key, Version: version, Payload: []byte(payload)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := signing.Encode(certified{Version: version, Payload: []byte(payload), Sig: sig})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Validate implements kademlia.Validator.
func (a certAuthority) Validate(key kademlia.ID, value []byte) error {
	var c certified
	if err := signing.Decode(value, &c, 1<<16); err != nil {
		return err
	}
	return signing.VerifyNode(a.pub, certDomain, 1, certPayload{Key: key, Version: c.Version, Payload: c.Payload}, c.Sig)
}

// Select implements kademlia.Validator: the highest version wins.
func (a certAuthority) Select(key kademlia.ID, values [][]byte) (int, error) {
	best, bestVersion := -1, uint64(0)
	for i, v := range values {
		var c certified
		if a.Validate(key, v) != nil || signing.Decode(v, &c, 1<<16) != nil {
			continue
		}
		if best < 0 || c.Version > bestVersion {
			best, bestVersion = i, c.Version
		}
	}
	if best < 0 {
		return 0, errors.New("no valid record")
	}
	return best, nil
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testNodeConfig(t testing.TB, seed uint64, v kademlia.Validator) Config {
	key, x := testKey(t, seed)
	return Config{
		Key: key, PuzzleSolution: x, ListenAddr: "127.0.0.1:0",
		Kad: kademlia.ProtocolConfig{
			Wire:   kademlia.WireConfig{ChainID: 1, Puzzle: testPuzzle},
			Table:  kademlia.TableConfig{K: 8, Siblings: 4},
			Store:  kademlia.StoreConfig{Validator: v},
			Lookup: kademlia.LookupConfig{K: 8, Alpha: 2, Paths: 4},
		},
		RPCTimeout: time.Second,
		Rand:       randsrc.Derive(seed, "overlay-test-rand"),
		Logger:     quietLogger(),
	}
}

// startNetwork starts n nodes joined through the first; each option
// adjusts every node's configuration.
func startNetwork(t testing.TB, n int, v kademlia.Validator, options ...func(*Config)) []*DHT {
	t.Helper()
	var nodes []*DHT
	for i := range n {
		cfg := testNodeConfig(t, uint64(i+1), v)
		for _, o := range options {
			o(&cfg)
		}
		node, err := Start(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { node.Close() })
		nodes = append(nodes, node)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, node := range nodes[1:] {
		if err := node.Bootstrap(ctx, []Peer{nodes[0].Self()}); err != nil {
			t.Fatalf("bootstrap %s: %v", node.ID().Short(), err)
		}
	}
	// A second self-lookup lets the early joiners learn the late ones.
	for _, node := range nodes {
		if _, err := node.FindNode(ctx, node.ID()); err != nil {
			t.Fatalf("self lookup %s: %v", node.ID().Short(), err)
		}
	}
	return nodes
}

func recordKey(i int) kademlia.ID {
	var k kademlia.ID
	copy(k[:], fmt.Sprintf("record-%d", i))
	return k
}

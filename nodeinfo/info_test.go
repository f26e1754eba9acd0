package nodeinfo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

const chainID = 1337

// answering is a node that keeps the request it was asked and answers as
// node `as` running the worker role.
type answering struct {
	as  identity.NodeID
	req Request
}

func (a *answering) Call(_ context.Context, to identity.NodeID, _, proto string, body []byte) ([]byte, error) {
	if proto != Protocol {
		return nil, nil
	}
	if err := signing.Decode(body, &a.req, MaxRequest); err != nil {
		return nil, err
	}
	return signing.Encode(&Response{Node: a.as, Roles: []string{string(RoleOverlay), string(RoleWorker)}})
}

func TestAskSignsForTheProviderAndTheNodeChecksIt(t *testing.T) {
	node := identity.NodeID{7}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	net := &answering{as: node}
	ctx := context.Background()
	resp, err := Ask(ctx, net, chainID, node, common.Hash{1}, key)
	if err != nil || !resp.Serves(RoleWorker) || resp.Serves(RoleValidator) {
		t.Fatalf("Ask = %+v, %v; want a worker's answer", resp, err)
	}
	now := time.Now()
	if got, err := net.req.Signer(chainID, now); err != nil || got != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("Signer = %s, %v; want the provider's account", got.Hex(), err)
	}
	for _, tc := range []struct {
		name    string
		chainID uint64
		at      time.Time
		want    string
	}{
		{"another chain", chainID + 1, now, "the signature is not"},
		{"expired", chainID, now.Add(2 * time.Minute), "expires at"},
		{"expiring too far ahead", chainID, now.Add(-2 * MaxLifetime), "expires at"},
	} {
		if _, err := net.req.Signer(tc.chainID, tc.at); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	forged := net.req
	forged.Dataset = common.Hash{2}
	if _, err := forged.Signer(chainID, now); err == nil {
		t.Error("a request for another dataset kept the provider's signature")
	}
	if _, err := Ask(ctx, net, chainID, node, common.Hash{}, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := net.req.Signer(chainID, now); err != nil || got != (common.Address{}) {
		t.Fatalf("an unsigned request: Signer = %s, %v; want no account", got.Hex(), err)
	}
	if _, err := Ask(ctx, &answering{as: identity.NodeID{8}}, chainID, node, common.Hash{}, nil); err == nil || !strings.Contains(err.Error(), "answered for node") {
		t.Fatalf("an answer in another node's name: %v", err)
	}
}

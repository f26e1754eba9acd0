package workerkeys

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/signing"
)

const chainID = 1337

// keeping is a worker that keeps what it was sent.
type keeping struct {
	proto string
	body  []byte
}

func (k *keeping) Call(_ context.Context, _ identity.NodeID, _, proto string, body []byte) ([]byte, error) {
	k.proto, k.body = proto, body
	return nil, nil
}

func TestADeliveryOpensAsTheProvidersAndOnlyIntact(t *testing.T) {
	provider, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	w := &keeping{}
	ds, worker := common.Hash{1}, identity.NodeID{2}
	if err := DeliverKeys(context.Background(), w, provider, chainID, ds, worker, keys); err != nil {
		t.Fatal(err)
	}
	if w.proto != DeliveryProtocol {
		t.Fatalf("sent over %q, want %q", w.proto, DeliveryProtocol)
	}
	d, signer, err := OpenDelivery(w.body, chainID)
	if err != nil || signer != crypto.PubkeyToAddress(provider.PublicKey) || d.DatasetID != ds || d.Worker != worker {
		t.Fatalf("OpenDelivery = %+v, %s, %v; want the provider's delivery of %s to %s", d, signer.Hex(), err, ds.Hex(), worker.Short())
	}
	if _, other, err := OpenDelivery(w.body, chainID+1); err == nil && other == signer {
		t.Error("a delivery signed on another chain opened as the provider's")
	}
	// The same delivery readdressed to another worker is no longer the
	// provider's.
	var req deliveryRequest
	if err := signing.Decode(w.body, &req, maxKeysRequest); err != nil {
		t.Fatal(err)
	}
	req.Delivery.Worker = identity.NodeID{3}
	forged, err := signing.Encode(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, other, err := OpenDelivery(forged, chainID); err == nil && other == signer {
		t.Error("a delivery readdressed to another worker kept the provider's signature")
	}
}

func TestAGrantRequestIsTheSubscribers(t *testing.T) {
	subscriber, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	grantKey, err := seal.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	w := &keeping{}
	if _, err := FetchGrant(context.Background(), w, subscriber, chainID, common.Hash{1}, identity.NodeID{2}, grantKey); err != nil {
		t.Fatal(err)
	}
	var sr SignedGrantRequest
	if err := signing.Decode(w.body, &sr, MaxGrantRequest); err != nil || w.proto != GrantProtocol {
		t.Fatalf("sent %q over %q: %v", w.body, w.proto, err)
	}
	if got, err := sr.Signer(chainID); err != nil || got != crypto.PubkeyToAddress(subscriber.PublicKey) || got != sr.Request.Subscriber {
		t.Fatalf("Signer = %s, %v; want the subscriber", got.Hex(), err)
	}
	sr.Request.GrantKey = make([]byte, seal.PublicKeySize) // someone else's key
	if got, err := sr.Signer(chainID); err == nil && got == sr.Request.Subscriber {
		t.Error("a request with the grant key swapped kept the subscriber's signature")
	}
}

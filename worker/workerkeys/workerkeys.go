package workerkeys

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/signing"
)

// Caller is what the clients need from the overlay host (overlay.Host):
// authenticated request/response to a node ID.
type Caller interface {
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

// DeliveryProtocol delivers a provider's column keys to a worker. The
// overlay's QUIC connection is TLS 1.3 to exactly the worker's node ID, so
// the keys travel encrypted to that node alone; the request is signed by the
// provider's account so the worker stores keys only from the dataset's
// on-chain owner.
const DeliveryProtocol = "enigma/worker/keys/v1"

// DeliveryDomain signs key deliveries.
const DeliveryDomain = signing.Domain("worker/keys/v1")

const maxKeysRequest = 64 << 10

// Delivery is the signed part of a key delivery.
type Delivery struct {
	DatasetID common.Hash
	Worker    identity.NodeID // binds the delivery to one worker
	Keys      []byte
}

type deliveryRequest struct {
	Delivery  Delivery
	Signature []byte
}

// OpenDelivery decodes a key delivery and returns it with the account that
// signed it on chainID; the worker must still check that the account owns
// the dataset and that the delivery names this worker.
func OpenDelivery(body []byte, chainID uint64) (Delivery, common.Address, error) {
	var req deliveryRequest
	if err := signing.Decode(body, &req, maxKeysRequest); err != nil {
		return Delivery{}, common.Address{}, fmt.Errorf("key delivery: %w", err)
	}
	signer, err := signing.RecoverAccount(DeliveryDomain, chainID, req.Delivery, req.Signature)
	if err != nil {
		return Delivery{}, common.Address{}, fmt.Errorf("key delivery: %w", err)
	}
	return req.Delivery, signer, nil
}

// DeliverKeys sends a provider's column keys for a dataset to one worker.
func DeliverKeys(ctx context.Context, net Caller, providerKey *ecdsa.PrivateKey, chainID uint64, datasetID common.Hash, workerID identity.NodeID, keys *colcrypt.Keys) error {
	raw, err := keys.MarshalBinary()
	if err != nil {
		return err
	}
	d := Delivery{DatasetID: datasetID, Worker: workerID, Keys: raw}
	sig, err := signing.SignAccount(providerKey, DeliveryDomain, chainID, d)
	if err != nil {
		return err
	}
	enc, err := signing.Encode(deliveryRequest{Delivery: d, Signature: sig})
	if err != nil {
		return err
	}
	if _, err := net.Call(ctx, workerID, "", DeliveryProtocol, enc); err != nil {
		return fmt.Errorf("deliver column keys to worker %s: %w", workerID.Short(), err)
	}
	return nil
}

// GrantProtocol asks a dataset's worker for its column keys. The worker
// holds them (the provider delivered them at listing) and releases them to
// any account that has access on chain (a subscription or a trial), sealed
// with HPKE (colcrypt.SealGrant) to a key the request names. The request is
// signed by that account (domain worker/grant/v1), so the grant key is the
// account's choice: a replayed request only fetches a grant sealed to the
// same key, which only the account can open. The provider need not be
// online for any of it.
const GrantProtocol = "enigma/worker/grant/v1"

// GrantDomain signs grant requests.
const GrantDomain = signing.Domain("worker/grant/v1")

const (
	// MaxGrantRequest bounds a grant request (the worker's host enforces
	// it).
	MaxGrantRequest = 1 << 10
	// GrantMaxLifetime bounds how far ahead a grant request's expiry may be.
	GrantMaxLifetime = 2 * time.Minute
)

// GrantRequest is what a subscriber signs to get a dataset's column keys
// from one of its workers.
type GrantRequest struct {
	Worker     identity.NodeID // the worker asked; others refuse
	Dataset    common.Hash
	Subscriber common.Address
	GrantKey   []byte // HPKE public key the grant is sealed to
	Expiry     uint64 // Unix seconds
}

// SignedGrantRequest is a GrantRequest with the subscriber account's
// signature, as it travels.
type SignedGrantRequest struct {
	Request   GrantRequest
	Signature []byte
}

// Signer returns the account that signed the request on chainID.
func (sr *SignedGrantRequest) Signer(chainID uint64) (common.Address, error) {
	return signing.RecoverAccount(GrantDomain, chainID, &sr.Request, sr.Signature)
}

// FetchGrant asks one worker of a dataset for its column keys, for the
// account of key, sealed to grantKey's public key; it returns the sealed
// grant (open it with colcrypt.OpenGrant).
func FetchGrant(ctx context.Context, net Caller, key *ecdsa.PrivateKey, chainID uint64, datasetID common.Hash, workerID identity.NodeID, grantKey *seal.PrivateKey) ([]byte, error) {
	req := GrantRequest{Worker: workerID, Dataset: datasetID, Subscriber: crypto.PubkeyToAddress(key.PublicKey),
		GrantKey: grantKey.PublicKey(), Expiry: uint64(time.Now().Add(time.Minute).Unix())}
	sig, err := signing.SignAccount(key, GrantDomain, chainID, &req)
	if err != nil {
		return nil, err
	}
	enc, err := signing.Encode(&SignedGrantRequest{Request: req, Signature: sig})
	if err != nil {
		return nil, err
	}
	grant, err := net.Call(ctx, workerID, "", GrantProtocol, enc)
	if err != nil {
		return nil, fmt.Errorf("ask worker %s for the column keys: %w", workerID.Short(), err)
	}
	return grant, nil
}

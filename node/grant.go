package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/signing"
	"github.com/enigma-mpc/enigma/worker"
)

// ProtoWorkerGrant asks a dataset's worker for its column keys. The worker
// holds them (the provider delivered them at listing) and releases them to
// any account that has access on chain (a subscription or a trial), sealed
// with HPKE (colcrypt.SealGrant) to a key the request names. The request is
// signed by that account (domain worker/grant/v1), so the grant key is the
// account's choice: a replayed request only fetches a grant sealed to the
// same key, which only the account can open. The provider need not be
// online for any of it.
const ProtoWorkerGrant = "enigma/worker/grant/v1"

// GrantDomain signs grant requests.
const GrantDomain = signing.Domain("worker/grant/v1")

const (
	maxGrantRequest = 1 << 10
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

type signedGrantRequest struct {
	Request   GrantRequest
	Signature []byte
}

// Refusal labels of enigma_worker_grants_total.
const (
	grantOK           = "ok"
	grantMalformed    = "malformed"
	grantWrongNode    = "wrong_node"
	grantExpired      = "expired"
	grantBadSignature = "bad_signature"
	grantNotWorker    = "not_worker"
	grantNoKeys       = "no_keys"
	grantAccessCheck  = "access_check_failed"
	grantNoAccess     = "no_access"
)

// serveGrant answers a grant request, cheapest checks first; every refusal
// says what to do and counts in enigma_worker_grants_total.
func (r *WorkerRole) serveGrant(ctx context.Context, _ identity.NodeID, body []byte) ([]byte, error) {
	refuse := func(label, format string, args ...any) ([]byte, error) {
		r.grants.WithLabelValues(label).Inc()
		return nil, fmt.Errorf(format, args...)
	}
	var sr signedGrantRequest
	if err := signing.Decode(body, &sr, maxGrantRequest); err != nil {
		return refuse(grantMalformed, "grant request: %v", err)
	}
	req := &sr.Request
	if req.Worker != r.self {
		return refuse(grantWrongNode, "the grant request is for worker %s, this is %s: sign one for each worker you ask", req.Worker.Short(), r.self.Short())
	}
	now := time.Now()
	expiry := time.Unix(int64(min(req.Expiry, 1<<62)), 0)
	if !now.Before(expiry) || expiry.After(now.Add(GrantMaxLifetime)) {
		return refuse(grantExpired, "grant request expires at %s, not within %v of this worker's time %s: sign a fresh one (and check your clock)", expiry.UTC().Format(time.RFC3339), GrantMaxLifetime, now.UTC().Format(time.RFC3339))
	}
	if len(req.GrantKey) != seal.PublicKeySize {
		return refuse(grantMalformed, "grant key is %d bytes, want %d", len(req.GrantKey), seal.PublicKeySize)
	}
	signer, err := signing.RecoverAccount(GrantDomain, r.chainID, req, sr.Signature)
	if err != nil || signer != req.Subscriber {
		return refuse(grantBadSignature, "the grant request is not signed by %s (domain %s, chain %d)", req.Subscriber.Hex(), GrantDomain, r.chainID)
	}
	rec, ok := r.catalog.Record(req.Dataset)
	if !ok || !slices.Contains(rec.Signed.Metadata.Workers, r.self) {
		return refuse(grantNotWorker, "worker %s is not named in the certified record of dataset %s it knows; ask a worker the record names", r.self.Short(), req.Dataset.Hex())
	}
	keys, err := worker.KeysFromDir(r.keysDir)(req.Dataset)
	if err != nil {
		r.log.Warn("grant asked for a dataset whose keys this worker lacks", "dataset", rec.Signed.Metadata.Path(), "err", err)
		return refuse(grantNoKeys, "worker %s does not hold the column keys of %s (the provider delivers them when it lists or updates the dataset); ask another of its workers", r.self.Short(), rec.Signed.Metadata.Path())
	}
	if r.access == nil {
		return refuse(grantAccessCheck, "worker %s cannot check access on chain; ask another of the dataset's workers", r.self.Short())
	}
	level, err := r.access.HasAccess(ctx, req.Dataset, req.Subscriber)
	if err != nil {
		r.log.Warn("access check for a grant failed", "dataset", rec.Signed.Metadata.Path(), "err", err)
		return refuse(grantAccessCheck, "worker %s cannot check access on chain right now; retry or ask another of the dataset's workers", r.self.Short())
	}
	if level == access.LevelNone {
		return refuse(grantNoAccess, "%s has no subscription or trial of %s on chain: subscribe first ('enigma subscriber subscribe %s')", req.Subscriber.Hex(), rec.Signed.Metadata.Path(), rec.Signed.Metadata.Path())
	}
	grant, err := colcrypt.SealGrant(rand.Reader, keys, req.Dataset, req.GrantKey)
	if err != nil {
		return refuse(grantMalformed, "seal the grant: %v", err)
	}
	r.grants.WithLabelValues(grantOK).Inc()
	r.log.Info("granted column keys", "dataset", rec.Signed.Metadata.Path(), "subscriber", req.Subscriber.Hex())
	return grant, nil
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
	enc, err := signing.Encode(&signedGrantRequest{Request: req, Signature: sig})
	if err != nil {
		return nil, err
	}
	grant, err := net.Call(ctx, workerID, "", ProtoWorkerGrant, enc)
	if err != nil {
		return nil, fmt.Errorf("ask worker %s for the column keys: %w", workerID.Short(), err)
	}
	return grant, nil
}

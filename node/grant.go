package node

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"time"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/signing"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
)

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
	var sr workerkeys.SignedGrantRequest
	if err := signing.Decode(body, &sr, workerkeys.MaxGrantRequest); err != nil {
		return refuse(grantMalformed, "grant request: %v", err)
	}
	req := &sr.Request
	if req.Worker != r.self {
		return refuse(grantWrongNode, "the grant request is for worker %s, this is %s: sign one for each worker you ask", req.Worker.Short(), r.self.Short())
	}
	now := r.clock.Now()
	expiry := time.Unix(int64(min(req.Expiry, 1<<62)), 0)
	if !now.Before(expiry) || expiry.After(now.Add(workerkeys.GrantMaxLifetime)) {
		return refuse(grantExpired, "grant request expires at %s, not within %v of this worker's time %s: sign a fresh one (and check your clock)", expiry.UTC().Format(time.RFC3339), workerkeys.GrantMaxLifetime, now.UTC().Format(time.RFC3339))
	}
	if len(req.GrantKey) != seal.PublicKeySize {
		return refuse(grantMalformed, "grant key is %d bytes, want %d", len(req.GrantKey), seal.PublicKeySize)
	}
	signer, err := sr.Signer(r.chainID)
	if err != nil || signer != req.Subscriber {
		return refuse(grantBadSignature, "the grant request is not signed by %s (domain %s, chain %d)", req.Subscriber.Hex(), workerkeys.GrantDomain, r.chainID)
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

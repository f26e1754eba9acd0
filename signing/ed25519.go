package signing

import (
	"crypto/ed25519"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// Node signatures are made and checked with curve25519-voi, which signs
// ~1.7× and verifies ~1.4× faster than crypto/ed25519 (~1.6× with a
// prepared key), under crypto/ed25519's acceptance rules exactly: every
// node must accept the same signatures, or a signature one validator
// counts another refuses. The rules (voi's VerifyOptionsStdLib):
// cofactorless, S canonical, R's encoding the canonical one of the point
// the check computes, A any encoding of a point, small-order points
// allowed. TestNodeVerifyMatchesCryptoEd25519 and FuzzNodeVerify hold the
// two to the same answers; signatures are byte for byte crypto/ed25519's
// (RFC 8032 signing is deterministic).
var stdlibRules = &voi.Options{Verify: voi.VerifyOptionsStdLib}

// SignNodeDigest signs a digest from Digest with an Ed25519 node key.
func SignNodeDigest(key ed25519.PrivateKey, digest common.Hash) []byte {
	return voi.Sign(voi.PrivateKey(key), digest[:])
}

// VerifyNodeDigest checks an Ed25519 signature over a digest from Digest.
func VerifyNodeDigest(pub ed25519.PublicKey, digest common.Hash, sig []byte) error {
	if err := checkNodeSizes(pub, sig); err != nil {
		return err
	}
	if !voi.VerifyWithOptions(voi.PublicKey(pub), digest[:], sig, stdlibRules) {
		return fmt.Errorf("%w: node signature does not match", ErrBadSignature)
	}
	return nil
}

func checkNodeSizes(pub ed25519.PublicKey, sig []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: node public key is %d bytes, want %d", ErrBadSignature, len(pub), ed25519.PublicKeySize)
	}
	if len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("%w: node signature is %d bytes, want %d", ErrBadSignature, len(sig), ed25519.SignatureSize)
	}
	return nil
}

// NodeVerifyKey is a node's Ed25519 public key prepared for many checks:
// its point decoded and a table of its multiples computed once (~1.5 KiB,
// tens of microseconds), which saves about a third of every later check.
// It is for keys that sign many messages, such as a validator set's.
type NodeVerifyKey struct {
	pub ed25519.PublicKey
	// exp is nil when pub is not the encoding of a point: every signature
	// then fails, as crypto/ed25519 would fail it.
	exp *voi.ExpandedPublicKey
}

// NewNodeVerifyKey prepares pub. A key that is not a point is kept, and no
// signature verifies under it.
func NewNodeVerifyKey(pub ed25519.PublicKey) *NodeVerifyKey {
	k := &NodeVerifyKey{pub: pub}
	if len(pub) == ed25519.PublicKeySize {
		k.exp, _ = voi.NewExpandedPublicKey(voi.PublicKey(pub))
	}
	return k
}

// Public returns the key as it was given.
func (k *NodeVerifyKey) Public() ed25519.PublicKey { return k.pub }

// VerifyDigest is VerifyNodeDigest under the prepared key.
func (k *NodeVerifyKey) VerifyDigest(digest common.Hash, sig []byte) error {
	if err := checkNodeSizes(k.pub, sig); err != nil {
		return err
	}
	switch {
	case k.exp == nil:
		return fmt.Errorf("%w: node public key is not a curve point", ErrBadSignature)
	case !voi.VerifyExpandedWithOptions(k.exp, digest[:], sig, stdlibRules):
		return fmt.Errorf("%w: node signature does not match", ErrBadSignature)
	}
	return nil
}

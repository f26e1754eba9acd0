package signing

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// Domain names a signed message type and its version, e.g. "ledger/metadata/v1".
type Domain string

// ErrBadSignature is returned (wrapped) by every verification failure.
var ErrBadSignature = errors.New("bad signature")

// AccountSignatureSize is the length of a secp256k1 signature [R || S || V].
const AccountSignatureSize = 65

// secp256k1HalfN is n/2 for the secp256k1 curve order; S above it is malleable.
var secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// envelope is what the digest covers. Payload is already RLP so the digest
// can be computed over any encodable value.
type envelope struct {
	Magic   string
	Domain  string
	ChainID uint64
	Payload rlp.RawValue
}

// Digest returns the domain-separated hash of payload.
func Digest(domain Domain, chainID uint64, payload any) (common.Hash, error) {
	enc, err := rlp.EncodeToBytes(payload)
	if err != nil {
		return common.Hash{}, fmt.Errorf("encode %s payload: %w", domain, err)
	}
	return DigestEncoded(domain, chainID, enc)
}

// DigestEncoded is Digest for a payload that is already RLP-encoded.
func DigestEncoded(domain Domain, chainID uint64, payloadRLP []byte) (common.Hash, error) {
	if domain == "" {
		return common.Hash{}, errors.New("signing: empty domain")
	}
	enc, err := rlp.EncodeToBytes(envelope{Magic: "enigma", Domain: string(domain), ChainID: chainID, Payload: payloadRLP})
	if err != nil {
		return common.Hash{}, fmt.Errorf("encode %s envelope: %w", domain, err)
	}
	return crypto.Keccak256Hash(enc), nil
}

// SignNode signs payload with an Ed25519 node key.
func SignNode(key ed25519.PrivateKey, domain Domain, chainID uint64, payload any) ([]byte, error) {
	d, err := Digest(domain, chainID, payload)
	if err != nil {
		return nil, err
	}
	return SignNodeDigest(key, d), nil
}

// VerifyNode checks an Ed25519 signature made by SignNode.
func VerifyNode(pub ed25519.PublicKey, domain Domain, chainID uint64, payload any, sig []byte) error {
	d, err := Digest(domain, chainID, payload)
	if err != nil {
		return err
	}
	return VerifyNodeDigest(pub, d, sig)
}

// AccountHash is the hash an account key actually signs: the EIP-191
// personal-message hash of the domain-separated digest.
func AccountHash(digest common.Hash) []byte { return accounts.TextHash(digest[:]) }

// SignAccount signs payload with a secp256k1 account key.
func SignAccount(key *ecdsa.PrivateKey, domain Domain, chainID uint64, payload any) ([]byte, error) {
	d, err := Digest(domain, chainID, payload)
	if err != nil {
		return nil, err
	}
	return crypto.Sign(AccountHash(d), key)
}

// RecoverAccount returns the address that signed payload.
func RecoverAccount(domain Domain, chainID uint64, payload any, sig []byte) (common.Address, error) {
	d, err := Digest(domain, chainID, payload)
	if err != nil {
		return common.Address{}, err
	}
	return RecoverAccountDigest(d, sig)
}

// RecoverAccountDigest returns the address that signed a digest from Digest.
func RecoverAccountDigest(digest common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != AccountSignatureSize {
		return common.Address{}, fmt.Errorf("%w: account signature is %d bytes, want %d", ErrBadSignature, len(sig), AccountSignatureSize)
	}
	norm := make([]byte, AccountSignatureSize)
	copy(norm, sig)
	if norm[64] >= 27 {
		norm[64] -= 27
	}
	if norm[64] > 1 {
		return common.Address{}, fmt.Errorf("%w: recovery id %d is not 0, 1, 27 or 28", ErrBadSignature, sig[64])
	}
	if new(big.Int).SetBytes(norm[32:64]).Cmp(secp256k1HalfN) > 0 {
		return common.Address{}, fmt.Errorf("%w: malleable (high-S) signature", ErrBadSignature)
	}
	pub, err := crypto.SigToPub(AccountHash(digest), norm)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// VerifyAccount checks that want signed payload.
func VerifyAccount(want common.Address, domain Domain, chainID uint64, payload any, sig []byte) error {
	got, err := RecoverAccount(domain, chainID, payload, sig)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: signed by %s, want %s", ErrBadSignature, got.Hex(), want.Hex())
	}
	return nil
}

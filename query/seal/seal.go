package seal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"
)

// Sizes of keys and of the overhead a sealed box adds to its plaintext.
const (
	PublicKeySize  = 32
	PrivateKeySize = 32
	Overhead       = 32 + 16
)

const kemID = hpke.KEM_X25519_HKDF_SHA256

var suite = hpke.NewSuite(kemID, hpke.KDF_HKDF_SHA256, hpke.AEAD_ChaCha20Poly1305)

// ErrOpen is returned (wrapped) when a box does not open: wrong key, wrong
// info or associated data, or a tampered box.
var ErrOpen = errors.New("sealed box does not open")

// PrivateKey is a recipient's secret; it is the seed of an X25519 key pair.
type PrivateKey struct {
	seed [PrivateKeySize]byte
	pub  kem.PublicKey
	priv kem.PrivateKey
}

// GenerateKey draws a new private key from rnd (crypto/rand.Reader in
// production).
func GenerateKey(rnd io.Reader) (*PrivateKey, error) {
	var seed [PrivateKeySize]byte
	if _, err := io.ReadFull(rnd, seed[:]); err != nil {
		return nil, fmt.Errorf("generate HPKE key: %w", err)
	}
	return PrivateKeyFromSeed(seed[:])
}

// PrivateKeyFromSeed rebuilds a private key from its 32-byte seed.
func PrivateKeyFromSeed(seed []byte) (*PrivateKey, error) {
	if len(seed) != PrivateKeySize {
		return nil, fmt.Errorf("HPKE private key is %d bytes, want %d", len(seed), PrivateKeySize)
	}
	k := &PrivateKey{}
	copy(k.seed[:], seed)
	k.pub, k.priv = kemID.Scheme().DeriveKeyPair(k.seed[:])
	return k, nil
}

// Seed returns the 32 bytes that PrivateKeyFromSeed takes back.
func (k *PrivateKey) Seed() []byte { return bytes.Clone(k.seed[:]) }

// PublicKey returns the 32-byte X25519 public key to publish.
func (k *PrivateKey) PublicKey() []byte {
	b, err := k.pub.MarshalBinary()
	if err != nil {
		// X25519 public keys always marshal; a failure is a broken library.
		panic(fmt.Sprintf("seal: marshal X25519 public key: %v", err))
	}
	return b
}

// Seal encrypts plaintext to the holder of the private key behind pub. info
// names the purpose (a domain tag); aad is authenticated but not encrypted.
func Seal(rnd io.Reader, pub []byte, info, aad, plaintext []byte) ([]byte, error) {
	if len(pub) != PublicKeySize {
		return nil, fmt.Errorf("HPKE public key is %d bytes, want %d", len(pub), PublicKeySize)
	}
	pk, err := kemID.Scheme().UnmarshalBinaryPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("HPKE public key: %w", err)
	}
	sender, err := suite.NewSender(pk, info)
	if err != nil {
		return nil, fmt.Errorf("HPKE sender: %w", err)
	}
	enc, sealer, err := sender.Setup(rnd)
	if err != nil {
		return nil, fmt.Errorf("HPKE setup: %w", err)
	}
	ct, err := sealer.Seal(plaintext, aad)
	if err != nil {
		return nil, fmt.Errorf("HPKE seal: %w", err)
	}
	return append(enc, ct...), nil
}

// Open decrypts a box made by Seal with the same info and aad.
func Open(k *PrivateKey, info, aad, box []byte) ([]byte, error) {
	if len(box) < Overhead {
		return nil, fmt.Errorf("%w: box is %d bytes, shorter than the %d-byte overhead", ErrOpen, len(box), Overhead)
	}
	receiver, err := suite.NewReceiver(k.priv, info)
	if err != nil {
		return nil, fmt.Errorf("HPKE receiver: %w", err)
	}
	opener, err := receiver.Setup(box[:32])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	pt, err := opener.Open(box[32:], aad)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	return pt, nil
}

// SaveKey writes the key's seed to path with mode 0600, refusing to
// overwrite an existing file.
func SaveKey(path string, k *PrivateKey) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("save HPKE key: %w (move the existing file away to make a new key)", err)
	}
	if _, err := f.Write(k.seed[:]); err != nil {
		f.Close()
		return fmt.Errorf("save HPKE key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save HPKE key %s: %w", path, err)
	}
	return nil
}

// LoadKey reads a key written by SaveKey.
func LoadKey(path string) (*PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load HPKE key: %w", err)
	}
	k, err := PrivateKeyFromSeed(b)
	if err != nil {
		return nil, fmt.Errorf("load HPKE key %s: %w", path, err)
	}
	return k, nil
}

package identity

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// NodeID names a node: SHA-256 of its Ed25519 public key.
type NodeID [32]byte

// IDFromPublicKey returns the NodeID of an Ed25519 public key.
func IDFromPublicKey(pub ed25519.PublicKey) NodeID { return sha256.Sum256(pub) }

// String returns the ID as lowercase hex.
func (id NodeID) String() string { return hex.EncodeToString(id[:]) }

// Short returns the first 8 hex digits, for logs.
func (id NodeID) Short() string { return hex.EncodeToString(id[:4]) }

// ParseNodeID parses 64 hex digits, with or without a 0x prefix.
func ParseNodeID(s string) (NodeID, error) {
	var id NodeID
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("node ID %q: want 64 hex digits", s)
	}
	copy(id[:], b)
	return id, nil
}

// NodeKey is a node's Ed25519 key.
type NodeKey struct {
	priv ed25519.PrivateKey
}

// GenerateNodeKey makes a key from the entropy in r (crypto/rand.Reader in
// production).
func GenerateNodeKey(r io.Reader) (*NodeKey, error) {
	_, priv, err := ed25519.GenerateKey(r)
	if err != nil {
		return nil, fmt.Errorf("generate node key: %w", err)
	}
	return &NodeKey{priv: priv}, nil
}

// NodeKeyFromSeed rebuilds a key from its 32-byte seed.
func NodeKeyFromSeed(seed []byte) (*NodeKey, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("node key seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return &NodeKey{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// Private returns the Ed25519 private key for signing. Never log it.
func (k *NodeKey) Private() ed25519.PrivateKey { return k.priv }

// Public returns the Ed25519 public key.
func (k *NodeKey) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// ID returns the node's ID.
func (k *NodeKey) ID() NodeID { return IDFromPublicKey(k.Public()) }

// ErrKeyExists is returned by SaveNodeKey when the file is already there.
var ErrKeyExists = errors.New("node key file already exists")

// SaveNodeKey writes the key's seed as hex to path with mode 0600. It never
// overwrites an existing key: losing a node key loses the node's identity.
func SaveNodeKey(path string, k *NodeKey) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create key directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s (move it away first if you really want a new identity)", ErrKeyExists, path)
	}
	if err != nil {
		return fmt.Errorf("create node key file: %w", err)
	}
	_, werr := f.WriteString(hex.EncodeToString(k.priv.Seed()) + "\n")
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(path)
		return fmt.Errorf("write node key file: %w", err)
	}
	return nil
}

// LoadNodeKey reads a key written by SaveNodeKey. It refuses a file that
// group or others can access, as ssh does.
func LoadNodeKey(path string) (*NodeKey, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no node key at %s: run 'enigma node key new' first: %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("node key %s has mode %o; it must be readable by its owner only (chmod 600 %s)", path, info.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read node key: %w", err)
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("node key %s is not hex: it is damaged or not a node key", path)
	}
	return NodeKeyFromSeed(seed)
}

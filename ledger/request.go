package ledger

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// RequestDomain separates the signature that binds a ledger request to its
// PBFT client ID and timestamp.
const RequestDomain signing.Domain = "ledger/request/v1"

// ErrRequestBinding is returned (wrapped) when a request's client ID or
// timestamp is not the one its signer signed for.
var ErrRequestBinding = errors.New("request not signed for its client ID and timestamp")

// Client ID prefixes: a ledger client ID names the key that signs for it.
const (
	accountClientPrefix = "account/"
	nodeClientPrefix    = "node/"
)

// AccountClientID is the PBFT client ID of an Ethereum account.
func AccountClientID(a common.Address) string { return accountClientPrefix + strings.ToLower(a.Hex()) }

// NodeClientID is the PBFT client ID of a node key.
func NodeClientID(id identity.NodeID) string { return nodeClientPrefix + hex.EncodeToString(id[:]) }

// Request is the payload of a PBFT request to the ledger: a command and the
// signature of the client over (client ID, timestamp, command hash). The
// engine de-duplicates requests by client and timestamp and refuses a
// client's older timestamps, so a client ID must be spendable only by its
// key: the ID names the key (AccountClientID, NodeClientID), and the
// signature covers the timestamp. Whoever copies another party's command
// can submit it only under their own client ID.
type Request struct {
	Command []byte
	// NodeKey is the Ed25519 public key of a node client; empty for an
	// account, whose address is recovered from the signature.
	NodeKey   []byte
	Signature []byte
}

// requestPayload is what a request's signature covers.
type requestPayload struct {
	Client      string
	Timestamp   uint64
	CommandHash common.Hash
}

// MaxRequestSize bounds a request payload: a command and its signature.
const MaxRequestSize = MaxCommandSize + 256

// RequestSigner signs ledger requests under the client ID its key owns.
type RequestSigner interface {
	ClientID() string
	// SignRequest returns the PBFT request payload for cmd at timestamp ts.
	SignRequest(chainID, ts uint64, cmd []byte) ([]byte, error)
}

// AccountSigner signs requests with an Ethereum account key (providers).
type AccountSigner struct{ Key *ecdsa.PrivateKey }

// ClientID implements RequestSigner.
func (s AccountSigner) ClientID() string {
	return AccountClientID(crypto.PubkeyToAddress(s.Key.PublicKey))
}

// SignRequest implements RequestSigner.
func (s AccountSigner) SignRequest(chainID, ts uint64, cmd []byte) ([]byte, error) {
	sig, err := signing.SignAccount(s.Key, RequestDomain, chainID, requestPayload{s.ClientID(), ts, crypto.Keccak256Hash(cmd)})
	if err != nil {
		return nil, fmt.Errorf("sign ledger request: %w", err)
	}
	return signing.Encode(Request{Command: cmd, Signature: sig})
}

// NodeSigner signs requests with a node key (validators' attestations).
type NodeSigner struct{ Key *identity.NodeKey }

// ClientID implements RequestSigner.
func (s NodeSigner) ClientID() string { return NodeClientID(s.Key.ID()) }

// SignRequest implements RequestSigner.
func (s NodeSigner) SignRequest(chainID, ts uint64, cmd []byte) ([]byte, error) {
	sig, err := signing.SignNode(s.Key.Private(), RequestDomain, chainID, requestPayload{s.ClientID(), ts, crypto.Keccak256Hash(cmd)})
	if err != nil {
		return nil, fmt.Errorf("sign ledger request: %w", err)
	}
	return signing.Encode(Request{Command: cmd, NodeKey: s.Key.Public(), Signature: sig})
}

// DecodeRequest decodes a request payload without checking its signature
// (Apply takes requests whose signatures a quorum checked).
func DecodeRequest(payload []byte) (Request, error) {
	var r Request
	if err := signing.Decode(payload, &r, MaxRequestSize); err != nil {
		return Request{}, fmt.Errorf("%w: ledger request: %v", ErrMalformed, err)
	}
	return r, nil
}

// OpenRequest checks that payload was signed for (client, ts) by the key the
// client ID names, and returns its command.
func OpenRequest(chainID uint64, client string, ts uint64, payload []byte) ([]byte, error) {
	r, err := DecodeRequest(payload)
	if err != nil {
		return nil, err
	}
	p := requestPayload{client, ts, crypto.Keccak256Hash(r.Command)}
	switch {
	case strings.HasPrefix(client, accountClientPrefix):
		if len(r.NodeKey) != 0 {
			return nil, fmt.Errorf("%w: an account client's request carries a node key", ErrRequestBinding)
		}
		signer, err := signing.RecoverAccount(RequestDomain, chainID, p, r.Signature)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrRequestBinding, err)
		}
		if want := AccountClientID(signer); want != client {
			return nil, fmt.Errorf("%w: client %s, but signed by %s", ErrRequestBinding, client, want)
		}
	case strings.HasPrefix(client, nodeClientPrefix):
		if len(r.NodeKey) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: node key is %d bytes", ErrRequestBinding, len(r.NodeKey))
		}
		if want := NodeClientID(identity.IDFromPublicKey(r.NodeKey)); want != client {
			return nil, fmt.Errorf("%w: client %s, but the key is %s's", ErrRequestBinding, client, want)
		}
		if err := signing.VerifyNode(r.NodeKey, RequestDomain, chainID, p, r.Signature); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrRequestBinding, err)
		}
	default:
		return nil, fmt.Errorf("%w: client ID %.40q names no key (want %s… or %s…)", ErrRequestBinding, client, accountClientPrefix, nodeClientPrefix)
	}
	return r.Command, nil
}

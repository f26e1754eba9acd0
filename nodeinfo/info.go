package nodeinfo

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// Protocol asks a node which roles it serves and, for one dataset, what
// its roles do with it: whether it takes the dataset (pre-flight of a
// listing, before any transaction), the version it knows, a worker's job,
// keys and last runs, a persistence node's versions and rows. Every node
// answers it. The QUIC connection authenticates the answering node's ID, so
// the answer is signed by nothing else. A request signed by the dataset's
// provider account (domain node/info/v1) also gets the runs' error texts,
// which may quote the provider's data.
const Protocol = "enigma/node/info/v1"

// Domain signs info requests that ask for run errors.
const Domain = signing.Domain("node/info/v1")

// Bounds of the protocol.
const (
	// MaxRequest bounds a request (the answering node's host enforces it).
	MaxRequest  = 1 << 10
	maxResponse = 256 << 10
	// MaxLifetime bounds how far ahead a signed request's expiry may be.
	MaxLifetime = 2 * time.Minute
)

// Request is a question to one node. Account and Signature are
// optional: with them (the provider's account), run errors are included.
type Request struct {
	Node      identity.NodeID // the node asked; others refuse
	Dataset   common.Hash     // zero: roles only
	Expiry    uint64          // Unix seconds
	Account   common.Address
	Signature []byte
}

// signed is the part of a Request the account signs.
type signed struct {
	Node    identity.NodeID
	Dataset common.Hash
	Expiry  uint64
	Account common.Address
}

// Response is a node's answer.
type Response struct {
	Node        identity.NodeID
	Roles       []string
	Worker      WorkerInfo
	Persistence PersistenceInfo
}

// Serves reports whether the node runs role.
func (r *Response) Serves(role Role) bool { return slices.Contains(r.Roles, string(role)) }

// WorkerInfo is what a worker says about a dataset.
type WorkerInfo struct {
	// Accepts: the node would run a job for the dataset; Refusal says why
	// not.
	Accepts bool
	Refusal string
	// Named: the newest certified record the node knows (KnownVersion)
	// names it among the dataset's workers.
	Named        bool
	KnownVersion uint64
	JobVersion   uint64 // the scheduled job's version; 0: none
	HasKeys      bool   // it holds the dataset's column keys
	StagedFiles  uint64 // files in the job directory the script may read
	Runs         []RunInfo
}

// RunInfo is one run, as a worker recorded it.
type RunInfo struct {
	Version    uint64
	SlotMicros uint64
	Status     string
	Rows       uint64
	NodesOK    uint64
	NodesTotal uint64
	// Error is a failed run's error, reported to the provider only.
	Error string
}

// PersistenceInfo is what a persistence node says about a dataset.
type PersistenceInfo struct {
	Accepts      bool
	Refusal      string
	Named        bool
	KnownVersion uint64
	Tables       []TableInfo
}

// TableInfo is one stored version of a dataset.
type TableInfo struct {
	Version          uint64
	Serving          bool
	HasRun           bool
	NewestSlotMicros uint64
	Rows             uint64
	RowsCapped       bool
}

// Caller is what Ask needs from the overlay host (overlay.Host):
// authenticated request/response to a node ID.
type Caller interface {
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

// Ask asks one node about a dataset (zero: roles only). With key, the
// request is signed by that account, so a dataset's provider also gets its
// runs' errors.
func Ask(ctx context.Context, net Caller, chainID uint64, node identity.NodeID, ds common.Hash, key *ecdsa.PrivateKey) (*Response, error) {
	req := Request{Node: node, Dataset: ds, Expiry: uint64(time.Now().Add(time.Minute).Unix())}
	if key != nil {
		req.Account = crypto.PubkeyToAddress(key.PublicKey)
		sig, err := signing.SignAccount(key, Domain, chainID, signed{req.Node, req.Dataset, req.Expiry, req.Account})
		if err != nil {
			return nil, err
		}
		req.Signature = sig
	}
	enc, err := signing.Encode(&req)
	if err != nil {
		return nil, err
	}
	out, err := net.Call(ctx, node, "", Protocol, enc)
	if err != nil {
		return nil, fmt.Errorf("ask node %s: %w", node.Short(), err)
	}
	var resp Response
	if err := signing.Decode(out, &resp, maxResponse); err != nil {
		return nil, fmt.Errorf("node %s's answer: %w", node.Short(), err)
	}
	if resp.Node != node {
		return nil, fmt.Errorf("node %s answered for node %s", node.Short(), resp.Node.Short())
	}
	return &resp, nil
}

// Signer checks a request's signature and returns the account that signed
// it, or the zero address for an unsigned request. A signed request must
// not have expired at now, nor expire more than MaxLifetime after it.
func (r *Request) Signer(chainID uint64, now time.Time) (common.Address, error) {
	if len(r.Signature) == 0 {
		return common.Address{}, nil
	}
	expiry := time.Unix(int64(min(r.Expiry, 1<<62)), 0)
	if !now.Before(expiry) || expiry.After(now.Add(MaxLifetime)) {
		return common.Address{}, fmt.Errorf("info request expires at %s, not within %v of this node's time %s: sign a fresh one (and check the clock)", expiry.UTC().Format(time.RFC3339), MaxLifetime, now.UTC().Format(time.RFC3339))
	}
	got, err := signing.RecoverAccount(Domain, chainID, signed{r.Node, r.Dataset, r.Expiry, r.Account}, r.Signature)
	if err != nil || got != r.Account {
		return common.Address{}, fmt.Errorf("info request: the signature is not %s's (signed under %s, chain %d?)", r.Account.Hex(), Domain, chainID)
	}
	return got, nil
}

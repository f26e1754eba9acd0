package node

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

// ProtoInfo asks a node which roles it serves and, for one dataset, what
// its roles do with it: whether it takes the dataset (pre-flight of a
// listing, before any transaction), the version it knows, a worker's job,
// keys and last runs, a persistence node's versions and rows. Every node
// answers it. The QUIC connection authenticates the answering node's ID, so
// the answer is signed by nothing else. A request signed by the dataset's
// provider account (domain node/info/v1) also gets the runs' error texts,
// which may quote the provider's data.
const ProtoInfo = "enigma/node/info/v1"

// InfoDomain signs info requests that ask for run errors.
const InfoDomain = signing.Domain("node/info/v1")

// Bounds of the info protocol.
const (
	maxInfoRequest  = 1 << 10
	maxInfoResponse = 256 << 10
	// InfoRuns is how many of a dataset's latest runs a worker reports.
	InfoRuns = 5
	// InfoMaxRows bounds the rows a persistence node counts per table for
	// an answer (a key-only scan); answers are cached InfoCacheTTL.
	InfoMaxRows  = 1_000_000
	InfoCacheTTL = 10 * time.Second
	// infoErrorChars bounds one run error in an answer.
	infoErrorChars = 512
	// infoMaxLifetime bounds a signed request's expiry.
	infoMaxLifetime = 2 * time.Minute
)

// InfoRequest is a question to one node. Account and Signature are
// optional: with them (the provider's account), run errors are included.
type InfoRequest struct {
	Node      identity.NodeID // the node asked; others refuse
	Dataset   common.Hash     // zero: roles only
	Expiry    uint64          // Unix seconds
	Account   common.Address
	Signature []byte
}

// infoSigned is the part of an InfoRequest the account signs.
type infoSigned struct {
	Node    identity.NodeID
	Dataset common.Hash
	Expiry  uint64
	Account common.Address
}

// InfoResponse is a node's answer.
type InfoResponse struct {
	Node        identity.NodeID
	Roles       []string
	Worker      WorkerInfo
	Persistence PersistenceInfo
}

// Serves reports whether the node runs role.
func (r *InfoResponse) Serves(role Role) bool { return slices.Contains(r.Roles, string(role)) }

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

// InfoSource is a role's part of the info answer.
type InfoSource interface {
	// fillInfo adds what the role knows of the dataset (zero: nothing) to
	// resp; owner reports whether the provider signed the request.
	fillInfo(dataset common.Hash, owner func(provider common.Address) bool, resp *InfoResponse)
}

// InfoServer answers ProtoInfo for a node.
type InfoServer struct {
	Self    identity.NodeID
	ChainID uint64
	Roles   []Role
	Sources []InfoSource
	Now     func() time.Time
}

// Handle answers one request.
func (s *InfoServer) Handle(_ context.Context, _ identity.NodeID, body []byte) ([]byte, error) {
	var req InfoRequest
	if err := signing.Decode(body, &req, maxInfoRequest); err != nil {
		return nil, fmt.Errorf("info request: %w", err)
	}
	if req.Node != s.Self {
		return nil, fmt.Errorf("info request for node %s, this is node %s", req.Node.Short(), s.Self.Short())
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	signer := common.Address{}
	if len(req.Signature) > 0 {
		expiry := time.Unix(int64(min(req.Expiry, 1<<62)), 0)
		if t := now(); !t.Before(expiry) || expiry.After(t.Add(infoMaxLifetime)) {
			return nil, fmt.Errorf("info request expires at %s, not within %v of this node's time %s: sign a fresh one (and check the clock)", expiry.UTC().Format(time.RFC3339), infoMaxLifetime, t.UTC().Format(time.RFC3339))
		}
		got, err := signing.RecoverAccount(InfoDomain, s.ChainID, infoSigned{req.Node, req.Dataset, req.Expiry, req.Account}, req.Signature)
		if err != nil || got != req.Account {
			return nil, fmt.Errorf("info request: the signature is not %s's (signed under %s, chain %d?)", req.Account.Hex(), InfoDomain, s.ChainID)
		}
		signer = got
	}
	owner := func(provider common.Address) bool { return signer != (common.Address{}) && signer == provider }
	resp := InfoResponse{Node: s.Self}
	for _, r := range s.Roles {
		resp.Roles = append(resp.Roles, string(r))
	}
	if req.Dataset != (common.Hash{}) {
		for _, src := range s.Sources {
			src.fillInfo(req.Dataset, owner, &resp)
		}
	}
	return signing.Encode(&resp)
}

// AskInfo asks one node about a dataset (zero: roles only). With key, the
// request is signed by that account, so a dataset's provider also gets its
// runs' errors.
func AskInfo(ctx context.Context, net Caller, chainID uint64, node identity.NodeID, ds common.Hash, key *ecdsa.PrivateKey) (*InfoResponse, error) {
	req := InfoRequest{Node: node, Dataset: ds, Expiry: uint64(time.Now().Add(time.Minute).Unix())}
	if key != nil {
		req.Account = crypto.PubkeyToAddress(key.PublicKey)
		sig, err := signing.SignAccount(key, InfoDomain, chainID, infoSigned{req.Node, req.Dataset, req.Expiry, req.Account})
		if err != nil {
			return nil, err
		}
		req.Signature = sig
	}
	enc, err := signing.Encode(&req)
	if err != nil {
		return nil, err
	}
	out, err := net.Call(ctx, node, "", ProtoInfo, enc)
	if err != nil {
		return nil, fmt.Errorf("ask node %s: %w", node.Short(), err)
	}
	var resp InfoResponse
	if err := signing.Decode(out, &resp, maxInfoResponse); err != nil {
		return nil, fmt.Errorf("node %s's answer: %w", node.Short(), err)
	}
	if resp.Node != node {
		return nil, fmt.Errorf("node %s answered for node %s", node.Short(), resp.Node.Short())
	}
	return &resp, nil
}

func truncateError(s string) string {
	if len(s) <= infoErrorChars {
		return s
	}
	return s[:infoErrorChars] + "…"
}

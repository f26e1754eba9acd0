package node

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/signing"
)

// What a node's answer holds, and how much it costs the node.
const (
	// InfoRuns is how many of a dataset's latest runs a worker reports.
	InfoRuns = 5
	// InfoMaxRows bounds the rows a persistence node counts per table for
	// an answer (a key-only scan); answers are cached InfoCacheTTL.
	InfoMaxRows  = 1_000_000
	InfoCacheTTL = 10 * time.Second
	// infoErrorChars bounds one run error in an answer.
	infoErrorChars = 512
)

// InfoSource is a role's part of the info answer.
type InfoSource interface {
	// fillInfo adds what the role knows of the dataset (zero: nothing) to
	// resp; owner reports whether the provider signed the request.
	fillInfo(dataset common.Hash, owner func(provider common.Address) bool, resp *nodeinfo.Response)
}

// InfoServer answers nodeinfo.Protocol for a node.
type InfoServer struct {
	Self    identity.NodeID
	ChainID uint64
	Roles   []nodeinfo.Role
	Sources []InfoSource
	// Clock judges requests' expiry (nil: the system clock).
	Clock clock.Clock
}

// Handle answers one request.
func (s *InfoServer) Handle(_ context.Context, _ identity.NodeID, body []byte) ([]byte, error) {
	var req nodeinfo.Request
	if err := signing.Decode(body, &req, nodeinfo.MaxRequest); err != nil {
		return nil, fmt.Errorf("info request: %w", err)
	}
	if req.Node != s.Self {
		return nil, fmt.Errorf("info request for node %s, this is node %s", req.Node.Short(), s.Self.Short())
	}
	var clk clock.Clock = clock.System{}
	if s.Clock != nil {
		clk = s.Clock
	}
	signer, err := req.Signer(s.ChainID, clk.Now())
	if err != nil {
		return nil, err
	}
	owner := func(provider common.Address) bool { return signer != (common.Address{}) && signer == provider }
	resp := nodeinfo.Response{Node: s.Self}
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

func truncateError(s string) string {
	if len(s) <= infoErrorChars {
		return s
	}
	return s[:infoErrorChars] + "…"
}

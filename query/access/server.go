package access

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/query/sql"
	"github.com/enigma-mpc/enigma/signing"
)

// Level is a user's access to a dataset.
type Level uint8

// Access levels.
const (
	LevelNone Level = iota
	LevelTrial
	LevelSubscribed
)

// AccessChecker answers the Marketplace's hasAccess(dataset ID, user) at
// the latest confirmed block. The chain client implements it and caches
// answers per block.
type AccessChecker interface {
	HasAccess(ctx context.Context, datasetID common.Hash, user common.Address) (Level, error)
}

// Config configures a Server. Zero fields take defaults.
type Config struct {
	Store   *query.Store
	Access  AccessChecker
	ChainID uint64

	Limits query.Limits
	// TrialRowCap caps the rows a trial user gets per query (default 100).
	TrialRowCap int
	// MaxLifetime is how far ahead a request's expiry may be (default 10
	// minutes); it bounds how long nonces are remembered.
	MaxLifetime time.Duration
	// MaxReplayEntries bounds the replay cache (default 1,000,000).
	MaxReplayEntries int

	Clock  clock.Clock
	Rand   io.Reader // HPKE randomness; crypto/rand by default
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.TrialRowCap <= 0 {
		c.TrialRowCap = 100
	}
	if c.MaxLifetime <= 0 {
		c.MaxLifetime = 10 * time.Minute
	}
	if c.MaxReplayEntries <= 0 {
		c.MaxReplayEntries = 1_000_000
	}
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Server answers signed query requests.
type Server struct {
	cfg Config

	mu struct {
		sync.Mutex
		seen map[common.Hash]time.Time // hash(subscriber, nonce) → expiry
	}
}

// NewServer returns a Server; Store and Access are required.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Access == nil {
		return nil, errors.New("query server needs a Store and an AccessChecker")
	}
	s := &Server{cfg: cfg.withDefaults()}
	s.mu.seen = make(map[common.Hash]time.Time)
	return s, nil
}

// denial is a refused request.
type denial struct {
	reason Reason
	msg    string
}

func deny(r Reason, format string, args ...any) *denial {
	return &denial{reason: r, msg: fmt.Sprintf(format, args...)}
}

// Handle answers one encoded SignedRequest with an encoded Response. It is
// the function the overlay's QUIC host mounts for the query protocol.
func (s *Server) Handle(ctx context.Context, reqBytes []byte) []byte {
	resp := s.handle(ctx, reqBytes)
	b, err := signing.Encode(resp)
	if err != nil {
		s.cfg.Logger.Error("encode query response", "err", err)
		b, _ = signing.Encode(&Response{RequestHash: resp.RequestHash, Status: StatusDenied, Reason: ReasonUnavailable, Message: "internal error"})
	}
	return b
}

// Protocol is the overlay protocol name under which persistence nodes
// answer query requests.
const Protocol = "enigma/query/v1"

// Handler adapts Handle to the overlay host's handler shape
// (host.Handle(access.Protocol, srv.Handler())). The connection's node ID is
// not needed: the request's signature identifies the subscriber.
func (s *Server) Handler() func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	return func(ctx context.Context, _ identity.NodeID, req []byte) ([]byte, error) {
		return s.Handle(ctx, req), nil
	}
}

func (s *Server) handle(ctx context.Context, reqBytes []byte) *Response {
	var sr SignedRequest
	if err := signing.Decode(reqBytes, &sr, MaxRequestSize); err != nil {
		return &Response{Status: StatusDenied, Reason: ReasonMalformed, Message: "request does not decode: " + err.Error()}
	}
	req := &sr.Request
	h, err := req.Hash(s.cfg.ChainID)
	if err != nil {
		return &Response{Status: StatusDenied, Reason: ReasonMalformed, Message: "request does not encode"}
	}
	resp := &Response{RequestHash: h}
	d := s.check(ctx, h, &sr)
	if d == nil {
		var sealed []byte
		sealed, d = s.answer(ctx, h, req)
		if d == nil {
			resp.Sealed = sealed
			return resp
		}
	}
	resp.Status, resp.Reason, resp.Message = StatusDenied, d.reason, d.msg
	s.cfg.Logger.Debug("query denied", "subscriber", req.Subscriber, "dataset", req.Dataset, "reason", d.reason, "msg", d.msg)
	return resp
}

// check runs every check before the query: expiry, signature, replay,
// dataset, access.
func (s *Server) check(ctx context.Context, h common.Hash, sr *SignedRequest) *denial {
	req := &sr.Request
	now := s.cfg.Clock.Now()
	expiry := time.Unix(int64(min(req.Expiry, 1<<62)), 0)
	if !now.Before(expiry) {
		return deny(ReasonExpired, "request expired at %s; the node's time is %s (check your clock and send a new request)", expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if expiry.After(now.Add(s.cfg.MaxLifetime)) {
		return deny(ReasonExpired, "request expiry %s is more than %v ahead; use a shorter expiry", expiry.UTC().Format(time.RFC3339), s.cfg.MaxLifetime)
	}
	if len(req.ReplyKey) != seal.PublicKeySize {
		return deny(ReasonMalformed, "reply key is %d bytes, want %d", len(req.ReplyKey), seal.PublicKeySize)
	}
	signer, err := signing.RecoverAccountDigest(h, sr.Signature)
	if err != nil || signer != req.Subscriber {
		return deny(ReasonBadSignature, "the signature is not %s's over this request", req.Subscriber.Hex())
	}
	if d := s.remember(req, now, expiry); d != nil {
		return d
	}
	path, err := dataset.ParsePath(req.Dataset)
	if err != nil {
		return deny(ReasonMalformed, "%v", err)
	}
	if _, err := s.cfg.Store.Table(path.ID()); err != nil {
		return deny(ReasonUnknownDataset, "dataset %s is not stored on this node", path)
	}
	return nil
}

// remember records the request's nonce, refusing one seen before.
func (s *Server) remember(req *Request, now, expiry time.Time) *denial {
	key := crypto.Keccak256Hash(req.Subscriber[:], req.Nonce[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.mu.seen[key]; seen {
		return deny(ReasonReplay, "this request was already answered; send a new one with a fresh nonce")
	}
	if len(s.mu.seen) >= s.cfg.MaxReplayEntries {
		for k, exp := range s.mu.seen {
			if !now.Before(exp) {
				delete(s.mu.seen, k)
			}
		}
		if len(s.mu.seen) >= s.cfg.MaxReplayEntries {
			return deny(ReasonUnavailable, "the node is handling too many requests; retry in a minute")
		}
	}
	s.mu.seen[key] = expiry
	return nil
}

// answer checks access, runs the query and seals the result.
func (s *Server) answer(ctx context.Context, h common.Hash, req *Request) ([]byte, *denial) {
	path, _ := dataset.ParsePath(req.Dataset) // check() parsed it already
	level, err := s.cfg.Access.HasAccess(ctx, path.ID(), req.Subscriber)
	if err != nil {
		s.cfg.Logger.Warn("access check failed", "dataset", path, "err", err)
		return nil, deny(ReasonUnavailable, "the node cannot check access on-chain right now; retry later")
	}
	if level == LevelNone {
		return nil, deny(ReasonNoAccess, "%s has no subscription or active trial for %s", req.Subscriber.Hex(), path)
	}
	st, err := sql.Parse(req.Query)
	if err != nil {
		return nil, deny(ReasonBadQuery, "%v", err)
	}
	if !sameDataset(st.From, path) {
		return nil, deny(ReasonBadQuery, "the query reads %q but the request is for %s", st.From, path)
	}
	t, err := s.cfg.Store.Table(path.ID())
	if err != nil {
		return nil, deny(ReasonUnknownDataset, "dataset %s is not stored on this node", path)
	}
	lim := s.cfg.Limits
	trial := level == LevelTrial
	if trial && (lim.MaxResultRows <= 0 || lim.MaxResultRows > s.cfg.TrialRowCap) {
		lim.MaxResultRows = s.cfg.TrialRowCap
	}
	res, err := s.cfg.Store.Run(ctx, req.Query, st, t, query.QueryOptions{Limits: lim})
	if err != nil {
		var pe *sql.Error
		switch {
		case errors.As(err, &pe):
			return nil, deny(ReasonBadQuery, "%v", err)
		case errors.Is(err, query.ErrLimit):
			return nil, deny(ReasonLimit, "%v", err)
		}
		s.cfg.Logger.Error("query failed", "dataset", path, "err", err)
		return nil, deny(ReasonUnavailable, "internal error")
	}
	payload, err := encodePayload(res, trial && res.Truncated)
	if err != nil {
		s.cfg.Logger.Error("encode result", "err", err)
		return nil, deny(ReasonUnavailable, "internal error")
	}
	sealed, err := seal.Seal(s.cfg.Rand, req.ReplyKey, resultInfo, h[:], payload)
	if err != nil {
		return nil, deny(ReasonMalformed, "cannot seal the result to the reply key: %v", err)
	}
	return sealed, nil
}

// sameDataset reports whether a query's FROM names the path: the full path
// (address in any case) or the bare name.
func sameDataset(from string, path dataset.Path) bool {
	if from == path.Name {
		return true
	}
	p, err := dataset.ParsePath(strings.TrimSpace(from))
	return err == nil && p == path
}

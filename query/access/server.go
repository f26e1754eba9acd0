package access

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

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
	// Store holds the datasets and the server's durable state (the replay
	// window and trial usage).
	Store *query.Store
	// Engine runs the checked queries; nil: Store (the Pebble engine). A
	// persistence node whose rows live in PostgreSQL passes that backend.
	Engine Engine
	// HasRun says whether a versioned table may be served (a complete run
	// of it landed); nil: Store.HasRun. A provider's own PostgreSQL
	// relation has no runs and is always complete.
	HasRun func(*query.Table) bool
	Access AccessChecker
	// Self is the node this server answers for: a request must be
	// addressed to it.
	Self    identity.NodeID
	ChainID uint64

	Limits query.Limits
	// TrialRowCap is how many rows a trial account is served of a dataset
	// in total, over all its queries to this node (default 100).
	TrialRowCap int
	// MaxLifetime is how far ahead a request's expiry may be (default 2
	// minutes); it is how long nonces are remembered.
	MaxLifetime time.Duration
	// MaxReplayEntries bounds the replay window (default 1,000,000 live
	// requests); MaxPerRequester bounds one requester's share of it
	// (default 4,096).
	MaxReplayEntries int
	MaxPerRequester  int

	Clock  clock.Clock
	Rand   io.Reader // HPKE randomness; crypto/rand by default
	Logger *slog.Logger
	// Registerer, if set, receives the server's counters.
	Registerer prometheus.Registerer
}

// Engine runs a parsed statement that may read only table t (query.Store's
// Run is the Pebble engine's).
type Engine interface {
	Run(ctx context.Context, q string, st *sql.Statement, t *query.Table, opts query.QueryOptions) (*query.Result, error)
}

// JoinEngine is an Engine that also runs a statement joining several
// tables (query.Store's RunTables). A node whose engine is not one refuses
// requests that join datasets, as retryable elsewhere.
type JoinEngine interface {
	Engine
	RunTables(ctx context.Context, q string, st *sql.Statement, ts []*query.Table, opts query.QueryOptions) (*query.Result, error)
}

// Defaults of Config.
const (
	DefaultTrialRowCap      = 100
	DefaultMaxLifetime      = 2 * time.Minute
	DefaultMaxReplayEntries = 1_000_000
	DefaultMaxPerRequester  = 4096
)

func (c Config) withDefaults() Config {
	if c.TrialRowCap <= 0 {
		c.TrialRowCap = DefaultTrialRowCap
	}
	if c.MaxLifetime <= 0 {
		c.MaxLifetime = DefaultMaxLifetime
	}
	if c.MaxReplayEntries <= 0 {
		c.MaxReplayEntries = DefaultMaxReplayEntries
	}
	if c.MaxPerRequester <= 0 {
		c.MaxPerRequester = DefaultMaxPerRequester
	}
	if c.Engine == nil {
		c.Engine = c.Store
	}
	if c.HasRun == nil {
		c.HasRun = c.Store.HasRun
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

	refused  *prometheus.CounterVec
	answered prometheus.Counter
	// rows is the rows of each answered query, before sealing: the query
	// server is the one place that sees them (the node only times and
	// sizes the sealed answer).
	rows prometheus.Histogram

	mu struct {
		sync.Mutex
		window *replayWindow
		// pruned is the last second up to which expired nonces were
		// deleted from the store.
		pruned int64
	}
	trials struct {
		sync.Mutex
		// busy holds the (dataset, trial account) pairs with a query
		// running: one at a time, so rows served are counted before the
		// next query reads what is left.
		busy map[trialKey]struct{}
	}
}

// NewServer returns a Server; Store, Access and Self are required. It
// loads the replay window the store kept, so a restart does not reopen it.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Access == nil {
		return nil, errors.New("query server needs a Store and an AccessChecker")
	}
	if cfg.Self == (identity.NodeID{}) {
		return nil, errors.New("query server needs its node ID (Config.Self): requests are addressed to one node")
	}
	s := &Server{cfg: cfg.withDefaults()}
	s.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "enigma_query_refused_total",
		Help: "Query requests refused, by reason.",
	}, []string{"reason"})
	s.answered = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "enigma_query_answered_total",
		Help: "Query requests answered with a sealed result.",
	})
	s.rows = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "enigma_query_result_rows",
		Help: "Rows in each answered query's result (its _sum is the rows served in all).",
		// 1 to about a million, ×4 per bucket; 0 rows fall in the first.
		Buckets: prometheus.ExponentialBuckets(1, 4, 11),
	})
	entries := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "enigma_query_replay_window_entries",
		Help: "Live request nonces the node remembers.",
	}, func() float64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return float64(s.mu.window.len())
	})
	if r := s.cfg.Registerer; r != nil {
		for _, c := range []prometheus.Collector{s.refused, s.answered, s.rows, entries} {
			if err := r.Register(c); err != nil {
				return nil, fmt.Errorf("register query metrics: %w", err)
			}
		}
	}
	s.trials.busy = make(map[trialKey]struct{})
	now := s.cfg.Clock.Now()
	s.mu.window = newReplayWindow(s.cfg.MaxLifetime, s.cfg.MaxReplayEntries, s.cfg.MaxPerRequester, now)
	if err := s.loadWindow(now); err != nil {
		return nil, err
	}
	return s, nil
}

// Refusal labels: the reason label of enigma_query_refused_total.
const (
	refusedMalformed    = "malformed"
	refusedExpired      = "expired"
	refusedTooFar       = "expiry_too_far"
	refusedWrongNode    = "wrong_node"
	refusedBadSignature = "bad_signature"
	refusedUnknown      = "unknown_dataset"
	refusedAccessCheck  = "access_check_failed"
	refusedNoAccess     = "no_access"
	refusedBadQuery     = "bad_query"
	refusedTrialUsedUp  = "trial_used_up"
	refusedTrialBusy    = "trial_busy"
	refusedReplayed     = "replayed"
	refusedShare        = "requester_share"
	refusedWindowFull   = "replay_window_full"
	refusedLimit        = "limit"
	refusedInternal     = "internal"
	refusedVersion      = "version"
	refusedNotCurated   = "not_curated"
	refusedNoJoins      = "joins_unsupported"
)

// denial is a refused request.
type denial struct {
	reason Reason
	label  string // the metric's reason label
	msg    string
	record []byte // ReasonVersion: the served version's certified record
}

func deny(r Reason, label, format string, args ...any) *denial {
	return &denial{reason: r, label: label, msg: fmt.Sprintf(format, args...)}
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
		s.refused.WithLabelValues(refusedMalformed).Inc()
		return &Response{Status: StatusDenied, Reason: ReasonMalformed, Message: "request does not decode: " + err.Error() + " (is the client older than the node? requests are signed under " + string(RequestDomain) + ")"}
	}
	req := &sr.Request
	h, err := req.Hash(s.cfg.ChainID)
	if err != nil {
		s.refused.WithLabelValues(refusedMalformed).Inc()
		return &Response{Status: StatusDenied, Reason: ReasonMalformed, Message: "request does not encode"}
	}
	resp := &Response{RequestHash: h}
	sealed, d := s.serve(ctx, h, &sr)
	if d == nil {
		s.answered.Inc()
		resp.Sealed = sealed
		return resp
	}
	s.refused.WithLabelValues(d.label).Inc()
	resp.Status, resp.Reason, resp.Message, resp.Record = StatusDenied, d.reason, d.msg, d.record
	s.cfg.Logger.Debug("query denied", "subscriber", req.Subscriber, "dataset", req.Dataset, "reason", d.label, "msg", d.msg)
	return resp
}

// serve runs the checks in order of cost, and only a request that passed
// them all — signature, addressee, expiry, dataset, access, query, trial
// budget — takes a place in the replay window; then it runs the query,
// persists the nonce (and a trial's rows) and seals the result.
func (s *Server) serve(ctx context.Context, h common.Hash, sr *SignedRequest) ([]byte, *denial) {
	req := &sr.Request
	now := s.cfg.Clock.Now()
	if d := s.checkRequest(h, sr, now); d != nil {
		return nil, d
	}
	refs, d := requestDatasets(req)
	if d != nil {
		return nil, d
	}
	path := refs[0].path
	tables := make([]*query.Table, len(refs))
	for i, r := range refs {
		t, err := s.cfg.Store.Table(r.path.ID())
		switch {
		case err != nil && i == 0:
			return nil, deny(ReasonUnknownDataset, refusedUnknown, "dataset %s is not stored on node %s; ask another of its persistence nodes", path, s.cfg.Self.Short())
		case err != nil:
			return nil, deny(ReasonUnknownDataset, refusedUnknown, "dataset %s, which the query joins with %s, is not stored on node %s: a query that joins datasets is answered only by a persistence node that stores every one of them; ask such a node, or query each dataset on its own", r.path, path, s.cfg.Self.Short())
		}
		tables[i] = t
	}
	var level Level
	for i, r := range refs {
		l, err := s.cfg.Access.HasAccess(ctx, r.path.ID(), req.Subscriber)
		if err != nil {
			s.cfg.Logger.Warn("access check failed", "dataset", r.path, "err", err)
			return nil, deny(ReasonUnavailable, refusedAccessCheck, "the node cannot check access on-chain right now; retry later or ask another persistence node")
		}
		switch {
		case l == LevelNone && i == 0:
			return nil, deny(ReasonNoAccess, refusedNoAccess, "%s has no subscription or active trial for %s", req.Subscriber.Hex(), r.path)
		case l == LevelNone:
			return nil, deny(ReasonNoAccess, refusedNoAccess, "%s has no subscription to %s, which the query joins with %s; every dataset a query reads needs a subscription", req.Subscriber.Hex(), r.path, path)
		case l == LevelTrial && len(refs) > 1:
			return nil, deny(ReasonNoAccess, refusedNoAccess, "%s has only a trial of %s; a query that joins datasets needs a subscription to each of them (a trial reads its dataset alone)", req.Subscriber.Hex(), r.path)
		}
		if i == 0 {
			level = l
		}
	}
	st, err := sql.Parse(req.Query)
	if err != nil {
		return nil, deny(ReasonBadQuery, refusedBadQuery, "%v", err)
	}
	if len(refs) == 1 && !sameDataset(st.From, path) {
		return nil, deny(ReasonBadQuery, refusedBadQuery, "the query reads %q but the request is for %s alone; a query that joins datasets lists the others in the request", queryNames(st), path)
	}
	if len(refs) > 1 {
		if d := checkJoinNames(st, tables); d != nil {
			return nil, d
		}
		if _, ok := s.cfg.Engine.(JoinEngine); !ok {
			return nil, deny(ReasonUnavailable, refusedNoJoins, "node %s's storage backend answers queries of one dataset only; ask a persistence node on the embedded (Pebble) engine for a join", s.cfg.Self.Short())
		}
	}
	for i, t := range tables {
		if t.Version != refs[i].version {
			return nil, versionDenial(t, refs[i].version)
		}
		if t.Version > 0 && !s.cfg.HasRun(t) {
			// The dataset's first version on this node: nothing complete
			// to show yet (a half-written run is never served).
			return nil, deny(ReasonUnavailable, refusedNotCurated, "no complete run of %s version %d has reached node %s yet; ask another of its persistence nodes or retry after the workers' next run", t.Path, t.Version, s.cfg.Self.Short())
		}
	}
	var trial *trialUse
	if level == LevelTrial {
		var d *denial
		if trial, d = s.reserveTrial(path, req.Subscriber); d != nil {
			return nil, d
		}
		defer s.releaseTrial(trial)
	}
	key := replayKey{subscriber: req.Subscriber, nonce: req.Nonce}
	if d := s.remember(key, int64(req.Expiry), now); d != nil {
		return nil, d
	}
	sealed, d := s.run(ctx, h, req, st, tables, trial)
	if d != nil && d.reason == ReasonVersion {
		// A newer version took over between planning and reading.
		for i, r := range refs {
			if now, err := s.cfg.Store.Table(r.path.ID()); err == nil && now.Version != tables[i].Version {
				d = versionDenial(now, r.version)
				break
			}
		}
	}
	// The nonce (and what a trial was served) is on disk before the
	// answer leaves, so neither a replay after a restart nor a restart
	// itself gives anything again.
	if err := s.persist(key, int64(req.Expiry), trial); err != nil {
		s.cfg.Logger.Error("persist query state", "err", err)
		return nil, deny(ReasonUnavailable, refusedInternal, "internal error; ask another persistence node")
	}
	return sealed, d
}

// checkRequest checks what the request says on its own: expiry, addressee,
// reply key, signature.
func (s *Server) checkRequest(h common.Hash, sr *SignedRequest, now time.Time) *denial {
	req := &sr.Request
	expiry := time.Unix(int64(min(req.Expiry, 1<<62)), 0)
	if !now.Before(expiry) {
		return deny(ReasonExpired, refusedExpired, "request expired at %s; the node's time is %s (check your clock and send a new request)", expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if expiry.After(now.Add(s.cfg.MaxLifetime)) {
		return deny(ReasonExpired, refusedTooFar, "request expiry %s is more than %v ahead of the node's time %s; use a shorter expiry (or check your clock)", expiry.UTC().Format(time.RFC3339), s.cfg.MaxLifetime, now.UTC().Format(time.RFC3339))
	}
	if req.Node != s.cfg.Self {
		return deny(ReasonWrongNode, refusedWrongNode, "the request is addressed to node %s, this is node %s; sign a request for each node you ask", req.Node.Short(), s.cfg.Self.Short())
	}
	if len(req.ReplyKey) != seal.PublicKeySize {
		return deny(ReasonMalformed, refusedMalformed, "reply key is %d bytes, want %d", len(req.ReplyKey), seal.PublicKeySize)
	}
	signer, err := signing.RecoverAccountDigest(h, sr.Signature)
	if err != nil || signer != req.Subscriber {
		return deny(ReasonBadSignature, refusedBadSignature, "the signature is not %s's over this request (signed under %s, chain %d?)", req.Subscriber.Hex(), RequestDomain, s.cfg.ChainID)
	}
	return nil
}

// remember takes the request's place in the replay window, refusing one
// seen before and one whose requester holds its share or finds the window
// full.
func (s *Server) remember(key replayKey, expiry int64, now time.Time) *denial {
	s.mu.Lock()
	got := s.mu.window.add(key, expiry, now)
	prune := s.mu.window.swept-s.mu.pruned >= pruneEvery
	if prune {
		s.mu.pruned = s.mu.window.swept
	}
	upTo := s.mu.window.swept
	s.mu.Unlock()
	if prune {
		// Outside the lock: dropping expired nonces from the store is
		// one range deletion, and losing it costs only space.
		if err := s.cfg.Store.DeleteStateRange([]byte{stateNonce}, nonceKeyPrefix(upTo+1)); err != nil {
			s.cfg.Logger.Warn("prune expired nonces", "err", err)
		}
	}
	switch got {
	case rememberedAgain:
		return deny(ReasonReplay, refusedReplayed, "this request was already answered; send a new one with a fresh nonce")
	case rememberedShare:
		return deny(ReasonBusy, refusedShare, "%s has %d requests in flight on this node within %v, its share; wait for some to expire or ask another persistence node", key.subscriber.Hex(), s.cfg.MaxPerRequester, s.cfg.MaxLifetime)
	case rememberedFull:
		return deny(ReasonBusy, refusedWindowFull, "the node is handling too many requests (%d live); ask another persistence node or retry in a minute", s.cfg.MaxReplayEntries)
	}
	return nil
}

// run runs the query (a trial's rows capped at what is left of its budget)
// and seals the result.
func (s *Server) run(ctx context.Context, h common.Hash, req *Request, st *sql.Statement, tables []*query.Table, trial *trialUse) ([]byte, *denial) {
	lim := s.cfg.Limits
	if trial != nil && (lim.MaxResultRows <= 0 || lim.MaxResultRows > trial.left) {
		lim.MaxResultRows = trial.left
	}
	t := tables[0]
	var res *query.Result
	var err error
	if len(tables) == 1 {
		res, err = s.cfg.Engine.Run(ctx, req.Query, st, t, query.QueryOptions{Limits: lim})
	} else {
		res, err = s.cfg.Engine.(JoinEngine).RunTables(ctx, req.Query, st, tables, query.QueryOptions{Limits: lim})
	}
	if err != nil {
		var pe *sql.Error
		switch {
		case errors.As(err, &pe):
			return nil, deny(ReasonBadQuery, refusedBadQuery, "%v", err)
		case errors.Is(err, query.ErrLimit):
			return nil, deny(ReasonLimit, refusedLimit, "%v", err)
		case errors.Is(err, query.ErrTableReplaced):
			return nil, versionDenial(t, req.Version) // serve names the table replaced
		}
		s.cfg.Logger.Error("query failed", "dataset", t.Path, "err", err)
		return nil, deny(ReasonUnavailable, refusedInternal, "internal error")
	}
	capped := false
	if trial != nil {
		trial.served += uint64(len(res.Rows))
		capped = res.Truncated
	}
	payload, err := encodePayload(res, capped, len(tables) > 1)
	if err != nil {
		s.cfg.Logger.Error("encode result", "err", err)
		return nil, deny(ReasonUnavailable, refusedInternal, "internal error")
	}
	sealed, err := seal.Seal(s.cfg.Rand, req.ReplyKey, resultInfo, h[:], payload)
	if err != nil {
		return nil, deny(ReasonMalformed, refusedMalformed, "cannot seal the result to the reply key: %v", err)
	}
	s.rows.Observe(float64(len(res.Rows)))
	return sealed, nil
}

// versionDenial refuses a request for another version than t's, with t's
// certified record so the client can ask again for the version served.
func versionDenial(t *query.Table, asked uint64) *denial {
	d := deny(ReasonVersion, refusedVersion, "this node serves version %d of %s, the request is for version %d; ask again for version %d (its certified record is attached)", t.Version, t.Path, asked, t.Version)
	d.record = t.Record
	return d
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

// datasetRef is a dataset a request reads, parsed.
type datasetRef struct {
	path    dataset.Path
	version uint64
}

// requestDatasets is the request's dataset and the ones it joins, checked:
// paths that parse, none twice, at most 1+MaxJoins.
func requestDatasets(req *Request) ([]datasetRef, *denial) {
	if len(req.Joins) > MaxJoins {
		return nil, deny(ReasonMalformed, refusedMalformed, "the request joins %d datasets; at most %d besides its own", len(req.Joins), MaxJoins)
	}
	refs := make([]datasetRef, 0, 1+len(req.Joins))
	add := func(p string, v uint64) *denial {
		path, err := dataset.ParsePath(p)
		if err != nil {
			return deny(ReasonMalformed, refusedMalformed, "%v", err)
		}
		for _, r := range refs {
			if r.path == path {
				return deny(ReasonMalformed, refusedMalformed, "the request names dataset %s twice", path)
			}
		}
		refs = append(refs, datasetRef{path: path, version: v})
		return nil
	}
	if d := add(req.Dataset, req.Version); d != nil {
		return nil, d
	}
	for _, j := range req.Joins {
		if d := add(j.Dataset, j.Version); d != nil {
			return nil, d
		}
	}
	return refs, nil
}

// checkJoinNames checks that every name in the query's FROMs (subqueries
// included) denotes exactly one of the request's datasets and that each
// of them is read, before the query takes a place in the replay window;
// the engine resolves the names again.
func checkJoinNames(st *sql.Statement, tables []*query.Table) *denial {
	read := make([]bool, len(tables))
	for _, ref := range sql.TableRefs(st.Query) {
		found := -1
		for i, t := range tables {
			if !query.NamesTable(ref.Name, t) {
				continue
			}
			if found >= 0 {
				return deny(ReasonBadQuery, refusedBadQuery, "%q names both %s and %s; write the dataset's full path (provider/name)", ref.Name, tables[found].Path, t.Path)
			}
			found = i
		}
		if found < 0 {
			return deny(ReasonBadQuery, refusedBadQuery, "the query reads %q, which is not one of the request's datasets; list every dataset the query reads in the request", ref.Name)
		}
		read[found] = true
	}
	for i, ok := range read {
		if !ok {
			return deny(ReasonBadQuery, refusedBadQuery, "the request lists %s, which the query does not read; list only the datasets it reads", tables[i].Path)
		}
	}
	return nil
}

// queryNames lists the datasets a query names, for an error message.
func queryNames(st *sql.Statement) string {
	var names []string
	for _, r := range sql.TableRefs(st.Query) {
		if !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
	}
	return strings.Join(names, ", ")
}

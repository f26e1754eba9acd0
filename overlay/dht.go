package overlay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// ProtoKad is the protocol name of the overlay's own RPCs on the Host.
const ProtoKad = "kad"

// kadEnvelope bounds what a kad request adds to the record it carries:
// signed contact, IDs, nonces, signatures and RLP framing.
const kadEnvelope = 16 << 10

// ErrNotFound: no node on the lookup paths held a valid record for the key.
var ErrNotFound = errors.New("record not found")

// Peer names a node to contact: its ID and address.
type Peer struct {
	ID   identity.NodeID
	Addr string
}

// ParsePeer parses "<64-hex node ID>@host:port".
func ParsePeer(s string) (Peer, error) {
	idPart, addr, ok := strings.Cut(s, "@")
	if !ok || addr == "" {
		return Peer{}, fmt.Errorf("peer %q: want <node ID>@host:port (see 'enigma node key show' on that node)", s)
	}
	id, err := identity.ParseNodeID(idPart)
	if err != nil {
		return Peer{}, fmt.Errorf("peer %q: %w", s, err)
	}
	return Peer{ID: id, Addr: addr}, nil
}

func (p Peer) String() string { return p.ID.String() + "@" + p.Addr }

// Config configures a DHT. Zero fields take the defaults.
type Config struct {
	Key *identity.NodeKey
	// PuzzleSolution is the key's dynamic-puzzle solution X.
	PuzzleSolution [32]byte
	// ListenAddr is the UDP address to bind (default 127.0.0.1:0).
	ListenAddr string
	// AdvertiseAddr is the address other nodes should dial (default: the
	// bound address).
	AdvertiseAddr string
	// ClientOnly makes a node that looks up, fetches and stores but serves
	// nothing, as a CLI command or a subscriber's program: it advertises
	// no address, so the nodes it asks answer it without adding it to
	// their routing tables, and no lookup waits on it once it has gone.
	// Its Bootstrap stops after the self-lookup (see Bootstrap).
	ClientOnly bool
	// Kad is the overlay protocol configuration; Kad.Wire.Puzzle holds the
	// network's c1/c2 and Kad.Store.Validator is required. Kad.Store also
	// holds the record quotas. A Validator that does not implement
	// kademlia.Classifier is wrapped so that NamedRecords bound to their key
	// count against their publisher and every other record it accepts counts
	// as certified.
	Kad kademlia.ProtocolConfig
	// SignMessages signs every overlay message and checks every strong
	// signature, as S/Kademlia over UDP does. Off by default: the Host's
	// TLS 1.3 connections already authenticate both ends by their node
	// keys, so Start sets Kad.Wire.AuthenticatedTransport instead and
	// messages go unsigned (signed contacts are checked either way). Every
	// node of a network must agree; it is there to measure what the
	// signatures cost.
	SignMessages bool
	// Limits bound what one peer can make the host hold (see Limits).
	Limits Limits
	// RPCTimeout bounds one overlay request (default 3 s).
	RPCTimeout time.Duration
	// MaintenanceInterval is how often buckets are refreshed, records
	// republished and expired (default 1 min).
	MaintenanceInterval time.Duration
	// RefreshAfter: buckets with no contact seen for this long are
	// refreshed (default 15 min).
	RefreshAfter time.Duration
	Clock        clock.Clock
	Rand         *randsrc.Rand
	Logger       *slog.Logger
	Metrics      *Metrics
}

// DHT is this node's part in the distributed hash table: a Host carrying
// the kad protocol and the S/Kademlia core.
type DHT struct {
	cfg  Config
	host *Host
	log  *slog.Logger

	decoder kademlia.Decoder // the core's fixed settings: used without mu

	mu      sync.Mutex
	proto   *kademlia.Protocol
	evicted uint64 // store evictions already counted in the metrics

	pingSlots chan struct{}
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
}

// Start binds the host, builds the core and starts maintenance.
func Start(cfg Config) (*DHT, error) {
	if cfg.Key == nil {
		return nil, errors.New("overlay node needs a node key")
	}
	if cfg.RPCTimeout <= 0 {
		cfg.RPCTimeout = 3 * time.Second
	}
	if cfg.MaintenanceInterval <= 0 {
		cfg.MaintenanceInterval = time.Minute
	}
	if cfg.RefreshAfter <= 0 {
		cfg.RefreshAfter = 15 * time.Minute
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Rand == nil {
		cfg.Rand = randsrc.FromOS()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		m, err := NewMetrics(nil)
		if err != nil {
			return nil, err
		}
		cfg.Metrics = m
	}
	if cfg.Kad.Verifier == nil {
		cfg.Kad.Verifier = ParallelVerifier{}
	}
	cfg.Kad.Wire.AuthenticatedTransport = !cfg.SignMessages
	if v := cfg.Kad.Store.Validator; v != nil {
		if _, ok := v.(kademlia.Classifier); !ok {
			cfg.Kad.Store.Validator = recordKinds{v}
		}
	}
	host, err := NewHost(HostConfig{
		Key: cfg.Key, ListenAddr: cfg.ListenAddr, StaticPuzzle: cfg.Kad.Wire.Puzzle.Static,
		Limits: cfg.Limits, Clock: cfg.Clock, Logger: cfg.Logger, Metrics: cfg.Metrics,
	})
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.ClientOnly && cfg.AdvertiseAddr != "":
		host.Close()
		return nil, errors.New("overlay: a client-only node advertises no address; drop AdvertiseAddr or ClientOnly")
	case cfg.AdvertiseAddr == "" && !cfg.ClientOnly:
		cfg.AdvertiseAddr = host.Addr()
	}
	n := &DHT{cfg: cfg, host: host, log: cfg.Logger.With("node", cfg.Key.ID().Short()), pingSlots: make(chan struct{}, 8)}
	n.proto, err = kademlia.NewProtocol(cfg.Kad, cfg.Key, cfg.PuzzleSolution, cfg.AdvertiseAddr, cfg.Rand, n.now())
	if err != nil {
		host.Close()
		return nil, err
	}
	n.decoder = n.proto.Decoder()
	n.ctx, n.cancel = context.WithCancel(context.Background())
	// No kad request is larger than a STORE of the largest record: larger
	// ones are refused from their frame header.
	host.LimitRequest(ProtoKad, n.proto.Store().Config().MaxValueSize+kadEnvelope)
	host.Handle(ProtoKad, n.serveKad)
	// kad's requests and answers are small (a record at most): they share
	// one stream per connection, three datagrams an exchange instead of
	// five (Host.Multiplex).
	host.Multiplex(ProtoKad)
	host.SetResolver(n)
	n.wg.Add(1)
	go n.maintain()
	return n, nil
}

func (n *DHT) now() kademlia.Time { return kademlia.Time(n.cfg.Clock.Now().UnixMilli()) }

// Host is the node's QUIC host, for application protocols.
func (n *DHT) Host() *Host { return n.host }

// ID is the node's ID.
func (n *DHT) ID() identity.NodeID { return n.cfg.Key.ID() }

// Addr is the address the node advertises.
func (n *DHT) Addr() string { return n.cfg.AdvertiseAddr }

// Self is the node as a Peer.
func (n *DHT) Self() Peer { return Peer{ID: n.ID(), Addr: n.Addr()} }

// Contacts returns a snapshot of the routing table.
func (n *DHT) Contacts() []kademlia.Contact {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.proto.Table().Contacts()
}

// VerifyStats reports the core's signature work: contacts taken from the
// cache of verified contacts, contacts checked, Ed25519 verifications.
func (n *DHT) VerifyStats() kademlia.VerifyStats {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.proto.VerifyStats()
}

// Close stops maintenance and the host.
func (n *DHT) Close() error {
	n.cancel()
	err := n.host.Close()
	n.wg.Wait()
	return err
}

func (n *DHT) countRejection(err error) {
	reason := "other"
	switch {
	case errors.Is(err, kademlia.ErrBadSignature):
		reason = "signature"
	case errors.Is(err, kademlia.ErrPuzzle):
		reason = "puzzle"
	case errors.Is(err, kademlia.ErrReplay):
		reason = "replay"
	case errors.Is(err, kademlia.ErrStale):
		reason = "stale"
	case errors.Is(err, kademlia.ErrMisaddressed), errors.Is(err, kademlia.ErrSenderMismatch):
		reason = "misaddressed"
	case errors.Is(err, kademlia.ErrMalformed):
		reason = "malformed"
	}
	n.host.reject(reason, err)
}

// serveKad answers one overlay RPC.
func (n *DHT) serveKad(_ context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	// Decoding, signature checks and signing run outside the lock, so one
	// request's work holds up neither other requests nor this node's
	// lookups; the lock covers the cache and replay memory (Check) and the
	// table and store (FinishRequest).
	pd, err := n.decoder.Request(req, from, n.now())
	if err == nil {
		n.mu.Lock()
		err = n.proto.Check(pd)
		n.mu.Unlock()
	}
	var served kademlia.Served
	if err == nil {
		pd.Verify()
		n.mu.Lock()
		served, err = n.proto.FinishRequest(pd, n.now())
		if err == nil && served.Refused == nil {
			n.storeMetricsLocked()
		}
		n.mu.Unlock()
	}
	if err == nil {
		served.Answer, err = served.Unsigned.Seal() // outside the lock too
	}
	if err != nil {
		if kademlia.IsRejection(err) {
			n.countRejection(err)
		}
		return nil, err
	}
	if served.Refused != nil {
		n.host.reject(storeRefusal(served.Refused), fmt.Errorf("STORE from %s: %w", from.Short(), served.Refused))
	}
	n.pingAll(served.Ping)
	return served.Answer, nil
}

// storeRefusal is the overlay_rejected_total reason of a refused STORE.
func storeRefusal(err error) string {
	switch {
	case errors.Is(err, kademlia.ErrPublisherQuota):
		return "store_publisher_quota"
	case errors.Is(err, kademlia.ErrStoreFull):
		return "store_full"
	case errors.Is(err, kademlia.ErrNotResponsible):
		return "store_not_responsible"
	}
	return "record"
}

// storeMetricsLocked publishes the store's occupancy; n.mu is held.
func (n *DHT) storeMetricsLocked() {
	u := n.proto.Store().Usage()
	m := n.cfg.Metrics
	m.StoreRecords.WithLabelValues("certified").Set(float64(u.Certified.Records))
	m.StoreRecords.WithLabelValues("named").Set(float64(u.Total.Records - u.Certified.Records))
	m.StoreBytes.WithLabelValues("certified").Set(float64(u.Certified.Bytes))
	m.StoreBytes.WithLabelValues("named").Set(float64(u.Total.Bytes - u.Certified.Bytes))
	if u.Evicted > n.evicted {
		m.StoreEvicted.Add(float64(u.Evicted - n.evicted))
		n.evicted = u.Evicted
	}
}

// rpc sends one overlay request to c and returns the verified answer.
func (n *DHT) rpc(ctx context.Context, c kademlia.Contact, typ kademlia.MsgType, body any) (*kademlia.Answer, error) {
	n.mu.Lock()
	out, nonce, err := n.proto.PrepareRequest(typ, c.ID, body, n.now())
	n.mu.Unlock()
	if err != nil {
		return nil, err
	}
	raw, err := out.Seal() // the signature outside the lock
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, n.cfg.RPCTimeout)
	defer cancel()
	resp, err := n.host.Call(rctx, c.ID, c.Addr, ProtoKad, raw)
	if err != nil {
		// A request we abandoned ourselves says nothing about the peer.
		if ctx.Err() == nil {
			n.mu.Lock()
			n.proto.RequestFailed(c.ID)
			n.mu.Unlock()
		}
		return nil, err
	}
	pd, err := n.decoder.Answer(resp, typ, c.ID, nonce, n.now()) // outside the lock: see serveKad
	if err == nil {
		n.mu.Lock()
		err = n.proto.Check(pd)
		n.mu.Unlock()
	}
	var (
		ans  *kademlia.Answer
		ping []kademlia.Contact
	)
	if err == nil {
		pd.Verify()
		n.mu.Lock()
		ans, ping, err = n.proto.FinishAnswer(pd, n.now())
		n.mu.Unlock()
	}
	if err != nil {
		n.mu.Lock()
		n.proto.RequestFailed(c.ID)
		n.mu.Unlock()
	}
	if err != nil {
		if kademlia.IsRejection(err) {
			n.countRejection(err)
		}
		return nil, err
	}
	n.pingAll(ping)
	return ans, nil
}

// pingAll pings contacts the table asked about, in the background; when
// eight pings are already running the rest are skipped (they will come up
// again).
func (n *DHT) pingAll(cs []kademlia.Contact) {
	for _, c := range cs {
		select {
		case n.pingSlots <- struct{}{}:
		default:
			return
		}
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			defer func() { <-n.pingSlots }()
			if _, err := n.rpc(n.ctx, c, kademlia.MsgPing, nil); err != nil {
				n.log.Debug("ping failed", "peer", c.ID.Short(), "err", err)
			}
		}()
	}
}

// Ping sends a PING to p; an answer puts p in the routing table.
func (n *DHT) Ping(ctx context.Context, p Peer) error {
	_, err := n.rpc(ctx, kademlia.Contact{ID: p.ID, Addr: p.Addr}, kademlia.MsgPing, nil)
	return err
}

// Bootstrap joins the overlay as the Kademlia paper prescribes: it pings
// the given peers, looks up the node's own ID, which fills the routing
// table with the nodes around it, and then refreshes every bucket further
// away than the closest neighbour it found (refreshFarBuckets), so the
// table also holds contacts across the rest of the ID space. It fails only
// if no peer answered or the self-lookup failed; a refresh lookup that
// fails is logged and left to maintenance.
//
// A ClientOnly node skips the refresh: it serves nothing, so no one else
// gains from its table, and a command that makes one query should not pay
// one lookup per bucket (about log2 of the network's size) to join.
func (n *DHT) Bootstrap(ctx context.Context, peers []Peer) error {
	var errs []error
	ok := 0
	for _, p := range peers {
		if p.ID == n.ID() {
			continue
		}
		if err := n.Ping(ctx, p); err != nil {
			errs = append(errs, fmt.Errorf("bootstrap node %s: %w", p, err))
			continue
		}
		ok++
	}
	if ok == 0 && len(peers) > 0 {
		return fmt.Errorf("no bootstrap node answered: %w", errors.Join(errs...))
	}
	if _, err := n.FindNode(ctx, n.ID()); err != nil {
		return err
	}
	if !n.cfg.ClientOnly {
		n.refreshFarBuckets(ctx)
	}
	return nil
}

// joinRefreshes bounds the bucket refreshes of a join that run at once:
// each is a lookup with up to d·α requests in flight.
const joinRefreshes = 4

// refreshFarBuckets looks up a random ID in each bucket further away than
// the closest known neighbour (Kademlia's join). The self-lookup before it
// found the near buckets; without this a node knows little of the far half
// of the ID space beyond its bootstrap peers, and its first lookups there
// pay extra hops and first-contact handshakes.
func (n *DHT) refreshFarBuckets(ctx context.Context) {
	n.mu.Lock()
	var targets []kademlia.ID
	if closest := n.proto.Table().Closest(n.ID(), 1); len(closest) == 1 {
		for b := range kademlia.CommonPrefixLen(n.ID(), closest[0].ID) {
			targets = append(targets, n.randomIDInBucketLocked(b))
		}
	}
	n.mu.Unlock()
	slots := make(chan struct{}, joinRefreshes)
	var wg sync.WaitGroup
	for _, id := range targets {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			if _, err := n.FindNode(ctx, id); err != nil {
				n.log.Debug("join bucket refresh", "target", id.Short(), "err", err)
			}
		}()
	}
	wg.Wait()
}

// LookupStats describes one finished lookup.
type LookupStats struct {
	Requests int
	Failures int
}

// lookup runs an iterative disjoint-path lookup for target, sending the
// core's requests concurrently.
func (n *DHT) lookup(ctx context.Context, target kademlia.ID, wantValue bool) (*kademlia.Lookup, LookupStats, error) {
	n.mu.Lock()
	cfg := n.proto.LookupConfig()
	cfg.WantValue = wantValue
	if !wantValue {
		// End as soon as the d paths agree on the target's siblings.
		cfg.Siblings = n.proto.Table().Config().Siblings
	}
	seeds := n.proto.Table().Closest(target, cfg.K)
	validator := n.proto.Validator()
	n.mu.Unlock()
	var stats LookupStats
	if len(seeds) == 0 {
		return nil, stats, errors.New("routing table is empty: bootstrap the node first (--bootstrap <id>@host:port)")
	}
	l := kademlia.NewLookup(target, seeds, cfg)
	typ := kademlia.MsgFindNode
	if wantValue {
		typ = kademlia.MsgFindValue
	}
	type result struct {
		to  kademlia.Contact
		ans *kademlia.Answer
		err error
	}
	results := make(chan result)
	inflight := 0
	// The paths usually find the same record: check each distinct value
	// once.
	checked := map[[32]byte]bool{}
	valid := func(v []byte) bool {
		h := sha256.Sum256(v)
		ok, seen := checked[h]
		if !seen {
			ok = validator.Validate(target, v) == nil
			checked[h] = ok
		}
		return ok
	}
	for {
		for _, req := range l.Next() {
			inflight++
			stats.Requests++
			go func(to kademlia.Contact) {
				ans, err := n.rpc(ctx, to, typ, kademlia.FindBody{Target: target})
				select {
				case results <- result{to, ans, err}:
				case <-ctx.Done():
				}
			}(req.To)
		}
		// Once the paths agree Next sends nothing more; the answers still
		// in flight are awaited rather than abandoned, so no half-finished
		// dial or stream is left behind on the peer.
		if inflight == 0 {
			return l, stats, nil
		}
		select {
		case r := <-results:
			inflight--
			switch {
			case r.err != nil:
				stats.Failures++
				l.HandleFailure(r.to.ID)
			case r.ans.Found && valid(r.ans.Value):
				l.HandleValue(r.to.ID, r.ans.Value)
			case r.ans.Found:
				// A forged or broken record: that path must look elsewhere.
				stats.Failures++
				n.host.reject("record", fmt.Errorf("invalid record from %s", r.to.ID.Short()))
				l.HandleFailure(r.to.ID)
			default:
				l.HandleNodes(r.to.ID, r.ans.Contacts)
			}
		case <-ctx.Done():
			return nil, stats, fmt.Errorf("lookup of %s: %w", target.Short(), ctx.Err())
		}
	}
}

// FindNode returns the closest nodes to id that answered a lookup, nearest
// first (at most k).
func (n *DHT) FindNode(ctx context.Context, id identity.NodeID) ([]kademlia.Contact, error) {
	l, _, err := n.lookup(ctx, id, false)
	n.cfg.Metrics.Lookups.WithLabelValues("node", outcome(err)).Inc()
	if err != nil {
		return nil, err
	}
	return l.Closest(n.proto.LookupConfig().K), nil
}

// FindNodeStats is FindNode that also reports the lookup's cost.
func (n *DHT) FindNodeStats(ctx context.Context, id identity.NodeID) ([]kademlia.Contact, LookupStats, error) {
	l, stats, err := n.lookup(ctx, id, false)
	if err != nil {
		return nil, stats, err
	}
	return l.Closest(n.proto.LookupConfig().K), stats, nil
}

// Resolve returns the address of node id: from the routing table if known,
// else by a lookup that must reach the node itself.
func (n *DHT) Resolve(ctx context.Context, id identity.NodeID) (string, error) {
	n.mu.Lock()
	for _, c := range n.proto.Table().Closest(id, 1) {
		if c.ID == id {
			n.mu.Unlock()
			return c.Addr, nil
		}
	}
	n.mu.Unlock()
	found, err := n.FindNode(ctx, id)
	if err != nil {
		return "", err
	}
	for _, c := range found {
		if c.ID == id {
			return c.Addr, nil
		}
	}
	return "", fmt.Errorf("node %s is not in the overlay (the lookup ended at %d other nodes)", id.Short(), len(found))
}

// Put validates the record, finds the s nodes closest to key and stores it
// on each (and locally if this node is one of them). It returns how many
// replicas accepted it.
func (n *DHT) Put(ctx context.Context, key kademlia.ID, value []byte) (int, error) {
	n.mu.Lock()
	err := n.proto.Validator().Validate(key, value)
	s := n.proto.Table().Config().Siblings
	n.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("refusing to publish: %w: %w", kademlia.ErrRejected, err)
	}
	closest, err := n.FindNode(ctx, key)
	if err != nil {
		return 0, err
	}
	if len(closest) > s {
		closest = closest[:s]
	}
	stored := 0
	if len(closest) < s || kademlia.Closer(key, n.ID(), closest[len(closest)-1].ID) {
		n.mu.Lock()
		if _, err := n.proto.Store().Put(key, value, n.now()); err == nil {
			stored++
		}
		n.storeMetricsLocked()
		n.mu.Unlock()
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, c := range closest {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ans, err := n.rpc(ctx, c, kademlia.MsgStore, kademlia.StoreBody{Key: key, Value: value})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs = append(errs, err)
			case !ans.Stored:
				errs = append(errs, fmt.Errorf("node %s refused: %s", c.ID.Short(), ans.Reason))
			default:
				stored++
			}
		}()
	}
	wg.Wait()
	if stored == 0 {
		return 0, fmt.Errorf("no node stored the record: %w", errors.Join(errs...))
	}
	return stored, nil
}

// Get looks the key up over the disjoint paths and returns the newest valid
// record found (the local copy counts too).
func (n *DHT) Get(ctx context.Context, key kademlia.ID) ([]byte, error) {
	v, _, err := n.GetStats(ctx, key)
	return v, err
}

// GetStats is Get that also reports the lookup's cost.
func (n *DHT) GetStats(ctx context.Context, key kademlia.ID) ([]byte, LookupStats, error) {
	l, stats, err := n.lookup(ctx, key, true)
	v, err := n.get(ctx, key, l, err)
	return v, stats, err
}

func (n *DHT) get(ctx context.Context, key kademlia.ID, l *kademlia.Lookup, err error) ([]byte, error) {
	n.mu.Lock()
	local, haveLocal := n.proto.Store().Get(key, n.now())
	validator := n.proto.Validator()
	n.mu.Unlock()
	if err != nil && !haveLocal {
		n.cfg.Metrics.Lookups.WithLabelValues("value", "error").Inc()
		return nil, err
	}
	var (
		values  [][]byte
		holders []kademlia.Contact
	)
	if l != nil {
		values, holders = l.Values()
	}
	if haveLocal {
		values = append(values, local)
	}
	if len(values) == 0 {
		n.cfg.Metrics.Lookups.WithLabelValues("value", "notfound").Inc()
		return nil, fmt.Errorf("%w: key %s", ErrNotFound, key)
	}
	n.cfg.Metrics.Lookups.WithLabelValues("value", "ok").Inc()
	newest, err := kademlia.SelectNewest(validator, key, distinct(values))
	if err != nil {
		return nil, err
	}
	n.readRepair(ctx, key, newest, values[:len(holders)], holders)
	if haveLocal && !bytes.Equal(local, newest) {
		n.mu.Lock()
		n.proto.Store().Put(key, newest, n.now())
		n.storeMetricsLocked()
		n.mu.Unlock()
	}
	return newest, nil
}

// distinct returns values without repeats, in their first order.
func distinct(values [][]byte) [][]byte {
	var out [][]byte
	for _, v := range values {
		if !slices.ContainsFunc(out, func(o []byte) bool { return bytes.Equal(o, v) }) {
			out = append(out, v)
		}
	}
	return out
}

// readRepair stores the newest version on the holders that answered with
// an older one, so replicas converge without waiting for republishing.
func (n *DHT) readRepair(ctx context.Context, key kademlia.ID, newest []byte, values [][]byte, holders []kademlia.Contact) {
	var wg sync.WaitGroup
	for i, h := range holders {
		if bytes.Equal(values[i], newest) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := n.rpc(ctx, h, kademlia.MsgStore, kademlia.StoreBody{Key: key, Value: newest}); err != nil {
				n.log.Debug("read repair", "peer", h.ID.Short(), "err", err)
			}
		}()
	}
	wg.Wait()
}

// maintain refreshes stale buckets, republishes and expires records, and
// prunes the replay memory, every MaintenanceInterval.
func (n *DHT) maintain() {
	defer n.wg.Done()
	for {
		t := n.cfg.Clock.NewTimer(n.cfg.MaintenanceInterval)
		select {
		case <-n.ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		n.maintenanceRound(n.ctx)
	}
}

// randomIDInBucketLocked draws an ID that falls in bucket b of the routing
// table, for a lookup that refreshes the bucket.
func (n *DHT) randomIDInBucketLocked(b int) kademlia.ID {
	var random [32]byte
	for i := 0; i < len(random); i += 8 {
		v := n.cfg.Rand.Uint64()
		for j := 0; j < 8; j++ {
			random[i+j] = byte(v >> (8 * j))
		}
	}
	return n.proto.Table().RandomIDInBucket(b, random)
}

func (n *DHT) maintenanceRound(ctx context.Context) {
	now := n.now()
	n.mu.Lock()
	tab := n.proto.Table()
	var targets []kademlia.ID
	for _, b := range tab.StaleBuckets(now - kademlia.Time(n.cfg.RefreshAfter.Milliseconds())) {
		targets = append(targets, n.randomIDInBucketLocked(b))
	}
	due := n.proto.Store().DueForRepublish(now)
	n.proto.Store().Expire(now)
	n.storeMetricsLocked()
	n.proto.Codec().PruneReplay(now)
	n.mu.Unlock()
	for _, id := range targets {
		if _, err := n.FindNode(ctx, id); err != nil {
			n.log.Debug("bucket refresh", "err", err)
		}
	}
	for _, r := range due {
		if _, err := n.Put(ctx, r.Key, r.Value); err != nil {
			n.log.Debug("republish", "key", r.Key.Short(), "err", err)
		}
	}
}

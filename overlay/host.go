package overlay

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quic-go/quic-go"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
)

// Handler serves one request of an application protocol. from is the
// authenticated node ID of the caller. A returned error is sent to the
// caller as a RemoteError. It is an alias, not a defined type, so a user
// package's interface that spells out the func type in Handle is satisfied
// by *Host.
type Handler = func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error)

// Resolver finds the address of a node ID (overlay.DHT implements it).
type Resolver interface {
	Resolve(ctx context.Context, id identity.NodeID) (string, error)
}

// HostConfig configures a Host. Zero fields take the defaults.
type HostConfig struct {
	Key *identity.NodeKey
	// ListenAddr is the UDP address to listen on (default 127.0.0.1:0).
	ListenAddr string
	// StaticPuzzle is c1: peers whose ID fails it are refused at the TLS
	// handshake.
	StaticPuzzle int
	// MaxFrame bounds one request or response (default 4 MiB).
	MaxFrame int
	// CallTimeout is the deadline of a call whose context has none
	// (default 10 s); handlers get the same deadline.
	CallTimeout time.Duration
	// IdleTimeout closes connections idle that long (default 60 s).
	IdleTimeout time.Duration
	// DialBackoff: after a dial to a node failed, or the node announced it
	// is shutting down, calls to it fail at once for this long instead of
	// each waiting out a timeout (default 10 s).
	DialBackoff time.Duration
	// Limits bound what one peer can make the host hold.
	Limits  Limits
	Clock   clock.Clock
	Logger  *slog.Logger
	Metrics *Metrics
}

// Limits bound the connections, streams and buffered bytes one peer can
// make a host hold. Zero fields take the defaults. Every refusal is a clear
// error to the peer and counted in overlay_rejected_total.
type Limits struct {
	// ConnsPerPeer bounds the connections one node ID may have open with
	// the host at once, dialled by either side (default 4). A connection
	// accepted over it takes the place of the peer's oldest, which is
	// closed with the reason: a peer that lost its connections (a command
	// that exited, a close lost on the way) is not locked out until they
	// time out, and still holds no more than the limit.
	ConnsPerPeer int
	// StreamsPerConn bounds the requests a peer may have open on one
	// connection (default 64). QUIC's stream credit enforces it: a caller
	// over it waits until one of its requests is answered; a peer that
	// ignores the credit loses the connection (STREAM_LIMIT_ERROR).
	StreamsPerConn int
	// ConnBuffer bounds the bytes of the requests in progress on one
	// connection (default 8 MiB, at least MaxFrame). A request counts the
	// length its frame header announces, from when the header arrives until
	// it is answered; one that does not fit is refused before its body is
	// read. QUIC's connection flow-control window, which bounds the bytes
	// received but not yet read, is set to the same figure.
	ConnBuffer int
	// HandshakesPerIP bounds the handshakes in progress from one IP address
	// (default 32): all an unauthenticated peer can make the host hold. A
	// handshake over it is refused with CONNECTION_REFUSED.
	HandshakesPerIP int
	// OneWayStreamsPerConn bounds the long-lived one-way streams (Send) a
	// peer may have open on one connection (default 4; one per protocol is
	// what a sender uses). QUIC's stream credit enforces it as for
	// requests: a sender over it waits for one of its streams to end; a
	// peer that ignores the credit loses the connection. The frames of
	// these streams count against ConnBuffer while they are read and
	// handled.
	OneWayStreamsPerConn int
}

// Default limits per peer.
const (
	DefaultConnsPerPeer    = 4
	DefaultStreamsPerConn  = 64
	DefaultConnBuffer      = 8 << 20
	DefaultHandshakesPerIP = 32
	// DefaultOneWayStreamsPerConn is the default of OneWayStreamsPerConn.
	DefaultOneWayStreamsPerConn = 4
)

func (l Limits) withDefaults(maxFrame int) Limits {
	if l.ConnsPerPeer <= 0 {
		l.ConnsPerPeer = DefaultConnsPerPeer
	}
	if l.StreamsPerConn <= 0 {
		l.StreamsPerConn = DefaultStreamsPerConn
	}
	if l.ConnBuffer <= 0 {
		l.ConnBuffer = DefaultConnBuffer
	}
	l.ConnBuffer = max(l.ConnBuffer, maxFrame)
	if l.HandshakesPerIP <= 0 {
		l.HandshakesPerIP = DefaultHandshakesPerIP
	}
	if l.OneWayStreamsPerConn <= 0 {
		l.OneWayStreamsPerConn = DefaultOneWayStreamsPerConn
	}
	return l
}

// ErrPeerLimit marks a refusal because a peer reached one of its Limits.
var ErrPeerLimit = errors.New("peer limit reached")

func (c HostConfig) withDefaults() (HostConfig, error) {
	if c.Key == nil {
		return c, errors.New("overlay host needs a node key")
	}
	if c.ListenAddr == "" {
		c.ListenAddr = "127.0.0.1:0"
	}
	if c.MaxFrame <= 0 {
		c.MaxFrame = 4 << 20
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 10 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.DialBackoff <= 0 {
		c.DialBackoff = 10 * time.Second
	}
	c.Limits = c.Limits.withDefaults(c.MaxFrame)
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		m, err := NewMetrics(nil)
		if err != nil {
			return c, err
		}
		c.Metrics = m
	}
	return c, nil
}

// Host owns the node's QUIC endpoint: one UDP socket for listening and
// dialling, authenticated connections keyed by peer node ID, and the
// protocol handlers.
type Host struct {
	cfg       HostConfig
	id        identity.NodeID
	cert      tls.Certificate
	certs     *certChecker
	transport *quic.Transport
	listener  *quic.Listener
	quicConf  *quic.Config
	log       *slog.Logger

	mu             sync.Mutex
	handlers       map[string]Handler
	streamHandlers map[string]FrameHandler
	maxRequest     map[string]int // per protocol: the largest request body (or one-way frame) served
	outStreams     map[sendKey]*outStream
	muxProtos      map[string]bool // protocols whose calls share a stream (Multiplex)
	muxes          map[*quic.Conn]*muxClient
	conns          map[identity.NodeID]*quic.Conn
	peerConns      map[identity.NodeID][]*quic.Conn // connections being served, per peer, oldest first
	handshakes     map[string]int                   // handshakes in progress, per remote IP
	backoff        map[identity.NodeID]time.Time    // no dialling before then
	dialling       map[identity.NodeID]*dialCall    // dials in progress, one per peer
	resolver       Resolver
	closed         bool

	dials   atomic.Uint64 // connections dialled (handshakes completed)
	accepts atomic.Uint64 // connections accepted

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewHost binds the UDP socket and starts accepting connections.
func NewHost(cfg HostConfig) (*Host, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	cert, err := nodeCertificate(cfg.Key, cfg.Clock.Now())
	if err != nil {
		return nil, err
	}
	udpAddr, err := net.ResolveUDPAddr("udp", cfg.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", cfg.ListenAddr, err)
	}
	udp, err := net.ListenUDP("udp", udpAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (is another node using the port?)", cfg.ListenAddr, err)
	}
	// With a stateless-reset key, a peer that lost a connection's state
	// (crash, or a dial it abandoned after the handshake) resets it at the
	// first packet instead of leaving us to wait out a timeout. The key is
	// derived from the node key, so it survives a restart (RFC 9000,
	// 10.3.2): a node that crashed and came back resets its peers' old
	// connections, and their one-way streams reconnect at once instead of
	// writing into a dead connection until the idle timeout.
	resetKey := statelessResetKey(cfg.Key)
	h := &Host{
		cfg: cfg, id: cfg.Key.ID(), cert: cert, certs: newCertChecker(cfg.StaticPuzzle), transport: &quic.Transport{Conn: udp, StatelessResetKey: resetKey},
		quicConf: &quic.Config{
			MaxIdleTimeout:             cfg.IdleTimeout,
			HandshakeIdleTimeout:       cfg.CallTimeout,
			MaxIncomingStreams:         int64(cfg.Limits.StreamsPerConn),
			MaxIncomingUniStreams:      int64(cfg.Limits.OneWayStreamsPerConn),
			MaxConnectionReceiveWindow: uint64(cfg.Limits.ConnBuffer),
			Allow0RTT:                  false,
		},
		log:            cfg.Logger.With("node", cfg.Key.ID().Short()),
		handlers:       map[string]Handler{},
		streamHandlers: map[string]FrameHandler{},
		maxRequest:     map[string]int{},
		outStreams:     map[sendKey]*outStream{},
		muxProtos:      map[string]bool{},
		muxes:          map[*quic.Conn]*muxClient{},
		conns:          map[identity.NodeID]*quic.Conn{},
		peerConns:      map[identity.NodeID][]*quic.Conn{},
		handshakes:     map[string]int{},
		backoff:        map[identity.NodeID]time.Time{},
		dialling:       map[identity.NodeID]*dialCall{},
	}
	h.transport.ConnContext = h.admitHandshake
	h.listener, err = h.transport.Listen(serverTLS(cert, h.certs), h.quicConf)
	if err != nil {
		udp.Close()
		return nil, fmt.Errorf("start QUIC listener: %w", err)
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.wg.Add(1)
	go h.acceptLoop()
	return h, nil
}

// statelessResetKey derives the QUIC stateless-reset key from the node
// key: secret, and the same after a restart.
func statelessResetKey(key *identity.NodeKey) *quic.StatelessResetKey {
	h := sha256.New()
	h.Write([]byte("enigma/overlay/stateless-reset/v1\x00"))
	h.Write(key.Private().Seed())
	var k quic.StatelessResetKey
	h.Sum(k[:0])
	return &k
}

// ID is the host's node ID.
func (h *Host) ID() identity.NodeID { return h.id }

// Addr is the address the host listens on.
func (h *Host) Addr() string { return h.listener.Addr().String() }

// ConnStats reports the connections the host dialled and accepted since it
// started, and how many peers it has a connection with now.
func (h *Host) ConnStats() (dialled, accepted uint64, peers int) {
	h.mu.Lock()
	peers = len(h.conns)
	h.mu.Unlock()
	return h.dials.Load(), h.accepts.Load(), peers
}

// Metrics returns the host's counters.
func (h *Host) Metrics() *Metrics { return h.cfg.Metrics }

// SetResolver sets how Call finds a peer's address when given no hint.
func (h *Host) SetResolver(r Resolver) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.resolver = r
}

// Handle registers fn for requests of protocol proto, replacing any
// previous handler.
func (h *Host) Handle(proto string, fn Handler) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handlers[proto] = fn
}

// LimitRequest refuses requests of protocol proto whose body is larger
// than maxBody, from the frame header, before the body is read; for a
// one-way protocol (HandleStream), frames larger than maxBody close their
// stream.
func (h *Host) LimitRequest(proto string, maxBody int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.maxRequest[proto] = maxBody
}

// Close stops accepting, closes every connection and the socket, and waits
// for the host's goroutines.
func (h *Host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	conns := h.conns
	h.conns = map[identity.NodeID]*quic.Conn{}
	h.mu.Unlock()
	h.cancel()
	for _, c := range conns {
		c.CloseWithError(closeShutdown, "node shutting down")
	}
	err := h.listener.Close()
	if terr := h.transport.Close(); err == nil {
		err = terr
	}
	h.wg.Wait()
	if cerr := h.transport.Conn.Close(); err == nil && cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		err = cerr
	}
	return err
}

func (h *Host) acceptLoop() {
	defer h.wg.Done()
	for {
		conn, err := h.listener.Accept(h.ctx)
		if err != nil {
			return
		}
		if slot, ok := conn.Context().Value(handshakeKey{}).(*handshakeSlot); ok {
			slot.release()
		}
		id, err := h.connPeer(conn)
		if err != nil {
			h.reject("tls", err)
			conn.CloseWithError(closeIdentity, "identity rejected")
			continue
		}
		h.accepts.Add(1)
		h.cfg.Metrics.Connections.WithLabelValues("accepted").Inc()
		h.adopt(id, conn, false)
	}
}

type handshakeKey struct{}

// handshakeSlot is one handshake in progress from ip; release is
// idempotent.
type handshakeSlot struct {
	h    *Host
	ip   string
	once sync.Once
}

func (s *handshakeSlot) release() {
	s.once.Do(func() {
		s.h.mu.Lock()
		if s.h.handshakes[s.ip]--; s.h.handshakes[s.ip] <= 0 {
			delete(s.h.handshakes, s.ip)
		}
		s.h.mu.Unlock()
	})
}

// admitHandshake is the transport's ConnContext: it runs at a peer's first
// packet, before any authentication, and refuses the handshake when that
// IP address already has HandshakesPerIP in progress. The slot is released
// when the handshake completes (acceptLoop) or fails (the context ends).
func (h *Host) admitHandshake(ctx context.Context, info *quic.ClientInfo) (context.Context, error) {
	ip := info.RemoteAddr.String()
	if udp, ok := info.RemoteAddr.(*net.UDPAddr); ok {
		ip = udp.IP.String()
	}
	h.mu.Lock()
	n := h.handshakes[ip]
	if n >= h.cfg.Limits.HandshakesPerIP {
		h.mu.Unlock()
		err := fmt.Errorf("%w: %d handshakes from %s in progress (limit %d)", ErrPeerLimit, n, ip, h.cfg.Limits.HandshakesPerIP)
		h.reject("handshakes", err)
		return nil, err
	}
	h.handshakes[ip] = n + 1
	h.mu.Unlock()
	slot := &handshakeSlot{h: h, ip: ip}
	context.AfterFunc(ctx, slot.release)
	return context.WithValue(ctx, handshakeKey{}, slot), nil
}

// connPeer returns the verified node ID of a connection's peer (its
// certificate was checked during the handshake, so this is a cache hit).
func (h *Host) connPeer(conn *quic.Conn) (identity.NodeID, error) {
	certs := conn.ConnectionState().TLS.PeerCertificates
	raw := make([][]byte, len(certs))
	for i, c := range certs {
		raw[i] = c.Raw
	}
	return h.certs.peerID(raw)
}

// adopt registers conn as the connection to id (unless a live one exists)
// and serves the streams the peer opens on it. It returns the connection to
// use for calls to id. A connection the peer opened (not dialled) is closed
// instead when the peer already has ConnsPerPeer.
func (h *Host) adopt(id identity.NodeID, conn *quic.Conn, dialled bool) *quic.Conn {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		conn.CloseWithError(closeShutdown, "node shutting down")
		return conn
	}
	var replaced *quic.Conn
	if served := h.peerConns[id]; !dialled && len(served) >= h.cfg.Limits.ConnsPerPeer {
		// A peer at its limit that connects again has most likely lost the
		// old connections (a command that exited, a close lost on the
		// way): the newest connection is the one it uses, so the oldest
		// goes. The peer still holds at most the limit.
		replaced = served[0]
		h.peerConns[id] = served[1:]
	}
	h.peerConns[id] = append(h.peerConns[id], conn)
	use := conn
	if old, ok := h.conns[id]; ok && old.Context().Err() == nil {
		use = old
	} else {
		h.conns[id] = conn
	}
	h.wg.Add(1)
	h.mu.Unlock()
	if replaced != nil {
		err := fmt.Errorf("%w: node %s has %d connections with node %s; its oldest is replaced by a newer one", ErrPeerLimit, id.Short(), h.cfg.Limits.ConnsPerPeer, h.id.Short())
		h.reject("peer_conns", err)
		replaced.CloseWithError(closePeerLimit, fmt.Sprintf("%v (limit %d)", err, h.cfg.Limits.ConnsPerPeer))
	}
	go h.serveConn(id, conn)
	return use
}

// serveConn accepts the peer's request streams until the connection ends,
// and starts acceptOneWay for its one-way streams.
func (h *Host) serveConn(from identity.NodeID, conn *quic.Conn) {
	defer h.wg.Done()
	defer func() {
		h.mu.Lock()
		if h.conns[from] == conn {
			delete(h.conns, from)
		}
		if served := slices.DeleteFunc(h.peerConns[from], func(c *quic.Conn) bool { return c == conn }); len(served) > 0 {
			h.peerConns[from] = served
		} else {
			delete(h.peerConns, from)
		}
		h.mu.Unlock()
	}()
	budget := &connBudget{limit: h.cfg.Limits.ConnBuffer, slots: make(chan struct{}, h.cfg.Limits.StreamsPerConn)}
	h.wg.Add(1)
	go h.acceptOneWay(from, conn, budget)
	for {
		stream, err := conn.AcceptStream(h.ctx)
		if err != nil {
			var (
				appErr *quic.ApplicationError
				trErr  *quic.TransportError
			)
			switch {
			case errors.As(err, &appErr) && appErr.Remote && appErr.ErrorCode == closeShutdown:
				h.setBackoff(from)
			case errors.As(err, &trErr) && !trErr.Remote && trErr.ErrorCode == quic.StreamLimitError:
				h.reject("streams", fmt.Errorf("%w: node %s opened more streams than its credit (%d requests, %d one-way): %w",
					ErrPeerLimit, from.Short(), h.cfg.Limits.StreamsPerConn, h.cfg.Limits.OneWayStreamsPerConn, err))
			}
			return
		}
		h.wg.Add(1)
		go h.serveStream(from, conn, stream, budget)
	}
}

// connBudget counts the bytes of the requests in progress on one
// connection, and holds a slot for each request of its multiplexed
// streams in progress (serveMux).
type connBudget struct {
	mu          sync.Mutex
	used, limit int
	slots       chan struct{}
}

func (b *connBudget) reserve(from identity.NodeID, n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return fmt.Errorf("%w: node %s has requests of %d bytes in progress on this connection; %d more exceed the limit of %d bytes per connection",
			ErrPeerLimit, from.Short(), b.used, n, b.limit)
	}
	b.used += n
	return nil
}

func (b *connBudget) release(n int) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// Connection close codes.
const (
	closeShutdown  quic.ApplicationErrorCode = 0x100 // the node is stopping
	closeReplaced  quic.ApplicationErrorCode = 0x101 // a newer connection replaces this one
	closeIdentity  quic.ApplicationErrorCode = 0x102 // the peer's identity was refused
	closePeerLimit quic.ApplicationErrorCode = 0x103 // the peer has too many connections
)

// streamRefused cancels the rest of a request the host refused.
const streamRefused quic.StreamErrorCode = 3

func (h *Host) setBackoff(id identity.NodeID) {
	h.mu.Lock()
	h.backoff[id] = h.cfg.Clock.Now().Add(h.cfg.DialBackoff)
	h.mu.Unlock()
}

func (h *Host) reject(reason string, err error) {
	h.cfg.Metrics.Rejected.WithLabelValues(reason).Inc()
	h.log.Debug("rejected input", "reason", reason, "err", err)
}

// serveStream answers the one request on a stream, or serves a
// multiplexed stream (serveMux). The frame header's length is checked
// against the frame limit and the connection's budget, and the protocol
// against the handlers and its request limit, before the body is read.
func (h *Host) serveStream(from identity.NodeID, conn *quic.Conn, stream *quic.Stream, budget *connBudget) {
	defer h.wg.Done()
	defer stream.Close()
	stream.SetDeadline(h.cfg.Clock.Now().Add(h.cfg.CallTimeout))
	n, err := readFrameHeader(stream, h.cfg.MaxFrame)
	if err != nil {
		h.reject("frame", err)
		stream.CancelRead(1)
		stream.CancelWrite(1)
		return
	}
	if n == 0 { // muxOpening
		h.serveMux(from, conn, stream, budget)
		return
	}
	if err := budget.reserve(from, n); err != nil {
		h.refuse(stream, "conn_buffer", err)
		return
	}
	release := sync.OnceFunc(func() { budget.release(n) })
	defer release()
	proto, bodyLen, err := readProto(stream, n)
	if err != nil {
		h.refuse(stream, "frame", err)
		return
	}
	h.mu.Lock()
	handler := h.handlers[proto]
	maxBody, limited := h.maxRequest[proto]
	h.mu.Unlock()
	if handler == nil {
		h.refuse(stream, "proto", fmt.Errorf("no handler for protocol %q on node %s", proto, h.id.Short()))
		return
	}
	if limited && bodyLen > maxBody {
		h.refuse(stream, "request_size", fmt.Errorf("%w: %s request of %d bytes exceeds the %d-byte limit of that protocol", ErrFrame, proto, bodyLen, maxBody))
		return
	}
	body, err := readBody(stream, bodyLen)
	if err != nil {
		h.reject("frame", err)
		stream.CancelRead(1)
		stream.CancelWrite(1)
		return
	}
	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.CallTimeout)
	defer cancel()
	resp, err := handler(ctx, from, body)
	h.cfg.Metrics.Served.WithLabelValues(proto, outcome(err)).Inc()
	h.respond(stream, resp, err)
	stream.Close()
	release()
	if err := finishRead(stream); err != nil {
		h.reject("frame", fmt.Errorf("request from %s: %w", from.Short(), err))
	}
}

// finishRead reads the end of a stream after its one frame. quic-go
// completes a stream's receive side, and gives the peer its stream credit
// back, only once EOF has been read, and the FIN may come after the last
// byte. Anything else (bytes after the frame, a reset, the deadline)
// cancels the rest; only bytes after the frame are an error.
func finishRead(stream *quic.Stream) error {
	var b [1]byte
	n, err := stream.Read(b[:])
	if n == 0 && errors.Is(err, io.EOF) {
		return nil
	}
	stream.CancelRead(streamRefused)
	if n > 0 {
		return fmt.Errorf("%w: bytes after the frame", ErrFrame)
	}
	return nil
}

// refuse answers a request with err before its body was read, counts it
// under reason, and stops the rest of the request from being received.
func (h *Host) refuse(stream *quic.Stream, reason string, err error) {
	h.reject(reason, err)
	h.respond(stream, nil, err)
	stream.CancelRead(streamRefused)
}

// respond writes the response frame for a handler result.
func (h *Host) respond(stream *quic.Stream, resp []byte, err error) {
	var frame []byte
	if err == nil && len(resp)+1 > h.cfg.MaxFrame {
		err = fmt.Errorf("response of %d bytes exceeds the %d-byte frame limit", len(resp), h.cfg.MaxFrame)
	}
	if err != nil {
		msg := err.Error()
		if len(msg) > 1024 {
			msg = msg[:1024]
		}
		frame = append([]byte{statusError}, msg...)
	} else {
		frame = append([]byte{statusOK}, resp...)
	}
	if werr := writeFrame(stream, frame); werr != nil {
		h.log.Debug("write response", "err", werr)
	}
}

// Call sends req to node to under protocol proto and returns the answer.
// addrHint, if not empty, is where to dial when no connection exists;
// otherwise the address is resolved through the DHT. A context without a
// deadline gets the host's CallTimeout.
func (h *Host) Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) (resp []byte, err error) {
	defer func() { h.cfg.Metrics.Calls.WithLabelValues(proto, outcome(err)).Inc() }()
	if len(proto) == 0 || len(proto) > maxProtoLen {
		return nil, fmt.Errorf("protocol name %q: use 1 to %d bytes", proto, maxProtoLen)
	}
	if n := 1 + len(proto) + len(req); n > h.cfg.MaxFrame {
		return nil, fmt.Errorf("request of %d bytes exceeds the %d-byte frame limit", n, h.cfg.MaxFrame)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.cfg.CallTimeout)
		defer cancel()
	}
	if to == h.id {
		return h.callSelf(ctx, proto, req)
	}
	h.mu.Lock()
	multiplexed := h.muxProtos[proto]
	h.mu.Unlock()
	for attempt := 0; ; attempt++ {
		conn, err := h.conn(ctx, to, addrHint)
		if err != nil {
			return nil, err
		}
		var resp []byte
		if multiplexed {
			resp, err = h.muxRoundTrip(ctx, conn, proto, req)
		} else {
			resp, err = h.roundTrip(ctx, conn, proto, req)
		}
		var remote *RemoteError
		if err == nil || errors.As(err, &remote) || ctx.Err() != nil || attempt > 0 {
			if err != nil && !errors.As(err, &remote) {
				err = fmt.Errorf("call %s on node %s: %w", proto, to.Short(), err)
			}
			return resp, err
		}
		// The cached connection may have died (idle close, peer restart):
		// forget it and dial once more. A multiplexed stream that failed
		// on a live connection (another call's write ran out of time in
		// the middle of its frame) is replaced, the connection kept.
		if !multiplexed || conn.Context().Err() != nil {
			h.forget(to, conn)
		}
	}
}

// muxRoundTrip makes one call on conn's multiplexed stream.
func (h *Host) muxRoundTrip(ctx context.Context, conn *quic.Conn, proto string, req []byte) ([]byte, error) {
	m, err := h.muxFor(ctx, conn)
	if err != nil {
		return nil, err
	}
	return m.call(ctx, proto, req)
}

func (h *Host) callSelf(ctx context.Context, proto string, req []byte) ([]byte, error) {
	h.mu.Lock()
	handler := h.handlers[proto]
	h.mu.Unlock()
	if handler == nil {
		return nil, &RemoteError{Message: fmt.Sprintf("no handler for protocol %q on node %s", proto, h.id.Short())}
	}
	resp, err := handler(ctx, h.id, req)
	if err != nil {
		return nil, &RemoteError{Message: err.Error()}
	}
	return resp, nil
}

func (h *Host) roundTrip(ctx context.Context, conn *quic.Conn, proto string, req []byte) ([]byte, error) {
	frame, err := encodeRequest(proto, req)
	if err != nil {
		return nil, err
	}
	stream, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return nil, err
	}
	deadline, _ := ctx.Deadline()
	stream.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() {
		stream.CancelRead(2)
		stream.CancelWrite(2)
	})
	defer stop()
	if err := writeFrame(stream, frame); err != nil {
		// The peer may have refused the request before reading it all: its
		// answer says why.
		var remote *RemoteError
		if raw, rerr := readFrame(stream, h.cfg.MaxFrame); rerr == nil {
			if _, rerr := decodeResponse(raw); errors.As(rerr, &remote) {
				return nil, remote
			}
		}
		return nil, err
	}
	if err := stream.Close(); err != nil {
		return nil, err
	}
	raw, err := readFrame(stream, h.cfg.MaxFrame)
	if err != nil {
		return nil, err
	}
	finishRead(stream) // the answer is complete whatever follows it
	return decodeResponse(raw)
}

func (h *Host) forget(id identity.NodeID, conn *quic.Conn) {
	h.mu.Lock()
	if h.conns[id] == conn {
		delete(h.conns, id)
	}
	h.mu.Unlock()
	conn.CloseWithError(closeReplaced, "replaced")
}

// dialCall is a dial in progress to one peer: the calls that need a
// connection to the peer while it runs wait for it instead of dialling
// their own (each would cost a handshake, and a burst of them runs into the
// peer's limits on handshakes and connections per peer).
type dialCall struct {
	done chan struct{} // closed once conn or err is set
	conn *quic.Conn
	err  error
	// abandoned: the dialling call's own context was cancelled, which says
	// nothing of the peer, so a waiter dials again instead of failing.
	abandoned bool
}

// conn returns a live connection to id, dialling addrHint (or the resolved
// address) if there is none. Concurrent calls to a peer without a
// connection share one dial: the first dials, the others wait for it and
// get its connection or its error.
func (h *Host) conn(ctx context.Context, id identity.NodeID, addrHint string) (*quic.Conn, error) {
	for {
		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			return nil, errors.New("overlay host is closed")
		}
		c, ok := h.conns[id]
		resolver := h.resolver
		until, backingOff := h.backoff[id]
		if backingOff && !h.cfg.Clock.Now().Before(until) {
			delete(h.backoff, id)
			backingOff = false
		}
		if ok && c.Context().Err() == nil {
			h.mu.Unlock()
			return c, nil
		}
		if backingOff {
			h.mu.Unlock()
			return nil, fmt.Errorf("node %s was unreachable or shut down recently; not dialling again until %s", id.Short(), until.Format(time.TimeOnly))
		}
		if d := h.dialling[id]; d != nil {
			h.mu.Unlock()
			select {
			case <-d.done:
			case <-ctx.Done():
				return nil, fmt.Errorf("wait for the dial to node %s: %w", id.Short(), ctx.Err())
			}
			if d.abandoned && ctx.Err() == nil {
				continue
			}
			return d.conn, d.err
		}
		if addrHint == "" {
			// Resolved before the dial is registered: the lookup that
			// resolves id may itself call id, and would wait for a dial
			// that waits for it.
			h.mu.Unlock()
			if resolver == nil {
				return nil, fmt.Errorf("no address known for node %s: pass one or start the DHT", id.Short())
			}
			addr, err := resolver.Resolve(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("resolve node %s: %w", id.Short(), err)
			}
			addrHint = addr
			continue
		}
		d := &dialCall{done: make(chan struct{})}
		h.dialling[id] = d
		h.mu.Unlock()
		d.conn, d.err = h.dial(ctx, id, addrHint)
		d.abandoned = d.err != nil && errors.Is(ctx.Err(), context.Canceled)
		// The connection is registered (adopt) or the backoff set before
		// the dial leaves the map, so a call that comes after finds one
		// or the other.
		h.mu.Lock()
		delete(h.dialling, id)
		h.mu.Unlock()
		close(d.done)
		return d.conn, d.err
	}
}

// dial dials id at addr.
func (h *Host) dial(ctx context.Context, id identity.NodeID, addr string) (*quic.Conn, error) {
	udpAddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("address %q of node %s: %w", addr, id.Short(), err)
	}
	tlsConf := clientTLS(h.cert, id, h.certs)
	verify := tlsConf.VerifyPeerCertificate
	tlsConf.VerifyPeerCertificate = func(raw [][]byte, chains [][]*x509.Certificate) error {
		err := verify(raw, chains)
		if err != nil {
			h.reject("tls", err)
		}
		return err
	}
	c, err := h.transport.Dial(ctx, udpAddr, tlsConf, h.quicConf)
	if err != nil {
		if !errors.Is(ctx.Err(), context.Canceled) {
			h.setBackoff(id)
		}
		return nil, fmt.Errorf("dial node %s at %s: %w", id.Short(), addr, err)
	}
	h.dials.Add(1)
	h.cfg.Metrics.Connections.WithLabelValues("dialled").Inc()
	return h.adopt(id, c, true), nil
}

package overlay

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
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

// Resolver finds the address of a node ID (the DHT Node implements it).
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
	Clock       clock.Clock
	Logger      *slog.Logger
	Metrics     *Metrics
}

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
	transport *quic.Transport
	listener  *quic.Listener
	quicConf  *quic.Config
	log       *slog.Logger

	mu       sync.Mutex
	handlers map[string]Handler
	conns    map[identity.NodeID]*quic.Conn
	backoff  map[identity.NodeID]time.Time // no dialling before then
	resolver Resolver
	closed   bool

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
	// first packet instead of leaving us to wait out a timeout.
	var resetKey quic.StatelessResetKey
	if _, err := rand.Read(resetKey[:]); err != nil {
		udp.Close()
		return nil, fmt.Errorf("stateless reset key: %w", err)
	}
	h := &Host{
		cfg: cfg, id: cfg.Key.ID(), cert: cert, transport: &quic.Transport{Conn: udp, StatelessResetKey: &resetKey},
		quicConf: &quic.Config{
			MaxIdleTimeout:       cfg.IdleTimeout,
			HandshakeIdleTimeout: cfg.CallTimeout,
			MaxIncomingStreams:   256,
			Allow0RTT:            false,
		},
		log:      cfg.Logger.With("node", cfg.Key.ID().Short()),
		handlers: map[string]Handler{},
		conns:    map[identity.NodeID]*quic.Conn{},
		backoff:  map[identity.NodeID]time.Time{},
	}
	h.listener, err = h.transport.Listen(serverTLS(cert, cfg.StaticPuzzle), h.quicConf)
	if err != nil {
		udp.Close()
		return nil, fmt.Errorf("start QUIC listener: %w", err)
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.wg.Add(1)
	go h.acceptLoop()
	return h, nil
}

// ID is the host's node ID.
func (h *Host) ID() identity.NodeID { return h.id }

// Addr is the address the host listens on.
func (h *Host) Addr() string { return h.listener.Addr().String() }

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
		id, err := connPeer(conn, h.cfg.StaticPuzzle)
		if err != nil {
			h.reject("tls", err)
			conn.CloseWithError(closeIdentity, "identity rejected")
			continue
		}
		h.adopt(id, conn)
	}
}

// connPeer returns the verified node ID of a connection's peer.
func connPeer(conn *quic.Conn, staticBits int) (identity.NodeID, error) {
	certs := conn.ConnectionState().TLS.PeerCertificates
	raw := make([][]byte, len(certs))
	for i, c := range certs {
		raw[i] = c.Raw
	}
	return peerID(raw, staticBits)
}

// adopt registers conn as the connection to id (unless a live one exists)
// and serves the streams the peer opens on it. It returns the connection to
// use for calls to id.
func (h *Host) adopt(id identity.NodeID, conn *quic.Conn) *quic.Conn {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		conn.CloseWithError(closeShutdown, "node shutting down")
		return conn
	}
	use := conn
	if old, ok := h.conns[id]; ok && old.Context().Err() == nil {
		use = old
	} else {
		h.conns[id] = conn
	}
	h.wg.Add(1)
	h.mu.Unlock()
	go h.serveConn(id, conn)
	return use
}

// serveConn accepts the peer's streams until the connection ends.
func (h *Host) serveConn(from identity.NodeID, conn *quic.Conn) {
	defer h.wg.Done()
	defer func() {
		h.mu.Lock()
		if h.conns[from] == conn {
			delete(h.conns, from)
		}
		h.mu.Unlock()
	}()
	for {
		stream, err := conn.AcceptStream(h.ctx)
		if err != nil {
			var appErr *quic.ApplicationError
			if errors.As(err, &appErr) && appErr.Remote && appErr.ErrorCode == closeShutdown {
				h.setBackoff(from)
			}
			return
		}
		h.wg.Add(1)
		go h.serveStream(from, stream)
	}
}

// Connection close codes.
const (
	closeShutdown quic.ApplicationErrorCode = 0x100 // the node is stopping
	closeReplaced quic.ApplicationErrorCode = 0x101 // a newer connection replaces this one
	closeIdentity quic.ApplicationErrorCode = 0x102 // the peer's identity was refused
)

func (h *Host) setBackoff(id identity.NodeID) {
	h.mu.Lock()
	h.backoff[id] = h.cfg.Clock.Now().Add(h.cfg.DialBackoff)
	h.mu.Unlock()
}

func (h *Host) reject(reason string, err error) {
	h.cfg.Metrics.Rejected.WithLabelValues(reason).Inc()
	h.log.Debug("rejected input", "reason", reason, "err", err)
}

// serveStream answers the one request on a stream.
func (h *Host) serveStream(from identity.NodeID, stream *quic.Stream) {
	defer h.wg.Done()
	defer stream.Close()
	stream.SetDeadline(h.cfg.Clock.Now().Add(h.cfg.CallTimeout))
	frame, err := readFrame(stream, h.cfg.MaxFrame)
	if err != nil {
		h.reject("frame", err)
		stream.CancelRead(1)
		stream.CancelWrite(1)
		return
	}
	proto, body, err := decodeRequest(frame)
	if err != nil {
		h.reject("frame", err)
		h.respond(stream, nil, err)
		return
	}
	h.mu.Lock()
	handler := h.handlers[proto]
	h.mu.Unlock()
	if handler == nil {
		err := fmt.Errorf("no handler for protocol %q on node %s", proto, h.id.Short())
		h.reject("proto", err)
		h.respond(stream, nil, err)
		return
	}
	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.CallTimeout)
	defer cancel()
	resp, err := handler(ctx, from, body)
	h.cfg.Metrics.Served.WithLabelValues(proto, outcome(err)).Inc()
	h.respond(stream, resp, err)
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
	frame, err := encodeRequest(proto, req)
	if err != nil {
		return nil, err
	}
	if len(frame) > h.cfg.MaxFrame {
		return nil, fmt.Errorf("request of %d bytes exceeds the %d-byte frame limit", len(frame), h.cfg.MaxFrame)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.cfg.CallTimeout)
		defer cancel()
	}
	if to == h.id {
		return h.callSelf(ctx, proto, req)
	}
	for attempt := 0; ; attempt++ {
		conn, err := h.conn(ctx, to, addrHint)
		if err != nil {
			return nil, err
		}
		resp, err := h.roundTrip(ctx, conn, frame)
		var remote *RemoteError
		if err == nil || errors.As(err, &remote) || ctx.Err() != nil || attempt > 0 {
			if err != nil && !errors.As(err, &remote) {
				err = fmt.Errorf("call %s on node %s: %w", proto, to.Short(), err)
			}
			return resp, err
		}
		// The cached connection may have died (idle close, peer restart):
		// forget it and dial once more.
		h.forget(to, conn)
	}
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

func (h *Host) roundTrip(ctx context.Context, conn *quic.Conn, frame []byte) ([]byte, error) {
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
		return nil, err
	}
	if err := stream.Close(); err != nil {
		return nil, err
	}
	raw, err := readFrame(stream, h.cfg.MaxFrame)
	if err != nil {
		return nil, err
	}
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

// conn returns a live connection to id, dialling addrHint (or the resolved
// address) if there is none.
func (h *Host) conn(ctx context.Context, id identity.NodeID, addrHint string) (*quic.Conn, error) {
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
	h.mu.Unlock()
	if ok && c.Context().Err() == nil {
		return c, nil
	}
	if backingOff {
		return nil, fmt.Errorf("node %s was unreachable or shut down recently; not dialling again until %s", id.Short(), until.Format(time.TimeOnly))
	}
	addr := addrHint
	if addr == "" {
		if resolver == nil {
			return nil, fmt.Errorf("no address known for node %s: pass one or start the DHT", id.Short())
		}
		var err error
		if addr, err = resolver.Resolve(ctx, id); err != nil {
			return nil, fmt.Errorf("resolve node %s: %w", id.Short(), err)
		}
	}
	udpAddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("address %q of node %s: %w", addr, id.Short(), err)
	}
	tlsConf := clientTLS(h.cert, id, h.cfg.StaticPuzzle)
	verify := tlsConf.VerifyPeerCertificate
	tlsConf.VerifyPeerCertificate = func(raw [][]byte, chains [][]*x509.Certificate) error {
		err := verify(raw, chains)
		if err != nil {
			h.reject("tls", err)
		}
		return err
	}
	c, err = h.transport.Dial(ctx, udpAddr, tlsConf, h.quicConf)
	if err != nil {
		if !errors.Is(ctx.Err(), context.Canceled) {
			h.setBackoff(id)
		}
		return nil, fmt.Errorf("dial node %s at %s: %w", id.Short(), addr, err)
	}
	return h.adopt(id, c), nil
}

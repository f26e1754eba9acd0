package httpapi

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Bounds on what one client can make the node do.
const (
	// DefaultRatePerSecond and DefaultBurst are each client address's token
	// bucket unless configured.
	DefaultRatePerSecond = 20
	DefaultBurst         = 40
	// MaxClients bounds the token buckets kept; past it, buckets idle for
	// clientIdle are dropped, and if none is, the request is refused (503).
	MaxClients = 10_000
	clientIdle = time.Minute
	// MaxInFlight bounds the requests served at once (more: 503).
	MaxInFlight = 64
	// MaxURLBytes bounds a request's path and query (more: 414).
	MaxURLBytes = 2048
	// MaxHeaderBytes bounds a request's headers.
	MaxHeaderBytes = 16 << 10
	// RequestTimeout bounds the work behind one request: reads of the chain,
	// DHT lookups and node questions all stop then (504).
	RequestTimeout = 15 * time.Second
	// Connection deadlines of the HTTP server.
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = RequestTimeout + 5*time.Second
	idleTimeout       = 60 * time.Second
	// MaxPageSize is the largest page of datasets (the default is
	// DefaultPageSize); MaxSearchChars bounds the search text.
	MaxPageSize     = 100
	DefaultPageSize = 20
	MaxSearchChars  = 100
	// MaxEpochs is the most validator epochs one answer lists (the newest).
	MaxEpochs = 32
)

// clientLimiter keeps a token bucket per client address.
type clientLimiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	clients map[string]*clientBucket
}

type clientBucket struct {
	bucket   *rate.Limiter
	lastSeen time.Time
}

func newClientLimiter(perSecond float64, burst int) *clientLimiter {
	return &clientLimiter{limit: rate.Limit(perSecond), burst: burst, now: time.Now, clients: make(map[string]*clientBucket)}
}

// allow takes a token from client's bucket; full reports that no bucket
// could be made for a new client.
func (l *clientLimiter) allow(client string) (ok, full bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, known := l.clients[client]
	if !known {
		if len(l.clients) >= MaxClients {
			l.dropIdleLocked(now)
			if len(l.clients) >= MaxClients {
				return false, true
			}
		}
		b = &clientBucket{bucket: rate.NewLimiter(l.limit, l.burst)}
		l.clients[client] = b
	}
	b.lastSeen = now
	return b.bucket.AllowN(now, 1), false
}

func (l *clientLimiter) dropIdleLocked(now time.Time) {
	for k, b := range l.clients {
		if now.Sub(b.lastSeen) > clientIdle {
			delete(l.clients, k)
		}
	}
}

// clientAddress is the bucket key of a request: the peer's IP address. It
// trusts no forwarding header, which a client can write itself; behind a
// proxy, all its clients share the proxy's bucket.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

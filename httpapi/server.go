package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/nodeinfo"
)

// Config configures the server; zero fields take the defaults.
type Config struct {
	// Addr is the TCP host:port to listen on ("127.0.0.1:0": any free port).
	Addr string
	// CORSOrigins may call the API from a browser ("*": any origin); none:
	// only pages the node serves itself.
	CORSOrigins []string
	// RatePerSecond and Burst bound each client address's requests.
	RatePerSecond float64
	Burst         int
	Logger        *slog.Logger
}

// ConfigOf turns a node's [http] settings into a Config.
func ConfigOf(s node.HTTPSettings, log *slog.Logger) Config {
	return Config{Addr: s.Addr, CORSOrigins: s.CORSOrigins, RatePerSecond: s.RatePerSecond, Burst: s.Burst, Logger: log}
}

// Server serves the API and the explorer. It is a node.Service.
type Server struct {
	cfg      Config
	data     *Data
	log      *slog.Logger
	limiter  *clientLimiter
	inflight chan struct{}
	handler  http.Handler

	srv *http.Server
	ln  net.Listener
}

var _ node.Service = (*Server)(nil)

// New returns a server reading from data.
func New(cfg Config, data *Data) *Server {
	if cfg.RatePerSecond <= 0 {
		cfg.RatePerSecond = DefaultRatePerSecond
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, data: data, log: cfg.Logger.With("service", "http"),
		limiter: newClientLimiter(cfg.RatePerSecond, cfg.Burst), inflight: make(chan struct{}, MaxInFlight)}
	data.log = s.log
	s.handler = s.guard(s.routes())
	return s
}

// Attach adds an API server for r to r's services when settings give an
// address, and returns it (nil: none configured).
func Attach(r *node.Running, settings node.HTTPSettings, roles []nodeinfo.Role, log *slog.Logger) *Server {
	if settings.Addr == "" {
		return nil
	}
	b := BackendOf(r, roles)
	b.EventsFrom = settings.EventsFrom
	s := New(ConfigOf(settings, log), NewData(b))
	r.Add(s)
	return s
}

// Handler is the server's whole HTTP handler, guards included.
func (s *Server) Handler() http.Handler { return s.handler }

// Name implements node.Service.
func (s *Server) Name() string { return "http" }

// Addr is the bound address, valid after Start.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the explorer's address, valid after Start.
func (s *Server) URL() string { return "http://" + s.Addr() + "/" }

// Start implements node.Service: it listens and serves in the background.
func (s *Server) Start(context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (set --http.addr to a free host:port): %w", s.cfg.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("HTTP API failed", "err", err)
		}
	}()
	s.log.Info("HTTP API and explorer", "url", s.URL())
	return nil
}

// Stop implements node.Service.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.data.Close()
	return err
}

// guard applies the bounds every request meets before any handler: method,
// body, URL size, CORS, the client's rate, the requests in flight, and the
// deadline.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if len(r.URL.RequestURI()) > MaxURLBytes {
			writeError(w, http.StatusRequestURITooLong, fmt.Sprintf("the URL is longer than %d bytes", MaxURLBytes))
			return
		}
		s.cors(w, r)
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodOptions:
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return
		default:
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, "the API is read-only: use GET")
			return
		}
		if r.ContentLength != 0 {
			writeError(w, http.StatusRequestEntityTooLarge, "GET requests carry no body")
			return
		}
		ok, full := s.limiter.allow(clientAddress(r))
		if full {
			writeError(w, http.StatusServiceUnavailable, "too many clients at once: try again in a minute")
			return
		}
		if !ok {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, fmt.Sprintf("rate limit: at most %g requests per second per client (bursts of %d)", s.cfg.RatePerSecond, s.cfg.Burst))
			return
		}
		select {
		case s.inflight <- struct{}{}:
			defer func() { <-s.inflight }()
		default:
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, "the node is serving too many requests: try again shortly")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// cors allows the configured origins; with none configured it adds
// nothing, so browsers keep other sites' pages from reading the API.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" || len(s.cfg.CORSOrigins) == 0 {
		return
	}
	if slices.Contains(s.cfg.CORSOrigins, "*") {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	} else if slices.Contains(s.cfg.CORSOrigins, origin) {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Add("Vary", "Origin")
	} else {
		return
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	w.Header().Set("Access-Control-Allow-Headers", "If-None-Match")
	w.Header().Set("Access-Control-Expose-Headers", "ETag")
}

// apiError is every error's body.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{Error: msg})
}

// badRequest is an error in what the client asked, answered with 400.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func badf(format string, args ...any) error { return &badRequest{fmt.Sprintf(format, args...)} }

// notFound is answered with 404.
type notFound struct{ msg string }

func (e *notFound) Error() string { return e.msg }

// writeFailure maps an error to its status: the client's mistakes are 400
// or 404, a deadline 504, anything else (the chain or the DHT failing) 502.
func (s *Server) writeFailure(w http.ResponseWriter, r *http.Request, err error) {
	var bad *badRequest
	var nf *notFound
	switch {
	case errors.As(err, &bad):
		writeError(w, http.StatusBadRequest, bad.msg)
	case errors.As(err, &nf):
		writeError(w, http.StatusNotFound, nf.msg)
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, fmt.Sprintf("the answer took longer than %s: try again", RequestTimeout))
	default:
		s.log.Warn("HTTP API request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusBadGateway, "the node could not read what this needs: "+err.Error())
	}
}

// writeJSON answers v with a strong ETag over its encoding; a request whose
// If-None-Match names it gets 304 and no body.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		writeError(w, http.StatusInternalServerError, "encode answer: "+err.Error())
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Type", "application/json")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(buf.Bytes())
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

package node

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/nodeinfo"
)

func TestConfigWriteLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.Roles = []nodeinfo.Role{nodeinfo.RoleOverlay, nodeinfo.RoleValidator}
	cfg.Overlay.Bootstrap = []string{"abcd@127.0.0.1:1"}
	cfg.Police.ProbeInterval = 90 * time.Second
	cfg.Persistence.Backend, cfg.Persistence.PostgresDSN = BackendPostgres, "postgres://enigma@127.0.0.1:5432/enigma"
	cfg.Persistence.ExternalTables = map[string]string{"0x00000000000000000000000000000000000000aa/ticks": "shop.ticks"}
	cfg.Persistence.CacheMiB = 512
	if err := WriteConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, cfg) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, cfg)
	}
	if err := WriteConfig(dir, cfg); err == nil {
		t.Fatal("existing config overwritten")
	}
}

func TestLoadConfigRejectsTyposAndBadValues(t *testing.T) {
	cases := map[string]string{
		"unknown key":                "roles = [\"overlay\"]\n[overlay]\nlisten = \"127.0.0.1:1\"\nbootstarp = []\n",
		"bad role":                   "roles = [\"miner\"]\n",
		"bad listen":                 "[overlay]\nlisten = \"nowhere\"\n",
		"not toml":                   "roles = [\n",
		"probe flood":                "[police]\nprobe_interval = \"1ms\"\n",
		"no failures":                "[police]\nprobe_failures = 0\n",
		"bad period":                 "[police]\nprobe_interval = \"soon\"\n",
		"future skew":                "[persistence]\nmax_slot_skew = \"8760h\"\n",
		"no skew":                    "[persistence]\nmax_slot_skew = \"0s\"\n",
		"http addr":                  "[http]\naddr = \"8080\"\n",
		"http rate":                  "[http]\naddr = \"127.0.0.1:8080\"\nrate_per_second = -1.0\n",
		"http typo":                  "[http]\nadress = \"127.0.0.1:8080\"\n",
		"backend":                    "[persistence]\nbackend = \"mysql\"\n",
		"negative cache":             "[persistence]\ncache_mib = -1\n",
		"cache beyond a TiB":         "[persistence]\ncache_mib = 1048577\n",
		"own table without postgres": "[persistence]\nexternal_tables = { \"0x00000000000000000000000000000000000000aa/ticks\" = \"shop.ticks\" }\n",
		"own table relation":         "[persistence]\nbackend = \"postgres\"\nexternal_tables = { \"0x00000000000000000000000000000000000000aa/ticks\" = \"shop.ticks; DROP TABLE x\" }\n",
		"own table path":             "[persistence]\nbackend = \"postgres\"\nexternal_tables = { \"ticks\" = \"shop.ticks\" }\n",
	}
	for name, text := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadConfig(dir); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := LoadConfig(t.TempDir()); err == nil || !strings.Contains(err.Error(), "enigma node init") {
		t.Errorf("missing config: %v", err)
	}
}

type recordingService struct {
	name     string
	log      *[]string
	startErr error
	health   error
}

func (s *recordingService) Name() string { return s.name }
func (s *recordingService) Start(context.Context) error {
	*s.log = append(*s.log, "start "+s.name)
	return s.startErr
}
func (s *recordingService) Stop() error {
	*s.log = append(*s.log, "stop "+s.name)
	return nil
}
func (s *recordingService) Healthy() error { return s.health }

func quietNode() *Node { return New(slog.New(slog.NewTextHandler(io.Discard, nil))) }

func TestStartFailureStopsStartedServicesInReverse(t *testing.T) {
	var log []string
	n := quietNode()
	n.Add(&recordingService{name: "a", log: &log})
	n.Add(&recordingService{name: "b", log: &log})
	n.Add(&recordingService{name: "c", log: &log, startErr: errors.New("port in use")})
	n.Add(&recordingService{name: "d", log: &log})
	err := n.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "start c: port in use") {
		t.Fatalf("Start error = %v", err)
	}
	want := []string{"start a", "start b", "start c", "stop b", "stop a"}
	if !reflect.DeepEqual(log, want) {
		t.Fatalf("lifecycle = %v, want %v", log, want)
	}
	if err := n.Stop(); err != nil || len(log) != len(want) {
		t.Fatalf("second Stop did work again: %v %v", err, log)
	}
}

func TestMetricsAndHealthEndpoint(t *testing.T) {
	var log []string
	n := quietNode()
	sick := &recordingService{name: "store", log: &log}
	n.Add(sick)
	ms := NewMetricsServer("127.0.0.1:0", n)
	n.Add(ms)
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	get := func(path string) (int, string) { return httpGet(t, "http://"+ms.Addr()+path) }
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	sick.health = errors.New("disk full")
	if code, body := get("/healthz"); code != 503 || !strings.Contains(body, "store: disk full") {
		t.Fatalf("/healthz when sick = %d %q", code, body)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("/metrics = %d, missing runtime metrics", code)
	}
}

// fakeHead is a chain endpoint that is up or down.
type fakeHead struct {
	mu   sync.Mutex
	err  error
	head uint64
}

func (f *fakeHead) BlockNumber(context.Context) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.head, f.err
}

// TestHealthAndReadinessReflectTheChainAndPeers: /healthz fails while the
// chain endpoint cannot be read, /readyz also while a node told to join
// through bootstrap peers knows none, and enigma_chain_up says which.
func TestHealthAndReadinessReflectTheChainAndPeers(t *testing.T) {
	n := quietNode()
	endpoint := &fakeHead{err: errors.New("connection refused")}
	ch, err := NewChainHealth(endpoint, "http://10.0.0.7:8545", time.Hour, nil, n.Registry())
	if err != nil {
		t.Fatal(err)
	}
	n.Add(ch)
	var peers atomic.Int64
	n.Add(closerServiceReady{overlayPeers{contacts: func() int { return int(peers.Load()) }, bootstrap: true}})
	ms := NewMetricsServer("127.0.0.1:0", n)
	n.Add(ms)
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	get := func(path string) (int, string) { return httpGet(t, "http://"+ms.Addr()+path) }
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body := get(path); code != 503 || !strings.Contains(body, "chain endpoint http://10.0.0.7:8545 is unreachable") {
			t.Errorf("%s with the chain down = %d %q", path, code, body)
		}
	}
	if _, body := get("/metrics"); !strings.Contains(body, "enigma_chain_up 0") {
		t.Errorf("/metrics with the chain down lacks enigma_chain_up 0")
	}

	endpoint.mu.Lock()
	endpoint.err, endpoint.head = nil, 42
	endpoint.mu.Unlock()
	ch.poll(context.Background())
	if code, body := get("/healthz"); code != 200 {
		t.Errorf("/healthz with the chain up = %d %q", code, body)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "no overlay peers yet") {
		t.Errorf("/readyz without peers = %d %q", code, body)
	}
	peers.Store(3)
	code, body := get("/readyz")
	var ready Readiness
	if err := json.Unmarshal([]byte(body), &ready); err != nil {
		t.Fatalf("/readyz is not JSON: %v\n%s", err, body)
	}
	if code != 200 || !ready.Ready || ready.Reason != "" || !ready.Roles["overlay"].Ready || ready.Roles["overlay"].Progress["peers"] != 3 ||
		!ready.Roles["chain"].Ready || ready.Roles["chain"].Progress["head_block"] != 42 {
		t.Errorf("/readyz with peers = %d %+v", code, ready)
	}
	if _, body := get("/metrics"); !strings.Contains(body, "enigma_chain_up 1") || !strings.Contains(body, "enigma_chain_head_block 42") {
		t.Errorf("/metrics with the chain up lacks enigma_chain_up 1 and the head")
	}
}

// closerServiceReady is a service with only a readiness.
type closerServiceReady struct{ overlayPeers }

func (closerServiceReady) Name() string                { return "overlay" }
func (closerServiceReady) Start(context.Context) error { return nil }
func (closerServiceReady) Stop() error                 { return nil }

// httpGet returns the status and body of a GET of url.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

package worker

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/overlay"
)

func newHost(t *testing.T, seed byte) (*overlay.Host, *identity.NodeKey) {
	t.Helper()
	key, err := identity.NodeKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
	if err != nil {
		t.Fatal(err)
	}
	h, err := overlay.NewHost(overlay.HostConfig{Key: key, ListenAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h, key
}

// TestPushOverQUIC carries a run's batches over real QUIC between two
// overlay hosts; the persistence side learns the sender's node ID from the
// TLS handshake and refuses a node that is not the dataset's worker.
func TestPushOverQUIC(t *testing.T) {
	persist, persistKey := newHost(t, 1)
	workerHost, workerKey := newHost(t, 2)
	stranger, strangerKey := newHost(t, 3)
	store := &memoryStore{applied: map[string]bool{}}
	persist.Handle(PushProtocol, newReceiver(t, store, workerKey.ID()))
	addr := func(identity.NodeID) string { return persist.Addr() }

	job := marketJob(t, "daily", marketScript, 1)
	job.PersistenceNodes = []identity.NodeID{persistKey.ID()}

	h := newHarness(t, day(10, 0, 0), "", func(c *Config) {
		c.NodeID = workerKey.ID()
		c.Pusher = CallPusher{Caller: workerHost, AddrHint: addr}
	})
	h.setJob(job)
	h.start()
	if r := h.waitRuns(1)[0]; r.Status != RunOK || r.NodesOK != 1 || store.storedRows() != 3 {
		t.Fatalf("run = %+v, %d rows stored; want 3 rows pushed over QUIC", r, store.storedRows())
	}

	h2 := newHarness(t, day(10, 0, 0), "", func(c *Config) {
		c.NodeID = strangerKey.ID()
		c.Pusher = CallPusher{Caller: stranger, AddrHint: addr}
		c.Retry.MaxAttempts = 1
	})
	h2.setJob(job)
	h2.start()
	if r := h2.waitRuns(1)[0]; r.Status != RunFailed || !strings.Contains(r.Error, "is not a worker of dataset") || store.storedRows() != 3 {
		t.Fatalf("stranger's run = %+v, %d rows stored; want refused", r, store.storedRows())
	}
}

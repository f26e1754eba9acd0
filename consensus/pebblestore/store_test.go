package pebblestore

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/signing"
)

func open(t *testing.T, fs vfs.FS) *Store {
	t.Helper()
	s, err := Open("wal", &pebble.Options{FS: fs, Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func entry(seq, view uint64) consensus.LogEntry {
	pp := &consensus.PrePrepare{View: view, Seq: seq, Batch: consensus.Batch{Requests: []consensus.Request{{Client: "c", Timestamp: seq, Payload: []byte("p")}}}}
	pp.BatchDigest = pp.Batch.Digest()
	return consensus.LogEntry{Seq: seq, View: view, PrePrepare: pp, SentPrepare: true,
		Committed: &consensus.CommittedCert{PrePrepare: *pp, Commits: []consensus.Commit{{View: view, Seq: seq, BatchDigest: pp.BatchDigest, Replica: 2, Sig: []byte{1}}}}}
}

var updates = []*consensus.Update{
	{HardState: &consensus.HardState{View: 1}, Entries: []consensus.LogEntry{entry(1, 0), entry(2, 0), entry(3, 1)}},
	{Entries: []consensus.LogEntry{{Seq: 2, View: 1, SentCommit: true}}, ViewChange: &consensus.ViewChange{View: 2, Replica: 1, Sig: []byte{9}}},
	{HardState: &consensus.HardState{View: 2, InViewChange: true}, Stable: &consensus.StableCheckpoint{Seq: 2, Snapshot: []byte("snap"),
		Proof: []consensus.Checkpoint{{Seq: 2, Replica: 0, Sig: []byte{1}, LedgerSig: []byte{2}}}}, TruncateThrough: 2, Entries: []consensus.LogEntry{entry(5, 2)}},
}

// The Pebble log must load exactly what the reference MemoryStorage holds
// after the same updates, before and after a crash.
func TestStoreMatchesReferenceAndSurvivesCrash(t *testing.T) {
	fs := vfs.NewCrashableMem()
	s := open(t, fs)
	ref := consensus.NewMemoryStorage()
	for i, u := range updates {
		if err := s.Save(u); err != nil {
			t.Fatal(err)
		}
		_ = ref.Save(u)
		got, err := s.Load()
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ref.Load()
		if !sameState(t, got, want) {
			t.Fatalf("after update %d:\n got  %+v\n want %+v", i, got, want)
		}
	}
	// Crash: only synced data survives; Save synced everything.
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	_ = s.Close()
	again := open(t, crashed)
	defer again.Close()
	got, err := again.Load()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ref.Load()
	if !sameState(t, got, want) {
		t.Fatalf("after crash:\n got  %+v\n want %+v", got, want)
	}
}

func TestStoreReportsCorruptRecords(t *testing.T) {
	s := open(t, vfs.NewMem())
	defer s.Close()
	if err := s.Save(updates[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Set(s.key('e', 7), []byte{0xff, 0x00}, pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt entry: %v", err)
	}
	if err := s.db.Set(s.key('e', 7), mustEncode(t, entry(8, 0)), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err == nil {
		t.Fatal("entry stored under the wrong sequence number accepted")
	}
}

func TestPrefixedLogsShareADatabase(t *testing.T) {
	db, err := pebble.Open("db", &pebble.Options{FS: vfs.NewMem(), Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, b := New(db, []byte("a/")), New(db, []byte("b/"))
	if err := a.Save(updates[0]); err != nil {
		t.Fatal(err)
	}
	got, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != 0 || got.HardState.View != 0 {
		t.Fatalf("log b sees log a's records: %+v", got)
	}
	if got, _ := a.Load(); len(got.Entries) != 3 {
		t.Fatalf("log a lost its entries: %+v", got)
	}
}

func mustEncode(t *testing.T, v any) []byte {
	t.Helper()
	enc, err := signing.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// sameState compares canonical encodings (RLP does not tell nil from empty).
func sameState(t *testing.T, a, b *consensus.PersistentState) bool {
	return bytes.Equal(mustEncode(t, a), mustEncode(t, b))
}

// quiet is a Pebble logger for tests: info goes to the test log.
type quiet struct{ t *testing.T }

func (q quiet) Infof(format string, args ...any)  { q.t.Logf(format, args...) }
func (q quiet) Errorf(format string, args ...any) { q.t.Errorf(format, args...) }
func (q quiet) Fatalf(format string, args ...any) { q.t.Fatalf(format, args...) }

func TestOpenOnDiskWithDefaults(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(updates[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.HardState.View != 1 || len(got.Entries) != 3 {
		t.Fatalf("reopened log: %+v", got)
	}
}

// An entry rewritten at each protocol step stores its batch once, and a
// batch that does not match its digest is reported at Load.
func TestBatchesStoredOnceAndCheckedOnLoad(t *testing.T) {
	s := open(t, vfs.NewMem())
	defer s.Close()
	e := entry(4, 0)
	e.PrePrepare.Batch.Requests[0].Payload = bytes.Repeat([]byte("x"), 4096)
	e.PrePrepare.BatchDigest = e.PrePrepare.Batch.Digest()
	e.Committed.PrePrepare = *e.PrePrepare
	e.Cert = &consensus.PreparedCert{PrePrepare: *e.PrePrepare}
	for range 3 {
		if err := s.Save(&consensus.Update{Entries: []consensus.LogEntry{e}}); err != nil {
			t.Fatal(err)
		}
	}
	rec, closer, err := s.db.Get(s.key('e', 4))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) > 1024 {
		t.Errorf("entry record is %d bytes: it still carries its batch", len(rec))
	}
	closer.Close()
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !sameState(t, got, &consensus.PersistentState{Entries: []consensus.LogEntry{e}}) {
		t.Fatalf("loaded %+v, want the entry with its batches back", got.Entries)
	}

	other := entry(5, 0).PrePrepare.Batch
	if err := s.db.Set(s.batchKey(batchRef{4, e.PrePrepare.BatchDigest}), mustEncode(t, &other), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "does not match its digest") {
		t.Fatalf("a swapped batch loaded: %v", err)
	}
	if err := s.db.Delete(s.batchKey(batchRef{4, e.PrePrepare.BatchDigest}), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "not stored") {
		t.Fatalf("an entry without its batch loaded: %v", err)
	}
}

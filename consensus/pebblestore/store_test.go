package pebblestore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
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
		if err := s.Save(u, true); err != nil {
			t.Fatal(err)
		}
		_ = ref.Save(u, true)
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

// A crash keeps the log up to a point: every synced write and every write
// before it, and of the unsynced writes after the last sync a prefix,
// never one without those before it, whatever share of the unsynced file
// data reached the disk.
func TestUnsyncedWritesSurviveAsAPrefix(t *testing.T) {
	var us []*consensus.Update
	for seq := uint64(1); seq <= 40; seq++ {
		u := &consensus.Update{Entries: []consensus.LogEntry{entry(seq, 1)}}
		if seq%10 == 0 {
			u.TruncateThrough = seq - 5
		}
		us = append(us, u)
	}
	// prefixes[i] is the state after the first i updates.
	ref := consensus.NewMemoryStorage()
	prefixes := []*consensus.PersistentState{{}}
	for _, u := range us {
		_ = ref.Save(u, true)
		st, _ := ref.Load()
		prefixes = append(prefixes, st)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 30 {
		synced := 1 + rng.IntN(len(us)-1) // updates [0, synced) end with a synced one
		fs := vfs.NewCrashableMem()
		s := open(t, fs)
		for i, u := range us {
			if err := s.Save(u, i == synced-1); err != nil {
				t.Fatal(err)
			}
		}
		crashed := fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: rng.IntN(101), RNG: rng})
		_ = s.Close()
		got, err := load(t, crashed)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		kept := slices.IndexFunc(prefixes, func(p *consensus.PersistentState) bool { return sameState(t, got, p) })
		if kept < synced {
			t.Fatalf("trial %d: the log after a crash is %+v: not the state after %d or more updates (%d were synced)", trial, got, synced, synced)
		}
	}
}

func TestStoreReportsCorruptRecords(t *testing.T) {
	s := open(t, vfs.NewMem())
	defer s.Close()
	if err := s.Save(updates[0], true); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Set(s.key('e', 7), []byte{0xff, 0x00}, pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt entry: %v", err)
	}
	// A sealed record whose checksum matches but whose entry is not the
	// one its key names (a bug, not bit rot) is refused too.
	if err := s.db.Set(s.key('e', 7), seal(s.key('e', 7), mustEncode(t, entry(8, 0))), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "claims sequence number 8") {
		t.Fatalf("entry stored under the wrong sequence number: %v", err)
	}
}

func TestPrefixedLogsShareADatabase(t *testing.T) {
	db, err := pebble.Open("db", &pebble.Options{FS: vfs.NewMem(), Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := New(db, []byte("a/"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(db, []byte("b/"))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Save(updates[0], true); err != nil {
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
type quiet struct{ t testing.TB }

func (q quiet) Infof(format string, args ...any)  { q.t.Logf(format, args...) }
func (q quiet) Errorf(format string, args ...any) { q.t.Errorf(format, args...) }
func (q quiet) Fatalf(format string, args ...any) { q.t.Fatalf(format, args...) }

func TestOpenOnDiskWithDefaults(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(updates[0], true); err != nil {
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
		if err := s.Save(&consensus.Update{Entries: []consensus.LogEntry{e}}, true); err != nil {
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
	bk := s.batchKey(batchRef{4, e.PrePrepare.BatchDigest})
	if err := s.db.Set(bk, seal(bk, mustEncode(t, &other)), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "does not match its digest") {
		t.Fatalf("a swapped batch loaded: %v", err)
	}
	if err := s.db.Delete(s.batchKey(batchRef{4, e.PrePrepare.BatchDigest}), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "not stored") {
		t.Fatalf("an entry without its batch loaded: %v", err)
	}
}

// entryWith is entry(seq, view) with another request payload, so another
// batch digest.
func entryWith(seq, view uint64, payload string) consensus.LogEntry {
	e := entry(seq, view)
	e.PrePrepare.Batch.Requests[0].Payload = []byte(payload)
	e.PrePrepare.BatchDigest = e.PrePrepare.Batch.Digest()
	e.Committed.PrePrepare = *e.PrePrepare
	for i := range e.Committed.Commits {
		e.Committed.Commits[i].BatchDigest = e.PrePrepare.BatchDigest
	}
	return e
}

// allUpdates are updates plus one that replaces entry 5's batch, leaving
// the old batch stored without an entry that refers to it.
var allUpdates = append(append([]*consensus.Update(nil), updates...),
	&consensus.Update{Entries: []consensus.LogEntry{entryWith(5, 3, "other")}})

// saveAll saves allUpdates and returns what the reference storage holds
// after them.
func saveAll(t *testing.T, s consensus.Storage) *consensus.PersistentState {
	t.Helper()
	ref := consensus.NewMemoryStorage()
	for _, u := range allUpdates {
		if err := s.Save(u, true); err != nil {
			t.Fatal(err)
		}
		_ = ref.Save(u, true)
	}
	want, _ := ref.Load()
	return want
}

type record struct{ k, v []byte }

// records returns every key and value in db under prefix.
func records(t *testing.T, db *pebble.DB, prefix []byte) []record {
	t.Helper()
	opts := &pebble.IterOptions{}
	if len(prefix) > 0 {
		upper := append([]byte(nil), prefix...)
		upper[len(upper)-1]++
		opts = &pebble.IterOptions{LowerBound: prefix, UpperBound: upper}
	}
	it, err := db.NewIter(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var out []record
	for it.First(); it.Valid(); it.Next() {
		out = append(out, record{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	return out
}

// setRaw stores v under k in the log's database on fs, behind the store's
// back (nil v deletes k).
func setRaw(t *testing.T, fs vfs.FS, k, v []byte) {
	t.Helper()
	db, err := pebble.Open("wal", &pebble.Options{FS: fs, Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	if v == nil {
		err = db.Delete(k, pebble.Sync)
	} else {
		err = db.Set(k, v, pebble.Sync)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// openAndLoad opens the log on fs and loads it.
func openAndLoad(t *testing.T, fs vfs.FS) (*consensus.PersistentState, error) {
	t.Helper()
	s, err := Open("wal", &pebble.Options{FS: fs, Logger: quiet{t}})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Load()
}

// load opens the log on fs, which must succeed, and loads it.
func load(t *testing.T, fs vfs.FS) (*consensus.PersistentState, error) {
	t.Helper()
	s := open(t, fs)
	defer s.Close()
	return s.Load()
}

// wantCorrupt fails unless err reports the record under k as corrupt and
// tells the operator what to do.
func wantCorrupt(t *testing.T, err error, k []byte, what string) {
	t.Helper()
	switch {
	case !errors.Is(err, ErrCorrupt):
		t.Fatalf("%s: got %v, want ErrCorrupt", what, err)
	case !strings.Contains(err.Error(), fmt.Sprintf("%x", k)):
		t.Fatalf("%s: the error does not name key %x: %v", what, k, err)
	case !strings.Contains(err.Error(), "the consensus log at wal is corrupt") || !strings.Contains(err.Error(), "f faulty validators"):
		t.Fatalf("%s: the error does not say where or what to do: %v", what, err)
	}
}

// Every single-byte change of any stored value, in its checksum or its
// payload, is reported by Load as ErrCorrupt (Open succeeds).
func TestEveryFlippedByteIsDetected(t *testing.T) {
	fs := vfs.NewMem()
	s := open(t, fs)
	want := saveAll(t, s)
	recs := records(t, s.db, nil)
	_ = s.Close()
	tags := map[byte]int{}
	for _, r := range recs {
		tags[r.k[0]]++
	}
	if tags['F'] != 1 || tags['h'] != 1 || tags['v'] != 1 || tags['s'] != 1 || tags['e'] != 2 || tags['b'] != 3 {
		t.Fatalf("the log does not hold every kind of record, with an unreferenced batch: %v", tags)
	}
	for _, r := range recs {
		for _, pos := range []int{0, checksumLen - 1, checksumLen, len(r.v) / 2, len(r.v) - 1} {
			for _, mask := range []byte{0x01, 0x80, 0xff} {
				v := bytes.Clone(r.v)
				v[pos] ^= mask
				setRaw(t, fs, r.k, v)
				_, err := load(t, fs)
				wantCorrupt(t, err, r.k, fmt.Sprintf("record %x, byte %d ^ %#x", r.k, pos, mask))
			}
		}
		// Truncated below the checksum's size, or empty.
		for _, n := range []int{0, checksumLen - 1} {
			setRaw(t, fs, r.k, r.v[:n])
			_, err := load(t, fs)
			wantCorrupt(t, err, r.k, fmt.Sprintf("record %x cut to %d bytes", r.k, n))
		}
		setRaw(t, fs, r.k, r.v)
	}
	got, err := openAndLoad(t, fs)
	if err != nil {
		t.Fatal(err)
	}
	if !sameState(t, got, want) {
		t.Fatalf("restored log:\n got  %+v\n want %+v", got, want)
	}
}

// A value stored under another key than its own does not pass its
// checksum, even where it would decode.
func TestValueUnderAnotherKeyIsDetected(t *testing.T) {
	fs := vfs.NewMem()
	s := open(t, fs)
	saveAll(t, s)
	value := map[string][]byte{}
	var batchKeys [][]byte
	for _, r := range records(t, s.db, nil) {
		value[string(r.k)] = r.v
		if r.k[0] == 'b' {
			batchKeys = append(batchKeys, r.k)
		}
	}
	moves := []struct{ from, to []byte }{
		{s.key('e', 3), s.key('e', 5)},
		{s.key('e', 5), s.key('e', 9)}, // a key that held nothing
		{batchKeys[0], batchKeys[1]},
		{s.key('h'), s.key('v')},
		{s.key('v'), s.key('h')},
		{s.key('s'), s.key('v')},
		{s.key('h'), s.key('F')},
		// Only the key in the checksum tells this one: the same batch
		// under another sequence number, which no entry refers to.
		{batchKeys[0], s.batchKey(batchRef{4, consensus.Digest(batchKeys[0][len(batchKeys[0])-32:])})},
	}
	_ = s.Close()
	for _, m := range moves {
		old, existed := value[string(m.to)]
		setRaw(t, fs, m.to, value[string(m.from)])
		_, err := load(t, fs)
		wantCorrupt(t, err, m.to, fmt.Sprintf("value of %x under %x", m.from, m.to))
		if !existed {
			old = nil
		}
		setRaw(t, fs, m.to, old)
	}
	if _, err := load(t, fs); err != nil {
		t.Fatal(err)
	}
}

// saveV1 is Save as format 1 wrote it: bare RLP, no format record.
func saveV1(t *testing.T, db *pebble.DB, prefix []byte, u *consensus.Update) {
	t.Helper()
	s := &Store{prefix: prefix}
	b := db.NewBatch()
	defer b.Close()
	put := func(k []byte, v any) {
		if err := b.Set(k, mustEncode(t, v), nil); err != nil {
			t.Fatal(err)
		}
	}
	if u.HardState != nil {
		put(s.key('h'), u.HardState)
	}
	if u.ViewChange != nil {
		put(s.key('v'), u.ViewChange)
	}
	if u.Stable != nil {
		put(s.key('s'), u.Stable)
	}
	for i := range u.Entries {
		e := u.Entries[i]
		for _, pp := range prePrepares(&e) {
			put(s.batchKey(batchRef{e.Seq, pp.BatchDigest}), &pp.Batch)
		}
		put(s.key('e', e.Seq), withoutBatches(e))
	}
	if u.TruncateThrough > 0 {
		_ = b.DeleteRange(s.key('e', 0), s.key('e', u.TruncateThrough+1), nil)
		_ = b.DeleteRange(s.key('b', 0), s.key('b', u.TruncateThrough+1), nil)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
}

// captureLog sends slog's default logger to a buffer for the test.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

// A log written by the previous release is migrated on Open, in place, and
// loads the same state; the next Open finds it in the current format.
func TestMigratesFormat1Log(t *testing.T) {
	logs := captureLog(t)
	fs := vfs.NewMem()
	db, err := pebble.Open("wal", &pebble.Options{FS: fs, Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	ref := consensus.NewMemoryStorage()
	for _, u := range allUpdates {
		saveV1(t, db, nil, u)
		_ = ref.Save(u, true)
	}
	want, _ := ref.Load()
	v1 := records(t, db, nil)
	_ = db.Close()

	s := open(t, fs)
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !sameState(t, got, want) {
		t.Fatalf("migrated log:\n got  %+v\n want %+v", got, want)
	}
	if !strings.Contains(logs.String(), "consensus log migrated from format 1") || !strings.Contains(logs.String(), "records="+fmt.Sprint(len(v1))) {
		t.Fatalf("migration not logged with what it rewrote: %s", logs)
	}
	v2 := records(t, s.db, nil)
	if len(v2) != len(v1)+1 {
		t.Fatalf("%d records after migration, want the %d of format 1 and the format record", len(v2), len(v1))
	}
	for _, r := range v2 {
		if _, err := s.unseal(r.k, r.v); err != nil {
			t.Fatal(err)
		}
	}
	// Still usable, and not migrated again.
	if err := s.Save(&consensus.Update{Entries: []consensus.LogEntry{entry(6, 3)}}, true); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	logs.Reset()
	got, err = openAndLoad(t, fs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != len(want.Entries)+1 || strings.Contains(logs.String(), "migrated") {
		t.Fatalf("reopened migrated log: %d entries, log %q", len(got.Entries), logs)
	}
}

// A format-1 log under a prefix of a shared database is migrated without
// touching keys outside the prefix.
func TestMigratesFormat1LogUnderPrefix(t *testing.T) {
	captureLog(t)
	db, err := pebble.Open("db", &pebble.Options{FS: vfs.NewMem(), Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ref := consensus.NewMemoryStorage()
	for _, u := range allUpdates {
		saveV1(t, db, []byte("a/"), u)
		saveV1(t, db, []byte("c/"), u)
		_ = ref.Save(u, true)
	}
	if err := db.Set([]byte("b/other"), []byte("kept"), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	before := records(t, db, []byte("b/"))
	before = append(before, records(t, db, []byte("c/"))...)
	a, err := New(db, []byte("a/"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Load()
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := ref.Load(); !sameState(t, got, want) {
		t.Fatalf("migrated log:\n got  %+v\n want %+v", got, want)
	}
	after := records(t, db, []byte("b/"))
	after = append(after, records(t, db, []byte("c/"))...)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatal("migrating the log under a/ changed keys outside it")
	}
}

// A format-1 log with a record that does not decode is refused, and left
// as it was.
func TestCorruptFormat1LogIsRefusedUnchanged(t *testing.T) {
	captureLog(t)
	fs := vfs.NewMem()
	db, err := pebble.Open("wal", &pebble.Options{FS: fs, Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range updates {
		saveV1(t, db, nil, u)
	}
	k := (&Store{}).key('e', 5)
	if err := db.Set(k, []byte{0xc1}, pebble.Sync); err != nil {
		t.Fatal(err)
	}
	before := records(t, db, nil)
	_ = db.Close()
	_, err = openAndLoad(t, fs)
	wantCorrupt(t, err, k, "corrupt format-1 entry")
	db, err = pebble.Open("wal", &pebble.Options{FS: fs, Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if after := records(t, db, nil); fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatal("a refused migration wrote to the log")
	}
}

// A log in a newer format is refused with an error that says this binary is
// too old, by Open and by New.
func TestNewerFormatIsRefused(t *testing.T) {
	fs := vfs.NewMem()
	s := open(t, fs)
	saveAll(t, s)
	k := s.key('F')
	_ = s.Close()
	setRaw(t, fs, k, seal(k, mustEncode(t, uint64(formatVersion+1))))
	_, err := Open("wal", &pebble.Options{FS: fs, Logger: quiet{t}})
	if !errors.Is(err, ErrNewerFormat) || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "too old") {
		t.Fatalf("Open of a log in format %d: %v", formatVersion+1, err)
	}

	db, err := pebble.Open("db", &pebble.Options{FS: vfs.NewMem(), Logger: quiet{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pk := []byte("a/F")
	if err := db.Set(pk, seal(pk, mustEncode(t, uint64(formatVersion+7))), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if _, err := New(db, []byte("a/")); !errors.Is(err, ErrNewerFormat) || !strings.Contains(err.Error(), "too old") {
		t.Fatalf("New on a log in a newer format: %v", err)
	}
}

// FuzzBurstErrorsAreDetected: any change confined to a record's checksum,
// or to at most 32 consecutive bits of its payload, is reported by Load as
// ErrCorrupt (CRC-32C detects every burst error up to its degree).
func FuzzBurstErrorsAreDetected(f *testing.F) {
	f.Add(uint8(0), uint16(0), uint32(1))
	f.Add(uint8(1), uint16(2), uint32(0xffffffff))
	f.Add(uint8(3), uint16(5), uint32(0x80000001))
	f.Add(uint8(7), uint16(300), uint32(0x00ff00ff))
	f.Add(uint8(9), uint16(9), uint32(0x10203040))
	s, err := Open("wal", &pebble.Options{FS: vfs.NewMem(), Logger: quiet{f}})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	for _, u := range allUpdates {
		if err := s.Save(u, true); err != nil {
			f.Fatal(err)
		}
	}
	var recs []record
	it, err := s.db.NewIter(nil)
	if err != nil {
		f.Fatal(err)
	}
	for it.First(); it.Valid(); it.Next() {
		recs = append(recs, record{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	_ = it.Close()
	f.Fuzz(func(t *testing.T, which uint8, pos uint16, mask uint32) {
		r := recs[int(which)%len(recs)]
		v := bytes.Clone(r.v)
		p := int(pos) % len(v)
		end := min(p+4, len(v))
		if p < checksumLen {
			end = min(end, checksumLen) // the burst stays in the checksum
		}
		var m [4]byte
		binary.BigEndian.PutUint32(m[:], mask)
		for i := p; i < end; i++ {
			v[i] ^= m[i-p]
		}
		if bytes.Equal(v, r.v) {
			t.Skip("no change")
		}
		if err := s.db.Set(r.k, v, pebble.NoSync); err != nil {
			t.Fatal(err)
		}
		_, err := s.Load()
		if err := s.db.Set(r.k, r.v, pebble.NoSync); err != nil {
			t.Fatal(err)
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("record %x, bytes %d..%d ^ %x: got %v, want ErrCorrupt", r.k, p, end, m[:end-p], err)
		}
	})
}

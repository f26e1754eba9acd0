package pebblestore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/signing"
)

// maxScratch bounds the buffer Save keeps between records: larger ones
// (stable checkpoints with a large snapshot) are encoded into a buffer of
// their own.
const maxScratch = 4 << 20

// maxRecord bounds one stored record (a stable checkpoint carries the
// application snapshot).
const maxRecord = 1 << 30

// Store is a consensus.Storage on a Pebble database.
type Store struct {
	db     *pebble.DB
	prefix []byte
	owned  bool
	where  string // "at <dir>" or "under prefix <prefix>", for errors
	// batches records the batches stored under "b" (sequence number and
	// digest), so a rewritten entry does not write its batch again.
	batches map[batchRef]struct{}
	// scratch holds the record Save is writing (Save is not safe for
	// concurrent use; the replica's driver calls it).
	scratch bytes.Buffer
}

type batchRef struct {
	seq    uint64
	digest consensus.Digest
}

var _ consensus.Storage = (*Store)(nil)

// Open opens (or creates) a Pebble database at dir holding only this log.
// opts may be nil; tests pass options with an in-memory or crashable FS.
// Without a Logger in opts, Pebble's messages go to slog (informational
// ones at debug level). A log in format 1 is migrated to the current format
// (logged at Info), and a log in a newer format is refused (ErrNewerFormat);
// corrupt records, the format record's included, are reported by Load.
func Open(dir string, opts *pebble.Options) (*Store, error) {
	if opts == nil {
		opts = &pebble.Options{}
	}
	if opts.Logger == nil {
		o := *opts
		o.Logger = slogLogger{slog.Default().With("component", "consensus-wal")}
		opts = &o
	}
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("open consensus log at %s: %w", dir, err)
	}
	s := &Store{db: db, owned: true, where: "at " + dir, batches: make(map[batchRef]struct{})}
	if err := s.openFormat(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// New keeps the log in an existing database under prefix, and touches no
// key outside it; the prefixes of two logs in one database must not be
// prefixes of each other. Close does not close db. Like Open, it migrates a
// format-1 log and refuses a newer format.
func New(db *pebble.DB, prefix []byte) (*Store, error) {
	s := &Store{db: db, prefix: append([]byte(nil), prefix...), where: fmt.Sprintf("under prefix %q", prefix), batches: make(map[batchRef]struct{})}
	if err := s.openFormat(); err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the database if Open created it.
func (s *Store) Close() error {
	if s.owned {
		return s.db.Close()
	}
	return nil
}

func (s *Store) key(tag byte, seq ...uint64) []byte {
	k := append(append([]byte(nil), s.prefix...), tag)
	for _, n := range seq {
		k = binary.BigEndian.AppendUint64(k, n)
	}
	return k
}

// slogLogger adapts slog to Pebble's logger. Fatal errors keep Pebble's
// default behaviour (print and exit) after logging.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Infof(format string, args ...any)  { s.l.Debug(fmt.Sprintf(format, args...)) }
func (s slogLogger) Errorf(format string, args ...any) { s.l.Error(fmt.Sprintf(format, args...)) }
func (s slogLogger) Fatalf(format string, args ...any) {
	s.l.Error(fmt.Sprintf(format, args...))
	pebble.DefaultLogger.Fatalf(format, args...)
}

// Save implements consensus.Storage: one batch, synced when asked, each
// record sealed with its checksum.
func (s *Store) Save(u *consensus.Update, sync bool) error {
	b := s.db.NewBatch()
	defer b.Close()
	put := func(k []byte, v any) error {
		// The record is encoded after room for its checksum into the
		// store's own buffer, which Batch.Set copies: a pre-prepare's
		// batch is not allocated twice per write (encoded, then sealed).
		s.scratch.Reset()
		s.scratch.Write(make([]byte, checksumLen))
		if err := signing.EncodeTo(&s.scratch, v); err != nil {
			return fmt.Errorf("encode consensus log record: %w", err)
		}
		val := s.scratch.Bytes()
		binary.BigEndian.PutUint32(val, checksum(k, val[checksumLen:]))
		err := b.Set(k, val, nil)
		if s.scratch.Cap() > maxScratch {
			s.scratch = bytes.Buffer{} // a snapshot's size is not kept for ever
		}
		return err
	}
	if u.HardState != nil {
		if err := put(s.key('h'), u.HardState); err != nil {
			return err
		}
	}
	if u.ViewChange != nil {
		if err := put(s.key('v'), u.ViewChange); err != nil {
			return err
		}
	}
	if u.Stable != nil {
		if err := put(s.key('s'), u.Stable); err != nil {
			return err
		}
	}
	var added []batchRef
	for i := range u.Entries {
		e := u.Entries[i]
		for _, pp := range prePrepares(&e) {
			ref := batchRef{e.Seq, pp.BatchDigest}
			if _, stored := s.batches[ref]; stored || slices.Contains(added, ref) {
				continue
			}
			if err := put(s.batchKey(ref), &pp.Batch); err != nil {
				return err
			}
			added = append(added, ref)
		}
		if err := put(s.key('e', e.Seq), withoutBatches(e)); err != nil {
			return err
		}
	}
	if u.TruncateThrough > 0 {
		if err := b.DeleteRange(s.key('e', 0), s.key('e', u.TruncateThrough+1), nil); err != nil {
			return err
		}
		if err := b.DeleteRange(s.key('b', 0), s.key('b', u.TruncateThrough+1), nil); err != nil {
			return err
		}
	}
	opts := pebble.NoSync
	if sync {
		opts = pebble.Sync
	}
	if err := b.Commit(opts); err != nil {
		return fmt.Errorf("write consensus log: %w", err)
	}
	// Only what is written is remembered. A batch record written without a
	// sync is durable by the time any later write that refers to it is
	// synced, or lost with it.
	for _, ref := range added {
		s.batches[ref] = struct{}{}
	}
	if u.TruncateThrough > 0 {
		maps.DeleteFunc(s.batches, func(ref batchRef, _ struct{}) bool { return ref.seq <= u.TruncateThrough })
	}
	return nil
}

func (s *Store) batchKey(ref batchRef) []byte {
	return append(s.key('b', ref.seq), ref.digest[:]...)
}

// prePrepares returns the pre-prepares an entry carries: the accepted one
// and those inside its certificates.
func prePrepares(e *consensus.LogEntry) []*consensus.PrePrepare {
	var out []*consensus.PrePrepare
	if e.PrePrepare != nil {
		out = append(out, e.PrePrepare)
	}
	if e.Cert != nil {
		out = append(out, &e.Cert.PrePrepare)
	}
	if e.Committed != nil {
		out = append(out, &e.Committed.PrePrepare)
	}
	return out
}

// withoutBatches returns a copy of e whose pre-prepares carry no batch.
func withoutBatches(e consensus.LogEntry) *consensus.LogEntry {
	if e.PrePrepare != nil {
		pp := *e.PrePrepare
		pp.Batch = consensus.Batch{}
		e.PrePrepare = &pp
	}
	if e.Cert != nil {
		c := *e.Cert
		c.PrePrepare.Batch = consensus.Batch{}
		e.Cert = &c
	}
	if e.Committed != nil {
		c := *e.Committed
		c.PrePrepare.Batch = consensus.Batch{}
		e.Committed = &c
	}
	return &e
}

// Load implements consensus.Storage. It checks the checksum of every
// record of the log, including batches no entry refers to any more, and
// returns an error wrapping ErrCorrupt for the first that does not match.
func (s *Store) Load() (*consensus.PersistentState, error) {
	if _, found, err := s.readFormat(); err != nil {
		return nil, err
	} else if !found {
		return nil, s.corrupt(s.key('F'), nil, "is missing")
	}
	st := &consensus.PersistentState{}
	get := func(k []byte, v any) (bool, error) {
		val, closer, err := s.db.Get(k)
		if errors.Is(err, pebble.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read consensus log %s: %w", s.where, err)
		}
		defer closer.Close()
		payload, err := s.unseal(k, val)
		if err != nil {
			return false, err
		}
		if err := signing.Decode(payload, v, maxRecord); err != nil {
			return false, s.corrupt(k, err, "does not decode")
		}
		return true, nil
	}
	if ok, err := get(s.key('h'), &st.HardState); err != nil {
		return nil, err
	} else if ok {
		st.Started = true
	}
	var vc consensus.ViewChange
	if ok, err := get(s.key('v'), &vc); err != nil {
		return nil, err
	} else if ok {
		st.ViewChange = &vc
	}
	var sc consensus.StableCheckpoint
	if ok, err := get(s.key('s'), &sc); err != nil {
		return nil, err
	} else if ok {
		st.Stable = &sc
	}
	err := s.scan('e', func(k, v []byte) error {
		payload, err := s.unseal(k, v)
		if err != nil {
			return err
		}
		var e consensus.LogEntry
		if err := signing.Decode(payload, &e, maxRecord); err != nil {
			return s.corrupt(k, err, "does not decode")
		}
		if want := s.key('e', e.Seq); string(want) != string(k) {
			return s.corrupt(k, nil, "claims sequence number %d", e.Seq)
		}
		for _, pp := range prePrepares(&e) {
			if err := s.loadBatch(e.Seq, pp); err != nil {
				return err
			}
		}
		st.Entries = append(st.Entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Batches no entry refers to are never returned, but a corrupt one is
	// still a sign of a corrupt log.
	err = s.scan('b', func(k, v []byte) error {
		if _, ok := s.parseBatchKey(k); !ok {
			return nil // not this log's: see New
		}
		_, err := s.unseal(k, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// loadBatch puts the stored batch back into pp, checked against its digest.
func (s *Store) loadBatch(seq uint64, pp *consensus.PrePrepare) error {
	ref := batchRef{seq, pp.BatchDigest}
	k := s.batchKey(ref)
	val, closer, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return s.corrupt(s.key('e', seq), nil, "refers to batch %s, which is not stored", pp.BatchDigest.Short())
	}
	if err != nil {
		return fmt.Errorf("read consensus log %s: %w", s.where, err)
	}
	defer closer.Close()
	payload, err := s.unseal(k, val)
	if err != nil {
		return err
	}
	var b consensus.Batch
	if err := signing.Decode(payload, &b, maxRecord); err != nil {
		return s.corrupt(k, err, "does not decode")
	}
	if b.Digest() != pp.BatchDigest {
		return s.corrupt(k, nil, "does not match its digest")
	}
	pp.Batch = b
	s.batches[ref] = struct{}{}
	return nil
}

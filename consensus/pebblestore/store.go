package pebblestore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/signing"
)

// maxRecord bounds one stored record (a stable checkpoint carries the
// application snapshot).
const maxRecord = 1 << 30

// Store is a consensus.Storage on a Pebble database.
type Store struct {
	db     *pebble.DB
	prefix []byte
	owned  bool
}

var _ consensus.Storage = (*Store)(nil)

// Open opens (or creates) a Pebble database at dir holding only this log.
// opts may be nil; tests pass options with an in-memory or crashable FS.
// Without a Logger in opts, Pebble's messages go to slog (informational
// ones at debug level).
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
	return &Store{db: db, owned: true}, nil
}

// New keeps the log in an existing database under prefix. Close does not
// close db.
func New(db *pebble.DB, prefix []byte) *Store {
	return &Store{db: db, prefix: append([]byte(nil), prefix...)}
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

// Save implements consensus.Storage: one synced batch.
func (s *Store) Save(u *consensus.Update) error {
	b := s.db.NewBatch()
	defer b.Close()
	put := func(k []byte, v any) error {
		enc, err := signing.Encode(v)
		if err != nil {
			return fmt.Errorf("encode consensus log record: %w", err)
		}
		return b.Set(k, enc, nil)
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
	for i := range u.Entries {
		if err := put(s.key('e', u.Entries[i].Seq), &u.Entries[i]); err != nil {
			return err
		}
	}
	if u.TruncateThrough > 0 {
		if err := b.DeleteRange(s.key('e', 0), s.key('e', u.TruncateThrough+1), nil); err != nil {
			return err
		}
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("write consensus log: %w", err)
	}
	return nil
}

// Load implements consensus.Storage.
func (s *Store) Load() (*consensus.PersistentState, error) {
	st := &consensus.PersistentState{}
	get := func(k []byte, v any) (bool, error) {
		val, closer, err := s.db.Get(k)
		if errors.Is(err, pebble.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read consensus log: %w", err)
		}
		defer closer.Close()
		if err := signing.Decode(val, v, maxRecord); err != nil {
			return false, fmt.Errorf("consensus log record %q is corrupt: %w", k, err)
		}
		return true, nil
	}
	if _, err := get(s.key('h'), &st.HardState); err != nil {
		return nil, err
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
	lower := s.key('e')
	upper := s.key('f')
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, fmt.Errorf("read consensus log: %w", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		var e consensus.LogEntry
		if err := signing.Decode(it.Value(), &e, maxRecord); err != nil {
			return nil, fmt.Errorf("consensus log entry %x is corrupt: %w", it.Key(), err)
		}
		if want := s.key('e', e.Seq); string(want) != string(it.Key()) {
			return nil, fmt.Errorf("consensus log entry under key %x claims sequence %d", it.Key(), e.Seq)
		}
		st.Entries = append(st.Entries, e)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("read consensus log: %w", err)
	}
	return st, nil
}

package query

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/query/internal/keyenc"
)

// prefixState holds the query server's own durable state, beside the
// tables: query/access lays out the keys below it (the nonces of live
// requests, the rows each trial account was served). Callers pass keys
// without the prefix.
const prefixState = 's'

// StateWrite sets one key of the server state.
type StateWrite struct {
	Key, Value []byte
}

func stateKey(k []byte) []byte { return append([]byte{prefixState}, k...) }

// GetState reads a key of the server state; ok is false when it is absent.
func (s *Store) GetState(key []byte) (val []byte, ok bool, err error) {
	v, closer, err := s.db.Get(stateKey(key))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read query server state: %w", err)
	}
	defer closer.Close()
	return bytes.Clone(v), true, nil
}

// PutState writes keys of the server state in one batch, on disk (fsync)
// before it returns, so what a node answered survives a crash.
func (s *Store) PutState(writes ...StateWrite) error {
	wb := s.db.NewBatch()
	defer wb.Close()
	for _, w := range writes {
		if err := wb.Set(stateKey(w.Key), w.Value, nil); err != nil {
			return fmt.Errorf("write query server state: %w", err)
		}
	}
	if err := wb.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("write query server state: %w", err)
	}
	return nil
}

// ScanState calls fn for each key of the server state in [lo, hi), in key
// order; a nil hi means the end of the state. fn must not keep key or val.
func (s *Store) ScanState(lo, hi []byte, fn func(key, val []byte) error) error {
	upper := keyenc.PrefixEnd([]byte{prefixState})
	if hi != nil {
		upper = stateKey(hi)
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: stateKey(lo), UpperBound: upper})
	if err != nil {
		return fmt.Errorf("read query server state: %w", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		if err := fn(it.Key()[1:], it.Value()); err != nil {
			return err
		}
	}
	return it.Error()
}

// DeleteStateRange deletes the keys of the server state in [lo, hi). It is
// not synced: it only drops state that no longer matters (expired nonces),
// and a crash that loses the deletion leaves nothing but garbage.
func (s *Store) DeleteStateRange(lo, hi []byte) error {
	if err := s.db.DeleteRange(stateKey(lo), stateKey(hi), pebble.NoSync); err != nil {
		return fmt.Errorf("prune query server state: %w", err)
	}
	return nil
}

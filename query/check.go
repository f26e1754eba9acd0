package query

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/query/internal/keyenc"
)

// ErrInconsistent is returned (wrapped) by Check when a table's rows and
// indexes disagree.
var ErrInconsistent = errors.New("table is inconsistent")

// Check verifies the storage invariant of a table on one snapshot: every
// row decodes, fits the schema and sits under the key of its primary key;
// every row has exactly one entry in each index; every index entry belongs
// to a row. It reads the whole table.
func (s *Store) Check(t *Table) error {
	snap := s.db.NewSnapshot()
	defer snap.Close()
	ncols := len(t.Schema.Columns)
	want := make(map[string][]byte) // index key → value, from the rows
	prefix := rowPrefix(t.id)
	it, err := snap.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: keyenc.PrefixEnd(prefix)})
	if err != nil {
		return err
	}
	n := 0
	for it.First(); it.Valid(); it.Next() {
		r, _, err := keyenc.DecodeRow(it.Value(), ncols)
		if err != nil {
			it.Close()
			return fmt.Errorf("%w: %s: row %x does not decode: %v", ErrInconsistent, t.Path, it.Key(), err)
		}
		if err := t.Schema.CheckStoredRow(n, r); err != nil {
			it.Close()
			return fmt.Errorf("%w: %s: %v", ErrInconsistent, t.Path, err)
		}
		pk := t.pkKey(r)
		if !bytes.Equal(it.Key(), rowKey(t.id, pk)) {
			it.Close()
			return fmt.Errorf("%w: %s: row stored under %x has primary key %x", ErrInconsistent, t.Path, it.Key(), pk)
		}
		for ix := range t.ixCols {
			want[string(t.indexKey(ix, r, pk))] = t.indexValue(ix, r, pk)
		}
		n++
	}
	if err := it.Close(); err != nil {
		return err
	}
	for ix := range t.ixCols {
		p := indexPrefix(t.id, ix)
		it, err := snap.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: keyenc.PrefixEnd(p)})
		if err != nil {
			return err
		}
		for it.First(); it.Valid(); it.Next() {
			v, ok := want[string(it.Key())]
			if !ok || !bytes.Equal(v, it.Value()) {
				it.Close()
				return fmt.Errorf("%w: %s: index %s has an entry %x that no row accounts for", ErrInconsistent, t.Path, t.Schema.Indexes[ix].Name, it.Key())
			}
			delete(want, string(it.Key()))
		}
		if err := it.Close(); err != nil {
			return err
		}
	}
	for k := range want {
		return fmt.Errorf("%w: %s: index entry %x is missing", ErrInconsistent, t.Path, []byte(k))
	}
	return nil
}

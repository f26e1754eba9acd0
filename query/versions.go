package query

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/signing"
)

// Versions of a dataset. A provider's update certifies a new metadata
// version (a new script, schema, schedule or node set); its workers curate
// it afresh. The store keeps each version in a table of its own, under its
// own storage key (TableKey), and serves queries from one of them: the
// newest version that has a complete run. So queries see the old version,
// whole, until the new version's first run has fully landed, and from the
// batch that completes that run on, the new version, whole:
//
//   - CreateVersion adds a version's table (empty; the node calls it when
//     its catalog brings the certified record). The first table of a
//     dataset is served at once.
//   - Ingest writes a batch to the table of the batch's version. The batch
//     that completes a run of a version newer than the served one also
//     moves the serving pointer ('v' dataset → storage key) to it and
//     deletes every older version's keys, in the same synced Pebble batch.
//   - A query resolves the served table and takes its Pebble snapshot under
//     serveMu's read lock; the switch commits under its write lock. A query
//     therefore reads one version from one snapshot, and a query planned on
//     a table that was replaced before it read is told so
//     (ErrTableReplaced) instead of reading a deleted range.
//
// A version that is overtaken before it completed a run (v2 pending when v3
// arrives) is dropped when the newer one is created: workers curate only the
// newest version.

// TableKey is the storage key of a dataset's table of metadata version v.
func TableKey(datasetID common.Hash, version uint64) common.Hash {
	return crypto.Keccak256Hash([]byte("enigma/query/table/v1"), datasetID[:], binary.BigEndian.AppendUint64(nil, version))
}

func servingKey(datasetID common.Hash) []byte {
	return append([]byte{prefixServing}, datasetID[:]...)
}

// addTableLocked records a table in memory (s.mu held, or during Open); the
// caller decides which table is served.
func (s *Store) addTableLocked(t *Table) {
	vs := slices.DeleteFunc(s.mu.versions[t.dataset], func(o *Table) bool { return o.id == t.id })
	vs = append(vs, t)
	slices.SortFunc(vs, func(a, b *Table) int {
		switch {
		case a.Version < b.Version:
			return -1
		case a.Version > b.Version:
			return 1
		}
		return 0
	})
	s.mu.versions[t.dataset] = vs
	if cur, ok := s.mu.tables[t.dataset]; !ok || cur.id == t.id {
		s.mu.tables[t.dataset] = t
	}
}

// loadServing reads the serving pointers; a dataset without one is served
// from its oldest table.
func (s *Store) loadServing() error {
	ptr := make(map[common.Hash]common.Hash)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixServing}, UpperBound: []byte{prefixServing + 1}})
	if err != nil {
		return fmt.Errorf("read served versions: %w", err)
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		if len(it.Key()) != 1+common.HashLength || len(it.Value()) != common.HashLength {
			return fmt.Errorf("served-version entry %x is malformed", it.Key())
		}
		ptr[common.BytesToHash(it.Key()[1:])] = common.BytesToHash(it.Value())
	}
	if err := it.Error(); err != nil {
		return err
	}
	for id, vs := range s.mu.versions {
		s.mu.tables[id] = vs[0]
		if key, ok := ptr[id]; ok {
			for _, t := range vs {
				if t.id == key {
					s.mu.tables[id] = t
				}
			}
		}
	}
	return nil
}

// Versions returns every table of a dataset, oldest version first.
func (s *Store) Versions(id common.Hash) []*Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.mu.versions[id])
}

// TableVersion returns the dataset's table of metadata version v.
func (s *Store) TableVersion(id common.Hash, v uint64) (*Table, error) {
	for _, t := range s.Versions(id) {
		if t.Version == v {
			return t, nil
		}
	}
	if len(s.Versions(id)) == 0 {
		return nil, fmt.Errorf("%w %s on this node (is this a persistence node named in its metadata?)", ErrUnknownDataset, id.Hex())
	}
	return nil, fmt.Errorf("%w: version %d of dataset %s is not set up on this node yet", ErrUnknownVersion, v, id.Hex())
}

// live reports whether t is still one of its dataset's tables.
func (s *Store) live(t *Table) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.mu.versions[t.dataset], t)
}

// snapshot takes a Pebble snapshot for reading t, or ErrTableReplaced when
// t is no longer one of its dataset's tables.
func (s *Store) snapshot(t *Table) (*pebble.Snapshot, error) {
	s.serveMu.RLock()
	defer s.serveMu.RUnlock()
	if !s.live(t) {
		return nil, fmt.Errorf("%w: %s version %d", ErrTableReplaced, t.Path, t.Version)
	}
	return s.db.NewSnapshot(), nil
}

// ingestTable is the table a batch of version v goes to.
func (s *Store) ingestTable(id common.Hash, v uint64) (*Table, error) {
	if v == 0 {
		return s.Table(id)
	}
	serving, err := s.Table(id)
	if err != nil {
		return nil, err
	}
	if serving.Version > v {
		return nil, fmt.Errorf("%w: batch of %s version %d, this node serves version %d; the worker must curate the new version", ErrStaleVersion, serving.Path, v, serving.Version)
	}
	return s.TableVersion(id, v)
}

// CreateVersion adds the table of metadata version v of a dataset, with
// that version's certified record (kept to show clients which version is
// served). It is a no-op for a version that exists with the same schema.
// The first table of a dataset is served at once; a later one once a run
// of it is complete (Ingest). Pending tables of older versions that never
// completed a run are dropped: workers curate only the newest version. A
// version older than the served one is refused (ErrStaleVersion). Version
// 0 is CreateDataset.
func (s *Store) CreateVersion(path dataset.Path, v uint64, schema dataset.Schema, record []byte) (*Table, error) {
	if v == 0 {
		return s.CreateDataset(path, schema)
	}
	t, err := newTable(path, schema)
	if err != nil {
		return nil, err
	}
	t.Version, t.Record, t.id = v, bytes.Clone(record), TableKey(t.dataset, v)
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	s.mu.Lock()
	versions, serving := slices.Clone(s.mu.versions[t.dataset]), s.mu.tables[t.dataset]
	s.mu.Unlock()
	for _, old := range versions {
		if old.Version == v {
			if !sameSchema(&old.Schema, &schema) {
				return nil, fmt.Errorf("%w: %s version %d", ErrSchemaMismatch, path, v)
			}
			return old, nil
		}
	}
	if serving != nil && serving.Version > v {
		return nil, fmt.Errorf("%w: %s version %d, this node serves version %d", ErrStaleVersion, path, v, serving.Version)
	}
	// A table of a store written before versions holds version 1 (updates
	// did not exist then): it becomes version 1 in place.
	if len(versions) == 1 && versions[0].Version == 0 && v == 1 && versions[0].id == t.dataset && sameSchema(&versions[0].Schema, &schema) {
		t.id = t.dataset
		versions = nil
		serving = nil
	}
	enc, err := signing.Encode(catalogEntry{Version: 1, Path: path, Schema: schema, MetaVersion: v, Record: t.Record})
	if err != nil {
		return nil, fmt.Errorf("encode catalog entry: %w", err)
	}
	wb := s.db.NewBatch()
	defer wb.Close()
	if err := wb.Set(catalogKey(t.id), enc, nil); err != nil {
		return nil, err
	}
	if serving == nil {
		if err := wb.Set(servingKey(t.dataset), t.id[:], nil); err != nil {
			return nil, err
		}
	}
	var drop []*Table
	for _, old := range versions {
		if old != serving && old.Version < v {
			drop = append(drop, old)
			if err := deleteTable(wb, old.id); err != nil {
				return nil, err
			}
		}
	}
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if err := wb.Commit(pebble.Sync); err != nil {
		return nil, fmt.Errorf("create version %d of %s: %w", v, path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.versions[t.dataset] = slices.DeleteFunc(s.mu.versions[t.dataset], func(o *Table) bool {
		return slices.Contains(drop, o) || o.id == t.id
	})
	if serving == nil {
		s.mu.tables[t.dataset] = t
	}
	s.addTableLocked(t)
	return t, nil
}

// versionSwitch is a planned change of the served version.
type versionSwitch struct {
	dataset common.Hash
	to      *Table
	drop    []*Table
}

func (sw *versionSwitch) replacedVersions() []uint64 {
	var out []uint64
	for _, t := range sw.drop {
		out = append(out, t.Version)
	}
	return out
}

// planSwitchLocked adds to wb what serving t takes, when t is newer than
// the served version: the pointer, and the deletion of every older
// version. ingestMu must be held.
func (s *Store) planSwitchLocked(t *Table, wb *pebble.Batch) (*versionSwitch, error) {
	s.mu.Lock()
	serving, versions := s.mu.tables[t.dataset], slices.Clone(s.mu.versions[t.dataset])
	s.mu.Unlock()
	if serving == nil || serving == t || t.Version <= serving.Version {
		return nil, nil
	}
	sw := &versionSwitch{dataset: t.dataset, to: t}
	if err := wb.Set(servingKey(t.dataset), t.id[:], nil); err != nil {
		return nil, err
	}
	for _, old := range versions {
		if old.Version < t.Version {
			sw.drop = append(sw.drop, old)
			if err := deleteTable(wb, old.id); err != nil {
				return nil, err
			}
		}
	}
	return sw, nil
}

// commitSwitch commits an ingest batch; with a switch, under serveMu's
// write lock, and then serves the new version.
func (s *Store) commitSwitch(wb *pebble.Batch, sw *versionSwitch) error {
	if sw == nil {
		return wb.Commit(pebble.Sync)
	}
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if err := wb.Commit(pebble.Sync); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.tables[sw.dataset] = sw.to
	s.mu.versions[sw.dataset] = slices.DeleteFunc(s.mu.versions[sw.dataset], func(o *Table) bool { return slices.Contains(sw.drop, o) })
	return nil
}

// DropDataset deletes every version of a dataset (the node is no longer
// named for it). Queries planned before see ErrTableReplaced.
func (s *Store) DropDataset(id common.Hash) error {
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	versions := s.Versions(id)
	if len(versions) == 0 {
		return nil
	}
	wb := s.db.NewBatch()
	defer wb.Close()
	for _, t := range versions {
		if err := deleteTable(wb, t.id); err != nil {
			return err
		}
	}
	if err := wb.Delete(servingKey(id), nil); err != nil {
		return err
	}
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if err := wb.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("drop dataset %s: %w", id.Hex(), err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mu.tables, id)
	delete(s.mu.versions, id)
	return nil
}

// deleteTable adds the deletion of every key of the table stored under key.
func deleteTable(wb *pebble.Batch, key common.Hash) error {
	for _, p := range []byte{prefixCatalog, prefixRow, prefixIndex, prefixBatch, prefixProgress, prefixNewest} {
		lo := append([]byte{p}, key[:]...)
		if err := wb.DeleteRange(lo, keyenc.PrefixEnd(lo), nil); err != nil {
			return err
		}
	}
	return nil
}

// HasRun reports whether a run of the table's version is complete on this
// node (a batch with the run's size completed it). Until then a versioned
// table holds part of a run at most.
func (s *Store) HasRun(t *Table) bool {
	_, ok, err := s.getInt64(newestKey(t.id))
	return err == nil && ok
}

// TableStats are what a status report shows of one table.
type TableStats struct {
	Version uint64
	Serving bool
	// NewestSlot is the schedule slot (µs) of its newest complete run;
	// HasRun is false before the first.
	NewestSlot int64
	HasRun     bool
	// Rows counts rows up to the count asked for; Capped says it stopped
	// there.
	Rows   uint64
	Capped bool
}

// Stats reports on every version of a dataset, counting at most maxRows
// rows per table (a key-only scan).
func (s *Store) Stats(id common.Hash, maxRows uint64) ([]TableStats, error) {
	serving, _ := s.Table(id)
	var out []TableStats
	for _, t := range s.Versions(id) {
		st := TableStats{Version: t.Version, Serving: t == serving}
		slot, ok, err := s.getInt64(newestKey(t.id))
		if err != nil {
			return nil, err
		}
		st.NewestSlot, st.HasRun = slot, ok
		snap, err := s.snapshot(t)
		if errors.Is(err, ErrTableReplaced) {
			continue
		}
		if err != nil {
			return nil, err
		}
		prefix := rowPrefix(t.id)
		it, err := snap.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: keyenc.PrefixEnd(prefix)})
		if err != nil {
			snap.Close()
			return nil, err
		}
		for it.First(); it.Valid(); it.Next() {
			if st.Rows >= maxRows {
				st.Capped = true
				break
			}
			st.Rows++
		}
		err = errors.Join(it.Error(), it.Close(), snap.Close())
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

package ledgerdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/ethdb/pebble"

	"github.com/enigma-mpc/enigma/ledger"
)

// Dir is the ledger database's directory under a node's data directory.
func Dir(datadir string) string { return filepath.Join(datadir, "ledger") }

// Pebble sizing: the ledger holds metadata, not datasets, so a small cache
// serves it.
const (
	cacheMB = 32
	handles = 64
)

// DB is a ledger persisted in Pebble.
type DB struct {
	*ledger.Ledger
	kv *pebble.Database
}

// Open opens (creating if needed) the ledger database in dir and resumes
// the ledger from its last applied batch.
func Open(dir string, cfg ledger.Config) (*DB, error) {
	if err := finishCompaction(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create ledger directory: %w", err)
	}
	kv, err := pebble.New(dir, cacheMB, handles, "enigma/ledger/", false)
	if err != nil {
		return nil, fmt.Errorf("open ledger database %s: %w (is another enigma process using this data directory?)", dir, err)
	}
	l, err := ledger.Open(cfg, kv)
	if err != nil {
		return nil, errors.Join(err, kv.Close())
	}
	return &DB{Ledger: l, kv: kv}, nil
}

// Close flushes and closes the database. The ledger must not be used after.
func (db *DB) Close() error {
	if err := db.kv.Close(); err != nil {
		return fmt.Errorf("close ledger database: %w", err)
	}
	return nil
}

// CompactReport says what Compact did.
type CompactReport struct {
	ledger.CopyStats
	BytesBefore, BytesAfter int64
}

// Compact rewrites the ledger database in dir with only the states of its
// last keep sequences (ledger.CopyRecent), reclaiming the space superseded
// states hold. The node must be stopped: the database lock refuses a second
// user. The copy is made beside dir and swapped in with two renames; Open
// (and the next Compact) finishes or undoes a swap a crash interrupted.
func Compact(dir string, cfg ledger.Config, keep uint64) (CompactReport, error) {
	if err := finishCompaction(dir); err != nil {
		return CompactReport{}, err
	}
	if !exists(dir) {
		return CompactReport{}, fmt.Errorf("no ledger database in %s: is the data directory right?", dir)
	}
	var rep CompactReport
	var err error
	if rep.BytesBefore, err = dirSize(dir); err != nil {
		return rep, err
	}
	src, err := Open(dir, cfg)
	if err != nil {
		return rep, err
	}
	tmp := dir + compactingSuffix
	dst, err := pebble.New(tmp, cacheMB, handles, "enigma/ledger/", false)
	if err != nil {
		src.Close()
		return rep, fmt.Errorf("create the compacted copy at %s: %w", tmp, err)
	}
	rep.CopyStats, err = src.CopyRecent(dst, keep)
	if err == nil {
		err = dst.SyncKeyValue()
	}
	err = errors.Join(err, dst.Close(), src.Close())
	if err != nil {
		return rep, errors.Join(fmt.Errorf("compact %s: %w", dir, err), os.RemoveAll(tmp))
	}
	old := dir + oldSuffix
	if err := os.Rename(dir, old); err != nil {
		return rep, errors.Join(fmt.Errorf("swap in the compacted ledger: %w", err), os.RemoveAll(tmp))
	}
	if err := os.Rename(tmp, dir); err != nil {
		return rep, fmt.Errorf("swap in the compacted ledger (the original is at %s; Open puts it back): %w", old, err)
	}
	if err := os.RemoveAll(old); err != nil {
		return rep, fmt.Errorf("remove the original ledger at %s: %w", old, err)
	}
	rep.BytesAfter, err = dirSize(dir)
	return rep, err
}

// Suffixes of the directories a compaction works in, beside the ledger's.
const (
	compactingSuffix = ".compacting"
	oldSuffix        = ".old"
)

// finishCompaction settles what an interrupted Compact left: with the
// original moved aside but the copy not yet in place, the original goes
// back; with the copy in place, the original is removed; an unfinished
// copy is removed.
func finishCompaction(dir string) error {
	old := dir + oldSuffix
	if exists(old) {
		if exists(dir) {
			if err := os.RemoveAll(old); err != nil {
				return fmt.Errorf("remove the ledger a compaction replaced (%s): %w", old, err)
			}
		} else if err := os.Rename(old, dir); err != nil {
			return fmt.Errorf("put back the ledger an interrupted compaction moved to %s: %w", old, err)
		}
	}
	if tmp := dir + compactingSuffix; exists(tmp) {
		if err := os.RemoveAll(tmp); err != nil {
			return fmt.Errorf("remove an interrupted compaction's copy (%s): %w", tmp, err)
		}
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}

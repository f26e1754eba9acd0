package ledgerdb

import (
	"errors"
	"fmt"
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

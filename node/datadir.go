package node

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// Modes of everything a node creates under its datadir: a persistence
// node's dataset columns that are not encrypted, a worker's column keys and
// a validator's ledger are for the node's own user only.
const (
	DirMode  fs.FileMode = 0o700
	FileMode fs.FileMode = 0o600
)

// DatasetsDir is where a persistence node keeps its query store (Pebble)
// under its datadir; the operator's 'enigma query' commands open the same.
func DatasetsDir(datadir string) string { return filepath.Join(datadir, "datasets") }

// PrepareDatadir creates the datadir (0700) if it does not exist. An
// existing datadir that group or others can enter is left as it is, with a
// warning that names the path, its mode and the chmod that fixes it: the
// datadir's own mode is what keeps other users out of everything in it,
// including files an older version created world-readable.
func PrepareDatadir(dir string, log *slog.Logger) error {
	if dir == "" {
		return errors.New("no datadir given: set --datadir")
	}
	if log == nil {
		log = slog.Default()
	}
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, DirMode); err != nil {
			return fmt.Errorf("create datadir %s: %w", dir, err)
		}
		// MkdirAll applies the umask; make sure of the mode.
		if err := os.Chmod(dir, DirMode); err != nil {
			return fmt.Errorf("set the mode of datadir %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("datadir %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("datadir %s is not a directory: pass --datadir a directory", dir)
	}
	if perm := info.Mode().Perm(); perm&^DirMode != 0 {
		log.Warn("the datadir is open to other users: its stores (dataset columns, keys, the ledger) may be readable by them",
			"path", dir, "mode", fmt.Sprintf("%#o", perm), "want", fmt.Sprintf("%#o", DirMode), "fix", "chmod 700 "+dir)
	}
	return nil
}

// privateStore narrows the modes of a Pebble store that is open in dir:
// the directory to 0700 and every file and directory in it that group or
// others can read to 0600/0700. Pebble itself creates directories 0755 and
// files 0666 less the umask, so without Assemble's umask (or for a store an
// older version created) they would be readable by other users; files it
// creates later get 0600 from the umask and sit in a 0700 directory either
// way. It runs after the store opens, so it never creates a directory a
// store's own recovery looks for (ledgerdb puts back an interrupted
// compaction only if the ledger directory is missing). Symbolic links are
// neither changed nor followed.
func privateStore(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil && path != dir && errors.Is(err, fs.ErrNotExist) {
			return nil // gone while the walk went on (Pebble deletes obsolete files): nothing to narrow
		}
		if err != nil {
			return fmt.Errorf("make store %s private: %w", dir, err)
		}
		want := FileMode
		switch {
		case d.IsDir():
			want = DirMode
		case !d.Type().IsRegular():
			return nil
		}
		return narrow(path, d, want)
	})
}

// privateDir narrows dir itself (not what is in it) to 0700, if it exists:
// the worker's directory holds the operator's input files, whose modes are
// the operator's business.
func privateDir(dir string) error {
	info, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("make %s private: %w", dir, err)
	}
	if !info.IsDir() {
		return nil
	}
	return narrow(dir, fs.FileInfoToDirEntry(info), DirMode)
}

// narrow takes away the mode bits of path beyond want. A file that is gone
// by the time it is looked at needs nothing.
func narrow(path string, d fs.DirEntry, want fs.FileMode) error {
	info, err := d.Info()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("make %s private: %w", path, err)
	}
	if perm := info.Mode().Perm(); perm&^want != 0 {
		if err := os.Chmod(path, perm&want); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("narrow the mode of %s from %#o to %#o (if another user owns it, chown it to the node's user): %w", path, perm, perm&want, err)
		}
	}
	return nil
}

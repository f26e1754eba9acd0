package simulation

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// crashBlock is the unit in which unsynced file data survives a crash, as
// in Pebble's MemFS.CrashClone.
const crashBlock = 4096

// crashClone returns what fs may hold after a crash now: everything synced,
// and each unsynced directory entry and unsynced block of file data with a
// probability drawn for this crash, all from a generator seeded with seed.
// It is MemFS.CrashClone made replayable: CrashClone draws its coins while
// ranging over Go maps (a directory's children), whose order changes from
// run to run, so the same seed kept different blocks, and the run diverged
// from there. Here the tree is walked in name order and a file's blocks in
// offset order, so the same files keep the same data every time; and the
// crash's coins come from a generator of its own, so should Pebble's
// background work (a memtable flush, a full WAL block) have written more
// or less by the crash, that changes what survives, not the run's other
// draws.
func crashClone(fs *vfs.MemFS, seed uint64) (*vfs.MemFS, error) {
	rng := randsrc.New(seed)
	synced := fs.CrashClone(vfs.CrashCloneCfg{})
	// At 100% CrashClone keeps everything but still draws a coin for each
	// entry and block, from a generator of its own here.
	written := fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 100, RNG: randsrc.New(0)})
	percent := rng.IntN(101)
	c := &cloner{synced: synced, written: written, out: vfs.NewCrashableMem(), keep: func() bool {
		return percent > 0 && rng.IntN(100) < percent
	}}
	if err := c.dir(""); err != nil {
		return nil, fmt.Errorf("crash clone: %w", err)
	}
	return c.out, nil
}

type cloner struct {
	synced, written, out *vfs.MemFS
	keep                 func() bool
}

// dir copies directory dir: the entries it has synced, and each of its
// unsynced ones if kept.
func (c *cloner) dir(dir string) error {
	had, _ := c.synced.List(dir)
	has, _ := c.written.List(dir)
	names := slices.Compact(slices.Sorted(slices.Values(append(had, has...))))
	for _, name := range names {
		// A synced entry stays, even if it was removed or renamed since
		// (that change was not synced).
		from := c.synced
		if !slices.Contains(had, name) {
			if !c.keep() {
				continue
			}
			from = c.written
		}
		path := c.out.PathJoin(dir, name)
		st, err := from.Stat(path)
		if err != nil {
			return err
		}
		if st.IsDir() {
			if err := c.out.MkdirAll(path, os.ModePerm); err != nil {
				return err
			}
			if err := c.dir(path); err != nil {
				return err
			}
			continue
		}
		if err := c.file(path); err != nil {
			return err
		}
	}
	d, err := c.out.OpenDir(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// file copies file path: its synced data, and each block of its unsynced
// data if kept (a kept block past the synced length leaves zeros before it
// where earlier blocks were lost).
func (c *cloner) file(path string) error {
	data := readAll(c.synced, path)
	for i, now := 0, readAll(c.written, path); i < len(now); i += crashBlock {
		block := now[i:min(i+crashBlock, len(now))]
		if i+len(block) <= len(data) && slices.Equal(block, data[i:i+len(block)]) {
			continue // synced as it is
		}
		if !c.keep() {
			continue
		}
		if grow := i + len(block) - len(data); grow > 0 {
			data = append(data, make([]byte, grow)...)
		}
		copy(data[i:], block)
	}
	f, err := c.out.Create(path, vfs.WriteCategoryUnspecified)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// readAll returns the contents of file path in fs, or nothing if it has
// none.
func readAll(fs *vfs.MemFS, path string) []byte {
	f, err := fs.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return b
}

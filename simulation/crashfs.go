package simulation

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// crashBlock is the unit in which unsynced file data survives a crash, as
// in Pebble's MemFS.CrashClone.
const crashBlock = 4096

// crashClone returns what fs may hold after a crash now: everything synced,
// and each unsynced directory entry and unsynced block of file data with a
// probability drawn for this crash, all from generators seeded with seed.
// It is MemFS.CrashClone made replayable:
//
//   - CrashClone draws its coins while ranging over Go maps (a directory's
//     children), whose order changes from run to run. Here the tree is
//     walked in name order and a file's blocks in offset order.
//   - Each entry and each file draws from a generator of its own (seed and
//     path), so a file that holds more or less than in another run (a
//     memtable flush Pebble finished or not by the crash) changes what
//     survives of that file, not of the others.
//   - Pebble's write-ahead logs (*.log) keep only what was synced. Pebble's
//     log writer is a goroutine that writes whatever records are buffered
//     each time it wakes, so how much of the unsynced tail a log holds at
//     the crash depends on goroutine timing; keeping any of it made a
//     --pebble run differ from run to run (10,404 or 10,406 batches for
//     the same 400 seeds). A crash that loses every unsynced log record is
//     the one the protocol's sync rules must survive; the simulator's
//     in-memory log (without --pebble) still keeps seeded prefixes of its
//     unsynced writes.
func crashClone(fs *vfs.MemFS, seed uint64) (*vfs.MemFS, error) {
	percent := randsrc.New(seed).IntN(101)
	synced := fs.CrashClone(vfs.CrashCloneCfg{})
	// At 100% CrashClone keeps everything but still draws a coin for each
	// entry and block, from a generator of its own here.
	written := fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 100, RNG: randsrc.New(0)})
	c := &cloner{synced: synced, written: written, out: vfs.NewCrashableMem(), coins: func(what, path string) func() bool {
		rng := randsrc.Derive(seed, what+":"+path)
		return func() bool { return percent > 0 && rng.IntN(100) < percent }
	}}
	if err := c.dir(""); err != nil {
		return nil, fmt.Errorf("crash clone: %w", err)
	}
	return c.out, nil
}

type cloner struct {
	synced, written, out *vfs.MemFS
	// coins returns the coins that decide whether the unsynced entry
	// ("entry") or blocks ("data") of path survive.
	coins func(what, path string) func() bool
}

// dir copies directory dir: the entries it has synced, and each of its
// unsynced ones if kept.
func (c *cloner) dir(dir string) error {
	had, _ := c.synced.List(dir)
	has, _ := c.written.List(dir)
	names := slices.Compact(slices.Sorted(slices.Values(append(had, has...))))
	for _, name := range names {
		path := c.out.PathJoin(dir, name)
		// A synced entry stays, even if it was removed or renamed since
		// (that change was not synced).
		from := c.synced
		if !slices.Contains(had, name) {
			if !c.coins("entry", path)() {
				continue
			}
			from = c.written
		}
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
// where earlier blocks were lost); of a Pebble log, the synced data alone.
func (c *cloner) file(path string) error {
	data := readAll(c.synced, path)
	keep := func() bool { return false }
	if !strings.HasSuffix(path, ".log") {
		keep = c.coins("data", path)
	}
	for i, now := 0, readAll(c.written, path); i < len(now); i += crashBlock {
		block := now[i:min(i+crashBlock, len(now))]
		if i+len(block) <= len(data) && slices.Equal(block, data[i:i+len(block)]) {
			continue // synced as it is
		}
		if !keep() {
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

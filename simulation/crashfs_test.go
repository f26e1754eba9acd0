package simulation

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// crashFixture is a crashable filesystem with synced data, an unsynced tail
// of several blocks, a file whose directory entry was never synced, and a
// subdirectory.
func crashFixture(t *testing.T) *vfs.MemFS {
	t.Helper()
	fs := vfs.NewCrashableMem()
	if err := fs.MkdirAll("wal/sub", 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, synced, unsynced int, fill byte) {
		f, err := fs.Create(name, vfs.WriteCategoryUnspecified)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(bytes.Repeat([]byte{fill}, synced)); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(bytes.Repeat([]byte{fill + 1}, unsynced)); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, dir := range []string{"", "wal", "wal/sub"} {
		d, err := fs.OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Sync(); err != nil {
			t.Fatal(err)
		}
		d.Close()
	}
	write("wal/000001.log", 3*crashBlock+100, 9*crashBlock+7, 'a')
	write("wal/MANIFEST-000001", crashBlock, 2*crashBlock, 'm')
	write("wal/sub/x", 10, 5*crashBlock, 'x')
	for _, dir := range []string{"wal", "wal/sub"} {
		d, _ := fs.OpenDir(dir)
		d.Sync()
		d.Close()
	}
	// Never synced into its directory.
	write("wal/000002.log", 0, 4*crashBlock, 'n')
	return fs
}

// snapshotFS lists every file of fs with its contents.
func snapshotFS(t *testing.T, fs *vfs.MemFS, dir string, out map[string]string) {
	t.Helper()
	names, err := fs.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		path := fs.PathJoin(dir, name)
		st, err := fs.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.IsDir() {
			out[path+"/"] = ""
			snapshotFS(t, fs, path, out)
			continue
		}
		out[path] = string(readAll(fs, path))
	}
}

// The same seed keeps the same unsynced data, crash after crash (Pebble's
// own CrashClone, ranging over maps, does not); every synced byte
// survives; a log keeps nothing unsynced; and over seeds both keeping and
// losing another file's unsynced data occur.
func TestCrashCloneIsReplayable(t *testing.T) {
	fs := crashFixture(t)
	lost, kept := false, false
	for seed := uint64(0); seed < 40; seed++ {
		var first map[string]string
		for range 5 {
			clone, err := crashClone(fs, seed)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			snapshotFS(t, clone, "", got)
			if first == nil {
				first = got
				continue
			}
			if len(got) != len(first) {
				t.Fatalf("seed %d: the same crash kept %d entries, then %d", seed, len(first), len(got))
			}
			for k, v := range first {
				if got[k] != v {
					t.Fatalf("seed %d: the same crash kept different data in %s", seed, k)
				}
			}
		}
		if log := first["wal/000001.log"]; log != strings.Repeat("a", 3*crashBlock+100) {
			t.Fatalf("seed %d: the log holds %d bytes after the crash, want its %d synced ones alone", seed, len(log), 3*crashBlock+100)
		}
		x, ok := first["wal/sub/x"]
		if !ok || len(x) < 10 || x[:10] != strings.Repeat("x", 10) {
			t.Fatalf("seed %d: a file with a synced directory entry lost its synced data: %q", seed, x[:min(len(x), 10)])
		}
		switch x[10:] {
		case "":
			lost = true
		case strings.Repeat("y", 5*crashBlock):
			kept = true
		}
	}
	if !lost || !kept {
		t.Fatalf("over 40 seeds the unsynced tail was never lost (%v) or never kept whole (%v)", !lost, !kept)
	}
}

// What a crash keeps of a file does not depend on how much unsynced data
// another held, nor anything on how much a log held: Pebble writes its
// logs when its log writer's goroutine wakes, and finishes a flush in the
// background, so those amounts differ from run to run.
func TestCrashCloneKeepsEachFileOnItsOwnCoins(t *testing.T) {
	grown := func(name string) *vfs.MemFS {
		fs := crashFixture(t)
		f, err := fs.OpenReadWrite(name, vfs.WriteCategoryUnspecified)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(bytes.Repeat([]byte{'c'}, 3*crashBlock), st.Size()); err != nil {
			t.Fatal(err)
		}
		return fs
	}
	plain, moreLog, moreManifest := crashFixture(t), grown("wal/000001.log"), grown("wal/MANIFEST-000001")
	for seed := uint64(0); seed < 40; seed++ {
		snap := func(fs *vfs.MemFS) map[string]string {
			clone, err := crashClone(fs, seed)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			snapshotFS(t, clone, "", out)
			return out
		}
		want := snap(plain)
		for name, got := range map[string]map[string]string{"wal/000001.log": snap(moreLog), "wal/MANIFEST-000001": snap(moreManifest)} {
			if len(got) != len(want) {
				t.Fatalf("seed %d: %d entries kept, and %d with more unsynced data in %s", seed, len(want), len(got), name)
			}
			for k, v := range want {
				if got[k] != v && !(k == name && name != "wal/000001.log") {
					t.Fatalf("seed %d: %s differs when %s held more unsynced data", seed, k, name)
				}
			}
		}
	}
}

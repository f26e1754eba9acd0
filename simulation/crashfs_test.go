package simulation

import (
	"bytes"
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
// survives; and over seeds both keeping and losing unsynced data occur.
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
		log := first["wal/000001.log"]
		if len(log) < 3*crashBlock+100 || log[:3*crashBlock+100] != string(bytes.Repeat([]byte{'a'}, 3*crashBlock+100)) {
			t.Fatalf("seed %d: synced data lost: %d bytes left of the log", seed, len(log))
		}
		if _, ok := first["wal/sub/x"]; !ok {
			t.Fatalf("seed %d: a file with a synced directory entry is gone", seed)
		}
		switch len(log) {
		case 3*crashBlock + 100:
			lost = true
		case 12*crashBlock + 107: // 3 blocks and 100 bytes synced, 9 blocks and 7 bytes after
			kept = true
		}
	}
	if !lost || !kept {
		t.Fatalf("over 40 seeds the unsynced tail was never lost (%v) or never kept whole (%v)", !lost, !kept)
	}
}

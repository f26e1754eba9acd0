package node

import (
	"bytes"
	"context"
	"crypto/rand"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/query"
)

func TestWriteConfigIsPrivate(t *testing.T) {
	dir := t.TempDir()
	if err := WriteConfig(dir, DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("config.toml has mode %#o, want 0600", perm)
	}
}

func TestPrepareDatadirWarnsOnceAboutAnOpenDatadir(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	fresh := filepath.Join(t.TempDir(), "a", "datadir")
	if err := PrepareDatadir(fresh, log); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(fresh); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("new datadir: %v, %v; want mode 0700", info, err)
	}
	if logs.Len() != 0 {
		t.Fatalf("a private datadir drew a warning: %s", logs.String())
	}

	open := t.TempDir()
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := PrepareDatadir(open, log); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{"level=WARN", "path=" + open, "mode=0755", `fix="chmod 700 ` + open + `"`} {
		if !strings.Contains(out, want) {
			t.Errorf("warning lacks %s:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 1 {
		t.Errorf("%d log lines, want one warning:\n%s", n, out)
	}
	if info, _ := os.Stat(open); info.Mode().Perm() != 0o755 {
		t.Errorf("PrepareDatadir changed the operator's datadir to %#o; it only warns", info.Mode().Perm())
	}
}

// TestAssembleKeepsStoresPrivate is issue 15 (9): the Pebble stores of a
// node (datasets/ with a persistence node's plaintext columns, ledger/,
// consensus/) and the worker's directory are readable by the node's user
// only, both when Assemble creates them and when an older version left
// them 0755/0644; an open datadir draws one warning.
func TestAssembleKeepsStoresPrivate(t *testing.T) {
	ctx := context.Background()
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	c, err := dc.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	puzzle := kademlia.Puzzle{Static: 1, Dynamic: 1}
	var keys []*identity.NodeKey
	var accounts []common.Address
	var nodeKeys [][32]byte
	for i := range 4 {
		k, _, err := kademlia.GenerateKey(rand.Reader, puzzle.Static)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
		accounts = append(accounts, chain.Address(chain.DevKey(100+i)))
		var pk [32]byte
		copy(pk[:], k.Public())
		nodeKeys = append(nodeKeys, pk)
	}
	if _, err := c.SetValidators(ctx, dc.Keys[0], accounts, nodeKeys, uint16(quorum.Size(len(keys)))); err != nil {
		t.Fatal(err)
	}

	// An older version left an open datadir and a world-readable store.
	datadir := t.TempDir()
	if err := os.Chmod(datadir, 0o755); err != nil {
		t.Fatal(err)
	}
	old, err := query.Open(filepath.Join(datadir, "datasets"), query.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	widen(t, filepath.Join(datadir, "datasets"))

	var logs bytes.Buffer
	cfg := DefaultConfig()
	cfg.Roles = []nodeinfo.Role{nodeinfo.RoleOverlay, nodeinfo.RoleValidator, nodeinfo.RolePersistence, nodeinfo.RoleWorker}
	cfg.Overlay.Listen = "127.0.0.1:0"
	cfg.Metrics.Addr = ""
	cfg.Chain = ChainConfig{RPC: dc.URL(), ChainID: 1337, Marketplace: dc.Deployment.Market.Hex()}
	r, err := Assemble(ctx, Options{
		Datadir: datadir, Config: cfg, Key: keys[0], Puzzle: puzzle,
		PuzzleSolution: kademlia.SolveDynamic(keys[0].ID(), puzzle.Dynamic),
		Logger:         slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	// Files Pebble creates later (here an sstable) get their mode from the
	// umask Assemble set.
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Persistence.Store().CreateDataset(dataset.Path{Provider: common.HexToAddress("0xaa"), Name: "later"}, schema); err != nil {
		t.Fatal(err)
	}
	if err := r.Persistence.Store().Flush(); err != nil {
		t.Fatal(err)
	}
	if ssts, _ := filepath.Glob(filepath.Join(datadir, "datasets", "*.sst")); len(ssts) == 0 {
		t.Fatal("the flush wrote no sstable")
	}

	if n := strings.Count(logs.String(), `fix="chmod 700 `+datadir+`"`); n != 1 {
		t.Errorf("%d warnings naming the chmod for the open datadir, want 1:\n%s", n, logs.String())
	}
	for _, store := range []string{"datasets", "ledger", "consensus", "worker"} {
		if _, err := os.Stat(filepath.Join(datadir, store)); err != nil {
			t.Fatalf("no %s/ after Assemble: %v", store, err)
		}
	}
	err = filepath.WalkDir(datadir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == datadir {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %#o: group or others can read it", path, perm)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// widen gives dir and everything in it the modes of a umask 022 process.
func widen(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(path, 0o755)
		}
		return os.Chmod(path, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

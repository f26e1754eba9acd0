package identity

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

func TestNodeKeySaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "nodekey")
	k, err := GenerateNodeKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveNodeKey(path, k); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %o, want 600", info.Mode().Perm())
	}
	loaded, err := LoadNodeKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.ID() != k.ID() || !bytes.Equal(loaded.Public(), k.Public()) {
		t.Fatal("loaded key differs from saved key")
	}
	if err := SaveNodeKey(path, k); !errors.Is(err, ErrKeyExists) {
		t.Fatalf("overwrite not refused: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadNodeKey(path); err == nil {
		t.Fatal("world-readable key accepted")
	}
}

func TestLoadNodeKeyRejectsGarbage(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"nothex": "zz\n", "short": "abcd\n"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadNodeKey(p); err == nil {
			t.Errorf("%s: damaged key accepted", name)
		}
	}
	if _, err := LoadNodeKey(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing key accepted")
	}
}

func TestParseNodeID(t *testing.T) {
	k, _ := GenerateNodeKey(rand.Reader)
	for _, s := range []string{k.ID().String(), "0x" + k.ID().String()} {
		id, err := ParseNodeID(s)
		if err != nil || id != k.ID() {
			t.Fatalf("ParseNodeID(%q) = %v, %v", s, id, err)
		}
	}
	for _, bad := range []string{"", "00", "xyz", k.ID().String() + "00"} {
		if _, err := ParseNodeID(bad); err == nil {
			t.Errorf("ParseNodeID(%q) accepted", bad)
		}
	}
}

func TestKeystoreRoundTrip(t *testing.T) {
	ks, err := OpenKeystore(t.TempDir(), LightKDF)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.New(""); err == nil {
		t.Fatal("empty password accepted")
	}
	addr, err := ks.New("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if accts := ks.Accounts(); len(accts) != 1 || accts[0].Address != addr {
		t.Fatalf("Accounts() = %v, want [%s]", accts, addr.Hex())
	}
	key, err := ks.Unlock(addr, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if crypto.PubkeyToAddress(key.PublicKey) != addr {
		t.Fatal("unlocked key does not match its address")
	}
	if _, err := ks.Unlock(addr, "wrong"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: got %v", err)
	}
	imported, _ := crypto.GenerateKey()
	iaddr, err := ks.Import(imported, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Import(imported, "pw"); err == nil {
		t.Fatal("duplicate import accepted")
	}
	if iaddr != crypto.PubkeyToAddress(imported.PublicKey) {
		t.Fatal("imported address mismatch")
	}
}

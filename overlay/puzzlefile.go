package overlay

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// PuzzlePath is where the dynamic-puzzle solution of the node key at
// keyPath is kept: next to it, as "<key file>.puzzle".
func PuzzlePath(keyPath string) string { return keyPath + ".puzzle" }

// SavePuzzleSolution writes x as hex to path (mode 0600). It is not secret,
// but it belongs with the key.
func SavePuzzleSolution(path string, x [32]byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create puzzle directory: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(hex.EncodeToString(x[:])+"\n"), 0o600); err != nil {
		return fmt.Errorf("write puzzle solution: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write puzzle solution: %w", err)
	}
	return nil
}

// LoadOrSolvePuzzle returns the stored dynamic-puzzle solution for key if
// it meets difficulty c2; otherwise (missing file, or the network raised
// c2) it solves the puzzle again and stores the new solution. It refuses a
// key that fails the static puzzle c1, which cannot be fixed without a new
// identity.
func LoadOrSolvePuzzle(path string, key *identity.NodeKey, p kademlia.Puzzle) ([32]byte, error) {
	id := key.ID()
	if !kademlia.StaticOK(id, p.Static) {
		return [32]byte{}, fmt.Errorf("node key %s fails the static puzzle (%d zero bits): create a new key with 'enigma node key new' (this changes the node ID)", id.Short(), p.Static)
	}
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		var x [32]byte
		raw, derr := hex.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(raw) != 32 {
			return [32]byte{}, fmt.Errorf("puzzle file %s is damaged: delete it and it will be solved again", path)
		}
		copy(x[:], raw)
		if kademlia.DynamicOK(id, x, p.Dynamic) {
			return x, nil
		}
	case !errors.Is(err, fs.ErrNotExist):
		return [32]byte{}, fmt.Errorf("read puzzle solution: %w", err)
	}
	x := kademlia.SolveDynamic(id, p.Dynamic)
	return x, SavePuzzleSolution(path, x)
}

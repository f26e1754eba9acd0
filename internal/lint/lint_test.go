package lint

import (
	"path/filepath"
	"strings"
	"testing"
)

// corePackages are the directories, relative to the module root, whose
// non-test code must be pure. signing, which every core imports, is held to
// the same rules. Add a core here when you create it.
var corePackages = []string{
	"signing",
	"worker/wire",
	"overlay/kademlia",
	"ledger",
	"consensus",
	"consensus/quorum",
	"query/internal/keyenc",
}

func TestCoresArePure(t *testing.T) {
	for _, pkg := range corePackages {
		violations, err := CheckDir(filepath.Join("..", "..", pkg))
		if err != nil {
			t.Errorf("%s: %v", pkg, err)
			continue
		}
		for _, v := range violations {
			t.Errorf("%s: %v", pkg, v)
		}
	}
}

// TestCheckerCatchesImpureFixture proves the checker can fail: the fixture
// imports time, math/rand and net and starts a goroutine.
func TestCheckerCatchesImpureFixture(t *testing.T) {
	violations, err := CheckDir(filepath.Join("testdata", "impure"))
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, v := range violations {
		text = append(text, v.String())
	}
	joined := strings.Join(text, "\n")
	for _, want := range []string{`imports "time"`, `imports "math/rand/v2"`, `imports "net/netip"`, `imports "os"`, "starts a goroutine"} {
		if !strings.Contains(joined, want) {
			t.Errorf("checker missed %s; it reported:\n%s", want, joined)
		}
	}
	if len(violations) != 5 {
		t.Errorf("got %d violations, want 5:\n%s", len(violations), joined)
	}
}

func TestCheckerRefusesEmptyPackage(t *testing.T) {
	if _, err := CheckDir(filepath.Join("testdata", "missing")); err == nil {
		t.Fatal("a missing core directory passed silently")
	}
}

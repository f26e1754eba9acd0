package lint

import (
	"os"
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

// leaves are the module packages a core may depend on although they are not
// cores; docs/ARCHITECTURE.md's Layers section says why each is allowed.
var leaves = []string{"dataset", "identity", "internal/randsrc"}

func moduleRoot() string { return filepath.Join("..", "..") }

func TestLayersPointDown(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(moduleRoot(), "docs", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	layers, err := ParseLayers(string(doc))
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := ListModule(moduleRoot(), "./...")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range CheckLayers(layers, pkgs) {
		t.Error(v)
	}
	for p := range layers {
		if _, ok := pkgs[p]; !ok {
			t.Errorf("docs/ARCHITECTURE.md's layers name %s, which is not a package", p)
		}
	}
}

func TestCoresReachOnlyPurePackages(t *testing.T) {
	pkgs, err := ListModule(moduleRoot(), "./...")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range CheckReach(corePackages, leaves, pkgs) {
		t.Error(v)
	}
}

// TestCheckersCatchFixtures proves both import checks can fail: a package
// that reaches a non-core package through its imports, and one that imports
// a higher layer.
func TestCheckersCatchFixtures(t *testing.T) {
	const reach, up = "internal/lint/testdata/reach", "internal/lint/testdata/uplayer"
	pkgs, err := ListModule(moduleRoot(), "./"+reach, "./"+up)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(CheckReach([]string{reach}, leaves, pkgs), "\n")
	if !strings.Contains(got, "depends on worker/schedule") || !strings.Contains(got, reach+" → worker/schedule") {
		t.Errorf("the reach check missed worker/schedule; it reported:\n%s", got)
	}
	got = strings.Join(CheckLayers(map[string]int{reach: 0, up: 0, "worker/schedule": 1, "node": 3}, pkgs), "\n")
	if !strings.Contains(got, up+" (layer 0) imports node (layer 3)") {
		t.Errorf("the layer check missed an import of a higher layer; it reported:\n%s", got)
	}
}

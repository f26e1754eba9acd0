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

// clientAvoids is what a provider's or subscriber's program must not link
// through package client: the node, the consensus engine and its WAL, the
// ledger's database and application, the worker, its Starlark sandbox and
// the interpreter. docs/ARCHITECTURE.md's Layers section says what remains
// and why.
var clientAvoids = []string{
	"node", "consensus", "consensus/pebblestore", "ledger/ledgerdb", "ledger/ledgerapp",
	"worker", "worker/script", "go.starlark.net/...",
}

func TestClientLinksNoNode(t *testing.T) {
	pkgs, err := ListDeps(moduleRoot(), "./client")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range CheckAvoids("client", clientAvoids, pkgs) {
		t.Error(v)
	}
}

// TestAvoidsCheckCatchesFixture proves the check can fail: the fixture
// imports node directly, as package client did, and Starlark through
// client/scriptcheck and worker/script.
func TestAvoidsCheckCatchesFixture(t *testing.T) {
	const fat = "internal/lint/testdata/fatclient"
	pkgs, err := ListDeps(moduleRoot(), "./"+fat)
	if err != nil {
		t.Fatal(err)
	}
	bad := CheckAvoids(fat, clientAvoids, pkgs)
	got := strings.Join(bad, "\n")
	for _, want := range []string{
		"depends on node, which it must not link (" + fat + " → node)",
		"depends on consensus, which it must not link (" + fat + " → node → consensus)",
		"depends on worker/script, which it must not link (" + fat + " → client/scriptcheck → worker/script)",
		"depends on go.starlark.net/",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the check missed %q; it reported:\n%s", want, got)
		}
	}
	if len(bad) != len(clientAvoids) {
		t.Errorf("got %d findings, want one per avoided package (%d):\n%s", len(bad), len(clientAvoids), got)
	}
}

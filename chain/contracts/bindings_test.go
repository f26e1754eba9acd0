package contracts

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
	"github.com/ethereum/go-ethereum/common/compiler"
	"github.com/ethereum/go-ethereum/crypto"
)

// bindCombined generates v2 bindings from a solc combined-json file the way
// cmd/abigen --v2 --combined-json does.
func bindCombined(t *testing.T, combined []byte, pkg string) string {
	t.Helper()
	parsed, err := compiler.ParseCombinedJSON(combined, "", "", "", "")
	if err != nil {
		t.Fatalf("parse combined json: %v", err)
	}
	names := make([]string, 0, len(parsed))
	for name := range parsed {
		names = append(names, name)
	}
	sort.Strings(names)
	var types, abis, bins []string
	libs := map[string]string{}
	for _, name := range names {
		c := parsed[name]
		abiJSON, err := json.Marshal(c.Info.AbiDefinition)
		if err != nil {
			t.Fatal(err)
		}
		typeName := name[strings.LastIndex(name, ":")+1:]
		types = append(types, typeName)
		abis = append(abis, string(abiJSON))
		bins = append(bins, c.Code)
		libs[crypto.Keccak256Hash([]byte(name)).String()[2:36]] = typeName
	}
	code, err := abigen.BindV2(types, abis, bins, pkg, libs, map[string]string{})
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	return code
}

// TestBindingsMatchArtifacts fails when a committed binding was not
// regenerated after the artifacts under contracts/build changed.
func TestBindingsMatchArtifacts(t *testing.T) {
	cases := []struct{ artifact, binding, pkg string }{
		{"../../contracts/build/combined.json", "contracts.gen.go", "contracts"},
		{"../../contracts/build/test-combined.json", "../internal/attacktoken/attacktoken.gen.go", "attacktoken"},
	}
	for _, c := range cases {
		combined, err := os.ReadFile(c.artifact)
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(c.binding)
		if err != nil {
			t.Fatal(err)
		}
		if bindCombined(t, combined, c.pkg) != string(committed) {
			t.Errorf("%s is stale against %s: run 'make contracts' and commit the result", c.binding, c.artifact)
		}
	}
}

// TestBindingsCheckCatchesStaleBinding shows the check above failing when the
// artifact and the binding disagree.
func TestBindingsCheckCatchesStaleBinding(t *testing.T) {
	combined, err := os.ReadFile("../../contracts/build/combined.json")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("contracts.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(combined), `"name": "hasAccess"`, `"name": "hasAccessChanged"`, 1)
	if changed == string(combined) {
		t.Fatal("test fixture: hasAccess not found in the artifact")
	}
	if bindCombined(t, []byte(changed), "contracts") == string(committed) {
		t.Fatal("a changed ABI produced the committed binding: the staleness check would not catch it")
	}
}

package main

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/query"
)

func TestQueryIngestAndExec(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if _, errOut, code := runEnigma(t, nil, "query", "keys", "new", "--out", keys); code != 0 {
		t.Fatalf("keys new: %s", errOut)
	}
	csvPath := filepath.Join(dir, "rows.csv")
	csvData := "day,asset,close,note\n" +
		"2026-01-01T00:00:00Z,BTC,100.5,\n" +
		"2026-01-02T00:00:00Z,BTC,102,up\n" +
		"2026-01-01T00:00:00Z,ETH,3.25,\n" +
		"2026-01-02T00:00:00Z,ETH,3.5,up\n"
	if err := os.WriteFile(csvPath, []byte(csvData), 0o600); err != nil {
		t.Fatal(err)
	}
	schemaPath := filepath.Join(dir, "schema.json")
	schema := `{"columns": [{"name": "day", "type": "timestamp"}, {"name": "asset", "type": "string", "encryption": "det"},
	  {"name": "close", "type": "float64", "encryption": "ope"}, {"name": "note", "type": "string", "nullable": true}],
	  "primary_key": ["asset", "day"], "indexes": [{"name": "by_close", "columns": ["close"]}]}`
	if err := os.WriteFile(schemaPath, []byte(schema), 0o600); err != nil {
		t.Fatal(err)
	}
	const path = "0x00000000000000000000000000000000000000aa/prices"
	base := []string{"--datadir", dir, "query"}
	ingest := append(slices.Clone(base), "ingest", "--dataset", path, "--csv", csvPath, "--schema", schemaPath)
	if _, errOut, code := runEnigma(t, nil, ingest...); code == 0 || !strings.Contains(errOut, "--keys") {
		t.Fatalf("ingest of encrypted columns without keys: exit %d %q", code, errOut)
	}
	out, errOut, code := runEnigma(t, nil, append(ingest, "--keys", keys)...)
	if code != 0 || !strings.Contains(out, "Ingested 4 of 4 rows") {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	if out, _, _ := runEnigma(t, nil, append(ingest, "--keys", keys)...); !strings.Contains(out, "Ingested 0 of 4 rows") {
		t.Fatalf("re-ingest was not a no-op: %s", out)
	}

	exec := append(slices.Clone(base), "exec", "--keys", keys)
	out, errOut, code = runEnigma(t, nil, append(exec, "--format", "csv", "SELECT day, close FROM prices WHERE asset = 'BTC' AND close > 101 ORDER BY close")...)
	if code != 0 || strings.TrimSpace(out) != "day,close\n2026-01-02T00:00:00Z,102" {
		t.Fatalf("exec with keys: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = runEnigma(t, nil, append(exec, "--format", "json", "SELECT asset, COUNT(*) AS n FROM prices GROUP BY asset")...)
	if code != 0 {
		t.Fatalf("json exec: exit %d", code)
	}
	seen := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("json line %q: %v", line, err)
		}
		seen[obj["asset"].(string)] = obj["n"].(float64)
	}
	if seen["BTC"] != 2 || seen["ETH"] != 2 {
		t.Fatalf("grouped counts %v", seen)
	}
	out, _, _ = runEnigma(t, nil, append(slices.Clone(base), "exec", "EXPLAIN SELECT * FROM prices WHERE close > X'00'")...)
	if !strings.Contains(out, "index by_close") {
		t.Fatalf("EXPLAIN does not show the index: %s", out)
	}
	// Without keys the node sees ciphertext only.
	out, _, _ = runEnigma(t, nil, append(slices.Clone(base), "exec", "SELECT asset FROM prices LIMIT 1")...)
	if strings.Contains(out, "BTC") || strings.Contains(out, "ETH") || !strings.Contains(out, "0x") {
		t.Fatalf("ciphertext expected without keys: %s", out)
	}
	_, errOut, code = runEnigma(t, nil, append(slices.Clone(base), "exec", "SELECT * FROM prices WHERE")...)
	if code == 0 || !strings.Contains(errOut, "line 1, column 27") {
		t.Fatalf("parse error not positioned: %q", errOut)
	}
	if out, _, code := runEnigma(t, nil, append(slices.Clone(base), "check")...); code != 0 || !strings.Contains(out, "/prices: consistent") {
		t.Fatalf("check: exit %d %s", code, out)
	}
	out, _, _ = runEnigma(t, nil, append(slices.Clone(base), "datasets")...)
	if !strings.Contains(out, "/prices") || !strings.Contains(out, "  4  ") {
		t.Fatalf("datasets: %s", out)
	}
}

// TestQueryCommandsOpenTheNodesStore: the operator's query commands open
// the store a persistence node serves (<datadir>/datasets), create nothing
// in a datadir without one, and refuse, with a clear error, a store a
// running node holds.
func TestQueryCommandsOpenTheNodesStore(t *testing.T) {
	empty := t.TempDir()
	for _, cmd := range [][]string{{"datasets"}, {"check"}, {"exec", "SELECT 1"}} {
		_, errOut, code := runEnigma(t, nil, append([]string{"--datadir", empty, "query"}, cmd...)...)
		if code != 1 || !strings.Contains(errOut, "no query store at "+filepath.Join(empty, "datasets")) {
			t.Errorf("query %v in a datadir without a store: exit %d, stderr %q", cmd, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("reading a datadir without a store created %v", entries)
	}

	dir := t.TempDir()
	store, err := query.Open(node.DatasetsDir(dir), query.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	path := dataset.Path{Provider: common.HexToAddress("0xaa"), Name: "held"}
	if _, err := store.CreateDataset(path, schema); err != nil {
		t.Fatal(err)
	}
	// While this process holds the store, as a running node would.
	_, errOut, code := runEnigma(t, nil, "--datadir", dir, "query", "datasets")
	if code != 1 || !strings.Contains(errOut, "in use") || !strings.Contains(errOut, "stop the node") {
		t.Fatalf("query datasets on a held store: exit %d, stderr %q", code, errOut)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runEnigma(t, nil, "--datadir", dir, "query", "datasets")
	if code != 0 || !strings.Contains(out, path.String()) {
		t.Fatalf("query datasets on the node's store once released: exit %d\n%s%s", code, out, errOut)
	}
}

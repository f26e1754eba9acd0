package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuerySLTCountsAndFailsOnWrongAnswers(t *testing.T) {
	dir := t.TempDir()
	good := `statement ok
CREATE TABLE t1(a INTEGER, b TEXT)

statement ok
INSERT INTO t1 VALUES(1, 'x'), (2, 'y')

query IT rowsort
SELECT a, b FROM t1
----
1
x
2
y

query I nosort
SELECT a FROM t1 WHERE b > 1
----
1

onlyif mysql
query I nosort
SELECT 1
----
5
`
	if err := os.WriteFile(filepath.Join(dir, "good.test"), []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runEnigma(t, nil, "query", "slt", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	// passed 1, failed 0, unsupported 1 (string compared with a number), skipped 1
	if !strings.Contains(out, "       1       0            1        1    50.0") {
		t.Fatalf("counts:\n%s", out)
	}
	bad := strings.Replace(good, "2\ny\n", "2\nz\n", 1)
	if err := os.WriteFile(filepath.Join(dir, "bad.test"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runEnigma(t, nil, "query", "slt", "--show", "5", filepath.Join(dir, "bad.test"))
	if code == 0 || !strings.Contains(out, "WRONG ANSWER") || !strings.Contains(errOut, "1 wrong answers") {
		t.Fatalf("a wrong answer must fail: exit %d\n%s%s", code, out, errOut)
	}
}

func TestQueryExecJSONKeepsColumnOrderAndDuplicates(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "rows.csv")
	if err := os.WriteFile(csvPath, []byte("id,e,a\n1,10,20\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	schemaPath := filepath.Join(dir, "schema.json")
	schema := `{"columns": [{"name": "id", "type": "int64"}, {"name": "e", "type": "int64"}, {"name": "a", "type": "int64"}], "primary_key": ["id"]}`
	if err := os.WriteFile(schemaPath, []byte(schema), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"--datadir", dir, "query"}
	if out, errOut, code := runEnigma(t, nil, append(base, "ingest", "--dataset", "0x00000000000000000000000000000000000000aa/t", "--csv", csvPath, "--schema", schemaPath)...); code != 0 {
		t.Fatalf("ingest: %s%s", out, errOut)
	}
	out, errOut, code := runEnigma(t, nil, append(base, "exec", "--format", "json", "SELECT e, a, e, a + e AS s FROM t")...)
	if code != 0 || strings.TrimSpace(out) != `{"e":10,"a":20,"e":10,"s":30}` {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	// A query over two datasets (no --keys) resolves each name.
	if out, errOut, code := runEnigma(t, nil, append(base, "ingest", "--dataset", "0x00000000000000000000000000000000000000aa/u", "--csv", csvPath, "--schema", schemaPath)...); code != 0 {
		t.Fatalf("ingest: %s%s", out, errOut)
	}
	out, errOut, code = runEnigma(t, nil, append(base, "exec", "--format", "csv", "SELECT t.e + u.a FROM t JOIN u ON t.id = u.id")...)
	if code != 0 || !strings.Contains(out, "\n30") {
		t.Fatalf("join of two datasets: exit %d: %s%s", code, out, errOut)
	}
}

package slt

import (
	"strings"
	"testing"
)

// The runner must notice wrong answers, whichever way the file gives the
// expected result, and honour the sort modes and conditions.
func TestRunnerCatchesWrongAnswers(t *testing.T) {
	const setup = `statement ok
CREATE TABLE t1(a INTEGER, b TEXT, c FLOAT)

statement ok
INSERT INTO t1 VALUES(2, 'x', 1.5), (1, '', NULL), (3, 'y', -0.25)

`
	cases := []struct {
		name   string
		record string
		want   Outcome
	}{
		{"values", "query ITR nosort\nSELECT a, b, c FROM t1 ORDER BY a\n----\n1\n(empty)\nNULL\n2\nx\n1.500\n3\ny\n-0.250\n", Passed},
		{"wrong value", "query I nosort\nSELECT a FROM t1 ORDER BY a\n----\n1\n2\n4\n", Failed},
		{"wrong order", "query I nosort\nSELECT a FROM t1 ORDER BY a DESC\n----\n1\n2\n3\n", Failed},
		{"rowsort", "query IT rowsort\nSELECT a, b FROM t1\n----\n1\n(empty)\n2\nx\n3\ny\n", Passed},
		{"valuesort", "query II valuesort\nSELECT a, a * 10 FROM t1\n----\n1\n10\n2\n20\n3\n30\n", Passed},
		{"missing row", "query I rowsort\nSELECT a FROM t1 WHERE a > 1\n----\n2\n", Failed},
		{"hash", "query I rowsort\nSELECT a FROM t1\n----\n3 values hashing to " + hashValues([]string{"1", "2", "3"}) + "\n", Passed},
		{"wrong hash", "query I rowsort\nSELECT a FROM t1\n----\n3 values hashing to " + hashValues([]string{"1", "2", "4"}) + "\n", Failed},
		{"column count", "query II rowsort\nSELECT a FROM t1\n----\n1\n2\n3\n", Failed},
		{"integer of a float", "query I nosort\nSELECT c FROM t1 WHERE a = 3\n----\n0\n", Passed},
		{"refused", "query I nosort\nSELECT a FROM t1 WHERE b > 1\n----\n1\n", Unsupported},
		{"other engine", "onlyif mysql\nquery I nosort\nSELECT 1\n----\n2\n", 0},
		{"skipped for sqlite", "skipif sqlite\nquery I nosort\nSELECT 1\n----\n2\n", 0},
	}
	for _, c := range cases {
		res, err := Run(c.name, strings.NewReader(setup+c.record), Options{KeepFailures: 1, ScanCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		var got Outcome
		switch {
		case res.Passed == 1:
			got = Passed
		case res.Failed == 1:
			got = Failed
		case res.Unsupported == 1:
			got = Unsupported
		}
		if got != c.want || res.Total() > 1 {
			t.Errorf("%s: outcome %d (passed %d failed %d unsupported %d), want %d; cases %+v", c.name, got, res.Passed, res.Failed, res.Unsupported, c.want, res.Cases)
		}
	}
}

// A statement the runner cannot reproduce makes later queries of that
// table unsupported, never passed or failed.
func TestUnreproducibleStatementTaintsTable(t *testing.T) {
	const file = `statement ok
CREATE TABLE t1(a INTEGER)

statement ok
INSERT INTO t1 VALUES(1)

statement ok
CREATE TRIGGER tr AFTER INSERT ON t1 BEGIN DELETE FROM t1; END

query I nosort
SELECT a FROM t1
----
1
`
	res, err := Run("taint", strings.NewReader(file), Options{KeepFailures: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unsupported != 1 || res.BadStmts != 1 {
		t.Fatalf("got %+v", res)
	}
}

// DELETE and UPDATE pick their rows with the engine and reload the table.
func TestDeleteAndUpdate(t *testing.T) {
	const file = `statement ok
CREATE TABLE t1(pk INTEGER PRIMARY KEY, a INTEGER, b TEXT)

statement ok
INSERT INTO t1 VALUES(1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')

statement ok
CREATE INDEX i1 ON t1(a)

statement ok
DELETE FROM t1 WHERE a > 25

statement ok
UPDATE t1 SET a = a + 1, b = 'z' WHERE pk = 1

query IIT rowsort
SELECT * FROM t1
----
1
11
z
2
20
b

statement error
INSERT INTO t1 VALUES(2, 0, 'dup')

statement ok
REPLACE INTO t1 VALUES(2, 0, 'dup')

query IT rowsort
SELECT a, b FROM t1 WHERE a < 5
----
0
dup
`
	res, err := Run("dml", strings.NewReader(file), Options{KeepFailures: 5, ScanCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 2 || res.BadStmts != 0 {
		t.Fatalf("got %+v", res)
	}
}

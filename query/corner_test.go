package query

import (
	"context"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
)

// Corner cases where an earlier engine answered wrongly (issue 20's spot
// checks); each test fails on the code before the fix.

// cornerTable creates a dataset named t with the schema and rows given.
func cornerTable(t *testing.T, s *Store, schemaJSON string, rows []dataset.Row) {
	t.Helper()
	schema, err := dataset.ParseSchemaJSON([]byte(schemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := s.CreateDataset(dataset.Path{Provider: common.HexToAddress("0x0c"), Name: "t"}, schema)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "corner", Rows: rows}); err != nil {
		t.Fatal(err)
	}
}

// column returns the rendered values of column i of q's result, with the
// planner and with a forced full scan (which must agree).
func column(t *testing.T, s *Store, q string, i int) string {
	t.Helper()
	var out [2]string
	for j, noIx := range []bool{false, true} {
		res, err := s.Query(context.Background(), q, QueryOptions{NoIndexes: noIx})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, r := range res.Rows {
			out[j] += r[i].String() + " "
		}
	}
	if out[0] != out[1] {
		t.Fatalf("%s: index plan gives %q, full scan %q", q, out[0], out[1])
	}
	return out[0]
}

// TestOrderByOutputAliasWins: SQL resolves an ORDER BY name to an output
// column's alias before a column of the FROM clause of the same name.
func TestOrderByOutputAliasWins(t *testing.T) {
	s := openMem(t)
	cornerTable(t, s, `{"columns": [{"name": "k", "type": "int64"}, {"name": "a", "type": "int64"}, {"name": "b", "type": "int64"}],
	 "primary_key": ["k"], "indexes": [{"name": "ib", "columns": ["b"]}]}`, []dataset.Row{
		{dataset.Int64(1), dataset.Int64(3), dataset.Int64(10)},
		{dataset.Int64(2), dataset.Int64(1), dataset.Int64(30)},
		{dataset.Int64(3), dataset.Int64(2), dataset.Int64(20)},
	})
	for q, want := range map[string]string{
		// b is the alias of column a: order by a.
		"SELECT k, a AS b FROM t ORDER BY b":          "2 3 1 ",
		"SELECT k, a AS b, b AS a FROM t ORDER BY a":  "1 3 2 ",
		"SELECT k, a AS b FROM t ORDER BY b DESC":     "1 3 2 ",
		"SELECT k, -b AS b FROM t ORDER BY b LIMIT 2": "2 3 ",
		// In an expression the name is the FROM column (as SQLite does).
		"SELECT k, a AS b FROM t ORDER BY b + 0": "1 3 2 ",
	} {
		if got := column(t, s, q, 0); got != want {
			t.Errorf("%s: k in order %q, want %q", q, got, want)
		}
	}
}

// TestAvgOfLargeIntegersIsExact: AVG sums integers exactly, so integers
// beyond 2^53 (which a float64 cannot hold) lose nothing before the one
// division.
func TestAvgOfLargeIntegersIsExact(t *testing.T) {
	s := openMem(t)
	var rows []dataset.Row
	for i, v := range []int64{1<<53 + 1, -(1 << 53), 1, 1<<62 + 1, -(1 << 62)} {
		rows = append(rows, dataset.Row{dataset.Int64(int64(i)), dataset.Int64(v), dataset.Int64(int64(i / 3))})
	}
	cornerTable(t, s, `{"columns": [{"name": "k", "type": "int64"}, {"name": "v", "type": "int64"}, {"name": "g", "type": "int64"}],
	 "primary_key": ["k"]}`, rows)
	// (2^53+1 - 2^53 + 1 + 2^62+1 - 2^62) / 5 = 3/5; summing in float64
	// gives 1/5 (2^53+1 rounds to 2^53, 2^62+1 to 2^62).
	for q, want := range map[string]string{
		"SELECT AVG(v) FROM t":                       fmt.Sprint(3.0 / 5),
		"SELECT AVG(v) FROM t WHERE k < 3":           fmt.Sprint(2.0 / 3),
		"SELECT AVG(v) FROM t GROUP BY g ORDER BY g": fmt.Sprint(2.0/3) + " " + fmt.Sprint(1.0/2),
		"SELECT SUM(v) FROM t":                       "3",
	} {
		if got := column(t, s, q, 0); got != want+" " {
			t.Errorf("%s = %q, want %q", q, got, want)
		}
	}
}

// TestSubMicrosecondTimestampLiterals: a TIMESTAMP literal finer than the
// stored microseconds lies between two microseconds — also before 1970,
// where truncating towards zero would move it to the later one — and
// compares exactly, through an index range and a scan alike.
func TestSubMicrosecondTimestampLiterals(t *testing.T) {
	s := openMem(t)
	var rows []dataset.Row
	for i, us := range []int64{-2, -1, 0, 1, 2} {
		rows = append(rows, dataset.Row{dataset.Int64(int64(i)), {Kind: dataset.TypeTimestamp, Int: us}})
	}
	cornerTable(t, s, `{"columns": [{"name": "k", "type": "int64"}, {"name": "ts", "type": "timestamp"}],
	 "primary_key": ["k"], "indexes": [{"name": "its", "columns": ["ts"]}]}`, rows)
	// -0.5 µs and +0.5 µs, and a whole microsecond for contrast.
	lits := map[string]float64{
		"1969-12-31T23:59:59.9999995Z": -0.5,
		"1970-01-01T00:00:00.0000005Z": 0.5,
		"1969-12-31T23:59:59.999999Z":  -1,
	}
	for lit, at := range lits {
		for _, op := range []string{"<", "<=", "=", "!=", ">=", ">"} {
			var want string
			for k, us := range []float64{-2, -1, 0, 1, 2} {
				if holds(op, us, at) {
					want += fmt.Sprint(k) + " "
				}
			}
			q := fmt.Sprintf("SELECT k FROM t WHERE ts %s TIMESTAMP '%s' ORDER BY ts", op, lit)
			if got := column(t, s, q, 0); got != want {
				t.Errorf("%s: got k %q, want %q", q, got, want)
			}
		}
	}
}

func holds(op string, a, b float64) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case "=":
		return a == b
	case "!=":
		return a != b
	case ">=":
		return a >= b
	}
	return a > b
}

// TestOrderByNumberUnderSigns: SQLite reads an ORDER BY or GROUP BY term
// that is an integer under unary signs (-(-2), +2) as a column number,
// not as a constant that leaves the order alone.
func TestOrderByNumberUnderSigns(t *testing.T) {
	s := openMem(t)
	cornerTable(t, s, `{"columns": [{"name": "k", "type": "int64"}, {"name": "a", "type": "int64"}], "primary_key": ["k"]}`, []dataset.Row{
		{dataset.Int64(1), dataset.Int64(30)},
		{dataset.Int64(2), dataset.Int64(10)},
		{dataset.Int64(3), dataset.Int64(20)},
	})
	for q, want := range map[string]string{
		"SELECT k, a FROM t ORDER BY -(-2)":                              "2 3 1 ",
		"SELECT k, a FROM t ORDER BY +2 DESC":                            "1 3 2 ",
		"SELECT k, a FROM t UNION ALL SELECT k, a FROM t ORDER BY -(-2)": "2 2 3 3 1 1 ",
		"SELECT a, COUNT(*) FROM t GROUP BY -(-1) ORDER BY 1":            "10 20 30 ",
	} {
		if got := column(t, s, q, 0); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
}

// TestAggregateInSubqueryOfWhere: an aggregate belongs to the query block
// of its own SELECT, so one in a subquery of a WHERE is allowed.
func TestAggregateInSubqueryOfWhere(t *testing.T) {
	s := openMem(t)
	cornerTable(t, s, `{"columns": [{"name": "k", "type": "int64"}, {"name": "a", "type": "int64"}], "primary_key": ["k"]}`, []dataset.Row{
		{dataset.Int64(1), dataset.Int64(30)},
		{dataset.Int64(2), dataset.Int64(10)},
		{dataset.Int64(3), dataset.Int64(30)},
	})
	for q, want := range map[string]string{
		"SELECT k FROM t WHERE a = (SELECT MAX(a) FROM t) ORDER BY k":                          "1 3 ",
		"SELECT k FROM t AS o WHERE a > (SELECT MIN(i.a) FROM t AS i WHERE i.k != o.k)":        "1 3 ",
		"SELECT k, COUNT(*) FROM t WHERE k <= (SELECT COUNT(*) FROM t) - 1 GROUP BY k":         "1 2 ",
		"SELECT k FROM t WHERE EXISTS (SELECT 1 FROM t AS i GROUP BY i.a HAVING COUNT(*) > 1)": "1 2 3 ",
	} {
		if got := column(t, s, q, 0); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
}

// TestNoNegativeZero: SQLite shows no -0 (it computes -x as 0 - x, and
// prints -0.0 as 0.0); the engine neither, in arithmetic or negation.
func TestNoNegativeZero(t *testing.T) {
	s := openMem(t)
	cornerTable(t, s, `{"columns": [{"name": "k", "type": "int64"}, {"name": "f", "type": "float64"}], "primary_key": ["k"]}`, []dataset.Row{
		{dataset.Int64(1), dataset.Float64(0)},
	})
	for _, q := range []string{"SELECT -f FROM t", "SELECT f * -1 FROM t", "SELECT -2.5 * f FROM t", "SELECT f / -4 FROM t", "SELECT -(f) - 0.0 FROM t"} {
		if got := column(t, s, q, 0); got != "0 " {
			t.Errorf("%s = %q, want 0", q, got)
		}
	}
}

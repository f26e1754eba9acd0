package query

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
)

// Scans that read less than whole rows: index entries alone (covering) and
// filters tested on undecoded cells. Each query is checked against the
// same query with a forced full scan of whole rows, cell by cell (a float's
// sign of zero included).

const scanSchema = `{"columns": [
  {"name": "k", "type": "int64"},
  {"name": "f", "type": "float64", "nullable": true},
  {"name": "s", "type": "string", "nullable": true},
  {"name": "b", "type": "bytes", "nullable": true},
  {"name": "n", "type": "int64"}],
 "primary_key": ["k"],
 "indexes": [{"name": "by_f", "columns": ["f"]}, {"name": "by_s", "columns": ["s", "n"]}]}`

func scanRows() []dataset.Row {
	fs := []dataset.Value{dataset.Float64(math.Copysign(0, -1)), dataset.Float64(0), dataset.Float64(math.NaN()), dataset.Null, dataset.Float64(-1.5), dataset.Float64(2.25)}
	ss := []dataset.Value{dataset.String("x"), dataset.String("x\x00y"), dataset.String(""), dataset.Null, dataset.String("xy")}
	bs := []dataset.Value{dataset.Bytes([]byte("x")), dataset.Bytes(nil), dataset.Null, dataset.Bytes([]byte{0, 'x'})}
	var rows []dataset.Row
	for i := range 60 {
		rows = append(rows, dataset.Row{dataset.Int64(int64(i*7%61 - 30)), fs[i%len(fs)], ss[i%len(ss)], bs[i%len(bs)], dataset.Int64(int64(i % 3))})
	}
	return rows
}

func sameCells(a, b dataset.Row) bool {
	return slices.EqualFunc(a, b, func(x, y dataset.Value) bool {
		return x.Equal(y) && (x.Kind != dataset.TypeFloat64 || math.Signbit(x.Float) == math.Signbit(y.Float))
	})
}

func TestPartialScans(t *testing.T) {
	s := openMem(t)
	cornerTable(t, s, scanSchema, scanRows())
	ctx := context.Background()
	for _, c := range []struct {
		q    string
		plan string // a line the plan must have
	}{
		{"SELECT k, f FROM t WHERE f <= 1 ORDER BY f DESC, k DESC LIMIT 30", "covering"},
		{"SELECT k, f FROM t WHERE f >= -1 ORDER BY f", "covering"},
		{"SELECT f, k FROM t WHERE f IS NULL OR f > -2 ORDER BY f, k", "covering"},
		{"SELECT COUNT(*), MAX(f), MIN(k) FROM t WHERE f > -10", "covering"},
		{"SELECT s, n, k FROM t WHERE s >= '' ORDER BY s DESC, n DESC, k DESC", "covering"},
		{"SELECT s, n, k FROM t WHERE s = 'x' AND n = 1", "covering"},
		{"SELECT k, b FROM t WHERE s >= 'x'", "fetch"},
		{"SELECT k, f + 1 FROM t WHERE f > 0", "fetch"},
		{"SELECT k, s FROM t WHERE s = 'x\x00y' AND n = 2", "covering"},
		{"SELECT k, s, b FROM t WHERE b = X'0078'", "scan: full"},
		{"SELECT k, b FROM t WHERE X'78' = b AND n = 0", "scan: full"},
		{"SELECT k FROM t WHERE b = X'' AND s = 'x'", "by_s"},
		{"SELECT k, s FROM t WHERE b = X'78' AND k + 1 > 0 AND s = 'xy'", "by_s"},
		{"SELECT COUNT(*) FROM t WHERE b = X'78' OR b IS NULL", "scan: full"},
		{"SELECT n, COUNT(*), MAX(s), MIN(b) FROM t GROUP BY n ORDER BY n", "scan: full"},
		{"SELECT b, s FROM t WHERE n = 2 AND s IS NOT NULL", "scan: full"},
		{"SELECT DISTINCT n FROM t WHERE b IS NULL", "scan: full"},
		{"SELECT COUNT(*) FROM t WHERE b IN (X'78', X'') AND n BETWEEN 0 AND 1", "scan: full"},
	} {
		plan, err := s.Query(ctx, "EXPLAIN "+c.q, QueryOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		var lines []string
		for _, r := range plan.Rows {
			lines = append(lines, string(r[0].Bytes))
		}
		if !strings.Contains(strings.Join(lines, "\n"), c.plan) {
			t.Errorf("%s: plan %q has no %q", c.q, lines, c.plan)
		}
		got, err := s.Query(ctx, c.q, QueryOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		want, err := s.Query(ctx, c.q, QueryOptions{NoIndexes: true})
		if err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		if len(want.Rows) == 0 {
			t.Errorf("%s: no rows; the query tests nothing", c.q)
		}
		if !strings.Contains(c.q, "ORDER BY") { // order not given: compare sorted
			for _, res := range []*Result{got, want} {
				slices.SortFunc(res.Rows, func(a, b dataset.Row) int { return compareRows(a, b, []orderKey{{idx: 0}}) })
			}
		}
		if !slices.EqualFunc(got.Rows, want.Rows, sameCells) {
			t.Errorf("%s:\n index plan %v\n full scan  %v", c.q, got.Rows, want.Rows)
		}
	}
}

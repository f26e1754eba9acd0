package query

import (
	"context"
	dbsql "database/sql"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	_ "modernc.org/sqlite"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query/sql"
)

// The metamorphic test in pebble's style: a seeded generator makes a random
// dataset and random queries; every query runs with the planner's index
// choice, with a forced full scan, and in SQLite, and the three results must
// agree. A failure prints the seed and the query.

const metaSchema = `{"columns": [
  {"name": "k1", "type": "int64"},
  {"name": "k2", "type": "string"},
  {"name": "a", "type": "int64", "nullable": true},
  {"name": "b", "type": "float64", "nullable": true},
  {"name": "c", "type": "string", "nullable": true},
  {"name": "d", "type": "bool", "nullable": true},
  {"name": "ts", "type": "timestamp"}],
 "primary_key": ["k1", "k2"],
 "indexes": [{"name": "ia", "columns": ["a"]}, {"name": "ib", "columns": ["b"]},
             {"name": "ica", "columns": ["c", "a"]}, {"name": "its", "columns": ["ts", "k2"]}]}`

const metaSQLiteTable = `CREATE TABLE t (k1 INTEGER NOT NULL, k2 TEXT NOT NULL, a INTEGER, b REAL, c TEXT, d INTEGER, ts INTEGER NOT NULL, PRIMARY KEY (k1, k2))`

type metaGen struct {
	r *randsrc.Rand
}

// metaStrings are cell values; the last one holds a NUL byte, which SQLite
// cannot read in a literal, so literals use only the others.
var metaStrings = []string{"", "a", "ab", "b", "ba", "c", "z", "é", "a\x00"}

func (g *metaGen) row() dataset.Row {
	r := g.r
	maybe := func(v dataset.Value) dataset.Value {
		if r.IntN(6) == 0 {
			return dataset.Null
		}
		return v
	}
	return dataset.Row{
		dataset.Int64(int64(r.IntN(40) - 20)),
		dataset.String(metaStrings[r.IntN(len(metaStrings))]),
		maybe(dataset.Int64(int64(r.IntN(20) - 10))),
		maybe(dataset.Float64(float64(r.IntN(40)-20) / 4)),
		maybe(dataset.String(metaStrings[r.IntN(len(metaStrings))])),
		maybe(dataset.Bool(r.IntN(2) == 0)),
		{Kind: dataset.TypeTimestamp, Int: int64(r.IntN(10)) * 1_000_000},
	}
}

func (g *metaGen) literal(col string) string {
	r := g.r
	if r.IntN(15) == 0 {
		return "NULL"
	}
	switch col {
	case "k1", "a":
		if r.IntN(5) == 0 {
			return fmt.Sprintf("%d.5", r.IntN(30)-15)
		}
		return fmt.Sprint(r.IntN(50) - 25)
	case "b":
		if r.IntN(3) == 0 {
			return fmt.Sprint(r.IntN(20) - 10)
		}
		return sql.FormatLiteral(dataset.Float64(float64(r.IntN(48)-24) / 4))
	case "k2", "c":
		return sql.FormatLiteral(dataset.String(metaStrings[r.IntN(len(metaStrings)-1)]))
	case "d":
		return []string{"TRUE", "FALSE"}[r.IntN(2)]
	case "ts":
		return fmt.Sprint(int64(r.IntN(12)-1) * 1_000_000)
	}
	panic(col)
}

var metaCols = []string{"k1", "k2", "a", "b", "c", "d", "ts"}

func (g *metaGen) cond(depth int) string {
	r := g.r
	if depth > 0 && r.IntN(3) == 0 {
		switch r.IntN(3) {
		case 0:
			return "(" + g.cond(depth-1) + " AND " + g.cond(depth-1) + ")"
		case 1:
			return "(" + g.cond(depth-1) + " OR " + g.cond(depth-1) + ")"
		default:
			return "NOT (" + g.cond(depth-1) + ")"
		}
	}
	col := metaCols[r.IntN(len(metaCols))]
	switch r.IntN(6) {
	case 0:
		n := 1 + r.IntN(4)
		var items []string
		for range n {
			items = append(items, g.literal(col))
		}
		not := ""
		if r.IntN(4) == 0 {
			not = "NOT "
		}
		return fmt.Sprintf("%s %sIN (%s)", col, not, strings.Join(items, ", "))
	case 1:
		return fmt.Sprintf("%s BETWEEN %s AND %s", col, g.literal(col), g.literal(col))
	case 2:
		if r.IntN(2) == 0 {
			return col + " IS NULL"
		}
		return col + " IS NOT NULL"
	default:
		op := []string{"=", "!=", "<", "<=", ">", ">="}[r.IntN(6)]
		if r.IntN(5) == 0 {
			return fmt.Sprintf("%s %s %s", g.literal(col), op, col)
		}
		return fmt.Sprintf("%s %s %s", col, op, g.literal(col))
	}
}

// query returns a query whose result order is fully determined when it has
// ORDER BY (every key column is ordered), and whether it is ordered.
func (g *metaGen) query() (string, bool) {
	r := g.r
	where := ""
	if r.IntN(8) != 0 {
		where = " WHERE " + g.cond(2)
	}
	if r.IntN(3) == 0 {
		groupable := []string{"a", "c", "d", "k2", "ts"}
		var groups []string
		for _, c := range groupable {
			if r.IntN(3) == 0 {
				groups = append(groups, c)
			}
		}
		items := slices.Clone(groups)
		aggs := []string{"COUNT(*)", "COUNT(b)", "SUM(a)", "SUM(b)", "AVG(a)", "AVG(b)", "MIN(c)", "MAX(b)", "MIN(ts)", "MAX(k2)"}
		for range 1 + r.IntN(3) {
			items = append(items, aggs[r.IntN(len(aggs))])
		}
		q := "SELECT " + strings.Join(items, ", ") + " FROM t" + where
		if len(groups) > 0 {
			q += " GROUP BY " + strings.Join(groups, ", ")
		}
		ordered := r.IntN(2) == 0
		if ordered {
			var keys []string
			for _, c := range groups {
				if r.IntN(2) == 0 {
					c += " DESC"
				}
				keys = append(keys, c)
			}
			if len(keys) > 0 {
				q += " ORDER BY " + strings.Join(keys, ", ")
				if r.IntN(2) == 0 {
					q += fmt.Sprintf(" LIMIT %d OFFSET %d", r.IntN(10), r.IntN(3))
				}
			}
		}
		return q, ordered && len(groups) > 0
	}
	sel := "*"
	if r.IntN(2) == 0 {
		sel = "k1, k2, b, c"
	}
	q := "SELECT " + sel + " FROM t" + where
	if r.IntN(2) == 0 {
		var keys []string
		if r.IntN(2) == 0 {
			keys = append(keys, []string{"a", "b", "c", "ts", "d"}[r.IntN(5)])
		}
		keys = append(keys, "k1", "k2")
		for i := range keys {
			if r.IntN(2) == 0 {
				keys[i] += " DESC"
			}
		}
		q += " ORDER BY " + strings.Join(keys, ", ")
		if r.IntN(2) == 0 {
			q += fmt.Sprintf(" LIMIT %d", r.IntN(30))
			if r.IntN(2) == 0 {
				q += fmt.Sprintf(" OFFSET %d", r.IntN(10))
			}
		}
		return q, true
	}
	return q, false
}

// cell renders a value for comparison with SQLite, where bools and
// timestamps are integers.
func cell(v dataset.Value) any {
	switch v.Kind {
	case 0:
		return nil
	case dataset.TypeFloat64:
		return v.Float
	case dataset.TypeString:
		return string(v.Bytes)
	case dataset.TypeBytes:
		return string(v.Bytes)
	}
	return v.Int
}

// resultCells renders a result's rows with cell, for comparison with
// SQLite's.
func resultCells(res *Result) [][]any {
	var out [][]any
	for _, r := range res.Rows {
		row := make([]any, len(r))
		for i, v := range r {
			row[i] = cell(v)
		}
		out = append(out, row)
	}
	return out
}

func cellsEqual(a, b any) bool {
	fa, aok := a.(float64)
	fb, bok := b.(float64)
	if aok && bok {
		return fa == fb || math.Abs(fa-fb) <= 1e-9*math.Max(math.Abs(fa), math.Abs(fb))
	}
	if aok || bok { // SQLite may return an integral REAL as either
		ia, iok := a.(int64)
		ib, jok := b.(int64)
		switch {
		case aok && jok:
			return fa == float64(ib)
		case bok && iok:
			return fb == float64(ia)
		}
		return false
	}
	return a == b
}

func resultsEqual(a, b [][]any, ordered bool) bool {
	if len(a) != len(b) {
		return false
	}
	if !ordered {
		key := func(r []any) string {
			var b strings.Builder
			for _, v := range r {
				if f, ok := v.(float64); ok {
					v = f + 0 // -0 sorts with 0
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			return b.String()
		}
		a, b = slices.Clone(a), slices.Clone(b)
		slices.SortFunc(a, func(x, y []any) int { return strings.Compare(key(x), key(y)) })
		slices.SortFunc(b, func(x, y []any) int { return strings.Compare(key(x), key(y)) })
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !cellsEqual(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

func ours(t *testing.T, s *Store, q string, noIndexes bool) [][]any {
	t.Helper()
	res, err := s.Query(context.Background(), q, QueryOptions{NoIndexes: noIndexes})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out [][]any
	for _, r := range res.Rows {
		var row []any
		for _, v := range r {
			row = append(row, cell(v))
		}
		out = append(out, row)
	}
	return out
}

func sqlite(t *testing.T, db *dbsql.DB, q string) [][]any {
	t.Helper()
	rows, err := sqliteRows(db, q)
	if err != nil {
		t.Fatalf("sqlite %s: %v", q, err)
	}
	return rows
}

func TestMetamorphic(t *testing.T) {
	seeds, queries := 4, 150
	if testing.Short() {
		seeds, queries = 2, 60
	}
	// ENIGMA_META_SEEDS=n runs more seeds when hunting bugs.
	if n, err := strconv.Atoi(os.Getenv("ENIGMA_META_SEEDS")); err == nil && n > 0 {
		seeds = n
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { runMetamorphic(t, seed, queries) })
	}
}

func runMetamorphic(t *testing.T, seed uint64, queries int) {
	g := &metaGen{r: randsrc.New(seed)}
	s := openMem(t)
	schema, err := dataset.ParseSchemaJSON([]byte(metaSchema))
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := s.CreateDataset(dataset.Path{Provider: common.HexToAddress("0x01"), Name: "t"}, schema)
	if err != nil {
		t.Fatal(err)
	}
	db, err := dbsql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(metaSQLiteTable); err != nil {
		t.Fatal(err)
	}
	// Several batches with overlapping keys exercise upserts.
	for b := range 4 {
		var rows []dataset.Row
		for range 150 {
			rows = append(rows, g.row())
		}
		if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "meta", Seq: uint64(b), Rows: rows}); err != nil {
			t.Fatal(err)
		}
		if b == 1 { // half the rows are read from sstable blocks, half from the memtable
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range rows {
			args := make([]any, len(r))
			for i, v := range r {
				args[i] = cell(v)
			}
			if _, err := db.Exec("INSERT OR REPLACE INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", args...); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Check(tbl); err != nil {
		t.Fatalf("seed %d: after overlapping upserts: %v", seed, err)
	}
	for range queries {
		q, ordered := g.query()
		withIx := ours(t, s, q, false)
		scan := ours(t, s, q, true)
		ref := sqlite(t, db, q)
		if !resultsEqual(withIx, scan, ordered) {
			t.Fatalf("seed %d: index plan and full scan differ for\n%s\nindex: %v\nscan:  %v", seed, q, withIx, scan)
		}
		if !resultsEqual(scan, ref, ordered) {
			t.Fatalf("seed %d: differs from SQLite for\n%s\nours:   %v\nsqlite: %v", seed, q, scan, ref)
		}
	}
}

// TestResultComparisonCatchesDifferences shows the comparison the
// metamorphic test relies on is not blind.
func TestResultComparisonCatchesDifferences(t *testing.T) {
	a := [][]any{{int64(1), "x", 1.5}, {int64(2), nil, 2.0}}
	for name, b := range map[string][][]any{
		"value":   {{int64(1), "x", 1.5}, {int64(3), nil, 2.0}},
		"null":    {{int64(1), "x", 1.5}, {int64(2), "", 2.0}},
		"float":   {{int64(1), "x", 1.51}, {int64(2), nil, 2.0}},
		"missing": {{int64(1), "x", 1.5}},
	} {
		if resultsEqual(a, b, false) {
			t.Errorf("%s difference not detected", name)
		}
	}
	swapped := [][]any{a[1], a[0]}
	if resultsEqual(a, swapped, true) || !resultsEqual(a, swapped, false) {
		t.Error("order sensitivity is wrong")
	}
}

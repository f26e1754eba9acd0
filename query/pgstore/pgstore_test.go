package pgstore_test

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/pgstore"
	"github.com/enigma-mpc/enigma/query/pgstore/pgtest"
	"github.com/enigma-mpc/enigma/query/sql"
)

var diffQueries = flag.Int("pg.queries", 2000, "random queries of the differential test (Pebble engine against PostgreSQL)")

// schema has every column type and both encryptions, nullable columns
// and indexes, so random queries meet all of them.
func schema() dataset.Schema {
	return dataset.Schema{
		Columns: []dataset.Column{
			{Name: "id", Type: dataset.TypeInt64},
			{Name: "g", Type: dataset.TypeInt64, Nullable: true},
			{Name: "f", Type: dataset.TypeFloat64, Nullable: true},
			{Name: "s", Type: dataset.TypeString, Nullable: true},
			{Name: "b", Type: dataset.TypeBytes, Nullable: true},
			{Name: "flag", Type: dataset.TypeBool},
			{Name: "ts", Type: dataset.TypeTimestamp},
			{Name: "de", Type: dataset.TypeString, Encryption: dataset.EncDeterministic, Nullable: true},
			{Name: "oi", Type: dataset.TypeInt64, Encryption: dataset.EncOrderPreserving, Nullable: true},
			{Name: "of", Type: dataset.TypeFloat64, Encryption: dataset.EncOrderPreserving},
		},
		PrimaryKey: []string{"id"},
		Indexes: []dataset.Index{
			{Name: "by_g", Columns: []string{"g"}},
			{Name: "by_oi", Columns: []string{"oi"}},
			{Name: "by_s_g", Columns: []string{"s", "g"}},
		},
	}
}

var strs = []string{"", "a", "ab", "b", "B", "a\x00b", "zz", "é"}

func maybeNull(r *mrand.Rand, v dataset.Value) dataset.Value {
	if r.IntN(8) == 0 {
		return dataset.Null
	}
	return v
}

// quarter is a float that sums exactly, so SUM is the same whatever the
// order of addition.
func quarter(r *mrand.Rand) float64 { return float64(r.IntN(4001)-2000) / 4 }

func randomRow(r *mrand.Rand, id int64) dataset.Row {
	return dataset.Row{
		dataset.Int64(id),
		maybeNull(r, dataset.Int64(int64(r.IntN(10)))),
		maybeNull(r, dataset.Float64(quarter(r))),
		maybeNull(r, dataset.String(strs[r.IntN(len(strs))])),
		maybeNull(r, dataset.Bytes([]byte{byte(r.IntN(3)), byte(r.IntN(256))}[:r.IntN(3)])),
		dataset.Bool(r.IntN(2) == 0),
		dataset.Value{Kind: dataset.TypeTimestamp, Int: 1_700_000_000_000_000 + int64(r.IntN(1000))*1_000_000},
		maybeNull(r, dataset.String(strs[r.IntN(len(strs))])),
		maybeNull(r, dataset.Int64(int64(r.IntN(2001)-1000))),
		dataset.Float64(quarter(r)),
	}
}

type pair struct {
	pebble, pg *query.Store
	pgs        *pgstore.Store
	pebbleT    *query.Table
	pgT        *query.Table
	cipher     *colcrypt.Cipher
	sc         dataset.Schema
}

func newPair(t *testing.T, ctx context.Context, pgs *pgstore.Store, name string) *pair {
	t.Helper()
	p := &pair{pgs: pgs, sc: schema()}
	path := dataset.Path{Provider: common.HexToAddress("0x1"), Name: name}
	var err error
	for _, s := range []**query.Store{&p.pebble, &p.pg} {
		if *s, err = query.Open("db", query.Options{FS: vfs.NewMem(), CacheBytes: 1 << 20}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { (*s).Close() })
	}
	if p.pebbleT, err = p.pebble.CreateDataset(path, p.sc); err != nil {
		t.Fatal(err)
	}
	if p.pgT, err = p.pg.CreateDataset(path, p.sc); err != nil {
		t.Fatal(err)
	}
	if err := pgs.CreateTable(ctx, p.pgT); err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if p.cipher, err = colcrypt.New(keys, path.ID()); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *pair) ingest(t *testing.T, ctx context.Context, b query.Batch) (query.IngestResult, query.IngestResult) {
	t.Helper()
	b.Dataset = p.pebbleT.ID()
	ra, err := p.pebble.Ingest(b)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := p.pg.IngestElsewhere(b, func(tb *query.Table, b query.Batch, digest []byte) error {
		return p.pgs.Apply(ctx, tb, b, digest)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ra, rb
}

func (p *pair) encrypt(t *testing.T, rows []dataset.Row) []dataset.Row {
	t.Helper()
	var out []dataset.Row
	for i, r := range rows {
		e, err := p.cipher.EncryptRow(&p.sc, i, r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// run answers q from both: the Pebble engine, and PostgreSQL after the
// engine bound it.
func (p *pair) run(ctx context.Context, q string) (a, b *query.Result, errA, errB error) {
	st, err := sql.Parse(q)
	if err != nil {
		return nil, nil, err, err
	}
	lim := query.DefaultLimits()
	a, errA = p.pebble.Run(ctx, q, st, p.pebbleT, query.QueryOptions{Limits: lim})
	cols, errB := p.pg.ResultColumns(q, st, p.pgT)
	if errB == nil {
		b, errB = p.pgs.Run(ctx, q, st, p.pgT, cols, lim)
	}
	return a, b, errA, errB
}

func TestPostgres(t *testing.T) {
	cluster := pgtest.Start(t)
	ctx := context.Background()
	pgs, err := pgstore.Open(ctx, cluster.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pgs.Close)

	t.Run("OPEByteOrderIsPlaintextOrder", func(t *testing.T) { testOPEOrder(t, ctx, pgs) })
	t.Run("IngestOncePerBatch", func(t *testing.T) { testIngestOnce(t, ctx, pgs) })
	t.Run("SameAnswersAsPebble", func(t *testing.T) { testDifferential(t, ctx, pgs) })
	t.Run("RestartGivesAnErrorThenServes", func(t *testing.T) { testRestart(t, ctx, pgs, cluster) })
}

// testOPEOrder stores order-preserving ciphertexts of random ints and
// floats as bytea and checks that PostgreSQL's ORDER BY and ranges on the
// ciphertext are the plaintext's order and ranges.
func testOPEOrder(t *testing.T, ctx context.Context, pgs *pgstore.Store) {
	p := newPair(t, ctx, pgs, "ope")
	r := mrand.New(mrand.NewPCG(1, 2))
	var rows []dataset.Row
	for i := range 500 {
		row := randomRow(r, int64(i))
		// Spread the OPE columns over the whole domain, extremes included.
		switch i {
		case 0:
			row[8] = dataset.Int64(math.MinInt64)
		case 1:
			row[8] = dataset.Int64(math.MaxInt64)
		default:
			row[8] = dataset.Int64(int64(r.Uint64()))
		}
		row[9] = dataset.Float64(math.Float64frombits(r.Uint64() &^ (0x7ff << 52))) // finite
		if r.IntN(2) == 0 {
			row[9].Float = -row[9].Float
		}
		rows = append(rows, row)
	}
	p.ingest(t, ctx, query.Batch{RunID: "r", Rows: p.encrypt(t, rows)})
	for _, col := range []int{8, 9} {
		name := p.sc.Columns[col].Name
		_, res, _, err := p.run(ctx, fmt.Sprintf("SELECT %s FROM ope WHERE %s IS NOT NULL ORDER BY %s", name, name, name))
		if err != nil {
			t.Fatal(err)
		}
		var plain []dataset.Value
		for _, row := range res.Rows {
			v, err := p.cipher.DecryptValue(p.sc.Columns[col], row[0])
			if err != nil {
				t.Fatal(err)
			}
			plain = append(plain, v)
		}
		if len(plain) < 400 {
			t.Fatalf("%s: %d rows", name, len(plain))
		}
		for i := 1; i < len(plain); i++ {
			a, b := plain[i-1], plain[i]
			if (col == 8 && a.Int > b.Int) || (col == 9 && a.Float > b.Float) {
				t.Fatalf("%s: PostgreSQL's bytea order is not the plaintext order: %v before %v", name, a, b)
			}
		}
		// A range on ciphertext: the middle half of the values.
		lo, hi := plain[len(plain)/4], plain[3*len(plain)/4]
		q := fmt.Sprintf("SELECT COUNT(*) FROM ope WHERE %s BETWEEN %s AND %s", name, lo, hi)
		enc, err := query.EncryptQuery(q, &p.sc, p.cipher)
		if err != nil {
			t.Fatal(err)
		}
		_, res, _, err = p.run(ctx, enc)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, v := range plain {
			if (col == 8 && v.Int >= lo.Int && v.Int <= hi.Int) || (col == 9 && v.Float >= lo.Float && v.Float <= hi.Float) {
				want++
			}
		}
		if got := res.Rows[0][0].Int; got != int64(want) {
			t.Fatalf("%s BETWEEN on ciphertext in PostgreSQL: %d rows, the plaintext range holds %d", name, got, want)
		}
	}
}

func testIngestOnce(t *testing.T, ctx context.Context, pgs *pgstore.Store) {
	p := newPair(t, ctx, pgs, "once")
	r := mrand.New(mrand.NewPCG(3, 4))
	rows := []dataset.Row{randomRow(r, 1), randomRow(r, 2), randomRow(r, 1)} // key 1 twice: the last wins
	b := query.Batch{RunID: "run-1", Seq: 0, Total: 2, Slot: 10, Rows: p.encrypt(t, rows)}
	if _, rb := p.ingest(t, ctx, b); !rb.Applied {
		t.Fatal("first batch not applied")
	}
	// A retry after a crash between PostgreSQL's commit and the store's:
	// the store has no record, PostgreSQL has the marker — nothing twice.
	digestOf := func(b query.Batch) []byte {
		var d []byte
		_, err := p.pg.IngestElsewhere(query.Batch{Dataset: p.pgT.ID(), RunID: "probe", Seq: 0, Rows: b.Rows}, func(_ *query.Table, _ query.Batch, digest []byte) error {
			d = digest
			return errors.New("stop")
		})
		if err == nil {
			t.Fatal("probe applied")
		}
		return d
	}
	if err := pgs.Apply(ctx, p.pgT, b, digestOf(b)); err != nil {
		t.Fatalf("re-applying a recorded batch: %v", err)
	}
	if err := pgs.Apply(ctx, p.pgT, b, []byte("other")); !errors.Is(err, query.ErrBatchConflict) {
		t.Fatalf("other rows under a recorded batch's identity: %v, want ErrBatchConflict", err)
	}
	if _, rb := p.ingest(t, ctx, b); rb.Applied {
		t.Fatal("a retried batch was applied again")
	}
	a, pgRes, errA, errB := p.run(ctx, "SELECT * FROM once ORDER BY id")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if len(pgRes.Rows) != 2 || !sameRows(a.Rows, pgRes.Rows, true) {
		t.Fatalf("PostgreSQL holds %v, Pebble %v", pgRes.Rows, a.Rows)
	}
	if n, capped, err := pgs.CountRows(ctx, p.pgT, nil, 10); err != nil || n != 2 || capped {
		t.Fatalf("CountRows = %d, %v, %v", n, capped, err)
	}
}

func testRestart(t *testing.T, ctx context.Context, pgs *pgstore.Store, c *pgtest.Cluster) {
	p := newPair(t, ctx, pgs, "restart")
	r := mrand.New(mrand.NewPCG(5, 6))
	p.ingest(t, ctx, query.Batch{RunID: "r", Rows: p.encrypt(t, []dataset.Row{randomRow(r, 1)})})
	// The time limit: the statement is cancelled and reported as a limit.
	q := "SELECT COUNT(*) FROM restart"
	st, _ := sql.Parse(q)
	cols, _ := p.pg.ResultColumns(q, st, p.pgT)
	if _, err := pgs.Run(ctx, q, st, p.pgT, cols, query.Limits{MaxResultRows: 10, MaxResultBytes: 1 << 20, Timeout: time.Nanosecond}); !errors.Is(err, query.ErrLimit) {
		t.Fatalf("a query past its time limit: %v, want ErrLimit", err)
	}
	c.Stop()
	_, _, _, err := p.run(ctx, "SELECT COUNT(*) FROM restart")
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL unavailable") {
		t.Fatalf("query with the database down: %v, want a PostgreSQL unavailable error", err)
	}
	c.Start()
	_, res, _, err := p.run(ctx, "SELECT COUNT(*) FROM restart")
	if err != nil {
		t.Fatalf("query after the restart: %v", err)
	}
	if res.Rows[0][0].Int != 1 {
		t.Fatalf("after the restart: %v", res.Rows)
	}
}

func testDifferential(t *testing.T, ctx context.Context, pgs *pgstore.Store) {
	const datasets = 4
	n := *diffQueries
	if testing.Short() {
		n = 300
	}
	ran, refusedBoth := 0, 0
	for d := range datasets {
		p := newPair(t, ctx, pgs, fmt.Sprintf("diff%d", d))
		r := mrand.New(mrand.NewPCG(uint64(d), 99))
		// Batches with overlapping keys, as re-curated runs send them.
		for seq := range 4 {
			var rows []dataset.Row
			for range 60 + r.IntN(60) {
				rows = append(rows, randomRow(r, int64(r.IntN(200))))
			}
			p.ingest(t, ctx, query.Batch{RunID: "run", Seq: uint64(seq), Rows: p.encrypt(t, rows)})
		}
		g := &gen{r: r, table: fmt.Sprintf("diff%d", d)}
		for range n / datasets {
			q, ordered := g.query()
			enc, err := query.EncryptQuery(q, &p.sc, p.cipher)
			if err != nil {
				refusedBoth++ // the client refuses it before any node sees it
				continue
			}
			a, b, errA, errB := p.run(ctx, enc)
			switch {
			case errA != nil && errB != nil:
				refusedBoth++
				continue
			case errA != nil || errB != nil:
				t.Fatalf("%s\n(sent as %s)\nPebble: %v\nPostgreSQL: %v", q, enc, errA, errB)
			}
			if !sameColumns(a.Columns, b.Columns) || !sameRows(a.Rows, b.Rows, ordered) {
				t.Fatalf("%s\n(sent as %s)\nPebble (%d rows):\n%s\nPostgreSQL (%d rows):\n%s", q, enc, len(a.Rows), show(a.Rows), len(b.Rows), show(b.Rows))
			}
			ran++
		}
	}
	t.Logf("%d queries answered alike by Pebble and PostgreSQL, %d refused by both", ran, refusedBoth)
	if ran < n*9/10 {
		t.Fatalf("only %d of %d queries ran on both", ran, n)
	}
}

func sameColumns(a, b []query.ResultColumn) bool { return slices.Equal(a, b) }

func show(rows []dataset.Row) string {
	var sb strings.Builder
	for i, r := range rows {
		if i == 20 {
			sb.WriteString("…\n")
			break
		}
		fmt.Fprintf(&sb, "%v\n", r)
	}
	return sb.String()
}

func sameValue(a, b dataset.Value) bool {
	if a.Kind == dataset.TypeFloat64 && b.Kind == dataset.TypeFloat64 {
		// AVG divides once in both, but PostgreSQL through numeric.
		return a.Float == b.Float || math.Abs(a.Float-b.Float) <= 1e-12*math.Max(math.Abs(a.Float), math.Abs(b.Float))
	}
	return a.Equal(b)
}

func sameRows(a, b []dataset.Row, ordered bool) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(r dataset.Row) string { return fmt.Sprintf("%v", r) }
	if !ordered {
		a, b = slices.Clone(a), slices.Clone(b)
		sort.Slice(a, func(i, j int) bool { return key(a[i]) < key(a[j]) })
		sort.Slice(b, func(i, j int) bool { return key(b[i]) < key(b[j]) })
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !sameValue(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

// gen writes random queries of the language the PostgreSQL backend runs.
type gen struct {
	r     *mrand.Rand
	table string
}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) literal(col string) string {
	switch col {
	case "id":
		return fmt.Sprint(g.r.IntN(220) - 10)
	case "g", "flag":
		return fmt.Sprint(g.r.IntN(12) - 1)
	case "oi":
		return fmt.Sprint(g.r.IntN(2201) - 1100)
	case "f", "of":
		return fmt.Sprintf("%g", float64(g.r.IntN(4401)-2200)/4)
	case "s", "de":
		return "'" + strings.ReplaceAll(strs[g.r.IntN(len(strs))], "\x00", "") + "'"
	case "b":
		return fmt.Sprintf("X'%02x'", g.r.IntN(3))
	case "ts":
		return fmt.Sprint(1_700_000_000_000_000 + int64(g.r.IntN(1000))*1_000_000)
	}
	panic(col)
}

// cond is a condition on the table's columns.
func (g *gen) cond(depth int) string {
	if depth > 0 && g.r.IntN(3) == 0 {
		op := g.pick("AND", "OR")
		return "(" + g.cond(depth-1) + " " + op + " " + g.cond(depth-1) + ")"
	}
	if depth > 0 && g.r.IntN(8) == 0 {
		return "NOT " + g.cond(depth-1)
	}
	col := g.pick("id", "g", "f", "s", "b", "ts", "de", "oi", "of", "g")
	if g.r.IntN(10) == 0 {
		return col + g.pick(" IS NULL", " IS NOT NULL")
	}
	if col == "de" || col == "b" && g.r.IntN(2) == 0 {
		switch g.r.IntN(3) {
		case 0:
			return col + g.pick(" = ", " != ") + g.literal(col)
		case 1:
			return col + g.pick(" IN (", " NOT IN (") + g.literal(col) + ", " + g.literal(col) + ")"
		}
		return col + g.pick(" IS ", " IS NOT ") + g.literal(col)
	}
	switch g.r.IntN(4) {
	case 0:
		return col + g.pick(" BETWEEN ", " NOT BETWEEN ") + g.literal(col) + " AND " + g.literal(col)
	case 1:
		return col + g.pick(" IN (", " NOT IN (") + g.literal(col) + ", " + g.literal(col) + ", " + g.literal(col) + ")"
	}
	if col == "g" && g.r.IntN(3) == 0 {
		return "(g " + g.pick("+", "-", "*", "/", "%") + " " + g.pick("2", "0", "id") + ") " + g.pick("<", ">=", "=") + " " + g.literal("g")
	}
	return col + " " + g.pick("=", "!=", "<", "<=", ">", ">=") + " " + g.literal(col)
}

// query returns a query and whether its rows' order is determined.
func (g *gen) query() (string, bool) {
	where := ""
	if g.r.IntN(5) != 0 {
		where = " WHERE " + g.cond(2)
	}
	switch g.r.IntN(4) {
	case 0: // aggregates over groups
		group := g.pick("g", "s", "de", "flag", "oi", "g, s", "g % 3", "id / 50, s")
		aggs := []string{"COUNT(*)", "COUNT(f)", "SUM(g)", "SUM(f)", "AVG(f)", "AVG(id)", "MIN(oi)", "MAX(of)", "MIN(s)", "MAX(b)", "COUNT(DISTINCT de)", "MIN(ts)", "SUM(id * 2)", "MAX(f / 2)"}
		var sel []string
		for range 1 + g.r.IntN(3) {
			sel = append(sel, aggs[g.r.IntN(len(aggs))])
		}
		q := "SELECT " + group + ", " + strings.Join(sel, ", ") + " FROM " + g.table + where + " GROUP BY " + group
		if g.r.IntN(3) == 0 {
			q += " HAVING COUNT(*) > " + fmt.Sprint(g.r.IntN(20))
		}
		if g.r.IntN(2) == 0 {
			return q + " ORDER BY " + group + " LIMIT " + fmt.Sprint(1+g.r.IntN(8)), true
		}
		return q, false
	case 1: // aggregates over the whole table
		aggs := []string{"COUNT(*)", "SUM(g)", "SUM(f)", "AVG(g)", "MIN(oi)", "MAX(oi)", "MIN(of)", "MAX(s)", "COUNT(DISTINCT g)", "MIN(b)"}
		return "SELECT " + aggs[g.r.IntN(len(aggs))] + ", " + aggs[g.r.IntN(len(aggs))] + " FROM " + g.table + where, true
	case 2: // DISTINCT
		cols := g.pick("g", "s", "de", "g, s", "flag, g", "oi")
		q := "SELECT DISTINCT " + cols + " FROM " + g.table + where
		if g.r.IntN(2) == 0 {
			return q + " ORDER BY " + cols, true
		}
		if !strings.Contains(cols, ",") && g.r.IntN(2) == 0 {
			return q + " ORDER BY " + g.pick("1", "+1", "-(-1)"), true
		}
		return q, false
	}
	sel := g.pick("*", "id", "id, g, s", "id, de, oi, of", "id, g + 1 AS h, f * 2", "id, b, flag, ts", "id AS k, id / 3, id % 7",
		"id, abs(g - 5), abs(f), coalesce(g, -1), ifnull(s, 'none'), nullif(g, 3)",
		"id, CASE WHEN g > 4 THEN 'hi' WHEN g IS NULL THEN NULL ELSE 'lo' END, CASE g WHEN 1 THEN f WHEN 2 THEN 0.5 END",
		"id, coalesce(f, 0.25, -1.5) AS cf, CASE WHEN s = 'a' OR b IS NULL THEN id * 2 ELSE id END")
	if g.r.IntN(6) == 0 {
		where = " WHERE " + g.pick("coalesce(g, 0) > 3", "abs(oi) < 500", "CASE WHEN f > 0 THEN g ELSE -g END >= 2", "nullif(s, 'a') IS NULL")
	}
	q := "SELECT " + sel + " FROM " + g.table + where
	if g.r.IntN(2) == 0 {
		key := g.pick("g", "f", "s", "oi", "of", "b", "ts", "de")
		if key == "de" {
			key = "s" // deterministic columns have no order
		}
		dir := g.pick("", " DESC")
		q += " ORDER BY " + key + dir + ", id" + g.pick("", " DESC")
		if g.r.IntN(2) == 0 {
			q += " LIMIT " + fmt.Sprint(g.r.IntN(30))
			if g.r.IntN(2) == 0 {
				q += " OFFSET " + fmt.Sprint(g.r.IntN(20))
			}
		}
		return q, true
	}
	return q, false
}

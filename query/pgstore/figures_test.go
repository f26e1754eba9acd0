package pgstore_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/pgstore"
	"github.com/enigma-mpc/enigma/query/pgstore/pgtest"
	"github.com/enigma-mpc/enigma/query/sql"
)

// TestFigures prints the backends' figures side by side (docs/BENCHMARKS.md):
// ingest rows/s, a point query, a 1% range and a GROUP BY, on the Pebble
// engine, on PostgreSQL behind the node (bind + translate + run), and on
// the same PostgreSQL table queried directly. It runs only when
// ENIGMA_PG_FIGURES gives the row count.
func TestFigures(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ENIGMA_PG_FIGURES"))
	if n <= 0 {
		t.Skip("set ENIGMA_PG_FIGURES=rows to print the backends' figures")
	}
	cluster := pgtest.Start(t)
	ctx := context.Background()
	pgs, err := pgstore.Open(ctx, cluster.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer pgs.Close()
	p := newPair(t, ctx, pgs, "fig")
	r := mrand.New(mrand.NewPCG(7, 7))
	const batch = 10_000
	var pebbleTime, pgTime time.Duration
	for seq := 0; seq*batch < n; seq++ {
		var rows []dataset.Row
		for i := range min(batch, n-seq*batch) {
			row := randomRow(r, int64(seq*batch+i))
			rows = append(rows, row)
		}
		rows = p.encrypt(t, rows)
		b := query.Batch{Dataset: p.pebbleT.ID(), RunID: "run", Seq: uint64(seq), Rows: rows}
		start := time.Now()
		if _, err := p.pebble.Ingest(b); err != nil {
			t.Fatal(err)
		}
		pebbleTime += time.Since(start)
		start = time.Now()
		if _, err := p.pg.IngestElsewhere(b, func(tb *query.Table, b query.Batch, d []byte) error { return pgs.Apply(ctx, tb, b, d) }); err != nil {
			t.Fatal(err)
		}
		pgTime += time.Since(start)
	}
	fmt.Printf("FIGURE rows=%d ingest rows/s: pebble %.0f, postgres %.0f\n", n, float64(n)/pebbleTime.Seconds(), float64(n)/pgTime.Seconds())
	conn, err := pgx.Connect(ctx, cluster.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "ANALYZE "+pgstore.TableName(p.pgT)); err != nil {
		t.Fatal(err)
	}
	tbl := pgstore.TableName(p.pgT)
	span := int64(n / 100)
	for _, c := range []struct {
		name, q, direct string
		args            func(i int) []any
	}{
		{"point", "SELECT * FROM fig WHERE id = %d", "SELECT * FROM " + tbl + " WHERE c0 = $1", func(i int) []any { return []any{int64(i * 7919 % n)} }},
		{"1% range", "SELECT * FROM fig WHERE id BETWEEN %d AND %d", "SELECT * FROM " + tbl + " WHERE c0 BETWEEN $1 AND $2", func(i int) []any {
			lo := int64(i*7919) % (int64(n) - span)
			return []any{lo, lo + span - 1}
		}},
		{"GROUP BY", "SELECT g, COUNT(*), SUM(f) FROM fig GROUP BY g", "SELECT c1, count(*), sum(c2) FROM " + tbl + " GROUP BY c1", func(int) []any { return nil }},
	} {
		iters := 200
		if c.name == "GROUP BY" {
			iters = 10
		}
		var tPebble, tPG, tDirect time.Duration
		for i := range iters {
			args := c.args(i)
			q := fmt.Sprintf(c.q, args...)
			st, err := sql.Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			a, err := p.pebble.Run(ctx, q, st, p.pebbleT, query.QueryOptions{})
			tPebble += time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			start = time.Now()
			cols, err := p.pg.ResultColumns(q, st, p.pgT)
			if err != nil {
				t.Fatal(err)
			}
			b, err := pgs.Run(ctx, q, st, p.pgT, cols, query.DefaultLimits())
			tPG += time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			start = time.Now()
			rows, err := conn.Query(ctx, c.direct, args...)
			if err != nil {
				t.Fatal(err)
			}
			direct := 0
			for rows.Next() {
				if _, err := rows.Values(); err != nil {
					t.Fatal(err)
				}
				direct++
			}
			rows.Close()
			tDirect += time.Since(start)
			if len(a.Rows) != len(b.Rows) || len(b.Rows) != direct {
				t.Fatalf("%s: %d, %d and %d rows", q, len(a.Rows), len(b.Rows), direct)
			}
		}
		per := func(d time.Duration) string { return (d / time.Duration(iters)).Round(time.Microsecond).String() }
		fmt.Printf("FIGURE rows=%d %s per query: pebble %s, postgres behind the node %s, postgres direct %s\n", n, c.name, per(tPebble), per(tPG), per(tDirect))
	}
}

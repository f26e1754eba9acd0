package query

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/colcrypt"
)

// joinTables makes datasets a, b and c of (x int64 key, y int64).
func joinTables(t *testing.T) *Store {
	t.Helper()
	s := openMem(t)
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "x", "type": "int64"}, {"name": "y", "type": "int64", "nullable": true}], "primary_key": ["x"]}`))
	if err != nil {
		t.Fatal(err)
	}
	for name, rows := range map[string][][2]int64{
		"a": {{1, 1}, {2, 2}, {3, 0}},
		"b": {{1, 10}, {2, 20}},
		"c": {{10, 100}},
	} {
		tbl, err := s.CreateDataset(dataset.Path{Provider: common.HexToAddress("0x0c"), Name: name}, schema)
		if err != nil {
			t.Fatal(err)
		}
		var rs []dataset.Row
		for _, r := range rows {
			rs = append(rs, dataset.Row{dataset.Int64(r[0]), dataset.Int64(r[1])})
		}
		if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "join", Rows: rs}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestParenthesisedJoins: a parenthesised join on the right of an inner
// join answers as SQLite does (the expected rows are sqlite3's), and what
// the flat join list cannot express is refused with the reason.
func TestParenthesisedJoins(t *testing.T) {
	s := joinTables(t)
	for q, want := range map[string]string{
		"SELECT a.x, b.y, c.y FROM a JOIN (b LEFT JOIN c ON b.y = c.x) ON a.x = b.x ORDER BY 1":      "1 10 100 | 2 20 NULL | ",
		"SELECT a.x, b.y, c.y FROM (a LEFT JOIN b ON a.x = b.x) LEFT JOIN c ON b.y = c.x ORDER BY 1": "1 10 100 | 2 20 NULL | 3 NULL NULL | ",
		"SELECT COUNT(*) FROM (a CROSS JOIN b)":                                                      "6 | ",
		"SELECT COUNT(*) FROM a, (b CROSS JOIN (c))":                                                 "6 | ",
		"SELECT q.x FROM (a AS q) WHERE q.y = 2":                                                     "2 | ",
		// An inner join's ON may name a table to its right (a WHERE term,
		// as in SQLite).
		"SELECT COUNT(*) FROM a JOIN b ON c.x = b.y JOIN c ON 1": "3 | ",
	} {
		for _, noIx := range []bool{false, true} {
			res, err := s.Query(context.Background(), q, QueryOptions{NoIndexes: noIx})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			var got strings.Builder
			for _, r := range res.Rows {
				for _, v := range r {
					got.WriteString(v.String() + " ")
				}
				got.WriteString("| ")
			}
			if got := strings.ReplaceAll(got.String(), " |", "|"); got != strings.ReplaceAll(want, " |", "|") {
				t.Errorf("%s (full scan %v): got %q, want %q", q, noIx, got, want)
			}
		}
	}
	for q, reason := range map[string]string{
		"SELECT * FROM a LEFT JOIN (b JOIN c ON b.y = c.x) ON a.x = b.x":    "LEFT JOIN of a parenthesised join",
		"SELECT * FROM a JOIN (b JOIN c ON b.y = c.x) USING (x)":            "USING and NATURAL",
		"SELECT * FROM a NATURAL JOIN (b CROSS JOIN c)":                     "USING and NATURAL",
		"SELECT * FROM a JOIN (b LEFT JOIN c ON c.x = a.y) ON a.x = b.x":    "names a, which is not one of the two sides",
		"SELECT * FROM a LEFT JOIN b ON c.x = b.y JOIN c ON 1":              "names c, which is not one of the two sides",
		"SELECT * FROM a JOIN (b JOIN c ON a.x = c.x) ON 1":                 "names a",
		"SELECT * FROM a JOIN b ON a.x = b.x LEFT JOIN c ON c.x = a.y":      "", // both sides: fine
		"SELECT * FROM (a JOIN b ON a.x = b.x) LEFT JOIN c ON c.x = a.y":    "",
		"SELECT * FROM a, (b LEFT JOIN c ON b.y = c.x AND c.y > 0) WHERE 1": "",
	} {
		_, err := s.Query(context.Background(), q, QueryOptions{})
		switch {
		case reason == "" && err != nil:
			t.Errorf("%s: %v", q, err)
		case reason != "" && (err == nil || !strings.Contains(err.Error(), reason)):
			t.Errorf("%s: got %v, want a refusal saying %q", q, err, reason)
		}
	}
}

// TestEncryptQuerySkipsQueriesWithoutEncryptedColumns: a query that names
// no encrypted column is sent as written (the client's fast path); one
// that names one, in any case, or whose subquery could bring one in
// through a star, is rewritten.
func TestEncryptQuerySkipsQueriesWithoutEncryptedColumns(t *testing.T) {
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "id", "type": "int64"}, {"name": "asset", "type": "string", "encryption": "det"}], "primary_key": ["id"]}`))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c, err := colcrypt.New(keys, common.Hash{1})
	if err != nil {
		t.Fatal(err)
	}
	for q, rewritten := range map[string]bool{
		"SELECT * FROM t WHERE id = 5":                                       false,
		"SELECT id FROM t WHERE id BETWEEN 1 AND 3 ORDER BY 1":               false,
		"SELECT * FROM t WHERE ASSET = 'x'":                                  true,
		"SELECT * FROM t WHERE t.asset IN ('x', 'y')":                        true,
		"SELECT * FROM t WHERE EXISTS (SELECT * FROM t AS s WHERE s.id = 1)": true,
		"SELECT * FROM (SELECT * FROM t) AS s WHERE id = 1":                  true,
		// Names resolve with strings.EqualFold: a quoted ſ (long s) is
		// an s, and the text test must not miss it.
		"SELECT * FROM t WHERE \"a\u017f\u017fet\" = 'x'":     true,
		"SELECT * FROM t WHERE \"aSSet\" = 'x'":               true,
		"select id from t where id = 5 -- no asset here":      false,
		"SELECT id FROM t WHERE id = 5 AND 'asset' = 'asset'": false,
		// Naming an encrypted column without a constant to encrypt.
		"SELECT id, asset FROM t ORDER BY asset DESC LIMIT 10": false,
		"SELECT asset FROM t WHERE asset IS NOT NULL":          false,
	} {
		got, err := EncryptQuery(q, &schema, c)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if (got != q) != rewritten {
			t.Errorf("%s: sent as %s (rewritten: want %v)", q, got, rewritten)
		}
	}
}

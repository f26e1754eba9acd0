package pgstore_test

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/pgstore"
	"github.com/enigma-mpc/enigma/query/sql"
)

// TestTranslate shows what PostgreSQL receives: generated names and typed
// parameters, never the subscriber's text, and refusals (at a position)
// of what this backend does not run — before anything reaches the
// database.
func TestTranslate(t *testing.T) {
	s, err := query.Open("db", query.Options{FS: vfs.NewMem(), CacheBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tbl, err := s.CreateDataset(dataset.Path{Provider: common.HexToAddress("0x1"), Name: "quotes"}, schema())
	if err != nil {
		t.Fatal(err)
	}
	name := pgstore.TableName(tbl)
	translate := func(q string) (*pgstore.Statement, error) {
		st, err := sql.Parse(q)
		if err != nil {
			return nil, err
		}
		if _, err := s.ResultColumns(q, st, tbl); err != nil {
			return nil, err
		}
		return pgstore.Translate(q, st, tbl, 100)
	}
	for _, c := range []struct {
		q, sql string
		args   int
	}{
		{"SELECT id, s FROM quotes WHERE s = 'x''; DROP TABLE quotes; --' ORDER BY id DESC LIMIT 5",
			"SELECT c0 AS o0, c3 AS o1 FROM " + name + " WHERE (c3 = $1::bytea) ORDER BY o0 DESC NULLS LAST LIMIT 5", 1},
		{"SELECT g, COUNT(*) AS n, SUM(g), AVG(f), MIN(oi) FROM quotes q WHERE q.id BETWEEN 1 AND 9 GROUP BY 1 HAVING COUNT(*) > 2 ORDER BY n",
			"SELECT c1 AS o0, count(*) AS o1, sum(c1)::bigint AS o2, avg(c2)::float8 AS o3, decode(min(encode(c8, 'hex') COLLATE \"C\"), 'hex') AS o4 FROM " + name +
				" WHERE (c0 BETWEEN $1::bigint AND $2::bigint) GROUP BY 1 HAVING (count(*) > $3::bigint) ORDER BY o1 ASC NULLS FIRST LIMIT 101", 3},
		{"SELECT DISTINCT id / g, id % 3 FROM quotes WHERE g IS NOT NULL AND NOT (f < 2.5 OR s IN ('a', 'b'))",
			"SELECT DISTINCT (c0 / NULLIF(c1, 0)) AS o0, (c0 % NULLIF($1::bigint, 0)) AS o1 FROM " + name +
				" WHERE ((c1 IS NOT NULL) AND (NOT ((c2 < $2::float8) OR (c3 IN ($3::bytea, $4::bytea))))) LIMIT 101", 4},
	} {
		st, err := translate(c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		if st.SQL != c.sql || len(st.Args) != c.args {
			t.Errorf("%s\n got %s (%d args)\nwant %s (%d args)", c.q, st.SQL, len(st.Args), c.sql, c.args)
		}
	}
	for _, c := range []struct{ q, want string }{
		{"SELECT * FROM other", "may read only dataset"},
		{"SELECT * FROM quotes, quotes AS q2", "over the dataset's table alone"},
		{"SELECT id FROM quotes UNION SELECT g FROM quotes", "compound SELECTs"},
		{"SELECT lower(s) FROM quotes", "the function lower is not run"},
		{"SELECT id FROM quotes WHERE id IN (SELECT g FROM quotes)", "IN (SELECT …) is not run"},
		{"SELECT id FROM quotes WHERE s LIKE 'a%'", "LIKE is not run"},
		{"SELECT CASE WHEN g > 1 THEN 1 ELSE 2.5 END FROM quotes", "CASE over values of different types is not run"},
		{"SELECT coalesce(g, f) FROM quotes", "coalesce over values of different types is not run"},
	} {
		_, err := translate(c.q)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.q, err, c.want)
		}
	}
}

// TestTranslateRefusesORE: PostgreSQL cannot compare a left with a right
// ciphertext, so a comparison on an ore column is refused before anything
// reaches the database; selecting the column is fine.
func TestTranslateRefusesORE(t *testing.T) {
	s, err := query.Open("db", query.Options{FS: vfs.NewMem(), CacheBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := dataset.Schema{
		Columns:    []dataset.Column{{Name: "id", Type: dataset.TypeInt64}, {Name: "v", Type: dataset.TypeInt64, Encryption: dataset.EncOrderRevealing}},
		PrimaryKey: []string{"id"},
	}
	path := dataset.Path{Provider: common.HexToAddress("0x1"), Name: "r"}
	tbl, err := s.CreateDataset(path, sc)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c, err := colcrypt.New(keys, path.ID())
	if err != nil {
		t.Fatal(err)
	}
	translate := func(q string) error {
		if q, err = query.EncryptQuery(q, &sc, c); err != nil {
			return err
		}
		st, err := sql.Parse(q)
		if err != nil {
			return err
		}
		if _, err := s.ResultColumns(q, st, tbl); err != nil {
			return err
		}
		_, err = pgstore.Translate(q, st, tbl, 100)
		return err
	}
	if err := translate("SELECT id, v FROM r WHERE id > 3"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT id FROM r WHERE v < 5", "SELECT id FROM r WHERE 5 = v", "SELECT id FROM r WHERE v BETWEEN 1 AND 2", "SELECT id FROM r WHERE v IN (1, 2)"} {
		if err := translate(q); err == nil || !strings.Contains(err.Error(), "order-revealing (ore) column") {
			t.Errorf("%s: %v, want a refusal", q, err)
		}
	}
}

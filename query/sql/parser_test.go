package sql

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
)

func TestParseRoundTrip(t *testing.T) {
	queries := []string{
		"SELECT * FROM prices",
		"EXPLAIN SELECT day, close FROM prices WHERE asset = 'BTC' AND close BETWEEN 10 AND 20.5",
		`SELECT asset, COUNT(*) AS n, AVG(close) FROM "0x00000000000000000000000000000000000000aa/prices" GROUP BY asset ORDER BY n DESC, asset LIMIT 10 OFFSET 5`,
		"SELECT a FROM t WHERE NOT (a IN (1, -2, 3) OR b IS NOT NULL) AND c NOT BETWEEN X'00ff' AND X'' AND d <> TRUE",
		"SELECT a FROM t WHERE t >= TIMESTAMP '2026-01-02T03:04:05.123456Z' AND f < 1e999 AND g > -1e999 AND h = 'it''s'",
		"SELECT MIN(a), MAX(b), SUM(c) FROM t WHERE a NOT IN (NULL, FALSE) -- trailing comment",
		"SELECT * FROM crypto-daily.v2 WHERE a = 1",
		"SELECT * FROM 0x00000000000000000000000000000000000000aa/prices",
		"SELECT DISTINCT a + b * 2 AS x, -a, - (5), ~b, abs(a - -3), t.* FROM t AS t1, u, crypto-daily.v2 x WHERE a / 2 % 3 = 1 || 'x'",
		"SELECT CASE WHEN a < b THEN 1 WHEN a = b THEN NULL ELSE 'x' END, CASE a WHEN 1 THEN 2 END, CAST(a AS INTEGER), CAST(b AS VARCHAR(10)) FROM t",
		"SELECT a FROM t WHERE a IN (SELECT b FROM u WHERE u.c = t.a) AND EXISTS (SELECT 1 FROM u) AND NOT EXISTS (SELECT * FROM v) AND (SELECT MAX(b) FROM u) > 2",
		"SELECT a FROM t JOIN u ON t.a = u.a LEFT OUTER JOIN v USING (b, c) CROSS JOIN w, (SELECT 1 AS one) AS d",
		"SELECT a FROM t UNION SELECT b FROM u UNION ALL SELECT c FROM v EXCEPT SELECT 1 INTERSECT SELECT 2 ORDER BY 1 DESC LIMIT 2, 3",
		"SELECT COUNT(DISTINCT a), SUM(a + 1), group_concat(b, ','), total(c) FROM t GROUP BY a % 2, b HAVING COUNT(*) > 1",
		"SELECT 1, 2.5, 'x', NULL, x'00' WHERE NOT NULL IS NULL AND a IS NOT b AND a IS DISTINCT FROM b AND c ISNULL AND d NOTNULL AND e NOT NULL",
		"SELECT a FROM t WHERE a NOT LIKE 'x%' ESCAPE '!' AND b LIKE '_' AND a << 2 >= 1 | 2 & 3 LIMIT -1 OFFSET 4",
		"SELECT -9223372036854775808, TIMESTAMP '2026-01-02T03:04:05.123456789Z' FROM t",
		"SELECT a FROM t NOT INDEXED, u AS x INDEXED BY ix WHERE a IN u AND b NOT IN v",
		"SELECT a FROM t JOIN (u LEFT JOIN v ON u.a = v.a) ON t.a = u.a, (w CROSS JOIN (x, y))",
	}
	for _, q := range queries {
		st, err := Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		again, err := Parse(st.String())
		if err != nil {
			t.Fatalf("Parse(String()) of %q = %q: %v", q, st.String(), err)
		}
		if again.String() != st.String() {
			t.Fatalf("round trip changed the query:\n%s\n%s", st.String(), again.String())
		}
	}
}

func TestParseStructure(t *testing.T) {
	st, err := Parse("select a, count(*) from t where a = 1 or b = 2 and c = 3 group by a order by a desc limit 3")
	if err != nil {
		t.Fatal(err)
	}
	core := st.Query.Cores[0]
	or, ok := core.Where.(*Or)
	if !ok {
		t.Fatalf("AND must bind tighter than OR: %s", core.Where)
	}
	if _, ok := or.R.(*And); !ok {
		t.Fatalf("right of OR is %T", or.R)
	}
	if len(core.GroupBy) != 1 || !st.Query.OrderBy[0].Desc || *st.Query.Limit != 3 || st.From != "t" {
		t.Fatalf("parsed %+v", st)
	}
	if got := core.Items[1].Name(); got != "count(*)" {
		t.Fatalf("item name %q, want the text as written", got)
	}
	q := "select a, count(*) from t where a = 1"
	at := strings.Index(q, "a = 1")
	want := &Compare{Op: Equal, L: &ColumnRef{Name: "a", Offset: at}, R: &Literal{Value: dataset.Int64(1), Offset: at + 4}}
	if !reflect.DeepEqual(or.L, want) {
		t.Fatalf("left of OR: %#v", or.L)
	}
}

func TestParseErrorsPointAtTheProblem(t *testing.T) {
	cases := []struct {
		q        string
		line, co int
		contains string
	}{
		{"SELECT a FORM t", 1, 15, `"FORM" was read as the name`},
		{"SELECT a FROM t WHERE a = ", 1, 27, "expected a column or a value"},
		{"SELECT a FROM t\nWHERE a @ 1", 2, 9, "unexpected character"},
		{"SELECT a FROM t WHERE s = 'open", 1, 27, "unterminated"},
		{"SELECT a FROM t LIMIT x", 1, 23, "needs an integer"},
		{"SELECT a FROM t WHERE a = 99999999999999999999", 1, 27, "out of the int64 range"},
		{"SELECT a FROM t WHERE x = X'abc'", 1, 27, "even number of hex digits"},
		{"SELECT a FROM t WHERE CASE a END", 1, 30, "at least one WHEN"},
		{"SELECT a FROM (t JOIN u) AS x", 1, 26, "cannot be renamed"},
		{"SELECT a FROM (t AS y) AS x", 1, 24, "cannot be renamed"},
		{"SELECT a FROM (t JOIN u", 1, 24, `expected ")"`},
		{"SELECT a FROM t extra more", 1, 23, "unexpected"},
		{"SELECT a FROM t WHERE t = TIMESTAMP 'yesterday'", 1, 37, "RFC 3339"},
		{"SELECT SUM(*) FROM t", 1, 12, "only COUNT"},
	}
	for _, c := range cases {
		_, err := Parse(c.q)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: got %v, want *Error", c.q, err)
			continue
		}
		if pe.Line != c.line || pe.Column != c.co || !strings.Contains(pe.Msg, c.contains) {
			t.Errorf("%q: got %v (line %d col %d), want line %d col %d containing %q", c.q, pe, pe.Line, pe.Column, c.line, c.co, c.contains)
		}
	}
}

func TestParseLimits(t *testing.T) {
	deep := "SELECT a FROM t WHERE " + strings.Repeat("(", MaxDepth+5) + "a = 1" + strings.Repeat(")", MaxDepth+5)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nested") {
		t.Fatalf("deep nesting: %v", err)
	}
	long := "SELECT a FROM t WHERE a IN (" + strings.Repeat("1,", MaxInList) + "1)"
	if _, err := Parse(long); err == nil || !strings.Contains(err.Error(), "IN list") {
		t.Fatalf("long IN list: %v", err)
	}
	if _, err := Parse(strings.Repeat(" ", MaxQueryLength+1)); err == nil {
		t.Fatal("oversized query accepted")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM t",
		"EXPLAIN SELECT a, COUNT(*) FROM \"x/y\" WHERE a IN (1,2) AND b BETWEEN 1.5 AND 2e3 OR NOT c IS NULL GROUP BY a ORDER BY a DESC LIMIT 1 OFFSET 2",
		"SELECT a FROM t WHERE s = 'it''s' AND b = X'00' AND t < TIMESTAMP '2026-01-02T00:00:00Z'",
		"SELECT a FROM t WHERE ((a = -1))",
		"SELECT * FROM (t AS a CROSS JOIN u) JOIN (v LEFT JOIN w ON v.x = w.x) ON 1, ((x) y)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		st, err := Parse(q)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a positioned *Error", err)
			}
			if pe.Offset < 0 || pe.Offset > len(q) {
				t.Fatalf("error offset %d outside the query", pe.Offset)
			}
			return
		}
		// What parses has a shape, and each of its literal tokens
		// reads as a literal, alone or with the token before it (a
		// minus before the int64 minimum).
		_, lits, err := Shape(q, nil, nil)
		if err != nil {
			t.Fatalf("Shape refused what Parse read: %v", err)
		}
		for _, l := range lits {
			if l.Before < -1 || l.Before >= l.Pos || l.Pos >= l.End || l.End > len(q) {
				t.Fatalf("literal token at %+v outside the query of %d bytes", l, len(q))
			}
			if _, err := ParseLiteral(q[l.Pos:l.End]); err != nil {
				if _, err2 := ParseLiteral(q[l.Before:l.End]); l.Before < 0 || err2 != nil {
					t.Fatalf("literal token %q does not read as a literal: %v", q[l.Pos:l.End], err)
				}
			}
		}
		// What parses must print to text that parses to the same text.
		again, err := Parse(st.String())
		if err != nil {
			t.Fatalf("String() of a parsed query does not parse: %q: %v", st.String(), err)
		}
		if again.String() != st.String() {
			t.Fatalf("round trip changed %q to %q", st.String(), again.String())
		}
	})
}

func TestParsePrecedenceFollowsSQLite(t *testing.T) {
	cases := map[string]string{
		"SELECT NOT NULL IS NULL":         "SELECT (NOT (NULL IS NULL))",
		"SELECT 1 + 2 * 3 - 4":            "SELECT ((1 + (2 * 3)) - 4)",
		"SELECT a < b = c":                "SELECT ((a < b) = c)",
		"SELECT a BETWEEN 1 AND 2 AND b":  "SELECT ((a BETWEEN 1 AND 2) AND b)",
		"SELECT - a * b":                  "SELECT ((- a) * b)",
		"SELECT 'a' || 'b' * 2":           "SELECT (('a' || 'b') * 2)",
		"SELECT a & b + 1":                "SELECT (a & (b + 1))",
		"SELECT NOT a = b AND c":          "SELECT ((NOT (a = b)) AND c)",
		"SELECT a IN (1) = b":             "SELECT ((a IN (1)) = b)",
		"SELECT -5 IS NULL":               "SELECT (-5 IS NULL)",
		"SELECT a FROM t ORDER BY 1 DESC": "SELECT a FROM t ORDER BY 1 DESC",
		// Parentheses in FROM group a join on the right; on the left (or
		// around one table) they change nothing.
		"SELECT * FROM (t CROSS JOIN u)":                         "SELECT * FROM t CROSS JOIN u",
		"SELECT * FROM (t AS a JOIN u ON a.x = u.x) JOIN v ON 1": "SELECT * FROM t AS a JOIN u ON (a.x = u.x) JOIN v ON 1",
		"SELECT * FROM t JOIN (u JOIN v ON 1) ON 2":              "SELECT * FROM t JOIN (u JOIN v ON 1) ON 2",
		"SELECT * FROM ((t)) AS a, (u b)":                        "SELECT * FROM t AS a, u AS b",
	}
	for in, want := range cases {
		st, err := Parse(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := st.String(); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestParseFromNamesTheDataset(t *testing.T) {
	cases := map[string]string{
		"SELECT a FROM t": "t",
		"SELECT a FROM t AS x, t AS y WHERE x.a IN (SELECT a FROM t)": "t",
		"SELECT a FROM t, u":                           "",
		"SELECT a FROM t WHERE a IN (SELECT a FROM u)": "",
		"SELECT 1": "",
		"SELECT a FROM t, 0x00000000000000000000000000000000000000aa/prices": "",
		"SELECT a FROM (SELECT a FROM t) AS d":                               "t",
	}
	for q, want := range cases {
		st, err := Parse(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if st.From != want {
			t.Errorf("%s: From = %q, want %q", q, st.From, want)
		}
	}
}

func TestTimestampLiteralKeepsNanoseconds(t *testing.T) {
	for in, want := range map[string][2]int64{
		"TIMESTAMP '1970-01-01T00:00:00.0000015Z'": {1, 500},
		"TIMESTAMP '1969-12-31T23:59:59.9999995Z'": {-1, 500},
		"TIMESTAMP '1970-01-01T00:00:00.000002Z'":  {2, 0},
	} {
		st, err := Parse("SELECT " + in)
		if err != nil {
			t.Fatal(err)
		}
		lit := st.Query.Cores[0].Items[0].Expr.(*Literal)
		if lit.Value.Int != want[0] || int64(lit.SubMicros) != want[1] {
			t.Errorf("%s: %d µs + %d ns, want %d µs + %d ns", in, lit.Value.Int, lit.SubMicros, want[0], want[1])
		}
		again, err := Parse(st.String())
		if err != nil || again.String() != st.String() {
			t.Errorf("%s: round trip %q: %v", in, st.String(), err)
		}
	}
}

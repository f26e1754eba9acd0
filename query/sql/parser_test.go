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
	or, ok := st.Where.(*Or)
	if !ok {
		t.Fatalf("AND must bind tighter than OR: %s", st.Where)
	}
	if _, ok := or.R.(*And); !ok {
		t.Fatalf("right of OR is %T", or.R)
	}
	if len(st.GroupBy) != 1 || !st.OrderBy[0].Desc || *st.Limit != 3 || st.From != "t" {
		t.Fatalf("parsed %+v", st)
	}
	if got := st.Items[1].Name(); got != "COUNT(*)" {
		t.Fatalf("item name %q", got)
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
		{"SELECT a FORM t", 1, 10, "expected FROM"},
		{"SELECT a FROM t WHERE a = ", 1, 27, "expected a column or a value"},
		{"SELECT a FROM t\nWHERE a @ 1", 2, 9, "unexpected character"},
		{"SELECT a FROM t WHERE s = 'open", 1, 27, "unterminated"},
		{"SELECT FOO(a) FROM t", 1, 8, "unknown function"},
		{"SELECT a FROM t LIMIT -1", 1, 23, "non-negative integer"},
		{"SELECT a FROM t WHERE a = 99999999999999999999", 1, 27, "out of the int64 range"},
		{"SELECT a FROM t WHERE x = X'abc'", 1, 27, "even number of hex digits"},
		{"SELECT a FROM t WHERE a", 1, 24, "expected a comparison"},
		{"SELECT a FROM t extra", 1, 17, "unexpected"},
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

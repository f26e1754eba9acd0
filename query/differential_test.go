package query

import (
	"context"
	"crypto/rand"
	dbsql "database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/sql"
)

// The differential test: random tables (column types, nullability,
// indexes and, in the encrypted run, each column's encryption drawn per
// seed) and random queries over them — expressions, functions, CASE,
// aggregates, GROUP BY/HAVING, DISTINCT, joins, subqueries, compound
// SELECTs, ORDER BY/LIMIT — run in the engine and in SQLite, row for row.
// In the encrypted run the same rows are also stored with encrypted
// columns; each query is rewritten by the client (a QueryEncrypter, kept
// across the queries and checked against EncryptQuery), answered on
// ciphertext and decrypted, and must give the plaintext answer. A third
// run is the encrypted one with t1's column 2 int64 and column 4 float64
// under order-revealing encryption (ORE: compared only with constants,
// never ordered, grouped or joined), the generator keeping to what ORE
// allows; the float64 one also holds and is compared with values at the
// edges of its 64-bit image (oreFloatEdges). A
// query the engine refuses is counted, not compared; the test fails if
// too many are refused, so it cannot pass by refusing.
//
// ENIGMA_DIFF_QUERIES=n runs n queries per seed and run instead of the CI
// size; ENIGMA_DIFF_SEEDS=n draws n table sets instead of 20.

const (
	diffSeeds      = 20
	diffQueriesCI  = 250 // per seed and run (plaintext, encrypted, ORE): 20×3×250 = 15,000
	diffTableRows  = 60
	diffMaxRefused = 0.25
)

type diffType int

const (
	dInt diffType = iota
	dFloat
	dText
)

type diffCol struct {
	name     string
	typ      diffType
	nullable bool
	enc      dataset.Encryption
}

type diffTable struct {
	name string
	cols []diffCol // cols[0] is the primary key
	rows []dataset.Row
}

type diffGen struct {
	r      *randsrc.Rand
	tables []*diffTable
	enc    bool // queries read t1 only and obey the rules of encrypted columns
	ore    bool // with enc: t1's columns 2 (int64) and 4 (float64) have order-revealing encryption
}

var diffStrings = []string{"", "a", "ab", "B", "b", "ba", "z", "é"}

func (g *diffGen) table(name string, colNames []string, encrypt bool) *diffTable {
	r := g.r
	t := &diffTable{name: name}
	for i, n := range colNames {
		c := diffCol{name: n, typ: diffType(r.IntN(3)), nullable: i > 0 && r.IntN(2) == 0}
		if i == 0 {
			c.typ = dInt
		}
		if encrypt && r.IntN(3) != 0 {
			switch {
			case c.typ == dText || r.IntN(3) == 0:
				c.enc = dataset.EncDeterministic
			default:
				c.enc = dataset.EncOrderPreserving
			}
		}
		if encrypt && g.ore && (i == 2 || i == 4) { // not indexed (see schema)
			c.typ, c.enc = map[int]diffType{2: dInt, 4: dFloat}[i], dataset.EncOrderRevealing
		}
		t.cols = append(t.cols, c)
	}
	for k := range diffTableRows {
		row := dataset.Row{dataset.Int64(int64(k*3 - 40))}
		for _, c := range t.cols[1:] {
			row = append(row, g.value(c))
		}
		t.rows = append(t.rows, row)
	}
	return t
}

func (g *diffGen) value(c diffCol) dataset.Value {
	r := g.r
	if c.nullable && r.IntN(5) == 0 {
		return dataset.Null
	}
	switch c.typ {
	case dInt:
		return dataset.Int64(int64(r.IntN(13) - 6))
	case dFloat:
		if c.enc == dataset.EncOrderRevealing && r.IntN(6) == 0 {
			return dataset.Float64(oreFloatEdges[r.IntN(len(oreFloatEdges))])
		}
		return dataset.Float64(float64(r.IntN(25)-12) / 4)
	}
	return dataset.String(diffStrings[r.IntN(len(diffStrings))])
}

// oreFloatEdges are float64s whose order-revealing images differ in every
// block position from the small quarters the tables hold, or sit where an
// integer constant stops being exact: ±0, subnormals, 2^53's neighbours,
// the normal range's ends, ±Inf. (Not NaN: SQLite has none.)
var oreFloatEdges = []float64{
	math.Copysign(0, -1), 5e-324, -5e-324, 1e-310, 0x1p53, 0x1p53 + 2, -0x1p53,
	1e300, -1e300, math.MaxFloat64, math.Inf(1), math.Inf(-1), 0.1, -0.1,
}

// oreFloatLiterals are constants compared with the float64 ORE column:
// oreFloatEdges' values and integers beyond 2^53 that no float64 equals.
var oreFloatLiterals = []string{
	"-0.0", "0.0", "5e-324", "-5e-324", "1e-310", "9007199254740992", "9007199254740993",
	"-9007199254740993", "9007199254740994", "1e300", "-1e300", "1e400", "-1e400", "0.1", "-0.1",
}

func (t *diffTable) schema() dataset.Schema {
	var s dataset.Schema
	for _, c := range t.cols {
		typ := map[diffType]dataset.ColumnType{dInt: dataset.TypeInt64, dFloat: dataset.TypeFloat64, dText: dataset.TypeString}[c.typ]
		s.Columns = append(s.Columns, dataset.Column{Name: c.name, Type: typ, Nullable: c.nullable, Encryption: c.enc})
	}
	s.PrimaryKey = []string{t.cols[0].name}
	for i, c := range t.cols[1:] {
		if i%2 == 0 {
			s.Indexes = append(s.Indexes, dataset.Index{Name: "i" + c.name, Columns: []string{c.name}})
		}
	}
	return s
}

func (t *diffTable) sqliteDDL() string {
	var cols []string
	for i, c := range t.cols {
		d := c.name + " " + []string{"INTEGER", "REAL", "TEXT"}[c.typ]
		if i == 0 {
			d += " PRIMARY KEY"
		}
		cols = append(cols, d)
	}
	return "CREATE TABLE " + t.name + " (" + strings.Join(cols, ", ") + ")"
}

// diffScope is the tables a query block reads: alias → table.
type diffScope struct {
	names  []string
	tables []*diffTable
	join   string // a condition the FROM needs in WHERE (from3's comma join)
}

func (s diffScope) pick(g *diffGen) (string, diffCol) {
	i := g.r.IntN(len(s.names))
	t := s.tables[i]
	c := t.cols[g.r.IntN(len(t.cols))]
	name := c.name
	if len(s.names) > 1 || g.r.IntN(4) == 0 {
		name = s.names[i] + "." + c.name
	}
	return name, c
}

func (g *diffGen) literal(t diffType) string {
	r := g.r
	if r.IntN(12) == 0 {
		return "NULL"
	}
	switch t {
	case dInt:
		return fmt.Sprint(r.IntN(15) - 7)
	case dFloat:
		if r.IntN(3) == 0 {
			return fmt.Sprint(r.IntN(15) - 7)
		}
		return sql.FormatLiteral(dataset.Float64(float64(r.IntN(29)-14) / 4))
	}
	return sql.FormatLiteral(dataset.String(diffStrings[r.IntN(len(diffStrings))]))
}

// plainCol picks a column that is not encrypted, of type t if t >= 0.
func (g *diffGen) plainCol(s diffScope, t diffType) (string, bool) {
	for range 8 {
		name, c := s.pick(g)
		if c.enc == dataset.EncNone && (t < 0 || c.typ == t || (t == dFloat && c.typ == dInt)) {
			return name, true
		}
	}
	return "", false
}

// scalar is an expression of type t over s's plaintext columns.
func (g *diffGen) scalar(s diffScope, t diffType, depth int) string {
	r := g.r
	if depth <= 0 || r.IntN(3) == 0 {
		if r.IntN(3) != 0 {
			if name, ok := g.plainCol(s, t); ok {
				return name
			}
		}
		return g.literal(t)
	}
	switch t {
	case dInt, dFloat:
		switch r.IntN(7) {
		case 0, 1:
			ops := []string{"+", "-", "*", "/"}
			if t == dInt {
				ops = append(ops, "%")
			}
			return "(" + g.scalar(s, t, depth-1) + " " + ops[r.IntN(len(ops))] + " " + g.scalar(s, t, depth-1) + ")"
		case 2:
			return "-(" + g.scalar(s, t, depth-1) + ")"
		case 3:
			return "abs(" + g.scalar(s, t, depth-1) + ")"
		case 4:
			return "coalesce(" + g.scalar(s, t, depth-1) + ", " + g.literal(t) + ")"
		case 5:
			if t == dInt && r.IntN(2) == 0 {
				return "length(" + g.scalar(s, dText, depth-1) + ")"
			}
			return "nullif(" + g.scalar(s, t, depth-1) + ", " + g.literal(t) + ")"
		}
	default:
		switch r.IntN(5) {
		case 0:
			return g.scalar(s, dText, depth-1) + " || " + g.scalar(s, dText, depth-1)
		case 1:
			return []string{"lower", "upper", "trim"}[r.IntN(3)] + "(" + g.scalar(s, dText, depth-1) + ")"
		case 2:
			return fmt.Sprintf("substr(%s, %d, %d)", g.scalar(s, dText, depth-1), r.IntN(4)-1, r.IntN(3))
		case 3:
			return "coalesce(" + g.scalar(s, dText, depth-1) + ", " + g.literal(dText) + ")"
		}
	}
	return "CASE WHEN " + g.cond(s, depth-1) + " THEN " + g.scalar(s, t, depth-1) + " ELSE " + g.scalar(s, t, depth-1) + " END"
}

// encCond is a condition on an encrypted column, as its encryption allows.
func (g *diffGen) encCond(name string, c diffCol) string {
	r := g.r
	lit := func() string {
		if c.enc == dataset.EncOrderRevealing && c.typ == dFloat && r.IntN(4) == 0 {
			return oreFloatLiterals[r.IntN(len(oreFloatLiterals))]
		}
		l := g.literal(c.typ)
		for l == "NULL" {
			l = g.literal(c.typ)
		}
		return l
	}
	ops := []string{"=", "!="}
	if c.enc == dataset.EncOrderPreserving || c.enc == dataset.EncOrderRevealing {
		ops = append(ops, "<", "<=", ">", ">=")
	}
	switch r.IntN(5) {
	case 0:
		items := []string{lit()}
		for range r.IntN(3) {
			items = append(items, lit())
		}
		not := []string{"", "NOT "}[r.IntN(2)]
		return fmt.Sprintf("%s %sIN (%s)", name, not, strings.Join(items, ", "))
	case 1:
		return name + []string{" IS NULL", " IS NOT NULL"}[r.IntN(2)]
	case 2:
		if c.enc == dataset.EncOrderPreserving || c.enc == dataset.EncOrderRevealing {
			return fmt.Sprintf("%s BETWEEN %s AND %s", name, lit(), lit())
		}
	}
	op := ops[r.IntN(len(ops))]
	if r.IntN(4) == 0 {
		return lit() + " " + op + " " + name
	}
	return name + " " + op + " " + lit()
}

func (g *diffGen) cond(s diffScope, depth int) string {
	r := g.r
	if depth > 0 && r.IntN(3) == 0 {
		switch r.IntN(3) {
		case 0:
			return "(" + g.cond(s, depth-1) + " AND " + g.cond(s, depth-1) + ")"
		case 1:
			return "(" + g.cond(s, depth-1) + " OR " + g.cond(s, depth-1) + ")"
		default:
			return "NOT (" + g.cond(s, depth-1) + ")"
		}
	}
	name, c := s.pick(g)
	if c.enc != dataset.EncNone {
		return g.encCond(name, c)
	}
	t := c.typ
	x := name
	if r.IntN(3) == 0 {
		x = g.scalar(s, t, 1)
	}
	switch r.IntN(8) {
	case 0:
		var items []string
		for range 1 + r.IntN(3) {
			items = append(items, g.literal(t))
		}
		return fmt.Sprintf("%s %sIN (%s)", x, []string{"", "NOT "}[r.IntN(2)], strings.Join(items, ", "))
	case 1:
		return fmt.Sprintf("%s %sBETWEEN %s AND %s", x, []string{"", "NOT "}[r.IntN(2)], g.literal(t), g.literal(t))
	case 2:
		return x + []string{" IS NULL", " IS NOT NULL"}[r.IntN(2)]
	case 3:
		if depth > 0 && !g.enc || depth > 0 && r.IntN(2) == 0 {
			return g.subqueryCond(s, x, t)
		}
	case 4:
		if t == dText {
			return fmt.Sprintf("%s LIKE '%s'", x, []string{"a%", "%b", "_", "%", "b_"}[r.IntN(5)])
		}
	}
	op := []string{"=", "!=", "<", "<=", ">", ">="}[r.IntN(6)]
	return x + " " + op + " " + g.scalar(s, t, 1)
}

// subqueryCond is x IN (SELECT …), EXISTS (SELECT …) or a comparison with
// a scalar subquery, sometimes correlated with the outer block.
func (g *diffGen) subqueryCond(outer diffScope, x string, t diffType) string {
	r := g.r
	tbl := g.tables[r.IntN(len(g.tables))]
	if g.enc {
		tbl = g.tables[0]
	}
	inner := diffScope{names: []string{"s"}, tables: []*diffTable{tbl}}
	col, ok := g.plainCol(inner, t)
	if !ok {
		return x + " IS NOT NULL"
	}
	where := ""
	if r.IntN(2) == 0 {
		// Correlated: the inner condition may name outer columns.
		both := diffScope{names: append(slices.Clone(outer.names), "s"), tables: append(slices.Clone(outer.tables), tbl)}
		where = " WHERE " + g.cond(both, 0)
	} else if r.IntN(2) == 0 {
		where = " WHERE " + g.cond(inner, 0)
	}
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s %sIN (SELECT %s FROM %s AS s%s)", x, []string{"", "NOT "}[r.IntN(2)], col, tbl.name, where)
	case 1:
		return fmt.Sprintf("%sEXISTS (SELECT 1 FROM %s AS s%s)", []string{"", "NOT "}[r.IntN(2)], tbl.name, where)
	}
	agg := []string{"MIN", "MAX", "COUNT"}[r.IntN(3)]
	if agg == "COUNT" && t == dText {
		agg = "MIN"
	}
	return fmt.Sprintf("%s %s (SELECT %s(%s) FROM %s AS s%s)", x, []string{"=", "<", ">="}[r.IntN(3)], agg, col, tbl.name, where)
}

// from returns the FROM clause and its diffScope.
func (g *diffGen) from() (string, diffScope) {
	r := g.r
	t1 := g.tables[0]
	if r.IntN(4) != 0 {
		if r.IntN(2) == 0 {
			return t1.name, diffScope{names: []string{t1.name}, tables: []*diffTable{t1}}
		}
		return t1.name + " AS a", diffScope{names: []string{"a"}, tables: []*diffTable{t1}}
	}
	t2 := g.tables[len(g.tables)-1]
	if g.enc {
		t2 = t1 // a self-join: the client rewrites queries of one dataset
	}
	if r.IntN(5) == 0 {
		return g.from3(t1, t2)
	}
	s := diffScope{names: []string{"a", "b"}, tables: []*diffTable{t1, t2}}
	on := g.joinOn("a", t1, "b", t2)
	if on == "" {
		return fmt.Sprintf("%s AS a CROSS JOIN %s AS b", t1.name, t2.name), s
	}
	kind := []string{"JOIN", "LEFT JOIN", "INNER JOIN"}[r.IntN(3)]
	return fmt.Sprintf("%s AS a %s %s AS b ON %s", t1.name, kind, t2.name, on), s
}

// joinOn is an equality of one column of each side, of one type and
// plaintext (or the same deterministic column); "" if none was found.
func (g *diffGen) joinOn(ln string, lt *diffTable, rn string, rt *diffTable) string {
	r := g.r
	for range 8 {
		c1 := lt.cols[r.IntN(len(lt.cols))]
		c2 := rt.cols[r.IntN(len(rt.cols))]
		if g.enc {
			c2 = c1
		}
		if c1.typ == c2.typ && (c1.enc == dataset.EncNone && c2.enc == dataset.EncNone || c1.name == c2.name && c1.enc == dataset.EncDeterministic) {
			return ln + "." + c1.name + " = " + rn + "." + c2.name
		}
	}
	return ""
}

// from3 joins three tables with parentheses: (a ⋈ b) ⋈ c, a ⋈ (b ⋈ c)
// (inner outside, any kind inside) or one parenthesised cross join.
func (g *diffGen) from3(t1, t2 *diffTable) (string, diffScope) {
	r := g.r
	s := diffScope{names: []string{"a", "b", "c"}, tables: []*diffTable{t1, t2, t1}}
	join := func(kinds []string, left, right, on string) string {
		if on == "" {
			return left + " CROSS JOIN " + right
		}
		return left + " " + kinds[r.IntN(len(kinds))] + " " + right + " ON " + on
	}
	all := []string{"JOIN", "LEFT JOIN", "INNER JOIN", "CROSS JOIN"}
	inner := []string{"JOIN", "INNER JOIN", "CROSS JOIN"}
	a, b, c := t1.name+" AS a", t2.name+" AS b", t1.name+" AS c"
	// Two equality joins, so the result stays small (three tables of 60
	// rows crossed would be 216,000).
	shape := r.IntN(4)
	ab, bc, ac := g.joinOn("a", t1, "b", t2), g.joinOn("b", t2, "c", t1), g.joinOn("a", t1, "c", t1)
	switch {
	case shape == 0 && ab != "" && bc != "":
		return join(all, "("+join(all, a, b, ab)+")", c, bc), s
	case shape == 1 && bc != "" && ac != "":
		return join(inner, a, "("+join(all, b, c, bc)+")", ac), s
	case shape == 2 && bc != "" && ac != "":
		s.join = "(" + ac + ")"
		return a + ", (" + join(all, b, c, bc) + ")", s
	}
	s = diffScope{names: []string{"a", "b"}, tables: []*diffTable{t1, t2}}
	return "(" + a + " CROSS JOIN " + b + ")", s
}

// query returns a query and whether its row order is determined.
func (g *diffGen) query() (string, bool) {
	r := g.r
	if r.IntN(10) == 0 {
		// A compound SELECT of single-table blocks of the same shape.
		t := g.tables[0]
		s := diffScope{names: []string{t.name}, tables: []*diffTable{t}}
		c := t.cols[r.IntN(len(t.cols))]
		op := []string{"UNION", "UNION ALL", "EXCEPT", "INTERSECT"}[r.IntN(4)]
		if c.enc == dataset.EncOrderRevealing {
			op = "UNION ALL" // the others compare cells with each other
		}
		q := fmt.Sprintf("SELECT %s FROM %s WHERE %s %s SELECT %s FROM %s WHERE %s", c.name, t.name, g.cond(s, 1), op, c.name, t.name, g.cond(s, 1))
		if c.enc != dataset.EncDeterministic && c.enc != dataset.EncOrderRevealing && r.IntN(2) == 0 {
			return q + " ORDER BY 1", true
		}
		return q, false
	}
	from, s := g.from()
	where := ""
	if r.IntN(5) != 0 {
		where = " WHERE " + g.cond(s, 2)
	}
	if s.join != "" { // the join condition of a comma join
		if where == "" {
			where = " WHERE " + s.join
		} else {
			where = " WHERE (" + where[len(" WHERE "):] + ") AND " + s.join
		}
	}
	if r.IntN(3) == 0 {
		return g.grouped(from, s, where)
	}
	var items []string
	for range 1 + r.IntN(4) {
		if r.IntN(2) == 0 {
			name, _ := s.pick(g)
			items = append(items, name)
		} else {
			items = append(items, g.scalar(s, diffType(r.IntN(3)), 2))
		}
	}
	distinct := ""
	if r.IntN(5) == 0 && !slices.ContainsFunc(items, g.isORE) {
		distinct = "DISTINCT "
	}
	q := "SELECT " + distinct + strings.Join(items, ", ") + " FROM " + from + where
	if r.IntN(2) == 0 {
		// Order by every output column (so ties are equal rows), by
		// number, or by the expression, or by an orderable column.
		var keys []string
		for i, it := range items {
			if g.enc && !g.orderable(s, it) {
				return q, false
			}
			k := fmt.Sprint(i + 1)
			if isConst := strings.TrimLeft(it, "-")[0] >= '0' && strings.TrimLeft(it, "-")[0] <= '9'; r.IntN(3) == 0 && distinct == "" && !isConst {
				k = it
			}
			keys = append(keys, k+[]string{"", " DESC", " ASC"}[r.IntN(3)])
		}
		q += " ORDER BY " + strings.Join(keys, ", ")
		if r.IntN(2) == 0 {
			q += fmt.Sprintf(" LIMIT %d", r.IntN(12))
			if r.IntN(2) == 0 {
				q += fmt.Sprintf(" OFFSET %d", r.IntN(5))
			}
		}
		return q, true
	}
	return q, false
}

// orderable reports whether an output expression can be ordered on the
// encrypted table: anything but a DET or ORE column.
func (g *diffGen) orderable(s diffScope, item string) bool {
	name := item[strings.LastIndex(item, ".")+1:]
	for _, t := range s.tables {
		for _, c := range t.cols {
			if c.name == name && (c.enc == dataset.EncDeterministic || c.enc == dataset.EncOrderRevealing) {
				return false
			}
		}
	}
	return true
}

// isORE reports whether an output expression is an ORE column of t1,
// which DISTINCT and GROUP BY cannot use.
func (g *diffGen) isORE(item string) bool {
	name := item[strings.LastIndex(item, ".")+1:]
	for _, c := range g.tables[0].cols {
		if c.name == name && c.enc == dataset.EncOrderRevealing {
			return true
		}
	}
	return false
}

func (g *diffGen) grouped(from string, s diffScope, where string) (string, bool) {
	r := g.r
	var groups []string
	for range r.IntN(3) {
		name, _ := s.pick(g)
		if !slices.Contains(groups, name) && !g.isORE(name) {
			groups = append(groups, name)
		}
	}
	items := slices.Clone(groups)
	for range 1 + r.IntN(3) {
		items = append(items, g.aggregate(s))
	}
	q := "SELECT " + strings.Join(items, ", ") + " FROM " + from + where
	if len(groups) > 0 {
		q += " GROUP BY " + strings.Join(groups, ", ")
		if r.IntN(3) == 0 {
			having := []string{"COUNT(*) > 1", "COUNT(*) < 3"}
			if c, ok := g.plainCol(s, dInt); ok {
				having = append(having, "MIN("+c+") > 0", "SUM("+c+") < 2")
			}
			q += " HAVING " + having[r.IntN(len(having))]
		}
	}
	if len(items) > 0 && r.IntN(2) == 0 {
		var keys []string
		for i, it := range items {
			if g.enc && !g.orderable(s, it) {
				return q, false
			}
			keys = append(keys, fmt.Sprint(i+1)+[]string{"", " DESC"}[r.IntN(2)])
		}
		q += " ORDER BY " + strings.Join(keys, ", ")
		if r.IntN(3) == 0 {
			q += fmt.Sprintf(" LIMIT %d", r.IntN(6))
		}
		return q, true
	}
	return q, false
}

func (g *diffGen) aggregate(s diffScope) string {
	r := g.r
	switch r.IntN(8) {
	case 0:
		return "COUNT(*)"
	case 1:
		name, c := s.pick(g)
		distinct := []string{"", "DISTINCT "}[r.IntN(2)]
		if c.enc == dataset.EncOrderRevealing {
			distinct = ""
		}
		return "COUNT(" + distinct + name + ")"
	case 2, 3:
		for range 8 {
			name, c := s.pick(g)
			if c.enc == dataset.EncNone || c.enc == dataset.EncOrderPreserving {
				return []string{"MIN", "MAX"}[r.IntN(2)] + "(" + name + ")"
			}
		}
		return "COUNT(*)"
	}
	fn := []string{"SUM", "AVG", "TOTAL", "SUM"}[r.IntN(4)]
	t := []diffType{dInt, dFloat}[r.IntN(2)]
	arg := g.scalar(s, t, 1)
	if r.IntN(4) == 0 {
		arg = "DISTINCT " + arg
	}
	return fn + "(" + arg + ")"
}

type diffStats struct{ compared, refused, sqliteErr int }

func TestDifferentialSQLite(t *testing.T) {
	queries := diffQueriesCI
	if testing.Short() {
		queries = 40
	}
	if n, err := strconv.Atoi(os.Getenv("ENIGMA_DIFF_QUERIES")); err == nil && n > 0 {
		queries = n
	}
	seeds := diffSeeds
	if n, err := strconv.Atoi(os.Getenv("ENIGMA_DIFF_SEEDS")); err == nil && n > 0 {
		seeds = n
	}
	for _, mode := range []struct{ enc, ore bool }{{false, false}, {true, false}, {true, true}} {
		enc := mode.enc
		var total diffStats
		for seed := range uint64(seeds) {
			st := runDifferential(t, seed, enc, mode.ore, queries)
			total.compared += st.compared
			total.refused += st.refused
			total.sqliteErr += st.sqliteErr
		}
		t.Logf("encrypted=%v ore=%v: %d queries compared with SQLite, %d refused by the engine, %d refused by SQLite", enc, mode.ore, total.compared, total.refused, total.sqliteErr)
		if n := total.compared + total.refused; float64(total.refused) > diffMaxRefused*float64(n) {
			t.Errorf("encrypted=%v: the engine refused %d of %d queries; the generator should make queries it answers", enc, total.refused, n)
		}
	}
}

// diffStore is one store holding the generated tables, as plaintext or
// with their encrypted columns encrypted.
type diffStore struct {
	s       *Store
	schemas map[string]*dataset.Schema
	cipher  *colcrypt.Cipher // nil for plaintext
	// encrypter rewrites the queries of an encrypted store, kept as a
	// client keeps it; run checks it against EncryptQuery.
	encrypter *QueryEncrypter
}

func newDiffStore(t *testing.T, tables []*diffTable, encrypted bool) *diffStore {
	d := &diffStore{s: openMem(t), schemas: map[string]*dataset.Schema{}}
	for _, tbl := range tables {
		schema := tbl.schema()
		if !encrypted {
			for i := range schema.Columns {
				schema.Columns[i].Encryption = dataset.EncNone
			}
		}
		path := dataset.Path{Provider: common.HexToAddress("0xd1"), Name: tbl.name}
		created, err := d.s.CreateDataset(path, schema)
		if err != nil {
			t.Fatal(err)
		}
		rows := tbl.rows
		if encrypted {
			keys, err := colcrypt.GenerateKeys(rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if d.cipher, err = colcrypt.New(keys, path.ID()); err != nil {
				t.Fatal(err)
			}
			rows = nil
			for i, r := range tbl.rows {
				e, err := d.cipher.EncryptRow(&schema, i, r)
				if err != nil {
					t.Fatal(err)
				}
				rows = append(rows, e)
			}
		}
		if _, err := d.s.Ingest(Batch{Dataset: created.ID(), RunID: "diff", Rows: rows}); err != nil {
			t.Fatal(err)
		}
		d.schemas[tbl.name] = &schema
		if encrypted {
			var err error
			if d.encrypter, err = NewQueryEncrypter(&schema, d.cipher); err != nil {
				t.Fatal(err)
			}
		}
	}
	return d
}

// run answers q (its constants encrypted and the answer decrypted for an
// encrypted store, which holds one table) with the planner or a full scan.
func (d *diffStore) run(q string, noIndexes bool) ([][]any, error) {
	var schema *dataset.Schema
	if d.cipher != nil {
		for _, s := range d.schemas {
			schema = s
		}
		want, err := EncryptQuery(q, schema, d.cipher)
		if err != nil {
			return nil, err
		}
		if q, err = d.encrypter.Encrypt(q); err != nil || q != want {
			return nil, fmt.Errorf("the QueryEncrypter wrote %s (error %v) where EncryptQuery wrote %s", q, err, want)
		}
	}
	res, err := d.s.Query(context.Background(), q, QueryOptions{NoIndexes: noIndexes})
	if err != nil {
		return nil, err
	}
	if d.cipher != nil {
		if err := DecryptResult(res, schema, d.cipher); err != nil {
			return nil, err
		}
	}
	return resultCells(res), nil
}

func runDifferential(t *testing.T, seed uint64, enc, ore bool, queries int) diffStats {
	g := &diffGen{r: randsrc.New(seed*2 + map[bool]uint64{false: 0, true: 1}[enc]), enc: enc, ore: ore}
	g.tables = []*diffTable{g.table("t1", []string{"k", "a", "b", "c", "d"}, enc)}
	if !enc {
		g.tables = append(g.tables, g.table("t2", []string{"j", "x", "y", "z"}, false))
	}
	plain := newDiffStore(t, g.tables, false)
	var encrypted *diffStore
	if enc {
		encrypted = newDiffStore(t, g.tables, true)
	}
	db, err := dbsql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, tbl := range g.tables {
		if _, err := db.Exec(tbl.sqliteDDL()); err != nil {
			t.Fatal(err)
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(tbl.cols)), ", ")
		for _, r := range tbl.rows {
			args := make([]any, len(r))
			for i, v := range r {
				args[i] = cell(v)
			}
			if _, err := db.Exec("INSERT INTO "+tbl.name+" VALUES ("+marks+")", args...); err != nil {
				t.Fatal(err)
			}
		}
	}
	var st diffStats
	for range queries {
		q, ordered := g.query()
		ref, err := sqliteRows(db, q)
		if err != nil {
			st.sqliteErr++
			continue
		}
		got, err := plain.run(q, false)
		if err != nil {
			if !errors.Is(err, ErrOverflow) && !strings.Contains(err.Error(), "cannot") && !strings.Contains(err.Error(), "needs") {
				t.Logf("seed %d: refused %s: %v", seed, q, err)
			}
			st.refused++
			continue
		}
		scan, err := plain.run(q, true)
		if err != nil {
			t.Fatalf("seed %d: full scan refused what the planner answered:\n%s\n%v", seed, q, err)
		}
		if !resultsEqual(got, scan, ordered) {
			t.Fatalf("seed %d: index plan and full scan differ for\n%s\n%s", seed, q, rowsDiff("index", got, "scan", scan, ordered))
		}
		if !resultsEqual(got, ref, ordered) {
			t.Fatalf("seed %d: differs from SQLite for\n%s\n%s", seed, q, rowsDiff("ours", got, "sqlite", ref, ordered))
		}
		if encrypted != nil {
			e, err := encrypted.run(q, false)
			if err != nil {
				t.Fatalf("seed %d: the encrypted table refused a query the generator made by the rules of encrypted columns:\n%s\n%v", seed, q, err)
			}
			if !resultsEqual(e, ref, ordered) {
				t.Fatalf("seed %d: encrypted answer differs from the plaintext one for\n%s\n%s", seed, q, rowsDiff("encrypted", e, "plaintext", ref, ordered))
			}
		}
		st.compared++
	}
	return st
}

// sqliteRows returns SQLite's answer to q, strings and blobs as strings.
func sqliteRows(db *dbsql.DB, q string) ([][]any, error) {
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// rowsDiff describes how two answers differ: their sizes and the first
// rows that differ (in order, or as sorted when order is not determined).
func rowsDiff(an string, a [][]any, bn string, b [][]any, ordered bool) string {
	out := fmt.Sprintf("%s: %d rows, %s: %d rows", an, len(a), bn, len(b))
	if len(a)+len(b) <= 20 {
		return out + fmt.Sprintf("\n%s: %#v\n%s: %#v", an, a, bn, b)
	}
	if !ordered {
		a, b = slices.Clone(a), slices.Clone(b)
		byText := func(x, y []any) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) }
		slices.SortFunc(a, byText)
		slices.SortFunc(b, byText)
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if !resultsEqual(a[i:i+1], b[i:i+1], true) {
			return out + fmt.Sprintf("\nfirst difference at row %d: %s %#v, %s %#v", i, an, a[i], bn, b[i])
		}
	}
	return out
}

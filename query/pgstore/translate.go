package pgstore

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Statement is a query as PostgreSQL receives it: text written by this
// package from the checked AST, and the query's constants as parameters.
// Nothing of the subscriber's text reaches PostgreSQL: names become the
// table's generated column names (c0, c1, …), literals become $n
// parameters with an explicit type, and only the constructs below are
// written at all.
type Statement struct {
	SQL  string
	Args []any
}

// Translate writes st, which query.Store.ResultColumns has bound against
// t (so every name denotes t or one of its columns and the types and
// encryption rules hold), as a PostgreSQL statement with the engine's
// (SQLite's) semantics. maxRows+1 caps the rows PostgreSQL returns, so a
// result over the cap is known to be truncated without reading it all.
//
// It writes one SELECT over the one table: columns, constants,
// + - * / %, comparisons, IS [NOT], [NOT] IN (list), [NOT] BETWEEN,
// IS [NOT] NULL, AND/OR/NOT, COUNT/SUM/AVG/MIN/MAX, DISTINCT, GROUP BY,
// HAVING, ORDER BY (names, aliases, numbers, expressions), LIMIT/OFFSET,
// abs, coalesce, ifnull, nullif and CASE whose values are of one type.
// Anything else (joins, subqueries, compound SELECTs, CAST, LIKE, other
// scalar functions, TOTAL, GROUP_CONCAT, CASE or coalesce mixing int64 and
// float64, which PostgreSQL would make all float8) is refused with an
// error at its position: the Pebble engine answers those, this backend
// does not yet.
//
// Where SQLite and PostgreSQL differ it writes SQLite's meaning: x / 0 and
// x % 0 are NULL (NULLIF), NULL sorts first ascending and last descending
// (NULLS FIRST/LAST), strings are bytea so they compare by bytes (SQLite's
// BINARY collation), integer SUM is bigint (an overflow is an error, as on
// Pebble), AVG is float8, and MIN/MAX of bytes compare bytes.
func Translate(q string, st *sql.Statement, t *query.Table, maxRows int) (*Statement, error) {
	return TranslateOn(q, st, t, nil, maxRows)
}

// TranslateOn is Translate over rel: a provider's own relation (External)
// instead of the table this package made for t (rel nil).
func TranslateOn(q string, st *sql.Statement, t *query.Table, rel *External, maxRows int) (*Statement, error) {
	s := st.Query
	if len(s.Cores) != 1 {
		return nil, sql.ErrorAt(q, s.Cores[1].Offset, "compound SELECTs (UNION, EXCEPT, INTERSECT) are not run by this node's PostgreSQL backend; ask a node on the Pebble engine, or send each SELECT alone")
	}
	c := s.Cores[0]
	ref, ok := c.From.(*sql.TableRef)
	if !ok {
		pos := c.Offset
		if c.From != nil {
			pos = c.From.Pos()
		}
		return nil, sql.ErrorAt(q, pos, "this node's PostgreSQL backend runs a SELECT over the dataset's table alone (no join, subquery in FROM or SELECT without FROM)")
	}
	tr := &translator{q: q, t: t, ref: ref, rel: rel}
	var b strings.Builder
	b.WriteString("SELECT ")
	if c.Distinct {
		b.WriteString("DISTINCT ")
	}
	itemOut := make([]int, len(c.Items)) // c.Items[i] is output itemOut[i]
	for i, it := range c.Items {
		itemOut[i] = len(tr.items)
		if it.Star {
			for j := range t.Schema.Columns {
				tr.items = append(tr.items, item{sql: tr.col(j), name: t.Schema.Columns[j].Name})
			}
			continue
		}
		v, err := tr.val(it.Expr)
		if err != nil {
			return nil, err
		}
		tr.items = append(tr.items, item{sql: v.sql, alias: it.Alias, name: it.Name(), expr: it.Expr, kind: v.kind})
	}
	for i, it := range tr.items {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s AS o%d", it.sql, i)
	}
	if rel != nil {
		fmt.Fprintf(&b, " FROM %s", rel.Relation.Sanitize())
	} else {
		fmt.Fprintf(&b, " FROM %s", TableName(t))
	}
	if c.Where != nil {
		w, err := tr.cond(c.Where)
		if err != nil {
			return nil, err
		}
		b.WriteString(" WHERE " + w)
	}
	if len(c.GroupBy) > 0 {
		b.WriteString(" GROUP BY ")
		for i, g := range c.GroupBy {
			if i > 0 {
				b.WriteString(", ")
			}
			// An output's number: PostgreSQL groups by that output as
			// written in the select list.
			if i := tr.groupTerm(c, g); i >= 0 {
				b.WriteString(strconv.Itoa(itemOut[i] + 1))
				continue
			}
			v, err := tr.val(g)
			if err != nil {
				return nil, err
			}
			b.WriteString(v.sql)
		}
	}
	if c.Having != nil {
		h, err := tr.cond(c.Having)
		if err != nil {
			return nil, err
		}
		b.WriteString(" HAVING " + h)
	}
	if len(s.OrderBy) > 0 {
		b.WriteString(" ORDER BY ")
		for i, o := range s.OrderBy {
			if i > 0 {
				b.WriteString(", ")
			}
			k, err := tr.orderKey(o.Expr)
			if err != nil {
				return nil, err
			}
			if o.Desc {
				b.WriteString(k + " DESC NULLS LAST")
			} else {
				b.WriteString(k + " ASC NULLS FIRST")
			}
		}
	}
	limit := int64(maxRows) + 1
	if s.Limit != nil && *s.Limit >= 0 && *s.Limit < limit {
		limit = *s.Limit
	}
	// LIMIT and OFFSET are written as numbers (int64s the parser read,
	// formatted here), not parameters: the planner must see them, or a
	// cached generic plan guesses a limit and may read a whole index in
	// order for a GROUP BY that a hash aggregate answers three times
	// faster.
	b.WriteString(" LIMIT " + strconv.FormatInt(limit, 10))
	if s.Offset != nil && *s.Offset > 0 {
		b.WriteString(" OFFSET " + strconv.FormatInt(*s.Offset, 10))
	}
	return &Statement{SQL: b.String(), Args: tr.args}, nil
}

// kind is a translated expression's PostgreSQL type.
type kind uint8

const (
	kindNull  kind = iota // a NULL constant
	kindInt               // bigint: int64, bool (0/1), timestamp (µs)
	kindFloat             // double precision
	kindBytes             // bytea: string, bytes, any ciphertext
)

type value struct {
	sql  string
	kind kind
}

type item struct {
	sql, alias, name string
	expr             sql.Expr
	kind             kind
}

type translator struct {
	q      string
	t      *query.Table
	ref    *sql.TableRef
	rel    *External // nil: the table this package made
	items  []item
	args   []any
	params map[string]int // constant → its parameter number
}

func (tr *translator) refuse(e sql.Expr, what string) error {
	return sql.ErrorAt(tr.q, e.Pos(), "%s is not run by this node's PostgreSQL backend; ask a node on the Pebble engine, or rewrite the query without it", what)
}

// param adds a constant as a parameter, with an explicit type so
// PostgreSQL never guesses one. A constant used twice is one parameter,
// so an expression written twice (in the select list and GROUP BY) is
// the same expression to PostgreSQL.
func (tr *translator) param(v any, typ string) string {
	key := fmt.Sprintf("%s:%T:%v", typ, v, v)
	n, ok := tr.params[key]
	if !ok {
		if tr.params == nil {
			tr.params = make(map[string]int)
		}
		tr.args = append(tr.args, v)
		n = len(tr.args)
		tr.params[key] = n
	}
	return fmt.Sprintf("$%d::%s", n, typ)
}

// colName is the generated name of schema column j in PostgreSQL.
func colName(j int) string { return "c" + strconv.Itoa(j) }

// col is schema column j in the relation read: the generated name, or
// the schema's column name, quoted, in a provider's own relation.
func (tr *translator) col(j int) string {
	if tr.rel != nil {
		return pgx.Identifier{tr.t.Schema.Columns[j].Name}.Sanitize()
	}
	return colName(j)
}

// pgKind is how a schema column is stored in PostgreSQL.
func pgKind(c dataset.Column) kind {
	if c.Encryption != dataset.EncNone {
		return kindBytes
	}
	switch c.Type {
	case dataset.TypeFloat64:
		return kindFloat
	case dataset.TypeString, dataset.TypeBytes:
		return kindBytes
	}
	return kindInt
}

// column resolves a name to a schema column as the binder does: exact
// match first, then case-insensitive.
func (tr *translator) column(name string) int {
	if j := tr.t.Schema.ColumnIndex(name); j >= 0 {
		return j
	}
	for j, c := range tr.t.Schema.Columns {
		if strings.EqualFold(c.Name, name) {
			return j
		}
	}
	return -1
}

func (tr *translator) val(e sql.Expr) (value, error) {
	switch x := e.(type) {
	case *sql.ColumnRef:
		j := tr.column(x.Name)
		if j < 0 {
			return value{}, tr.refuse(e, fmt.Sprintf("%q (an output alias outside ORDER BY and GROUP BY)", x.Name))
		}
		return value{tr.col(j), pgKind(tr.t.Schema.Columns[j])}, nil
	case *sql.Literal:
		return tr.literal(x)
	case *sql.Unary:
		v, err := tr.val(x.X)
		if err != nil {
			return value{}, err
		}
		switch x.Op {
		case "+":
			return v, nil
		case "-":
			return value{"(-" + v.sql + ")", v.kind}, nil
		}
		return value{}, tr.refuse(e, "the operator "+x.Op)
	case *sql.Binary:
		return tr.binary(x)
	case *sql.Call:
		if !sql.IsAggregate(x.Func) {
			return tr.scalar(x)
		}
		return tr.aggregate(x)
	case *sql.Compare, *sql.Is, *sql.In, *sql.Between, *sql.IsNull, *sql.And, *sql.Or, *sql.Not:
		return value{}, tr.refuse(e, "a condition used as a value")
	case *sql.Case:
		return tr.caseExpr(x)
	case *sql.Cast:
		return value{}, tr.refuse(e, "CAST")
	case *sql.Like:
		return value{}, tr.refuse(e, "LIKE")
	case *sql.Subquery, *sql.Exists:
		return value{}, tr.refuse(e, "a subquery")
	}
	return value{}, tr.refuse(e, fmt.Sprintf("the expression %s", e))
}

func (tr *translator) literal(x *sql.Literal) (value, error) {
	v := x.Value
	switch v.Kind {
	case 0:
		return value{"NULL", kindNull}, nil
	case dataset.TypeInt64, dataset.TypeBool:
		return value{tr.param(v.Int, "bigint"), kindInt}, nil
	case dataset.TypeTimestamp:
		if x.SubMicros != 0 {
			return value{}, tr.refuse(x, "a timestamp finer than a microsecond")
		}
		return value{tr.param(v.Int, "bigint"), kindInt}, nil
	case dataset.TypeFloat64:
		return value{tr.param(v.Float, "float8"), kindFloat}, nil
	case dataset.TypeString, dataset.TypeBytes:
		return value{tr.param(v.Bytes, "bytea"), kindBytes}, nil
	}
	return value{}, tr.refuse(x, "a constant of type "+v.Kind.String())
}

func (tr *translator) binary(x *sql.Binary) (value, error) {
	l, err := tr.val(x.L)
	if err != nil {
		return value{}, err
	}
	r, err := tr.val(x.R)
	if err != nil {
		return value{}, err
	}
	if l.kind == kindBytes || r.kind == kindBytes {
		return value{}, tr.refuse(x, "arithmetic on strings or bytes")
	}
	k := kindInt
	switch {
	case l.kind == kindNull || r.kind == kindNull:
		return value{"NULL", kindNull}, nil
	case l.kind == kindFloat || r.kind == kindFloat:
		k = kindFloat
	}
	switch x.Op {
	case sql.Add, sql.Sub, sql.Mul:
		return value{"(" + l.sql + " " + string(x.Op) + " " + r.sql + ")", k}, nil
	case sql.Div:
		// SQLite: division by zero is NULL; PostgreSQL would raise.
		return value{"(" + l.sql + " / NULLIF(" + r.sql + ", 0))", k}, nil
	case sql.Mod:
		if k != kindInt {
			return value{}, tr.refuse(x, "% of a float")
		}
		return value{"(" + l.sql + " % NULLIF(" + r.sql + ", 0))", k}, nil
	}
	return value{}, tr.refuse(x, "the operator "+string(x.Op))
}

// sameKind is the one kind of values that PostgreSQL would otherwise
// convert to a common type (an int64 and a float64 branch of a CASE are
// both float8 there, each its own type in SQLite): refused.
func (tr *translator) sameKind(e sql.Expr, what string, vs ...value) (kind, error) {
	k := kindNull
	for _, v := range vs {
		switch {
		case v.kind == kindNull:
		case k == kindNull:
			k = v.kind
		case v.kind != k:
			return 0, tr.refuse(e, what+" over values of different types")
		}
	}
	return k, nil
}

// scalar writes the scalar functions whose PostgreSQL meaning is SQLite's
// over the stored types: abs, coalesce, ifnull, nullif.
func (tr *translator) scalar(x *sql.Call) (value, error) {
	var args []value
	var sqls []string
	for _, a := range x.Args {
		v, err := tr.val(a)
		if err != nil {
			return value{}, err
		}
		args = append(args, v)
		sqls = append(sqls, v.sql)
	}
	fn := strings.ToLower(x.Func)
	switch {
	case fn == "abs" && len(args) == 1:
		if args[0].kind == kindBytes {
			return value{}, tr.refuse(x, "abs of a string or bytes")
		}
		if args[0].kind == kindNull {
			return value{"NULL", kindNull}, nil
		}
		return value{"abs(" + sqls[0] + ")", args[0].kind}, nil
	case (fn == "coalesce" && len(args) >= 2) || (fn == "ifnull" && len(args) == 2):
		k, err := tr.sameKind(x, fn, args...)
		if err != nil {
			return value{}, err
		}
		return value{"coalesce(" + strings.Join(sqls, ", ") + ")", k}, nil
	case fn == "nullif" && len(args) == 2:
		k, err := tr.sameKind(x, fn, args...)
		if err != nil {
			return value{}, err
		}
		if args[0].kind == kindNull {
			return value{"NULL", kindNull}, nil
		}
		return value{"nullif(" + sqls[0] + ", " + sqls[1] + ")", k}, nil
	}
	return value{}, tr.refuse(x, "the function "+fn)
}

// caseExpr writes CASE; its results must be of one type (sameKind).
func (tr *translator) caseExpr(x *sql.Case) (value, error) {
	var b strings.Builder
	b.WriteString("CASE")
	if x.Operand != nil {
		v, err := tr.val(x.Operand)
		if err != nil {
			return value{}, err
		}
		b.WriteString(" " + v.sql)
	}
	var results []value
	for _, w := range x.Whens {
		var cond string
		if x.Operand != nil {
			v, err := tr.val(w.Cond)
			if err != nil {
				return value{}, err
			}
			cond = v.sql
		} else {
			c, err := tr.cond(w.Cond)
			if err != nil {
				return value{}, err
			}
			cond = c
		}
		r, err := tr.val(w.Result)
		if err != nil {
			return value{}, err
		}
		results = append(results, r)
		b.WriteString(" WHEN " + cond + " THEN " + r.sql)
	}
	if x.Else != nil {
		r, err := tr.val(x.Else)
		if err != nil {
			return value{}, err
		}
		results = append(results, r)
		b.WriteString(" ELSE " + r.sql)
	}
	b.WriteString(" END")
	k, err := tr.sameKind(x, "CASE", results...)
	if err != nil {
		return value{}, err
	}
	if k == kindNull {
		return value{"NULL", kindNull}, nil
	}
	return value{"(" + b.String() + ")", k}, nil
}

func (tr *translator) aggregate(x *sql.Call) (value, error) {
	if x.Star {
		return value{"count(*)", kindInt}, nil
	}
	if len(x.Args) != 1 {
		return value{}, tr.refuse(x, strings.ToLower(x.Func)+" with these arguments")
	}
	a, err := tr.val(x.Args[0])
	if err != nil {
		return value{}, err
	}
	d := ""
	if x.Distinct {
		d = "DISTINCT "
	}
	switch x.Func {
	case sql.FuncCount:
		return value{"count(" + d + a.sql + ")", kindInt}, nil
	case sql.FuncSum:
		switch a.kind {
		case kindInt:
			// sum(bigint) is numeric in PostgreSQL; the cast raises on
			// overflow, as the engine does.
			return value{"sum(" + d + a.sql + ")::bigint", kindInt}, nil
		case kindFloat:
			return value{"sum(" + d + a.sql + ")", kindFloat}, nil
		}
	case sql.FuncAvg:
		if a.kind == kindInt || a.kind == kindFloat {
			return value{"avg(" + d + a.sql + ")::float8", kindFloat}, nil
		}
	case sql.FuncMin, sql.FuncMax:
		fn := strings.ToLower(x.Func)
		if a.kind == kindBytes {
			// PostgreSQL has no min/max of bytea. Lower-case hex keeps
			// the byte order under the C collation (a prefix sorts first,
			// as in bytea's comparison).
			return value{"decode(" + fn + "(encode(" + a.sql + `, 'hex') COLLATE "C"), 'hex')`, kindBytes}, nil
		}
		return value{fn + "(" + d + a.sql + ")", a.kind}, nil
	}
	return value{}, tr.refuse(x, strings.ToLower(x.Func)+" of this argument")
}

func (tr *translator) cond(e sql.Expr) (string, error) {
	if err := tr.oreCondition(e); err != nil {
		return "", err
	}
	switch x := e.(type) {
	case *sql.Compare:
		l, err := tr.val(x.L)
		if err != nil {
			return "", err
		}
		r, err := tr.val(x.R)
		if err != nil {
			return "", err
		}
		op := string(x.Op)
		if x.Op == sql.NotEqual {
			op = "<>"
		}
		return "(" + l.sql + " " + op + " " + r.sql + ")", nil
	case *sql.Is:
		l, err := tr.val(x.L)
		if err != nil {
			return "", err
		}
		r, err := tr.val(x.R)
		if err != nil {
			return "", err
		}
		op := " IS NOT DISTINCT FROM "
		if x.Not {
			op = " IS DISTINCT FROM "
		}
		return "(" + l.sql + op + r.sql + ")", nil
	case *sql.In:
		if x.Sub != nil {
			return "", tr.refuse(e, "IN (SELECT …)")
		}
		v, err := tr.val(x.X)
		if err != nil {
			return "", err
		}
		var list []string
		for _, le := range x.List {
			lv, err := tr.val(le)
			if err != nil {
				return "", err
			}
			list = append(list, lv.sql)
		}
		op := " IN ("
		if x.Not {
			op = " NOT IN ("
		}
		return "(" + v.sql + op + strings.Join(list, ", ") + "))", nil
	case *sql.Between:
		v, err := tr.val(x.X)
		if err != nil {
			return "", err
		}
		lo, err := tr.val(x.Lo)
		if err != nil {
			return "", err
		}
		hi, err := tr.val(x.Hi)
		if err != nil {
			return "", err
		}
		op := " BETWEEN "
		if x.Not {
			op = " NOT BETWEEN "
		}
		return "(" + v.sql + op + lo.sql + " AND " + hi.sql + ")", nil
	case *sql.IsNull:
		v, err := tr.val(x.X)
		if err != nil {
			return "", err
		}
		if x.Not {
			return "(" + v.sql + " IS NOT NULL)", nil
		}
		return "(" + v.sql + " IS NULL)", nil
	case *sql.And, *sql.Or:
		var l, r sql.Expr
		op := " AND "
		if a, ok := x.(*sql.And); ok {
			l, r = a.L, a.R
		} else {
			o := x.(*sql.Or)
			l, r, op = o.L, o.R, " OR "
		}
		ls, err := tr.cond(l)
		if err != nil {
			return "", err
		}
		rs, err := tr.cond(r)
		if err != nil {
			return "", err
		}
		return "(" + ls + op + rs + ")", nil
	case *sql.Not:
		s, err := tr.cond(x.X)
		if err != nil {
			return "", err
		}
		return "(NOT " + s + ")", nil
	case *sql.Like:
		return "", tr.refuse(e, "LIKE")
	}
	return "", tr.refuse(e, fmt.Sprintf("%s as a condition (write a comparison, such as %s != 0)", e, e))
}

// groupTerm applies SQLite's GROUP BY rules as the binder does: an
// integer is the select list's item of that number; a name that is no
// column but an item's alias is that item. It returns the item's index in
// c.Items, or -1 for a term that is an expression of its own.
func (tr *translator) groupTerm(c *sql.SelectCore, g sql.Expr) int {
	if k, ok := constInt(g); ok && k >= 1 && k <= int64(len(c.Items)) && !c.Items[k-1].Star {
		return int(k - 1)
	}
	if ref, ok := g.(*sql.ColumnRef); ok && ref.Table == "" && tr.column(ref.Name) < 0 {
		for i, it := range c.Items {
			if it.Alias != "" && strings.EqualFold(it.Alias, ref.Name) && !hasAggregate(it.Expr) {
				return i
			}
		}
	}
	return -1
}

// constInt is an integer constant written with signs (2, +2, -(-2)),
// which SQLite reads as a column number in ORDER BY and GROUP BY.
func constInt(e sql.Expr) (int64, bool) {
	switch x := e.(type) {
	case *sql.Literal:
		return x.Value.Int, x.Value.Kind == dataset.TypeInt64
	case *sql.Unary:
		k, ok := constInt(x.X)
		switch {
		case !ok:
		case x.Op == "+":
			return k, true
		case x.Op == "-" && k != math.MinInt64:
			return -k, true
		}
	}
	return 0, false
}

func hasAggregate(e sql.Expr) bool {
	found := false
	sql.Walk(e, func(x sql.Expr) {
		if c, ok := x.(*sql.Call); ok && sql.IsAggregate(c.Func) {
			found = true
		}
	})
	return found
}

// orderKey applies SQLite's ORDER BY rules as the binder does: an integer
// is an output's number, a bare name that is an output's alias is that
// output (before any column of that name), an expression written as an
// output's is that output; anything else is an expression over the rows.
func (tr *translator) orderKey(e sql.Expr) (string, error) {
	if k, ok := constInt(e); ok && k >= 1 && k <= int64(len(tr.items)) {
		return "o" + strconv.FormatInt(k-1, 10), nil
	}
	switch x := e.(type) {
	case *sql.ColumnRef:
		if x.Table == "" {
			for i, it := range tr.items {
				if it.alias != "" && strings.EqualFold(it.alias, x.Name) {
					return "o" + strconv.Itoa(i), nil
				}
			}
		}
	}
	for i, it := range tr.items {
		if it.expr != nil && it.expr.String() == e.String() {
			return "o" + strconv.Itoa(i), nil
		}
	}
	v, err := tr.val(e)
	if err != nil {
		return "", err
	}
	return v.sql, nil
}

// TableName is the PostgreSQL table holding t's rows: a name derived from
// its storage key, never from the dataset's name.
func TableName(t *query.Table) string {
	k := t.Key()
	return "enigma_" + hex.EncodeToString(k[:20])
}

// oreCondition refuses a comparison on an order-revealing column:
// PostgreSQL would compare the bytes of a left and a right ciphertext,
// which means nothing (the Pebble engine compares them by
// colcrypt.ORELeft.Compare).
func (tr *translator) oreCondition(e sql.Expr) error {
	var operands []sql.Expr
	switch x := e.(type) {
	case *sql.Compare:
		operands = []sql.Expr{x.L, x.R}
	case *sql.Is:
		operands = []sql.Expr{x.L, x.R}
	case *sql.In:
		operands = []sql.Expr{x.X}
	case *sql.Between:
		operands = []sql.Expr{x.X}
	}
	for _, o := range operands {
		ref, ok := o.(*sql.ColumnRef)
		if !ok {
			continue
		}
		if j := tr.column(ref.Name); j >= 0 && tr.t.Schema.Columns[j].Encryption == dataset.EncOrderRevealing {
			return tr.refuse(e, fmt.Sprintf("a comparison on the order-revealing (ore) column %q", ref.Name))
		}
	}
	return nil
}

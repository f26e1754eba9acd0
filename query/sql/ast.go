package sql

import (
	"github.com/enigma-mpc/enigma/dataset"
)

// Statement is one parsed query.
type Statement struct {
	Explain bool
	Query   *Select
	// From is the dataset the statement reads when every table it names
	// (in any FROM, subqueries included) is that one dataset, written the
	// same way; "" when it names several, or none. FromPos is where the
	// first mention starts. A node serving one dataset checks From; the
	// engine checks every table reference again.
	From    string
	FromPos int
}

// Select is a query: one SELECT, or several combined with UNION [ALL],
// EXCEPT and INTERSECT (left to right, all of one precedence, as in
// SQLite), with an ORDER BY and LIMIT that apply to the whole.
type Select struct {
	Cores   []*SelectCore
	Ops     []SetOp // Ops[i] combines the result so far with Cores[i+1]
	OrderBy []OrderItem
	Limit   *int64
	Offset  *int64
}

// SetOp combines two query results.
type SetOp uint8

// Set operations.
const (
	Union SetOp = iota + 1
	UnionAll
	Except
	Intersect
)

func (o SetOp) String() string {
	return [...]string{"?", "UNION", "UNION ALL", "EXCEPT", "INTERSECT"}[o]
}

// SelectCore is one SELECT … FROM … WHERE … GROUP BY … HAVING ….
type SelectCore struct {
	Distinct bool
	Items    []SelectItem
	From     TableExpr // nil: SELECT without FROM (one row)
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	Offset   int // where SELECT starts
}

// SelectItem is one output: an expression, perhaps renamed, or a star
// (* or table.*).
type SelectItem struct {
	Expr  Expr
	Alias string
	// Star is * (StarTable "") or StarTable.*; Expr is nil then.
	Star      bool
	StarTable string
	// Text is the expression as written in the query, which names the
	// output column when there is no alias (as SQLite does).
	Text   string
	Offset int
}

// Name is the output column's name: the alias, the column's name, or the
// expression as written.
func (s SelectItem) Name() string {
	switch {
	case s.Alias != "":
		return s.Alias
	case s.Expr == nil:
		return "*"
	}
	if c, ok := s.Expr.(*ColumnRef); ok {
		return c.Name
	}
	if s.Text != "" {
		return s.Text
	}
	return s.Expr.String()
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Expr Expr
	Desc bool
}

// TableExpr is an item of FROM: a table, a subquery or a join.
type TableExpr interface {
	Pos() int
	tableExpr()
}

// TableRef names a dataset (or, for the test runner, a view). Hint is
// SQLite's "INDEXED BY name" or "NOT INDEXED", accepted and ignored (every
// plan returns the same rows).
type TableRef struct {
	Name   string
	Alias  string
	Hint   string
	Offset int
}

// DerivedTable is a subquery in FROM.
type DerivedTable struct {
	Select *Select
	Alias  string
	Offset int
}

// JoinKind is how a join combines its sides.
type JoinKind uint8

// Joins. A comma is an inner join without ON.
const (
	JoinComma JoinKind = iota + 1
	JoinInner
	JoinCross
	JoinLeft
)

// Join is Left JOIN Right [ON cond | USING (cols)].
type Join struct {
	Kind        JoinKind
	Left, Right TableExpr
	On          Expr
	Using       []string
	Natural     bool
}

func (t *TableRef) Pos() int     { return t.Offset }
func (t *DerivedTable) Pos() int { return t.Offset }
func (t *Join) Pos() int         { return t.Left.Pos() }
func (*TableRef) tableExpr()     {}
func (*DerivedTable) tableExpr() {}
func (*Join) tableExpr()         {}

// Expr is an expression node. Pos is the byte offset it starts at.
type Expr interface {
	Pos() int
	String() string
}

// ColumnRef names a column, optionally qualified by a table or its alias
// (or, in ORDER BY, an output alias).
type ColumnRef struct {
	Table  string
	Name   string
	Offset int
}

// Literal is a constant. Value.Kind 0 is NULL. A TIMESTAMP literal written
// finer than a microsecond keeps its whole microseconds in Value (rounded
// down) and the rest in SubMicros (1…999 nanoseconds), so comparisons stay
// exact.
type Literal struct {
	Value     dataset.Value
	SubMicros int32
	Offset    int
}

// CompareOp is a comparison operator.
type CompareOp string

// Comparison operators; "<>" is read as NotEqual and "==" as Equal.
const (
	Equal        CompareOp = "="
	NotEqual     CompareOp = "!="
	Less         CompareOp = "<"
	LessEqual    CompareOp = "<="
	Greater      CompareOp = ">"
	GreaterEqual CompareOp = ">="
)

// Compare is L op R.
type Compare struct {
	Op   CompareOp
	L, R Expr
}

// Is is L IS [NOT] R: equality where NULL equals NULL (IS NOT DISTINCT
// FROM). IS NULL is IsNull.
type Is struct {
	L, R Expr
	Not  bool
}

// BinaryOp is an arithmetic, bitwise or string operator.
type BinaryOp string

// Binary operators.
const (
	Add    BinaryOp = "+"
	Sub    BinaryOp = "-"
	Mul    BinaryOp = "*"
	Div    BinaryOp = "/"
	Mod    BinaryOp = "%"
	Concat BinaryOp = "||"
	BitAnd BinaryOp = "&"
	BitOr  BinaryOp = "|"
	Shl    BinaryOp = "<<"
	Shr    BinaryOp = ">>"
)

// Binary is L op R.
type Binary struct {
	Op   BinaryOp
	L, R Expr
}

// Unary is -X, +X or ~X.
type Unary struct {
	Op     string
	X      Expr
	Offset int
}

// In is X [NOT] IN (List…) or X [NOT] IN (SELECT …).
type In struct {
	X    Expr
	List []Expr
	Sub  *Select
	Not  bool
}

// Between is X [NOT] BETWEEN Lo AND Hi.
type Between struct {
	X, Lo, Hi Expr
	Not       bool
}

// IsNull is X IS [NOT] NULL.
type IsNull struct {
	X   Expr
	Not bool
}

// Like is X [NOT] LIKE Pattern [ESCAPE Escape].
type Like struct {
	X, Pattern, Escape Expr
	Not                bool
}

// And is L AND R.
type And struct{ L, R Expr }

// Or is L OR R.
type Or struct{ L, R Expr }

// Not is NOT X.
type Not struct {
	X      Expr
	Offset int
}

// When is one WHEN … THEN … of a CASE.
type When struct {
	Cond, Result Expr
}

// Case is CASE [Operand] WHEN … THEN … [ELSE …] END.
type Case struct {
	Operand Expr // nil for a searched CASE
	Whens   []When
	Else    Expr // nil: NULL
	Offset  int
}

// Cast is CAST(X AS Type); Type is the type name as written, upper-cased.
type Cast struct {
	X      Expr
	Type   string
	Offset int
}

// Aggregate function names.
const (
	FuncCount       = "COUNT"
	FuncSum         = "SUM"
	FuncAvg         = "AVG"
	FuncMin         = "MIN"
	FuncMax         = "MAX"
	FuncTotal       = "TOTAL"
	FuncGroupConcat = "GROUP_CONCAT"
)

// Call is a function call: an aggregate (COUNT(*) has Star set and no
// Args; DISTINCT applies to an aggregate's argument) or a scalar function.
// Func is upper-cased.
type Call struct {
	Func     string
	Args     []Expr
	Star     bool
	Distinct bool
	Offset   int
}

// Exists is EXISTS (SELECT …).
type Exists struct {
	Select *Select
	Offset int
}

// Subquery is a scalar subquery (SELECT …): its one column of its first
// row (NULL without rows).
type Subquery struct {
	Select *Select
	Offset int
}

func (e *ColumnRef) Pos() int { return e.Offset }
func (e *Literal) Pos() int   { return e.Offset }
func (e *Compare) Pos() int   { return e.L.Pos() }
func (e *Is) Pos() int        { return e.L.Pos() }
func (e *Binary) Pos() int    { return e.L.Pos() }
func (e *Unary) Pos() int     { return e.Offset }
func (e *In) Pos() int        { return e.X.Pos() }
func (e *Between) Pos() int   { return e.X.Pos() }
func (e *IsNull) Pos() int    { return e.X.Pos() }
func (e *Like) Pos() int      { return e.X.Pos() }
func (e *And) Pos() int       { return e.L.Pos() }
func (e *Or) Pos() int        { return e.L.Pos() }
func (e *Not) Pos() int       { return e.Offset }
func (e *Case) Pos() int      { return e.Offset }
func (e *Cast) Pos() int      { return e.Offset }
func (e *Call) Pos() int      { return e.Offset }
func (e *Exists) Pos() int    { return e.Offset }
func (e *Subquery) Pos() int  { return e.Offset }

// IsAggregate reports whether the function name is an aggregate.
func IsAggregate(name string) bool {
	switch name {
	case FuncCount, FuncSum, FuncAvg, FuncMin, FuncMax, FuncTotal, FuncGroupConcat:
		return true
	}
	return false
}

// Walk calls fn on e and every expression below it, parents first. It
// does not descend into subqueries (use WalkSelect).
func Walk(e Expr, fn func(Expr)) {
	if e == nil {
		return
	}
	fn(e)
	for _, c := range Children(e) {
		Walk(c, fn)
	}
}

// Children lists an expression's direct operands (not subqueries).
func Children(e Expr) []Expr {
	switch x := e.(type) {
	case *Compare:
		return []Expr{x.L, x.R}
	case *Is:
		return []Expr{x.L, x.R}
	case *Binary:
		return []Expr{x.L, x.R}
	case *Unary:
		return []Expr{x.X}
	case *In:
		return append([]Expr{x.X}, x.List...)
	case *Between:
		return []Expr{x.X, x.Lo, x.Hi}
	case *IsNull:
		return []Expr{x.X}
	case *Like:
		if x.Escape != nil {
			return []Expr{x.X, x.Pattern, x.Escape}
		}
		return []Expr{x.X, x.Pattern}
	case *And:
		return []Expr{x.L, x.R}
	case *Or:
		return []Expr{x.L, x.R}
	case *Not:
		return []Expr{x.X}
	case *Case:
		var out []Expr
		if x.Operand != nil {
			out = append(out, x.Operand)
		}
		for _, w := range x.Whens {
			out = append(out, w.Cond, w.Result)
		}
		if x.Else != nil {
			out = append(out, x.Else)
		}
		return out
	case *Cast:
		return []Expr{x.X}
	case *Call:
		return x.Args
	}
	return nil
}

// Subqueries returns the SELECTs nested directly in e (IN, EXISTS, scalar
// subqueries), not those nested deeper.
func Subqueries(e Expr) []*Select {
	var out []*Select
	Walk(e, func(x Expr) {
		switch s := x.(type) {
		case *In:
			if s.Sub != nil {
				out = append(out, s.Sub)
			}
		case *Exists:
			out = append(out, s.Select)
		case *Subquery:
			out = append(out, s.Select)
		}
	})
	return out
}

// WalkSelect calls fn on every expression of s and of every query nested
// in it (subqueries, derived tables), parents first.
func WalkSelect(s *Select, fn func(Expr)) {
	if s == nil {
		return
	}
	visit := func(e Expr) {
		Walk(e, fn)
		for _, sub := range Subqueries(e) {
			WalkSelect(sub, fn)
		}
	}
	for _, c := range s.Cores {
		for _, it := range c.Items {
			visit(it.Expr)
		}
		walkTable(c.From, fn)
		visit(c.Where)
		for _, g := range c.GroupBy {
			visit(g)
		}
		visit(c.Having)
	}
	for _, o := range s.OrderBy {
		visit(o.Expr)
	}
}

func walkTable(t TableExpr, fn func(Expr)) {
	switch x := t.(type) {
	case *DerivedTable:
		WalkSelect(x.Select, fn)
	case *Join:
		walkTable(x.Left, fn)
		walkTable(x.Right, fn)
		if x.On != nil {
			WalkSelect(&Select{Cores: []*SelectCore{{Where: x.On}}}, fn)
		}
	}
}

// TableRefs lists every table named in s, subqueries included, in the
// order they appear.
func TableRefs(s *Select) []*TableRef {
	var out []*TableRef
	var sel func(s *Select)
	expr := func(e Expr) {
		for _, sub := range Subqueries(e) {
			sel(sub)
		}
	}
	var table func(t TableExpr)
	table = func(t TableExpr) {
		switch x := t.(type) {
		case *TableRef:
			out = append(out, x)
		case *DerivedTable:
			sel(x.Select)
		case *Join:
			table(x.Left)
			table(x.Right)
			expr(x.On)
		}
	}
	sel = func(s *Select) {
		for _, c := range s.Cores {
			for _, it := range c.Items {
				expr(it.Expr)
			}
			table(c.From)
			expr(c.Where)
			for _, g := range c.GroupBy {
				expr(g)
			}
			expr(c.Having)
		}
		for _, o := range s.OrderBy {
			expr(o.Expr)
		}
	}
	sel(s)
	return out
}

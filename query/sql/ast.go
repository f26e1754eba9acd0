package sql

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/enigma-mpc/enigma/dataset"
)

// Statement is one parsed query.
type Statement struct {
	Explain bool
	// Star is SELECT *; otherwise Items lists the outputs.
	Star    bool
	Items   []SelectItem
	From    string
	FromPos int
	Where   Expr // nil when there is no WHERE
	GroupBy []*ColumnRef
	OrderBy []OrderItem
	Limit   *int64
	Offset  *int64
}

// SelectItem is one output: a column or an aggregate, perhaps renamed.
type SelectItem struct {
	Expr  Expr
	Alias string
}

// Name is the output column's name: the alias, or the expression as text.
func (s SelectItem) Name() string {
	if s.Alias != "" {
		return s.Alias
	}
	if c, ok := s.Expr.(*ColumnRef); ok {
		return c.Name
	}
	return s.Expr.String()
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Expr Expr
	Desc bool
}

// Expr is an expression node. Pos is the byte offset it starts at.
type Expr interface {
	Pos() int
	String() string
}

// ColumnRef names a column (or, in ORDER BY, an output alias).
type ColumnRef struct {
	Name   string
	Offset int
}

// Literal is a constant. Value.Kind 0 is NULL.
type Literal struct {
	Value  dataset.Value
	Offset int
}

// CompareOp is a comparison operator.
type CompareOp string

// Comparison operators; "<>" is read as NotEqual.
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

// In is X [NOT] IN (List…).
type In struct {
	X    Expr
	List []Expr
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

// And is L AND R.
type And struct{ L, R Expr }

// Or is L OR R.
type Or struct{ L, R Expr }

// Not is NOT X.
type Not struct {
	X      Expr
	Offset int
}

// Aggregate function names.
const (
	FuncCount = "COUNT"
	FuncSum   = "SUM"
	FuncAvg   = "AVG"
	FuncMin   = "MIN"
	FuncMax   = "MAX"
)

// Call is an aggregate: COUNT(*) has Star set and Arg nil.
type Call struct {
	Func   string
	Arg    *ColumnRef
	Star   bool
	Offset int
}

func (e *ColumnRef) Pos() int { return e.Offset }
func (e *Literal) Pos() int   { return e.Offset }
func (e *Compare) Pos() int   { return e.L.Pos() }
func (e *In) Pos() int        { return e.X.Pos() }
func (e *Between) Pos() int   { return e.X.Pos() }
func (e *IsNull) Pos() int    { return e.X.Pos() }
func (e *And) Pos() int       { return e.L.Pos() }
func (e *Or) Pos() int        { return e.L.Pos() }
func (e *Not) Pos() int       { return e.Offset }
func (e *Call) Pos() int      { return e.Offset }

func (e *ColumnRef) String() string { return e.Name }

func (e *Literal) String() string { return FormatLiteral(e.Value) }

// FormatLiteral renders a value as a literal Parse reads back to the same
// value.
func FormatLiteral(v dataset.Value) string {
	switch v.Kind {
	case 0:
		return "NULL"
	case dataset.TypeInt64:
		return strconv.FormatInt(v.Int, 10)
	case dataset.TypeFloat64:
		if math.IsInf(v.Float, 0) { // read back through ParseFloat's overflow to ±Inf
			if v.Float > 0 {
				return "1e999"
			}
			return "-1e999"
		}
		s := strconv.FormatFloat(v.Float, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") { // keep it a float when read back
			s += ".0"
		}
		return s
	case dataset.TypeString:
		return "'" + strings.ReplaceAll(string(v.Bytes), "'", "''") + "'"
	case dataset.TypeBytes:
		return "X'" + hex.EncodeToString(v.Bytes) + "'"
	case dataset.TypeBool:
		if v.Int != 0 {
			return "TRUE"
		}
		return "FALSE"
	case dataset.TypeTimestamp:
		return "TIMESTAMP '" + time.UnixMicro(v.Int).UTC().Format(time.RFC3339Nano) + "'"
	}
	return fmt.Sprintf("<kind %d>", v.Kind)
}

func (e *Compare) String() string {
	return "(" + e.L.String() + " " + string(e.Op) + " " + e.R.String() + ")"
}

func (e *In) String() string {
	parts := make([]string, len(e.List))
	for i, x := range e.List {
		parts[i] = x.String()
	}
	not := ""
	if e.Not {
		not = "NOT "
	}
	return "(" + e.X.String() + " " + not + "IN (" + strings.Join(parts, ", ") + "))"
}

func (e *Between) String() string {
	not := ""
	if e.Not {
		not = "NOT "
	}
	return "(" + e.X.String() + " " + not + "BETWEEN " + e.Lo.String() + " AND " + e.Hi.String() + ")"
}

func (e *IsNull) String() string {
	if e.Not {
		return "(" + e.X.String() + " IS NOT NULL)"
	}
	return "(" + e.X.String() + " IS NULL)"
}

func (e *And) String() string { return "(" + e.L.String() + " AND " + e.R.String() + ")" }
func (e *Or) String() string  { return "(" + e.L.String() + " OR " + e.R.String() + ")" }
func (e *Not) String() string { return "(NOT " + e.X.String() + ")" }

func (e *Call) String() string {
	if e.Star {
		return e.Func + "(*)"
	}
	return e.Func + "(" + e.Arg.Name + ")"
}

// String renders the statement as a query Parse reads back to an equal
// Statement (positions aside).
func (s *Statement) String() string {
	var b strings.Builder
	if s.Explain {
		b.WriteString("EXPLAIN ")
	}
	b.WriteString("SELECT ")
	if s.Star {
		b.WriteString("*")
	}
	for i, it := range s.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(it.Expr.String())
		if it.Alias != "" {
			b.WriteString(" AS " + it.Alias)
		}
	}
	b.WriteString(" FROM " + quoteName(s.From))
	if s.Where != nil {
		b.WriteString(" WHERE " + s.Where.String())
	}
	for i, g := range s.GroupBy {
		if i == 0 {
			b.WriteString(" GROUP BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(g.Name)
	}
	for i, o := range s.OrderBy {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(o.Expr.String())
		if o.Desc {
			b.WriteString(" DESC")
		}
	}
	if s.Limit != nil {
		fmt.Fprintf(&b, " LIMIT %d", *s.Limit)
		if s.Offset != nil {
			fmt.Fprintf(&b, " OFFSET %d", *s.Offset)
		}
	}
	return b.String()
}

func quoteName(name string) string {
	for i := 0; i < len(name); i++ {
		if !isIdentPart(name[i]) {
			return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
	}
	if keywords[strings.ToUpper(name)] || name == "" || !isIdentStart(name[0]) {
		return `"` + name + `"`
	}
	return name
}

// Walk calls fn on e and every expression below it, parents first.
func Walk(e Expr, fn func(Expr)) {
	if e == nil {
		return
	}
	fn(e)
	switch x := e.(type) {
	case *Compare:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case *In:
		Walk(x.X, fn)
		for _, y := range x.List {
			Walk(y, fn)
		}
	case *Between:
		Walk(x.X, fn)
		Walk(x.Lo, fn)
		Walk(x.Hi, fn)
	case *IsNull:
		Walk(x.X, fn)
	case *And:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case *Or:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case *Not:
		Walk(x.X, fn)
	case *Call:
		if x.Arg != nil {
			fn(x.Arg)
		}
	}
}

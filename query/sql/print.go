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

// Printing: every expression prints fully parenthesised, so the text
// parses back to the same tree whatever the precedence rules.

func (e *ColumnRef) String() string {
	if e.Table != "" {
		return QuoteName(e.Table) + "." + QuoteName(e.Name)
	}
	return QuoteName(e.Name)
}

func (e *Literal) String() string {
	if e.SubMicros != 0 && e.Value.Kind == dataset.TypeTimestamp {
		t := time.UnixMicro(e.Value.Int).UTC().Add(time.Duration(e.SubMicros))
		return "TIMESTAMP '" + t.Format(time.RFC3339Nano) + "'"
	}
	return FormatLiteral(e.Value)
}

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
		if math.IsNaN(v.Float) {
			return "(0.0 / 0.0)" // NULL in SQL; NaN is not a literal
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

func (e *Is) String() string {
	if e.Not {
		return "(" + e.L.String() + " IS NOT " + e.R.String() + ")"
	}
	return "(" + e.L.String() + " IS " + e.R.String() + ")"
}

func (e *Binary) String() string {
	return "(" + e.L.String() + " " + string(e.Op) + " " + e.R.String() + ")"
}

func (e *Unary) String() string {
	// A space keeps "- -1" from reading as a comment; a literal operand is
	// parenthesised so that "-(5)" does not read back as the literal -5.
	if _, ok := e.X.(*Literal); ok {
		return "(" + e.Op + " (" + e.X.String() + "))"
	}
	return "(" + e.Op + " " + e.X.String() + ")"
}

func (e *In) String() string {
	not := ""
	if e.Not {
		not = "NOT "
	}
	if e.Sub != nil {
		return "(" + e.X.String() + " " + not + "IN (" + e.Sub.String() + "))"
	}
	parts := make([]string, len(e.List))
	for i, x := range e.List {
		parts[i] = x.String()
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

func (e *Like) String() string {
	not := ""
	if e.Not {
		not = "NOT "
	}
	s := "(" + e.X.String() + " " + not + "LIKE " + e.Pattern.String()
	if e.Escape != nil {
		s += " ESCAPE " + e.Escape.String()
	}
	return s + ")"
}

func (e *And) String() string { return "(" + e.L.String() + " AND " + e.R.String() + ")" }
func (e *Or) String() string  { return "(" + e.L.String() + " OR " + e.R.String() + ")" }
func (e *Not) String() string { return "(NOT " + e.X.String() + ")" }

func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	if e.Operand != nil {
		b.WriteString(" " + e.Operand.String())
	}
	for _, w := range e.Whens {
		b.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Result.String())
	}
	if e.Else != nil {
		b.WriteString(" ELSE " + e.Else.String())
	}
	b.WriteString(" END")
	return b.String()
}

func (e *Cast) String() string { return "CAST(" + e.X.String() + " AS " + e.Type + ")" }

func (e *Call) String() string {
	if e.Star {
		return e.Func + "(*)"
	}
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
	}
	d := ""
	if e.Distinct {
		d = "DISTINCT "
	}
	return e.Func + "(" + d + strings.Join(parts, ", ") + ")"
}

func (e *Exists) String() string   { return "EXISTS (" + e.Select.String() + ")" }
func (e *Subquery) String() string { return "(" + e.Select.String() + ")" }

// String renders the statement as a query Parse reads back to an equal
// Statement (positions and the text of select items aside).
func (s *Statement) String() string {
	if s.Explain {
		return "EXPLAIN " + s.Query.String()
	}
	return s.Query.String()
}

// String renders the query.
func (s *Select) String() string {
	var b strings.Builder
	for i, c := range s.Cores {
		if i > 0 {
			b.WriteString(" " + s.Ops[i-1].String() + " ")
		}
		c.write(&b)
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
	}
	if s.Offset != nil {
		if s.Limit == nil {
			b.WriteString(" LIMIT -1")
		}
		fmt.Fprintf(&b, " OFFSET %d", *s.Offset)
	}
	return b.String()
}

func (c *SelectCore) write(b *strings.Builder) {
	b.WriteString("SELECT ")
	if c.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i, it := range c.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case it.Star && it.StarTable != "":
			b.WriteString(QuoteName(it.StarTable) + ".*")
		case it.Star:
			b.WriteString("*")
		default:
			b.WriteString(it.Expr.String())
		}
		if it.Alias != "" {
			b.WriteString(" AS " + QuoteName(it.Alias))
		}
	}
	if c.From != nil {
		b.WriteString(" FROM ")
		writeTable(b, c.From)
	}
	if c.Where != nil {
		b.WriteString(" WHERE " + c.Where.String())
	}
	for i, g := range c.GroupBy {
		if i == 0 {
			b.WriteString(" GROUP BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(g.String())
	}
	if c.Having != nil {
		b.WriteString(" HAVING " + c.Having.String())
	}
}

func writeTable(b *strings.Builder, t TableExpr) {
	switch x := t.(type) {
	case *TableRef:
		b.WriteString(quoteTable(x.Name))
		if x.Alias != "" {
			b.WriteString(" AS " + QuoteName(x.Alias))
		}
		if x.Hint != "" {
			b.WriteString(" " + x.Hint)
		}
	case *DerivedTable:
		b.WriteString("(" + x.Select.String() + ")")
		if x.Alias != "" {
			b.WriteString(" AS " + QuoteName(x.Alias))
		}
	case *Join:
		writeTable(b, x.Left)
		switch x.Kind {
		case JoinComma:
			b.WriteString(", ")
		default:
			b.WriteString(" ")
			if x.Natural {
				b.WriteString("NATURAL ")
			}
			switch x.Kind {
			case JoinLeft:
				b.WriteString("LEFT JOIN ")
			case JoinCross:
				b.WriteString("CROSS JOIN ")
			default:
				b.WriteString("JOIN ")
			}
		}
		if _, nested := x.Right.(*Join); nested {
			// a JOIN (b JOIN c ON …) ON …: the parentheses group the
			// right side.
			b.WriteString("(")
			writeTable(b, x.Right)
			b.WriteString(")")
		} else {
			writeTable(b, x.Right)
		}
		if x.On != nil {
			b.WriteString(" ON " + x.On.String())
		}
		if len(x.Using) > 0 {
			names := make([]string, len(x.Using))
			for i, u := range x.Using {
				names[i] = QuoteName(u)
			}
			b.WriteString(" USING (" + strings.Join(names, ", ") + ")")
		}
	}
}

// quoteTable writes a dataset name bare when the lexer reads it back as
// one name after FROM (paths included), quoted otherwise.
func quoteTable(name string) string {
	bare := name != "" && isIdentPart(name[0])
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isIdentPart(c) && c != '-' && c != '.' && c != '/' {
			bare = false
		}
	}
	if bare && !keywords[strings.ToUpper(name)] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteName returns name as an identifier: bare when it reads back as
// itself, double-quoted otherwise.
func QuoteName(name string) string {
	for i := 0; i < len(name); i++ {
		if !isIdentPart(name[i]) {
			return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
	}
	if keywords[strings.ToUpper(name)] || name == "" || !isIdentStart(name[0]) {
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	}
	return name
}

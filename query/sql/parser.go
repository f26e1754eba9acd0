package sql

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/enigma-mpc/enigma/dataset"
)

// Parse parses one statement.
func Parse(q string) (*Statement, error) {
	if len(q) > MaxQueryLength {
		return nil, &Error{Line: 1, Column: 1, Msg: fmt.Sprintf("query is %d bytes, the limit is %d", len(q), MaxQueryLength)}
	}
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{q: q, toks: toks}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	return st, nil
}

type parser struct {
	q     string
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, format string, args ...any) error {
	return errorAt(p.q, t.pos, fmt.Sprintf(format, args...))
}

func (p *parser) isKeyword(words ...string) bool {
	t := p.peek()
	if t.kind != tokKeyword {
		return false
	}
	for _, w := range words {
		if t.text == w {
			return true
		}
	}
	return false
}

func (p *parser) acceptKeyword(w string) bool {
	if p.isKeyword(w) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectKeyword(w string) error {
	if !p.acceptKeyword(w) {
		return p.errAt(p.peek(), "expected %s, found %s", w, p.peek().describe())
	}
	return nil
}

func (p *parser) isOp(op string) bool {
	t := p.peek()
	return t.kind == tokOp && t.text == op
}

func (p *parser) expectOp(op string) error {
	if !p.isOp(op) {
		return p.errAt(p.peek(), "expected %q, found %s", op, p.peek().describe())
	}
	p.i++
	return nil
}

func (p *parser) statement() (*Statement, error) {
	st := &Statement{}
	st.Explain = p.acceptKeyword("EXPLAIN")
	if err := p.expectKeyword("SELECT"); err != nil {
		return nil, err
	}
	if p.isOp("*") {
		p.i++
		st.Star = true
	} else {
		for {
			it, err := p.selectItem()
			if err != nil {
				return nil, err
			}
			st.Items = append(st.Items, it)
			if !p.isOp(",") {
				break
			}
			p.i++
		}
	}
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	t := p.next()
	if t.kind != tokIdent && t.kind != tokQuotedIdent {
		return nil, p.errAt(t, "expected a dataset name after FROM, found %s", t.describe())
	}
	st.From, st.FromPos = t.text, t.pos
	if p.acceptKeyword("WHERE") {
		w, err := p.expr()
		if err != nil {
			return nil, err
		}
		st.Where = w
	}
	if p.acceptKeyword("GROUP") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		for {
			c, err := p.columnRef()
			if err != nil {
				return nil, err
			}
			st.GroupBy = append(st.GroupBy, c)
			if !p.isOp(",") {
				break
			}
			p.i++
		}
	}
	if p.acceptKeyword("ORDER") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		for {
			e, err := p.selectExpr()
			if err != nil {
				return nil, err
			}
			item := OrderItem{Expr: e}
			if p.acceptKeyword("DESC") {
				item.Desc = true
			} else {
				p.acceptKeyword("ASC")
			}
			st.OrderBy = append(st.OrderBy, item)
			if !p.isOp(",") {
				break
			}
			p.i++
		}
	}
	if p.acceptKeyword("LIMIT") {
		n, err := p.count("LIMIT")
		if err != nil {
			return nil, err
		}
		st.Limit = &n
		if p.acceptKeyword("OFFSET") {
			m, err := p.count("OFFSET")
			if err != nil {
				return nil, err
			}
			st.Offset = &m
		}
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, "unexpected %s after the end of the statement", t.describe())
	}
	return st, nil
}

func (p *parser) count(what string) (int64, error) {
	t := p.next()
	if t.kind != tokInt {
		return 0, p.errAt(t, "%s needs a non-negative integer, found %s", what, t.describe())
	}
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return 0, p.errAt(t, "%s %s is too large", what, t.text)
	}
	return n, nil
}

func (p *parser) selectItem() (SelectItem, error) {
	e, err := p.selectExpr()
	if err != nil {
		return SelectItem{}, err
	}
	it := SelectItem{Expr: e}
	if p.acceptKeyword("AS") {
		t := p.next()
		if t.kind != tokIdent && t.kind != tokQuotedIdent {
			return SelectItem{}, p.errAt(t, "expected a name after AS, found %s", t.describe())
		}
		it.Alias = t.text
	}
	return it, nil
}

// selectExpr is a column or an aggregate call.
func (p *parser) selectExpr() (Expr, error) {
	t := p.peek()
	if t.kind == tokIdent && p.toks[p.i+1].kind == tokOp && p.toks[p.i+1].text == "(" {
		fn := strings.ToUpper(t.text)
		switch fn {
		case FuncCount, FuncSum, FuncAvg, FuncMin, FuncMax:
		default:
			return nil, p.errAt(t, "unknown function %s (use COUNT, SUM, AVG, MIN or MAX)", t.text)
		}
		p.i += 2
		call := &Call{Func: fn, Offset: t.pos}
		if p.isOp("*") {
			if fn != FuncCount {
				return nil, p.errAt(p.peek(), "only COUNT takes *")
			}
			p.i++
			call.Star = true
		} else {
			c, err := p.columnRef()
			if err != nil {
				return nil, err
			}
			call.Arg = c
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return call, nil
	}
	return p.columnRef()
}

func (p *parser) columnRef() (*ColumnRef, error) {
	t := p.next()
	if t.kind != tokIdent && t.kind != tokQuotedIdent {
		return nil, p.errAt(t, "expected a column name, found %s", t.describe())
	}
	return &ColumnRef{Name: t.text, Offset: t.pos}, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt(p.peek(), "condition is nested more than %d levels deep", MaxDepth)
	}
	return nil
}

func (p *parser) expr() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	l, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for p.acceptKeyword("OR") {
		r, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		l = &Or{L: l, R: r}
	}
	return l, nil
}

func (p *parser) andExpr() (Expr, error) {
	l, err := p.notExpr()
	if err != nil {
		return nil, err
	}
	for p.acceptKeyword("AND") {
		r, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		l = &And{L: l, R: r}
	}
	return l, nil
}

func (p *parser) notExpr() (Expr, error) {
	if t := p.peek(); p.acceptKeyword("NOT") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		x, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		return &Not{X: x, Offset: t.pos}, nil
	}
	return p.predicate()
}

func (p *parser) predicate() (Expr, error) {
	if p.isOp("(") {
		p.i++
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return e, nil
	}
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tokOp {
		var op CompareOp
		switch t.text {
		case "=":
			op = Equal
		case "!=", "<>":
			op = NotEqual
		case "<":
			op = Less
		case "<=":
			op = LessEqual
		case ">":
			op = Greater
		case ">=":
			op = GreaterEqual
		}
		if op != "" {
			p.i++
			r, err := p.operand()
			if err != nil {
				return nil, err
			}
			return &Compare{Op: op, L: l, R: r}, nil
		}
	}
	if p.acceptKeyword("IS") {
		not := p.acceptKeyword("NOT")
		if err := p.expectKeyword("NULL"); err != nil {
			return nil, err
		}
		return &IsNull{X: l, Not: not}, nil
	}
	not := false
	if p.isKeyword("NOT") && p.toks[p.i+1].kind == tokKeyword && (p.toks[p.i+1].text == "IN" || p.toks[p.i+1].text == "BETWEEN") {
		p.i++
		not = true
	}
	switch {
	case p.acceptKeyword("IN"):
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		in := &In{X: l, Not: not}
		for {
			if len(in.List) == MaxInList {
				return nil, p.errAt(p.peek(), "IN list has more than %d values", MaxInList)
			}
			v, err := p.operand()
			if err != nil {
				return nil, err
			}
			in.List = append(in.List, v)
			if !p.isOp(",") {
				break
			}
			p.i++
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return in, nil
	case p.acceptKeyword("BETWEEN"):
		lo, err := p.operand()
		if err != nil {
			return nil, err
		}
		if err := p.expectKeyword("AND"); err != nil {
			return nil, err
		}
		hi, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &Between{X: l, Lo: lo, Hi: hi, Not: not}, nil
	}
	return nil, p.errAt(p.peek(), "expected a comparison, IN, BETWEEN or IS after %s, found %s", l.String(), p.peek().describe())
}

// operand is a column or a literal.
func (p *parser) operand() (Expr, error) {
	if t := p.peek(); t.kind == tokIdent || t.kind == tokQuotedIdent {
		return p.columnRef()
	}
	return p.literal()
}

func (p *parser) literal() (Expr, error) {
	t := p.next()
	neg := false
	if t.kind == tokOp && (t.text == "-" || t.text == "+") {
		neg = t.text == "-"
		n := p.next()
		if n.kind != tokInt && n.kind != tokFloat {
			return nil, p.errAt(n, "expected a number after %q, found %s", t.text, n.describe())
		}
		n.pos = t.pos
		t = n
		if neg {
			t.text = "-" + t.text
		}
	}
	lit := &Literal{Offset: t.pos}
	switch t.kind {
	case tokInt:
		i, err := strconv.ParseInt(t.text, 10, 64)
		if err != nil {
			return nil, p.errAt(t, "integer %s is out of the int64 range", t.text)
		}
		lit.Value = dataset.Int64(i)
	case tokFloat:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil && !(errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0)) {
			return nil, p.errAt(t, "bad number %s", t.text)
		}
		lit.Value = dataset.Float64(f)
	case tokString:
		lit.Value = dataset.String(t.text)
	case tokHex:
		b, _ := hex.DecodeString(t.text) // the lexer checked the digits
		lit.Value = dataset.Bytes(b)
	case tokKeyword:
		switch t.text {
		case "NULL":
			lit.Value = dataset.Null
		case "TRUE":
			lit.Value = dataset.Bool(true)
		case "FALSE":
			lit.Value = dataset.Bool(false)
		case "TIMESTAMP":
			s := p.next()
			if s.kind != tokString {
				return nil, p.errAt(s, "TIMESTAMP needs a quoted RFC 3339 time, found %s", s.describe())
			}
			ts, err := time.Parse(time.RFC3339Nano, s.text)
			if err != nil {
				return nil, p.errAt(s, "TIMESTAMP '%s' is not an RFC 3339 time like 2026-01-02T15:04:05Z", s.text)
			}
			lit.Value = dataset.Timestamp(ts)
		default:
			return nil, p.errAt(t, "expected a value, found %s", t.describe())
		}
	default:
		return nil, p.errAt(t, "expected a column or a value, found %s", t.describe())
	}
	return lit, nil
}

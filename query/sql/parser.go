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
	if err := checkLength(q); err != nil {
		return nil, err
	}
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{q: q, toks: toks, implicitAlias: -1}
	st := &Statement{}
	st.Explain = p.acceptKeyword("EXPLAIN")
	if st.Query, err = p.selectStmt(); err != nil {
		return nil, err
	}
	if p.isOp(";") {
		p.i++
	}
	if t := p.peek(); t.kind != tokEOF {
		if p.implicitAlias >= 0 && p.implicitAlias == p.i-1 {
			a := p.toks[p.implicitAlias]
			return nil, p.errAt(t, "unexpected %s: %q was read as the name of the expression before it; is a comma or a keyword misspelt?", t.describe(), a.text)
		}
		return nil, p.errAt(t, "unexpected %s after the end of the statement", t.describe())
	}
	refs := TableRefs(st.Query)
	if len(refs) > 0 {
		st.From, st.FromPos = refs[0].Name, refs[0].Offset
		for _, r := range refs[1:] {
			if r.Name != st.From {
				st.From = ""
				break
			}
		}
	}
	return st, nil
}

func checkLength(q string) error {
	if len(q) > MaxQueryLength {
		return &Error{Line: 1, Column: 1, Msg: fmt.Sprintf("query is %d bytes, the limit is %d", len(q), MaxQueryLength)}
	}
	return nil
}

type parser struct {
	q     string
	toks  []token
	i     int
	depth int
	// implicitAlias is the token index of the last alias written without
	// AS, for a better error when it was a misspelt keyword.
	implicitAlias int
}

func (p *parser) peek() token { return p.toks[p.i] }

// peekAt looks n tokens ahead (EOF past the end).
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

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

func (p *parser) acceptOp(op string) bool {
	if p.isOp(op) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectOp(op string) error {
	if !p.isOp(op) {
		return p.errAt(p.peek(), "expected %q, found %s", op, p.peek().describe())
	}
	p.i++
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt(p.peek(), "query is nested more than %d levels deep", MaxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// selectStmt is a compound SELECT with ORDER BY and LIMIT.
func (p *parser) selectStmt() (*Select, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	s := &Select{}
	for {
		c, err := p.selectCore()
		if err != nil {
			return nil, err
		}
		s.Cores = append(s.Cores, c)
		var op SetOp
		switch {
		case p.acceptKeyword("UNION"):
			op = Union
			if p.acceptKeyword("ALL") {
				op = UnionAll
			}
		case p.acceptKeyword("EXCEPT"):
			op = Except
		case p.acceptKeyword("INTERSECT"):
			op = Intersect
		}
		if op == 0 {
			break
		}
		if len(s.Cores) == MaxCompound {
			return nil, p.errAt(p.peek(), "more than %d SELECTs combined", MaxCompound)
		}
		s.Ops = append(s.Ops, op)
	}
	if p.acceptKeyword("ORDER") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		for {
			if len(s.OrderBy) == MaxItems {
				return nil, p.errAt(p.peek(), "ORDER BY has more than %d keys", MaxItems)
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			item := OrderItem{Expr: e}
			if p.acceptKeyword("DESC") {
				item.Desc = true
			} else {
				p.acceptKeyword("ASC")
			}
			s.OrderBy = append(s.OrderBy, item)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKeyword("LIMIT") {
		n, err := p.count("LIMIT")
		if err != nil {
			return nil, err
		}
		if p.acceptOp(",") { // LIMIT offset, count
			m, err := p.count("LIMIT")
			if err != nil {
				return nil, err
			}
			n, m = m, n
			s.Offset = nonNegative(m)
		} else if p.acceptKeyword("OFFSET") {
			m, err := p.count("OFFSET")
			if err != nil {
				return nil, err
			}
			s.Offset = nonNegative(m)
		}
		s.Limit = nonNegative(n)
	}
	return s, nil
}

// nonNegative is n, or nil for a negative n (no limit, as in SQLite).
func nonNegative(n int64) *int64 {
	if n < 0 {
		return nil
	}
	return &n
}

// count reads the integer of LIMIT or OFFSET; a negative LIMIT means no
// limit (SQLite).
func (p *parser) count(what string) (int64, error) {
	t := p.next()
	neg := false
	if t.kind == tokOp && (t.text == "-" || t.text == "+") {
		neg = t.text == "-"
		t = p.next()
	}
	if t.kind != tokInt {
		return 0, p.errAt(t, "%s needs an integer, found %s", what, t.describe())
	}
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return 0, p.errAt(t, "%s %s is too large", what, t.text)
	}
	if neg {
		if what == "OFFSET" {
			return 0, p.errAt(t, "OFFSET needs a non-negative integer, found -%s", t.text)
		}
		return -n, nil
	}
	return n, nil
}

func (p *parser) selectCore() (*SelectCore, error) {
	t := p.peek()
	if err := p.expectKeyword("SELECT"); err != nil {
		return nil, err
	}
	c := &SelectCore{Offset: t.pos}
	if p.acceptKeyword("DISTINCT") {
		c.Distinct = true
	} else {
		p.acceptKeyword("ALL")
	}
	for {
		if len(c.Items) == MaxItems {
			return nil, p.errAt(p.peek(), "the select list has more than %d items", MaxItems)
		}
		it, err := p.selectItem()
		if err != nil {
			return nil, err
		}
		c.Items = append(c.Items, it)
		if !p.acceptOp(",") {
			break
		}
	}
	if p.acceptKeyword("FROM") {
		n := 0
		from, err := p.joinList(&n)
		if err != nil {
			return nil, err
		}
		c.From = from
	}
	if p.acceptKeyword("WHERE") {
		w, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.Where = w
	}
	if p.acceptKeyword("GROUP") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		for {
			if len(c.GroupBy) == MaxItems {
				return nil, p.errAt(p.peek(), "GROUP BY has more than %d keys", MaxItems)
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.GroupBy = append(c.GroupBy, e)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKeyword("HAVING") {
		h, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.Having = h
	}
	return c, nil
}

func (p *parser) selectItem() (SelectItem, error) {
	t := p.peek()
	if p.acceptOp("*") {
		return SelectItem{Star: true, Offset: t.pos}, nil
	}
	if (t.kind == tokIdent || t.kind == tokQuotedIdent) && p.peekAt(1).kind == tokOp && p.peekAt(1).text == "." &&
		p.peekAt(2).kind == tokOp && p.peekAt(2).text == "*" {
		p.i += 3
		return SelectItem{Star: true, StarTable: t.text, Offset: t.pos}, nil
	}
	start := p.i
	e, err := p.expr()
	if err != nil {
		return SelectItem{}, err
	}
	it := SelectItem{Expr: e, Offset: t.pos}
	end := p.toks[p.i].pos
	if p.i > start {
		last := p.toks[p.i-1]
		end = last.pos + tokenLength(p.q, last)
	}
	it.Text = strings.TrimSpace(p.q[t.pos:end])
	alias, ok, err := p.alias()
	if err != nil {
		return SelectItem{}, err
	}
	if ok {
		it.Alias = alias
	}
	return it, nil
}

// tokenLength is how many bytes of q the token spans.
func tokenLength(q string, t token) int {
	switch t.kind {
	case tokString, tokQuotedIdent, tokHex:
		quote := byte('\'')
		start := t.pos
		if t.kind == tokQuotedIdent {
			quote = '"'
		}
		if t.kind == tokHex {
			start++
		}
		_, end, err := lexQuoted(q, start, quote)
		if err != nil {
			return len(t.text)
		}
		return end - t.pos
	case tokEOF:
		return 0
	}
	// Keywords are upper-cased but as long as written; other tokens are
	// their text.
	return len(t.text)
}

// alias reads [AS] name.
func (p *parser) alias() (string, bool, error) {
	if p.acceptKeyword("AS") {
		t := p.next()
		if t.kind != tokIdent && t.kind != tokQuotedIdent && t.kind != tokString {
			return "", false, p.errAt(t, "expected a name after AS, found %s", t.describe())
		}
		return t.text, true, nil
	}
	if t := p.peek(); t.kind == tokIdent || t.kind == tokQuotedIdent {
		p.implicitAlias = p.i
		p.i++
		return t.text, true, nil
	}
	return "", false, nil
}

// joinList is table [, table | JOIN table [ON …|USING (…)]]….
func (p *parser) joinList(n *int) (TableExpr, error) {
	left, err := p.tableItem(n)
	if err != nil {
		return nil, err
	}
	for {
		j := &Join{Left: left}
		switch {
		case p.acceptOp(","):
			j.Kind = JoinComma
		case p.isKeyword("JOIN", "INNER", "LEFT", "CROSS", "NATURAL"):
			if p.acceptKeyword("NATURAL") {
				j.Natural = true
			}
			switch {
			case p.acceptKeyword("LEFT"):
				p.acceptKeyword("OUTER")
				j.Kind = JoinLeft
			case p.acceptKeyword("CROSS"):
				j.Kind = JoinCross
			default:
				p.acceptKeyword("INNER")
				j.Kind = JoinInner
			}
			if err := p.expectKeyword("JOIN"); err != nil {
				return nil, err
			}
		default:
			return left, nil
		}
		right, err := p.tableItem(n)
		if err != nil {
			return nil, err
		}
		j.Right = right
		if j.Kind != JoinComma && !j.Natural {
			switch {
			case p.acceptKeyword("ON"):
				on, err := p.expr()
				if err != nil {
					return nil, err
				}
				j.On = on
			case p.acceptKeyword("USING"):
				if err := p.expectOp("("); err != nil {
					return nil, err
				}
				for {
					t := p.next()
					if t.kind != tokIdent && t.kind != tokQuotedIdent {
						return nil, p.errAt(t, "expected a column name in USING, found %s", t.describe())
					}
					j.Using = append(j.Using, t.text)
					if !p.acceptOp(",") {
						break
					}
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
			}
		}
		left = j
	}
}

func (p *parser) tableItem(n *int) (TableExpr, error) {
	*n++
	if *n > MaxTables {
		return nil, p.errAt(p.peek(), "more than %d tables in one FROM", MaxTables)
	}
	t := p.next()
	switch {
	case t.kind == tokOp && t.text == "(" && !p.isKeyword("SELECT"):
		// A parenthesised join, (a JOIN b ON …), or one table, (a AS x).
		*n--
		if err := p.enter(); err != nil {
			return nil, err
		}
		inner, err := p.joinList(n)
		p.leave()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		at := p.peek()
		alias, _, err := p.alias()
		if err != nil || alias == "" {
			return inner, err
		}
		switch x := inner.(type) {
		case *TableRef:
			if x.Alias == "" {
				x.Alias = alias
				return x, nil
			}
		case *DerivedTable:
			if x.Alias == "" {
				x.Alias = alias
				return x, nil
			}
		}
		return nil, p.errAt(at, "a parenthesised FROM item that is already named or is a join cannot be renamed %q; name its tables inside the parentheses, or write (SELECT * FROM …) AS %s", alias, alias)
	case t.kind == tokOp && t.text == "(":
		sub, err := p.selectStmt()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		d := &DerivedTable{Select: sub, Offset: t.pos}
		alias, _, err := p.alias()
		if err != nil {
			return nil, err
		}
		d.Alias = alias
		return d, nil
	case t.kind == tokIdent || t.kind == tokQuotedIdent:
		r := &TableRef{Name: t.text, Offset: t.pos}
		if !p.isIdentWord("INDEXED") {
			alias, _, err := p.alias()
			if err != nil {
				return nil, err
			}
			r.Alias = alias
		}
		switch {
		case p.isKeyword("NOT") && strings.EqualFold(p.peekAt(1).text, "INDEXED"):
			p.i += 2
			r.Hint = "NOT INDEXED"
		case p.isIdentWord("INDEXED") && p.peekAt(1).kind == tokKeyword && p.peekAt(1).text == "BY":
			p.i += 2
			n := p.next()
			if n.kind != tokIdent && n.kind != tokQuotedIdent {
				return nil, p.errAt(n, "expected an index name after INDEXED BY, found %s", n.describe())
			}
			r.Hint = "INDEXED BY " + QuoteName(n.text)
		}
		return r, nil
	}
	return nil, p.errAt(t, "expected a dataset name after FROM, found %s", t.describe())
}

// Expressions, lowest precedence first: OR, AND, NOT, equality-level
// (= == != <> IS IN LIKE BETWEEN ISNULL NOTNULL), < <= > >=, & | << >>,
// + -, * / %, ||, unary - + ~, primary.

func (p *parser) expr() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
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
		defer p.leave()
		x, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		return &Not{X: x, Offset: t.pos}, nil
	}
	return p.equality()
}

func (p *parser) equality() (Expr, error) {
	l, err := p.comparison()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		switch {
		case t.kind == tokOp && (t.text == "=" || t.text == "==" || t.text == "!=" || t.text == "<>"):
			p.i++
			r, err := p.comparison()
			if err != nil {
				return nil, err
			}
			op := Equal
			if t.text == "!=" || t.text == "<>" {
				op = NotEqual
			}
			l = &Compare{Op: op, L: l, R: r}
		case p.isKeyword("ISNULL"):
			p.i++
			l = &IsNull{X: l}
		case p.isKeyword("NOTNULL"):
			p.i++
			l = &IsNull{X: l, Not: true}
		case p.isKeyword("IS"):
			p.i++
			not := p.acceptKeyword("NOT")
			if p.isIdentWord("DISTINCT") {
				p.i++
				if err := p.expectKeyword("FROM"); err != nil {
					return nil, err
				}
				not = !not
			}
			if p.acceptKeyword("NULL") {
				l = &IsNull{X: l, Not: not}
				continue
			}
			r, err := p.comparison()
			if err != nil {
				return nil, err
			}
			l = &Is{L: l, R: r, Not: not}
		case p.isKeyword("NOT") && p.peekAt(1).kind == tokKeyword && p.peekAt(1).text == "NULL":
			p.i += 2
			l = &IsNull{X: l, Not: true}
		case p.isKeyword("IN", "BETWEEN", "LIKE") || (p.isKeyword("NOT") && p.peekAt(1).kind == tokKeyword &&
			(p.peekAt(1).text == "IN" || p.peekAt(1).text == "BETWEEN" || p.peekAt(1).text == "LIKE")):
			not := p.acceptKeyword("NOT")
			switch {
			case p.acceptKeyword("IN"):
				in, err := p.inTail(l, not)
				if err != nil {
					return nil, err
				}
				l = in
			case p.acceptKeyword("BETWEEN"):
				lo, err := p.comparison()
				if err != nil {
					return nil, err
				}
				if err := p.expectKeyword("AND"); err != nil {
					return nil, err
				}
				hi, err := p.comparison()
				if err != nil {
					return nil, err
				}
				l = &Between{X: l, Lo: lo, Hi: hi, Not: not}
			default:
				p.acceptKeyword("LIKE")
				pat, err := p.comparison()
				if err != nil {
					return nil, err
				}
				like := &Like{X: l, Pattern: pat, Not: not}
				if p.acceptKeyword("ESCAPE") {
					if like.Escape, err = p.comparison(); err != nil {
						return nil, err
					}
				}
				l = like
			}
		default:
			return l, nil
		}
	}
}

// isIdentWord reports whether the next token is the bare word w (a
// non-reserved word such as DISTINCT after IS is read as a keyword here).
func (p *parser) isIdentWord(w string) bool {
	t := p.peek()
	return (t.kind == tokIdent || t.kind == tokKeyword) && strings.EqualFold(t.text, w)
}

func (p *parser) inTail(x Expr, not bool) (Expr, error) {
	if t := p.peek(); t.kind == tokIdent || t.kind == tokQuotedIdent {
		// x IN table: SQLite's short form of x IN (SELECT * FROM table).
		p.i++
		sub := &Select{Cores: []*SelectCore{{Items: []SelectItem{{Star: true, Offset: t.pos}}, From: &TableRef{Name: t.text, Offset: t.pos}, Offset: t.pos}}}
		return &In{X: x, Sub: sub, Not: not}, nil
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	in := &In{X: x, Not: not}
	if p.isKeyword("SELECT") {
		sub, err := p.selectStmt()
		if err != nil {
			return nil, err
		}
		in.Sub = sub
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return in, nil
	}
	if p.acceptOp(")") { // x IN () is false, as in SQLite
		return in, nil
	}
	for {
		if len(in.List) == MaxInList {
			return nil, p.errAt(p.peek(), "IN list has more than %d values", MaxInList)
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		in.List = append(in.List, v)
		if !p.acceptOp(",") {
			break
		}
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return in, nil
}

func (p *parser) comparison() (Expr, error) {
	l, err := p.bitwise()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokOp {
			return l, nil
		}
		var op CompareOp
		switch t.text {
		case "<":
			op = Less
		case "<=":
			op = LessEqual
		case ">":
			op = Greater
		case ">=":
			op = GreaterEqual
		default:
			return l, nil
		}
		p.i++
		r, err := p.bitwise()
		if err != nil {
			return nil, err
		}
		l = &Compare{Op: op, L: l, R: r}
	}
}

func (p *parser) binaryLevel(ops []string, next func() (Expr, error)) (Expr, error) {
	l, err := next()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		found := false
		if t.kind == tokOp {
			for _, o := range ops {
				if t.text == o {
					found = true
				}
			}
		}
		if !found {
			return l, nil
		}
		p.i++
		r, err := next()
		if err != nil {
			return nil, err
		}
		l = &Binary{Op: BinaryOp(t.text), L: l, R: r}
	}
}

func (p *parser) bitwise() (Expr, error) {
	return p.binaryLevel([]string{"&", "|", "<<", ">>"}, p.additive)
}

func (p *parser) additive() (Expr, error) {
	return p.binaryLevel([]string{"+", "-"}, p.multiplicative)
}

func (p *parser) multiplicative() (Expr, error) {
	return p.binaryLevel([]string{"*", "/", "%"}, p.concat)
}

func (p *parser) concat() (Expr, error) {
	return p.binaryLevel([]string{"||"}, p.unary)
}

func (p *parser) unary() (Expr, error) {
	t := p.peek()
	if t.kind == tokOp && (t.text == "-" || t.text == "+" || t.text == "~") {
		p.i++
		// A minus right before a number is part of the literal, so
		// -9223372036854775808 is an int64.
		if n := p.peek(); t.text == "-" && (n.kind == tokInt || n.kind == tokFloat) {
			p.i++
			return p.number(n, true, t.pos)
		}
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Unary{Op: t.text, X: x, Offset: t.pos}, nil
	}
	return p.primary()
}

func (p *parser) number(t token, neg bool, pos int) (Expr, error) {
	text := t.text
	if neg {
		text = "-" + text
	}
	lit := &Literal{Offset: pos}
	if t.kind == tokInt {
		i, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, errorAt(p.q, pos, fmt.Sprintf("integer %s is out of the int64 range (write it as a float, %s.0, if you mean an approximate number)", text, text))
		}
		lit.Value = dataset.Int64(i)
		return lit, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !(errors.Is(err, strconv.ErrRange) && (math.IsInf(f, 0) || f == 0)) {
		return nil, errorAt(p.q, pos, "bad number "+text)
	}
	lit.Value = dataset.Float64(f)
	return lit, nil
}

func (p *parser) primary() (Expr, error) {
	t := p.next()
	switch t.kind {
	case tokInt, tokFloat:
		return p.number(t, false, t.pos)
	case tokString:
		return &Literal{Value: dataset.String(t.text), Offset: t.pos}, nil
	case tokHex:
		b, _ := hex.DecodeString(t.text) // the lexer checked the digits
		if b == nil {
			b = []byte{}
		}
		return &Literal{Value: dataset.Bytes(b), Offset: t.pos}, nil
	case tokIdent, tokQuotedIdent:
		if t.kind == tokIdent && p.isOp("(") {
			return p.call(t)
		}
		if p.isOp(".") {
			p.i++
			n := p.next()
			if n.kind != tokIdent && n.kind != tokQuotedIdent {
				return nil, p.errAt(n, "expected a column name after %s., found %s", t.text, n.describe())
			}
			return &ColumnRef{Table: t.text, Name: n.text, Offset: t.pos}, nil
		}
		return &ColumnRef{Name: t.text, Offset: t.pos}, nil
	case tokOp:
		if t.text == "(" {
			if p.isKeyword("SELECT") {
				sub, err := p.selectStmt()
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				return &Subquery{Select: sub, Offset: t.pos}, nil
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return e, nil
		}
	case tokKeyword:
		switch t.text {
		case "NULL":
			return &Literal{Value: dataset.Null, Offset: t.pos}, nil
		case "TRUE":
			return &Literal{Value: dataset.Bool(true), Offset: t.pos}, nil
		case "FALSE":
			return &Literal{Value: dataset.Bool(false), Offset: t.pos}, nil
		case "TIMESTAMP":
			return p.timestamp(t)
		case "CASE":
			return p.caseExpr(t)
		case "CAST":
			return p.cast(t)
		case "EXISTS":
			if err := p.expectOp("("); err != nil {
				return nil, err
			}
			if !p.isKeyword("SELECT") {
				return nil, p.errAt(p.peek(), "EXISTS needs a subquery, found %s", p.peek().describe())
			}
			sub, err := p.selectStmt()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return &Exists{Select: sub, Offset: t.pos}, nil
		}
	case tokEOF:
	}
	return nil, p.errAt(t, "expected a column or a value, found %s", t.describe())
}

func (p *parser) timestamp(t token) (Expr, error) {
	s := p.next()
	if s.kind != tokString {
		return nil, p.errAt(s, "TIMESTAMP needs a quoted RFC 3339 time, found %s", s.describe())
	}
	ts, err := time.Parse(time.RFC3339Nano, s.text)
	if err != nil {
		return nil, p.errAt(s, "TIMESTAMP '%s' is not an RFC 3339 time like 2026-01-02T15:04:05Z", s.text)
	}
	// Whole microseconds rounded down (towards the past, also before
	// 1970), and the nanoseconds beyond them, so that comparisons with
	// microsecond timestamps stay exact.
	sec, nsec := ts.Unix(), int64(ts.Nanosecond())
	if sec >= math.MaxInt64/1_000_000 || sec <= math.MinInt64/1_000_000 {
		return nil, p.errAt(s, "TIMESTAMP '%s' is outside the range of microsecond timestamps", s.text)
	}
	micros := sec*1_000_000 + nsec/1000
	return &Literal{Value: dataset.Value{Kind: dataset.TypeTimestamp, Int: micros}, SubMicros: int32(nsec % 1000), Offset: t.pos}, nil
}

func (p *parser) call(name token) (Expr, error) {
	p.i++ // (
	call := &Call{Func: strings.ToUpper(name.text), Offset: name.pos}
	if p.acceptOp("*") {
		call.Star = true
		if call.Func != FuncCount {
			return nil, p.errAt(p.toks[p.i-1], "only COUNT takes *")
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return call, nil
	}
	if p.acceptKeyword("DISTINCT") {
		call.Distinct = true
	} else {
		p.acceptKeyword("ALL")
	}
	if p.acceptOp(")") {
		if call.Distinct {
			return nil, p.errAt(p.toks[p.i-1], "%s(DISTINCT) needs an argument", call.Func)
		}
		return call, nil
	}
	for {
		if len(call.Args) == MaxItems {
			return nil, p.errAt(p.peek(), "%s has more than %d arguments", call.Func, MaxItems)
		}
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, a)
		if !p.acceptOp(",") {
			break
		}
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return call, nil
}

func (p *parser) caseExpr(t token) (Expr, error) {
	c := &Case{Offset: t.pos}
	if !p.isKeyword("WHEN") {
		op, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.Operand = op
	}
	for p.acceptKeyword("WHEN") {
		if len(c.Whens) == MaxItems {
			return nil, p.errAt(p.peek(), "CASE has more than %d WHENs", MaxItems)
		}
		cond, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectKeyword("THEN"); err != nil {
			return nil, err
		}
		res, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.Whens = append(c.Whens, When{Cond: cond, Result: res})
	}
	if len(c.Whens) == 0 {
		return nil, p.errAt(p.peek(), "CASE needs at least one WHEN, found %s", p.peek().describe())
	}
	if p.acceptKeyword("ELSE") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.Else = e
	}
	if err := p.expectKeyword("END"); err != nil {
		return nil, err
	}
	return c, nil
}

func (p *parser) cast(t token) (Expr, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expectKeyword("AS"); err != nil {
		return nil, err
	}
	var words []string
	for {
		w := p.peek()
		if w.kind != tokIdent && w.kind != tokKeyword || w.text == "AS" {
			break
		}
		if w.kind == tokKeyword && w.text != "TIMESTAMP" {
			break
		}
		p.i++
		words = append(words, strings.ToUpper(w.text))
	}
	if len(words) == 0 {
		return nil, p.errAt(p.peek(), "expected a type name after AS, found %s", p.peek().describe())
	}
	// A size in parentheses (VARCHAR(10), DECIMAL(10,2)) is accepted and
	// does not change the conversion, as in SQLite.
	if p.acceptOp("(") {
		for !p.isOp(")") {
			n := p.next()
			if n.kind != tokInt && !(n.kind == tokOp && (n.text == "," || n.text == "-" || n.text == "+")) {
				return nil, p.errAt(n, "expected a type size, found %s", n.describe())
			}
		}
		p.i++
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return &Cast{X: x, Type: strings.Join(words, " "), Offset: t.pos}, nil
}

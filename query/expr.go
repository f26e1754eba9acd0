package query

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Compiled expressions. The binder (bind.go) turns the AST into these
// nodes, with names resolved to row positions and types checked; the
// executor evaluates them against a rowCtx.

// rowCtx is where an expression is evaluated: the current row of its query
// block (the concatenated columns of its FROM items, or after aggregation
// the group's keys and aggregates) and, for correlated subqueries, the
// contexts of the enclosing blocks.
type rowCtx struct {
	row   dataset.Row
	outer *rowCtx
	ex    *executor
}

// expr is a compiled expression.
type expr interface {
	eval(c *rowCtx) (dataset.Value, error)
}

// tester is an expression that yields a truth value directly.
type tester interface {
	test(c *rowCtx) (tri, error)
}

// test evaluates e as a condition.
func test(e expr, c *rowCtx) (tri, error) {
	if t, ok := e.(tester); ok {
		return t.test(c)
	}
	v, err := e.eval(c)
	if err != nil {
		return triUnknown, err
	}
	return truth(v)
}

// colRef is a column of the row depth blocks out (0: this block).
type colRef struct {
	depth int
	idx   int
}

func (e *colRef) eval(c *rowCtx) (dataset.Value, error) {
	for d := e.depth; d > 0; d-- {
		c = c.outer
	}
	return c.row[e.idx], nil
}

// constExpr is a constant. A timestamp finer than a microsecond keeps the
// nanoseconds beyond Value in sub (comparisons use them; as a value it is
// Value).
type constExpr struct {
	v   dataset.Value
	sub int32
}

func (e *constExpr) eval(*rowCtx) (dataset.Value, error) { return e.v, nil }

// cmpExpr is l op r. checked: the compiler proved both sides of one class
// (or NULL), so no run-time class check is needed.
type cmpExpr struct {
	op      sql.CompareOp
	l, r    expr
	checked bool
}

func (e *cmpExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *cmpExpr) test(c *rowCtx) (tri, error) {
	a, err := e.l.eval(c)
	if err != nil {
		return triUnknown, err
	}
	b, err := e.r.eval(c)
	if err != nil {
		return triUnknown, err
	}
	if a.IsNull() || b.IsNull() {
		return triUnknown, nil
	}
	var n int
	switch {
	case e.checked:
		n = compareValues(a, b)
	default:
		var ok bool
		if n, ok, err = compareChecked(a, b); err != nil || !ok {
			return triUnknown, err
		}
	}
	if n == 0 {
		n = subMicroTiebreak(e.l, e.r)
	}
	return boolTri(cmpHolds(e.op, n)), nil
}

// subMicroTiebreak orders a timestamp against a constant that equals it up
// to the microsecond but carries nanoseconds: the constant is larger.
func subMicroTiebreak(l, r expr) int {
	if c, ok := r.(*constExpr); ok && c.sub != 0 {
		return -1
	}
	if c, ok := l.(*constExpr); ok && c.sub != 0 {
		return 1
	}
	return 0
}

func cmpHolds(op sql.CompareOp, n int) bool {
	switch op {
	case sql.Equal:
		return n == 0
	case sql.NotEqual:
		return n != 0
	case sql.Less:
		return n < 0
	case sql.LessEqual:
		return n <= 0
	case sql.Greater:
		return n > 0
	case sql.GreaterEqual:
		return n >= 0
	}
	return false
}

// isExpr is l IS [NOT] r: equality where NULL equals NULL.
type isExpr struct {
	l, r    expr
	not     bool
	checked bool
}

func (e *isExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *isExpr) test(c *rowCtx) (tri, error) {
	a, err := e.l.eval(c)
	if err != nil {
		return triUnknown, err
	}
	b, err := e.r.eval(c)
	if err != nil {
		return triUnknown, err
	}
	var same bool
	switch {
	case a.IsNull() || b.IsNull():
		same = a.IsNull() && b.IsNull()
	case e.checked:
		same = compareValues(a, b) == 0 && subMicroTiebreak(e.l, e.r) == 0
	default:
		n, _, err := compareChecked(a, b)
		if err != nil {
			return triUnknown, err
		}
		same = n == 0 && subMicroTiebreak(e.l, e.r) == 0
	}
	return boolTri(same != e.not), nil
}

type isNullExpr struct {
	x   expr
	not bool
}

func (e *isNullExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *isNullExpr) test(c *rowCtx) (tri, error) {
	v, err := e.x.eval(c)
	if err != nil {
		return triUnknown, err
	}
	return boolTri(v.IsNull() != e.not), nil
}

type andExpr struct{ l, r expr }

func (e *andExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *andExpr) test(c *rowCtx) (tri, error) {
	a, err := test(e.l, c)
	if err != nil || a == triFalse {
		return triFalse, err
	}
	b, err := test(e.r, c)
	if err != nil {
		return triUnknown, err
	}
	switch {
	case b == triFalse:
		return triFalse, nil
	case a == triTrue && b == triTrue:
		return triTrue, nil
	}
	return triUnknown, nil
}

type orExpr struct{ l, r expr }

func (e *orExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *orExpr) test(c *rowCtx) (tri, error) {
	a, err := test(e.l, c)
	if err != nil || a == triTrue {
		return a, err
	}
	b, err := test(e.r, c)
	if err != nil {
		return triUnknown, err
	}
	switch {
	case b == triTrue:
		return triTrue, nil
	case a == triFalse && b == triFalse:
		return triFalse, nil
	}
	return triUnknown, nil
}

type notExpr struct{ x expr }

func (e *notExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *notExpr) test(c *rowCtx) (tri, error) {
	t, err := test(e.x, c)
	return t.not(), err
}

// inListExpr is x [NOT] IN (list). When every item is a constant, set
// holds their equality keys.
type inListExpr struct {
	x       expr
	list    []expr
	not     bool
	checked bool
	set     map[string]struct{}
	hasNull bool // a constant NULL item
	keyBuf  []byte
}

func (e *inListExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *inListExpr) test(c *rowCtx) (tri, error) {
	x, err := e.x.eval(c)
	if err != nil {
		return triUnknown, err
	}
	var res tri
	switch {
	case len(e.list) == 0:
		res = triFalse
	case x.IsNull():
		res = triUnknown
	case e.set != nil:
		// Keys are built per call: a shared buffer would race between
		// queries running one plan concurrently? Plans are per query, so
		// it is safe.
		e.keyBuf = appendEqKey(e.keyBuf[:0], x)
		_, found := e.set[string(e.keyBuf)]
		switch {
		case found:
			res = triTrue
		case e.hasNull:
			res = triUnknown
		default:
			res = triFalse
			if !e.checked {
				for _, it := range e.list {
					if _, _, err := compareChecked(x, it.(*constExpr).v); err != nil {
						return triUnknown, err
					}
				}
			}
		}
	default:
		res = triFalse
		for _, it := range e.list {
			v, err := it.eval(c)
			if err != nil {
				return triUnknown, err
			}
			if v.IsNull() {
				res = triUnknown
				continue
			}
			var n int
			if e.checked {
				n = compareValues(x, v)
			} else if n, _, err = compareChecked(x, v); err != nil {
				return triUnknown, err
			}
			if n == 0 && subMicroTiebreak(e.x, it) == 0 {
				res = triTrue
				break
			}
		}
	}
	if e.not {
		return res.not(), nil
	}
	return res, nil
}

// betweenExpr is x [NOT] BETWEEN lo AND hi, x evaluated once.
type betweenExpr struct {
	x, lo, hi expr
	not       bool
	checked   bool
}

func (e *betweenExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *betweenExpr) test(c *rowCtx) (tri, error) {
	x, err := e.x.eval(c)
	if err != nil {
		return triUnknown, err
	}
	side := func(b expr, op sql.CompareOp) (tri, error) {
		v, err := b.eval(c)
		if err != nil || x.IsNull() || v.IsNull() {
			return triUnknown, err
		}
		var n int
		if e.checked {
			n = compareValues(x, v)
		} else if n, _, err = compareChecked(x, v); err != nil {
			return triUnknown, err
		}
		if n == 0 {
			n = subMicroTiebreak(e.x, b)
		}
		return boolTri(cmpHolds(op, n)), nil
	}
	a, err := side(e.lo, sql.GreaterEqual)
	if err != nil {
		return triUnknown, err
	}
	var res tri
	if a == triFalse {
		res = triFalse
	} else {
		b, err := side(e.hi, sql.LessEqual)
		if err != nil {
			return triUnknown, err
		}
		switch {
		case b == triFalse:
			res = triFalse
		case a == triTrue && b == triTrue:
			res = triTrue
		default:
			res = triUnknown
		}
	}
	if e.not {
		return res.not(), nil
	}
	return res, nil
}

// arithExpr is l op r on numbers, with SQLite's rules: integers stay
// integers (division truncates; overflow is an error, see ErrOverflow),
// a float on either side makes a float, division or remainder by zero is
// NULL.
type arithExpr struct {
	op   sql.BinaryOp
	l, r expr
	text string // for errors
}

func (e *arithExpr) eval(c *rowCtx) (dataset.Value, error) {
	a, err := e.l.eval(c)
	if err != nil {
		return dataset.Null, err
	}
	b, err := e.r.eval(c)
	if err != nil {
		return dataset.Null, err
	}
	if a.IsNull() || b.IsNull() {
		return dataset.Null, nil
	}
	if err := arithOperand(a, e.op); err != nil {
		return dataset.Null, err
	}
	if err := arithOperand(b, e.op); err != nil {
		return dataset.Null, err
	}
	return arith(e.op, a, b, e.text)
}

func arithOperand(v dataset.Value, op sql.BinaryOp) error {
	if v.Kind == dataset.TypeInt64 || v.Kind == dataset.TypeFloat64 || v.Kind == dataset.TypeBool {
		return nil
	}
	return fmt.Errorf("%s needs numbers; %s is a %s", op, quoteValue(v), kindName(v.Kind))
}

func kindName(k dataset.ColumnType) string {
	if k == 0 {
		return "NULL"
	}
	return k.String()
}

func arith(op sql.BinaryOp, a, b dataset.Value, text string) (dataset.Value, error) {
	if a.Kind == dataset.TypeFloat64 || b.Kind == dataset.TypeFloat64 {
		x, y := asFloat(a), asFloat(b)
		var r float64
		switch op {
		case sql.Add:
			r = x + y
		case sql.Sub:
			r = x - y
		case sql.Mul:
			r = x * y
		case sql.Div:
			if y == 0 {
				return dataset.Null, nil
			}
			r = x / y
		case sql.Mod:
			ia, ib := floatToInt(x), floatToInt(y)
			if ib == 0 {
				return dataset.Null, nil
			}
			if ib == -1 {
				ib = 1
			}
			r = float64(ia % ib)
		default:
			return bitOp(op, floatToInt(x), floatToInt(y))
		}
		if math.IsNaN(r) {
			return dataset.Null, nil // SQLite has no NaN
		}
		return dataset.Float64(r + 0), nil // SQLite shows no -0: x + 0 is +0 for ±0
	}
	x, y := a.Int, b.Int
	switch op {
	case sql.Add:
		r := x + y
		if (x >= 0) == (y >= 0) && (r >= 0) != (x >= 0) {
			return dataset.Null, overflow(text)
		}
		return dataset.Int64(r), nil
	case sql.Sub:
		r := x - y
		if (x >= 0) != (y >= 0) && (r >= 0) != (x >= 0) {
			return dataset.Null, overflow(text)
		}
		return dataset.Int64(r), nil
	case sql.Mul:
		hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
		neg := (x < 0) != (y < 0)
		// abs64(MinInt64) is MinInt64, whose uint64 is its magnitude 2^63.
		if hi != 0 || (!neg && lo > math.MaxInt64) || (neg && lo > 1<<63) {
			return dataset.Null, overflow(text)
		}
		if neg {
			return dataset.Int64(-int64(lo)), nil
		}
		return dataset.Int64(int64(lo)), nil
	case sql.Div:
		if y == 0 {
			return dataset.Null, nil
		}
		if x == math.MinInt64 && y == -1 {
			return dataset.Null, overflow(text)
		}
		return dataset.Int64(x / y), nil
	case sql.Mod:
		if y == 0 {
			return dataset.Null, nil
		}
		if y == -1 {
			return dataset.Int64(0), nil
		}
		return dataset.Int64(x % y), nil
	}
	return bitOp(op, x, y)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x // MinInt64 stays MinInt64; callers check it
	}
	return x
}

func overflow(text string) error {
	return fmt.Errorf("%w in %s (the result does not fit an int64; CAST an operand AS REAL for an approximate result)", ErrOverflow, text)
}

func asFloat(v dataset.Value) float64 {
	if v.Kind == dataset.TypeFloat64 {
		return v.Float
	}
	return float64(v.Int)
}

// bitOp is & | << >> on integers, as SQLite: shifts by 64 or more give 0
// (or -1 for a negative number shifted right), negative shifts reverse.
func bitOp(op sql.BinaryOp, x, y int64) (dataset.Value, error) {
	switch op {
	case sql.BitAnd:
		return dataset.Int64(x & y), nil
	case sql.BitOr:
		return dataset.Int64(x | y), nil
	}
	if op == sql.Shr {
		op, y = sql.Shl, -y
		if y == math.MinInt64 {
			y = math.MinInt64 + 1
		}
	}
	if y < 0 {
		// right shift by -y
		n := -y
		if n >= 64 {
			if x < 0 {
				return dataset.Int64(-1), nil
			}
			return dataset.Int64(0), nil
		}
		return dataset.Int64(x >> uint(n)), nil
	}
	if y >= 64 {
		return dataset.Int64(0), nil
	}
	return dataset.Int64(int64(uint64(x) << uint(y))), nil
}

// negExpr is -x.
type negExpr struct {
	x    expr
	text string
}

func (e *negExpr) eval(c *rowCtx) (dataset.Value, error) {
	v, err := e.x.eval(c)
	if err != nil || v.IsNull() {
		return dataset.Null, err
	}
	switch v.Kind {
	case dataset.TypeFloat64:
		return dataset.Float64(0 - v.Float), nil // SQLite computes -x as 0 - x: no -0
	case dataset.TypeInt64, dataset.TypeBool:
		if v.Int == math.MinInt64 {
			return dataset.Null, overflow(e.text)
		}
		return dataset.Int64(-v.Int), nil
	}
	return dataset.Null, arithOperand(v, "-")
}

// bitNotExpr is ~x.
type bitNotExpr struct{ x expr }

func (e *bitNotExpr) eval(c *rowCtx) (dataset.Value, error) {
	v, err := e.x.eval(c)
	if err != nil || v.IsNull() {
		return dataset.Null, err
	}
	switch v.Kind {
	case dataset.TypeFloat64:
		return dataset.Int64(^floatToInt(v.Float)), nil
	case dataset.TypeInt64, dataset.TypeBool:
		return dataset.Int64(^v.Int), nil
	}
	return dataset.Null, arithOperand(v, "~")
}

// concatExpr is l || r: text, numbers converted as SQLite converts them.
type concatExpr struct{ l, r expr }

func (e *concatExpr) eval(c *rowCtx) (dataset.Value, error) {
	a, err := e.l.eval(c)
	if err != nil {
		return dataset.Null, err
	}
	b, err := e.r.eval(c)
	if err != nil {
		return dataset.Null, err
	}
	if a.IsNull() || b.IsNull() {
		return dataset.Null, nil
	}
	sa, err := asText(a, "||")
	if err != nil {
		return dataset.Null, err
	}
	sb, err := asText(b, "||")
	if err != nil {
		return dataset.Null, err
	}
	return dataset.String(sa + sb), nil
}

// asText is a value as text: strings as they are, numbers as SQLite writes
// them.
func asText(v dataset.Value, what string) (string, error) {
	switch v.Kind {
	case dataset.TypeString:
		return string(v.Bytes), nil
	case dataset.TypeInt64, dataset.TypeFloat64, dataset.TypeBool:
		return numericText(v), nil
	}
	return "", fmt.Errorf("%s needs text or numbers; %s is %s", what, quoteValue(v), kindName(v.Kind))
}

// caseExpr is CASE [operand] WHEN … THEN … [ELSE …] END.
type caseExpr struct {
	operand expr // nil: searched CASE
	conds   []expr
	results []expr
	els     expr // nil: NULL
	checked bool // operand and WHEN values of one class
}

func (e *caseExpr) eval(c *rowCtx) (dataset.Value, error) {
	var op dataset.Value
	if e.operand != nil {
		var err error
		if op, err = e.operand.eval(c); err != nil {
			return dataset.Null, err
		}
	}
	for i, cond := range e.conds {
		var hit bool
		if e.operand != nil {
			w, err := cond.eval(c)
			if err != nil {
				return dataset.Null, err
			}
			if !op.IsNull() && !w.IsNull() {
				var n int
				if e.checked {
					n = compareValues(op, w)
				} else if n, _, err = compareChecked(op, w); err != nil {
					return dataset.Null, err
				}
				hit = n == 0 && subMicroTiebreak(e.operand, cond) == 0
			}
		} else {
			t, err := test(cond, c)
			if err != nil {
				return dataset.Null, err
			}
			hit = t == triTrue
		}
		if hit {
			return e.results[i].eval(c)
		}
	}
	if e.els != nil {
		return e.els.eval(c)
	}
	return dataset.Null, nil
}

// likeExpr is x [NOT] LIKE pattern [ESCAPE esc]: % and _ wildcards, ASCII
// letters matched without case (SQLite's default).
type likeExpr struct {
	x, pattern, escape expr
	not                bool
}

func (e *likeExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *likeExpr) test(c *rowCtx) (tri, error) {
	x, err := e.x.eval(c)
	if err != nil {
		return triUnknown, err
	}
	p, err := e.pattern.eval(c)
	if err != nil {
		return triUnknown, err
	}
	esc := rune(-1)
	if e.escape != nil {
		ev, err := e.escape.eval(c)
		if err != nil {
			return triUnknown, err
		}
		if ev.IsNull() {
			return triUnknown, nil
		}
		s, err := asText(ev, "ESCAPE")
		if err != nil {
			return triUnknown, err
		}
		r := []rune(s)
		if len(r) != 1 {
			return triUnknown, fmt.Errorf("ESCAPE needs a single character, not %q", s)
		}
		esc = r[0]
	}
	if x.IsNull() || p.IsNull() {
		return triUnknown, nil
	}
	xs, err := asText(x, "LIKE")
	if err != nil {
		return triUnknown, err
	}
	ps, err := asText(p, "LIKE")
	if err != nil {
		return triUnknown, err
	}
	return boolTri(likeMatch([]rune(ps), []rune(xs), esc) != e.not), nil
}

func likeMatch(p, s []rune, esc rune) bool {
	for len(p) > 0 {
		switch {
		case p[0] == esc && len(p) > 1:
			if len(s) == 0 || !likeEq(p[1], s[0]) {
				return false
			}
			p, s = p[2:], s[1:]
		case p[0] == '%':
			for len(p) > 0 && p[0] == '%' {
				p = p[1:]
			}
			if len(p) == 0 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if likeMatch(p, s[i:], esc) {
					return true
				}
			}
			return false
		case p[0] == '_':
			if len(s) == 0 {
				return false
			}
			p, s = p[1:], s[1:]
		default:
			if len(s) == 0 || !likeEq(p[0], s[0]) {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return len(s) == 0
}

func likeEq(a, b rune) bool {
	if a < 128 && b < 128 {
		return asciiLower(byte(a)) == asciiLower(byte(b))
	}
	return a == b
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

// coalesceExpr returns its first non-NULL argument, evaluating no further.
type coalesceExpr struct{ args []expr }

func (e *coalesceExpr) eval(c *rowCtx) (dataset.Value, error) {
	for _, a := range e.args {
		v, err := a.eval(c)
		if err != nil || !v.IsNull() {
			return v, err
		}
	}
	return dataset.Null, nil
}

// funcExpr applies a scalar function to its evaluated arguments.
type funcExpr struct {
	name string
	fn   func(args []dataset.Value) (dataset.Value, error)
	args []expr
	buf  []dataset.Value
}

func (e *funcExpr) eval(c *rowCtx) (dataset.Value, error) {
	e.buf = e.buf[:0]
	for _, a := range e.args {
		v, err := a.eval(c)
		if err != nil {
			return dataset.Null, err
		}
		e.buf = append(e.buf, v)
	}
	return e.fn(e.buf)
}

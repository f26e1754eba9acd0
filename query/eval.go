package query

import (
	"bytes"
	"cmp"
	"fmt"
	"math"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/sql"
)

// tri is SQL's three-valued logic.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func (t tri) not() tri {
	switch t {
	case triFalse:
		return triTrue
	case triTrue:
		return triFalse
	}
	return triUnknown
}

// cond is a compiled WHERE condition.
type cond interface{ eval(r dataset.Row) tri }

// operand is a column of the row (col ≥ 0) or a constant.
type operand struct {
	col int
	val dataset.Value
}

func (o operand) get(r dataset.Row) dataset.Value {
	if o.col >= 0 {
		return r[o.col]
	}
	return o.val
}

type compareCond struct {
	op   sql.CompareOp
	l, r operand
}

func (c *compareCond) eval(r dataset.Row) tri {
	a, b := c.l.get(r), c.r.get(r)
	if a.IsNull() || b.IsNull() {
		return triUnknown
	}
	n := compareValues(a, b)
	var ok bool
	switch c.op {
	case sql.Equal:
		ok = n == 0
	case sql.NotEqual:
		ok = n != 0
	case sql.Less:
		ok = n < 0
	case sql.LessEqual:
		ok = n <= 0
	case sql.Greater:
		ok = n > 0
	case sql.GreaterEqual:
		ok = n >= 0
	}
	if ok {
		return triTrue
	}
	return triFalse
}

type inCond struct {
	x    operand
	list []operand
	not  bool
}

func (c *inCond) eval(r dataset.Row) tri {
	x := c.x.get(r)
	if x.IsNull() {
		return triUnknown
	}
	res := triFalse
	for _, o := range c.list {
		v := o.get(r)
		if v.IsNull() {
			res = triUnknown
			continue
		}
		if compareValues(x, v) == 0 {
			res = triTrue
			break
		}
	}
	if c.not {
		return res.not()
	}
	return res
}

type isNullCond struct {
	x   operand
	not bool
}

func (c *isNullCond) eval(r dataset.Row) tri {
	if c.x.get(r).IsNull() != c.not {
		return triTrue
	}
	return triFalse
}

type andCond struct{ l, r cond }

func (c *andCond) eval(r dataset.Row) tri {
	a := c.l.eval(r)
	if a == triFalse {
		return triFalse
	}
	b := c.r.eval(r)
	switch {
	case b == triFalse:
		return triFalse
	case a == triTrue && b == triTrue:
		return triTrue
	}
	return triUnknown
}

type orCond struct{ l, r cond }

func (c *orCond) eval(r dataset.Row) tri {
	a := c.l.eval(r)
	if a == triTrue {
		return triTrue
	}
	b := c.r.eval(r)
	switch {
	case b == triTrue:
		return triTrue
	case a == triFalse && b == triFalse:
		return triFalse
	}
	return triUnknown
}

type notCond struct{ x cond }

func (c *notCond) eval(r dataset.Row) tri { return c.x.eval(r).not() }

// typeClass groups the stored kinds that compare with each other.
type typeClass uint8

const (
	classNumeric typeClass = iota + 1
	classString
	classBytes
	classBool
)

func classOf(k dataset.ColumnType) typeClass {
	switch k {
	case dataset.TypeInt64, dataset.TypeFloat64, dataset.TypeTimestamp:
		return classNumeric
	case dataset.TypeString:
		return classString
	case dataset.TypeBytes:
		return classBytes
	case dataset.TypeBool:
		return classBool
	}
	return 0
}

func (c typeClass) String() string {
	return [...]string{"?", "number", "string", "bytes", "bool"}[c]
}

// compareValues orders two non-NULL values of one class. Numbers compare
// by value across int64, float64 and timestamp (microseconds); NaN sorts
// after every number and equals NaN — the order of the key encoding, so
// index ranges and residual filters agree.
func compareValues(a, b dataset.Value) int {
	switch {
	case a.Kind == dataset.TypeFloat64 && b.Kind == dataset.TypeFloat64:
		return compareFloats(a.Float, b.Float)
	case a.Kind == dataset.TypeFloat64 && isIntKind(b.Kind):
		return -compareIntFloat(b.Int, a.Float)
	case isIntKind(a.Kind) && b.Kind == dataset.TypeFloat64:
		return compareIntFloat(a.Int, b.Float)
	case isIntKind(a.Kind) && isIntKind(b.Kind):
		return cmp.Compare(a.Int, b.Int)
	case a.Kind == dataset.TypeString || a.Kind == dataset.TypeBytes:
		return bytes.Compare(a.Bytes, b.Bytes)
	}
	return cmp.Compare(a.Int, b.Int)
}

func isIntKind(k dataset.ColumnType) bool {
	return k == dataset.TypeInt64 || k == dataset.TypeTimestamp || k == dataset.TypeBool
}

func compareFloats(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareIntFloat compares exactly, without rounding i to a float.
func compareIntFloat(i int64, f float64) int {
	switch {
	case math.IsNaN(f):
		return -1
	case f >= 0x1p63:
		return -1
	case f < -0x1p63:
		return 1
	}
	t := math.Trunc(f)
	if c := cmp.Compare(i, int64(t)); c != 0 {
		return c
	}
	switch {
	case f > t:
		return -1
	case f < t:
		return 1
	}
	return 0
}

// compileError points at the part of the query it is about.
func compileError(q string, pos int, format string, args ...any) error {
	line, col := 1, 1
	if pos > len(q) {
		pos = len(q)
	}
	for _, r := range q[:pos] {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &sql.Error{Offset: pos, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

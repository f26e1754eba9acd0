package query

import (
	"fmt"
	"slices"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Columns with order-revealing encryption (dataset.EncOrderRevealing,
// colcrypt's Lewi–Wu ORE) store randomized right ciphertexts: two cells
// of one value differ, and no two cells compare with each other. Only a
// left ciphertext — a query constant the subscriber's client encrypted —
// compares with a cell, by colcrypt.ORELeft.Compare. So the binder turns
// each comparison of such a column with a constant into an oreCmpExpr or
// oreInExpr, evaluated row by row during the scan (no key or index holds
// the column: dataset.Schema.Validate refuses it), and refuses everything
// that would compare cells with each other: ORDER BY, MIN/MAX, GROUP BY,
// DISTINCT, set operations other than UNION ALL, joins and comparisons of
// two columns, IN (SELECT …), CASE and NULLIF.

func isORE(t typ) bool { return t.enc == dataset.EncOrderRevealing }

// refuseORE refuses an operation on an order-revealing value; what names
// the operation.
func (b *binder) refuseORE(t typ, pos int, what string) error {
	if b.client != nil || !isORE(t) {
		return nil
	}
	name := "an order-revealing value"
	if t.src != nil {
		name = fmt.Sprintf("column %q", t.src.column().Name)
	}
	return b.errAt(pos, "%s: %s has order-revealing encryption (ore), whose stored ciphertexts are randomized and compare only with query constants, never with each other; use an ope column for ordering, grouping and joins, or fetch the rows and do it after decrypting", what, name)
}

// oreLeft is the left ciphertext of the constant k compared with the
// order-revealing column ct; nil for a NULL constant (the comparison is
// then NULL, as cmpExpr computes).
func (b *binder) oreLeft(ct typ, k expr, kt typ, ka sql.Expr) (*colcrypt.ORELeft, error) {
	k, _, _ = b.fold(k, kt)
	c, ok := k.(*constExpr)
	col := ct.src.column().Name
	if !ok {
		return nil, b.errAt(ka.Pos(), "column %q has order-revealing encryption: compare it with a constant the client encrypted, not %s", col, ka)
	}
	if c.v.IsNull() {
		return nil, nil
	}
	l, err := colcrypt.ParseORELeft(c.v.Bytes)
	if err != nil {
		return nil, b.errAt(ka.Pos(), "column %q: %v", col, err)
	}
	return l, nil
}

// oreCompare is col op k for an order-revealing column on either side, or
// nil if neither side is one (or the binder runs for the client).
func (b *binder) oreCompare(op sql.CompareOp, l expr, lt typ, r expr, rt typ, la, ra sql.Expr) (expr, error) {
	if b.client != nil {
		return nil, nil
	}
	col, ct, k, kt, ka := l, lt, r, rt, ra
	if !isORE(lt) {
		if !isORE(rt) {
			return nil, nil
		}
		col, ct, k, kt, ka, op = r, rt, l, lt, la, flip(op)
	}
	left, err := b.oreLeft(ct, k, kt, ka)
	if err != nil || left == nil {
		return nil, err
	}
	return &oreCmpExpr{op: op, col: col, left: left, name: ct.src.column().Name}, nil
}

// oreCmpExpr is col op constant for an order-revealing column.
type oreCmpExpr struct {
	op   sql.CompareOp
	col  expr
	left *colcrypt.ORELeft
	name string
}

func (e *oreCmpExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *oreCmpExpr) test(c *rowCtx) (tri, error) {
	n, ok, err := oreCompareCell(e.col, e.left, e.name, c)
	if err != nil || !ok {
		return triUnknown, err
	}
	return boolTri(cmpHolds(e.op, n)), nil
}

// oreCompareCell compares the cell col reads with the left ciphertext:
// the sign of cell − constant; ok is false for a NULL cell.
func oreCompareCell(col expr, left *colcrypt.ORELeft, name string, c *rowCtx) (int, bool, error) {
	v, err := col.eval(c)
	if err != nil || v.IsNull() {
		return 0, false, err
	}
	if v.Kind != dataset.TypeBytes {
		return 0, false, fmt.Errorf("column %q is order-revealing, but a cell holds a %s value, not ciphertext bytes", name, v.Kind)
	}
	n, err := left.Compare(v.Bytes)
	if err != nil {
		return 0, false, fmt.Errorf("column %q: %w", name, err)
	}
	return -n, true, nil
}

// oreInExpr is col [NOT] IN (constants) for an order-revealing column.
type oreInExpr struct {
	col     expr
	lefts   []*colcrypt.ORELeft
	hasNull bool
	not     bool
	name    string
}

func (e *oreInExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *oreInExpr) test(c *rowCtx) (tri, error) {
	if len(e.lefts) == 0 && !e.hasNull {
		return boolTri(e.not), nil // x IN () is false even for NULL x
	}
	res := triFalse
	for _, l := range e.lefts {
		n, ok, err := oreCompareCell(e.col, l, e.name, c)
		if err != nil {
			return triUnknown, err
		}
		if !ok {
			return triUnknown, nil
		}
		if n == 0 {
			res = triTrue
			break
		}
	}
	if res == triFalse && e.hasNull {
		res = triUnknown
	}
	if e.not {
		return res.not(), nil
	}
	return res, nil
}

// oreIn binds col [NOT] IN (list) for an order-revealing column: every
// item must be a constant the client encrypted.
func (b *binder) oreIn(sc *scope, v expr, vt typ, x *sql.In) (expr, typ, error) {
	e := &oreInExpr{col: v, not: x.Not, name: vt.src.column().Name}
	for _, item := range x.List {
		it, t, err := b.expr(sc, item)
		if err != nil {
			return nil, typ{}, err
		}
		if _, err := b.comparable(item.Pos(), "IN", vt, t, x.X, item); err != nil {
			return nil, typ{}, err
		}
		l, err := b.oreLeft(vt, it, t, item)
		if err != nil {
			return nil, typ{}, err
		}
		if l == nil {
			e.hasNull = true
			continue
		}
		e.lefts = append(e.lefts, l)
	}
	return e, typ{kind: dataset.TypeBool}, nil
}

// oreColumns names the order-revealing columns the conditions compare, for
// EXPLAIN.
func oreColumns(conj []*conjunct) []string {
	var out []string
	var walk func(e expr)
	walk = func(e expr) {
		name := ""
		switch x := e.(type) {
		case *oreCmpExpr:
			name = x.name
		case *oreInExpr:
			name = x.name
		}
		if name != "" && !slices.Contains(out, name) {
			out = append(out, name)
		}
		for _, c := range exprChildren(e) {
			walk(c)
		}
	}
	for _, c := range conj {
		walk(c.e)
	}
	return out
}

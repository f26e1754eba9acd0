package query

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/query/sql"
)

// maxSpans bounds the point ranges an IN list may expand into.
const maxSpans = 1024

// ResultColumn describes one output column. Encrypted outputs carry the
// source column, so a client holding the keys can decrypt the cells.
type ResultColumn struct {
	Name string
	// Type is the logical type; cells of encrypted outputs are TypeBytes
	// ciphertext of this type.
	Type       dataset.ColumnType
	Encryption dataset.Encryption
	// Source is the schema column an encrypted output decrypts as.
	Source string
}

// output is one output column and where it comes from.
type output struct {
	col ResultColumn
	src int      // schema position for plain column outputs
	agg *aggSpec // non-nil for aggregates
	key sql.Expr // the select expression, to match ORDER BY items
}

type aggSpec struct {
	fn    string
	col   int // -1 for COUNT(*)
	float bool
}

type orderKey struct {
	idx  int // output index (grouped) or schema position (plain)
	desc bool
}

// span is a key range [start, end) in one keyspace (rows or one index).
type span struct{ start, end []byte }

// accessPath is how rows are found.
type accessPath struct {
	index   int // -1: primary key; otherwise a secondary index
	spans   []span
	eqCols  []string
	rngCol  string
	rngDesc []string
	// ordered: the scan yields rows in ORDER BY order (spans ascending, or
	// all reversed when desc), so the executor does not sort.
	ordered bool
	desc    bool
}

// plan is a compiled statement.
type plan struct {
	stmt      *sql.Statement
	table     *Table
	where     cond
	outputs   []output
	grouped   bool
	groupCols []int
	order     []orderKey
	access    accessPath
}

// columnInfo returns the schema position and column, or a positioned error.
func (p *plan) column(q string, ref *sql.ColumnRef) (int, dataset.Column, error) {
	i := p.table.Schema.ColumnIndex(ref.Name)
	if i < 0 {
		var names []string
		for _, c := range p.table.Schema.Columns {
			names = append(names, c.Name)
		}
		return 0, dataset.Column{}, compileError(q, ref.Offset, "unknown column %q (columns: %s)", ref.Name, strings.Join(names, ", "))
	}
	return i, p.table.Schema.Columns[i], nil
}

func storedKind(c dataset.Column) dataset.ColumnType {
	if c.Encryption != dataset.EncNone {
		return dataset.TypeBytes
	}
	return c.Type
}

func compilePlan(q string, st *sql.Statement, t *Table, useIndexes bool) (*plan, error) {
	p := &plan{stmt: st, table: t}
	if st.Where != nil {
		w, err := p.compileCond(q, st.Where)
		if err != nil {
			return nil, err
		}
		p.where = w
	}
	if err := p.compileOutputs(q); err != nil {
		return nil, err
	}
	if err := p.compileOrder(q); err != nil {
		return nil, err
	}
	p.access = p.chooseAccess(useIndexes)
	return p, nil
}

func (p *plan) compileOutputs(q string) error {
	st := p.stmt
	if st.Star {
		for i, c := range p.table.Schema.Columns {
			p.outputs = append(p.outputs, output{col: resultColumn(c.Name, c), src: i, key: &sql.ColumnRef{Name: c.Name}})
		}
	}
	for _, it := range st.Items {
		switch e := it.Expr.(type) {
		case *sql.ColumnRef:
			i, c, err := p.column(q, e)
			if err != nil {
				return err
			}
			p.outputs = append(p.outputs, output{col: resultColumn(it.Name(), c), src: i, key: e})
		case *sql.Call:
			o, err := p.compileAggregate(q, e, it.Name())
			if err != nil {
				return err
			}
			p.grouped = true
			p.outputs = append(p.outputs, o)
		}
	}
	if len(st.GroupBy) > 0 {
		p.grouped = true
	}
	grouping := map[int]bool{}
	for _, g := range st.GroupBy {
		i, _, err := p.column(q, g)
		if err != nil {
			return err
		}
		p.groupCols = append(p.groupCols, i)
		grouping[i] = true
	}
	if p.grouped {
		for _, it := range st.Items {
			if ref, ok := it.Expr.(*sql.ColumnRef); ok && !grouping[p.table.Schema.ColumnIndex(ref.Name)] {
				return compileError(q, ref.Offset, "column %q must appear in GROUP BY or inside an aggregate", ref.Name)
			}
		}
		if st.Star {
			return compileError(q, 0, "SELECT * cannot be combined with aggregates or GROUP BY; name the columns")
		}
	}
	return nil
}

func resultColumn(name string, c dataset.Column) ResultColumn {
	rc := ResultColumn{Name: name, Type: c.Type, Encryption: c.Encryption}
	if c.Encryption != dataset.EncNone {
		rc.Source = c.Name
	}
	return rc
}

func (p *plan) compileAggregate(q string, e *sql.Call, name string) (output, error) {
	o := output{key: e, agg: &aggSpec{fn: e.Func, col: -1}}
	if e.Star {
		o.col = ResultColumn{Name: name, Type: dataset.TypeInt64}
		return o, nil
	}
	i, c, err := p.column(q, e.Arg)
	if err != nil {
		return output{}, err
	}
	o.agg.col = i
	switch e.Func {
	case sql.FuncCount:
		o.col = ResultColumn{Name: name, Type: dataset.TypeInt64}
	case sql.FuncSum, sql.FuncAvg:
		if c.Encryption != dataset.EncNone {
			return output{}, compileError(q, e.Offset, "%s(%s): column %q is encrypted (%s), and the node cannot add ciphertexts; fetch the rows and aggregate after decrypting", e.Func, c.Name, c.Name, c.Encryption)
		}
		if c.Type != dataset.TypeInt64 && c.Type != dataset.TypeFloat64 {
			return output{}, compileError(q, e.Offset, "%s needs an int64 or float64 column; %q is %s", e.Func, c.Name, c.Type)
		}
		o.agg.float = c.Type == dataset.TypeFloat64 || e.Func == sql.FuncAvg
		o.col = ResultColumn{Name: name, Type: c.Type}
		if e.Func == sql.FuncAvg {
			o.col.Type = dataset.TypeFloat64
		}
	case sql.FuncMin, sql.FuncMax:
		if c.Encryption == dataset.EncDeterministic {
			return output{}, compileError(q, e.Offset, "%s(%s): column %q has deterministic encryption, which hides order; only order-preserving columns support MIN and MAX", e.Func, c.Name, c.Name)
		}
		o.col = resultColumn(name, c)
	}
	return o, nil
}

func (p *plan) compileOrder(q string) error {
	for _, item := range p.stmt.OrderBy {
		idx := -1
		for i, o := range p.outputs {
			if o.key.String() == item.Expr.String() || (p.isAlias(i, item.Expr)) {
				idx = i
				break
			}
		}
		if p.grouped {
			if idx < 0 {
				return compileError(q, item.Expr.Pos(), "ORDER BY %s: in a grouped query, order by an output column or its alias", item.Expr)
			}
			if p.outputs[idx].col.Encryption == dataset.EncDeterministic {
				return compileError(q, item.Expr.Pos(), "ORDER BY %s: the column has deterministic encryption, which hides order", item.Expr)
			}
			p.order = append(p.order, orderKey{idx: idx, desc: item.Desc})
			continue
		}
		var src int
		switch {
		case idx >= 0:
			src = p.outputs[idx].src
		default:
			ref, ok := item.Expr.(*sql.ColumnRef)
			if !ok {
				return compileError(q, item.Expr.Pos(), "ORDER BY %s: aggregates need GROUP BY or an aggregate select list", item.Expr)
			}
			i, _, err := p.column(q, ref)
			if err != nil {
				return err
			}
			src = i
		}
		if p.table.Schema.Columns[src].Encryption == dataset.EncDeterministic {
			return compileError(q, item.Expr.Pos(), "ORDER BY %s: the column has deterministic encryption, which hides order; use an order-preserving column", item.Expr)
		}
		p.order = append(p.order, orderKey{idx: src, desc: item.Desc})
	}
	return nil
}

func (p *plan) isAlias(i int, e sql.Expr) bool {
	ref, ok := e.(*sql.ColumnRef)
	if !ok {
		return false
	}
	for _, it := range p.stmt.Items {
		if it.Alias == ref.Name {
			return p.outputs[i].col.Name == ref.Name
		}
	}
	return false
}

// compileOperand resolves a column or literal and reports its class and
// column (if any).
func (p *plan) compileOperand(q string, e sql.Expr) (operand, typeClass, *dataset.Column, error) {
	switch x := e.(type) {
	case *sql.ColumnRef:
		i, c, err := p.column(q, x)
		if err != nil {
			return operand{}, 0, nil, err
		}
		return operand{col: i}, classOf(storedKind(c)), &c, nil
	case *sql.Literal:
		return operand{col: -1, val: x.Value}, classOf(x.Value.Kind), nil, nil
	}
	return operand{}, 0, nil, compileError(q, e.Pos(), "%s is a condition, not a value", e)
}

// checkComparable enforces types and the rules of encrypted columns.
func (p *plan) checkComparable(q string, pos int, op string, a, b sql.Expr, ca, cb typeClass, cola, colb *dataset.Column) error {
	if (ca == 0 && cola == nil) || (cb == 0 && colb == nil) { // a NULL literal
		return nil
	}
	for _, side := range []struct {
		col   *dataset.Column
		other sql.Expr
		oc    typeClass
		ocol  *dataset.Column
	}{{cola, b, cb, colb}, {colb, a, ca, cola}} {
		c := side.col
		if c == nil || c.Encryption == dataset.EncNone {
			continue
		}
		if side.ocol != nil && side.ocol.Name != c.Name {
			return compileError(q, pos, "column %q is encrypted; it can be compared only with encrypted constants, not with column %q", c.Name, side.ocol.Name)
		}
		if side.ocol == nil && side.oc != classBytes {
			return compileError(q, side.other.Pos(), "column %q is encrypted (%s): encrypt the constant %s with the dataset's column keys (enigma subscriber query does this) and write it as X'…'", c.Name, c.Encryption, side.other)
		}
		if c.Encryption == dataset.EncDeterministic && op != "=" && op != "!=" && op != "IN" {
			return compileError(q, pos, "column %q has deterministic encryption, which supports only =, != and IN; use an order-preserving column for %s", c.Name, op)
		}
	}
	if ca != cb {
		return compileError(q, pos, "cannot compare %s (%s) with %s (%s)", a, ca, b, cb)
	}
	return nil
}

func (p *plan) compileCond(q string, e sql.Expr) (cond, error) {
	switch x := e.(type) {
	case *sql.And:
		l, err := p.compileCond(q, x.L)
		if err != nil {
			return nil, err
		}
		r, err := p.compileCond(q, x.R)
		if err != nil {
			return nil, err
		}
		return &andCond{l, r}, nil
	case *sql.Or:
		l, err := p.compileCond(q, x.L)
		if err != nil {
			return nil, err
		}
		r, err := p.compileCond(q, x.R)
		if err != nil {
			return nil, err
		}
		return &orCond{l, r}, nil
	case *sql.Not:
		c, err := p.compileCond(q, x.X)
		if err != nil {
			return nil, err
		}
		return &notCond{c}, nil
	case *sql.Compare:
		l, cl, coll, err := p.compileOperand(q, x.L)
		if err != nil {
			return nil, err
		}
		r, cr, colr, err := p.compileOperand(q, x.R)
		if err != nil {
			return nil, err
		}
		if err := p.checkComparable(q, x.Pos(), string(x.Op), x.L, x.R, cl, cr, coll, colr); err != nil {
			return nil, err
		}
		return &compareCond{op: x.Op, l: l, r: r}, nil
	case *sql.In:
		xo, cx, colx, err := p.compileOperand(q, x.X)
		if err != nil {
			return nil, err
		}
		c := &inCond{x: xo, not: x.Not}
		for _, item := range x.List {
			o, ci, coli, err := p.compileOperand(q, item)
			if err != nil {
				return nil, err
			}
			if err := p.checkComparable(q, item.Pos(), "IN", x.X, item, cx, ci, colx, coli); err != nil {
				return nil, err
			}
			c.list = append(c.list, o)
		}
		return c, nil
	case *sql.Between:
		xo, cx, colx, err := p.compileOperand(q, x.X)
		if err != nil {
			return nil, err
		}
		var bounds [2]operand
		for i, b := range []sql.Expr{x.Lo, x.Hi} {
			o, cb, colb, err := p.compileOperand(q, b)
			if err != nil {
				return nil, err
			}
			if err := p.checkComparable(q, b.Pos(), "BETWEEN", x.X, b, cx, cb, colx, colb); err != nil {
				return nil, err
			}
			bounds[i] = o
		}
		var c cond = &andCond{
			&compareCond{op: sql.GreaterEqual, l: xo, r: bounds[0]},
			&compareCond{op: sql.LessEqual, l: xo, r: bounds[1]},
		}
		if x.Not {
			c = &notCond{c}
		}
		return c, nil
	case *sql.IsNull:
		o, _, _, err := p.compileOperand(q, x.X)
		if err != nil {
			return nil, err
		}
		return &isNullCond{x: o, not: x.Not}, nil
	case *sql.Call:
		return nil, compileError(q, x.Offset, "aggregates are not allowed in WHERE")
	}
	return nil, compileError(q, e.Pos(), "%s is a value, not a condition; compare it with something", e)
}

// keyValue converts a literal to the stored kind of col for key encoding,
// or reports that it cannot be used in a key range (the residual filter
// still applies it).
func keyValue(c dataset.Column, v dataset.Value) (dataset.Value, bool) {
	if v.IsNull() {
		return v, false
	}
	want := storedKind(c)
	switch {
	case v.Kind == want:
		return v, true
	case want == dataset.TypeTimestamp && v.Kind == dataset.TypeInt64, want == dataset.TypeInt64 && v.Kind == dataset.TypeTimestamp:
		return dataset.Value{Kind: want, Int: v.Int}, true
	case want == dataset.TypeFloat64 && v.Kind == dataset.TypeInt64 && v.Int >= -1<<53 && v.Int <= 1<<53:
		return dataset.Float64(float64(v.Int)), true
	case want == dataset.TypeInt64 && v.Kind == dataset.TypeFloat64 && v.Float == math.Trunc(v.Float) && v.Float >= -0x1p63 && v.Float < 0x1p63:
		return dataset.Int64(int64(v.Float)), true
	}
	return v, false
}

// colRestriction collects sargable facts about one column from the top-level
// conjuncts of WHERE.
type colRestriction struct {
	eq     [][]dataset.Value // each entry is an allowed set (= gives one value, IN several)
	lower  []byte            // key encoding of the tightest lower bound, nil if none
	lowerI bool              // the lower bound is inclusive (>=)
	upper  []byte            // key encoding of the tightest upper bound, nil if none
	upperI bool              // the upper bound is inclusive (<=)
	text   []string          // the conjuncts behind it, for EXPLAIN
}

func conjuncts(e sql.Expr, out []sql.Expr) []sql.Expr {
	if a, ok := e.(*sql.And); ok {
		return conjuncts(a.R, conjuncts(a.L, out))
	}
	if e != nil {
		out = append(out, e)
	}
	return out
}

func flip(op sql.CompareOp) sql.CompareOp {
	switch op {
	case sql.Less:
		return sql.Greater
	case sql.LessEqual:
		return sql.GreaterEqual
	case sql.Greater:
		return sql.Less
	case sql.GreaterEqual:
		return sql.LessEqual
	}
	return op
}

func (p *plan) restrictions() map[int]*colRestriction {
	rs := map[int]*colRestriction{}
	get := func(i int) *colRestriction {
		if rs[i] == nil {
			rs[i] = &colRestriction{}
		}
		return rs[i]
	}
	bound := func(i int, op sql.CompareOp, v dataset.Value, text string) {
		c := p.table.Schema.Columns[i]
		kv, ok := keyValue(c, v)
		if !ok {
			return
		}
		r := get(i)
		enc := keyenc.AppendKey(nil, kv)
		switch op {
		case sql.Equal:
			r.eq = append(r.eq, []dataset.Value{kv})
		case sql.Greater, sql.GreaterEqual:
			incl := op == sql.GreaterEqual
			if c := bytes.Compare(enc, r.lower); r.lower == nil || c > 0 || (c == 0 && !incl) {
				r.lower, r.lowerI = enc, incl
			}
		case sql.Less, sql.LessEqual:
			incl := op == sql.LessEqual
			if c := bytes.Compare(enc, r.upper); r.upper == nil || c < 0 || (c == 0 && !incl) {
				r.upper, r.upperI = enc, incl
			}
		default:
			return
		}
		r.text = append(r.text, text)
	}
	for _, e := range conjuncts(p.stmt.Where, nil) {
		switch x := e.(type) {
		case *sql.Compare:
			col, lit, op := x.L, x.R, x.Op
			if _, ok := col.(*sql.ColumnRef); !ok {
				col, lit, op = x.R, x.L, flip(x.Op)
			}
			ref, ok1 := col.(*sql.ColumnRef)
			l, ok2 := lit.(*sql.Literal)
			if ok1 && ok2 {
				bound(p.table.Schema.ColumnIndex(ref.Name), op, l.Value, x.String())
			}
		case *sql.Between:
			ref, ok := x.X.(*sql.ColumnRef)
			lo, ok1 := x.Lo.(*sql.Literal)
			hi, ok2 := x.Hi.(*sql.Literal)
			if ok && ok1 && ok2 && !x.Not {
				i := p.table.Schema.ColumnIndex(ref.Name)
				bound(i, sql.GreaterEqual, lo.Value, x.String())
				bound(i, sql.LessEqual, hi.Value, x.String())
			}
		case *sql.In:
			ref, ok := x.X.(*sql.ColumnRef)
			if !ok || x.Not {
				continue
			}
			i := p.table.Schema.ColumnIndex(ref.Name)
			var set []dataset.Value
			usable := true
			for _, item := range x.List {
				l, ok := item.(*sql.Literal)
				if !ok {
					usable = false
					break
				}
				if l.Value.IsNull() {
					continue // NULL never matches
				}
				kv, ok := keyValue(p.table.Schema.Columns[i], l.Value)
				if !ok {
					usable = false
					break
				}
				set = append(set, kv)
			}
			if usable {
				r := get(i)
				r.eq = append(r.eq, set)
				r.text = append(r.text, x.String())
			}
		}
	}
	return rs
}

// chooseAccess picks the primary key or the secondary index that pins the
// most leading columns by equality, then a range; ties go to the primary key.
func (p *plan) chooseAccess(useIndexes bool) accessPath {
	full := accessPath{index: -1, spans: []span{{rowPrefix(p.table.id), keyenc.PrefixEnd(rowPrefix(p.table.id))}}}
	if !useIndexes {
		return full
	}
	rs := p.restrictions()
	best, bestScore := full, 0
	var ordered *accessPath
	orderedScore := -1
	candidates := append([][]int{p.table.pk}, p.table.ixCols...)
	for n, cols := range candidates {
		var prefix []byte
		if n == 0 {
			prefix = rowPrefix(p.table.id)
		} else {
			prefix = indexPrefix(p.table.id, n-1)
		}
		path, score := p.pathFor(n-1, prefix, cols, rs)
		if score > bestScore {
			best, bestScore = path, score
		}
		if desc, ok := p.orderFollows(cols, path); ok && score > orderedScore {
			path.ordered, path.desc = true, desc
			ordered, orderedScore = &path, score
		}
	}
	// Reading in ORDER BY order saves the sort (and lets LIMIT stop the
	// scan); take it unless another path pins more columns.
	if ordered != nil && orderedScore >= bestScore {
		return *ordered
	}
	return best
}

// orderFollows reports whether scanning path yields rows in ORDER BY
// order, and in which direction. A key orders rows by its columns and then
// the primary key (index keys end with it); ORDER BY must follow that
// sequence in one direction, possibly after leading columns that equality
// pins to a single value.
func (p *plan) orderFollows(cols []int, path accessPath) (desc bool, ok bool) {
	if p.grouped || len(p.order) == 0 {
		return false, false
	}
	keyCols := slices.Clone(cols)
	if path.index >= 0 {
		keyCols = append(keyCols, p.table.pk...)
	}
	desc = p.order[0].desc
	for _, k := range p.order {
		if k.desc != desc {
			return false, false
		}
	}
	skips := []int{0}
	if len(path.spans) <= 1 && len(path.eqCols) > 0 {
		skips = append(skips, len(path.eqCols))
	}
	for _, skip := range skips {
		if len(p.order) > len(keyCols)-skip {
			continue
		}
		match := true
		for i, k := range p.order {
			if keyCols[skip+i] != k.idx {
				match = false
				break
			}
		}
		if match {
			return desc, true
		}
	}
	return false, false
}

func (p *plan) pathFor(index int, prefix []byte, cols []int, rs map[int]*colRestriction) (accessPath, int) {
	path := accessPath{index: index}
	prefixes := [][]byte{prefix}
	score := 0
	for _, c := range cols {
		r := rs[c]
		if r == nil {
			break
		}
		name := p.table.Schema.Columns[c].Name
		if len(r.eq) > 0 {
			// Intersect the allowed sets; the first set's order is kept.
			set := r.eq[0]
			for _, other := range r.eq[1:] {
				var keep []dataset.Value
				for _, v := range set {
					for _, w := range other {
						if compareValues(v, w) == 0 {
							keep = append(keep, v)
							break
						}
					}
				}
				set = keep
			}
			set = dedupeSorted(set)
			if len(prefixes)*max(len(set), 1) > maxSpans {
				break
			}
			var next [][]byte
			for _, pre := range prefixes {
				for _, v := range set {
					next = append(next, keyenc.AppendKey(bytes.Clone(pre), v))
				}
			}
			prefixes = next
			path.eqCols = append(path.eqCols, name)
			path.rngDesc = append(path.rngDesc, r.text...)
			score += 2
			continue
		}
		if r.lower != nil || r.upper != nil {
			for _, pre := range prefixes {
				start := append(bytes.Clone(pre), 0x01) // non-NULL values only
				if r.lower != nil {
					start = append(bytes.Clone(pre), r.lower...)
					if !r.lowerI {
						start = keyenc.PrefixEnd(start)
					}
				}
				end := keyenc.PrefixEnd(pre)
				if r.upper != nil {
					end = append(bytes.Clone(pre), r.upper...)
					if r.upperI {
						end = keyenc.PrefixEnd(end)
					}
				}
				if bytes.Compare(start, end) < 0 {
					path.spans = append(path.spans, span{start, end})
				}
			}
			path.rngCol = name
			path.rngDesc = append(path.rngDesc, r.text...)
			return path, score + 1
		}
		break
	}
	for _, pre := range prefixes {
		path.spans = append(path.spans, span{pre, keyenc.PrefixEnd(pre)})
	}
	return path, score
}

// explain describes the plan, one step per line.
func (p *plan) explain() []string {
	var lines []string
	a := p.access
	where := "primary key"
	var cols []string
	if a.index >= 0 {
		ix := p.table.Schema.Indexes[a.index]
		where = "index " + ix.Name
		cols = ix.Columns
	} else {
		cols = p.table.Schema.PrimaryKey
	}
	switch {
	case len(a.eqCols) == 0 && a.rngCol == "":
		lines = append(lines, fmt.Sprintf("scan: full table %s in primary key order (%s)", p.table.Path.Name, strings.Join(cols, ", ")))
	default:
		desc := where + " (" + strings.Join(cols, ", ") + ")"
		var parts []string
		if len(a.eqCols) > 0 {
			parts = append(parts, "equality on "+strings.Join(a.eqCols, ", "))
		}
		if a.rngCol != "" {
			parts = append(parts, "range on "+a.rngCol)
		}
		lines = append(lines, fmt.Sprintf("scan: %s, %s, %d span(s) from %s", desc, strings.Join(parts, " then "), len(a.spans), strings.Join(a.rngDesc, " AND ")))
		if a.index >= 0 {
			lines = append(lines, "fetch: rows by primary key from the index entries")
		}
	}
	if p.stmt.Where != nil {
		lines = append(lines, "filter: "+p.stmt.Where.String())
	}
	if p.grouped {
		var g []string
		for _, c := range p.groupCols {
			g = append(g, p.table.Schema.Columns[c].Name)
		}
		var aggs []string
		for _, o := range p.outputs {
			if o.agg != nil {
				aggs = append(aggs, o.key.String())
			}
		}
		if len(g) > 0 {
			lines = append(lines, fmt.Sprintf("aggregate: hash on (%s): %s", strings.Join(g, ", "), strings.Join(aggs, ", ")))
		} else {
			lines = append(lines, "aggregate: "+strings.Join(aggs, ", "))
		}
	}
	if a.ordered {
		dir := "ascending"
		if a.desc {
			dir = "descending"
		}
		lines = append(lines, "order: read in "+dir+" key order, no sort")
	} else if len(p.stmt.OrderBy) > 0 {
		var o []string
		for _, item := range p.stmt.OrderBy {
			s := item.Expr.String()
			if item.Desc {
				s += " DESC"
			}
			o = append(o, s)
		}
		lines = append(lines, "sort: "+strings.Join(o, ", "))
	}
	if p.stmt.Limit != nil {
		off := int64(0)
		if p.stmt.Offset != nil {
			off = *p.stmt.Offset
		}
		lines = append(lines, fmt.Sprintf("limit: %d offset %d", *p.stmt.Limit, off))
	}
	var names []string
	for _, o := range p.outputs {
		names = append(names, o.col.Name)
	}
	return append(lines, "output: "+strings.Join(names, ", "))
}

// dedupeSorted orders values by their key encoding and drops duplicates,
// so an IN list like (1, 1) does not read its span twice.
func dedupeSorted(set []dataset.Value) []dataset.Value {
	type keyed struct {
		key []byte
		v   dataset.Value
	}
	ks := make([]keyed, len(set))
	for i, v := range set {
		ks[i] = keyed{keyenc.AppendKey(nil, v), v}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	ks = slices.CompactFunc(ks, func(a, b keyed) bool { return bytes.Equal(a.key, b.key) })
	out := make([]dataset.Value, len(ks))
	for i, k := range ks {
		out[i] = k.v
	}
	return out
}

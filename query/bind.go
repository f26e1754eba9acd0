package query

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/sql"
)

// The binder resolves a parsed query against the catalog: names to row
// positions, types checked (numbers never meet strings), the rules of
// encrypted columns enforced, aggregates and groups laid out, ORDER BY
// resolved as SQLite resolves it. Its output is a selectPlan (plan.go)
// that the executor runs.

// kindAny is the static kind of an expression whose values may be of
// different kinds (a CASE returning numbers and strings).
const kindAny dataset.ColumnType = 0xFF

// typ is an expression's static type.
type typ struct {
	kind dataset.ColumnType // 0: only NULL; kindAny: varies
	// enc is the encryption of a value that is a stored ciphertext
	// (kind is then the plaintext's type; the cells are bytes); src is
	// the column it comes from.
	enc dataset.Encryption
	src *encSource
	// konst: the value is the same for every row (no column, no
	// subquery).
	konst bool
}

func (t typ) class() typeClass {
	if t.enc != dataset.EncNone {
		return classBytes
	}
	return classOf(t.kind)
}

// encSource is the stored column an encrypted value comes from.
type encSource struct {
	table *Table
	col   int
}

func (s *encSource) column() dataset.Column { return s.table.Schema.Columns[s.col] }

func (s *encSource) same(o *encSource) bool {
	return s != nil && o != nil && s.table == o.table && s.col == o.col
}

// Catalog resolves the names in FROM.
type Catalog interface {
	Lookup(name string) (CatalogEntry, error)
}

// CatalogEntry is what a name in FROM denotes: a stored table or a view (a
// named query, which the sqllogictest runner uses).
type CatalogEntry struct {
	Table *Table
	// Hidden columns are left out of SELECT * (the test runner's rowid of
	// tables without a primary key, as SQLite's rowid).
	Hidden map[string]bool
	View   *sql.Select
}

// source is one item of a FROM: its columns sit at offset in the block's
// row.
type source struct {
	name    string // qualifies its columns: the alias, else the table's name
	cols    []srcCol
	offset  int
	table   *Table      // a stored table
	derived *selectPlan // a subquery or view
	pos     int
	left    bool        // LEFT JOIN with everything before it
	on      []*conjunct // a LEFT JOIN's ON condition
	access  accessPath  // how a stored table is read (planned after binding)
	local   []*conjunct // conditions on this source alone (pushed into its scan)
}

type srcCol struct {
	name   string
	t      typ
	hidden bool
}

// conjunct is one AND-ed term of a WHERE (or ON), with the sources of its
// block it reads (at any depth: a subquery's reference to them counts).
type conjunct struct {
	e    expr
	mask uint64
	ast  sql.Expr
}

// scope is one query block's names while binding.
type scope struct {
	parent     *scope
	sources    []*source
	width      int
	correlated bool // a name inside was resolved in an enclosing block
	mask       uint64
	agg        *aggBind
}

// aggBind lays out a grouped block's rows: group keys, then aggregates.
type aggBind struct {
	active     bool // binding expressions evaluated on group rows
	groupCanon map[string]int
	groupExprs []expr
	groupTypes []typ
	aggs       []*aggSpec
	aggCanon   map[string]int
}

type binder struct {
	q       string
	cat     Catalog
	tables  []*Table // stored tables read
	views   int      // view expansion depth
	preCtx  string   // the clause where aggregates are not allowed, when set
	client  *clientRewrite
	noIndex bool
	refSlab []colRef // colRef hands these out
}

// colRef makes a column reference. They are allocated 16 at a time: a
// point lookup's binding makes a handful, and each allocation counts.
func (b *binder) colRef(depth, idx int) *colRef {
	if len(b.refSlab) == 0 {
		b.refSlab = make([]colRef, 16)
	}
	r := &b.refSlab[0]
	b.refSlab = b.refSlab[1:]
	*r = colRef{depth: depth, idx: idx}
	return r
}

func (b *binder) errAt(pos int, format string, args ...any) error {
	return sql.ErrorAt(b.q, pos, format, args...)
}

// bindSelect binds a whole statement or a subquery. A subquery is a query
// block of its own: the clause it appears in (a WHERE, say) does not
// forbid the aggregates of its own select list.
func (b *binder) bindSelect(s *sql.Select, parent *scope) (*selectPlan, error) {
	saved := b.preCtx
	b.preCtx = ""
	defer func() { b.preCtx = saved }()
	p := &selectPlan{ops: s.Ops, limit: s.Limit, offset: s.Offset}
	if len(s.Cores) == 1 {
		blk, order, err := b.bindCore(s.Cores[0], parent, s.OrderBy)
		if err != nil {
			return nil, err
		}
		p.blocks = []*blockPlan{blk}
		p.order = order
		p.cols, p.types, p.nOut = blk.cols, blk.types, blk.nOut
		p.correlated = blk.sc.correlated
		return p, nil
	}
	for i, c := range s.Cores {
		blk, _, err := b.bindCore(c, parent, nil)
		if err != nil {
			return nil, err
		}
		if i > 0 && blk.nOut != p.nOut {
			return nil, b.errAt(c.Offset, "the SELECTs of a %s have %d and %d columns; they must have the same number", s.Ops[i-1], p.nOut, blk.nOut)
		}
		if i == 0 {
			p.cols, p.nOut = append([]ResultColumn(nil), blk.cols...), blk.nOut
			p.types = append([]typ(nil), blk.types...)
		} else {
			for j := range p.types {
				t, err := unifyTypes(p.types[j], blk.types[j])
				if err != nil {
					return nil, b.errAt(c.Offset, "column %d of the %s: %v", j+1, s.Ops[i-1], err)
				}
				if s.Ops[i-1] != sql.UnionAll {
					// Every operation but UNION ALL compares rows.
					if err := b.refuseORE(t, c.Offset, s.Ops[i-1].String()); err != nil {
						return nil, err
					}
				}
				p.types[j] = t
				p.cols[j].Type = resultKind(t)
				p.cols[j].setSource(t) // SELECT NULL UNION SELECT enc: ciphertexts
			}
		}
		p.blocks = append(p.blocks, blk)
		p.correlated = p.correlated || blk.sc.correlated
	}
	for _, o := range s.OrderBy {
		idx, err := b.compoundOrderKey(s, p, o.Expr)
		if err != nil {
			return nil, err
		}
		if err := checkOrderable(b, p.types[idx], o.Expr.Pos()); err != nil {
			return nil, err
		}
		p.order = append(p.order, orderKey{idx: idx, desc: o.Desc})
	}
	return p, nil
}

// unifyTypes is the type of a column that takes values of a and b (set
// operations).
func unifyTypes(a, b typ) (typ, error) {
	if a.enc != dataset.EncNone || b.enc != dataset.EncNone {
		switch {
		case a.kind == 0 && a.enc == dataset.EncNone:
			return b, nil
		case b.kind == 0 && b.enc == dataset.EncNone:
			return a, nil
		case a.src.same(b.src):
			return a, nil
		}
		return typ{}, fmt.Errorf("an encrypted column can be combined only with the same column (its ciphertexts are under its own key)")
	}
	k, err := unifyKinds("the combined column", []typ{a, b})
	return typ{kind: k}, err
}

func resultKind(t typ) dataset.ColumnType {
	if t.kind == kindAny {
		return 0
	}
	return t.kind
}

// termNumber is the column number an ORDER BY or GROUP BY term denotes,
// as SQLite reads one: an integer literal under any unary plus and minus
// signs (ORDER BY -(-2) and +2 are column 2, as ORDER BY 2 is).
func termNumber(e sql.Expr) (int64, bool) {
	switch x := e.(type) {
	case *sql.Literal:
		return x.Value.Int, x.Value.Kind == dataset.TypeInt64
	case *sql.Unary:
		n, ok := termNumber(x.X)
		switch {
		case x.Op == "+":
			return n, ok
		case x.Op == "-" && ok && n != math.MinInt64:
			return -n, true
		}
	}
	return 0, false
}

func (b *binder) compoundOrderKey(s *sql.Select, p *selectPlan, e sql.Expr) (int, error) {
	if n, ok := termNumber(e); ok {
		if n < 1 || n > int64(p.nOut) {
			return 0, b.errAt(e.Pos(), "ORDER BY %d: the result has columns 1 to %d", n, p.nOut)
		}
		return int(n - 1), nil
	}
	if ref, ok := e.(*sql.ColumnRef); ok && ref.Table == "" {
		for _, c := range s.Cores {
			for i, it := range c.Items {
				if !it.Star && strings.EqualFold(it.Name(), ref.Name) {
					return i, nil
				}
			}
		}
	}
	return 0, b.errAt(e.Pos(), "ORDER BY %s: in a %s, order by an output column's name or number", e, s.Ops[0])
}

// bindCore binds one SELECT; orderBy is its ORDER BY when it is the whole
// query (not part of a compound).
func (b *binder) bindCore(c *sql.SelectCore, parent *scope, orderBy []sql.OrderItem) (*blockPlan, []orderKey, error) {
	sc := &scope{parent: parent}
	blk := &blockPlan{sc: sc, core: c, distinct: c.Distinct}
	if c.From != nil {
		if err := b.bindFrom(sc, blk, c.From); err != nil {
			return nil, nil, err
		}
	}
	// WHERE and inner ON conditions, one conjunct at a time.
	if c.Where != nil {
		if err := b.addConjuncts(sc, blk, c.Where, "WHERE"); err != nil {
			return nil, nil, err
		}
	}
	aggregated := len(c.GroupBy) > 0 || c.Having != nil
	for _, it := range c.Items {
		aggregated = aggregated || hasAggregate(it.Expr)
	}
	for _, o := range orderBy {
		aggregated = aggregated || hasAggregate(o.Expr)
	}
	if aggregated {
		if err := b.bindGroups(sc, blk, c); err != nil {
			return nil, nil, err
		}
		sc.agg.active = true
	}
	// Select list.
	width := 0 // the outputs it makes, to allocate them once
	for _, it := range c.Items {
		if !it.Star {
			width++
			continue
		}
		for _, src := range sc.sources {
			width += len(src.cols)
		}
	}
	blk.itemOut = slices.Grow(blk.itemOut, len(c.Items))
	blk.outputs = slices.Grow(blk.outputs, width)
	blk.types = slices.Grow(blk.types, width)
	blk.cols = slices.Grow(blk.cols, width)
	for _, it := range c.Items {
		if it.Star {
			blk.itemOut = append(blk.itemOut, -1)
			if err := b.expandStar(sc, blk, it); err != nil {
				return nil, nil, err
			}
			continue
		}
		e, t, err := b.expr(sc, it.Expr)
		if err != nil {
			return nil, nil, err
		}
		blk.itemOut = append(blk.itemOut, len(blk.outputs))
		blk.addOutput(e, t, it.Name())
	}
	blk.nOut = len(blk.outputs)
	if c.Having != nil {
		if !aggregated {
			return nil, nil, b.errAt(c.Having.Pos(), "HAVING needs GROUP BY or an aggregate")
		}
		h, t, err := b.expr(sc, c.Having)
		if err != nil {
			return nil, nil, err
		}
		if err := b.checkCondition(t, c.Having); err != nil {
			return nil, nil, err
		}
		blk.having = h
	}
	order, err := b.bindOrder(sc, blk, c, orderBy)
	if err != nil {
		return nil, nil, err
	}
	if sc.agg != nil {
		sc.agg.active = false
		blk.groupBy, blk.aggs = sc.agg.groupExprs, sc.agg.aggs
		blk.aggregated = true
	}
	if blk.distinct {
		for i := range blk.nOut {
			if blk.types[i].enc != dataset.EncNone && blk.types[i].src == nil {
				return nil, nil, b.errAt(c.Offset, "DISTINCT over an encrypted value of unknown origin")
			}
			if err := b.refuseORE(blk.types[i], c.Offset, "SELECT DISTINCT"); err != nil {
				return nil, nil, err
			}
		}
	}
	if b.client == nil {
		// A client binds only to find the constants its keys encrypt:
		// which rows the node reads is the node's to plan (a third of a
		// client's binding of a point lookup by an encrypted column).
		b.planAccess(blk, order)
	}
	return blk, order, nil
}

// setSource records which column an encrypted output's ciphertexts come
// from, so the client decrypts them with that column's key (and, for a
// query of several datasets, RunCatalog adds the dataset).
func (rc *ResultColumn) setSource(t typ) {
	rc.Encryption, rc.Source = t.enc, ""
	if t.enc != dataset.EncNone && t.src != nil {
		rc.Source = t.src.column().Name
	}
}

func (blk *blockPlan) addOutput(e expr, t typ, name string) {
	blk.outputs = append(blk.outputs, e)
	blk.types = append(blk.types, t)
	rc := ResultColumn{Name: name, Type: resultKind(t), Encryption: t.enc}
	rc.setSource(t)
	blk.cols = append(blk.cols, rc)
}

// hasAggregate reports whether e calls an aggregate (not counting
// subqueries, which aggregate on their own).
func hasAggregate(e sql.Expr) bool {
	found := false
	sql.Walk(e, func(x sql.Expr) {
		if c, ok := x.(*sql.Call); ok && isAggregateCall(c) {
			found = true
		}
	})
	return found
}

func isAggregateCall(c *sql.Call) bool {
	if !sql.IsAggregate(c.Func) {
		return false
	}
	if (c.Func == sql.FuncMin || c.Func == sql.FuncMax) && len(c.Args) != 1 {
		return false // min(a, b) is the scalar function
	}
	return true
}

// bindFrom adds the FROM items to the scope as one flat list of sources.
// A left-deep join tree flattens as it is; a parenthesised join on the
// right of another, a JOIN (b JOIN c ON q) ON p, flattens too when the
// outer join is inner (an inner join is associative, and a LEFT JOIN
// inside the parentheses, whose ON may name only the tables beside it,
// null-extends the same rows whatever is joined before it). A LEFT JOIN
// or USING/NATURAL against a parenthesised join is refused.
func (b *binder) bindFrom(sc *scope, blk *blockPlan, t sql.TableExpr) error {
	type pendingOn struct {
		join        *sql.Join
		left, right []*source
		// visible are the sources the ON may name: those of the join's
		// two sides (SQLite's rule; a name to the right, or outside the
		// parentheses, is refused).
		visible uint64
	}
	var ons []pendingOn
	var add func(t sql.TableExpr) error
	add = func(t sql.TableExpr) error {
		switch x := t.(type) {
		case *sql.Join:
			start := len(sc.sources)
			if err := add(x.Left); err != nil {
				return err
			}
			mid, inner := len(sc.sources), len(ons)
			if err := add(x.Right); err != nil {
				return err
			}
			end := len(sc.sources)
			span := func(from, to int) (m uint64) {
				for i := from; i < to; i++ {
					m |= 1 << uint(i)
				}
				return m
			}
			if _, group := x.Right.(*sql.Join); group {
				switch {
				case x.Kind == sql.JoinLeft:
					return b.errAt(x.Right.Pos(), "a LEFT JOIN of a parenthesised join is not supported; join its tables one by one, or write the parenthesised join as a subquery (SELECT … FROM …) AS name")
				case len(x.Using) > 0 || x.Natural:
					return b.errAt(x.Right.Pos(), "USING and NATURAL with a parenthesised join on the right are not supported; write the join condition with ON")
				}
				// The ONs inside the parentheses name only its tables.
				for i := inner; i < len(ons); i++ {
					ons[i].visible &= span(mid, end)
				}
			}
			if x.Kind == sql.JoinLeft {
				sc.sources[mid].left = true
			}
			if x.On != nil || len(x.Using) > 0 || x.Natural {
				// An inner join's ON is a WHERE term and may name any
				// table (as in SQLite); a LEFT JOIN's only its two sides.
				visible := ^uint64(0)
				if x.Kind == sql.JoinLeft {
					visible = span(start, end)
				}
				ons = append(ons, pendingOn{join: x, left: sc.sources[start:mid:mid], right: sc.sources[mid:end:end], visible: visible})
			}
			return nil
		case *sql.TableRef:
			return b.addTable(sc, x)
		case *sql.DerivedTable:
			sub, err := b.bindSelect(x.Select, sc.parent)
			if err != nil {
				return err
			}
			if x.Alias == "" {
				return b.errAt(x.Offset, "a subquery in FROM needs a name: (SELECT …) AS name")
			}
			return b.addSource(sc, &source{name: x.Alias, derived: sub, pos: x.Offset, cols: derivedCols(sub)})
		}
		return fmt.Errorf("unknown FROM item %T", t)
	}
	if err := add(t); err != nil {
		return err
	}
	for _, o := range ons {
		var terms []sql.Expr
		if o.join.On != nil {
			terms = append(terms, o.join.On)
		}
		using := o.join.Using
		right := o.right[0] // one source: a group on the right takes ON only
		if o.join.Natural {
			for _, c := range right.cols {
				for _, l := range o.left {
					if l.column(c.name) >= 0 && !c.hidden {
						using = append(using, c.name)
						break
					}
				}
			}
		}
		for _, name := range using {
			var lsrc *source
			for _, l := range o.left {
				if l.column(name) >= 0 {
					if lsrc != nil {
						return b.errAt(o.join.Right.Pos(), "USING column %q is in more than one table on the left", name)
					}
					lsrc = l
				}
			}
			if lsrc == nil || right.column(name) < 0 {
				return b.errAt(o.join.Right.Pos(), "USING column %q must be in the tables on both sides", name)
			}
			terms = append(terms, &sql.Compare{Op: sql.Equal,
				L: &sql.ColumnRef{Table: lsrc.name, Name: name, Offset: o.join.Right.Pos()},
				R: &sql.ColumnRef{Table: right.name, Name: name, Offset: o.join.Right.Pos()}})
		}
		for _, term := range terms {
			var cs []*conjunct
			if err := b.conjuncts(sc, term, "ON", &cs); err != nil {
				return err
			}
			for _, c := range cs {
				if outside := c.mask &^ o.visible; outside != 0 {
					name := sc.sources[bits.TrailingZeros64(outside)].name
					return b.errAt(c.ast.Pos(), "the ON condition names %s, which is not one of the two sides it joins (a table to the right of a LEFT JOIN, or outside the parentheses); move the condition to WHERE or to a later ON", name)
				}
			}
			if o.join.Kind == sql.JoinLeft {
				right.on = append(right.on, cs...)
			} else {
				blk.conj = append(blk.conj, cs...)
			}
		}
	}
	blk.sources = sc.sources
	return nil
}

func derivedCols(p *selectPlan) []srcCol {
	cols := make([]srcCol, p.nOut)
	for i := range cols {
		cols[i] = srcCol{name: p.cols[i].Name, t: p.types[i]}
		cols[i].t.konst = false
	}
	return cols
}

func (s *source) column(name string) int {
	found := -1
	for i, c := range s.cols {
		if c.name == name {
			return i
		}
		if found < 0 && strings.EqualFold(c.name, name) {
			found = i
		}
	}
	return found
}

func (b *binder) addSource(sc *scope, s *source) error {
	if len(sc.sources) == 64 {
		return b.errAt(s.pos, "more than 64 tables in one FROM")
	}
	for _, o := range sc.sources {
		if strings.EqualFold(o.name, s.name) {
			return b.errAt(s.pos, "%q is in FROM twice; give one of them another name with AS", s.name)
		}
	}
	s.offset = sc.width
	sc.width += len(s.cols)
	sc.sources = append(sc.sources, s)
	return nil
}

func (b *binder) addTable(sc *scope, ref *sql.TableRef) error {
	ent, err := b.cat.Lookup(ref.Name)
	if err != nil {
		return b.errAt(ref.Offset, "%v", err)
	}
	name := ref.Alias
	if ent.View != nil {
		if b.views >= 16 {
			return b.errAt(ref.Offset, "views nested more than 16 deep (does view %q read itself?)", ref.Name)
		}
		b.views++
		sub, err := b.bindSelect(ent.View, nil)
		b.views--
		if err != nil {
			return fmt.Errorf("view %s: %w", ref.Name, err)
		}
		if name == "" {
			name = ref.Name
		}
		return b.addSource(sc, &source{name: name, derived: sub, pos: ref.Offset, cols: derivedCols(sub)})
	}
	t := ent.Table
	if name == "" {
		name = ref.Name
		if strings.Contains(ref.Name, "/") { // a path "0x…/name"
			if p, err := dataset.ParsePath(ref.Name); err == nil {
				name = p.Name // columns are qualified by the bare name
			}
		}
	}
	s := &source{name: name, table: t, pos: ref.Offset, cols: make([]srcCol, 0, len(t.Schema.Columns))}
	for i, c := range t.Schema.Columns {
		ct := typ{kind: c.Type, enc: c.Encryption}
		if c.Encryption != dataset.EncNone {
			ct.src = &encSource{table: t, col: i}
		}
		s.cols = append(s.cols, srcCol{name: c.Name, t: ct, hidden: ent.Hidden[c.Name]})
	}
	found := false
	for _, o := range b.tables {
		found = found || o == t
	}
	if !found {
		b.tables = append(b.tables, t)
	}
	return b.addSource(sc, s)
}

func (b *binder) expandStar(sc *scope, blk *blockPlan, it sql.SelectItem) error {
	n := 0
	for _, s := range sc.sources {
		if it.StarTable != "" && !strings.EqualFold(s.name, it.StarTable) {
			continue
		}
		refs := make([]sql.ColumnRef, len(s.cols)) // one allocation per table
		for i, c := range s.cols {
			if c.hidden {
				continue
			}
			ref := &refs[i]
			*ref = sql.ColumnRef{Table: s.name, Name: c.name, Offset: it.Offset}
			e, t, err := b.expr(sc, ref)
			if err != nil {
				return err
			}
			blk.addOutput(e, t, c.name)
			n++
		}
	}
	switch {
	case it.StarTable != "" && n == 0:
		return b.errAt(it.Offset, "%s.*: no table %q in FROM", it.StarTable, it.StarTable)
	case len(sc.sources) == 0:
		return b.errAt(it.Offset, "SELECT * needs a FROM")
	}
	return nil
}

// addConjuncts binds the AND-ed terms of a WHERE or inner ON.
func (b *binder) addConjuncts(sc *scope, blk *blockPlan, e sql.Expr, clause string) error {
	return b.conjuncts(sc, e, clause, &blk.conj)
}

func (b *binder) conjuncts(sc *scope, e sql.Expr, clause string, out *[]*conjunct) error {
	if a, ok := e.(*sql.And); ok {
		if err := b.conjuncts(sc, a.L, clause, out); err != nil {
			return err
		}
		return b.conjuncts(sc, a.R, clause, out)
	}
	saved := b.preCtx
	b.preCtx = clause
	sc.mask = 0
	x, t, err := b.expr(sc, e)
	b.preCtx = saved
	if err != nil {
		return err
	}
	if err := b.checkCondition(t, e); err != nil {
		return err
	}
	*out = append(*out, &conjunct{e: x, mask: sc.mask, ast: e})
	return nil
}

// checkCondition refuses values that are not truth values.
func (b *binder) checkCondition(t typ, e sql.Expr) error {
	switch {
	case t.enc != dataset.EncNone && b.client == nil:
		return b.errAt(e.Pos(), "%s is encrypted; a ciphertext is not a condition (compare it with something)", e)
	case t.kind == dataset.TypeString || t.kind == dataset.TypeBytes:
		return b.errAt(e.Pos(), "%s is a %s, not a condition; compare it with something", e, t.kind)
	}
	return nil
}

// bindGroups binds GROUP BY and prepares the aggregate layout.
func (b *binder) bindGroups(sc *scope, blk *blockPlan, c *sql.SelectCore) error {
	ag := &aggBind{groupCanon: map[string]int{}, aggCanon: map[string]int{}}
	sc.agg = ag
	for _, g := range c.GroupBy {
		g = b.groupTerm(sc, c, g)
		saved := b.preCtx
		b.preCtx = "GROUP BY"
		e, t, err := b.expr(sc, g)
		b.preCtx = saved
		if err != nil {
			return err
		}
		if t.enc != dataset.EncNone && t.src == nil {
			return b.errAt(g.Pos(), "GROUP BY %s: an encrypted value of unknown origin", g)
		}
		if err := b.refuseORE(t, g.Pos(), "GROUP BY"); err != nil {
			return err
		}
		if key, ok := b.canon(sc, g); ok {
			if _, dup := ag.groupCanon[key]; !dup {
				ag.groupCanon[key] = len(ag.groupExprs)
			}
		}
		ag.groupExprs = append(ag.groupExprs, e)
		ag.groupTypes = append(ag.groupTypes, t)
	}
	return nil
}

// groupTerm applies SQLite's rules for GROUP BY terms: an integer is the
// select list's item of that number, a name that is no column but an
// item's alias is that item.
func (b *binder) groupTerm(sc *scope, c *sql.SelectCore, g sql.Expr) sql.Expr {
	if k, ok := termNumber(g); ok {
		if k >= 1 && k <= int64(len(c.Items)) && !c.Items[k-1].Star {
			return c.Items[k-1].Expr
		}
	}
	if ref, ok := g.(*sql.ColumnRef); ok && ref.Table == "" {
		if _, err := b.lookup(sc, ref); err != nil {
			for _, it := range c.Items {
				if it.Alias != "" && strings.EqualFold(it.Alias, ref.Name) && !hasAggregate(it.Expr) {
					return it.Expr
				}
			}
		}
	}
	return g
}

// bindOrder resolves ORDER BY of a single SELECT as SQLite does: an
// integer is an output column's number; a bare name that is an output
// column's alias is that column (even when a table has a column of that
// name); an expression identical to an output column is that column;
// anything else is an expression over the FROM's rows (or, grouped, over
// the groups), computed as a hidden extra output.
func (b *binder) bindOrder(sc *scope, blk *blockPlan, c *sql.SelectCore, orderBy []sql.OrderItem) ([]orderKey, error) {
	var keys []orderKey
	var itemCanon []string
	for _, o := range orderBy {
		idx := -1
		if n, ok := termNumber(o.Expr); ok {
			if n < 1 || n > int64(blk.nOut) {
				return nil, b.errAt(o.Expr.Pos(), "ORDER BY %d: the result has columns 1 to %d", n, blk.nOut)
			}
			idx = int(n - 1)
		}
		switch x := o.Expr.(type) {
		case *sql.ColumnRef:
			if x.Table == "" {
				for i, it := range c.Items {
					if it.Alias != "" && strings.EqualFold(it.Alias, x.Name) {
						idx = blk.itemOut[i]
						break
					}
				}
			}
		}
		if idx < 0 {
			if itemCanon == nil {
				for _, it := range c.Items {
					k := ""
					if !it.Star {
						k, _ = b.canon(sc, it.Expr)
					}
					itemCanon = append(itemCanon, k)
				}
			}
			if k, ok := b.canon(sc, o.Expr); ok {
				for i, ik := range itemCanon {
					if ik == k {
						idx = blk.itemOut[i]
						break
					}
				}
			}
			if idx >= 0 && b.client != nil {
				// The client rewrites this copy of the item too (noteForClient).
				if _, _, err := b.expr(sc, o.Expr); err != nil {
					return nil, err
				}
			}
		}
		if idx < 0 {
			if blk.distinct {
				return nil, b.errAt(o.Expr.Pos(), "ORDER BY %s: with SELECT DISTINCT, order by an output column", o.Expr)
			}
			e, t, err := b.expr(sc, o.Expr)
			if err != nil {
				return nil, err
			}
			idx = len(blk.outputs)
			blk.outputs = append(blk.outputs, e)
			blk.types = append(blk.types, t)
		}
		if err := checkOrderable(b, blk.types[idx], o.Expr.Pos()); err != nil {
			return nil, err
		}
		keys = append(keys, orderKey{idx: idx, desc: o.Desc})
	}
	return keys, nil
}

func checkOrderable(b *binder, t typ, pos int) error {
	if b.client != nil {
		return nil // the node decides; the client only resolves names
	}
	if t.enc == dataset.EncDeterministic {
		return b.errAt(pos, "ORDER BY on a column with deterministic encryption, which hides order; use an order-preserving column")
	}
	if err := b.refuseORE(t, pos, "ORDER BY"); err != nil {
		return err
	}
	if t.enc != dataset.EncNone && t.src == nil {
		return b.errAt(pos, "ORDER BY on an encrypted value of unknown origin")
	}
	return nil
}

// lookup finds the column a name denotes, innermost block first, without
// side effects.
type resolved struct {
	depth int
	sc    *scope
	src   int
	col   int
}

func (b *binder) lookup(sc *scope, ref *sql.ColumnRef) (resolved, error) {
	for s, depth := sc, 0; s != nil; s, depth = s.parent, depth+1 {
		var hits []resolved
		tableFound := false
		for i, src := range s.sources {
			if ref.Table != "" && !strings.EqualFold(src.name, ref.Table) {
				continue
			}
			tableFound = true
			if j := src.column(ref.Name); j >= 0 {
				hits = append(hits, resolved{depth: depth, sc: s, src: i, col: j})
			}
		}
		switch {
		case len(hits) == 1:
			return hits[0], nil
		case len(hits) > 1:
			var names []string
			for _, h := range hits {
				names = append(names, s.sources[h.src].name)
			}
			return resolved{}, b.errAt(ref.Offset, "column name %q is ambiguous (it is in %s); qualify it, e.g. %s.%s", ref.Name, strings.Join(names, " and "), names[0], ref.Name)
		case tableFound && ref.Table != "":
			src := s.sources[0]
			for _, x := range s.sources {
				if strings.EqualFold(x.name, ref.Table) {
					src = x
				}
			}
			return resolved{}, b.errAt(ref.Offset, "%s has no column %q (columns: %s)", ref.Table, ref.Name, columnList(src))
		}
	}
	if ref.Table != "" {
		return resolved{}, b.errAt(ref.Offset, "unknown table %q in %s (no table or alias of that name in FROM)", ref.Table, ref)
	}
	var all []string
	for _, src := range sc.sources {
		all = append(all, columnList(src))
	}
	if len(all) == 0 {
		return resolved{}, b.errAt(ref.Offset, "unknown column %q (this SELECT has no FROM)", ref.Name)
	}
	return resolved{}, b.errAt(ref.Offset, "unknown column %q (columns: %s)", ref.Name, strings.Join(all, ", "))
}

func columnList(s *source) string {
	var names []string
	for _, c := range s.cols {
		if !c.hidden {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

// column binds a column reference.
func (b *binder) column(sc *scope, ref *sql.ColumnRef) (expr, typ, error) {
	r, err := b.lookup(sc, ref)
	if err != nil {
		return nil, typ{}, err
	}
	for s, d := sc, 0; d < r.depth; s, d = s.parent, d+1 {
		s.correlated = true
	}
	r.sc.mask |= 1 << uint(r.src)
	src := r.sc.sources[r.src]
	t := src.cols[r.col].t
	if b.client != nil {
		b.client.refs[ref] = t
	}
	if ag := r.sc.agg; ag != nil && ag.active {
		// The block's rows are groups now: the column must be a group key.
		key := fmt.Sprintf("c0.%d", src.offset+r.col)
		if slot, ok := ag.groupCanon[key]; ok {
			return b.colRef(r.depth, slot), ag.groupTypes[slot], nil
		}
		return nil, typ{}, b.errAt(ref.Offset, "column %s must appear in GROUP BY or inside an aggregate", ref)
	}
	return b.colRef(r.depth, src.offset+r.col), t, nil
}

// canon renders e with its names resolved, so two spellings of one
// expression (t.a and a) compare equal; ok is false for expressions that
// cannot be compared this way (subqueries, unknown names).
func (b *binder) canon(sc *scope, e sql.Expr) (string, bool) {
	var sb strings.Builder
	ok := b.writeCanon(sc, e, &sb)
	return sb.String(), ok
}

func (b *binder) writeCanon(sc *scope, e sql.Expr, sb *strings.Builder) bool {
	switch x := e.(type) {
	case *sql.ColumnRef:
		r, err := b.lookup(sc, x)
		if err != nil {
			return false
		}
		fmt.Fprintf(sb, "c%d.%d", r.depth, r.sc.sources[r.src].offset+r.col)
		return true
	case *sql.Literal:
		fmt.Fprintf(sb, "l%s/%d", sql.FormatLiteral(x.Value), x.SubMicros)
		return true
	case *sql.Subquery, *sql.Exists:
		return false
	case *sql.In:
		if x.Sub != nil {
			return false
		}
		fmt.Fprintf(sb, "in%v", x.Not)
	case *sql.Compare:
		sb.WriteString("cmp" + string(x.Op))
	case *sql.Binary:
		sb.WriteString("bin" + string(x.Op))
	case *sql.Unary:
		sb.WriteString("un" + x.Op)
	case *sql.Call:
		fmt.Fprintf(sb, "call%s/%v/%v", x.Func, x.Distinct, x.Star)
	case *sql.Cast:
		sb.WriteString("cast" + x.Type)
	case *sql.Case:
		fmt.Fprintf(sb, "case%v/%v", x.Operand != nil, x.Else != nil)
	case *sql.Between:
		fmt.Fprintf(sb, "between%v", x.Not)
	case *sql.IsNull:
		fmt.Fprintf(sb, "isnull%v", x.Not)
	case *sql.Is:
		fmt.Fprintf(sb, "is%v", x.Not)
	case *sql.Like:
		fmt.Fprintf(sb, "like%v/%v", x.Not, x.Escape != nil)
	default:
		fmt.Fprintf(sb, "%T", e)
	}
	sb.WriteByte('(')
	for _, c := range sql.Children(e) {
		if !b.writeCanon(sc, c, sb) {
			return false
		}
		sb.WriteByte(',')
	}
	sb.WriteByte(')')
	return true
}

// expr binds an expression.
// noteForClient binds e, which equals a group key bound before, as the
// rows it reads (not the groups) when binding on the client: the client
// rewrites the constants of every copy of an expression alike (their
// ciphertexts are deterministic), so the node still finds the copies
// equal.
func (b *binder) noteForClient(sc *scope, e sql.Expr) error {
	if b.client == nil {
		return nil
	}
	sc.agg.active = false
	_, _, err := b.expr(sc, e)
	sc.agg.active = true
	return err
}

func (b *binder) expr(sc *scope, e sql.Expr) (expr, typ, error) {
	if ag := sc.agg; ag != nil && ag.active && len(ag.groupCanon) > 0 {
		if _, isLit := e.(*sql.Literal); !isLit {
			if key, ok := b.canon(sc, e); ok {
				if slot, ok := ag.groupCanon[key]; ok {
					if err := b.noteForClient(sc, e); err != nil {
						return nil, typ{}, err
					}
					return b.colRef(0, slot), ag.groupTypes[slot], nil
				}
			}
		}
	}
	switch x := e.(type) {
	case *sql.ColumnRef:
		return b.column(sc, x)
	case *sql.Literal:
		return &constExpr{v: x.Value, sub: x.SubMicros}, typ{kind: x.Value.Kind, konst: true}, nil
	case *sql.Compare:
		return b.compare(sc, x)
	case *sql.Is:
		l, lt, err := b.expr(sc, x.L)
		if err != nil {
			return nil, typ{}, err
		}
		r, rt, err := b.expr(sc, x.R)
		if err != nil {
			return nil, typ{}, err
		}
		checked, err := b.comparable(x.Pos(), "IS", lt, rt, x.L, x.R)
		if err != nil {
			return nil, typ{}, err
		}
		return &isExpr{l: l, r: r, not: x.Not, checked: checked}, boolType(lt, rt), nil
	case *sql.IsNull:
		v, t, err := b.expr(sc, x.X)
		if err != nil {
			return nil, typ{}, err
		}
		return &isNullExpr{x: v, not: x.Not}, typ{kind: dataset.TypeBool, konst: t.konst}, nil
	case *sql.And:
		l, lt, err := b.cond(sc, x.L)
		if err != nil {
			return nil, typ{}, err
		}
		r, rt, err := b.cond(sc, x.R)
		if err != nil {
			return nil, typ{}, err
		}
		return &andExpr{l, r}, boolType(lt, rt), nil
	case *sql.Or:
		l, lt, err := b.cond(sc, x.L)
		if err != nil {
			return nil, typ{}, err
		}
		r, rt, err := b.cond(sc, x.R)
		if err != nil {
			return nil, typ{}, err
		}
		return &orExpr{l, r}, boolType(lt, rt), nil
	case *sql.Not:
		v, t, err := b.cond(sc, x.X)
		if err != nil {
			return nil, typ{}, err
		}
		return &notExpr{v}, boolType(t), nil
	case *sql.In:
		return b.in(sc, x)
	case *sql.Between:
		return b.between(sc, x)
	case *sql.Binary:
		return b.binary(sc, x)
	case *sql.Unary:
		return b.unary(sc, x)
	case *sql.Like:
		return b.like(sc, x)
	case *sql.Case:
		return b.caseExpr(sc, x)
	case *sql.Cast:
		v, t, err := b.expr(sc, x.X)
		if err != nil {
			return nil, typ{}, err
		}
		if err := b.plainOperand(t, x.X, "CAST"); err != nil {
			return nil, typ{}, err
		}
		to, numeric, err := castType(x.Type)
		if err != nil {
			return nil, typ{}, b.errAt(x.Offset, "%v", err)
		}
		k := to
		if numeric {
			k = kindAny
			if t.kind == dataset.TypeInt64 || t.kind == dataset.TypeFloat64 {
				k = t.kind
			}
		}
		if t.kind == dataset.TypeBytes || (to == dataset.TypeTimestamp && classOf(t.kind) != classNumeric && t.kind != 0 && t.kind != kindAny) {
			return nil, typ{}, b.errAt(x.Offset, "cannot CAST a %s AS %s", t.kind, x.Type)
		}
		return b.fold(&castExpr{x: v, to: to, numeric: numeric}, typ{kind: k, konst: t.konst})
	case *sql.Call:
		return b.call(sc, x)
	case *sql.Subquery:
		sub, err := b.subquery(sc, x.Select, x.Offset, "a scalar subquery")
		if err != nil {
			return nil, typ{}, err
		}
		t := sub.types[0]
		t.konst = false
		return &scalarSubExpr{sub: sub}, t, nil
	case *sql.Exists:
		sub, err := b.bindSelect(x.Select, sc)
		if err != nil {
			return nil, typ{}, err
		}
		return &existsExpr{sub: sub}, typ{kind: dataset.TypeBool}, nil
	}
	return nil, typ{}, b.errAt(e.Pos(), "unsupported expression %s", e)
}

func boolType(ts ...typ) typ {
	k := true
	for _, t := range ts {
		k = k && t.konst
	}
	return typ{kind: dataset.TypeBool, konst: k}
}

// cond binds an operand of AND, OR, NOT.
func (b *binder) cond(sc *scope, e sql.Expr) (expr, typ, error) {
	x, t, err := b.expr(sc, e)
	if err != nil {
		return nil, typ{}, err
	}
	return x, t, b.checkCondition(t, e)
}

// fold evaluates a constant expression once, at bind time. An expression
// whose evaluation fails is left to fail when it runs (if it runs).
func (b *binder) fold(e expr, t typ) (expr, typ, error) {
	if !t.konst {
		return e, t, nil
	}
	if _, ok := e.(*constExpr); ok {
		return e, t, nil
	}
	v, err := e.eval(&rowCtx{})
	if err != nil {
		return e, t, nil
	}
	return &constExpr{v: v}, t, nil
}

// comparable checks that two operands may be compared with op; checked
// reports that their classes are known to match (no run-time check).
func (b *binder) comparable(pos int, op string, lt, rt typ, la, ra sql.Expr) (bool, error) {
	if lt.enc != dataset.EncNone || rt.enc != dataset.EncNone {
		return true, b.encryptedCompare(pos, op, lt, rt, la, ra)
	}
	lc, rc := lt.class(), rt.class()
	switch {
	case lt.kind == kindAny || rt.kind == kindAny:
		return false, nil
	case lc == classNull || rc == classNull || lc == rc:
		return true, nil
	}
	return false, b.errAt(pos, "cannot compare %s (%s) with %s (%s); the engine does not convert between numbers, strings and bytes (use CAST)", la, lt.kind, ra, rt.kind)
}

// encryptedCompare enforces what a comparison may do with ciphertexts:
// deterministic columns answer equality, order-preserving ones also order;
// the other side must be a ciphertext constant (the client encrypts
// constants) or the same column (a self-join), whose ciphertexts are
// under the same key.
func (b *binder) encryptedCompare(pos int, op string, lt, rt typ, la, ra sql.Expr) error {
	for _, side := range []struct {
		t, ot typ
		a, oa sql.Expr
	}{{lt, rt, la, ra}, {rt, lt, ra, la}} {
		if side.t.enc == dataset.EncNone {
			continue
		}
		col := side.t.src.column()
		if isORE(side.t) && b.client == nil {
			switch op {
			case "=", "!=", "<", "<=", ">", ">=", "IN":
			default:
				return b.errAt(pos, "column %q has order-revealing encryption, which answers =, !=, <, <=, >, >=, BETWEEN and IN against constants, not %s", col.Name, op)
			}
			if side.ot.enc != dataset.EncNone {
				return b.refuseORE(side.t, pos, fmt.Sprintf("comparing with %s", side.oa))
			}
		}
		equality := op == "=" || op == "!=" || op == "IN" || op == "IS"
		if side.t.enc == dataset.EncDeterministic && !equality && b.client == nil {
			return b.errAt(pos, "column %q has deterministic encryption, which supports only =, != and IN; use an order-preserving column for %s", col.Name, op)
		}
		switch {
		case side.ot.enc != dataset.EncNone:
			if side.ot.src != nil && side.t.src.table.Path != side.ot.src.table.Path {
				// Each dataset's columns are encrypted under keys derived
				// for that dataset: no ciphertext of one equals another's.
				return b.errAt(pos, "column %q of %s is encrypted and %s is an encrypted column of another dataset (%s); each dataset's columns are encrypted under its own keys, so their ciphertexts never match: join on plaintext columns, or decrypt and compare on the client", col.Name, side.t.src.table.Path, side.oa, side.ot.src.table.Path)
			}
			if !side.t.src.same(side.ot.src) && b.client == nil {
				return b.errAt(pos, "column %q is encrypted; it can be compared only with ciphertext constants or with itself (a self-join), not with %s, whose ciphertexts are under another key", col.Name, side.oa)
			}
		case side.ot.kind == 0:
		case side.ot.kind == dataset.TypeBytes && side.ot.konst:
		case side.ot.konst && b.client != nil:
			if err := b.client.note(b, side.t.src, op, side.oa); err != nil {
				return err
			}
		case side.ot.konst && b.client == nil:
			return b.errAt(side.oa.Pos(), "column %q is encrypted (%s): encrypt the constant %s with the dataset's column keys (enigma subscriber query does this) and write it as X'…'", col.Name, side.t.enc, side.oa)
		case b.client == nil:
			return b.errAt(pos, "column %q is encrypted; it can be compared only with ciphertext constants or with itself (a self-join), not with %s", col.Name, side.oa)
		}
	}
	return nil
}

// plainOperand refuses to compute on ciphertext.
func (b *binder) plainOperand(t typ, e sql.Expr, what string) error {
	if t.enc != dataset.EncNone && b.client == nil {
		name := e.String()
		if t.src != nil {
			name = fmt.Sprintf("column %q", t.src.column().Name)
		}
		return b.errAt(e.Pos(), "%s: %s is encrypted (%s), and the node cannot compute on ciphertext; select the column and compute after decrypting", what, name, t.enc)
	}
	return nil
}

func (b *binder) compare(sc *scope, x *sql.Compare) (expr, typ, error) {
	l, lt, err := b.expr(sc, x.L)
	if err != nil {
		return nil, typ{}, err
	}
	r, rt, err := b.expr(sc, x.R)
	if err != nil {
		return nil, typ{}, err
	}
	checked, err := b.comparable(x.Pos(), string(x.Op), lt, rt, x.L, x.R)
	if err != nil {
		return nil, typ{}, err
	}
	if oe, err := b.oreCompare(x.Op, l, lt, r, rt, x.L, x.R); oe != nil || err != nil {
		return oe, boolType(lt, rt), err
	}
	l, _, _ = b.fold(l, lt)
	r, _, _ = b.fold(r, rt)
	return b.fold(&cmpExpr{op: x.Op, l: l, r: r, checked: checked}, boolType(lt, rt))
}

func (b *binder) in(sc *scope, x *sql.In) (expr, typ, error) {
	v, vt, err := b.expr(sc, x.X)
	if err != nil {
		return nil, typ{}, err
	}
	if x.Sub != nil {
		if err := b.refuseORE(vt, x.Pos(), "IN (SELECT …)"); err != nil {
			return nil, typ{}, err
		}
		sub, err := b.subquery(sc, x.Sub, x.Sub.Cores[0].Offset, "an IN subquery")
		if err != nil {
			return nil, typ{}, err
		}
		checked, err := b.comparable(x.Pos(), "IN", vt, sub.types[0], x.X, &sql.Subquery{Select: x.Sub, Offset: x.Sub.Cores[0].Offset})
		if err != nil {
			return nil, typ{}, err
		}
		return &inSubExpr{x: v, sub: sub, not: x.Not, checked: checked}, typ{kind: dataset.TypeBool}, nil
	}
	if isORE(vt) && b.client == nil {
		return b.oreIn(sc, v, vt, x)
	}
	e := &inListExpr{x: v, not: x.Not, checked: true}
	allConst := true
	for _, item := range x.List {
		it, t, err := b.expr(sc, item)
		if err != nil {
			return nil, typ{}, err
		}
		checked, err := b.comparable(item.Pos(), "IN", vt, t, x.X, item)
		if err != nil {
			return nil, typ{}, err
		}
		it, _, _ = b.fold(it, t)
		e.checked = e.checked && checked
		c, ok := it.(*constExpr)
		allConst = allConst && ok && c.sub == 0
		e.list = append(e.list, it)
	}
	if allConst && len(e.list) > 8 {
		e.set = map[string]struct{}{}
		for _, it := range e.list {
			c := it.(*constExpr)
			if c.v.IsNull() {
				e.hasNull = true
				continue
			}
			e.set[string(appendEqKey(nil, c.v))] = struct{}{}
		}
	}
	return b.fold(e, typ{kind: dataset.TypeBool, konst: vt.konst && allConst})
}

func (b *binder) between(sc *scope, x *sql.Between) (expr, typ, error) {
	v, vt, err := b.expr(sc, x.X)
	if err != nil {
		return nil, typ{}, err
	}
	lo, lot, err := b.expr(sc, x.Lo)
	if err != nil {
		return nil, typ{}, err
	}
	hi, hit, err := b.expr(sc, x.Hi)
	if err != nil {
		return nil, typ{}, err
	}
	c1, err := b.comparable(x.Lo.Pos(), ">=", vt, lot, x.X, x.Lo)
	if err != nil {
		return nil, typ{}, err
	}
	c2, err := b.comparable(x.Hi.Pos(), "<=", vt, hit, x.X, x.Hi)
	if err != nil {
		return nil, typ{}, err
	}
	if isORE(vt) && b.client == nil {
		ge, err := b.oreCompare(sql.GreaterEqual, v, vt, lo, lot, x.X, x.Lo)
		if err != nil {
			return nil, typ{}, err
		}
		le, err := b.oreCompare(sql.LessEqual, v, vt, hi, hit, x.X, x.Hi)
		if err != nil {
			return nil, typ{}, err
		}
		if ge == nil { // a NULL bound
			ge = &constExpr{}
		}
		if le == nil {
			le = &constExpr{}
		}
		var both expr = &andExpr{l: ge, r: le}
		if x.Not {
			both = &notExpr{x: both}
		}
		return both, boolType(vt, lot, hit), nil
	}
	lo, _, _ = b.fold(lo, lot)
	hi, _, _ = b.fold(hi, hit)
	return b.fold(&betweenExpr{x: v, lo: lo, hi: hi, not: x.Not, checked: c1 && c2}, boolType(vt, lot, hit))
}

func (b *binder) binary(sc *scope, x *sql.Binary) (expr, typ, error) {
	l, lt, err := b.expr(sc, x.L)
	if err != nil {
		return nil, typ{}, err
	}
	r, rt, err := b.expr(sc, x.R)
	if err != nil {
		return nil, typ{}, err
	}
	for _, side := range []struct {
		t typ
		a sql.Expr
	}{{lt, x.L}, {rt, x.R}} {
		if err := b.plainOperand(side.t, side.a, string(x.Op)); err != nil {
			return nil, typ{}, err
		}
		k := side.t.kind
		if x.Op == sql.Concat {
			if k == dataset.TypeBytes || k == dataset.TypeTimestamp {
				return nil, typ{}, b.errAt(side.a.Pos(), "|| needs text or numbers; %s is %s", side.a, k)
			}
			continue
		}
		if k != 0 && k != kindAny && k != dataset.TypeInt64 && k != dataset.TypeFloat64 && k != dataset.TypeBool {
			return nil, typ{}, b.errAt(side.a.Pos(), "%s needs numbers; %s is %s", x.Op, side.a, k)
		}
	}
	konst := lt.konst && rt.konst
	if x.Op == sql.Concat {
		return b.fold(&concatExpr{l, r}, typ{kind: dataset.TypeString, konst: konst})
	}
	var k dataset.ColumnType
	switch {
	case lt.kind == 0 || rt.kind == 0:
		k = 0
	case x.Op == sql.BitAnd || x.Op == sql.BitOr || x.Op == sql.Shl || x.Op == sql.Shr:
		k = dataset.TypeInt64
	case lt.kind == kindAny || rt.kind == kindAny:
		k = kindAny
	case lt.kind == dataset.TypeFloat64 || rt.kind == dataset.TypeFloat64:
		k = dataset.TypeFloat64
	default:
		k = dataset.TypeInt64
	}
	return b.fold(&arithExpr{op: x.Op, l: l, r: r, text: x.String()}, typ{kind: k, konst: konst})
}

func (b *binder) unary(sc *scope, x *sql.Unary) (expr, typ, error) {
	v, t, err := b.expr(sc, x.X)
	if err != nil {
		return nil, typ{}, err
	}
	if x.Op == "+" {
		return v, t, nil // a no-op in SQLite, whatever the type
	}
	if err := b.plainOperand(t, x.X, x.Op); err != nil {
		return nil, typ{}, err
	}
	if k := t.kind; k != 0 && k != kindAny && k != dataset.TypeInt64 && k != dataset.TypeFloat64 && k != dataset.TypeBool {
		return nil, typ{}, b.errAt(x.Offset, "%s needs a number; %s is %s", x.Op, x.X, k)
	}
	k := t.kind
	if k == dataset.TypeBool || x.Op == "~" && k != 0 {
		k = dataset.TypeInt64
	}
	if x.Op == "~" {
		return b.fold(&bitNotExpr{v}, typ{kind: k, konst: t.konst})
	}
	return b.fold(&negExpr{x: v, text: x.String()}, typ{kind: k, konst: t.konst})
}

func (b *binder) like(sc *scope, x *sql.Like) (expr, typ, error) {
	e := &likeExpr{not: x.Not}
	operands := []sql.Expr{x.X, x.Pattern}
	if x.Escape != nil {
		operands = append(operands, x.Escape)
	}
	konst := true
	for i, a := range operands {
		v, t, err := b.expr(sc, a)
		if err != nil {
			return nil, typ{}, err
		}
		if err := b.plainOperand(t, a, "LIKE"); err != nil {
			return nil, typ{}, err
		}
		if t.kind == dataset.TypeBytes || t.kind == dataset.TypeTimestamp {
			return nil, typ{}, b.errAt(a.Pos(), "LIKE needs text; %s is %s", a, t.kind)
		}
		konst = konst && t.konst
		switch i {
		case 0:
			e.x = v
		case 1:
			e.pattern = v
		default:
			e.escape = v
		}
	}
	return b.fold(e, typ{kind: dataset.TypeBool, konst: konst})
}

func (b *binder) caseExpr(sc *scope, x *sql.Case) (expr, typ, error) {
	e := &caseExpr{checked: true}
	konst := true
	var ot typ
	if x.Operand != nil {
		v, t, err := b.expr(sc, x.Operand)
		if err != nil {
			return nil, typ{}, err
		}
		e.operand, ot, konst = v, t, t.konst
	}
	var results []typ
	for _, w := range x.Whens {
		c, ct, err := b.expr(sc, w.Cond)
		if err != nil {
			return nil, typ{}, err
		}
		if x.Operand != nil {
			if err := b.refuseORE(ot, x.Operand.Pos(), "CASE … WHEN"); err != nil {
				return nil, typ{}, err
			}
			if err := b.refuseORE(ct, w.Cond.Pos(), "CASE … WHEN"); err != nil {
				return nil, typ{}, err
			}
			checked, err := b.comparable(w.Cond.Pos(), "=", ot, ct, x.Operand, w.Cond)
			if err != nil {
				return nil, typ{}, err
			}
			e.checked = e.checked && checked
		} else if err := b.checkCondition(ct, w.Cond); err != nil {
			return nil, typ{}, err
		}
		r, rt, err := b.expr(sc, w.Result)
		if err != nil {
			return nil, typ{}, err
		}
		if err := b.plainOperand(rt, w.Result, "CASE"); err != nil {
			return nil, typ{}, err
		}
		konst = konst && ct.konst && rt.konst
		e.conds = append(e.conds, c)
		e.results = append(e.results, r)
		results = append(results, rt)
	}
	if x.Else != nil {
		v, t, err := b.expr(sc, x.Else)
		if err != nil {
			return nil, typ{}, err
		}
		if err := b.plainOperand(t, x.Else, "CASE"); err != nil {
			return nil, typ{}, err
		}
		e.els = v
		konst = konst && t.konst
		results = append(results, t)
	}
	k, err := unifyKinds("CASE", results)
	if err != nil {
		k = kindAny // CASE may return values of different classes; comparisons check them when they run
	}
	return b.fold(e, typ{kind: k, konst: konst})
}

// subquery binds a subquery that yields one column.
func (b *binder) subquery(sc *scope, s *sql.Select, pos int, what string) (*selectPlan, error) {
	sub, err := b.bindSelect(s, sc)
	if err != nil {
		return nil, err
	}
	if sub.nOut != 1 {
		return nil, b.errAt(pos, "%s must return one column, this one returns %d", what, sub.nOut)
	}
	return sub, nil
}

func (b *binder) call(sc *scope, x *sql.Call) (expr, typ, error) {
	if isAggregateCall(x) {
		return b.aggregate(sc, x)
	}
	f := scalarFuncs[x.Func]
	if f == nil {
		if sql.IsAggregate(x.Func) {
			return nil, typ{}, b.errAt(x.Offset, "%s takes one argument as an aggregate", strings.ToLower(x.Func))
		}
		return nil, typ{}, b.errAt(x.Offset, "unknown function %s (the functions are %s)", strings.ToLower(x.Func), functionNames())
	}
	if x.Distinct || x.Star {
		return nil, typ{}, b.errAt(x.Offset, "%s is not an aggregate; DISTINCT and * do not apply", strings.ToLower(x.Func))
	}
	if len(x.Args) < f.minArgs || (f.maxArgs >= 0 && len(x.Args) > f.maxArgs) {
		want := fmt.Sprint(f.minArgs)
		switch {
		case f.maxArgs < 0:
			want = fmt.Sprintf("at least %d", f.minArgs)
		case f.maxArgs != f.minArgs:
			want = fmt.Sprintf("%d or %d", f.minArgs, f.maxArgs)
		}
		return nil, typ{}, b.errAt(x.Offset, "%s takes %s arguments, not %d", strings.ToLower(x.Func), want, len(x.Args))
	}
	args := make([]expr, len(x.Args))
	types := make([]typ, len(x.Args))
	konst := true
	for i, a := range x.Args {
		v, t, err := b.expr(sc, a)
		if err != nil {
			return nil, typ{}, err
		}
		if err := b.plainOperand(t, a, strings.ToLower(x.Func)); err != nil {
			return nil, typ{}, err
		}
		args[i], types[i] = v, t
		konst = konst && t.konst
	}
	k, err := f.result(x.Func, types)
	if err != nil {
		return nil, typ{}, b.errAt(x.Offset, "%v", err)
	}
	t := typ{kind: k, konst: konst}
	switch x.Func {
	case "COALESCE", "IFNULL":
		return b.fold(&coalesceExpr{args: args}, t)
	case "NULLIF":
		for i, t := range types {
			if err := b.refuseORE(t, x.Args[i].Pos(), "NULLIF"); err != nil {
				return nil, typ{}, err
			}
		}
		checked, err := b.comparable(x.Offset, "=", types[0], types[1], x.Args[0], x.Args[1])
		if err != nil {
			return nil, typ{}, err
		}
		return b.fold(&nullifExpr{a: args[0], b: args[1], checked: checked}, t)
	}
	return b.fold(&funcExpr{name: x.Func, fn: f.fn, args: args}, t)
}

// aggregate binds an aggregate call in a grouped block's select list,
// HAVING or ORDER BY.
func (b *binder) aggregate(sc *scope, x *sql.Call) (expr, typ, error) {
	name := strings.ToLower(x.Func)
	if b.preCtx != "" || sc.agg == nil || !sc.agg.active {
		where := b.preCtx
		if where == "" {
			where = "here"
		} else {
			where = "in " + where
		}
		return nil, typ{}, b.errAt(x.Offset, "aggregate %s is not allowed %s", name, where)
	}
	ag := sc.agg
	key, canonOK := b.canon(sc, x)
	if canonOK && b.client == nil { // the client binds each copy (noteForClient)
		if slot, ok := ag.aggCanon[key]; ok {
			return b.colRef(0, slot), aggResultType(ag.aggs[slot-len(ag.groupExprs)]), nil
		}
	}
	spec := &aggSpec{fn: x.Func, distinct: x.Distinct}
	nargs := len(x.Args)
	switch {
	case x.Star:
	case x.Func == sql.FuncGroupConcat && (nargs == 1 || nargs == 2):
	case nargs != 1:
		return nil, typ{}, b.errAt(x.Offset, "%s takes one argument, not %d", name, nargs)
	}
	if x.Distinct && x.Func == sql.FuncGroupConcat && nargs == 2 {
		return nil, typ{}, b.errAt(x.Offset, "group_concat(DISTINCT …) takes one argument (the separator is then a comma)")
	}
	ag.active = false
	saved := b.preCtx
	b.preCtx = "an aggregate's argument"
	sc.mask = 0
	outerMask := uint64(0)
	for i, a := range x.Args {
		v, t, err := b.expr(sc, a)
		if err != nil {
			b.preCtx, ag.active = saved, true
			return nil, typ{}, err
		}
		if i == 0 {
			spec.arg, spec.argType = v, t
		} else {
			if !t.konst {
				b.preCtx, ag.active = saved, true
				return nil, typ{}, b.errAt(a.Pos(), "group_concat's separator must be a constant")
			}
			spec.sep = v
		}
	}
	outerMask = sc.mask
	b.preCtx, ag.active = saved, true
	if !x.Star && outerMask == 0 && !spec.argType.konst {
		return nil, typ{}, b.errAt(x.Offset, "%s over columns of an enclosing query only is not supported (SQLite would aggregate the enclosing query)", name)
	}
	if err := b.checkAggregate(spec, x); err != nil {
		return nil, typ{}, err
	}
	slot := len(ag.groupExprs) + len(ag.aggs)
	ag.aggs = append(ag.aggs, spec)
	if canonOK {
		ag.aggCanon[key] = slot
	}
	return b.colRef(0, slot), aggResultType(spec), nil
}

func (b *binder) checkAggregate(spec *aggSpec, x *sql.Call) error {
	if x.Star || (b.client != nil && spec.argType.enc != dataset.EncNone) {
		return nil
	}
	t := spec.argType
	name := strings.ToLower(x.Func)
	switch x.Func {
	case sql.FuncCount:
		if spec.distinct {
			return b.refuseORE(t, x.Offset, "COUNT(DISTINCT …)")
		}
		return nil
	case sql.FuncMin, sql.FuncMax:
		if err := b.refuseORE(t, x.Offset, name); err != nil {
			return err
		}
		if t.enc == dataset.EncDeterministic {
			return b.errAt(x.Offset, "%s(%s): the column has deterministic encryption, which hides order; only order-preserving columns support MIN and MAX", name, x.Args[0])
		}
		if t.enc != dataset.EncNone && t.src == nil {
			return b.errAt(x.Offset, "%s of an encrypted value of unknown origin", name)
		}
		return nil
	}
	if t.enc != dataset.EncNone {
		col := x.Args[0].String()
		if t.src != nil {
			col = t.src.column().Name
		}
		return b.errAt(x.Offset, "%s(%s): column %q is encrypted (%s), and the node cannot add ciphertexts; fetch the rows and aggregate after decrypting", name, x.Args[0], col, t.enc)
	}
	switch x.Func {
	case sql.FuncGroupConcat:
		if t.kind == dataset.TypeBytes || t.kind == dataset.TypeTimestamp {
			return b.errAt(x.Offset, "group_concat needs text or numbers; %s is %s", x.Args[0], t.kind)
		}
		return nil
	}
	if k := t.kind; k != 0 && k != kindAny && k != dataset.TypeInt64 && k != dataset.TypeFloat64 && k != dataset.TypeBool {
		return b.errAt(x.Offset, "%s needs an int64 or float64 column; %s is %s", x.Func, x.Args[0], k)
	}
	return nil
}

// planAccess picks how each stored table of the block is read, from the
// conditions on it alone; order is the block's ORDER BY, which a single
// table may deliver by reading a key in order.
func (b *binder) planAccess(blk *blockPlan, order []orderKey) {
	single := len(blk.sources) == 1
	for i, s := range blk.sources {
		bit := uint64(1) << uint(i)
		if !s.left {
			for _, c := range blk.conj {
				if c.mask == bit {
					s.local = append(s.local, c)
				}
			}
		} else {
			for _, c := range s.on {
				if c.mask == bit {
					s.local = append(s.local, c)
				}
			}
		}
		if s.table == nil {
			continue
		}
		var schemaOrder []orderKey
		if single && !blk.aggregated {
			n := len(s.table.Schema.Columns)
			for _, k := range order {
				col := sourceColumn(blk.outputs[k.idx], s.offset, n)
				if col < 0 {
					schemaOrder = nil
					break
				}
				schemaOrder = append(schemaOrder, orderKey{idx: col, desc: k.desc})
			}
		}
		s.access = chooseAccess(s.table, s, schemaOrder, !b.noIndex)
	}
}

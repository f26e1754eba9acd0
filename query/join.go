package query

import (
	"cmp"
	"slices"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Joins. Each FROM item is read once with the conditions on it alone
// (through its access path), then the items are joined one at a time into
// a growing set of rows: next the smallest item that an equality links to
// the items joined so far (a hash join on every such equality), or the
// smallest item when none does (a cross product). A condition is applied
// as soon as every item it reads is joined. A LEFT JOIN item joins in its
// written place, after everything before it, and the conditions that read
// it wait for it.

// relation is a set of rows over some of the block's items (mask), each
// row of the block's full width with the other items' columns NULL.
type relation struct {
	rows []dataset.Row
	mask uint64
}

// joiner holds one block's join state: the conditions not applied yet.
type joiner struct {
	ex      *executor
	blk     *blockPlan
	ctx     *rowCtx
	pending []*conjunct
}

// join produces the rows of a block with several FROM items.
func (ex *executor) join(blk *blockPlan, ctx *rowCtx, fn func(dataset.Row) error) error {
	width := blk.sc.width
	pushed := map[*conjunct]bool{}
	rels := make([]relation, len(blk.sources))
	for i, s := range blk.sources {
		for _, c := range s.local {
			pushed[c] = true
		}
		var rows []dataset.Row
		err := ex.scanSource(s, ctx, width, s.local, allColumns, func(r dataset.Row) error {
			nr := make(dataset.Row, width)
			copy(nr[s.offset:s.offset+len(s.cols)], r[s.offset:s.offset+len(s.cols)])
			nr = ownRow(nr)
			if err := ex.charge(rowSize(nr)); err != nil {
				return err
			}
			rows = append(rows, nr)
			return nil
		})
		if err != nil {
			return err
		}
		rels[i] = relation{rows: rows, mask: 1 << uint(i)}
	}
	j := &joiner{ex: ex, blk: blk, ctx: ctx}
	for _, c := range blk.conj {
		if !pushed[c] {
			j.pending = append(j.pending, c)
		}
	}
	// Conditions that read no item (constants, outer columns) decide
	// everything at once.
	ctx.row = make(dataset.Row, width)
	var rest []*conjunct
	for _, c := range j.pending {
		if c.mask != 0 {
			rest = append(rest, c)
			continue
		}
		ok, err := ex.passes([]*conjunct{c}, ctx)
		if err != nil || !ok {
			return err
		}
	}
	j.pending = rest
	cur := relation{rows: []dataset.Row{make(dataset.Row, width)}}
	for i := 0; i < len(blk.sources); {
		if s := blk.sources[i]; s.left {
			var on []*conjunct
			for _, c := range s.on {
				if !pushed[c] {
					on = append(on, c)
				}
			}
			var err error
			if cur, err = j.combine(cur, rels[i], on, true); err != nil {
				return err
			}
			i++
			continue
		}
		// The run of inner items up to the next LEFT JOIN: each group of
		// items linked by conditions is joined on its own, smallest
		// first, then the groups are combined, smallest first.
		end := i
		for end < len(blk.sources) && !blk.sources[end].left {
			end++
		}
		var comps []relation
		for _, group := range j.components(rels[i:end], cur.mask) {
			r, err := j.greedy(group)
			if err != nil {
				return err
			}
			comps = append(comps, r)
		}
		slices.SortStableFunc(comps, func(a, b relation) int { return cmp.Compare(len(a.rows), len(b.rows)) })
		for _, r := range comps {
			var err error
			if cur, err = j.combine(cur, r, nil, false); err != nil {
				return err
			}
		}
		i = end
	}
	for _, r := range cur.rows {
		ctx.row = r
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// components groups relations that pending conditions link (directly or
// through each other); a condition that also reads the rows joined so far
// (done) does not link.
func (j *joiner) components(rels []relation, done uint64) [][]relation {
	parent := make([]int, len(rels))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, c := range j.pending {
		if c.mask&done != 0 {
			continue
		}
		first := -1
		for i, r := range rels {
			if c.mask&r.mask == 0 {
				continue
			}
			if first < 0 {
				first = i
			} else {
				parent[find(i)] = find(first)
			}
		}
	}
	groups := map[int][]relation{}
	var order []int
	for i, r := range rels {
		root := find(i)
		if _, ok := groups[root]; !ok {
			order = append(order, root)
		}
		groups[root] = append(groups[root], r)
	}
	out := make([][]relation, 0, len(order))
	for _, root := range order {
		out = append(out, groups[root])
	}
	return out
}

// greedy joins a group of relations: the smallest first, then repeatedly
// the smallest one an equality links to what is joined (hash join), else
// the smallest one any condition links, else the smallest.
func (j *joiner) greedy(group []relation) (relation, error) {
	left := slices.Clone(group)
	pick := func(score func(relation) int) int {
		best := -1
		for i, r := range left {
			if score(r) < 0 {
				continue
			}
			if best < 0 || score(r) > score(left[best]) || (score(r) == score(left[best]) && len(r.rows) < len(left[best].rows)) {
				best = i
			}
		}
		return best
	}
	first := pick(func(relation) int { return 0 })
	cur := left[first]
	left = append(left[:first], left[first+1:]...)
	var err error
	if cur.rows, err = j.apply(cur.rows, cur.mask); err != nil {
		return relation{}, err
	}
	for len(left) > 0 {
		next := pick(func(r relation) int {
			switch {
			case len(j.equiKeys(cur.mask, r.mask)) > 0:
				return 2
			case j.linked(cur.mask, r.mask):
				return 1
			}
			return 0
		})
		r := left[next]
		left = append(left[:next], left[next+1:]...)
		if cur, err = j.combine(cur, r, nil, false); err != nil {
			return relation{}, err
		}
	}
	return cur, nil
}

// linked reports whether a pending condition reads both sides.
func (j *joiner) linked(a, b uint64) bool {
	for _, c := range j.pending {
		if c.mask&a != 0 && c.mask&b != 0 {
			return true
		}
	}
	return false
}

// apply filters rows by the pending conditions that read only items in
// mask, and drops those conditions.
func (j *joiner) apply(rows []dataset.Row, mask uint64) ([]dataset.Row, error) {
	var ready, later []*conjunct
	for _, c := range j.pending {
		if c.mask&^mask == 0 {
			ready = append(ready, c)
		} else {
			later = append(later, c)
		}
	}
	j.pending = later
	if len(ready) == 0 {
		return rows, nil
	}
	out := rows[:0]
	for _, r := range rows {
		j.ctx.row = r
		ok, err := j.ex.passes(ready, j.ctx)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// equiKeys lists the pending equalities between an expression over a and
// one over b, usable as hash keys.
func (j *joiner) equiKeys(a, b uint64) []*conjunct {
	var out []*conjunct
	for _, c := range j.pending {
		if c.mask&^(a|b) != 0 || c.mask&a == 0 || c.mask&b == 0 {
			continue
		}
		if _, _, ok := splitEqui(j.blk, c, a, b); ok {
			out = append(out, c)
		}
	}
	return out
}

// combine joins two relations: a hash join on the equalities linking them
// (with a LEFT JOIN's ON condition, its equalities, the rest checked per
// pair), a nested loop when there are none. A LEFT JOIN keeps a row of a
// without a match, b's columns NULL. The pending conditions that become
// ready are applied.
func (j *joiner) combine(a, b relation, on []*conjunct, left bool) (relation, error) {
	conds := on
	if !left {
		conds = j.equiKeys(a.mask, b.mask)
	}
	rows, err := j.ex.hashJoin(j.blk, j.ctx, a, b, conds, left)
	if err != nil {
		return relation{}, err
	}
	used := map[*conjunct]bool{}
	for _, c := range conds {
		used[c] = true
	}
	if !left {
		keep := j.pending[:0]
		for _, c := range j.pending {
			if !used[c] {
				keep = append(keep, c)
			}
		}
		j.pending = keep
	}
	mask := a.mask | b.mask
	rows, err = j.apply(rows, mask)
	return relation{rows: rows, mask: mask}, err
}

// splitEqui splits c into (expression over a, expression over b) when it
// is an equality between them.
func splitEqui(blk *blockPlan, c *conjunct, a, b uint64) (onA, onB expr, ok bool) {
	eq, isCmp := c.e.(*cmpExpr)
	if !isCmp || eq.op != sql.Equal || !eq.checked {
		return nil, nil, false
	}
	lm, lok := exprMask(blk, eq.l)
	rm, rok := exprMask(blk, eq.r)
	if !lok || !rok || lm == 0 || rm == 0 {
		return nil, nil, false
	}
	switch {
	case lm&^a == 0 && rm&^b == 0:
		return eq.l, eq.r, true
	case rm&^a == 0 && lm&^b == 0:
		return eq.r, eq.l, true
	}
	return nil, nil, false
}

// exprMask is the set of the block's items e reads; ok is false when e
// holds a subquery (whose reads are not tracked per side).
func exprMask(blk *blockPlan, e expr) (uint64, bool) {
	var m uint64
	ok := true
	var walk func(e expr)
	walk = func(e expr) {
		switch x := e.(type) {
		case *colRef:
			if x.depth == 0 {
				for i, s := range blk.sources {
					if x.idx >= s.offset && x.idx < s.offset+len(s.cols) {
						m |= 1 << uint(i)
					}
				}
			}
		case *scalarSubExpr, *existsExpr, *inSubExpr:
			ok = false
		default:
			for _, c := range exprChildren(e) {
				walk(c)
			}
		}
	}
	walk(e)
	return m, ok
}

// exprChildren lists a compiled expression's operands.
func exprChildren(e expr) []expr {
	switch x := e.(type) {
	case *cmpExpr:
		return []expr{x.l, x.r}
	case *isExpr:
		return []expr{x.l, x.r}
	case *isNullExpr:
		return []expr{x.x}
	case *andExpr:
		return []expr{x.l, x.r}
	case *orExpr:
		return []expr{x.l, x.r}
	case *notExpr:
		return []expr{x.x}
	case *inListExpr:
		return append([]expr{x.x}, x.list...)
	case *oreCmpExpr:
		return []expr{x.col}
	case *oreInExpr:
		return []expr{x.col}
	case *betweenExpr:
		return []expr{x.x, x.lo, x.hi}
	case *arithExpr:
		return []expr{x.l, x.r}
	case *negExpr:
		return []expr{x.x}
	case *bitNotExpr:
		return []expr{x.x}
	case *concatExpr:
		return []expr{x.l, x.r}
	case *caseExpr:
		var out []expr
		if x.operand != nil {
			out = append(out, x.operand)
		}
		out = append(out, x.conds...)
		out = append(out, x.results...)
		if x.els != nil {
			out = append(out, x.els)
		}
		return out
	case *likeExpr:
		out := []expr{x.x, x.pattern}
		if x.escape != nil {
			out = append(out, x.escape)
		}
		return out
	case *coalesceExpr:
		return x.args
	case *funcExpr:
		return x.args
	case *castExpr:
		return []expr{x.x}
	case *nullifExpr:
		return []expr{x.a, x.b}
	}
	return nil
}

// hashJoin joins a and b: on the equalities among conds that link them
// through a hash table on b, the other conds checked per pair. With left,
// a row of a without a match is kept with b's columns NULL.
func (ex *executor) hashJoin(blk *blockPlan, ctx *rowCtx, a, b relation, conds []*conjunct, left bool) ([]dataset.Row, error) {
	var hashA, hashB []expr
	var residual []*conjunct
	for _, c := range conds {
		if l, r, ok := splitEqui(blk, c, a.mask, b.mask); ok {
			hashA, hashB = append(hashA, l), append(hashB, r)
		} else {
			residual = append(residual, c)
		}
	}
	width := blk.sc.width
	var cols []int // b's columns
	for i, s := range blk.sources {
		if b.mask&(1<<uint(i)) != 0 {
			for k := range s.cols {
				cols = append(cols, s.offset+k)
			}
		}
	}
	key := func(r dataset.Row, es []expr, buf []byte) ([]byte, bool, error) {
		ctx.row = r
		buf = buf[:0]
		for _, e := range es {
			v, err := e.eval(ctx)
			if err != nil {
				return nil, false, err
			}
			if v.IsNull() {
				return buf, false, nil // NULL equals nothing
			}
			buf = appendEqKey(buf, v)
		}
		return buf, true, nil
	}
	var table map[string][]int
	var buf []byte
	if len(hashB) > 0 {
		table = make(map[string][]int, len(b.rows))
		for n, r := range b.rows {
			k, ok, err := key(r, hashB, buf)
			if err != nil {
				return nil, err
			}
			buf = k
			if ok {
				table[string(k)] = append(table[string(k)], n)
			}
			if err := ex.step(); err != nil {
				return nil, err
			}
		}
	}
	var all []int
	if table == nil {
		all = make([]int, len(b.rows))
		for n := range all {
			all[n] = n
		}
	}
	var out []dataset.Row
	for _, r := range a.rows {
		candidates := all
		if table != nil {
			k, ok, err := key(r, hashA, buf)
			if err != nil {
				return nil, err
			}
			buf = k
			candidates = nil
			if ok {
				candidates = table[string(k)]
			}
		}
		matched := false
		for _, n := range candidates {
			if err := ex.step(); err != nil {
				return nil, err
			}
			nr := make(dataset.Row, width)
			copy(nr, r)
			for _, c := range cols {
				nr[c] = b.rows[n][c]
			}
			if len(residual) > 0 {
				ctx.row = nr
				ok, err := ex.passes(residual, ctx)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			if err := ex.charge(rowSize(nr)); err != nil {
				return nil, err
			}
			matched = true
			out = append(out, nr)
		}
		if left && !matched {
			nr := make(dataset.Row, width)
			copy(nr, r) // b's columns stay NULL
			out = append(out, nr)
		}
	}
	return out, nil
}

package query

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/query/sql"
)

// executor runs one statement's plan against one Pebble snapshot.
type executor struct {
	snap *pebble.Snapshot
	lim  Limits
	ctx  context.Context
	res  *Result

	memBytes int
	steps    int // rows processed outside scans (joins, groups), for the time check
	// cache holds the results of subqueries that read nothing of the rows
	// around them (uncorrelated): each runs once per statement.
	cache map[*selectPlan]any
}

// errStop ends a scan early without error.
var errStop = errors.New("stop")

// charge accounts memory held by sorts, groups, joins and subquery results.
func (ex *executor) charge(n int) error {
	ex.memBytes += n
	if ex.memBytes > ex.lim.MaxMemoryBytes {
		return fmt.Errorf("%w: sorting, grouping or joining needs more than %d bytes; add a WHERE, a LIMIT or fewer groups", ErrLimit, ex.lim.MaxMemoryBytes)
	}
	return nil
}

// step counts work done outside scans and checks the deadline now and
// then.
func (ex *executor) step() error {
	ex.steps++
	if ex.steps%1024 == 0 {
		if err := ex.ctx.Err(); err != nil {
			return fmt.Errorf("%w: query ran past its time limit (%v): %v", ErrLimit, ex.lim.Timeout, err)
		}
		if int64(ex.steps) > 4*ex.lim.MaxScanRows {
			return fmt.Errorf("%w: the query combines more than %d rows; add conditions that join the tables on their columns", ErrLimit, 4*ex.lim.MaxScanRows)
		}
	}
	return nil
}

func rowSize(r dataset.Row) int {
	n := 24 + 48*len(r)
	for _, v := range r {
		n += len(v.Bytes)
	}
	return n
}

// ownRow returns a copy of r whose byte cells are copied too (into one new
// allocation): an arena of its own.
func ownRow(r dataset.Row) dataset.Row {
	var a rowArena
	return a.own(r)
}

// rowArena copies rows that are kept together (a result's) into shared
// chunks: two allocations per row become a few per thousand rows, and the
// rows lie in order in memory, so a pass over the result (a client
// decrypting a column) reads it sequentially instead of chasing a pointer
// per row. A chunk lives as long as any of its rows: use it only for rows
// that are dropped together.
type rowArena struct {
	vals  []dataset.Value
	bytes []byte
}

// The arena's chunks grow with the result, from a few rows to these
// sizes, so a one-row answer costs what a copy of it alone would.
const (
	arenaMaxValues = 4096
	arenaMaxBytes  = 64 << 10
)

// own returns a copy of r in the arena, its byte cells copied too (an
// empty one stays non-nil).
func (a *rowArena) own(r dataset.Row) dataset.Row {
	if cap(a.vals)-len(a.vals) < len(r) {
		a.vals = make([]dataset.Value, 0, max(len(r), min(2*cap(a.vals), arenaMaxValues)))
	}
	n := len(a.vals)
	out := append(a.vals, r...)[n : n+len(r) : n+len(r)]
	a.vals = a.vals[:n+len(r)]
	size := 0
	for _, v := range r {
		size += len(v.Bytes)
	}
	if a.bytes == nil || cap(a.bytes)-len(a.bytes) < size {
		a.bytes = make([]byte, 0, max(size, min(2*cap(a.bytes), arenaMaxBytes)))
	}
	for i, v := range out {
		if v.Bytes != nil {
			start := len(a.bytes)
			a.bytes = append(a.bytes, v.Bytes...)
			out[i].Bytes = a.bytes[start:len(a.bytes):len(a.bytes)]
		}
	}
	return out
}

// ownValue returns v with its bytes copied.
func ownValue(v dataset.Value) dataset.Value {
	if v.Bytes != nil {
		v.Bytes = bytes.Clone(v.Bytes)
	}
	return v
}

// runSelect runs a query and hands its result rows (the visible columns)
// to sink in order. A row is valid only during the call: a sink that keeps
// it copies it (ownRow). sink may return errStop to end the query early.
func (ex *executor) runSelect(p *selectPlan, outer *rowCtx, sink func(dataset.Row) error) error {
	fin := ex.newFinal(p, sink)
	if len(p.blocks) == 1 {
		blk := p.blocks[0]
		if len(blk.sources) == 1 && blk.sources[0].table != nil && blk.sources[0].access.ordered {
			fin.ordered = true // the scan delivers ORDER BY order
		}
		err := ex.runBlock(blk, outer, fin.add)
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
		if errors.Is(err, errStop) && fin.stopped {
			return nil
		}
		return fin.finish()
	}
	rows, err := ex.compound(p, outer)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := fin.add(r); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
	return fin.finish()
}

// compound runs the blocks of a UNION/EXCEPT/INTERSECT chain and combines
// their rows, left to right.
func (ex *executor) compound(p *selectPlan, outer *rowCtx) ([]dataset.Row, error) {
	var acc []dataset.Row
	keyOf := func(r dataset.Row) string {
		var k []byte
		for _, v := range r[:p.nOut] {
			k = appendEqKey(k, v)
		}
		return string(k)
	}
	collect := func(blk *blockPlan) ([]dataset.Row, error) {
		var rows []dataset.Row
		err := ex.runBlock(blk, outer, func(r dataset.Row) error {
			r = ownRow(r[:p.nOut])
			if err := ex.charge(rowSize(r)); err != nil {
				return err
			}
			rows = append(rows, r)
			return nil
		})
		return rows, err
	}
	distinct := func(rows []dataset.Row) []dataset.Row {
		seen := map[string]bool{}
		out := rows[:0]
		for _, r := range rows {
			if k := keyOf(r); !seen[k] {
				seen[k] = true
				out = append(out, r)
			}
		}
		return out
	}
	for i, blk := range p.blocks {
		rows, err := collect(blk)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			acc = rows
			continue
		}
		switch p.ops[i-1] {
		case sql.UnionAll:
			acc = append(acc, rows...)
		case sql.Union:
			acc = distinct(append(acc, rows...))
		case sql.Except, sql.Intersect:
			in := map[string]bool{}
			for _, r := range rows {
				in[keyOf(r)] = true
			}
			keep := p.ops[i-1] == sql.Intersect
			acc = distinct(acc)
			out := acc[:0]
			for _, r := range acc {
				if in[keyOf(r)] == keep {
					out = append(out, r)
				}
			}
			acc = out
		}
	}
	return acc, nil
}

// final applies ORDER BY, OFFSET and LIMIT to a query's rows and drops the
// hidden ORDER BY columns.
type final struct {
	ex      *executor
	p       *selectPlan
	sink    func(dataset.Row) error
	ordered bool // rows arrive in order already
	top     *topK
	rows    []dataset.Row
	skipped int64
	emitted int64
	stopped bool
}

func (ex *executor) newFinal(p *selectPlan, sink func(dataset.Row) error) *final {
	f := &final{ex: ex, p: p, sink: sink}
	if len(p.order) > 0 && p.limit != nil {
		f.top = &topK{keys: p.order, keep: *p.limit + offsetOf(p)}
	}
	return f
}

func offsetOf(p *selectPlan) int64 {
	if p.offset == nil {
		return 0
	}
	return *p.offset
}

func (f *final) add(r dataset.Row) error {
	switch {
	case len(f.p.order) == 0 || f.ordered:
		return f.emit(r)
	case f.top != nil:
		if f.top.admits(r) {
			r = ownRow(r)
			if err := f.ex.charge(rowSize(r)); err != nil {
				return err
			}
			if evicted := f.top.push(r); evicted != nil {
				f.ex.memBytes -= rowSize(evicted)
			}
		}
		return nil
	}
	r = ownRow(r)
	if err := f.ex.charge(rowSize(r)); err != nil {
		return err
	}
	f.rows = append(f.rows, r)
	return nil
}

func (f *final) finish() error {
	rows := f.rows
	switch {
	case f.top != nil:
		rows = f.top.sorted()
	case len(f.p.order) > 0 && !f.ordered:
		slices.SortStableFunc(rows, func(a, b dataset.Row) int { return compareRows(a, b, f.p.order) })
	default:
		return nil
	}
	for _, r := range rows {
		if err := f.emit(r); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// emit applies OFFSET and LIMIT to one row in final order.
func (f *final) emit(r dataset.Row) error {
	if f.p.offset != nil && f.skipped < *f.p.offset {
		f.skipped++
		return nil
	}
	if f.p.limit != nil && f.emitted >= *f.p.limit {
		f.stopped = true
		return errStop
	}
	f.emitted++
	if err := f.sink(r[:f.p.nOut]); err != nil {
		if errors.Is(err, errStop) {
			f.stopped = true
		}
		return err
	}
	if f.p.limit != nil && f.emitted >= *f.p.limit {
		f.stopped = true
		return errStop
	}
	return nil
}

// compareRows orders rows by the order keys (SQLite's order: NULL first,
// then numbers, strings, bytes).
func compareRows(a, b dataset.Row, keys []orderKey) int {
	for _, k := range keys {
		c := compareForSort(a[k.idx], b[k.idx])
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// runBlock runs one SELECT and hands each output row (select list plus
// hidden ORDER BY keys) to sink.
func (ex *executor) runBlock(blk *blockPlan, outer *rowCtx, sink func(dataset.Row) error) error {
	ctx := &rowCtx{outer: outer, ex: ex}
	var seen map[string]struct{}
	var keyBuf []byte
	// One row for every output: a sink keeps a row only by copying it
	// (runSelect), as the row's bytes are valid only during the call anyway.
	r := make(dataset.Row, len(blk.outputs))
	out := func(c *rowCtx) error {
		for i, e := range blk.outputs {
			v, err := e.eval(c)
			if err != nil {
				return err
			}
			r[i] = v
		}
		if blk.distinct {
			if seen == nil {
				seen = map[string]struct{}{}
			}
			keyBuf = keyBuf[:0]
			for _, v := range r[:blk.nOut] {
				keyBuf = appendEqKey(keyBuf, v)
			}
			if _, dup := seen[string(keyBuf)]; dup {
				return nil
			}
			if err := ex.charge(len(keyBuf) + 64); err != nil {
				return err
			}
			seen[string(keyBuf)] = struct{}{}
		}
		return sink(r)
	}
	if !blk.aggregated {
		return ex.feedRows(blk, ctx, func(dataset.Row) error { return out(ctx) })
	}
	agg := newAggregator(ex, blk)
	if err := ex.feedRows(blk, ctx, func(dataset.Row) error { return agg.add(ctx) }); err != nil {
		return err
	}
	groups, err := agg.finish()
	if err != nil {
		return err
	}
	gctx := &rowCtx{outer: outer, ex: ex}
	for _, g := range groups {
		gctx.row = g
		if blk.having != nil {
			t, err := test(blk.having, gctx)
			if err != nil {
				return err
			}
			if t != triTrue {
				continue
			}
		}
		if err := out(gctx); err != nil {
			return err
		}
	}
	return nil
}

// feedRows produces the block's rows that pass WHERE: ctx.row is set to
// each before fn is called (a scratch row: fn copies what it keeps).
func (ex *executor) feedRows(blk *blockPlan, ctx *rowCtx, fn func(dataset.Row) error) error {
	switch len(blk.sources) {
	case 0:
		ctx.row = dataset.Row{}
		ok, err := ex.passes(blk.conj, ctx)
		if err != nil || !ok {
			return err
		}
		return fn(ctx.row)
	case 1:
		s := blk.sources[0]
		return ex.scanSource(s, ctx, blk.sc.width, blk.conj, blockColumns(blk, s), fn)
	}
	return ex.join(blk, ctx, fn)
}

// passes evaluates conditions on ctx.row.
func (ex *executor) passes(conds []*conjunct, ctx *rowCtx) (bool, error) {
	for _, c := range conds {
		t, err := test(c.e, ctx)
		if err != nil || t != triTrue {
			return false, err
		}
	}
	return true, nil
}

// allColumns stands for "every column" in a column set.
const allColumns = ^uint64(0)

// blockColumns is the set of a single-source block's table columns (bit i:
// column i) that its WHERE, grouping, aggregates and select list read, or
// allColumns when an expression is beyond scanColumns' simple forms.
func blockColumns(blk *blockPlan, s *source) uint64 {
	if s.table == nil {
		return allColumns
	}
	ncols := len(s.table.Schema.Columns)
	var cols uint64
	reads := func(e expr) bool { return e == nil || scanColumns(e, s.offset, ncols, &cols) }
	var exprs []expr
	for _, c := range blk.conj {
		exprs = append(exprs, c.e)
	}
	if blk.aggregated {
		// The outputs and HAVING read group rows, which hold these.
		exprs = append(exprs, blk.groupBy...)
		for _, a := range blk.aggs {
			exprs = append(exprs, a.arg, a.sep)
		}
	} else {
		exprs = append(exprs, blk.outputs...)
	}
	for _, e := range exprs {
		if !reads(e) {
			return allColumns
		}
	}
	return cols
}

// scanSource reads one FROM item: its columns are placed at its offset in
// a scratch row of the block's width, the filter applied, and fn called.
// need is the set of the table's columns the caller reads (allColumns when
// unknown): an index scan whose index key holds them all reads no rows.
func (ex *executor) scanSource(s *source, ctx *rowCtx, width int, filter []*conjunct, need uint64, fn func(dataset.Row) error) error {
	scratch := make(dataset.Row, width)
	n := len(s.cols)
	if s.derived != nil {
		return ex.runSelect(s.derived, ctx.outer, func(r dataset.Row) error {
			copy(scratch[s.offset:s.offset+n], r)
			ctx.row = scratch
			ok, err := ex.passes(filter, ctx)
			if err != nil || !ok {
				return err
			}
			return fn(scratch)
		})
	}
	t := s.table
	ncols := len(t.Schema.Columns)
	pre := planPrefilter(filter, s.offset, ncols)
	rest := filter[len(pre.conds):]
	count := func() error {
		ex.res.Scanned++
		if ex.res.Scanned > ex.lim.MaxScanRows {
			return fmt.Errorf("%w: the query reads more than %d rows; add a condition on an indexed column", ErrLimit, ex.lim.MaxScanRows)
		}
		if ex.res.Scanned%256 == 0 {
			if err := ex.ctx.Err(); err != nil {
				return fmt.Errorf("%w: query ran past its time limit (%v): %v", ErrLimit, ex.lim.Timeout, err)
			}
		}
		return nil
	}
	if ncols > 64 {
		need = allColumns // column sets hold 64 columns
	}
	visit := func(key, val []byte) error {
		// count's checks inline: a call per row shows in a full scan.
		if ex.res.Scanned+1 > ex.lim.MaxScanRows || (ex.res.Scanned+1)%256 == 0 {
			if err := count(); err != nil {
				return err
			}
		} else {
			ex.res.Scanned++
		}
		// Decode in place: the row's cells alias Pebble's buffer, which
		// the next step reuses. INVARIANT: whatever keeps a row copies it.
		ctx.row = scratch
		// Test the leading conditions on their columns alone: most rows
		// of a selective scan stop here, undecoded.
		decoded := false
		for i, c := range pre.conds {
			if eq := pre.eqs[i]; eq.col >= 0 {
				if kind, cell, err := keyenc.Cell(val, ncols, eq.col); err == nil && kind == eq.v.Kind {
					if !bytes.Equal(cell, eq.v.Bytes) {
						return nil
					}
					continue
				}
				// NULL, another kind or a corrupt row: the decoder and
				// the condition itself decide.
			}
			if !decoded && pre.cols != 0 {
				if err := keyenc.DecodeColumnsInto(scratch[s.offset:s.offset+ncols], val, ncols, pre.cols); err != nil {
					return fmt.Errorf("stored row %x of %s is corrupt: %w", key, t.Path, err)
				}
				decoded = true
			}
			tr, err := test(c.e, ctx)
			if err != nil || tr != triTrue {
				return err
			}
		}
		if need == allColumns {
			r, _, err := keyenc.DecodeRowInto(scratch[s.offset:s.offset:s.offset+n], val, ncols)
			if err != nil || len(r) != ncols {
				return fmt.Errorf("stored row %x of %s is corrupt: %v", key, t.Path, err)
			}
		} else {
			// Only the columns the query reads (GROUP BY asset, MAX(price)
			// decodes two of five); the others keep stale cells nobody
			// reads.
			want := need
			if decoded {
				want &^= pre.cols
			}
			if err := keyenc.DecodeColumnsInto(scratch[s.offset:s.offset+ncols], val, ncols, want); err != nil {
				return fmt.Errorf("stored row %x of %s is corrupt: %w", key, t.Path, err)
			}
		}
		ok, err := ex.passes(rest, ctx)
		if err != nil || !ok {
			return err
		}
		return fn(scratch)
	}
	if s.access.index >= 0 {
		if cols := t.coveredBy(s.access.index); need&^cols == 0 {
			return ex.scanCovering(t, &s.access, scratch[s.offset:s.offset+ncols], func(rk []byte, row []byte) error {
				if row != nil { // the key did not tell the row's values
					return visit(rk, row)
				}
				if err := count(); err != nil {
					return err
				}
				ctx.row = scratch
				ok, err := ex.passes(filter, ctx)
				if err != nil || !ok {
					return err
				}
				return fn(scratch)
			})
		}
		return ex.scanIndex(t, &s.access, visit)
	}
	return ex.eachEntry(t, &s.access, visit)
}

// coveredBy is the set of columns an entry of index ix holds: the index's
// columns, then the primary key's (none for a table of more than 64
// columns, whose sets are not kept: only a scan reading no column is
// covered then). An order-preserving cell of a primary key is not among
// them: the key holds its range point, and only the index's own cells have
// their seals in the entry (indexValue).
func (t *Table) coveredBy(ix int) uint64 {
	if len(t.Schema.Columns) > 64 {
		return 0
	}
	var cols uint64
	for _, c := range t.ixCols[ix] {
		cols |= 1 << c
	}
	for _, c := range t.pk {
		if t.Schema.Columns[c].Encryption != dataset.EncOrderPreserving {
			cols |= 1 << c
		}
	}
	return cols
}

// scanCovering reads an index path without fetching rows: the index key
// holds the index's columns and the primary key, which row gets (the
// caller reads no other cell). visit gets row nil, or, for an entry whose
// key does not determine a value (a float zero, which may be -0, or a
// NaN), the stored row itself, fetched by Get.
func (ex *executor) scanCovering(t *Table, a *accessPath, row dataset.Row, visit func(rk, row []byte) error) error {
	for i := range row {
		row[i] = dataset.Null
	}
	var rk []byte
	// The order-preserving cells of an entry, put back together; reused
	// for each entry, as the row is valid only during visit. Its capacity
	// is every cell's whole length, so a cell never moves once made.
	cells := make([]byte, 0, t.ixSealed[a.index]*dataset.OrderPreservingCellBytes)
	return ex.eachEntry(t, a, func(key, val []byte) error {
		b, seals, pk := key[indexPrefixLen:], val, val
		cells = cells[:0]
		exact := true
		for i, cols := range [2][]int{t.ixCols[a.index], t.pk} {
			if i == 1 && t.ixSealed[a.index] > 0 {
				pk = b
			}
			for _, c := range cols {
				col := t.Schema.Columns[c]
				if col.Encryption == dataset.EncOrderPreserving && i == 0 {
					// The key holds the range point, the value the
					// seal (indexValue): the cell is both, put
					// together in cells.
					start := len(cells)
					var null bool
					var err error
					if cells, b, null, err = keyenc.AppendKeyBytes(cells, b); err != nil {
						return fmt.Errorf("index %s of %s has a corrupt entry %x: %w", t.Schema.Indexes[a.index].Name, t.Path, key, err)
					}
					if null {
						row[c] = dataset.Null
						continue
					}
					n := dataset.OrderPreservingCellBytes - (len(cells) - start)
					if n < 0 || len(seals) < n {
						return fmt.Errorf("index %s of %s has an entry %x without the seal of its %s cell", t.Schema.Indexes[a.index].Name, t.Path, key, col.Name)
					}
					cells = append(cells, seals[:n]...)
					row[c], seals = dataset.Bytes(cells[start:len(cells):len(cells)]), seals[n:]
					continue
				}
				v, rest, ok, err := keyenc.DecodeKey(b, storedKind(col))
				if err != nil {
					return fmt.Errorf("index %s of %s has a corrupt entry %x: %w", t.Schema.Indexes[a.index].Name, t.Path, key, err)
				}
				row[c], b, exact = v, rest, exact && ok
			}
		}
		if exact {
			return visit(nil, nil)
		}
		return ex.visitRow(t, a, &rk, pk, visit)
	})
}

// visitRow fetches the row whose primary key pk an entry of a's index
// names and hands it to visit; *rk is the reused buffer of its key.
func (ex *executor) visitRow(t *Table, a *accessPath, rk *[]byte, pk []byte, visit func(key, val []byte) error) error {
	*rk = append(append(append((*rk)[:0], prefixRow), t.id[:]...), pk...)
	val, closer, err := ex.snap.Get(*rk)
	if errors.Is(err, pebble.ErrNotFound) {
		return fmt.Errorf("index %s of %s points at a missing row %x (the store is damaged; re-ingest the dataset)", t.Schema.Indexes[a.index].Name, t.Path, *rk)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Path, err)
	}
	err = visit(*rk, val)
	closer.Close()
	return err
}

// prefilter is the leading run of a scan's filter whose conditions read
// only the scanned table's own columns (of this block) and constants, and
// the set of those columns. The scan decodes just these columns and tests
// these conditions before decoding the rest of the row. Taking a leading
// run only keeps the conditions' order, so the condition that rejects a row
// or fails with an error is the same one as with the whole row decoded.
//
// A condition column = 'constant' on a string or bytes column (a DET
// column's ciphertext is bytes) is tested on the stored cell's bytes, with
// nothing decoded: equal bytes of one kind are what compareValues calls
// equal.
type prefilter struct {
	conds []*conjunct
	eqs   []cellEq // per condition; col -1 when it has no such form
	cols  uint64   // bit i: the table's column i
}

// cellEq is the condition "column col is a value of v's kind whose bytes
// are v's".
type cellEq struct {
	col int
	v   dataset.Value
}

func planPrefilter(filter []*conjunct, offset, ncols int) prefilter {
	var p prefilter
	for i, c := range filter {
		if !scanColumns(c.e, offset, ncols, &p.cols) {
			break
		}
		p.conds = filter[:i+1]
		p.eqs = append(p.eqs, cellEqOf(c.e, offset))
	}
	return p
}

func cellEqOf(e expr, offset int) cellEq {
	none := cellEq{col: -1}
	cmp, ok := e.(*cmpExpr)
	if !ok || cmp.op != sql.Equal {
		return none
	}
	col, ok := cmp.l.(*colRef)
	k, okk := cmp.r.(*constExpr)
	if !ok || !okk {
		col, ok = cmp.r.(*colRef)
		k, okk = cmp.l.(*constExpr)
	}
	if !ok || !okk || (k.v.Kind != dataset.TypeString && k.v.Kind != dataset.TypeBytes) {
		return none
	}
	return cellEq{col: col.idx - offset, v: k.v} // scanColumns checked col
}

// scanColumns reports whether e is made only of comparisons, logic,
// columns of this block's table at offset (among its first 64) and
// constants, adding the columns it reads to cols; any other expression
// (functions, arithmetic, subqueries, outer columns) disqualifies it.
func scanColumns(e expr, offset, ncols int, cols *uint64) bool {
	all := func(es ...expr) bool {
		for _, x := range es {
			if x != nil && !scanColumns(x, offset, ncols, cols) {
				return false
			}
		}
		return true
	}
	switch e := e.(type) {
	case *colRef:
		i := e.idx - offset
		if e.depth != 0 || i < 0 || i >= ncols || i >= 64 {
			return false
		}
		*cols |= 1 << i
		return true
	case *constExpr:
		return true
	case *cmpExpr:
		return all(e.l, e.r)
	case *isExpr:
		return all(e.l, e.r)
	case *isNullExpr:
		return all(e.x)
	case *betweenExpr:
		return all(e.x, e.lo, e.hi)
	case *inListExpr:
		return all(e.x) && all(e.list...)
	case *likeExpr:
		return all(e.x, e.pattern, e.escape)
	case *andExpr:
		return all(e.l, e.r)
	case *orExpr:
		return all(e.l, e.r)
	case *notExpr:
		return all(e.x)
	}
	return false
}

// eachEntry calls fn on every key/value of the access path's spans, in key
// order, or in reverse for a descending ordered path.
func (ex *executor) eachEntry(t *Table, a *accessPath, fn func(key, val []byte) error) error {
	spans := a.spans
	desc := a.ordered && a.desc
	if desc {
		spans = slices.Clone(spans)
		slices.Reverse(spans)
	}
	for _, sp := range spans {
		it, err := ex.snap.NewIter(&pebble.IterOptions{LowerBound: sp.start, UpperBound: sp.end})
		if err != nil {
			return fmt.Errorf("read %s: %w", t.Path, err)
		}
		first, next := it.First, it.Next
		if desc {
			first, next = it.Last, it.Prev
		}
		for ok := first(); ok && err == nil; ok = next() {
			err = fn(it.Key(), it.Value())
		}
		if err == nil {
			err = it.Error()
		}
		it.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// indexFetchBatch is how many primary keys an index scan collects before
// fetching their rows.
const indexFetchBatch = 1024

// scanIndex reads the index spans and fetches the rows they point at. It
// collects primary keys in batches and fetches each batch in key order with
// one row iterator, so the fetches are forward seeks in the row keyspace
// rather than random ones (rows of a batch come out in primary-key order;
// without ORDER BY any order is correct).
func (ex *executor) scanIndex(t *Table, a *accessPath, visit func(key, val []byte) error) error {
	if a.ordered {
		return ex.scanIndexOrdered(t, a, visit)
	}
	prefix := rowPrefix(t.id)
	rows, err := ex.snap.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: keyenc.PrefixEnd(prefix)})
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Path, err)
	}
	defer rows.Close()
	batch := indexFetchBatch
	keys := make([][]byte, 0, batch)
	fetch := func() error {
		slices.SortFunc(keys, bytes.Compare)
		for _, rk := range keys {
			if !rows.SeekGE(rk) || !bytes.Equal(rows.Key(), rk) {
				if err := rows.Error(); err != nil {
					return fmt.Errorf("read %s: %w", t.Path, err)
				}
				return fmt.Errorf("index %s of %s points at a missing row %x (the store is damaged; re-ingest the dataset)", t.Schema.Indexes[a.index].Name, t.Path, rk)
			}
			if err := visit(rk, rows.Value()); err != nil {
				return err
			}
		}
		keys = keys[:0]
		return nil
	}
	err = ex.eachEntry(t, a, func(key, val []byte) error {
		pk, err := t.entryPK(a.index, key, val)
		if err != nil {
			return err
		}
		keys = append(keys, rowKey(t.id, pk))
		if len(keys) == batch {
			return fetch()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return fetch()
}

// scanIndexOrdered reads an ordered index path (ORDER BY the index,
// usually with a LIMIT that stops after a few entries): it must keep index
// order, so it fetches each row as its entry comes. A point Get per row
// suits that better than seeking a row iterator: it opens no iterator, and
// it stops at the first level holding the key (bloom filters skip the
// others), where a seek positions every level.
func (ex *executor) scanIndexOrdered(t *Table, a *accessPath, visit func(key, val []byte) error) error {
	var rk []byte
	return ex.eachEntry(t, a, func(key, val []byte) error {
		pk, err := t.entryPK(a.index, key, val)
		if err != nil {
			return err
		}
		return ex.visitRow(t, a, &rk, pk, visit)
	})
}

// topK keeps the first keep rows in ORDER BY order, ties broken by arrival
// (as a stable sort would), in a max-heap, so ORDER BY … LIMIT holds at most
// LIMIT+OFFSET rows however many match.
type topK struct {
	keys []orderKey
	keep int64
	seq  int64
	heap []seqRow
}

type seqRow struct {
	row dataset.Row
	seq int64
}

// less orders by the keys, then by arrival.
func (t *topK) less(a, b seqRow) bool {
	if c := compareRows(a.row, b.row, t.keys); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// admits reports whether r would be kept; it counts r's arrival.
func (t *topK) admits(r dataset.Row) bool {
	t.seq++
	if t.keep <= 0 {
		return false
	}
	return int64(len(t.heap)) < t.keep || t.less(seqRow{r, t.seq}, t.heap[0])
}

// push adds r, returning the row it evicted, if any.
func (t *topK) push(r dataset.Row) dataset.Row {
	item := seqRow{r, t.seq}
	if int64(len(t.heap)) == t.keep { // replace the largest
		evicted := t.heap[0].row
		t.heap[0] = item
		t.down(0)
		return evicted
	}
	t.heap = append(t.heap, item)
	for i := len(t.heap) - 1; i > 0; {
		parent := (i - 1) / 2
		if !t.less(t.heap[parent], t.heap[i]) {
			break
		}
		t.heap[parent], t.heap[i] = t.heap[i], t.heap[parent]
		i = parent
	}
	return nil
}

func (t *topK) down(i int) {
	for {
		largest, l, r := i, 2*i+1, 2*i+2
		if l < len(t.heap) && t.less(t.heap[largest], t.heap[l]) {
			largest = l
		}
		if r < len(t.heap) && t.less(t.heap[largest], t.heap[r]) {
			largest = r
		}
		if largest == i {
			return
		}
		t.heap[i], t.heap[largest] = t.heap[largest], t.heap[i]
		i = largest
	}
}

func (t *topK) sorted() []dataset.Row {
	slices.SortFunc(t.heap, func(a, b seqRow) int {
		if t.less(a, b) {
			return -1
		}
		return 1
	})
	out := make([]dataset.Row, len(t.heap))
	for i, it := range t.heap {
		out[i] = it.row
	}
	return out
}

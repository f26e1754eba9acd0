package query

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Limits bound one query. Zero fields take the defaults of DefaultLimits.
type Limits struct {
	// MaxResultRows caps the rows returned; more set Result.Truncated.
	MaxResultRows int
	// MaxResultBytes caps the encoded size of the result; more is an error.
	MaxResultBytes int
	// MaxScanRows caps the rows read from storage; more is an error.
	MaxScanRows int64
	// MaxMemoryBytes caps rows held for sorting and groups held for
	// aggregation; more is an error.
	MaxMemoryBytes int
	// Timeout bounds the run time; the caller's context deadline applies
	// too.
	Timeout time.Duration
}

// DefaultLimits are the limits a persistence node applies when configured
// with zero values.
func DefaultLimits() Limits {
	return Limits{
		MaxResultRows:  100_000,
		MaxResultBytes: 32 << 20,
		MaxScanRows:    50_000_000,
		MaxMemoryBytes: 256 << 20,
		Timeout:        30 * time.Second,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxResultRows <= 0 {
		l.MaxResultRows = d.MaxResultRows
	}
	if l.MaxResultBytes <= 0 {
		l.MaxResultBytes = d.MaxResultBytes
	}
	if l.MaxScanRows <= 0 {
		l.MaxScanRows = d.MaxScanRows
	}
	if l.MaxMemoryBytes <= 0 {
		l.MaxMemoryBytes = d.MaxMemoryBytes
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// ErrLimit is returned (wrapped) when a query exceeds a limit.
var ErrLimit = errors.New("query limit exceeded")

// QueryOptions tune one query.
type QueryOptions struct {
	Limits Limits
	// NoIndexes forces a full scan (used by tests to check that index
	// plans return what scans return).
	NoIndexes bool
}

// Result is a finished query.
type Result struct {
	Columns []ResultColumn
	Rows    []dataset.Row
	// Truncated is set when MaxResultRows cut the result short.
	Truncated bool
	// Scanned counts rows read from storage.
	Scanned int64
}

// Query parses, plans and runs q against the dataset it names. EXPLAIN
// queries return the plan, one line per row, without running it.
func (s *Store) Query(ctx context.Context, q string, opts QueryOptions) (*Result, error) {
	st, err := sql.Parse(q)
	if err != nil {
		return nil, err
	}
	t, err := s.Resolve(st.From)
	if err != nil {
		return nil, compileError(q, st.FromPos, "%v", err)
	}
	return s.Run(ctx, q, st, t, opts)
}

// Run executes a parsed statement against a table; q is the query text,
// for error positions.
func (s *Store) Run(ctx context.Context, q string, st *sql.Statement, t *Table, opts QueryOptions) (*Result, error) {
	p, err := compilePlan(q, st, t, !opts.NoIndexes)
	if err != nil {
		return nil, err
	}
	if st.Explain {
		res := &Result{Columns: []ResultColumn{{Name: "plan", Type: dataset.TypeString}}}
		for _, line := range p.explain() {
			res.Rows = append(res.Rows, dataset.Row{dataset.String(line)})
		}
		return res, nil
	}
	lim := opts.Limits.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	ex := &executor{plan: p, lim: lim, ctx: ctx, res: &Result{}}
	for _, o := range p.outputs {
		ex.res.Columns = append(ex.res.Columns, o.col)
	}
	snap, err := s.snapshot(t)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	if err := ex.run(snap); err != nil {
		return nil, err
	}
	return ex.res, nil
}

type executor struct {
	plan *plan
	lim  Limits
	ctx  context.Context
	res  *Result

	resultBytes int
	memBytes    int
	skipped     int64 // rows dropped by OFFSET so far
}

// errStop ends a scan early without error.
var errStop = errors.New("stop")

func (ex *executor) run(snap *pebble.Snapshot) error {
	p := ex.plan
	var sink func(dataset.Row) error
	var finish func() error
	switch {
	case p.grouped:
		agg := newAggregator(ex)
		sink, finish = agg.add, agg.finish
	case len(p.order) > 0 && !p.access.ordered && p.stmt.Limit != nil:
		top := &topK{keys: p.order, keep: *p.stmt.Limit + offsetOf(p.stmt)}
		sink = func(r dataset.Row) error {
			if top.admits(r) {
				if err := ex.charge(rowSize(r)); err != nil {
					return err
				}
				if evicted := top.push(ownRow(r)); evicted != nil {
					ex.memBytes -= rowSize(evicted)
				}
			}
			return nil
		}
		finish = func() error {
			for _, r := range top.sorted() {
				if err := ex.emit(ex.project(r)); err != nil {
					return err
				}
			}
			return nil
		}
	case len(p.order) > 0 && !p.access.ordered:
		var rows []dataset.Row
		sink = func(r dataset.Row) error {
			if err := ex.charge(rowSize(r)); err != nil {
				return err
			}
			rows = append(rows, ownRow(r))
			return nil
		}
		finish = func() error {
			slices.SortStableFunc(rows, func(a, b dataset.Row) int { return compareRows(a, b, p.order) })
			for _, r := range rows {
				if err := ex.emit(ex.project(r)); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		sink = func(r dataset.Row) error { return ex.emit(ownRow(ex.project(r))) }
		finish = func() error { return nil }
	}
	if err := ex.scan(snap, sink); err != nil && !errors.Is(err, errStop) {
		return err
	}
	if err := finish(); err != nil && !errors.Is(err, errStop) {
		return err
	}
	return nil
}

func (ex *executor) project(r dataset.Row) dataset.Row {
	out := make(dataset.Row, len(ex.plan.outputs))
	for i, o := range ex.plan.outputs {
		out[i] = r[o.src]
	}
	return out
}

// charge accounts memory held by sorts and aggregations.
func (ex *executor) charge(n int) error {
	ex.memBytes += n
	if ex.memBytes > ex.lim.MaxMemoryBytes {
		return fmt.Errorf("%w: sorting or grouping needs more than %d bytes; add a WHERE, a LIMIT or fewer groups", ErrLimit, ex.lim.MaxMemoryBytes)
	}
	return nil
}

func rowSize(r dataset.Row) int {
	n := 24 + 40*len(r)
	for _, v := range r {
		n += len(v.Bytes)
	}
	return n
}

// emit applies OFFSET, LIMIT and the result limits to one output row.
func (ex *executor) emit(r dataset.Row) error {
	st := ex.plan.stmt
	if st.Offset != nil && ex.skipped < *st.Offset {
		ex.skipped++
		return nil
	}
	if st.Limit != nil && int64(len(ex.res.Rows)) >= *st.Limit {
		return errStop
	}
	if len(ex.res.Rows) >= ex.lim.MaxResultRows {
		ex.res.Truncated = true
		return errStop
	}
	ex.resultBytes += len(keyenc.AppendRow(nil, r))
	if ex.resultBytes > ex.lim.MaxResultBytes {
		return fmt.Errorf("%w: the result is larger than %d bytes; narrow the query or add a LIMIT", ErrLimit, ex.lim.MaxResultBytes)
	}
	ex.res.Rows = append(ex.res.Rows, r)
	return nil
}

// scan feeds every row of the access path that passes WHERE to sink.
func (ex *executor) scan(snap *pebble.Snapshot, sink func(dataset.Row) error) error {
	p := ex.plan
	ncols := len(p.table.Schema.Columns)
	var scratch dataset.Row
	// visit decodes, counts and filters one stored row and hands it on.
	visit := func(key, val []byte) error {
		ex.res.Scanned++
		if ex.res.Scanned > ex.lim.MaxScanRows {
			return fmt.Errorf("%w: the query reads more than %d rows; add a condition on an indexed column", ErrLimit, ex.lim.MaxScanRows)
		}
		if ex.res.Scanned%256 == 0 {
			if err := ex.ctx.Err(); err != nil {
				return fmt.Errorf("%w: query ran past its time limit (%v): %v", ErrLimit, ex.lim.Timeout, err)
			}
		}
		r, _, err := keyenc.DecodeRowInto(scratch, val, ncols)
		scratch = r
		if err != nil || len(r) != ncols {
			return fmt.Errorf("stored row %x of %s is corrupt: %v", key, p.table.Path, err)
		}
		if p.where != nil && p.where.eval(r) != triTrue {
			return nil
		}
		// The row is scratch: its cells alias Pebble's buffer, which the
		// next step reuses. INVARIANT: a sink copies (ownRow) whatever it
		// keeps.
		return sink(r)
	}
	if p.access.index >= 0 {
		return ex.scanIndex(snap, visit)
	}
	return ex.eachEntry(snap, visit)
}

// eachEntry calls fn on every key/value of the access path's spans, in key
// order, or in reverse for a descending ordered path.
func (ex *executor) eachEntry(snap *pebble.Snapshot, fn func(key, val []byte) error) error {
	p := ex.plan
	spans := p.access.spans
	desc := p.access.ordered && p.access.desc
	if desc {
		spans = slices.Clone(spans)
		slices.Reverse(spans)
	}
	for _, sp := range spans {
		it, err := snap.NewIter(&pebble.IterOptions{LowerBound: sp.start, UpperBound: sp.end})
		if err != nil {
			return fmt.Errorf("read %s: %w", p.table.Path, err)
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
func (ex *executor) scanIndex(snap *pebble.Snapshot, visit func(key, val []byte) error) error {
	p := ex.plan
	prefix := rowPrefix(p.table.id)
	rows, err := snap.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: keyenc.PrefixEnd(prefix)})
	if err != nil {
		return fmt.Errorf("read %s: %w", p.table.Path, err)
	}
	defer rows.Close()
	// An ordered path must keep index order: fetch each row at once.
	batch := indexFetchBatch
	if p.access.ordered {
		batch = 1
	}
	keys := make([][]byte, 0, batch)
	fetch := func() error {
		slices.SortFunc(keys, bytes.Compare)
		for _, rk := range keys {
			if !rows.SeekGE(rk) || !bytes.Equal(rows.Key(), rk) {
				if err := rows.Error(); err != nil {
					return fmt.Errorf("read %s: %w", p.table.Path, err)
				}
				return fmt.Errorf("index %s of %s points at a missing row %x (the store is damaged; re-ingest the dataset)", p.table.Schema.Indexes[p.access.index].Name, p.table.Path, rk)
			}
			if err := visit(rk, rows.Value()); err != nil {
				return err
			}
		}
		keys = keys[:0]
		return nil
	}
	err = ex.eachEntry(snap, func(_, pk []byte) error {
		keys = append(keys, rowKey(p.table.id, pk))
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

// ownRow returns a copy of r whose byte cells are copied too (into one new
// allocation).
func ownRow(r dataset.Row) dataset.Row {
	out := slices.Clone(r)
	n := 0
	for _, v := range r {
		n += len(v.Bytes)
	}
	buf := make([]byte, 0, n)
	for i, v := range out {
		if v.Bytes != nil {
			start := len(buf)
			buf = append(buf, v.Bytes...)
			out[i].Bytes = buf[start:len(buf):len(buf)]
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

// compareRows orders rows by the order keys; NULL sorts first ascending.
func compareRows(a, b dataset.Row, keys []orderKey) int {
	for _, k := range keys {
		c := compareNullable(a[k.idx], b[k.idx])
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func compareNullable(a, b dataset.Value) int {
	switch {
	case a.IsNull() && b.IsNull():
		return 0
	case a.IsNull():
		return -1
	case b.IsNull():
		return 1
	}
	return compareValues(a, b)
}

// aggregator groups rows by the GROUP BY columns' key encoding.
type aggregator struct {
	ex     *executor
	groups map[string]*group
	keys   []string
	keyBuf []byte
}

type group struct {
	first dataset.Row // group column values
	accs  []acc
}

type acc struct {
	count  int64
	sumI   int64
	sumF   float64
	comp   float64 // Neumaier compensation for sumF
	ovf    bool
	minmax dataset.Value
}

func newAggregator(ex *executor) *aggregator {
	return &aggregator{ex: ex, groups: map[string]*group{}}
}

func (a *aggregator) add(r dataset.Row) error {
	p := a.ex.plan
	k := a.keyBuf[:0]
	for _, c := range p.groupCols {
		k = keyenc.AppendKey(k, r[c])
	}
	a.keyBuf = k
	g, ok := a.groups[string(k)]
	if !ok {
		g = &group{first: ownRow(r), accs: make([]acc, len(p.outputs))}
		if err := a.ex.charge(rowSize(r) + len(k) + 64*len(p.outputs)); err != nil {
			return err
		}
		a.groups[string(k)] = g
		a.keys = append(a.keys, string(k))
	}
	for i, o := range p.outputs {
		if o.agg == nil {
			continue
		}
		s := &g.accs[i]
		if o.agg.col < 0 {
			s.count++
			continue
		}
		v := r[o.agg.col]
		if v.IsNull() {
			continue
		}
		s.count++
		switch o.agg.fn {
		case sql.FuncSum, sql.FuncAvg:
			if v.Kind == dataset.TypeFloat64 || o.agg.float {
				x := v.Float
				if v.Kind != dataset.TypeFloat64 {
					x = float64(v.Int)
				}
				t := s.sumF + x
				if math.Abs(s.sumF) >= math.Abs(x) {
					s.comp += (s.sumF - t) + x
				} else {
					s.comp += (x - t) + s.sumF
				}
				s.sumF = t
			}
			if v.Kind == dataset.TypeInt64 {
				sum := s.sumI + v.Int
				if (v.Int > 0 && sum < s.sumI) || (v.Int < 0 && sum > s.sumI) {
					s.ovf = true
				}
				s.sumI = sum
			}
		case sql.FuncMin:
			if s.minmax.IsNull() || compareValues(v, s.minmax) < 0 {
				s.minmax = ownValue(v)
			}
		case sql.FuncMax:
			if s.minmax.IsNull() || compareValues(v, s.minmax) > 0 {
				s.minmax = ownValue(v)
			}
		}
	}
	return nil
}

func (a *aggregator) finish() error {
	p := a.ex.plan
	if len(p.groupCols) == 0 && len(a.groups) == 0 {
		// An aggregate over no rows still yields one row.
		a.groups[""] = &group{accs: make([]acc, len(p.outputs))}
		a.keys = append(a.keys, "")
	}
	slices.Sort(a.keys)
	rows := make([]dataset.Row, 0, len(a.keys))
	for _, k := range a.keys {
		g := a.groups[k]
		out := make(dataset.Row, len(p.outputs))
		for i, o := range p.outputs {
			if o.agg == nil {
				out[i] = g.first[o.src]
				continue
			}
			s := g.accs[i]
			switch o.agg.fn {
			case sql.FuncCount:
				out[i] = dataset.Int64(s.count)
			case sql.FuncSum:
				switch {
				case s.count == 0:
				case o.col.Type == dataset.TypeFloat64:
					out[i] = dataset.Float64(s.sumF + s.comp)
				case s.ovf:
					return fmt.Errorf("%w: SUM(%s) overflows int64", ErrLimit, p.table.Schema.Columns[o.agg.col].Name)
				default:
					out[i] = dataset.Int64(s.sumI)
				}
			case sql.FuncAvg:
				if s.count > 0 {
					out[i] = dataset.Float64((s.sumF + s.comp) / float64(s.count))
				}
			case sql.FuncMin, sql.FuncMax:
				out[i] = s.minmax
			}
		}
		rows = append(rows, out)
	}
	if len(p.order) > 0 {
		slices.SortStableFunc(rows, func(x, y dataset.Row) int { return compareRows(x, y, p.order) })
	}
	for _, r := range rows {
		if err := a.ex.emit(r); err != nil {
			return err
		}
	}
	return nil
}

func offsetOf(st *sql.Statement) int64 {
	if st.Offset == nil {
		return 0
	}
	return *st.Offset
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

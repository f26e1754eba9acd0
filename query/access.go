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

// Access paths. Conditions on one stored table that compare a column with
// a constant (=, IN, <, <=, >, >=, BETWEEN) become per-column
// restrictions. For the primary key and each index, the longest prefix of
// equality-pinned columns (IN expands to ≤ maxSpans point spans,
// deduplicated and sorted) followed by one range column gives a set of key
// spans; the best candidate (most equality columns, then a range; ties to
// the primary key) is scanned, otherwise the whole table. When the query's
// ORDER BY follows a candidate's key order in one direction and that
// candidate filters as well as the best one, it is scanned forwards or
// backwards instead and nothing is sorted.
//
// INVARIANT: the spans only narrow what is read; every condition is still
// evaluated on every row read, so every plan returns exactly what a full
// scan returns.

// maxSpans bounds the point ranges an IN list may expand into.
const maxSpans = 1024

// span is a key range [start, end) in one keyspace (rows or one index).
type span struct{ start, end []byte }

// accessPath is how a stored table's rows are found.
type accessPath struct {
	index   int // -1: primary key; otherwise a secondary index
	spans   []span
	eqCols  []string
	rngCol  string
	rngDesc []string
	// ordered: the scan yields rows in ORDER BY order (spans ascending,
	// or all reversed when desc), so the executor does not sort.
	ordered bool
	desc    bool
}

func (a *accessPath) describe(t *Table) []string {
	where := "primary key"
	cols := t.Schema.PrimaryKey
	if a.index >= 0 {
		ix := t.Schema.Indexes[a.index]
		where = "index " + ix.Name
		cols = ix.Columns
	}
	if len(a.eqCols) == 0 && a.rngCol == "" {
		return []string{fmt.Sprintf("scan: full table %s in primary key order (%s)", t.Path.Name, strings.Join(cols, ", "))}
	}
	var parts []string
	if len(a.eqCols) > 0 {
		parts = append(parts, "equality on "+strings.Join(a.eqCols, ", "))
	}
	if a.rngCol != "" {
		parts = append(parts, "range on "+a.rngCol)
	}
	out := []string{fmt.Sprintf("scan: %s (%s), %s, %d span(s) from %s", where, strings.Join(cols, ", "), strings.Join(parts, " then "), len(a.spans), strings.Join(a.rngDesc, " AND "))}
	if a.index >= 0 {
		out = append(out, "fetch: rows by primary key from the index entries")
	}
	return out
}

func storedKind(c dataset.Column) dataset.ColumnType {
	if c.Encryption != dataset.EncNone {
		return dataset.TypeBytes
	}
	return c.Type
}

// keyPart is what a key holds of column c's stored cell v: the range point
// of an order-preserving cell (dataset.OrderPreservingPointBytes), which
// orders and tells apart the cells as the whole cell does — the seal after
// it is a function of the value — and any other cell whole. An index entry
// keeps its order-preserving cells' seals in its value (indexValue), out of
// the keys every seek compares; a primary key's order-preserving cell is
// whole only in its row (coveredBy).
func keyPart(c dataset.Column, v dataset.Value) dataset.Value {
	if c.Encryption == dataset.EncOrderPreserving && v.Kind == dataset.TypeBytes && len(v.Bytes) > dataset.OrderPreservingPointBytes {
		v.Bytes = v.Bytes[:dataset.OrderPreservingPointBytes]
	}
	return v
}

// keyValue converts a constant to the stored kind of col for key
// encoding, or reports that it cannot be used in a key range exactly (the
// filter still applies it).
func keyValue(c dataset.Column, v dataset.Value) (dataset.Value, bool) {
	if v.IsNull() {
		return v, false
	}
	want := storedKind(c)
	switch {
	case v.Kind == want:
		return keyPart(c, v), true
	case want == dataset.TypeTimestamp && v.Kind == dataset.TypeInt64, want == dataset.TypeInt64 && v.Kind == dataset.TypeTimestamp:
		return dataset.Value{Kind: want, Int: v.Int}, true
	case want == dataset.TypeFloat64 && v.Kind == dataset.TypeInt64 && v.Int >= -1<<53 && v.Int <= 1<<53:
		return dataset.Float64(float64(v.Int)), true
	case want == dataset.TypeInt64 && v.Kind == dataset.TypeFloat64 && v.Float == math.Trunc(v.Float) && v.Float >= -0x1p63 && v.Float < 0x1p63:
		return dataset.Int64(int64(v.Float)), true
	}
	return v, false
}

// colRestriction collects sargable facts about one column.
type colRestriction struct {
	eq     [][]dataset.Value // each entry is an allowed set (= gives one value, IN several)
	lower  []byte            // key encoding of the tightest lower bound, nil if none
	lowerI bool              // the lower bound is inclusive (>=)
	upper  []byte            // key encoding of the tightest upper bound, nil if none
	upperI bool              // the upper bound is inclusive (<=)
	text   []string          // the conditions behind it, for EXPLAIN
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

// sourceColumn is the schema position e reads when it is a plain column of
// the source at offset off with n columns, or -1.
func sourceColumn(e expr, off, n int) int {
	if c, ok := e.(*colRef); ok && c.depth == 0 && c.idx >= off && c.idx < off+n {
		return c.idx - off
	}
	return -1
}

// exactConst is a constant usable as a key bound.
func exactConst(e expr) (dataset.Value, bool) {
	c, ok := e.(*constExpr)
	if !ok || c.sub != 0 {
		return dataset.Value{}, false
	}
	return c.v, true
}

func restrictions(t *Table, s *source) map[int]*colRestriction {
	rs := map[int]*colRestriction{}
	n := len(t.Schema.Columns)
	get := func(i int) *colRestriction {
		if rs[i] == nil {
			rs[i] = &colRestriction{}
		}
		return rs[i]
	}
	bound := func(i int, op sql.CompareOp, v dataset.Value, text string) {
		c := t.Schema.Columns[i]
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
		if k := len(r.text); k == 0 || r.text[k-1] != text { // BETWEEN gives two bounds
			r.text = append(r.text, text)
		}
	}
	for _, cj := range s.local {
		text := cj.ast.String()
		switch x := cj.e.(type) {
		case *cmpExpr:
			col, lit, op := x.l, x.r, x.op
			if sourceColumn(col, s.offset, n) < 0 {
				col, lit, op = x.r, x.l, flip(x.op)
			}
			i := sourceColumn(col, s.offset, n)
			v, ok := exactConst(lit)
			if i >= 0 && ok {
				bound(i, op, v, text)
			}
		case *betweenExpr:
			i := sourceColumn(x.x, s.offset, n)
			lo, ok1 := exactConst(x.lo)
			hi, ok2 := exactConst(x.hi)
			if i >= 0 && ok1 && ok2 && !x.not {
				bound(i, sql.GreaterEqual, lo, text)
				bound(i, sql.LessEqual, hi, text)
			}
		case *inListExpr:
			i := sourceColumn(x.x, s.offset, n)
			if i < 0 || x.not {
				continue
			}
			var set []dataset.Value
			usable := true
			for _, item := range x.list {
				v, ok := exactConst(item)
				if !ok {
					usable = false
					break
				}
				if v.IsNull() {
					continue // NULL never matches
				}
				kv, ok := keyValue(t.Schema.Columns[i], v)
				if !ok {
					usable = false
					break
				}
				set = append(set, kv)
			}
			if usable {
				r := get(i)
				r.eq = append(r.eq, set)
				r.text = append(r.text, text)
			}
		}
	}
	return rs
}

// chooseAccess picks the primary key or the secondary index that pins the
// most leading columns by equality, then a range; ties go to the primary
// key. order is the block's ORDER BY as schema positions (nil when it does
// not order by plain columns of this table).
func chooseAccess(t *Table, s *source, order []orderKey, useIndexes bool) accessPath {
	full := accessPath{index: -1, spans: []span{{rowPrefix(t.id), keyenc.PrefixEnd(rowPrefix(t.id))}}}
	if !useIndexes {
		return full
	}
	rs := restrictions(t, s)
	best, bestScore := full, 0
	var ordered *accessPath
	orderedScore := -1
	candidates := append([][]int{t.pk}, t.ixCols...)
	for n, cols := range candidates {
		var prefix []byte
		if n == 0 {
			prefix = rowPrefix(t.id)
		} else {
			prefix = indexPrefix(t.id, n-1)
		}
		path, score := pathFor(t, n-1, prefix, cols, rs)
		if score > bestScore {
			best, bestScore = path, score
		}
		if desc, ok := orderFollows(t, order, cols, path); ok && score > orderedScore {
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
func orderFollows(t *Table, order []orderKey, cols []int, path accessPath) (desc bool, ok bool) {
	if len(order) == 0 {
		return false, false
	}
	keyCols := slices.Clone(cols)
	if path.index >= 0 {
		keyCols = append(keyCols, t.pk...)
	}
	desc = order[0].desc
	for _, k := range order {
		if k.desc != desc {
			return false, false
		}
	}
	skips := []int{0}
	if len(path.spans) <= 1 && len(path.eqCols) > 0 {
		skips = append(skips, len(path.eqCols))
	}
	for _, skip := range skips {
		if len(order) > len(keyCols)-skip {
			continue
		}
		match := true
		for i, k := range order {
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

func pathFor(t *Table, index int, prefix []byte, cols []int, rs map[int]*colRestriction) (accessPath, int) {
	path := accessPath{index: index}
	prefixes := [][]byte{prefix}
	score := 0
	for _, c := range cols {
		r := rs[c]
		if r == nil {
			break
		}
		name := t.Schema.Columns[c].Name
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

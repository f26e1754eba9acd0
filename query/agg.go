package query

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strings"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/sql"
)

// aggregator groups a block's rows by the equality keys of its GROUP BY
// values (so 1 and 1.0 are one group, as in SQLite) and accumulates the
// aggregates of each group.
type aggregator struct {
	ex     *executor
	blk    *blockPlan
	groups map[string]*group
	keys   []string
	keyBuf []byte
	vals   []dataset.Value
}

type group struct {
	keys dataset.Row // the group's values, from its first row
	accs []acc
}

// acc is one aggregate's running state. Integer sums are exact (128 bits);
// float sums use Neumaier's compensated summation.
type acc struct {
	count  int64
	sumHi  int64 // high word of the 128-bit integer sum
	sumLo  uint64
	ints   int64 // how many integer inputs
	floats int64 // how many float inputs
	sumF   float64
	comp   float64
	minmax dataset.Value
	seen   map[string]struct{} // DISTINCT
	text   []byte              // GROUP_CONCAT
}

func newAggregator(ex *executor, blk *blockPlan) *aggregator {
	return &aggregator{ex: ex, blk: blk, groups: map[string]*group{}, vals: make([]dataset.Value, len(blk.groupBy))}
}

// add accumulates ctx.row.
func (a *aggregator) add(ctx *rowCtx) error {
	blk := a.blk
	k := a.keyBuf[:0]
	for i, e := range blk.groupBy {
		v, err := e.eval(ctx)
		if err != nil {
			return err
		}
		a.vals[i] = v
		k = appendEqKey(k, v)
	}
	a.keyBuf = k
	g, ok := a.groups[string(k)]
	if !ok {
		g = &group{keys: ownRow(a.vals), accs: make([]acc, len(blk.aggs))}
		if err := a.ex.charge(rowSize(g.keys) + len(k) + 96*len(blk.aggs)); err != nil {
			return err
		}
		a.groups[string(k)] = g
		a.keys = append(a.keys, string(k))
	}
	for i, spec := range blk.aggs {
		s := &g.accs[i]
		if spec.arg == nil { // COUNT(*)
			s.count++
			continue
		}
		v, err := spec.arg.eval(ctx)
		if err != nil {
			return err
		}
		if v.IsNull() {
			continue
		}
		if spec.distinct {
			if s.seen == nil {
				s.seen = map[string]struct{}{}
			}
			key := appendEqKey(nil, v)
			if _, dup := s.seen[string(key)]; dup {
				continue
			}
			if err := a.ex.charge(len(key) + 64); err != nil {
				return err
			}
			s.seen[string(key)] = struct{}{}
		}
		s.count++
		switch spec.fn {
		case sql.FuncSum, sql.FuncAvg, sql.FuncTotal:
			switch v.Kind {
			case dataset.TypeFloat64:
				s.floats++
				t := s.sumF + v.Float
				if math.Abs(s.sumF) >= math.Abs(v.Float) {
					s.comp += (s.sumF - t) + v.Float
				} else {
					s.comp += (v.Float - t) + s.sumF
				}
				s.sumF = t
			case dataset.TypeInt64, dataset.TypeBool:
				s.ints++
				var carry uint64
				s.sumLo, carry = bits.Add64(s.sumLo, uint64(v.Int), 0)
				hi := int64(0)
				if v.Int < 0 {
					hi = -1
				}
				s.sumHi += hi + int64(carry)
			default:
				return fmt.Errorf("%s needs numbers; %s is %s", strings.ToLower(spec.fn), quoteValue(v), kindName(v.Kind))
			}
		case sql.FuncMin, sql.FuncMax:
			if s.minmax.IsNull() {
				s.minmax = ownValue(v)
				continue
			}
			n, _, err := compareChecked(v, s.minmax)
			if err != nil {
				return err
			}
			if (spec.fn == sql.FuncMin && n < 0) || (spec.fn == sql.FuncMax && n > 0) {
				s.minmax = ownValue(v)
			}
		case sql.FuncGroupConcat:
			txt, err := asText(v, "group_concat")
			if err != nil {
				return err
			}
			if s.count > 1 {
				sep := ","
				if spec.sep != nil {
					sv, err := spec.sep.eval(ctx)
					if err != nil {
						return err
					}
					if sv.IsNull() {
						sep = ""
					} else if sep, err = asText(sv, "group_concat's separator"); err != nil {
						return err
					}
				}
				s.text = append(s.text, sep...)
			}
			if err := a.ex.charge(len(txt)); err != nil {
				return err
			}
			s.text = append(s.text, txt...)
		}
	}
	return nil
}

// finish returns the group rows (keys then aggregates) in key order. An
// aggregate without GROUP BY over no rows still yields one row.
func (a *aggregator) finish() ([]dataset.Row, error) {
	blk := a.blk
	if len(blk.groupBy) == 0 && len(a.groups) == 0 {
		a.groups[""] = &group{accs: make([]acc, len(blk.aggs))}
		a.keys = append(a.keys, "")
	}
	slices.Sort(a.keys)
	rows := make([]dataset.Row, 0, len(a.keys))
	for _, k := range a.keys {
		g := a.groups[k]
		out := make(dataset.Row, len(blk.groupBy)+len(blk.aggs))
		copy(out, g.keys)
		for i, spec := range blk.aggs {
			v, err := g.accs[i].result(spec)
			if err != nil {
				return nil, err
			}
			out[len(blk.groupBy)+i] = v
		}
		rows = append(rows, out)
	}
	return rows, nil
}

// int128Float is the 128-bit integer sum as a big.Float (exact).
func (s *acc) sumBig() *big.Float {
	i := new(big.Int).SetInt64(s.sumHi)
	i.Lsh(i, 64)
	i.Add(i, new(big.Int).SetUint64(s.sumLo))
	return new(big.Float).SetPrec(256).SetInt(i)
}

func (s *acc) result(spec *aggSpec) (dataset.Value, error) {
	switch spec.fn {
	case sql.FuncCount:
		return dataset.Int64(s.count), nil
	case sql.FuncMin, sql.FuncMax:
		return s.minmax, nil
	case sql.FuncGroupConcat:
		if s.count == 0 {
			return dataset.Null, nil
		}
		return dataset.Value{Kind: dataset.TypeString, Bytes: s.text}, nil
	case sql.FuncTotal:
		return dataset.Float64(s.floatSum()), nil
	case sql.FuncSum:
		switch {
		case s.count == 0:
			return dataset.Null, nil
		case s.floats > 0:
			return dataset.Float64(s.floatSum()), nil
		}
		// The 128-bit sum fits int64 when its high word is the sign
		// extension of its low word.
		lo := int64(s.sumLo)
		if (lo < 0 && s.sumHi != -1) || (lo >= 0 && s.sumHi != 0) {
			return dataset.Null, fmt.Errorf("%w: SUM of %d integers does not fit an int64 (use TOTAL for a float sum)", ErrOverflow, s.ints)
		}
		return dataset.Int64(lo), nil
	case sql.FuncAvg:
		if s.count == 0 {
			return dataset.Null, nil
		}
		// Exact sum of the integers plus the compensated float sum,
		// divided and rounded once: exact for int64 inputs beyond 2^53.
		sum := s.sumBig()
		if s.floats > 0 {
			if math.IsInf(s.sumF, 0) || math.IsNaN(s.sumF) {
				return dataset.Float64(s.sumF / float64(s.count)), nil
			}
			sum.Add(sum, new(big.Float).SetFloat64(s.sumF))
			sum.Add(sum, new(big.Float).SetFloat64(s.comp))
		}
		q := new(big.Float).SetPrec(256).Quo(sum, new(big.Float).SetInt64(s.count))
		f, _ := q.Float64()
		return dataset.Float64(f), nil
	}
	return dataset.Null, fmt.Errorf("unknown aggregate %s", spec.fn)
}

// floatSum is the sum of every input as a float.
func (s *acc) floatSum() float64 {
	if s.ints == 0 {
		return s.sumF + s.comp
	}
	sum := s.sumBig()
	if math.IsInf(s.sumF, 0) || math.IsNaN(s.sumF) {
		return s.sumF
	}
	sum.Add(sum, new(big.Float).SetFloat64(s.sumF))
	sum.Add(sum, new(big.Float).SetFloat64(s.comp))
	f, _ := sum.Float64()
	return f
}

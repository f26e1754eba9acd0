package query

import (
	"errors"
	"fmt"

	"github.com/enigma-mpc/enigma/dataset"
)

// Subqueries. One that reads no column of the rows around it (not
// correlated) runs once per statement and its result is kept; a correlated
// one runs again for each row it is evaluated for.

// scalarSubExpr is (SELECT …): its one column of its one row, NULL without
// rows. More than one row is an error (SQLite would silently take the
// first, which depends on the scan order).
type scalarSubExpr struct{ sub *selectPlan }

func (e *scalarSubExpr) eval(c *rowCtx) (dataset.Value, error) {
	ex := c.ex
	if !e.sub.correlated {
		if v, ok := ex.cache[e.sub]; ok {
			return v.(dataset.Value), nil
		}
	}
	var got []dataset.Value
	err := ex.runSelect(e.sub, c, func(r dataset.Row) error {
		got = append(got, ownValue(r[0]))
		if len(got) > 1 {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return dataset.Null, err
	}
	if len(got) > 1 {
		return dataset.Null, fmt.Errorf("a scalar subquery returned more than one row; add LIMIT 1 (with an ORDER BY) or an aggregate")
	}
	v := dataset.Null
	if len(got) == 1 {
		v = got[0]
	}
	if !e.sub.correlated {
		ex.cache[e.sub] = v
	}
	return v, nil
}

// existsExpr is EXISTS (SELECT …).
type existsExpr struct{ sub *selectPlan }

func (e *existsExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *existsExpr) test(c *rowCtx) (tri, error) {
	ex := c.ex
	if !e.sub.correlated {
		if v, ok := ex.cache[e.sub]; ok {
			return v.(tri), nil
		}
	}
	found := false
	err := ex.runSelect(e.sub, c, func(dataset.Row) error {
		found = true
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return triUnknown, err
	}
	t := boolTri(found)
	if !e.sub.correlated {
		ex.cache[e.sub] = t
	}
	return t, nil
}

// inSet is the result of an IN subquery.
type inSet struct {
	keys    map[string]struct{}
	hasNull bool
	classes [4]bool // classes of the non-NULL values
	empty   bool
}

// inSubExpr is x [NOT] IN (SELECT …).
type inSubExpr struct {
	x       expr
	sub     *selectPlan
	not     bool
	checked bool
	keyBuf  []byte
}

func (e *inSubExpr) eval(c *rowCtx) (dataset.Value, error) {
	t, err := e.test(c)
	return triValue(t), err
}

func (e *inSubExpr) set(c *rowCtx) (*inSet, error) {
	ex := c.ex
	if !e.sub.correlated {
		if v, ok := ex.cache[e.sub]; ok {
			return v.(*inSet), nil
		}
	}
	s := &inSet{keys: map[string]struct{}{}, empty: true}
	err := ex.runSelect(e.sub, c, func(r dataset.Row) error {
		s.empty = false
		v := r[0]
		if v.IsNull() {
			s.hasNull = true
			return nil
		}
		s.classes[classOf(v.Kind)] = true
		k := appendEqKey(nil, v)
		if _, dup := s.keys[string(k)]; !dup {
			if err := ex.charge(len(k) + 64); err != nil {
				return err
			}
			s.keys[string(k)] = struct{}{}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !e.sub.correlated {
		ex.cache[e.sub] = s
	}
	return s, nil
}

func (e *inSubExpr) test(c *rowCtx) (tri, error) {
	x, err := e.x.eval(c)
	if err != nil {
		return triUnknown, err
	}
	s, err := e.set(c)
	if err != nil {
		return triUnknown, err
	}
	var res tri
	switch {
	case s.empty:
		res = triFalse
	case x.IsNull():
		res = triUnknown
	default:
		if !e.checked {
			for cl, present := range s.classes {
				if present && typeClass(cl) != classOf(x.Kind) {
					return triUnknown, fmt.Errorf("cannot compare %s %s with the %s values of an IN subquery", classOf(x.Kind), quoteValue(x), typeClass(cl))
				}
			}
		}
		e.keyBuf = appendEqKey(e.keyBuf[:0], x)
		_, found := s.keys[string(e.keyBuf)]
		switch {
		case found:
			res = triTrue
		case s.hasNull:
			res = triUnknown
		default:
			res = triFalse
		}
	}
	if e.not {
		return res.not(), nil
	}
	return res, nil
}

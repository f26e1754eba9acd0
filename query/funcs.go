package query

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/enigma-mpc/enigma/dataset"
)

// Scalar functions, with SQLite's semantics for the values the engine
// accepts. Arguments of the wrong class are refused when the compiler
// knows their types and at run time otherwise.

type scalarFunc struct {
	minArgs, maxArgs int // maxArgs -1: any number
	// result checks the argument types and gives the result kind
	// (kindAny when it depends on the values).
	result func(name string, args []typ) (dataset.ColumnType, error)
	fn     func(args []dataset.Value) (dataset.Value, error)
}

var scalarFuncs map[string]*scalarFunc

func init() {
	scalarFuncs = map[string]*scalarFunc{
		"ABS":       {1, 1, numericResult, fnAbs},
		"NULLIF":    {2, 2, firstArgResult, nil}, // compiled as a node (bind.go)
		"LENGTH":    {1, 1, textOrBytesResult(dataset.TypeInt64), fnLength},
		"LOWER":     {1, 1, textResult, fnCase(false)},
		"UPPER":     {1, 1, textResult, fnCase(true)},
		"SUBSTR":    {2, 3, substrResult, fnSubstr},
		"SUBSTRING": {2, 3, substrResult, fnSubstr},
		"TRIM":      {1, 2, textResult, fnTrim(true, true)},
		"LTRIM":     {1, 2, textResult, fnTrim(true, false)},
		"RTRIM":     {1, 2, textResult, fnTrim(false, true)},
		"REPLACE":   {3, 3, textResult, fnReplace},
		"INSTR":     {2, 2, textOrBytesResult(dataset.TypeInt64), fnInstr},
		"MIN":       {2, -1, sameClassResult, fnMinMax(-1)},
		"MAX":       {2, -1, sameClassResult, fnMinMax(1)},
		"COALESCE":  {2, -1, sameClassResult, nil}, // coalesceExpr
		"IFNULL":    {2, 2, sameClassResult, nil},
	}
}

// functionNames lists the scalar functions, for errors.
func functionNames() string {
	return "abs, coalesce, ifnull, nullif, length, lower, upper, substr, trim, ltrim, rtrim, replace, instr, min, max (and the aggregates count, sum, total, avg, min, max, group_concat)"
}

func numericResult(name string, args []typ) (dataset.ColumnType, error) {
	switch k := args[0].kind; {
	case k == dataset.TypeInt64 || k == dataset.TypeBool:
		return dataset.TypeInt64, nil
	case k == dataset.TypeFloat64 || k == 0 || k == kindAny:
		return k, nil
	default:
		return 0, fmt.Errorf("%s needs a number, not a %s", strings.ToLower(name), k)
	}
}

func firstArgResult(_ string, args []typ) (dataset.ColumnType, error) { return args[0].kind, nil }

func textResult(name string, args []typ) (dataset.ColumnType, error) {
	for _, a := range args {
		if a.kind == dataset.TypeBytes || a.kind == dataset.TypeTimestamp {
			return 0, fmt.Errorf("%s needs text or numbers, not %s", strings.ToLower(name), a.kind)
		}
	}
	return dataset.TypeString, nil
}

func textOrBytesResult(res dataset.ColumnType) func(string, []typ) (dataset.ColumnType, error) {
	return func(name string, args []typ) (dataset.ColumnType, error) {
		for _, a := range args {
			if a.kind == dataset.TypeTimestamp {
				return 0, fmt.Errorf("%s needs text, bytes or numbers, not a timestamp", strings.ToLower(name))
			}
		}
		return res, nil
	}
}

func substrResult(name string, args []typ) (dataset.ColumnType, error) {
	for _, a := range args[1:] {
		if c := classOf(a.kind); a.kind != kindAny && c != classNumeric && c != classNull {
			return 0, fmt.Errorf("%s needs numbers for start and length, not %s", strings.ToLower(name), a.kind)
		}
	}
	switch k := args[0].kind; k {
	case dataset.TypeBytes:
		return dataset.TypeBytes, nil
	case dataset.TypeTimestamp:
		return 0, fmt.Errorf("%s needs text, bytes or numbers, not a timestamp", strings.ToLower(name))
	case kindAny:
		return kindAny, nil
	}
	return dataset.TypeString, nil
}

// sameClassResult: arguments of one class; the result is their common
// kind.
func sameClassResult(name string, args []typ) (dataset.ColumnType, error) {
	return unifyKinds(name, args)
}

// unifyKinds is the kind of a value that is any one of args: their common
// kind, kindAny when they differ, an error when they are of different
// classes (numbers and strings).
func unifyKinds(what string, args []typ) (dataset.ColumnType, error) {
	var k dataset.ColumnType
	for _, a := range args {
		switch {
		case a.kind == 0:
		case k == 0:
			k = a.kind
		case a.kind == kindAny || k == kindAny:
			k = kindAny
		case a.kind != k:
			if classOf(a.kind) != classOf(k) {
				return 0, fmt.Errorf("%s mixes %s and %s values", strings.ToLower(what), k, a.kind)
			}
			k = kindAny
		}
	}
	return k, nil
}

func fnAbs(a []dataset.Value) (dataset.Value, error) {
	v := a[0]
	switch v.Kind {
	case 0:
		return v, nil
	case dataset.TypeFloat64:
		return dataset.Float64(math.Abs(v.Float)), nil
	case dataset.TypeInt64, dataset.TypeBool:
		if v.Int == math.MinInt64 {
			return dataset.Null, fmt.Errorf("%w in abs(%d)", ErrOverflow, v.Int)
		}
		if v.Int < 0 {
			return dataset.Int64(-v.Int), nil
		}
		return dataset.Int64(v.Int), nil
	}
	return dataset.Null, fmt.Errorf("abs needs a number; %s is %s", quoteValue(v), kindName(v.Kind))
}

// textArg is an argument of a text function: strings as they are, numbers
// converted; ok is false for NULL.
func textArg(name string, v dataset.Value) (string, bool, error) {
	if v.IsNull() {
		return "", false, nil
	}
	s, err := asText(v, strings.ToLower(name))
	return s, err == nil, err
}

func fnLength(a []dataset.Value) (dataset.Value, error) {
	v := a[0]
	switch v.Kind {
	case 0:
		return v, nil
	case dataset.TypeBytes:
		return dataset.Int64(int64(len(v.Bytes))), nil
	}
	s, _, err := textArg("LENGTH", v)
	if err != nil {
		return dataset.Null, err
	}
	if i := strings.IndexByte(s, 0); i >= 0 { // SQLite counts up to a NUL
		s = s[:i]
	}
	return dataset.Int64(int64(utf8.RuneCountInString(s))), nil
}

func fnCase(upper bool) func([]dataset.Value) (dataset.Value, error) {
	return func(a []dataset.Value) (dataset.Value, error) {
		s, ok, err := textArg("LOWER", a[0])
		if !ok {
			return dataset.Null, err
		}
		b := []byte(s)
		for i, c := range b { // ASCII only, as SQLite without ICU
			switch {
			case upper && c >= 'a' && c <= 'z':
				b[i] = c - 32
			case !upper && c >= 'A' && c <= 'Z':
				b[i] = c + 32
			}
		}
		return dataset.Value{Kind: dataset.TypeString, Bytes: b}, nil
	}
}

func intArg(name string, v dataset.Value) (int64, error) {
	switch v.Kind {
	case dataset.TypeInt64, dataset.TypeBool:
		return v.Int, nil
	case dataset.TypeFloat64:
		return floatToInt(v.Float), nil
	}
	return 0, fmt.Errorf("%s needs a number; %s is %s", strings.ToLower(name), quoteValue(v), kindName(v.Kind))
}

// fnSubstr follows SQLite's substr: 1-based, a negative start counts from
// the end, a negative length takes the characters before start.
func fnSubstr(a []dataset.Value) (dataset.Value, error) {
	for _, v := range a {
		if v.IsNull() {
			return dataset.Null, nil
		}
	}
	p1, err := intArg("SUBSTR", a[1])
	if err != nil {
		return dataset.Null, err
	}
	isBytes := a[0].Kind == dataset.TypeBytes
	var str string
	if isBytes {
		str = string(a[0].Bytes)
	} else {
		if str, _, err = textArg("SUBSTR", a[0]); err != nil {
			return dataset.Null, err
		}
	}
	n := int64(len(str))
	if !isBytes {
		n = int64(utf8.RuneCountInString(str))
	}
	p2 := n + 1
	neg := false
	if len(a) == 3 {
		if p2, err = intArg("SUBSTR", a[2]); err != nil {
			return dataset.Null, err
		}
		if p2 < 0 {
			p2, neg = -max(p2, -math.MaxInt32), true
		}
	}
	p1 = max(min(p1, math.MaxInt32), -math.MaxInt32)
	p2 = min(p2, math.MaxInt32)
	switch {
	case p1 < 0:
		p1 += n
		if p1 < 0 {
			p2 += p1
			if p2 < 0 {
				p2 = 0
			}
			p1 = 0
		}
	case p1 > 0:
		p1--
	case p2 > 0:
		p2--
	}
	if neg {
		p1 -= p2
		if p1 < 0 {
			p2 += p1
			p1 = 0
		}
	}
	start, end := min(p1, n), min(p1+p2, n)
	if isBytes {
		return dataset.Bytes([]byte(str[start:end])), nil
	}
	r := []rune(str)
	return dataset.String(string(r[start:end])), nil
}

func fnTrim(left, right bool) func([]dataset.Value) (dataset.Value, error) {
	return func(a []dataset.Value) (dataset.Value, error) {
		s, ok, err := textArg("TRIM", a[0])
		if !ok {
			return dataset.Null, err
		}
		set := " "
		if len(a) == 2 {
			if set, ok, err = textArg("TRIM", a[1]); !ok {
				return dataset.Null, err
			}
		}
		if left {
			s = strings.TrimLeft(s, set)
		}
		if right {
			s = strings.TrimRight(s, set)
		}
		return dataset.String(s), nil
	}
}

func fnReplace(a []dataset.Value) (dataset.Value, error) {
	var s [3]string
	for i := range a {
		v, ok, err := textArg("REPLACE", a[i])
		if !ok {
			return dataset.Null, err
		}
		s[i] = v
	}
	if s[1] == "" {
		return dataset.String(s[0]), nil
	}
	return dataset.String(strings.ReplaceAll(s[0], s[1], s[2])), nil
}

func fnInstr(a []dataset.Value) (dataset.Value, error) {
	if a[0].IsNull() || a[1].IsNull() {
		return dataset.Null, nil
	}
	if a[0].Kind == dataset.TypeBytes && a[1].Kind == dataset.TypeBytes {
		return dataset.Int64(int64(strings.Index(string(a[0].Bytes), string(a[1].Bytes)) + 1)), nil
	}
	h, _, err := textArg("INSTR", a[0])
	if err != nil {
		return dataset.Null, err
	}
	n, _, err := textArg("INSTR", a[1])
	if err != nil {
		return dataset.Null, err
	}
	i := strings.Index(h, n)
	if i < 0 {
		return dataset.Int64(0), nil
	}
	return dataset.Int64(int64(utf8.RuneCountInString(h[:i]) + 1)), nil
}

// fnMinMax is the scalar min/max of two or more values: NULL if any is.
func fnMinMax(sign int) func([]dataset.Value) (dataset.Value, error) {
	return func(a []dataset.Value) (dataset.Value, error) {
		best := a[0]
		for _, v := range a {
			if v.IsNull() {
				return dataset.Null, nil
			}
		}
		for _, v := range a[1:] {
			n, _, err := compareChecked(v, best)
			if err != nil {
				return dataset.Null, err
			}
			if n*sign > 0 {
				best = v
			}
		}
		return best, nil
	}
}

// castTo converts v as SQLite's CAST does, to the affinity of the type
// name: INTEGER, REAL, TEXT or NUMERIC (TIMESTAMP: microseconds).
func castTo(v dataset.Value, to dataset.ColumnType, numeric bool) (dataset.Value, error) {
	if v.IsNull() {
		return v, nil
	}
	if numeric {
		switch v.Kind {
		case dataset.TypeString:
			return textToNumeric(string(v.Bytes)), nil
		case dataset.TypeBool:
			return dataset.Int64(v.Int), nil
		case dataset.TypeInt64, dataset.TypeFloat64:
			return v, nil
		}
		return dataset.Null, fmt.Errorf("cannot CAST %s AS NUMERIC", kindName(v.Kind))
	}
	switch to {
	case dataset.TypeInt64:
		switch v.Kind {
		case dataset.TypeInt64, dataset.TypeBool, dataset.TypeTimestamp:
			return dataset.Int64(v.Int), nil
		case dataset.TypeFloat64:
			return dataset.Int64(floatToInt(v.Float)), nil
		case dataset.TypeString:
			return dataset.Int64(textToInt(string(v.Bytes))), nil
		}
	case dataset.TypeFloat64:
		switch v.Kind {
		case dataset.TypeInt64, dataset.TypeBool:
			return dataset.Float64(float64(v.Int)), nil
		case dataset.TypeFloat64:
			return v, nil
		case dataset.TypeString:
			return dataset.Float64(textToFloat(string(v.Bytes))), nil
		}
	case dataset.TypeString:
		switch v.Kind {
		case dataset.TypeString:
			return v, nil
		case dataset.TypeInt64, dataset.TypeBool, dataset.TypeFloat64, dataset.TypeTimestamp:
			return dataset.String(numericText(v)), nil
		}
	case dataset.TypeTimestamp:
		switch v.Kind {
		case dataset.TypeInt64, dataset.TypeTimestamp:
			return dataset.Value{Kind: dataset.TypeTimestamp, Int: v.Int}, nil
		}
	}
	return dataset.Null, fmt.Errorf("cannot CAST %s AS %s", kindName(v.Kind), to)
}

// castType reads a CAST type name by SQLite's affinity rules.
func castType(name string) (to dataset.ColumnType, numeric bool, err error) {
	switch {
	case name == "TIMESTAMP":
		return dataset.TypeTimestamp, false, nil
	case strings.Contains(name, "INT"):
		return dataset.TypeInt64, false, nil
	case strings.Contains(name, "CHAR"), strings.Contains(name, "CLOB"), strings.Contains(name, "TEXT"):
		return dataset.TypeString, false, nil
	case strings.Contains(name, "BLOB"):
		return 0, false, fmt.Errorf("CAST AS %s is not supported (bytes are not converted)", name)
	case strings.Contains(name, "REAL"), strings.Contains(name, "FLOA"), strings.Contains(name, "DOUB"):
		return dataset.TypeFloat64, false, nil
	}
	return 0, true, nil // NUMERIC, DECIMAL, BOOLEAN, …
}

// castExpr is CAST(x AS type).
type castExpr struct {
	x       expr
	to      dataset.ColumnType
	numeric bool
}

func (e *castExpr) eval(c *rowCtx) (dataset.Value, error) {
	v, err := e.x.eval(c)
	if err != nil {
		return dataset.Null, err
	}
	return castTo(v, e.to, e.numeric)
}

// nullifExpr is NULLIF(a, b): a, or NULL when a = b.
type nullifExpr struct {
	a, b    expr
	checked bool
}

func (e *nullifExpr) eval(c *rowCtx) (dataset.Value, error) {
	a, err := e.a.eval(c)
	if err != nil {
		return dataset.Null, err
	}
	b, err := e.b.eval(c)
	if err != nil || a.IsNull() || b.IsNull() {
		return a, err
	}
	n := 0
	if e.checked {
		n = compareValues(a, b)
	} else if n, _, err = compareChecked(a, b); err != nil {
		return dataset.Null, err
	}
	if n == 0 && subMicroTiebreak(e.a, e.b) == 0 {
		return dataset.Null, nil
	}
	return a, nil
}

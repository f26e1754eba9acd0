package query

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/enigma-mpc/enigma/dataset"
)

// Values follow SQLite's semantics where the query language follows
// SQLite: int64, float64, bool (0/1) and timestamp (microseconds) are
// numbers and compare by value across kinds, exactly (an int64 is never
// rounded to a float to compare); strings compare bytewise (SQLite's
// BINARY collation); bytes compare bytewise. Numbers never equal strings or
// bytes: the engine refuses such comparisons rather than guess an affinity
// (statically when it knows the types, at run time when it does not).

// tri is SQL's three-valued logic.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func (t tri) not() tri {
	switch t {
	case triFalse:
		return triTrue
	case triTrue:
		return triFalse
	}
	return triUnknown
}

func triValue(t tri) dataset.Value {
	switch t {
	case triTrue:
		return dataset.Bool(true)
	case triFalse:
		return dataset.Bool(false)
	}
	return dataset.Null
}

func boolTri(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// typeClass groups the stored kinds that compare with each other.
type typeClass uint8

const (
	classNull typeClass = iota
	classNumeric
	classString
	classBytes
)

func classOf(k dataset.ColumnType) typeClass {
	switch k {
	case dataset.TypeInt64, dataset.TypeFloat64, dataset.TypeTimestamp, dataset.TypeBool:
		return classNumeric
	case dataset.TypeString:
		return classString
	case dataset.TypeBytes:
		return classBytes
	}
	return classNull
}

func (c typeClass) String() string {
	return [...]string{"NULL", "number", "string", "bytes"}[c]
}

func isIntKind(k dataset.ColumnType) bool {
	return k == dataset.TypeInt64 || k == dataset.TypeTimestamp || k == dataset.TypeBool
}

// errCompare is a comparison of values of different classes found at run
// time (the static types did not tell).
type errCompare struct{ a, b dataset.Value }

func (e *errCompare) Error() string {
	return fmt.Sprintf("cannot compare %s %s with %s %s; the engine does not convert between numbers, strings and bytes (use CAST)",
		classOf(e.a.Kind), quoteValue(e.a), classOf(e.b.Kind), quoteValue(e.b))
}

func quoteValue(v dataset.Value) string {
	if v.Kind == dataset.TypeString {
		return "'" + string(v.Bytes) + "'"
	}
	return v.String()
}

// compareValues orders two non-NULL values of one class. Numbers compare
// by value across int64, float64, bool and timestamp; NaN sorts after
// every number and equals NaN — the order of the key encoding, so index
// ranges and residual filters agree.
func compareValues(a, b dataset.Value) int {
	switch {
	case a.Kind == dataset.TypeFloat64 && b.Kind == dataset.TypeFloat64:
		return compareFloats(a.Float, b.Float)
	case a.Kind == dataset.TypeFloat64 && isIntKind(b.Kind):
		return -compareIntFloat(b.Int, a.Float)
	case isIntKind(a.Kind) && b.Kind == dataset.TypeFloat64:
		return compareIntFloat(a.Int, b.Float)
	case isIntKind(a.Kind) && isIntKind(b.Kind):
		return cmp.Compare(a.Int, b.Int)
	}
	// Byte cells mostly differ in their first eight bytes (order-preserving
	// ones compared with a range's bounds all but always): compared as one
	// word, they skip bytes.Compare's call.
	if len(a.Bytes) >= 8 && len(b.Bytes) >= 8 {
		if x, y := binary.BigEndian.Uint64(a.Bytes), binary.BigEndian.Uint64(b.Bytes); x != y {
			return cmp.Compare(x, y)
		}
	}
	return bytes.Compare(a.Bytes, b.Bytes)
}

// compareChecked is compareValues for values whose classes the compiler
// could not check; ok is false for NULL.
func compareChecked(a, b dataset.Value) (c int, ok bool, err error) {
	if a.IsNull() || b.IsNull() {
		return 0, false, nil
	}
	if ca, cb := classOf(a.Kind), classOf(b.Kind); ca != cb {
		return 0, false, &errCompare{a, b}
	}
	return compareValues(a, b), true, nil
}

// compareForSort orders any two values as SQLite's ORDER BY does: NULL
// first, then numbers, strings, bytes.
func compareForSort(a, b dataset.Value) int {
	ca, cb := classOf(a.Kind), classOf(b.Kind)
	if ca != cb {
		return cmp.Compare(ca, cb)
	}
	if ca == classNull {
		return 0
	}
	return compareValues(a, b)
}

func compareFloats(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareIntFloat compares exactly, without rounding i to a float.
func compareIntFloat(i int64, f float64) int {
	switch {
	case math.IsNaN(f):
		return -1
	case f >= 0x1p63:
		return -1
	case f < -0x1p63:
		return 1
	}
	t := math.Trunc(f)
	if c := cmp.Compare(i, int64(t)); c != 0 {
		return c
	}
	switch {
	case f > t:
		return -1
	case f < t:
		return 1
	}
	return 0
}

// appendEqKey appends a key that is equal for two values exactly when
// they are equal in SQL (for grouping, DISTINCT, set operations, IN sets
// and hash joins): numbers by value (an integral float keys as the
// integer), strings and bytes by content, NULL as itself.
func appendEqKey(b []byte, v dataset.Value) []byte {
	switch classOf(v.Kind) {
	case classNull:
		return append(b, 0)
	case classNumeric:
		if v.Kind == dataset.TypeFloat64 {
			f := v.Float
			if f == math.Trunc(f) && f >= -0x1p63 && f < 0x1p63 {
				return binary.BigEndian.AppendUint64(append(b, 1), uint64(int64(f)))
			}
			if math.IsNaN(f) {
				f = math.NaN()
			}
			return binary.BigEndian.AppendUint64(append(b, 2), math.Float64bits(f))
		}
		return binary.BigEndian.AppendUint64(append(b, 1), uint64(v.Int))
	case classString:
		b = append(b, 3)
	default:
		b = append(b, 4)
	}
	b = binary.AppendUvarint(b, uint64(len(v.Bytes)))
	return append(b, v.Bytes...)
}

// truth is a value used as a condition: numbers are true when not zero
// (SQLite); NULL is unknown.
func truth(v dataset.Value) (tri, error) {
	switch v.Kind {
	case 0:
		return triUnknown, nil
	case dataset.TypeFloat64:
		return boolTri(v.Float != 0), nil
	case dataset.TypeInt64, dataset.TypeBool, dataset.TypeTimestamp:
		return boolTri(v.Int != 0), nil
	}
	return triUnknown, fmt.Errorf("%s %s used as a condition; compare it with something", classOf(v.Kind), quoteValue(v))
}

// ErrOverflow is returned (wrapped) when integer arithmetic overflows
// int64. SQLite would switch to floating point; the engine refuses rather
// than return an approximate number where an exact one was asked for.
var ErrOverflow = errors.New("integer overflow")

// numericText renders a number as SQLite converts it to text: integers in
// decimal, floats in the shortest form that reads back to the same value,
// with ".0" on integral values and an exponent below 1e-4 or from 1e17 on.
func numericText(v dataset.Value) string {
	switch v.Kind {
	case dataset.TypeFloat64:
		return floatText(v.Float)
	case dataset.TypeTimestamp:
		return v.String()
	}
	return strconv.FormatInt(v.Int, 10)
}

func floatText(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return "NaN"
	case f == 0:
		return "0.0"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	if e < -4 || e >= 17 {
		frac := digits[1:]
		if frac == "" {
			frac = "0"
		}
		es := "+"
		if e < 0 {
			es, e = "-", -e
		}
		return fmt.Sprintf("%s%c.%se%s%02d", sign, digits[0], frac, es, e)
	}
	var out string
	switch {
	case e < 0:
		out = "0." + strings.Repeat("0", -e-1) + digits
	case e+1 >= len(digits):
		out = digits + strings.Repeat("0", e+1-len(digits)) + ".0"
	default:
		out = digits[:e+1] + "." + digits[e+1:]
	}
	return sign + out
}

// textToInt converts text as SQLite's CAST(x AS INTEGER) does: optional
// leading spaces and sign, then the longest run of digits (0 if none),
// saturating at the int64 range.
func textToInt(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\f\v")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var u uint64
	over := false
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if u > (math.MaxUint64-d)/10 {
			over = true
			break
		}
		u = u*10 + d
	}
	switch {
	case neg && (over || u > 1<<63):
		return math.MinInt64
	case neg:
		return -int64(u)
	case over || u > math.MaxInt64:
		return math.MaxInt64
	}
	return int64(u)
}

// textNumberPrefix finds the longest prefix of s (after spaces) that reads
// as a number, as SQLite's text-to-number conversions do. isInt reports a
// prefix without '.' or exponent.
func textNumberPrefix(s string) (num string, isInt bool, rest string) {
	s = strings.TrimLeft(s, " \t\n\r\f\v")
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	isInt = true
	if i < len(s) && s[i] == '.' {
		j := i + 1
		frac := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
			frac++
		}
		if digits+frac > 0 {
			i, digits, isInt = j, digits+frac, false
		}
	}
	if digits == 0 {
		return "", true, s
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i, isInt = k, false
		}
	}
	return s[:i], isInt, s[i:]
}

// textToFloat converts text as SQLite's CAST(x AS REAL) does: the longest
// numeric prefix, 0 if none.
func textToFloat(s string) float64 {
	num, _, _ := textNumberPrefix(s)
	if num == "" {
		return 0
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0
	}
	return f
}

// textToNumeric converts text as CAST(x AS NUMERIC) does: an integer when
// the prefix is an integer in range or a real with an integral value in
// range, a real otherwise.
func textToNumeric(s string) dataset.Value {
	num, isInt, _ := textNumberPrefix(s)
	if num == "" {
		return dataset.Int64(0)
	}
	if isInt {
		if i, err := strconv.ParseInt(num, 10, 64); err == nil {
			return dataset.Int64(i)
		}
	}
	f := textToFloat(num)
	if f == math.Trunc(f) && f >= -0x1p63 && f < 0x1p63 {
		return dataset.Int64(int64(f))
	}
	return dataset.Float64(f)
}

// floatToInt converts as SQLite does: towards zero, saturating.
func floatToInt(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f <= -0x1p63:
		return math.MinInt64
	case f >= 0x1p63:
		return math.MaxInt64
	}
	return int64(f)
}

// Conversions as SQLite makes them, for tools that render results as
// SQLite would (the sqllogictest runner).

// FloatToInt converts towards zero, saturating at the int64 range.
func FloatToInt(f float64) int64 { return floatToInt(f) }

// TextToNumeric reads the longest numeric prefix of s (CAST AS NUMERIC).
func TextToNumeric(s string) dataset.Value { return textToNumeric(s) }

// TextToFloat reads the longest numeric prefix of s as a float (CAST AS
// REAL).
func TextToFloat(s string) float64 { return textToFloat(s) }

// NumericText writes a number as SQLite converts it to text.
func NumericText(v dataset.Value) string { return numericText(v) }

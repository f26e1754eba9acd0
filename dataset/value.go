package dataset

import (
	"bytes"
	"fmt"
	"math"
	"time"
)

// Value is one cell. Kind 0 is SQL NULL. Int carries int64, timestamp
// (microseconds since the Unix epoch, UTC) and bool (0 or 1); Float carries
// float64; Bytes carries string, bytes, and the ciphertext of any encrypted
// column (an encrypted column's cells are always TypeBytes on the wire and in
// storage, whatever its logical type).
type Value struct {
	Kind  ColumnType
	Int   int64
	Float float64
	Bytes []byte
}

// Row is one record, in schema column order.
type Row []Value

// Null is the NULL value.
var Null = Value{}

// Int64 returns an int64 value.
func Int64(v int64) Value { return Value{Kind: TypeInt64, Int: v} }

// Float64 returns a float64 value.
func Float64(v float64) Value { return Value{Kind: TypeFloat64, Float: v} }

// String returns a string value.
func String(v string) Value { return Value{Kind: TypeString, Bytes: []byte(v)} }

// Bytes returns a bytes value.
func Bytes(v []byte) Value { return Value{Kind: TypeBytes, Bytes: v} }

// Bool returns a bool value.
func Bool(v bool) Value {
	if v {
		return Value{Kind: TypeBool, Int: 1}
	}
	return Value{Kind: TypeBool}
}

// Timestamp returns a timestamp value, truncated to microseconds.
func Timestamp(t time.Time) Value { return Value{Kind: TypeTimestamp, Int: t.UnixMicro()} }

// IsNull reports whether v is NULL.
func (v Value) IsNull() bool { return v.Kind == 0 }

// Equal reports whether two values are identical (NULL equals NULL here; SQL
// three-valued logic is the query engine's business).
func (v Value) Equal(o Value) bool {
	if v.Kind != o.Kind {
		return false
	}
	switch v.Kind {
	case TypeFloat64:
		return v.Float == o.Float || (math.IsNaN(v.Float) && math.IsNaN(o.Float))
	case TypeString, TypeBytes:
		return bytes.Equal(v.Bytes, o.Bytes)
	default:
		return v.Int == o.Int
	}
}

// String renders v for people: tables, CSV and error messages.
func (v Value) String() string {
	switch v.Kind {
	case 0:
		return "NULL"
	case TypeInt64:
		return fmt.Sprint(v.Int)
	case TypeFloat64:
		return fmt.Sprint(v.Float)
	case TypeString:
		return string(v.Bytes)
	case TypeBytes:
		return fmt.Sprintf("0x%x", v.Bytes)
	case TypeBool:
		return fmt.Sprint(v.Int != 0)
	case TypeTimestamp:
		return time.UnixMicro(v.Int).UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("<kind %d>", v.Kind)
}

// MaxCellBytes bounds one string or bytes cell.
const MaxCellBytes = 1 << 20

// RowError says which row and column broke the schema.
type RowError struct {
	Row    int
	Column string
	Reason string
}

func (e *RowError) Error() string {
	return fmt.Sprintf("row %d, column %q: %s", e.Row, e.Column, e.Reason)
}

// CheckRow validates a plaintext row (before column encryption) against the
// schema; rowNum is used only in the error.
func (s *Schema) CheckRow(rowNum int, r Row) error {
	return s.checkRow(rowNum, r, false)
}

// OrderPreservingCellBytes is the length of a stored order-preserving cell
// (query/colcrypt: a range point of OrderPreservingPointBytes and a 12-byte
// seal).
const OrderPreservingCellBytes = 24

// OrderPreservingPointBytes is the length of an order-preserving cell's
// range point, its prefix: big-endian, distinct for distinct values, so it
// alone orders and tells apart the cells (the seal after it is a function of
// the value), and a store's keys hold only it.
const OrderPreservingPointBytes = 12

// CheckStoredRow validates a row as it travels and is stored: encrypted
// columns must hold TypeBytes ciphertext, order-preserving ones of
// OrderPreservingCellBytes.
func (s *Schema) CheckStoredRow(rowNum int, r Row) error {
	return s.checkRow(rowNum, r, true)
}

func (s *Schema) checkRow(rowNum int, r Row, encrypted bool) error {
	if len(r) != len(s.Columns) {
		return &RowError{Row: rowNum, Column: "*", Reason: fmt.Sprintf("has %d values, the schema has %d columns", len(r), len(s.Columns))}
	}
	for i, c := range s.Columns {
		v := r[i]
		if v.IsNull() {
			if !c.Nullable {
				return &RowError{Row: rowNum, Column: c.Name, Reason: "is NULL but the column is not nullable"}
			}
			continue
		}
		want := c.Type
		if encrypted && c.Encryption != EncNone {
			want = TypeBytes
		}
		if v.Kind != want {
			return &RowError{Row: rowNum, Column: c.Name, Reason: fmt.Sprintf("has a %s value, want %s", v.Kind, want)}
		}
		if encrypted && c.Encryption == EncOrderPreserving && len(v.Bytes) != OrderPreservingCellBytes {
			return &RowError{Row: rowNum, Column: c.Name, Reason: fmt.Sprintf("is a %d-byte order-preserving cell, want %d (workers before the sealed cells wrote 12: a run of this version rewrites them)", len(v.Bytes), OrderPreservingCellBytes)}
		}
		if (v.Kind == TypeString || v.Kind == TypeBytes) && len(v.Bytes) > MaxCellBytes {
			return &RowError{Row: rowNum, Column: c.Name, Reason: fmt.Sprintf("is %d bytes, the limit is %d", len(v.Bytes), MaxCellBytes)}
		}
		if v.Kind == TypeBool && v.Int != 0 && v.Int != 1 {
			return &RowError{Row: rowNum, Column: c.Name, Reason: "bool value is neither 0 nor 1"}
		}
	}
	return nil
}

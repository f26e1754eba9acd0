package script

import (
	"fmt"
	"math"

	"go.starlark.net/starlark"

	"github.com/enigma-mpc/enigma/dataset"
)

// convertRows turns curate()'s return value into schema-checked rows.
func convertRows(s *dataset.Schema, out starlark.Value, maxRows int) ([]dataset.Row, error) {
	seq, ok := out.(starlark.Indexable)
	if !ok || out.Type() == "string" || out.Type() == "bytes" {
		return nil, &Error{Msg: fmt.Sprintf("curate(ctx) returned a %s; it must return a list of rows (dicts or lists)", out.Type())}
	}
	n := seq.Len()
	if n > maxRows {
		return nil, &LimitError{Limit: LimitRows, Max: fmt.Sprint(maxRows)}
	}
	rows := make([]dataset.Row, 0, n)
	for i := range n {
		rowNum := i + 1
		row, err := convertRow(s, rowNum, seq.Index(i))
		if err != nil {
			return nil, fmt.Errorf("script output: %w", err)
		}
		if err := s.CheckRow(rowNum, row); err != nil {
			return nil, fmt.Errorf("script output: %w", err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func convertRow(s *dataset.Schema, rowNum int, v starlark.Value) (dataset.Row, error) {
	row := make(dataset.Row, len(s.Columns))
	switch v := v.(type) {
	case *starlark.Dict:
		for _, item := range v.Items() {
			name, ok := starlark.AsString(item[0])
			if !ok {
				return nil, &dataset.RowError{Row: rowNum, Column: item[0].String(), Reason: "row dict keys must be column names (strings)"}
			}
			i := s.ColumnIndex(name)
			if i < 0 {
				return nil, &dataset.RowError{Row: rowNum, Column: name, Reason: "is not a column of the schema"}
			}
			cell, err := convertValue(s.Columns[i].Type, item[1])
			if err != nil {
				return nil, &dataset.RowError{Row: rowNum, Column: name, Reason: err.Error()}
			}
			row[i] = cell
		}
	case *starlark.List, starlark.Tuple:
		seq := v.(starlark.Indexable)
		if seq.Len() != len(s.Columns) {
			return nil, &dataset.RowError{Row: rowNum, Column: "*", Reason: fmt.Sprintf("has %d values, the schema has %d columns", seq.Len(), len(s.Columns))}
		}
		for i, c := range s.Columns {
			cell, err := convertValue(c.Type, seq.Index(i))
			if err != nil {
				return nil, &dataset.RowError{Row: rowNum, Column: c.Name, Reason: err.Error()}
			}
			row[i] = cell
		}
	default:
		return nil, &dataset.RowError{Row: rowNum, Column: "*", Reason: fmt.Sprintf("is a %s; a row is a dict of column values or a list in column order", v.Type())}
	}
	return row, nil
}

// convertValue applies the conversion table in the package documentation.
func convertValue(t dataset.ColumnType, v starlark.Value) (dataset.Value, error) {
	if v == starlark.None {
		return dataset.Null, nil
	}
	mismatch := func() (dataset.Value, error) {
		return dataset.Value{}, fmt.Errorf("got a %s (%s) for a %s column", v.Type(), truncate(v.String()), t)
	}
	switch t {
	case dataset.TypeInt64:
		i, ok := v.(starlark.Int)
		if !ok {
			return mismatch()
		}
		n, ok := i.Int64()
		if !ok {
			return dataset.Value{}, fmt.Errorf("integer %s does not fit in int64", truncate(i.String()))
		}
		return dataset.Int64(n), nil
	case dataset.TypeFloat64:
		switch x := v.(type) {
		case starlark.Float:
			return dataset.Float64(float64(x)), nil
		case starlark.Int:
			f := x.Float()
			if math.IsInf(float64(f), 0) {
				return dataset.Value{}, fmt.Errorf("integer %s is too large for float64", truncate(x.String()))
			}
			return dataset.Float64(float64(f)), nil
		}
		return mismatch()
	case dataset.TypeString:
		s, ok := v.(starlark.String)
		if !ok {
			return mismatch()
		}
		return dataset.String(string(s)), nil
	case dataset.TypeBytes:
		switch x := v.(type) {
		case starlark.Bytes:
			return dataset.Bytes([]byte(x)), nil
		case starlark.String:
			return dataset.Bytes([]byte(x)), nil
		}
		return mismatch()
	case dataset.TypeBool:
		b, ok := v.(starlark.Bool)
		if !ok {
			return mismatch()
		}
		return dataset.Bool(bool(b)), nil
	case dataset.TypeTimestamp:
		switch x := v.(type) {
		case starlark.Int:
			us, ok := x.Int64()
			if !ok {
				return dataset.Value{}, fmt.Errorf("timestamp %s does not fit in int64 microseconds", truncate(x.String()))
			}
			return dataset.Value{Kind: dataset.TypeTimestamp, Int: us}, nil
		case starlark.String:
			us, err := parseTimestamp(string(x))
			if err != nil {
				return dataset.Value{}, err
			}
			return dataset.Value{Kind: dataset.TypeTimestamp, Int: us}, nil
		}
		return mismatch()
	}
	return dataset.Value{}, fmt.Errorf("column type %s is not supported", t)
}

func truncate(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

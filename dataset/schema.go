package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// MaxColumns and MaxIndexes bound a schema.
const (
	MaxColumns = 64
	MaxIndexes = 16
)

// ColumnType is a column's value type.
type ColumnType uint8

// Column types. Timestamps are int64 microseconds since the Unix epoch, UTC.
const (
	TypeInt64 ColumnType = iota + 1
	TypeFloat64
	TypeString
	TypeBytes
	TypeBool
	TypeTimestamp
)

var typeNames = map[ColumnType]string{
	TypeInt64: "int64", TypeFloat64: "float64", TypeString: "string",
	TypeBytes: "bytes", TypeBool: "bool", TypeTimestamp: "timestamp",
}

func (t ColumnType) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// ParseColumnType parses a type name as written in schema files.
func ParseColumnType(s string) (ColumnType, error) {
	for t, name := range typeNames {
		if strings.EqualFold(s, name) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown column type %q (use int64, float64, string, bytes, bool or timestamp)", s)
}

// Encryption is how a column is encrypted at the source.
type Encryption uint8

// Column encryption modes.
const (
	// EncNone stores plaintext.
	EncNone Encryption = iota
	// EncDeterministic (AES-SIV) supports equality, IN and GROUP BY.
	EncDeterministic
	// EncOrderPreserving supports ranges and ORDER BY as well.
	EncOrderPreserving
	// EncOrderRevealing (Lewi–Wu left/right ORE, int64, float64 and
	// timestamp) supports comparisons with query constants only: stored cells are
	// randomized and reveal nothing until a query constant meets them, so
	// no index, ORDER BY, grouping or join.
	EncOrderRevealing
)

var encNames = map[Encryption]string{EncNone: "none", EncDeterministic: "det", EncOrderPreserving: "ope", EncOrderRevealing: "ore"}

func (e Encryption) String() string {
	if s, ok := encNames[e]; ok {
		return s
	}
	return fmt.Sprintf("encryption(%d)", uint8(e))
}

// ParseEncryption parses "none", "det"/"deterministic",
// "ope"/"order-preserving" or "ore"/"order-revealing".
func ParseEncryption(s string) (Encryption, error) {
	switch strings.ToLower(s) {
	case "", "none":
		return EncNone, nil
	case "det", "deterministic":
		return EncDeterministic, nil
	case "ope", "order-preserving":
		return EncOrderPreserving, nil
	case "ore", "order-revealing":
		return EncOrderRevealing, nil
	}
	return 0, fmt.Errorf("unknown encryption %q (use none, det, ope or ore)", s)
}

// Column is one typed column.
type Column struct {
	Name       string
	Type       ColumnType
	Encryption Encryption
	Nullable   bool
}

// Index is a secondary index over one or more columns.
type Index struct {
	Name    string
	Columns []string
}

// Schema describes a dataset's table.
type Schema struct {
	Columns    []Column
	PrimaryKey []string
	Indexes    []Index
}

// ColumnIndex returns the position of the named column, or -1.
func (s *Schema) ColumnIndex(name string) int {
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// HasEncryptedColumns reports whether any column is encrypted at the
// source, so rows and queries need the provider's column keys.
func (s *Schema) HasEncryptedColumns() bool {
	for _, c := range s.Columns {
		if c.Encryption != EncNone {
			return true
		}
	}
	return false
}

// Validate checks the invariants listed in the package documentation.
func (s *Schema) Validate() error {
	if len(s.Columns) == 0 {
		return fmt.Errorf("schema has no columns")
	}
	if len(s.Columns) > MaxColumns {
		return fmt.Errorf("schema has %d columns, the limit is %d", len(s.Columns), MaxColumns)
	}
	seen := make(map[string]bool, len(s.Columns))
	for _, c := range s.Columns {
		if err := ValidateIdentifier("column name", c.Name); err != nil {
			return err
		}
		if seen[c.Name] {
			return fmt.Errorf("column %q is defined twice", c.Name)
		}
		seen[c.Name] = true
		if _, ok := typeNames[c.Type]; !ok {
			return fmt.Errorf("column %q has unknown type %d", c.Name, c.Type)
		}
		switch c.Encryption {
		case EncNone, EncDeterministic:
		case EncOrderPreserving:
			if c.Type != TypeInt64 && c.Type != TypeFloat64 && c.Type != TypeTimestamp {
				return fmt.Errorf("column %q: order-preserving encryption needs an int64, float64 or timestamp column, not %s (use det for equality only)", c.Name, c.Type)
			}
		case EncOrderRevealing:
			if c.Type != TypeInt64 && c.Type != TypeFloat64 && c.Type != TypeTimestamp {
				return fmt.Errorf("column %q: order-revealing encryption needs an int64, float64 or timestamp column, not %s (use det for equality only)", c.Name, c.Type)
			}
		default:
			return fmt.Errorf("column %q has unknown encryption %d", c.Name, c.Encryption)
		}
	}
	if len(s.PrimaryKey) == 0 {
		return fmt.Errorf("schema has no primary key")
	}
	if err := s.checkColumnList("primary key", s.PrimaryKey); err != nil {
		return err
	}
	for _, name := range s.PrimaryKey {
		if s.Columns[s.ColumnIndex(name)].Nullable {
			return fmt.Errorf("primary key column %q must not be nullable", name)
		}
	}
	if len(s.Indexes) > MaxIndexes {
		return fmt.Errorf("schema has %d indexes, the limit is %d", len(s.Indexes), MaxIndexes)
	}
	indexNames := make(map[string]bool, len(s.Indexes))
	for _, ix := range s.Indexes {
		if err := ValidateIdentifier("index name", ix.Name); err != nil {
			return err
		}
		if indexNames[ix.Name] {
			return fmt.Errorf("index %q is defined twice", ix.Name)
		}
		indexNames[ix.Name] = true
		if len(ix.Columns) == 0 {
			return fmt.Errorf("index %q has no columns", ix.Name)
		}
		if err := s.checkColumnList("index "+ix.Name, ix.Columns); err != nil {
			return err
		}
	}
	return nil
}

func (s *Schema) checkColumnList(what string, cols []string) error {
	used := make(map[string]bool, len(cols))
	for _, name := range cols {
		if s.ColumnIndex(name) < 0 {
			return fmt.Errorf("%s names unknown column %q", what, name)
		}
		if used[name] {
			return fmt.Errorf("%s names column %q twice", what, name)
		}
		used[name] = true
		if s.Columns[s.ColumnIndex(name)].Encryption == EncOrderRevealing {
			// Its cells are randomized: equal values are stored as
			// different bytes, so no key can find, order or deduplicate
			// them.
			return fmt.Errorf("%s names column %q, which has order-revealing encryption (ore): its stored ciphertexts are randomized and compare only with query constants, so it cannot be part of a key or an index (use ope for an indexed range column)", what, name)
		}
	}
	return nil
}

// The JSON form used by schema files (enigma provider register --schema).
type schemaJSON struct {
	Columns    []columnJSON `json:"columns"`
	PrimaryKey []string     `json:"primary_key"`
	Indexes    []indexJSON  `json:"indexes,omitempty"`
}

type columnJSON struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	Encryption string `json:"encryption,omitempty"`
	Nullable   bool   `json:"nullable,omitempty"`
}

type indexJSON struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
}

// MaxSchemaFileSize bounds a schema file.
const MaxSchemaFileSize = 64 << 10

// ParseSchemaJSON reads and validates a schema file, for example:
//
//	{"columns": [{"name": "day", "type": "timestamp"},
//	             {"name": "asset", "type": "string", "encryption": "det"},
//	             {"name": "close", "type": "float64", "encryption": "ope"}],
//	 "primary_key": ["day", "asset"],
//	 "indexes": [{"name": "by_close", "columns": ["close"]}]}
func ParseSchemaJSON(b []byte) (Schema, error) {
	if len(b) > MaxSchemaFileSize {
		return Schema{}, fmt.Errorf("schema file is %d bytes, the limit is %d", len(b), MaxSchemaFileSize)
	}
	var in schemaJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Schema{}, fmt.Errorf("schema file: %w", err)
	}
	var s Schema
	for _, c := range in.Columns {
		t, err := ParseColumnType(c.Type)
		if err != nil {
			return Schema{}, fmt.Errorf("column %q: %w", c.Name, err)
		}
		e, err := ParseEncryption(c.Encryption)
		if err != nil {
			return Schema{}, fmt.Errorf("column %q: %w", c.Name, err)
		}
		s.Columns = append(s.Columns, Column{Name: c.Name, Type: t, Encryption: e, Nullable: c.Nullable})
	}
	s.PrimaryKey = in.PrimaryKey
	for _, ix := range in.Indexes {
		s.Indexes = append(s.Indexes, Index(ix))
	}
	if err := s.Validate(); err != nil {
		return Schema{}, fmt.Errorf("schema file: %w", err)
	}
	return s, nil
}

// MarshalJSON writes the schema in the schema-file form.
func (s Schema) MarshalJSON() ([]byte, error) {
	var out schemaJSON
	for _, c := range s.Columns {
		col := columnJSON{Name: c.Name, Type: c.Type.String(), Nullable: c.Nullable}
		if c.Encryption != EncNone {
			col.Encryption = c.Encryption.String()
		}
		out.Columns = append(out.Columns, col)
	}
	out.PrimaryKey = s.PrimaryKey
	for _, ix := range s.Indexes {
		out.Indexes = append(out.Indexes, indexJSON(ix))
	}
	return json.Marshal(out)
}

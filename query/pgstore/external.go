package pgstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
)

// External is a provider's own table or view that a persistence node
// serves read-only as a dataset ("bring your own table"). It has a column
// named as each schema column, in the form this package stores it: bigint
// for int64, bool (0/1) and timestamp (µs since the epoch), double
// precision for float64, bytea for string, bytes and any encrypted column —
// a view converts other types (docs/arch/postgres.md).
type External struct {
	Relation pgx.Identifier // [schema,] name
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseExternal reads "name" or "schema.name" (unquoted identifiers).
func ParseExternal(s string) (*External, error) {
	parts := strings.Split(s, ".")
	if len(parts) > 2 {
		return nil, fmt.Errorf("relation %q: write name or schema.name", s)
	}
	for _, p := range parts {
		if !identRE.MatchString(p) {
			return nil, fmt.Errorf("relation %q: %q is not a plain identifier (letters, digits, _)", s, p)
		}
	}
	return &External{Relation: pgx.Identifier(parts)}, nil
}

func (e *External) String() string { return strings.Join(e.Relation, ".") }

// CheckExternal checks that rel has every column of t's schema with the
// type this package reads: a mismatch is reported when the dataset is set
// up, not at a subscriber's query.
func (s *Store) CheckExternal(ctx context.Context, t *query.Table, rel *External) error {
	var cols []string
	for _, c := range t.Schema.Columns {
		cols = append(cols, pgx.Identifier{c.Name}.Sanitize())
	}
	rows, err := s.pool.Query(ctx, fmt.Sprintf("SELECT %s FROM %s LIMIT 0", strings.Join(cols, ", "), rel.Relation.Sanitize()))
	if err != nil {
		return fmt.Errorf("PostgreSQL: the relation %s of dataset %s cannot be read with the schema's columns: %w", rel, t.Path, err)
	}
	defer rows.Close()
	want := map[kind]uint32{kindInt: 20, kindFloat: 701, kindBytes: 17} // int8, float8, bytea
	typeName := map[kind]string{kindInt: "bigint", kindFloat: "double precision", kindBytes: "bytea"}
	for j, fd := range rows.FieldDescriptions() {
		c := t.Schema.Columns[j]
		if k := pgKind(c); fd.DataTypeOID != want[k] {
			return fmt.Errorf("PostgreSQL: column %q of %s is of type OID %d; dataset %s needs %s for a %s column (%s): convert it in a view", c.Name, rel, fd.DataTypeOID, t.Path, typeName[k], c.Type, encName(c))
		}
	}
	return rows.Err()
}

func encName(c dataset.Column) string {
	if c.Encryption == dataset.EncNone {
		return "not encrypted"
	}
	return c.Encryption.String() + " ciphertext"
}

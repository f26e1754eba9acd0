package client

import (
	"fmt"
	"slices"

	"github.com/enigma-mpc/enigma/dataset"
)

// BreakingChanges lists what a new schema changes that existing
// subscribers' queries may depend on: a column dropped or retyped, a
// column's encryption changed (the operators it supports and the keys'
// use change with it), the primary key changed. Added columns and indexes,
// dropped indexes and a column made nullable are not breaking.
func BreakingChanges(old, new *dataset.Schema) []string {
	var out []string
	for _, c := range old.Columns {
		i := new.ColumnIndex(c.Name)
		if i < 0 {
			out = append(out, fmt.Sprintf("column %q is dropped", c.Name))
			continue
		}
		n := new.Columns[i]
		if n.Type != c.Type {
			out = append(out, fmt.Sprintf("column %q changes type from %s to %s", c.Name, c.Type, n.Type))
		}
		if n.Encryption != c.Encryption {
			out = append(out, fmt.Sprintf("column %q changes encryption from %s to %s", c.Name, c.Encryption, n.Encryption))
		}
	}
	if !slices.Equal(old.PrimaryKey, new.PrimaryKey) {
		out = append(out, fmt.Sprintf("the primary key changes from %v to %v", old.PrimaryKey, new.PrimaryKey))
	}
	return out
}

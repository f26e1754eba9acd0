package client

import (
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
)

func TestBreakingChanges(t *testing.T) {
	parse := func(s string) *dataset.Schema {
		t.Helper()
		sc, err := dataset.ParseSchemaJSON([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return &sc
	}
	old := parse(`{"columns": [{"name": "day", "type": "timestamp"}, {"name": "asset", "type": "string", "encryption": "det"},
		{"name": "close", "type": "float64"}], "primary_key": ["day", "asset"]}`)
	for _, tc := range []struct {
		schema string
		want   []string
	}{
		// Added columns and indexes, and a column made nullable, break nothing.
		{`{"columns": [{"name": "day", "type": "timestamp"}, {"name": "asset", "type": "string", "encryption": "det"},
			{"name": "close", "type": "float64", "nullable": true}, {"name": "open", "type": "float64"}],
			"primary_key": ["day", "asset"], "indexes": [{"name": "by_close", "columns": ["close"]}]}`, nil},
		{`{"columns": [{"name": "day", "type": "timestamp"}, {"name": "asset", "type": "string", "encryption": "det"}], "primary_key": ["day", "asset"]}`,
			[]string{`column "close" is dropped`}},
		{`{"columns": [{"name": "day", "type": "timestamp"}, {"name": "asset", "type": "string", "encryption": "det"}, {"name": "close", "type": "int64"}], "primary_key": ["day", "asset"]}`,
			[]string{`column "close" changes type from float64 to int64`}},
		{`{"columns": [{"name": "day", "type": "timestamp"}, {"name": "asset", "type": "string"}, {"name": "close", "type": "float64", "encryption": "ope"}], "primary_key": ["asset", "day"]}`,
			[]string{`column "asset" changes encryption from det to none`, `column "close" changes encryption from none to ope`, "the primary key changes"}},
	} {
		got := BreakingChanges(old, parse(tc.schema))
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %q, want %q", tc.schema, got, tc.want)
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tc.want[i]) {
				t.Errorf("%q, want %q", got[i], tc.want[i])
			}
		}
	}
}

package query

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
)

// TestExplainScripts replays testdata/explain/*.txt: the planner's EXPLAIN
// for each query, so a change in access paths shows as a diff of plans.
// Rewrite the expected output with -rewrite.
//
//	dataset name=N         create a dataset from the JSON schema in the input
//	rows name=N            ingest rows, one per line as SQL literals
//	                       (1, 'BTC', 10.5, NULL), evaluated by the engine
//	explain                the plan of the query in the input
//	query                  the rows the query in the input returns
func TestExplainScripts(t *testing.T) {
	datadriven.Walk(t, "testdata/explain", func(t *testing.T, path string) {
		s := openMem(t)
		tables := map[string]*Table{}
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "dataset":
				var name string
				d.ScanArgs(t, "name", &name)
				schema, err := dataset.ParseSchemaJSON([]byte(d.Input))
				if err != nil {
					d.Fatalf(t, "schema: %v", err)
				}
				tbl, err := s.CreateDataset(dataset.Path{Provider: common.HexToAddress("0xaa"), Name: name}, schema)
				if err != nil {
					return fmt.Sprintf("error: %v\n", err)
				}
				tables[name] = tbl
				return "ok\n"
			case "rows":
				var name string
				d.ScanArgs(t, "name", &name)
				tbl := tables[name]
				if tbl == nil {
					d.Fatalf(t, "no dataset %q", name)
				}
				var rows []dataset.Row
				for i, line := range strings.Split(strings.TrimSpace(d.Input), "\n") {
					lit, err := s.Query(context.Background(), "SELECT "+line, QueryOptions{})
					if err != nil || len(lit.Rows) != 1 {
						d.Fatalf(t, "row %d %q: %v", i+1, line, err)
					}
					rows = append(rows, lit.Rows[0])
				}
				res, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: d.Pos, Rows: rows})
				if err != nil {
					return fmt.Sprintf("error: %v\n", err)
				}
				return fmt.Sprintf("%d rows\n", res.Rows)
			case "explain", "query":
				q := strings.TrimSpace(d.Input)
				if d.Cmd == "explain" {
					q = "EXPLAIN " + q
				}
				res, err := s.Query(context.Background(), q, QueryOptions{})
				if err != nil {
					return fmt.Sprintf("error: %v\n", err)
				}
				var out strings.Builder
				for _, r := range res.Rows {
					vals := make([]string, len(r))
					for i, v := range r {
						vals[i] = v.String()
					}
					out.WriteString(strings.Join(vals, " | ") + "\n")
				}
				return out.String()
			}
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		})
	})
}

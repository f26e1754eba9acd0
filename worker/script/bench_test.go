package script

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/enigma-mpc/enigma/dataset"
)

// BenchmarkRunExampleScript runs the crypto-daily example: read a 240 KB
// CSV, parse 2,920 records, build and check 2,920 rows of 11 columns.
func BenchmarkRunExampleScript(b *testing.B) {
	dir := filepath.Join("..", "..", "examples", "crypto-daily")
	src, err := os.ReadFile(filepath.Join(dir, "curate.star"))
	if err != nil {
		b.Fatal(err)
	}
	sb, err := os.ReadFile(filepath.Join(dir, "schema.json"))
	if err != nil {
		b.Fatal(err)
	}
	schema, err := dataset.ParseSchemaJSON(sb)
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Filename: "curate.star", Source: src, Schema: &schema, ScheduledAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var rows int
	for b.Loop() {
		res, err := Run(context.Background(), Config{Dir: dir}, in)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(res.Rows)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

const loopSource = "def curate(ctx):\n    n = 0\n    for i in range(1000000):\n        n += i\n    return []\n"

// BenchmarkStepOverhead measures the sandbox's cost per Starlark step,
// heap checks included; BenchmarkStepBaseline is the bare interpreter.
func BenchmarkStepOverhead(b *testing.B) {
	src := []byte(loopSource)
	schema := dataset.Schema{Columns: []dataset.Column{{Name: "a", Type: dataset.TypeInt64}}, PrimaryKey: []string{"a"}}
	var steps uint64
	for b.Loop() {
		res, err := Run(context.Background(), Config{}, Input{Filename: "loop.star", Source: src, Schema: &schema})
		if err != nil {
			b.Fatal(err)
		}
		steps = res.Steps
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/float64(steps), "ns/step")
}

func BenchmarkStepBaseline(b *testing.B) {
	var steps uint64
	for b.Loop() {
		thread := &starlark.Thread{}
		globals, err := starlark.ExecFileOptions(&syntax.FileOptions{}, thread, "loop.star", loopSource, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := starlark.Call(thread, globals["curate"], starlark.Tuple{starlark.None}, nil); err != nil {
			b.Fatal(err)
		}
		steps = thread.ExecutionSteps()
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/float64(steps), "ns/step")
}

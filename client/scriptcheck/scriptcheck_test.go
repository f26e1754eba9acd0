package scriptcheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/ledger"
)

func listing(src string) *ledger.Metadata {
	return &ledger.Metadata{
		Name: "prices", Script: []byte(src), Schedule: "@daily",
		Schema: dataset.Schema{Columns: []dataset.Column{{Name: "asset", Type: dataset.TypeString}, {Name: "close", Type: dataset.TypeFloat64}}, PrimaryKey: []string{"asset"}},
	}
}

const readsPrices = `
def curate(ctx):
    return [{"asset": r["symbol"], "close": float(r["close"])} for r in csv.parse(files.read("prices.csv"))]
`

func TestCompileFindsWhatAWorkerWouldRefuse(t *testing.T) {
	if err := (Starlark{}).Compile(listing(readsPrices)); err != nil {
		t.Fatalf("a good script: %v", err)
	}
	err := (Starlark{}).Compile(listing("def curate(ctx)\n    return []\n"))
	if err == nil || !strings.Contains(err.Error(), "prices.star:2:1") {
		t.Fatalf("a syntax error: %v, want it placed in prices.star", err)
	}
}

func TestRunCuratesTheStagedFilesAsAWorkerWould(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "prices.csv"), []byte("symbol,close\nBTC,61000.5\nETH,3000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := (Starlark{}).Run(context.Background(), listing(readsPrices), client.PreflightOptions{CheckRun: true, CheckRunDir: dir})
	if c.Err != nil || c.Warn || !strings.HasPrefix(c.Detail, "2 rows for slot ") {
		t.Fatalf("check run: %+v, want 2 rows", c)
	}
	c = (Starlark{}).Run(context.Background(), listing(readsPrices), client.PreflightOptions{CheckRun: true})
	if c.Err == nil || !strings.Contains(c.Err.Error(), "no input files") {
		t.Fatalf("check run without the files: %+v, want the script's failure", c)
	}
}

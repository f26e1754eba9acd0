package cryptodaily

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker/script"
)

var update = flag.Bool("update", false, "rewrite market.csv from the generator")

// genSeed fixes market.csv; change it only together with the file.
const genSeed = 20250101

type asset struct {
	symbol     string
	start      float64 // first open, USD
	drift, vol float64 // daily log-return mean and deviation
	volumeUSD  float64 // typical daily volume
	tradeSize  float64 // typical trade, USD
	supply     float64 // circulating supply, for the market cap
	stablecoin bool
}

var assets = []asset{
	{"ADA", 0.85, 0.0002, 0.045, 6.0e8, 900, 3.5e10, false},
	{"BTC", 93500, 0.0012, 0.028, 3.2e10, 4200, 1.98e7, false},
	{"DOGE", 0.32, 0.0001, 0.055, 1.4e9, 650, 1.47e11, false},
	{"DOT", 6.9, -0.0004, 0.048, 2.9e8, 800, 1.5e9, false},
	{"ETH", 3350, 0.0004, 0.036, 1.6e10, 2600, 1.2e8, false},
	{"SOL", 190, 0.0008, 0.047, 3.5e9, 1500, 4.8e8, false},
	{"USDC", 1.0, 0, 0.0004, 7.5e9, 5000, 4.4e10, true},
	{"XRP", 2.1, 0.0006, 0.050, 2.6e9, 1100, 5.7e10, false},
}

// uniform draws from [0, 1) using only Uint64, whose stream math/rand/v2
// keeps stable, so the file does not change with the Go version.
func uniform(r *randsrc.Rand) float64 { return float64(r.Uint64()>>11) / (1 << 53) }

func normal(r *randsrc.Rand) float64 {
	u1 := uniform(r)
	for u1 == 0 {
		u1 = uniform(r)
	}
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*uniform(r))
}

func price(p float64) string {
	switch {
	case p >= 1000:
		return fmt.Sprintf("%.2f", p)
	case p >= 1:
		return fmt.Sprintf("%.4f", p)
	}
	return fmt.Sprintf("%.6f", p)
}

// generate returns market.csv: 2025-01-01 to 2025-12-31, one row per asset
// and day, ordered by date then symbol. About 3% of market caps are missing
// (a data gap the script turns into NULL).
func generate() []byte {
	var out bytes.Buffer
	out.WriteString("date,symbol,open,high,low,close,volume_usd,trades,market_cap_usd\n")
	rngs := make([]*randsrc.Rand, len(assets))
	last := make([]float64, len(assets))
	for i, a := range assets {
		rngs[i] = randsrc.Derive(genSeed, a.symbol)
		last[i] = a.start
	}
	first := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := first; d.Year() == 2025; d = d.AddDate(0, 0, 1) {
		for i, a := range assets {
			r := rngs[i]
			open := last[i]
			ret := a.drift + a.vol*normal(r)
			closeP := open * math.Exp(ret)
			if a.stablecoin {
				closeP = 1 + 0.0004*normal(r)
			}
			high := max(open, closeP) * (1 + math.Abs(normal(r))*a.vol/2)
			low := min(open, closeP) * (1 - math.Abs(normal(r))*a.vol/2)
			volume := a.volumeUSD * math.Exp(0.3*normal(r)) * (1 + 5*math.Abs(ret))
			trades := int64(volume / a.tradeSize * (0.9 + 0.2*uniform(r)))
			capText := fmt.Sprintf("%.0f", closeP*a.supply)
			if uniform(r) < 0.03 {
				capText = ""
			}
			// Round before storing so the next open equals this close as printed.
			closeText := price(closeP)
			fmt.Sscan(closeText, &last[i])
			fmt.Fprintf(&out, "%s,%s,%s,%s,%s,%s,%.2f,%d,%s\n", d.Format(time.DateOnly), a.symbol,
				price(open), price(high), price(low), closeText, volume, trades, capText)
		}
	}
	return out.Bytes()
}

func TestMarketCSVIsGenerated(t *testing.T) {
	want := generate()
	if *update {
		if err := os.WriteFile("market.csv", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("market.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("market.csv differs from the generator; run go test ./examples/crypto-daily -update and commit the file")
	}
	if lines := bytes.Count(got, []byte("\n")); lines != 1+365*len(assets) {
		t.Fatalf("market.csv has %d lines", lines)
	}
}

func loadSchema(t *testing.T) *dataset.Schema {
	t.Helper()
	b, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := dataset.ParseSchemaJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	return &s
}

func curate(t *testing.T, slot time.Time) []dataset.Row {
	t.Helper()
	src, err := os.ReadFile("curate.star")
	if err != nil {
		t.Fatal(err)
	}
	res, err := script.Run(context.Background(), script.Config{Dir: "."}, script.Input{
		Filename: "curate.star", Source: src, Schema: loadSchema(t),
		Dataset: "0x00000000000000000000000000000000000000aa/crypto-daily", Version: 1, ScheduledAt: slot,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Rows
}

func TestCurateScriptTurnsTheCSVIntoValidRows(t *testing.T) {
	all := curate(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(all) != 365*len(assets) {
		t.Fatalf("a slot after the year gives %d rows, want %d", len(all), 365*len(assets))
	}
	march := curate(t, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	if len(march) != (31+28+1)*len(assets) {
		t.Fatalf("the 2025-03-01 slot gives %d rows, want the days up to it", len(march))
	}

	s := loadSchema(t)
	col := func(name string) int { return s.ColumnIndex(name) }
	lines := strings.Split(strings.TrimSpace(string(generate())), "\n")
	nulls := 0
	for i, r := range all {
		fields := strings.Split(lines[i+1], ",")
		if r[col("asset")].String() != fields[1] || r[col("close")].String() != fmt.Sprint(parseFloat(t, fields[5])) {
			t.Fatalf("row %d = %v, from line %q", i+1, r, lines[i+1])
		}
		open, closeP := r[col("open")].Float, r[col("close")].Float
		if want := (closeP - open) / open * 100; math.Abs(r[col("change_pct")].Float-want) > 0.00006 {
			t.Fatalf("row %d change_pct %v, want %.4f", i+1, r[col("change_pct")].Float, want)
		}
		if r[col("low")].Float > min(open, closeP) || r[col("high")].Float < max(open, closeP) {
			t.Fatalf("row %d: low/high do not bracket open/close: %v", i+1, r)
		}
		if r[col("market_cap_usd")].IsNull() {
			nulls++
		}
		if (r[col("stablecoin")].Int == 1) != (fields[1] == "USDC") {
			t.Fatalf("row %d stablecoin flag wrong", i+1)
		}
	}
	if nulls == 0 || nulls > len(all)/10 {
		t.Errorf("%d NULL market caps, want a few", nulls)
	}

	// Every row encrypts: OPE accepts every close and volume.
	keys, err := colcrypt.GenerateKeys(bytes.NewReader(bytes.Repeat([]byte{1}, 128)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := colcrypt.New(keys, common.HexToHash("0x01"))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range all[:200] {
		enc, err := c.EncryptRow(s, i+1, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CheckStoredRow(i+1, enc); err != nil {
			t.Fatal(err)
		}
	}
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

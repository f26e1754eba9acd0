package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
)

// devChainCLI is a dev chain served over HTTP, a keystore with its funded
// accounts (password "pw") and the environment that points the CLI at both.
type devChainCLI struct {
	dc    *chain.DevChain
	env   []string
	accts []string // hex addresses; 0 deployed the contracts
}

func startDevChainCLI(t *testing.T) *devChainCLI {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{HTTPAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Close() })
	dir := t.TempDir()
	ks, err := identity.OpenKeystore(filepath.Join(dir, "keystore"), identity.LightKDF)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := dc.ImportKeys(ks, "pw")
	if err != nil {
		t.Fatal(err)
	}
	d := &devChainCLI{dc: dc, env: []string{"ENIGMA_DATADIR=" + dir, "ENIGMA_PASSWORD=pw", "ENIGMA_CHAIN_RPC=" + dc.URL(),
		"ENIGMA_MARKET_ADDRESS=" + dc.Deployment.Market.Hex()}}
	for _, a := range accts {
		d.accts = append(d.accts, a.Hex())
	}
	return d
}

// run runs the CLI and fails the test unless it exits with wantCode.
func (d *devChainCLI) run(t *testing.T, wantCode int, args ...string) (stdout, stderr string) {
	t.Helper()
	out, errOut, code := runEnigma(t, d.env, args...)
	if code != wantCode {
		t.Fatalf("enigma %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, wantCode, out, errOut)
	}
	return out, errOut
}

func decodeJSON[T any](t *testing.T, what, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: not JSON of the documented shape: %v\n%s", what, err, s)
	}
	return v
}

// TestDataCommandsPrintJSONAndCSV runs the commands that print data with
// --format json and csv and decodes what they print: stable field names,
// amounts as decimal ENG strings with base units beside them, events
// without Go struct dumps.
func TestDataCommandsPrintJSONAndCSV(t *testing.T) {
	d := startDevChainCLI(t)
	prov, sub := d.accts[1], d.accts[2]
	path := prov + "/weather"
	d.run(t, 0, "provider", "register", "--yes", "--account", prov, "--price", "10.5", "--deposit", "150",
		"--metadata-hash", "0x"+strings.Repeat("ab", 32), "--trial", "24h", "weather")
	d.run(t, 0, "subscriber", "subscribe", "--yes", "--account", sub, "--periods", "2", path)
	ten5 := chain.ENG(21)
	ten5.Rsh(ten5, 1) // 10.5 ENG in base units

	out, _ := d.run(t, 0, "market", "list", "--format", "json")
	list := decodeJSON[[]datasetOut](t, "market list", out)
	if len(list) != 1 {
		t.Fatalf("market list: %d datasets, want 1", len(list))
	}
	got := list[0]
	if got.Dataset != path || !got.Active || got.ActiveSubscribers != 1 || got.TrialSeconds != 86400 ||
		got.PricePerPeriod != (amount{ENG: "10.5", BaseUnits: ten5.String()}) || got.Deposit.ENG != "150" || got.TotalPaid.ENG != "21" ||
		len(got.Payouts) != 1 || got.Payouts[0].Account != prov || got.Payouts[0].Bps != 10000 || got.RegisteredAt == "" {
		t.Errorf("market list --format json: %+v", got)
	}
	// The field names are the documented ones.
	raw := decodeJSON[[]map[string]any](t, "market list", out)
	for _, k := range []string{"dataset", "id", "provider", "name", "active", "price_per_period", "deposit", "active_subscribers", "total_paid", "payouts"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("market list --format json lacks %q: %v", k, raw[0])
		}
	}

	out, _ = d.run(t, 0, "market", "top", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("market top --format csv: %v\n%s", err, out)
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		col[h] = rows[1][i]
	}
	if col["rank"] != "1" || col["dataset"] != path || col["price_per_period_eng"] != "10.5" || col["price_per_period_base_units"] != ten5.String() {
		t.Errorf("market top --format csv: %v", col)
	}

	out, _ = d.run(t, 0, "market", "show", "--format", "json", path)
	if show := decodeJSON[datasetOut](t, "market show", out); show.ID != got.ID || show.MetadataHash != "0x"+strings.Repeat("ab", 32) {
		t.Errorf("market show --format json: %+v", show)
	}

	out, _ = d.run(t, 0, "market", "events", "--format", "json")
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		ev := decodeJSON[struct {
			Block uint64                     `json:"block"`
			Event string                     `json:"event"`
			Args  map[string]json.RawMessage `json:"args"`
		}](t, "market events line", line)
		names = append(names, ev.Event)
		if ev.Event == "DatasetRegistered" {
			if p := decodeJSON[amount](t, "DatasetRegistered price", string(ev.Args["price"])); p.ENG != "10.5" || p.BaseUnits != ten5.String() {
				t.Errorf("DatasetRegistered price %+v", p)
			}
			if id := decodeJSON[string](t, "DatasetRegistered id", string(ev.Args["id"])); id != got.ID {
				t.Errorf("DatasetRegistered id %q, want %q", id, got.ID)
			}
		}
	}
	if !strings.Contains(strings.Join(names, ","), "DatasetRegistered") || !strings.Contains(strings.Join(names, ","), "Subscribed") {
		t.Errorf("market events: %v", names)
	}
	out, _ = d.run(t, 0, "market", "events")
	if strings.Contains(out, "Id:[") || strings.Contains(out, "{") || !strings.Contains(out, "price=10.5 ENG") || !strings.Contains(out, "id="+got.ID) {
		t.Errorf("market events as a table shows Go values, not words:\n%s", out)
	}

	out, _ = d.run(t, 0, "account", "balance", "--format", "json", sub)
	bal := decodeJSON[balanceOut](t, "account balance", out)
	if bal.Account != sub || bal.ENG.ENG == "" || bal.ETH.Wei == "" || bal.Allowance.BaseUnits == "" {
		t.Errorf("account balance --format json: %+v", bal)
	}

	out, _ = d.run(t, 0, "subscriber", "status", "--format", "json", "--user", sub, path)
	if st := decodeJSON[subscriptionOut](t, "subscriber status", out); !st.Access || !st.Subscribed || st.TrialUsed || st.SubscriptionEnds == "" {
		t.Errorf("subscriber status --format json: %+v", st)
	}

	out, _ = d.run(t, 0, "provider", "earnings", "--format", "json", "--account", prov, "weather")
	if e := decodeJSON[earningsOut](t, "provider earnings", out); e.Dataset != path || e.TotalPaid.ENG != "21" || len(e.Payouts) != 1 ||
		e.Payouts[0].Account != prov || e.Payouts[0].EarnedHere.ENG != "21" || e.Payouts[0].ETH.Wei == "" {
		t.Errorf("provider earnings --format json: %+v", e)
	}
	out, _ = d.run(t, 0, "provider", "earnings", "--format", "csv", "--account", prov, "weather")
	if !strings.HasPrefix(out, "account,bps,earned_here_eng,earned_here_base_units,waiting_eng,waiting_base_units,eth_eth,eth_wei\n") {
		t.Errorf("provider earnings --format csv:\n%s", out)
	}

	// provider status through an overlay that holds no certified record:
	// the chain's view, and why no record resolves.
	overlayDir := t.TempDir()
	overlayEnv := append([]string{"ENIGMA_DATADIR=" + overlayDir}, fastPuzzle...)
	if _, errOut, code := runEnigma(t, overlayEnv, "node", "key", "new"); code != 0 {
		t.Fatalf("node key new: %s", errOut)
	}
	peer := startNodeProcess(t, overlayEnv, overlayDir, "--role", "overlay", "--listen", "127.0.0.1:0", "--metrics.addr", "").peer
	status := func(format string) string {
		out, errOut, code := runEnigma(t, append(append(d.env, fastPuzzle...), "ENIGMA_BOOTSTRAP="+peer), "provider", "status", "--format", format, "--account", prov, "weather")
		if code != 0 {
			t.Fatalf("provider status --format %s: exit %d\n%s", format, code, errOut)
		}
		return out
	}
	out = status("json")
	if ps := decodeJSON[providerStatusOut](t, "provider status", out); ps.Dataset != path || ps.Chain == nil || ps.Chain.PricePerPeriod.ENG != "10.5" ||
		ps.Chain.ActiveSubscribers != 1 || ps.Ledger != nil || ps.LedgerError == "" || ps.Workers == nil || ps.Persistence == nil {
		t.Errorf("provider status --format json: %+v", ps)
	}
	out = status("csv")
	if out != "dataset,role,node_id,answered,error,version,state,rows,slot\n" {
		t.Errorf("provider status --format csv of a dataset no node serves:\n%s", out)
	}

	if _, errOut := d.run(t, 1, "market", "list", "--format", "xml"); !strings.Contains(errOut, "use table, json or csv") {
		t.Errorf("--format xml: %s", errOut)
	}
}

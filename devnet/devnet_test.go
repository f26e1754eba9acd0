package devnet

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/client"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker"
)

// testPuzzle keeps identity generation cheap in tests.
var testPuzzle = kademlia.Puzzle{Static: 4, Dynamic: 4}

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", "crypto-daily", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMarketplaceEndToEnd runs the whole story on an in-process devnet over
// real QUIC and the embedded chain: a provider registers the example dataset
// with encrypted columns, the validators certify it, the worker curates and
// pushes the rows, a subscriber pays and queries on encrypted columns, and a
// stranger is denied.
func TestMarketplaceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end devnet test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	d, err := Start(ctx, Config{
		Dir: t.TempDir(), Validators: 4, Workers: 1, Persistence: 2, Plain: 1, Puzzle: testPuzzle,
		Worker:        worker.Config{Retry: worker.RetryPolicy{InitialBackoff: 200 * time.Millisecond, MaxBackoff: time.Second}},
		ProbeInterval: 300 * time.Millisecond, ProbeFailures: 3,
		Metrics: true, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := d.Stop(); err != nil {
			t.Errorf("stop devnet: %v", err)
		}
	}()
	// Every metric family any node exposed over HTTP during the story.
	exposed := map[string]bool{}

	connect := func() *client.Session {
		s, err := client.Connect(ctx, client.Config{
			RPC: d.Info.RPC, Market: d.Info.Market, Bootstrap: []overlay.Peer{d.Bootstrap()}, Puzzle: testPuzzle, Logger: log,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	provider, subscriber, stranger := d.Chain.Keys[1], d.Chain.Keys[2], d.Chain.Keys[3]

	schema, err := dataset.ParseSchemaJSON(readExample(t, "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var workers, persisters []identity.NodeID
	for _, m := range d.Nodes {
		switch {
		case m.Worker != nil:
			workers = append(workers, m.Key.ID())
		case m.Persistence != nil:
			persisters = append(persisters, m.Key.ID())
		}
	}
	path := dataset.Path{Provider: chain.Address(provider), Name: "crypto_daily"}
	if err := d.StageFeed(path.ID(), map[string][]byte{"market.csv": readExample(t, "market.csv")}); err != nil {
		t.Fatal(err)
	}

	ps := connect()
	start := time.Now()
	rec, err := ps.Register(ctx, provider, client.Listing{
		Metadata: ledger.Metadata{
			Name: path.Name, Schema: schema, Script: readExample(t, "curate.star"), Schedule: "@daily",
			Workers: workers, Persistence: persisters,
		},
		Price: chain.ENG(10), Deposit: chain.ENG(100),
		Payouts: []chain.Payout{{Account: chain.Address(provider), Bps: 10_000}},
		Keys:    keys,
	})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	t.Logf("registration certified and resolvable after %v (version %d, seq %d)", time.Since(start), rec.Signed.Metadata.Version, rec.UpdatedSeq)

	// The worker runs the new job at once; wait until both persistence
	// nodes hold the rows.
	for _, m := range d.Nodes {
		if m.Persistence == nil {
			continue
		}
		deadline := time.Now().Add(2 * time.Minute)
		for {
			table, err := m.Persistence.Store().Table(path.ID())
			if err == nil {
				res, qerr := m.Persistence.Store().Query(ctx, "SELECT COUNT(*) FROM "+path.Name, query.QueryOptions{})
				if qerr == nil && len(res.Rows) == 1 && res.Rows[0][0].Int > 0 {
					t.Logf("persistence node %s holds %d rows of %s", m.Key.ID().Short(), res.Rows[0][0].Int, table.Path)
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("persistence node %s never received rows: %v", m.Key.ID().Short(), err)
			}
			select {
			case <-ctx.Done():
				t.Fatal(ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}

	ss := connect()
	cost, err := ss.Chain.SubscriptionCost(ctx, path.ID(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Chain.EnsureAllowance(ctx, subscriber, cost); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Chain.Subscribe(ctx, subscriber, path.ID(), 1); err != nil {
		t.Fatal(err)
	}
	res, err := ss.Query(ctx, subscriber, path, "SELECT day, asset, close FROM crypto_daily WHERE asset = 'BTC' AND close > 90000 ORDER BY day LIMIT 5", keys)
	if err != nil {
		t.Fatalf("subscriber query: %v", err)
	}
	if len(res.Rows) == 0 {
		t.Fatal("subscriber query returned no rows")
	}
	for _, row := range res.Rows {
		if row[1].String() != "BTC" || row[2].Float <= 90000 {
			t.Fatalf("row %v does not match the predicate after decryption", row)
		}
	}

	_, err = connect().Query(ctx, stranger, path, "SELECT COUNT(*) FROM crypto_daily", nil)
	var denied *access.DeniedError
	if !errors.As(err, &denied) || denied.Reason != access.ReasonNoAccess {
		t.Fatalf("stranger's query: got %v, want a no-access denial", err)
	}
	// What the nodes' /metrics, scraped over HTTP, show so far: queries
	// answered with their rows, the denial, the registration executed by
	// the validators.
	checkCounters(t, d.Nodes, exposed, []counterWant{
		{"enigma_query_answered_total", ""},
		{"enigma_query_result_rows", ""},
		{"enigma_query_refused_total", "no_access"},
		{"enigma_pbft_requests_executed_total", ""},
		{"enigma_worker_runs_total", ""},
	})
	// Each node's /readyz says, per role, that it is ready and how far it
	// got.
	checkReadiness(t, d.Nodes)

	// A persistence node goes down: the other serves the query.
	first := -1
	for i, m := range d.Nodes {
		if m.Persistence != nil && m.Key.ID() == res.Node {
			first = i
		}
	}
	if err := d.StopMember(first); err != nil {
		t.Fatal(err)
	}
	again, err := connect().Query(ctx, subscriber, path, "SELECT COUNT(*) FROM crypto_daily", keys)
	if err != nil {
		t.Fatalf("query with one persistence node down: %v", err)
	}
	if again.Node == res.Node || again.Rows[0][0].Int != 2920 {
		t.Fatalf("query with node %s down answered by %s with %v", res.Node.Short(), again.Node.Short(), again.Rows)
	}

	// A validator stops; registrations go on with the other three; its
	// ledger is compacted; it comes back from its data directory and
	// catches up to the same ledger root.
	const lagging = 3
	if err := d.StopMember(lagging); err != nil {
		t.Fatal(err)
	}
	listing := func(name string) client.Listing {
		return client.Listing{
			Metadata: ledger.Metadata{Name: name, Schema: schema, Script: readExample(t, "curate.star"), Schedule: "@daily", Workers: workers, Persistence: persisters},
			Price:    chain.ENG(1), Deposit: chain.ENG(100),
			Payouts: []chain.Payout{{Account: chain.Address(provider), Bps: 10_000}}, Keys: keys,
		}
	}
	if _, err := ps.Register(ctx, provider, listing("while_down")); err != nil {
		t.Fatalf("register with a validator down: %v", err)
	}
	// While it is down its operator compacts its ledger.
	if _, err := ledgerdb.Compact(ledgerdb.Dir(d.Nodes[lagging].Datadir), ledger.Config{}, 256); err != nil {
		t.Fatalf("compact the stopped validator's ledger: %v", err)
	}
	if err := d.RestartMember(ctx, lagging); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Register(ctx, provider, listing("after_restart")); err != nil {
		t.Fatalf("register after the restart: %v", err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		want, got := d.Nodes[0].Ledger.Root(), d.Nodes[lagging].Ledger.Root()
		if want == got && d.Nodes[lagging].Ledger.Seq() == d.Nodes[0].Ledger.Seq() {
			t.Logf("restarted validator caught up: seq %d, root %s", d.Nodes[0].Ledger.Seq(), want.Hex())
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("restarted validator stuck at seq %d root %s; validator 0 at seq %d root %s",
				d.Nodes[lagging].Ledger.Seq(), got.Hex(), d.Nodes[0].Ledger.Seq(), want.Hex())
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The last persistence node goes down: the validators attest the
	// dataset offline through the ledger and slash its deposit on chain.
	before, err := ps.Chain.Dataset(ctx, path.ID(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range d.Nodes {
		if m.Running != nil && m.Persistence != nil {
			if err := d.StopMember(i); err != nil {
				t.Fatal(err)
			}
		}
	}
	deadline = time.Now().Add(time.Minute)
	for {
		rank, err := ps.Chain.Rank(ctx, path.ID())
		if err == nil && rank.SlashCount > 0 {
			after, err := ps.Chain.Dataset(ctx, path.ID(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if after.Deposit.Cmp(before.Deposit) >= 0 {
				t.Fatalf("slashed, but the deposit went from %s to %s", before.Deposit, after.Deposit)
			}
			t.Logf("offline provider slashed on chain: deposit %s → %s", before.Deposit, after.Deposit)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the offline dataset was not slashed within a minute (last error %v)", err)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// Offence records live in the ledger, not the DHT: publishing goes on
	// after them, so a new listing still resolves.
	if _, err := ps.Register(ctx, provider, listing("after_slash")); err != nil {
		t.Fatalf("register after an offence record: %v", err)
	}

	// And the police's: rounds, datasets missed, the attestations and the
	// slash.
	checkCounters(t, d.Nodes, exposed, []counterWant{
		{"enigma_police_rounds_total", ""},
		{"enigma_police_datasets_probed_total", "missed"},
		{"enigma_police_attestations_total", "submitted"},
		{"enigma_police_slashes_total", "sent"},
	})
	// Every metric the Grafana dashboard plots and the alert rules watch
	// was on some node's /metrics.
	for _, name := range monitoredMetrics(t) {
		if strings.HasPrefix(name, "enigma_renew_") {
			continue // served by 'subscriber renew --auto', scraped by cmd/enigma's TestAutoRenewServesItsProgress
		}
		if !exposed[name] {
			t.Errorf("the dashboard or an alert rule uses %s, which no node's /metrics showed", name)
		}
	}
}

// counterWant names a counter (or histogram) that must have moved: the
// unlabelled sample, or those with a label whose value is label.
type counterWant struct{ name, label string }

// checkCounters scrapes every running member's /metrics over HTTP, adds
// the families it finds to exposed, and fails the test for each counter
// that moved on no member.
func checkCounters(t *testing.T, members []*Member, exposed map[string]bool, wants []counterWant) {
	t.Helper()
	sums := map[counterWant]float64{}
	for _, m := range members {
		if m.MetricsURL() == "" {
			continue // stopped
		}
		families := scrape(t, m.MetricsURL()+"/metrics")
		for name := range families {
			exposed[name] = true
		}
		for _, c := range wants {
			f := families[c.name]
			if f == nil {
				continue
			}
			for _, s := range f.GetMetric() {
				match := c.label == ""
				for _, l := range s.GetLabel() {
					match = match || l.GetValue() == c.label
				}
				if match {
					sums[c] += s.GetCounter().GetValue() + float64(s.GetHistogram().GetSampleCount())
				}
			}
		}
	}
	for _, c := range wants {
		if sums[c] == 0 {
			t.Errorf("%s{%s} did not move on any node", c.name, c.label)
		}
	}
}

// scrape reads a Prometheus text exposition over HTTP and parses it.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: %s", url, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s is not in the Prometheus text format: %v", url, err)
	}
	return families
}

// checkReadiness reads every running member's /readyz: 200, ready, and an
// entry for each of its roles that is ready and says how far it got.
func checkReadiness(t *testing.T, members []*Member) {
	t.Helper()
	for i, m := range members {
		if m.MetricsURL() == "" {
			continue
		}
		resp, err := http.Get(m.MetricsURL() + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var r node.Readiness
		err = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("node %d's /readyz is not JSON: %v", i, err)
		}
		if resp.StatusCode != http.StatusOK || !r.Ready {
			t.Errorf("node %d (%v) not ready: %d %+v", i, m.Roles, resp.StatusCode, r)
			continue
		}
		want := []string{"overlay", "chain"}
		for _, role := range m.Roles {
			if role != nodeinfo.RoleOverlay {
				want = append(want, string(role))
			}
		}
		for _, role := range want {
			got, ok := r.Roles[role]
			if !ok || !got.Ready || got.Detail == "" || len(got.Progress) == 0 {
				t.Errorf("node %d's /readyz entry for %s: %+v (present %v)", i, role, got, ok)
			}
		}
		if v, ok := r.Roles["validator"]; ok && v.Progress["executed_seq"] == 0 {
			t.Errorf("node %d: a validator that executed the registration reports executed seq 0: %+v", i, v)
		}
	}
}

// monitoredMetrics are the metric families the Grafana dashboard plots and
// the alert rules of docs/OPERATIONS.md watch (a histogram by its name).
func monitoredMetrics(t *testing.T) []string {
	t.Helper()
	var exprs []string
	dash, err := os.ReadFile(filepath.Join("..", "deploy", "grafana", "enigma-node.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Targets []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(dash, &d); err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	guide, err := os.ReadFile(filepath.Join("..", "docs", "OPERATIONS.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(guide), "\n") {
		if expr, ok := strings.CutPrefix(strings.TrimSpace(line), "expr:"); ok {
			exprs = append(exprs, expr)
		}
	}
	names := regexp.MustCompile(`\b(?:enigma|overlay)_[a-z_]+`)
	seen := map[string]bool{}
	var out []string
	for _, e := range exprs {
		for _, n := range names.FindAllString(e, -1) {
			n = strings.TrimSuffix(n, "_bucket")
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	if len(out) < 15 {
		t.Fatalf("only %d metrics found in the dashboard and alert rules", len(out))
	}
	return out
}

// TestEquivocatingPrimary runs the provider's and subscriber's flow with
// the primary of view 0 Byzantine: it sends half of the backups a
// conflicting batch for every sequence number. Registrations still
// complete, and the honest validators end with one ledger root.
func TestEquivocatingPrimary(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end devnet test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := Start(ctx, Config{
		Dir: t.TempDir(), Validators: 4, Workers: 1, Persistence: 1, Plain: 0, Puzzle: testPuzzle,
		EquivocatingPrimary: true, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Stop()
	s, err := client.Connect(ctx, client.Config{RPC: d.Info.RPC, Market: d.Info.Market, Bootstrap: []overlay.Peer{d.Bootstrap()}, Puzzle: testPuzzle, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	schema, err := dataset.ParseSchemaJSON(readExample(t, "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var workers, persisters []identity.NodeID
	var honest []*Member
	for _, m := range d.Nodes {
		switch {
		case m.Worker != nil:
			workers = append(workers, m.Key.ID())
		case m.Persistence != nil:
			persisters = append(persisters, m.Key.ID())
		case m.Validator != nil && !m.Equivocate:
			honest = append(honest, m)
		}
	}
	if len(honest) != 3 {
		t.Fatalf("%d honest validators, want 3", len(honest))
	}
	provider := d.Chain.Keys[1]
	for _, name := range []string{"byz_a", "byz_b", "byz_c"} {
		if _, err := s.Register(ctx, provider, client.Listing{
			Metadata: ledger.Metadata{Name: name, Schema: schema, Script: readExample(t, "curate.star"), Schedule: "@daily", Workers: workers, Persistence: persisters},
			Price:    chain.ENG(1), Deposit: chain.ENG(100),
			Payouts: []chain.Payout{{Account: chain.Address(provider), Bps: 10_000}}, Keys: keys,
		}); err != nil {
			t.Fatalf("register %s with an equivocating primary: %v", name, err)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for {
		agree := true
		for _, m := range honest[1:] {
			if m.Ledger.Root() != honest[0].Ledger.Root() || m.Ledger.Seq() != honest[0].Ledger.Seq() {
				agree = false
			}
		}
		if agree {
			t.Logf("honest validators agree at seq %d, root %s; views %d/%d/%d", honest[0].Ledger.Seq(), honest[0].Ledger.Root().Hex(),
				honest[0].Validator.Status().View, honest[1].Validator.Status().View, honest[2].Validator.Status().View)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("honest validators disagree: seqs %d/%d/%d", honest[0].Ledger.Seq(), honest[1].Ledger.Seq(), honest[2].Ledger.Seq())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker/script"
	"github.com/enigma-mpc/enigma/worker/wire"
)

var (
	nodeA    = identity.NodeID{0xa}
	nodeB    = identity.NodeID{0xb}
	workerID = identity.NodeID{0xee}
	provider = common.HexToAddress("0x00000000000000000000000000000000000000aa")
)

const marketScript = `
CLOSES = {"BTC": 60000.5, "ETH": 3000.25, "SOL": 150.0}
def curate(ctx):
    return [{"day": ctx.scheduled_at, "asset": a, "close": p} for a, p in CLOSES.items()]
`

func marketSchema(t *testing.T) dataset.Schema {
	t.Helper()
	s, err := dataset.ParseSchemaJSON([]byte(`{"columns": [
		{"name": "day", "type": "timestamp"},
		{"name": "asset", "type": "string", "encryption": "det"},
		{"name": "close", "type": "float64", "encryption": "ope"}],
		"primary_key": ["day", "asset"]}`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func marketJob(t *testing.T, schedule, src string, version uint64) Job {
	return Job{
		Dataset: dataset.Path{Provider: provider, Name: "market"}, Version: version,
		Schema: marketSchema(t), Script: []byte(src), Schedule: schedule,
		PersistenceNodes: []identity.NodeID{nodeA, nodeB},
	}
}

var testKeys = func() *colcrypt.Keys {
	k, err := colcrypt.GenerateKeys(bytes.NewReader(bytes.Repeat([]byte{7}, 256)))
	if err != nil {
		panic(err)
	}
	return k
}()

func fixedKeys(common.Hash) (*colcrypt.Keys, error) { return testKeys, nil }

// recordingPusher stores what each node acknowledged, after a round trip
// through the wire format; it can refuse a node's next pushes.
type recordingPusher struct {
	mu       sync.Mutex
	got      map[identity.NodeID][]*wire.Batch
	failNext map[identity.NodeID]int
	calls    int
}

func newRecordingPusher() *recordingPusher {
	return &recordingPusher{got: map[identity.NodeID][]*wire.Batch{}, failNext: map[identity.NodeID]int{}}
}

func (p *recordingPusher) Push(_ context.Context, node identity.NodeID, b *wire.Batch) error {
	enc, err := wire.Encode(b)
	if err != nil {
		return err
	}
	dec, err := wire.Decode(enc)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if p.failNext[node] > 0 {
		p.failNext[node]--
		return errors.New("connection refused")
	}
	p.got[node] = append(p.got[node], dec)
	return nil
}

func (p *recordingPusher) batches(node identity.NodeID) []*wire.Batch {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*wire.Batch(nil), p.got[node]...)
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

type harness struct {
	t   *testing.T
	clk *clock.Simulated
	// scriptClk drives the sandbox's wall-time limit, apart from clk, so
	// that clk's only timers are the job loop's and the retry backoff's.
	scriptClk *clock.Simulated
	pusher    *recordingPusher
	w         *Worker
	reg       *prometheus.Registry
	ctx       context.Context
}

func newHarness(t *testing.T, start time.Time, dir string, tweak func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, clk: clock.NewSimulated(start), scriptClk: clock.NewSimulated(start), pusher: newRecordingPusher(), reg: prometheus.NewRegistry()}
	cfg := Config{
		NodeID: workerID, Dir: dir, Pusher: h.pusher, Keys: fixedKeys, Clock: h.clk, Registerer: h.reg,
		Sandbox: script.Config{Clock: h.scriptClk},
		Logger:  slog.New(slog.DiscardHandler),
		Retry:   RetryPolicy{MaxAttempts: 4, InitialBackoff: time.Minute, MaxBackoff: 4 * time.Minute},
	}
	if tweak != nil {
		tweak(&cfg)
	}
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.w = w
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	h.ctx = ctx
	t.Cleanup(func() { _ = w.Stop() })
	return h
}

func (h *harness) setJob(j Job) {
	h.t.Helper()
	ok, err := h.w.SetJob(j)
	if err != nil || !ok {
		h.t.Fatalf("SetJob = %v, %v", ok, err)
	}
}

func (h *harness) start() {
	h.t.Helper()
	if err := h.w.Start(h.ctx); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) waitRuns(n int) []RunRecord {
	h.t.Helper()
	if err := h.w.History().WaitForRuns(h.ctx, n); err != nil {
		h.t.Fatalf("waiting for %d runs: %v (have %v)", n, err, h.w.History().Runs())
	}
	return h.w.History().Runs()
}

// idle waits until the job loop sleeps on its timer (the only timer when no
// run is in progress).
func (h *harness) idle() {
	h.t.Helper()
	if err := h.clk.WaitForTimers(h.ctx, 1); err != nil {
		h.t.Fatal(err)
	}
}

func day(d, hour, minute int) time.Time {
	return time.Date(2026, 2, d, hour, minute, 0, 0, time.UTC)
}

func TestDailyJobFiresAcrossDayAndMonthBoundaries(t *testing.T) {
	h := newHarness(t, day(27, 22, 15), "", nil)
	h.setJob(marketJob(t, "daily", marketScript, 1))
	h.start()

	// A new job runs at once for the latest slot, then at each midnight:
	// Feb 28 and Mar 1 (2026 is not a leap year).
	h.waitRuns(1)
	for i, next := range []time.Time{day(28, 0, 0), day(29, 0, 0)} {
		h.idle()
		h.clk.AdvanceTo(next.Add(-time.Second))
		if got := len(h.w.History().Runs()); got != i+1 {
			t.Fatalf("a run fired before its slot %v", next)
		}
		h.clk.AdvanceTo(next)
		h.waitRuns(i + 2)
	}
	runs := h.w.History().Runs()
	wantSlots := []time.Time{day(27, 0, 0), day(28, 0, 0), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	wantStarts := []time.Time{day(27, 22, 15), day(28, 0, 0), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	for i, r := range runs {
		if !r.Slot.Equal(wantSlots[i]) || !r.Started.Equal(wantStarts[i]) || r.Status != RunOK || r.Rows != 3 || r.NodesOK != 2 {
			t.Errorf("run %d: %+v; want slot %v started %v ok with 3 rows on 2 nodes", i, r, wantSlots[i], wantStarts[i])
		}
	}

	// Every node got every run's rows, encrypted, under the run's ID.
	schema := marketSchema(t)
	cipher, err := colcrypt.New(testKeys, marketJob(t, "daily", marketScript, 1).Dataset.ID())
	if err != nil {
		t.Fatal(err)
	}
	for _, node := range []identity.NodeID{nodeA, nodeB} {
		got := h.pusher.batches(node)
		if len(got) != 3 {
			t.Fatalf("node %s got %d batches, want 3", node.Short(), len(got))
		}
		for i, b := range got {
			if b.RunID != wire.NewRunID(b.DatasetID, 1, wantSlots[i].UnixMicro(), wantStarts[i].UnixMicro(), workerID) || b.SlotMicros != wantSlots[i].UnixMicro() {
				t.Errorf("batch %d has run ID %s for slot %d", i, b.RunID, b.SlotMicros)
			}
			if err := b.Check(&schema); err != nil {
				t.Fatalf("batch %d is not in stored form: %v", i, err)
			}
			if b.Rows[0][1].Kind != dataset.TypeBytes || bytes.Contains(b.Rows[0][1].Bytes, []byte("BTC")) {
				t.Fatalf("asset column left the worker in plaintext: %v", b.Rows[0][1])
			}
			plain, err := cipher.DecryptRow(&schema, 1, b.Rows[0])
			if err != nil {
				t.Fatal(err)
			}
			if !plain[1].Equal(dataset.String("BTC")) || !plain[2].Equal(dataset.Float64(60000.5)) || !plain[0].Equal(dataset.Timestamp(wantSlots[i])) {
				t.Errorf("batch %d row 1 decrypts to %v", i, plain)
			}
		}
	}
	if got := counterValue(t, h.w.metrics.runs.WithLabelValues(runs[0].Dataset, "ok")); got != 3 {
		t.Errorf("enigma_worker_runs_total{status=ok} = %v, want 3", got)
	}
	if got := counterValue(t, h.w.metrics.rows.WithLabelValues(runs[0].Dataset)); got != 9 {
		t.Errorf("enigma_worker_rows_pushed_total = %v, want 9", got)
	}
}

func TestSlowScriptNeverOverlapsAndCatchesUpOnce(t *testing.T) {
	var mu sync.Mutex
	inFlight, maxInFlight, requests := 0, 0, 0
	release := make(chan struct{})
	blocked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		requests++
		first := requests == 1
		maxInFlight = max(maxInFlight, inFlight)
		mu.Unlock()
		if first {
			blocked <- struct{}{}
			<-release
		}
		fmt.Fprint(w, `{"BTC": 61000.0}`)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	defer srv.Close()
	src := fmt.Sprintf(`
def curate(ctx):
    prices = json.decode(http.get(%q).body)
    return [[ctx.scheduled_at, a, p] for a, p in prices.items()]
`, srv.URL+"/prices")
	h := newHarness(t, day(10, 0, 0), "", func(c *Config) {
		c.Sandbox.AllowURLs = []string{srv.URL + "/"}
	})
	h.setJob(marketJob(t, "hourly", src, 1))
	h.start()

	// The 00:00 run hangs in http.get while the clock passes 01:00, 02:00
	// and 03:00.
	<-blocked
	h.clk.AdvanceTo(day(10, 3, 30))
	close(release)
	h.waitRuns(2)
	h.idle()
	h.clk.AdvanceTo(day(10, 4, 0))
	runs := h.waitRuns(3)

	wantSlots := []time.Time{day(10, 0, 0), day(10, 3, 0), day(10, 4, 0)}
	wantStarts := []time.Time{day(10, 0, 0), day(10, 3, 30), day(10, 4, 0)}
	for i, r := range runs {
		if !r.Slot.Equal(wantSlots[i]) || !r.Started.Equal(wantStarts[i]) || r.Status != RunOK {
			t.Errorf("run %d: slot %v started %v status %s; want slot %v started %v ok", i, r.Slot, r.Started, r.Status, wantSlots[i], wantStarts[i])
		}
		if i > 0 && r.Started.Before(runs[i-1].Finished) {
			t.Errorf("run %d started at %v, before run %d finished at %v", i, r.Started, i-1, runs[i-1].Finished)
		}
	}
	if maxInFlight != 1 || requests != 3 {
		t.Errorf("%d concurrent script fetches at most and %d in all; want 1 and 3 (one catch-up run, no burst)", maxInFlight, requests)
	}
}

func TestFailedPushIsRetriedWithBackoff(t *testing.T) {
	h := newHarness(t, day(10, 0, 0), "", nil)
	h.pusher.failNext[nodeB] = 2
	h.setJob(marketJob(t, "daily", marketScript, 1))
	h.start()

	// Backoff doubles: 1 min, then 2 min.
	for _, wait := range []time.Duration{time.Minute, 2 * time.Minute} {
		h.idle()
		h.clk.Advance(wait - time.Second)
		if len(h.w.History().Runs()) != 0 {
			t.Fatal("run finished before its retry")
		}
		h.clk.Advance(time.Second)
	}
	runs := h.waitRuns(1)
	r := runs[0]
	if r.Status != RunOK || r.Attempts != 3 || r.NodesOK != 2 || r.Error != "" || r.Duration() != 3*time.Minute {
		t.Fatalf("run = %+v; want ok after 3 attempts over 3 minutes on both nodes", r)
	}
	if len(h.pusher.batches(nodeA)) != 1 || len(h.pusher.batches(nodeB)) != 1 {
		t.Errorf("node A got %d batches, node B %d; want each once (acknowledged batches are not resent)", len(h.pusher.batches(nodeA)), len(h.pusher.batches(nodeB)))
	}
	if got := counterValue(t, h.w.metrics.retries.WithLabelValues(r.Dataset)); got != 2 {
		t.Errorf("retries metric = %v, want 2", got)
	}
	if got := counterValue(t, h.w.metrics.pushErrors.WithLabelValues(r.Dataset)); got != 2 {
		t.Errorf("push errors metric = %v, want 2", got)
	}
}

func TestFailedScriptIsRetriedThenSucceeds(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, day(10, 0, 0), dir, nil)
	job := marketJob(t, "daily", `
def curate(ctx):
    return [[ctx.scheduled_at, r["asset"], float(r["close"])] for r in csv.parse(files.read("today.csv"))]
`, 1)
	h.setJob(job)
	h.start()
	h.idle() // the first attempt failed (no file yet) and waits to retry
	if err := os.WriteFile(filepath.Join(dir, "jobs", job.Dataset.ID().Hex(), "today.csv"), []byte("asset,close\nBTC,1.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.clk.Advance(time.Minute)
	r := h.waitRuns(1)[0]
	if r.Status != RunOK || r.Attempts != 2 || r.Rows != 1 {
		t.Fatalf("run = %+v; want ok on attempt 2 with 1 row", r)
	}
}

func TestRunGivesUpAfterMaxAttemptsAndBeforeNextSlot(t *testing.T) {
	h := newHarness(t, day(10, 0, 0), "", nil)
	h.pusher.failNext[nodeA] = 1000
	h.setJob(marketJob(t, "daily", marketScript, 1))
	h.start()
	for _, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		h.idle()
		h.clk.Advance(wait)
	}
	r := h.waitRuns(1)[0]
	if r.Status != RunFailed || r.Attempts != 4 || r.NodesOK != 1 || !strings.Contains(r.Error, "connection refused") || !strings.Contains(r.Error, nodeA.Short()) {
		t.Fatalf("run = %+v; want failed after 4 attempts, node B done, the error naming node A", r)
	}

	// With a schedule every 2 minutes, the 2-minute backoff would reach the
	// next slot, so that run stops after its first retry.
	h2 := newHarness(t, day(10, 0, 0), "", nil)
	h2.pusher.failNext[nodeA] = 1000
	h2.setJob(marketJob(t, "*/2 * * * *", marketScript, 1))
	h2.start()
	h2.idle()
	h2.clk.Advance(time.Minute)
	r = h2.waitRuns(1)[0]
	if r.Status != RunFailed || r.Attempts != 2 || !strings.Contains(r.Error, "next scheduled run") {
		t.Fatalf("run = %+v; want failed after 2 attempts because of the next slot", r)
	}
}

func TestInfiniteLoopIsStoppedAndReported(t *testing.T) {
	h := newHarness(t, day(10, 0, 0), "", func(c *Config) {
		c.Sandbox.Limits.MaxSteps = 50_000
		c.Retry.MaxAttempts = 1
	})
	h.setJob(marketJob(t, "hourly", "def curate(ctx):\n    while True:\n        pass\n", 1))
	h.start()
	r := h.waitRuns(1)[0]
	if r.Status != RunFailed || !strings.Contains(r.Error, "steps limit breached") || !strings.Contains(r.Error, "curate.star:") {
		t.Fatalf("run = %+v; want failed on the steps limit with a position", r)
	}
	if h.pusher.calls != 0 {
		t.Errorf("a failed script pushed %d batches", h.pusher.calls)
	}
	// The job keeps its schedule.
	h.idle()
	h.clk.AdvanceTo(day(10, 1, 0))
	h.waitRuns(2)
}

func TestNewVersionReplacesJob(t *testing.T) {
	h := newHarness(t, day(10, 0, 30), "", nil)
	h.setJob(marketJob(t, "hourly", marketScript, 1))
	h.start()
	h.waitRuns(1)
	h.idle()

	v2 := marketJob(t, "hourly", `
def curate(ctx):
    return [[ctx.scheduled_at, "BTC", 1.0 * ctx.version]]
`, 2)
	h.setJob(v2)
	if ok, err := h.w.SetJob(marketJob(t, "hourly", marketScript, 1)); ok || err != nil {
		t.Fatalf("an older version was taken: %v %v", ok, err)
	}
	if ok, err := h.w.SetJob(v2); ok || err != nil {
		t.Fatalf("the same version was taken twice: %v %v", ok, err)
	}
	// Version 2 runs at once for the latest slot, although version 1 ran
	// it: the persistence nodes serve version 1 until version 2's first
	// run is complete, so an update is curated without waiting a period.
	runs := h.waitRuns(2)
	if r := runs[1]; r.Version != 2 || r.Rows != 1 || !r.Slot.Equal(day(10, 0, 0)) {
		t.Fatalf("first run of version 2 = %+v", r)
	}
	got := h.pusher.batches(nodeA)
	if last := got[len(got)-1]; last.Version != 2 || len(last.Rows) != 1 {
		t.Errorf("last batch has version %d and %d rows", last.Version, len(last.Rows))
	}
	// Then it keeps the schedule: next run at 01:00.
	h.idle()
	h.clk.AdvanceTo(day(10, 1, 0))
	runs = h.waitRuns(3)
	if r := runs[2]; r.Version != 2 || !r.Slot.Equal(day(10, 1, 0)) {
		t.Fatalf("second run of version 2 = %+v", r)
	}
	h.idle()
	jobs := h.w.Jobs()
	if len(jobs) != 1 || jobs[0].Version != 2 || !jobs[0].NextRun.Equal(day(10, 2, 0)) {
		t.Errorf("Jobs() = %+v", jobs)
	}
}

func TestDowntimeCatchesUpOnceAfterRestart(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, day(10, 12, 0), dir, nil)
	job := marketJob(t, "daily", marketScript, 1)
	h.setJob(job)
	h.start()
	h.waitRuns(1)
	if err := h.w.Stop(); err != nil {
		t.Fatal(err)
	}

	// Down for three and a half days; on restart one run for the latest
	// slot, not three.
	h2 := newHarness(t, day(14, 0, 0).Add(-12*time.Hour), dir, nil)
	h2.setJob(job)
	h2.start()
	h2.waitRuns(1)
	h2.idle()
	runs := h2.w.History().Runs()
	if len(runs) != 2 || !runs[0].Slot.Equal(day(10, 0, 0)) || !runs[1].Slot.Equal(day(13, 0, 0)) || !runs[1].Started.Equal(day(13, 12, 0)) {
		t.Fatalf("runs after restart: %+v", runs)
	}
	file, err := ReadHistory(filepath.Join(dir, HistoryFileName))
	if err != nil {
		t.Fatal(err)
	}
	if len(file.Runs) != 2 || len(file.Jobs) != 1 || !file.Jobs[0].NextRun.Equal(day(14, 0, 0)) {
		t.Fatalf("history file: %+v", file)
	}
}

func TestStopCancelsARunningScript(t *testing.T) {
	h := newHarness(t, day(10, 0, 0), "", func(c *Config) { c.Sandbox.Limits.MaxSteps = 1 << 62 })
	h.setJob(marketJob(t, "hourly", "def curate(ctx):\n    while True:\n        pass\n", 1))
	h.start()
	if err := h.scriptClk.WaitForTimers(h.ctx, 1); err != nil { // the script's wall-time timer: the run is under way
		t.Fatal(err)
	}
	if err := h.w.Stop(); err != nil {
		t.Fatal(err)
	}
	runs := h.w.History().Runs()
	if len(runs) != 1 || runs[0].Status != RunCancelled {
		t.Fatalf("runs = %+v; want one cancelled run", runs)
	}
	if _, ok := h.w.History().lastSlot(runs[0].DatasetID, runs[0].Version); ok {
		t.Error("a cancelled run counts as done; its slot would not run again")
	}
}

func TestMissingKeysFailTheRunWithAClearError(t *testing.T) {
	keysDir := t.TempDir()
	h := newHarness(t, day(10, 0, 0), "", func(c *Config) {
		c.Keys = KeysFromDir(keysDir)
		c.Retry.MaxAttempts = 1
	})
	job := marketJob(t, "daily", marketScript, 1)
	h.setJob(job)
	h.start()
	r := h.waitRuns(1)[0]
	if r.Status != RunFailed || !strings.Contains(r.Error, KeysFileName(job.Dataset.ID())) || h.pusher.calls != 0 {
		t.Fatalf("run = %+v, %d pushes; want a failure naming the keys file and no push", r, h.pusher.calls)
	}
}

func TestCutBatches(t *testing.T) {
	rows := make([]dataset.Row, 25)
	for i := range rows {
		rows[i] = dataset.Row{dataset.Int64(int64(i)), dataset.String(strings.Repeat("x", 100))}
	}
	batches, err := cutBatches(rows, 10, 1<<20, wire.Batch{Version: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 3 || len(batches[0].Rows) != 10 || len(batches[2].Rows) != 5 {
		t.Fatalf("got %d batches", len(batches))
	}
	for i, b := range batches {
		if b.Seq != uint32(i) || b.Total != 3 || b.Version != 4 {
			t.Errorf("batch %d: seq %d total %d version %d", i, b.Seq, b.Total, b.Version)
		}
	}
	bySize, err := cutBatches(rows, 1000, 3*rowSize(rows[0]), wire.Batch{})
	if err != nil {
		t.Fatal(err)
	}
	if len(bySize) != 9 {
		t.Errorf("byte bound gave %d batches, want 9", len(bySize))
	}
	if none, err := cutBatches(nil, 10, 100, wire.Batch{}); err != nil || len(none) != 0 {
		t.Errorf("no rows gave %d batches, %v", len(none), err)
	}
}

func TestJobValidation(t *testing.T) {
	cases := map[string]func(*Job){
		"bad schedule":    func(j *Job) { j.Schedule = "every tuesday" },
		"no nodes":        func(j *Job) { j.PersistenceNodes = nil },
		"duplicate nodes": func(j *Job) { j.PersistenceNodes = []identity.NodeID{nodeA, nodeA} },
		"empty script":    func(j *Job) { j.Script = nil },
		"huge script":     func(j *Job) { j.Script = make([]byte, MaxScriptSize+1) },
		"bad name":        func(j *Job) { j.Dataset.Name = "Market" },
		"bad schema":      func(j *Job) { j.Schema.PrimaryKey = nil },
	}
	for name, mutate := range cases {
		j := marketJob(t, "daily", marketScript, 1)
		mutate(&j)
		if err := j.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	j := marketJob(t, "daily", marketScript, 1)
	if err := j.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestHistoryKeepsABoundedNumberOfRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), HistoryFileName)
	h, err := OpenHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range RunsKeptPerDataset + 5 {
		for _, id := range []string{"a", "b"} {
			if err := h.append(RunRecord{DatasetID: id, Slot: day(1, 0, i), Status: RunOK}); err != nil {
				t.Fatal(err)
			}
		}
	}
	reopened, err := OpenHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	runs := reopened.Runs()
	if len(runs) != 2*RunsKeptPerDataset {
		t.Fatalf("kept %d runs, want %d", len(runs), 2*RunsKeptPerDataset)
	}
	if last, _ := reopened.lastSlot("a", 0); !last.Equal(day(1, 0, RunsKeptPerDataset+4)) {
		t.Errorf("lastSlot = %v", last)
	}
	if !runs[0].Slot.Equal(day(1, 0, 5)) {
		t.Errorf("oldest kept run has slot %v, want the 6th", runs[0].Slot)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenHistory(path); err == nil || !strings.Contains(err.Error(), "move it away") {
		t.Errorf("damaged history: %v", err)
	}
}

func TestReplacingAndRemovingJobs(t *testing.T) {
	// Two versions set before Start: only the newer one runs.
	h := newHarness(t, day(10, 0, 0), "", nil)
	h.setJob(marketJob(t, "hourly", marketScript, 1))
	h.setJob(marketJob(t, "hourly", "def curate(ctx):\n    return [[ctx.scheduled_at, 'BTC', 2.0]]\n", 2))
	h.start()
	if r := h.waitRuns(1)[0]; r.Version != 2 || r.Rows != 1 {
		t.Fatalf("first run = %+v, want version 2", r)
	}

	// Removed while its script runs, then set again: the new loop waits for
	// the old one, so the two never run at once.
	h2 := newHarness(t, day(10, 0, 0), "", func(c *Config) { c.Sandbox.Limits.MaxSteps = 1 << 62 })
	job := marketJob(t, "hourly", "def curate(ctx):\n    while True:\n        pass\n", 1)
	h2.setJob(job)
	h2.start()
	if err := h2.scriptClk.WaitForTimers(h2.ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := h2.w.RemoveJob(job.Dataset.ID()); err != nil {
		t.Fatal(err)
	}
	if len(h2.w.Jobs()) != 0 {
		t.Fatalf("Jobs() after RemoveJob = %+v", h2.w.Jobs())
	}
	h2.setJob(marketJob(t, "hourly", marketScript, 1))
	runs := h2.waitRuns(2)
	if runs[0].Status != RunCancelled || runs[1].Status != RunOK || runs[1].Started.Before(runs[0].Finished) {
		t.Fatalf("runs = %+v; want the removed job's run cancelled before the new one started", runs)
	}
}

func TestMetricsAreRegistered(t *testing.T) {
	h := newHarness(t, day(10, 0, 0), "", nil)
	h.setJob(marketJob(t, "daily", marketScript, 1))
	h.start()
	h.waitRuns(1)
	families, err := h.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range families {
		got[f.GetName()] = true
	}
	for _, name := range []string{"enigma_worker_runs_total", "enigma_worker_run_duration_seconds", "enigma_worker_rows_pushed_total",
		"enigma_worker_last_success_timestamp_seconds", "enigma_worker_jobs"} {
		if !got[name] {
			t.Errorf("metric %s is not exported (have %v)", name, got)
		}
	}
	if _, err := New(Config{Pusher: h.pusher, Registerer: h.reg}); err == nil {
		t.Error("a second worker on the same registry did not report the clash")
	}
}

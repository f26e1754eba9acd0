package script

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/clock"
)

var slot = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func testSchema(t *testing.T) *dataset.Schema {
	t.Helper()
	s, err := dataset.ParseSchemaJSON([]byte(`{"columns": [
		{"name": "day", "type": "timestamp"},
		{"name": "asset", "type": "string", "encryption": "det"},
		{"name": "close", "type": "float64", "encryption": "ope"},
		{"name": "trades", "type": "int64", "nullable": true},
		{"name": "stable", "type": "bool"}],
		"primary_key": ["day", "asset"]}`))
	if err != nil {
		t.Fatal(err)
	}
	return &s
}

func runScript(t *testing.T, cfg Config, src string) (Result, error) {
	t.Helper()
	return Run(context.Background(), cfg, Input{
		Filename: "curate.star", Source: []byte(src), Schema: testSchema(t),
		Dataset: "0x0000000000000000000000000000000000000001/market", Version: 3, ScheduledAt: slot,
	})
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRunReadsCSVAndConvertsRows(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "prices.csv", "date,symbol,close,trades\n2026-02-28,BTC,61000.5,120\n2026-02-28,USDC,1,\n")
	src := `
def curate(ctx):
    rows = []
    for r in csv.parse(files.read("prices.csv")):
        rows.append({
            "day": r["date"],
            "asset": r["symbol"],
            "close": float(r["close"]),
            "trades": int(r["trades"]) if r["trades"] else None,
            "stable": r["symbol"] == "USDC",
        })
    rows.append([ctx.scheduled_at, "ETH", 3000, 7, False])
    rows.append((ctx.scheduled_date, ctx.dataset[-6:], 0.5, ctx.version, True))
    return rows
`
	res, err := runScript(t, Config{Dir: dir}, src)
	if err != nil {
		t.Fatal(err)
	}
	feb28 := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)
	want := []dataset.Row{
		{dataset.Timestamp(feb28), dataset.String("BTC"), dataset.Float64(61000.5), dataset.Int64(120), dataset.Bool(false)},
		{dataset.Timestamp(feb28), dataset.String("USDC"), dataset.Float64(1), dataset.Null, dataset.Bool(true)},
		{dataset.Timestamp(slot), dataset.String("ETH"), dataset.Float64(3000), dataset.Int64(7), dataset.Bool(false)},
		{dataset.Timestamp(slot), dataset.String("market"), dataset.Float64(0.5), dataset.Int64(3), dataset.Bool(true)},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %v", len(res.Rows), len(want), res.Rows)
	}
	for i := range want {
		for j := range want[i] {
			if !res.Rows[i][j].Equal(want[i][j]) {
				t.Errorf("row %d col %d = %v, want %v", i+1, j, res.Rows[i][j], want[i][j])
			}
		}
	}
	if res.InputBytes != int64(len("date,symbol,close,trades\n2026-02-28,BTC,61000.5,120\n2026-02-28,USDC,1,\n")) {
		t.Errorf("InputBytes = %d", res.InputBytes)
	}
	if res.Steps == 0 {
		t.Error("Steps = 0")
	}
}

func TestTimestampForms(t *testing.T) {
	cases := map[string]time.Time{
		"2026-03-01T12:30:00Z":       time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC),
		"2026-03-01T12:30:00+02:00":  time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC),
		"2026-03-01T12:30:00":        time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC),
		"2026-03-01 12:30:00.000250": time.Date(2026, 3, 1, 12, 30, 0, 250_000, time.UTC),
		"2026-03-01":                 time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
	}
	for s, want := range cases {
		got, err := parseTimestamp(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if got != want.UnixMicro() {
			t.Errorf("%q = %d, want %d", s, got, want.UnixMicro())
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-13-01", "01/03/2026"} {
		if _, err := parseTimestamp(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestScriptErrorsCarryPosition(t *testing.T) {
	cases := []struct {
		name, src, wantPos, wantMsg string
	}{
		{"syntax", "def curate(ctx):\n    return [\n", "curate.star:3:1", ""},
		{"undefined name", "def curate(ctx):\n    return nope\n", "curate.star:2:12", "undefined: nope"},
		{"runtime", "def curate(ctx):\n    x = 1\n    return x // 0\n", "curate.star:3:14", "division by zero"},
		{"bad builtin call", "def curate(ctx):\n    return csv.parse(1)\n", "curate.star:2:21", "csv.parse"},
		{"load refused", "load('x.star', 'y')\ndef curate(ctx):\n    return []\n", "curate.star:1:1", "load() is not available"},
		{"no curate", "rows = []\n", "curate.star:1:1", "define a function curate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runScript(t, Config{}, tc.src)
			var serr *Error
			if !errors.As(err, &serr) {
				t.Fatalf("got %T %v, want *Error", err, err)
			}
			if got := serr.Pos.String(); got != tc.wantPos {
				t.Errorf("position %s, want %s (%v)", got, tc.wantPos, err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tc.wantMsg)
			}
		})
	}
}

func TestSchemaViolationsNameRowAndColumn(t *testing.T) {
	cases := []struct {
		name, rows, column, reason string
		row                        int
	}{
		{"wrong type", `[["2026-03-01", "BTC", 1.0, 1, False], ["2026-03-01", "ETH", "high", 1, False]]`, "close", "got a string", 2},
		{"not nullable", `[{"day": 0, "close": 1.0, "stable": True}]`, "asset", "NULL", 1},
		{"unknown column", `[{"day": 0, "asset": "A", "close": 1.0, "stable": True, "volume": 3}]`, "volume", "not a column", 1},
		{"wrong width", `[[0, "A"]]`, "*", "has 2 values", 1},
		{"bad timestamp", `[[0, "A", 1.0, None, True], ["last week", "A", 1.0, None, True]]`, "day", "RFC 3339", 2},
		{"int overflow", `[[0, "A", 1.0, 1 << 70, True]]`, "trades", "does not fit", 1},
		{"row not a dict", `[3]`, "*", "is a int", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runScript(t, Config{}, "def curate(ctx):\n    return "+tc.rows+"\n")
			var rerr *dataset.RowError
			if !errors.As(err, &rerr) {
				t.Fatalf("got %T %v, want *dataset.RowError", err, err)
			}
			if rerr.Row != tc.row || rerr.Column != tc.column || !strings.Contains(rerr.Reason, tc.reason) {
				t.Errorf("got row %d column %q reason %q; want row %d column %q reason containing %q", rerr.Row, rerr.Column, rerr.Reason, tc.row, tc.column, tc.reason)
			}
		})
	}
	if _, err := runScript(t, Config{}, "def curate(ctx):\n    return 'rows'\n"); err == nil || !strings.Contains(err.Error(), "list of rows") {
		t.Errorf("returning a string: %v", err)
	}
}

func assertLimit(t *testing.T, err error, limit string) *LimitError {
	t.Helper()
	var lerr *LimitError
	if !errors.As(err, &lerr) {
		t.Fatalf("got %T %v, want *LimitError(%s)", err, err, limit)
	}
	if lerr.Limit != limit {
		t.Fatalf("breached %q, want %q: %v", lerr.Limit, limit, err)
	}
	return lerr
}

func TestInfiniteLoopStoppedBySteps(t *testing.T) {
	src := "def curate(ctx):\n    n = 0\n    while True:\n        n += 1\n"
	_, err := runScript(t, Config{Limits: Limits{MaxSteps: 100_000}}, src)
	lerr := assertLimit(t, err, LimitSteps)
	if lerr.Pos.Line < 3 || lerr.Pos.Line > 4 {
		t.Errorf("stopped at %s, want inside the loop (lines 3-4)", lerr.Pos)
	}
}

func TestInfiniteLoopStoppedByWallTime(t *testing.T) {
	clk := clock.NewSimulated(slot)
	cfg := Config{Clock: clk, Limits: Limits{MaxSteps: 1 << 62, MaxWallTime: time.Minute}}
	errc := make(chan error, 1)
	go func() {
		_, err := runScript(t, cfg, "def curate(ctx):\n    while True:\n        pass\n")
		errc <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := clk.WaitForTimers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	assertLimit(t, <-errc, LimitWallTime)
}

func TestContextCancelStopsScript(t *testing.T) {
	clk := clock.NewSimulated(slot)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Config{Clock: clk, Limits: Limits{MaxSteps: 1 << 62}}, Input{
			Filename: "loop.star", Source: []byte("def curate(ctx):\n    while True:\n        pass\n"), Schema: testSchema(t),
		})
		errc <- err
	}()
	if err := clk.WaitForTimers(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestMemoryLimit(t *testing.T) {
	src := `
def curate(ctx):
    chunks = []
    for i in range(1 << 20):
        chunks.append("x" * 65536 + str(i))
    return []
`
	_, err := runScript(t, Config{Limits: Limits{MaxMemoryBytes: 32 << 20}}, src)
	assertLimit(t, err, LimitMemory)
}

func TestRowsLimit(t *testing.T) {
	src := "def curate(ctx):\n    return [[0, 'A', 1.0, None, True] for i in range(11)]\n"
	_, err := runScript(t, Config{Limits: Limits{MaxRows: 10}}, src)
	assertLimit(t, err, LimitRows)
	if _, err := runScript(t, Config{Limits: Limits{MaxRows: 11}}, src); err != nil {
		t.Fatalf("11 rows under a limit of 11: %v", err)
	}
}

func TestFilesStayInsideTheJobDirectory(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "job")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, parent, "secret.txt", "top secret")
	writeFile(t, dir, "sub/ok.txt", "fine")
	if err := os.Symlink(filepath.Join(parent, "secret.txt"), filepath.Join(dir, "escape.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub/ok.txt", filepath.Join(dir, "inside.txt")); err != nil {
		t.Fatal(err)
	}
	read := func(path string) error {
		src := fmt.Sprintf("def curate(ctx):\n    if files.read(%q) != 'fine':\n        fail('wrong content')\n    return []\n", path)
		_, err := runScript(t, Config{Dir: dir}, src)
		return err
	}
	for _, ok := range []string{"sub/ok.txt", "inside.txt", "sub/../sub/ok.txt"} {
		if err := read(ok); err != nil {
			t.Errorf("read %q: %v", ok, err)
		}
	}
	for _, bad := range []string{"../secret.txt", filepath.Join(parent, "secret.txt"), "escape.txt", "sub/../../secret.txt", "sub", "missing.txt"} {
		err := read(bad)
		var serr *Error
		if !errors.As(err, &serr) {
			t.Errorf("read %q: got %v, want a script error", bad, err)
			continue
		}
		if strings.Contains(err.Error(), "top secret") {
			t.Errorf("read %q leaked the file: %v", bad, err)
		}
	}
	src := "def curate(ctx):\n    if files.list() != ['escape.txt', 'inside.txt', 'sub']:\n        fail(files.list())\n    files.list('..')\n    return []\n"
	_, err := runScript(t, Config{Dir: dir}, src)
	if err == nil || !strings.Contains(err.Error(), "leaves the job directory") || !strings.Contains(err.Error(), "curate.star:4") {
		t.Errorf("files.list('..'): %v", err)
	}
	if _, err := runScript(t, Config{}, "def curate(ctx):\n    return files.read('x')\n"); err == nil || !strings.Contains(err.Error(), "no job directory") {
		t.Errorf("files.read without a directory: %v", err)
	}
}

func TestInputBytesLimit(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt", strings.Repeat("a", 600))
	src := "def curate(ctx):\n    files.read('a.txt')\n    files.read('a.txt')\n    return []\n"
	_, err := runScript(t, Config{Dir: dir, Limits: Limits{MaxInputBytes: 1000}}, src)
	lerr := assertLimit(t, err, LimitInputBytes)
	if lerr.Pos.Line != 3 {
		t.Errorf("breach at %s, want line 3", lerr.Pos)
	}
}

func TestHTTPAllowList(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/data/prices.json", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "k1" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `[{"asset": "BTC", "close": 60000.25}]`)
	})
	mux.HandleFunc("/data/big", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, strings.Repeat("z", 5000)) })
	mux.HandleFunc("/data/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/private/keys", http.StatusFound) })
	mux.HandleFunc("/private/keys", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "private") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := Config{AllowURLs: []string{srv.URL + "/data"}, Limits: Limits{MaxResponseBytes: 4096}}

	src := fmt.Sprintf(`
def curate(ctx):
    resp = http.get(%q, headers={"X-Api-Key": "k1"})
    if resp.status != 200:
        fail("status", resp.status)
    return [[ctx.scheduled_at, r["asset"], r["close"], None, False] for r in json.decode(resp.body)]
`, srv.URL+"/data/prices.json")
	res, err := runScript(t, cfg, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || !res.Rows[0][2].Equal(dataset.Float64(60000.25)) {
		t.Fatalf("rows = %v", res.Rows)
	}

	fetch := func(url string) error {
		_, err := runScript(t, cfg, fmt.Sprintf("def curate(ctx):\n    http.get(%q)\n    return []\n", url))
		return err
	}
	for _, bad := range []string{
		srv.URL + "/private/keys",
		srv.URL + "/data/../private/keys",
		srv.URL + "/data/%2e%2e/private/keys",
		srv.URL + "/database",
		strings.Replace(srv.URL, "http://", "https://", 1) + "/data/prices.json",
		"file:///etc/passwd",
		srv.URL + "/data/redirect",
	} {
		err := fetch(bad)
		if err == nil || !(strings.Contains(err.Error(), "allow-list") || strings.Contains(err.Error(), "segments") || strings.Contains(err.Error(), "only http")) {
			t.Errorf("fetch %s: %v, want an allow-list refusal", bad, err)
		}
	}
	assertLimit(t, fetch(srv.URL+"/data/big"), LimitResponseSize)
	if err := fetch(srv.URL + "/data/prices.json"); err != nil {
		t.Errorf("an allowed URL answering 401 is not a Go error: %v", err)
	}
	if _, err := runScript(t, Config{}, fmt.Sprintf("def curate(ctx):\n    http.get(%q)\n    return []\n", srv.URL+"/data/prices.json")); err == nil || !strings.Contains(err.Error(), "allow-list") {
		t.Errorf("empty allow-list allowed a fetch: %v", err)
	}
	limited := cfg
	limited.Limits.MaxHTTPRequests = 2
	_, err = runScript(t, limited, fmt.Sprintf("def curate(ctx):\n    for i in range(3):\n        http.get(%q)\n    return []\n", srv.URL+"/data/prices.json"))
	assertLimit(t, err, LimitHTTPRequests)
}

func TestBadAllowListEntriesRefused(t *testing.T) {
	for _, bad := range []string{"ftp://host/", "https://", "https://user:pw@host/", "host/path", "https://host/?q=1"} {
		if _, err := Run(context.Background(), Config{AllowURLs: []string{bad}}, Input{}); err == nil || !strings.Contains(err.Error(), "allow-list entry") {
			t.Errorf("entry %q: %v", bad, err)
		}
	}
}

func TestDeterministicAcrossRuns(t *testing.T) {
	src := `
def curate(ctx):
    d = {}
    for i in range(200):
        d["k%d" % ((i * 7919) % 101)] = i
    return [[ctx.scheduled_at + i, k, float(v), v, False] for i, (k, v) in enumerate(sorted(d.items()))]
`
	a, err := runScript(t, Config{}, src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := runScript(t, Config{}, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Rows) != 101 || len(a.Rows) != len(b.Rows) || a.Steps != b.Steps {
		t.Fatalf("runs differ: %d/%d rows, %d/%d steps", len(a.Rows), len(b.Rows), a.Steps, b.Steps)
	}
	for i := range a.Rows {
		for j := range a.Rows[i] {
			if !a.Rows[i][j].Equal(b.Rows[i][j]) {
				t.Fatalf("row %d differs", i)
			}
		}
	}
}

func TestPrintIsLoggedAndBounded(t *testing.T) {
	var buf strings.Builder
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	src := "def curate(ctx):\n    print('hello from', ctx.scheduled_date)\n    for i in range(100000):\n        print('x' * 100)\n    return []\n"
	if _, err := runScript(t, Config{Logger: logger}, src); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "hello from 2026-03-01") || !strings.Contains(out, "print output truncated") {
		t.Fatalf("log lacks the first print or the truncation notice:\n%.300s", out)
	}
	if len(out) > 2*maxPrintBytes {
		t.Fatalf("%d bytes of print output logged, the bound is about %d", len(out), maxPrintBytes)
	}
}

func TestRedirectWithinAllowListIsFollowed(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/data/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/data/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/data/new", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "moved here") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	src := fmt.Sprintf("def curate(ctx):\n    if http.get(%q).body != 'moved here':\n        fail('redirect not followed')\n    return []\n", srv.URL+"/data/old")
	if _, err := runScript(t, Config{AllowURLs: []string{srv.URL + "/data/"}}, src); err != nil {
		t.Fatal(err)
	}
}

func TestWallTimeStopsABlockedFetch(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	// Release the handler before closing the server, which waits for it.
	defer srv.Close()
	defer close(release)
	clk := clock.NewSimulated(slot)
	cfg := Config{Clock: clk, AllowURLs: []string{srv.URL + "/"}, Limits: Limits{MaxWallTime: time.Minute, HTTPTimeout: time.Hour}}
	errc := make(chan error, 1)
	go func() {
		_, err := runScript(t, cfg, fmt.Sprintf("def curate(ctx):\n    http.get(%q)\n    return []\n", srv.URL+"/slow"))
		errc <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case <-started: // the script is blocked in http.get
	case <-ctx.Done():
		t.Fatal("the fetch never reached the server")
	}
	clk.Advance(time.Minute)
	select {
	case err := <-errc:
		if lerr := assertLimit(t, err, LimitWallTime); lerr.Pos.Line != 2 {
			t.Errorf("stopped at %s, want line 2", lerr.Pos)
		}
	case <-ctx.Done():
		t.Fatal("the wall-time limit did not interrupt a blocked http.get")
	}
}

// FuzzRun: any script source gives rows or a typed error, never a panic.
func FuzzRun(f *testing.F) {
	for _, seed := range []string{
		"def curate(ctx):\n    return [[0, 'A', 1.0, None, True]]\n",
		"def curate(ctx):\n    return [{'day': ctx.scheduled_date, 'asset': 'x' * 3, 'close': 1 / 3, 'stable': False}]\n",
		"def curate(ctx):\n    return json.decode('[1, 2]')\n",
		"def curate(ctx):\n    return csv.parse('a,b\\n1,2\\n', header=False)\n",
		"x = [i for i in range(10)]\ndef curate(ctx):\n    return x\n",
		"def curate(ctx):\n    while True:\n        pass\n",
	} {
		f.Add(seed)
	}
	schema := dataset.Schema{Columns: []dataset.Column{
		{Name: "day", Type: dataset.TypeTimestamp}, {Name: "asset", Type: dataset.TypeString},
		{Name: "close", Type: dataset.TypeFloat64}, {Name: "n", Type: dataset.TypeInt64, Nullable: true},
		{Name: "stable", Type: dataset.TypeBool},
	}, PrimaryKey: []string{"day", "asset"}}
	f.Fuzz(func(t *testing.T, src string) {
		res, err := Run(context.Background(), Config{Limits: Limits{MaxSteps: 20_000, MaxRows: 100, MaxMemoryBytes: 64 << 20}},
			Input{Filename: "fuzz.star", Source: []byte(src), Schema: &schema, ScheduledAt: slot})
		if err != nil {
			var serr *Error
			var lerr *LimitError
			var rerr *dataset.RowError
			if !errors.As(err, &serr) && !errors.As(err, &lerr) && !errors.As(err, &rerr) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		for i, r := range res.Rows {
			if err := schema.CheckRow(i+1, r); err != nil {
				t.Fatalf("returned a row that fails the schema: %v", err)
			}
		}
	})
}

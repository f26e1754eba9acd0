package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/wire"
)

var exampleDir = filepath.Join("..", "..", "examples", "crypto-daily")

func TestWorkerRunOnceExample(t *testing.T) {
	out, errOut, code := runEnigma(t, nil, "worker", "run-once",
		"--script", filepath.Join(exampleDir, "curate.star"), "--schema", filepath.Join(exampleDir, "schema.json"),
		"--slot", "2025-01-02", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+2*8 || !strings.HasPrefix(lines[0], "day,asset,open") {
		t.Fatalf("want a header and 16 rows (2 days × 8 assets), got %d lines:\n%s", len(lines), out)
	}
	if !strings.HasPrefix(lines[2], "2025-01-01T00:00:00Z,BTC,93500,97380.29,") {
		t.Errorf("second row %q is not BTC on 2025-01-01 from market.csv", lines[2])
	}
	if !strings.Contains(errOut, "16 rows (plaintext") {
		t.Errorf("summary missing: %q", errOut)
	}
}

func TestWorkerRunOnceEncryptsWithKeys(t *testing.T) {
	dir := t.TempDir()
	keysPath := filepath.Join(dir, "market.keys")
	keys, err := colcrypt.GenerateKeys(bytes.NewReader(bytes.Repeat([]byte{3}, 128)))
	if err != nil {
		t.Fatal(err)
	}
	if err := colcrypt.SaveKeys(keysPath, keys); err != nil {
		t.Fatal(err)
	}
	const path = "0x00000000000000000000000000000000000000aa/crypto-daily"
	args := []string{"worker", "run-once", "--script", filepath.Join(exampleDir, "curate.star"),
		"--schema", filepath.Join(exampleDir, "schema.json"), "--slot", "2025-01-01", "--format", "csv", "--keys", keysPath}
	if _, errOut, code := runEnigma(t, nil, args...); code != 1 || !strings.Contains(errOut, "--keys needs --dataset") {
		t.Fatalf("--keys without --dataset: exit %d, %q", code, errOut)
	}
	out, errOut, code := runEnigma(t, nil, append(args, "--dataset", path)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 9 || strings.Contains(out, "BTC") {
		t.Fatalf("want 8 encrypted rows without the asset in clear:\n%s", out)
	}
	// asset (det) and close (ope: a 24-byte cell) are ciphertext; open is plaintext.
	fields := strings.Split(lines[2], ",")
	if !regexp.MustCompile(`^0x[0-9a-f]+$`).MatchString(fields[1]) || !regexp.MustCompile(`^0x[0-9a-f]{48}$`).MatchString(fields[5]) || fields[2] != "93500" {
		t.Fatalf("row %q: want hex ciphertext in asset and close, plaintext open", lines[2])
	}
	p, _ := dataset.ParsePath(path)
	schema, err := dataset.ParseSchemaJSON(mustRead(t, filepath.Join(exampleDir, "schema.json")))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := hex.DecodeString(strings.TrimPrefix(fields[1], "0x"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := colcrypt.DecryptValue(keys, p.ID(), schema.Columns[1], dataset.Bytes(raw))
	if err != nil || !plain.Equal(dataset.String("BTC")) {
		t.Fatalf("asset decrypts to %v, %v", plain, err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWorkerRunOnceErrors(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(exampleDir, "schema.json")
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, src string
		extra     []string
		want      []string
	}{
		{"syntax", "def curate(ctx):\n    x = [1,\n    return x\n", nil, []string{"syntax.star:3:5", "script error"}},
		{"runtime", "def curate(ctx):\n    return {}[\"k\"]\n", nil, []string{"runtime.star:2:14", "key \"k\" not in dict"}},
		{"schema", "def curate(ctx):\n    return [{\"day\": \"2025-01-01\", \"asset\": 7}]\n", nil, []string{`row 1, column "asset"`, "got a int", "fix the script or the schema"}},
		{"steps", "def curate(ctx):\n    n = 0\n    while True:\n        n += 1\n", []string{"--max-steps", "100000"}, []string{"steps limit breached", "limit 100000"}},
		{"escape", "def curate(ctx):\n    return files.read(\"../x\")\n", nil, []string{"escape.star:2:22", "leaves the job directory"}},
		{"http", "def curate(ctx):\n    return http.get(\"http://127.0.0.1:1/\")\n", nil, []string{"not on the worker's http allow-list"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"worker", "run-once", "--script", write(tc.name+".star", tc.src), "--schema", schema}, tc.extra...)
			out, errOut, code := runEnigma(t, nil, args...)
			if code != 1 || out != "" {
				t.Fatalf("exit %d, stdout %q; want exit 1 and no rows", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "goroutine") {
				t.Errorf("panic output: %s", errOut)
			}
		})
	}
}

type acceptingPusher struct{}

func (acceptingPusher) Push(context.Context, identity.NodeID, *wire.Batch) error { return nil }

func TestWorkerJobsShowsHistory(t *testing.T) {
	datadir := t.TempDir()
	out, _, code := runEnigma(t, []string{"ENIGMA_DATADIR=" + datadir}, "worker", "jobs")
	if code != 0 || !strings.Contains(out, "No worker jobs") {
		t.Fatalf("empty datadir: exit %d, %q", code, out)
	}

	clk := clock.NewSimulated(time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC))
	w, err := worker.New(worker.Config{Dir: filepath.Join(datadir, "worker"), Pusher: acceptingPusher{}, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "day", "type": "timestamp"}, {"name": "n", "type": "int64"}], "primary_key": ["day"]}`))
	if err != nil {
		t.Fatal(err)
	}
	job := worker.Job{
		Dataset: dataset.Path{Name: "counter"}, Version: 2, Schema: schema, Schedule: "daily",
		Script:           []byte("def curate(ctx):\n    return [[ctx.scheduled_at, i] for i in range(3)][:1]\n"),
		PersistenceNodes: []identity.NodeID{{1}},
	}
	if _, err := w.SetJob(job); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.History().WaitForRuns(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := clk.WaitForTimers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := w.Stop(); err != nil {
		t.Fatal(err)
	}

	out, errOut, code := runEnigma(t, []string{"ENIGMA_DATADIR=" + datadir}, "worker", "jobs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"/counter", "daily", "2026-03-02T00:00:00Z", "2026-03-01T06:00:00Z", " ok ", job.Dataset.ID().Hex(), "Recent runs", "1/1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, errOut, code = runEnigma(t, []string{"ENIGMA_DATADIR=" + datadir}, "worker", "jobs", "--format", "json")
	jobs := decodeJSON[struct {
		Jobs []jobOut `json:"jobs"`
		Runs []runOut `json:"runs"`
	}](t, "worker jobs", out)
	if code != 0 || len(jobs.Jobs) != 1 || len(jobs.Runs) != 1 {
		t.Fatalf("worker jobs --format json: exit %d: %+v %s", code, jobs, errOut)
	}
	if j, r := jobs.Jobs[0], jobs.Runs[0]; j.DatasetID != job.Dataset.ID().Hex() || j.Version != 2 || j.NextRun != "2026-03-02T00:00:00Z" ||
		j.LastRunStatus != "ok" || r.Rows != 1 || r.NodesOK != 1 || r.NodesTotal != 1 {
		t.Errorf("worker jobs --format json: job %+v, run %+v", j, r)
	}
}

func TestWorkerImportKeysAndPutFiles(t *testing.T) {
	datadir := t.TempDir()
	env := []string{"ENIGMA_DATADIR=" + datadir}
	keysPath := filepath.Join(t.TempDir(), "provider.keys")
	keys, err := colcrypt.GenerateKeys(bytes.NewReader(bytes.Repeat([]byte{9}, 128)))
	if err != nil {
		t.Fatal(err)
	}
	if err := colcrypt.SaveKeys(keysPath, keys); err != nil {
		t.Fatal(err)
	}
	const p = "0x00000000000000000000000000000000000000aa/crypto-daily"
	path, _ := dataset.ParsePath(p)
	if _, errOut, code := runEnigma(t, env, "worker", "import-keys", "--dataset", p, keysPath); code != 0 {
		t.Fatalf("import-keys: exit %d: %s", code, errOut)
	}
	installed, err := worker.KeysFromDir(filepath.Join(datadir, "worker", "keys"))(path.ID())
	if err != nil || *installed != *keys {
		t.Fatalf("the worker does not find the keys: %v", err)
	}
	if _, errOut, code := runEnigma(t, env, "worker", "import-keys", "--dataset", p, keysPath); code != 1 || !strings.Contains(errOut, "never overwritten") {
		t.Fatalf("second import: exit %d, %q; want a refusal", code, errOut)
	}
	if _, errOut, code := runEnigma(t, env, "worker", "import-keys", "--dataset", p, filepath.Join(exampleDir, "market.csv")); code != 1 || !strings.Contains(errOut, "column keys") {
		t.Fatalf("importing a CSV as keys: exit %d, %q", code, errOut)
	}

	if _, errOut, code := runEnigma(t, env, "worker", "put-files", "--dataset", p, filepath.Join(exampleDir, "market.csv")); code != 0 {
		t.Fatalf("put-files: exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(filepath.Join(worker.JobDir(filepath.Join(datadir, "worker"), path.ID()), "market.csv"))
	if err != nil || !bytes.Equal(got, mustRead(t, filepath.Join(exampleDir, "market.csv"))) {
		t.Fatalf("market.csv not in the job directory: %v", err)
	}
	jobDir := worker.JobDir(filepath.Join(datadir, "worker"), path.ID())
	for p, want := range map[string]os.FileMode{jobDir: 0o700, filepath.Join(jobDir, "market.csv"): 0o600} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %#o, want %#o (issue 15, 9)", p, info.Mode().Perm(), want)
		}
	}
}

package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker"
	"github.com/enigma-mpc/enigma/worker/script"
)

const catWorker = "WORKER"

var (
	workerScriptFlag = &cli.PathFlag{
		Name: "script", Usage: "curation script (Starlark) defining curate(ctx)", Required: true, Category: catWorker,
	}
	workerSchemaFlag = &cli.PathFlag{
		Name: "schema", Usage: "dataset schema file (JSON)", Required: true, Category: catWorker,
	}
	workerDirFlag = &cli.PathFlag{
		Name: "dir", Usage: "directory the script may read (default: the script's directory)", Category: catWorker,
	}
	workerSlotFlag = &cli.StringFlag{
		Name: "slot", Usage: "schedule slot the run is for, as ctx.scheduled_at sees it (RFC 3339 or YYYY-MM-DD; default now)", Category: catWorker,
	}
	workerAllowURLFlag = &cli.StringSliceFlag{
		Name: "allow-url", Usage: "URL prefix http.get may fetch (repeatable), e.g. https://api.example.com/v1/",
		EnvVars: envName("worker.allow-url"), Category: catWorker,
	}
	workerMaxStepsFlag = &cli.Uint64Flag{
		Name: "max-steps", Usage: "Starlark execution step limit", Value: script.DefaultLimits.MaxSteps,
		EnvVars: envName("worker.max-steps"), Category: catWorker,
	}
	workerMaxWallTimeFlag = &cli.DurationFlag{
		Name: "max-wall-time", Usage: "wall-time limit of one run", Value: script.DefaultLimits.MaxWallTime,
		EnvVars: envName("worker.max-wall-time"), Category: catWorker,
	}
	workerMaxMemoryFlag = &cli.Int64Flag{
		Name: "max-memory", Usage: "heap growth limit of one run, bytes", Value: script.DefaultLimits.MaxMemoryBytes,
		EnvVars: envName("worker.max-memory"), Category: catWorker,
	}
	workerKeysFlag = &cli.PathFlag{
		Name: "keys", Usage: "provider column-keys file: print the rows encrypted, exactly as they would be pushed (needs --dataset)", Category: catWorker,
	}
	workerDatasetFlag = &cli.StringFlag{
		Name: "dataset", Usage: "dataset path <provider address>/<name> (binds encryption to the dataset ID)", Category: catWorker,
	}
	workerDatasetRequiredFlag = &cli.StringFlag{
		Name: "dataset", Usage: "dataset path <provider address>/<name>", Required: true, Category: catWorker,
	}
	workerFormatFlag = &cli.StringFlag{
		Name: "format", Usage: "output format: table, csv or json", Value: "table", Category: catWorker,
	}
	workerLimitFlag = &cli.IntFlag{
		Name: "limit", Usage: "print at most this many rows (0: all)", Category: catWorker,
	}
	workerRunsFlag = &cli.IntFlag{
		Name: "runs", Usage: "also list this many most recent runs", Value: 10, Category: catWorker,
	}
)

var workerCommand = &cli.Command{
	Name:  "worker",
	Usage: "run curation scripts and inspect a worker's jobs",
	Subcommands: []*cli.Command{
		{
			Name:  "run-once",
			Usage: "run a curation script locally and print the rows it would push",
			Description: "Runs the script in the same sandbox and limits a worker node uses, checks its rows\n" +
				"against the schema and prints them (plaintext, or encrypted with --keys and --dataset).\n" +
				"Nothing is pushed. Script errors name file:line:column, schema violations name row\n" +
				"and column, and a breached limit is named.",
			Flags: []cli.Flag{workerScriptFlag, workerSchemaFlag, workerDirFlag, workerSlotFlag, workerAllowURLFlag,
				workerMaxStepsFlag, workerMaxWallTimeFlag, workerMaxMemoryFlag, workerKeysFlag, workerDatasetFlag,
				workerFormatFlag, workerLimitFlag},
			Action: workerRunOnce,
		},
		{
			Name:   "jobs",
			Usage:  "show the worker's jobs and the outcome of recent runs (from <datadir>/worker)",
			Flags:  []cli.Flag{workerRunsFlag, formatFlag},
			Action: workerJobs,
		},
		{
			Name:      "import-keys",
			Usage:     "install a provider's column keys for a dataset this node curates",
			ArgsUsage: "<keys file>",
			Description: "Copies the keys file (written by the provider) to <datadir>/worker/keys/<dataset ID>.keys\n" +
				"with mode 0600, where the worker looks for them; refuses to overwrite installed keys.",
			Flags:  []cli.Flag{workerDatasetRequiredFlag},
			Action: workerImportKeys,
		},
		{
			Name:      "put-files",
			Usage:     "copy input files into a dataset's job directory, where its script can read them",
			ArgsUsage: "<file>...",
			Flags:     []cli.Flag{workerDatasetRequiredFlag},
			Action:    workerPutFiles,
		},
	},
}

// workerDir is where a node's worker keeps its history and job directories.
func workerDir(ctx *cli.Context) string { return filepath.Join(datadir(ctx), "worker") }

func workerRunOnce(ctx *cli.Context) error {
	scriptPath := ctx.Path(workerScriptFlag.Name)
	src, err := os.ReadFile(scriptPath)
	if err != nil {
		return fmt.Errorf("read the script: %w", err)
	}
	if len(src) > worker.MaxScriptSize {
		return fmt.Errorf("script %s is %d bytes, the limit is %d", scriptPath, len(src), worker.MaxScriptSize)
	}
	schemaBytes, err := os.ReadFile(ctx.Path(workerSchemaFlag.Name))
	if err != nil {
		return fmt.Errorf("read the schema: %w", err)
	}
	schema, err := dataset.ParseSchemaJSON(schemaBytes)
	if err != nil {
		return fmt.Errorf("%s: %w", ctx.Path(workerSchemaFlag.Name), err)
	}
	slot := time.Now().UTC()
	if s := ctx.String(workerSlotFlag.Name); s != "" {
		if slot, err = parseSlot(s); err != nil {
			return err
		}
	}
	var cipher *colcrypt.Cipher
	label := ""
	if p := ctx.String(workerDatasetFlag.Name); p != "" {
		path, err := dataset.ParsePath(p)
		if err != nil {
			return err
		}
		label = path.String()
		if kp := ctx.Path(workerKeysFlag.Name); kp != "" {
			keys, err := colcrypt.LoadKeys(kp)
			if err != nil {
				return err
			}
			if cipher, err = colcrypt.New(keys, path.ID()); err != nil {
				return err
			}
		}
	} else if ctx.Path(workerKeysFlag.Name) != "" {
		return errors.New("--keys needs --dataset: encryption is bound to the dataset ID")
	}
	format := ctx.String(workerFormatFlag.Name)
	if format != "table" && format != "csv" && format != "json" {
		return fmt.Errorf("--format %q: use table, csv or json", format)
	}
	dir := ctx.Path(workerDirFlag.Name)
	if dir == "" {
		dir = filepath.Dir(scriptPath)
	}

	runCtx, stop := signal.NotifyContext(ctx.Context, os.Interrupt)
	defer stop()
	started := time.Now()
	res, err := script.Run(runCtx, script.Config{
		Dir:       dir,
		AllowURLs: ctx.StringSlice(workerAllowURLFlag.Name),
		Limits: script.Limits{
			MaxSteps:       ctx.Uint64(workerMaxStepsFlag.Name),
			MaxWallTime:    ctx.Duration(workerMaxWallTimeFlag.Name),
			MaxMemoryBytes: ctx.Int64(workerMaxMemoryFlag.Name),
		},
	}, script.Input{
		Filename: scriptPath, Source: src, Schema: &schema, Dataset: label, ScheduledAt: slot,
	})
	if err != nil {
		return explainRunError(err)
	}
	rows := res.Rows
	if cipher != nil {
		for i, r := range rows {
			if rows[i], err = cipher.EncryptRow(&schema, i+1, r); err != nil {
				return fmt.Errorf("encrypt: %w", err)
			}
		}
	}
	shown := rows
	if n := ctx.Int(workerLimitFlag.Name); n > 0 && n < len(rows) {
		shown = rows[:n]
	}
	names := make([]string, len(schema.Columns))
	for i, c := range schema.Columns {
		names[i] = c.Name
	}
	if err := printRows(ctx.App.Writer, format, names, shown); err != nil {
		return err
	}
	state := "plaintext, before column encryption"
	if cipher != nil {
		state = "encrypted as they would be pushed"
	}
	fmt.Fprintf(ctx.App.ErrWriter, "%d rows (%s; %d shown), %d steps, %d input bytes, %s\n",
		len(rows), state, len(shown), res.Steps, res.InputBytes, time.Since(started).Round(time.Millisecond))
	return nil
}

// parseSlot reads --slot: RFC 3339 or a date (midnight UTC).
func parseSlot(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--slot %q: use RFC 3339 (2025-01-03T00:00:00Z) or a date (2025-01-03)", s)
}

// explainRunError adds what to do next to the sandbox's errors.
func explainRunError(err error) error {
	var rowErr *dataset.RowError
	if errors.As(err, &rowErr) {
		return fmt.Errorf("%w (the script's rows must match --schema; fix the script or the schema)", err)
	}
	return err
}

// printRows writes rows under the column names as a table, CSV or JSON
// lines (format "table", "csv" or "json").
func printRows(w io.Writer, format string, names []string, rows []dataset.Row) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(names); err != nil {
			return err
		}
		for _, r := range rows {
			if err := cw.Write(cellStrings(r)); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case "json":
		// One object per row, its members in column order; two columns of
		// one name (SELECT e, a, e) are both written, as JSON allows.
		var b []byte
		for _, r := range rows {
			b = append(b[:0], '{')
			for i, v := range r {
				if i > 0 {
					b = append(b, ',')
				}
				k, err := json.Marshal(names[i])
				if err != nil {
					return err
				}
				c, err := json.Marshal(jsonCell(v))
				if err != nil {
					return err
				}
				b = append(append(append(b, k...), ':'), c...)
			}
			b = append(b, '}', '\n')
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(names, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(cellStrings(r), "\t"))
	}
	return tw.Flush()
}

func cellStrings(r dataset.Row) []string {
	out := make([]string, len(r))
	for i, v := range r {
		if v.Kind == dataset.TypeFloat64 {
			// Plain digits read better in tables than Go's exponent form.
			out[i] = strconv.FormatFloat(v.Float, 'f', -1, 64)
			continue
		}
		out[i] = v.String()
	}
	return out
}

func jsonCell(v dataset.Value) any {
	switch v.Kind {
	case 0:
		return nil
	case dataset.TypeInt64:
		return v.Int
	case dataset.TypeFloat64:
		return v.Float
	case dataset.TypeBool:
		return v.Int != 0
	}
	return v.String()
}

// jobOut is a worker's job for scripts, with its last run.
type jobOut struct {
	Dataset       string `json:"dataset"`
	DatasetID     string `json:"dataset_id"`
	Version       uint64 `json:"version"`
	Schedule      string `json:"schedule"`
	NextRun       string `json:"next_run"` // RFC 3339, UTC; empty when none is due
	Dir           string `json:"dir"`
	LastRunStatus string `json:"last_run_status"` // empty: never ran
	LastRunSlot   string `json:"last_run_slot"`
	LastRunRows   int    `json:"last_run_rows"`
	LastRunError  string `json:"last_run_error"`
}

// runOut is one run for scripts.
type runOut struct {
	Dataset    string `json:"dataset"`
	Version    uint64 `json:"version"`
	Slot       string `json:"slot"`
	Started    string `json:"started"`
	Status     string `json:"status"`
	Attempts   int    `json:"attempts"`
	Rows       int    `json:"rows"`
	Batches    int    `json:"batches"`
	NodesOK    int    `json:"nodes_ok"`
	NodesTotal int    `json:"nodes_total"`
	DurationMS int64  `json:"duration_ms"`
	Error      string `json:"error"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// printJobs is worker jobs as json ({"jobs": […], "runs": […]}, the last
// --runs runs) or csv (the jobs, one row each).
func printJobs(ctx *cli.Context, format string, file worker.HistoryFile) error {
	last := make(map[string]worker.RunRecord)
	for _, r := range file.Runs {
		last[r.DatasetID] = r
	}
	jobs := []jobOut{}
	for _, j := range file.Jobs {
		o := jobOut{Dataset: j.Dataset, DatasetID: j.DatasetID, Version: uint64(j.Version), Schedule: j.Schedule, NextRun: rfc3339(j.NextRun), Dir: j.Dir}
		if r, ok := last[j.DatasetID]; ok {
			o.LastRunStatus, o.LastRunSlot, o.LastRunRows, o.LastRunError = string(r.Status), rfc3339(r.Slot), int(r.Rows), r.Error
		}
		jobs = append(jobs, o)
	}
	if format == "csv" {
		return writeData(ctx.App.Writer, format, jobs)
	}
	runs := []runOut{}
	for _, r := range file.Runs[max(0, len(file.Runs)-max(0, ctx.Int(workerRunsFlag.Name))):] {
		runs = append(runs, runOut{Dataset: r.Dataset, Version: uint64(r.Version), Slot: rfc3339(r.Slot), Started: rfc3339(r.Started),
			Status: string(r.Status), Attempts: int(r.Attempts), Rows: int(r.Rows), Batches: int(r.Batches), NodesOK: int(r.NodesOK),
			NodesTotal: int(r.NodesTotal), DurationMS: r.Duration().Milliseconds(), Error: r.Error})
	}
	return writeData(ctx.App.Writer, format, struct {
		Jobs []jobOut `json:"jobs"`
		Runs []runOut `json:"runs"`
	}{jobs, runs})
}

func workerJobs(ctx *cli.Context) error {
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	dir := workerDir(ctx)
	file, err := worker.ReadHistory(filepath.Join(dir, worker.HistoryFileName))
	if err != nil {
		return err
	}
	if format != "table" {
		return printJobs(ctx, format, file)
	}
	out := ctx.App.Writer
	if len(file.Jobs) == 0 && len(file.Runs) == 0 {
		fmt.Fprintf(out, "No worker jobs or runs recorded under %s (a node with the worker role records them there).\n", dir)
		return nil
	}
	last := make(map[string]worker.RunRecord)
	for _, r := range file.Runs {
		last[r.DatasetID] = r
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tVERSION\tSCHEDULE\tNEXT RUN\tLAST RUN\tSTATUS\tROWS\tDURATION\tERROR")
	for _, j := range file.Jobs {
		next := "-"
		if !j.NextRun.IsZero() {
			next = j.NextRun.UTC().Format(time.RFC3339)
		}
		lastRun, status, rows, dur, msg := "-", "-", "-", "-", ""
		if r, ok := last[j.DatasetID]; ok {
			lastRun, status, rows, dur, msg = r.Started.UTC().Format(time.RFC3339), string(r.Status), fmt.Sprint(r.Rows), r.Duration().String(), oneLine(r.Error)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", j.Dataset, j.Version, j.Schedule, next, lastRun, status, rows, dur, msg)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, j := range file.Jobs {
		fmt.Fprintf(out, "%s: dataset ID %s, script directory %s\n", j.Dataset, j.DatasetID, j.Dir)
	}
	n := ctx.Int(workerRunsFlag.Name)
	if n <= 0 || len(file.Runs) == 0 {
		return nil
	}
	runs := file.Runs[max(0, len(file.Runs)-n):]
	fmt.Fprintf(out, "\nRecent runs (newest last):\n")
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tVERSION\tSLOT\tSTARTED\tSTATUS\tATTEMPTS\tROWS\tBATCHES\tNODES\tDURATION\tERROR")
	for _, r := range runs {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d/%d\t%s\t%s\n", r.Dataset, r.Version,
			r.Slot.UTC().Format(time.RFC3339), r.Started.UTC().Format(time.RFC3339), r.Status, r.Attempts,
			r.Rows, r.Batches, r.NodesOK, r.NodesTotal, r.Duration(), oneLine(r.Error))
	}
	return tw.Flush()
}

// oneLine shortens an error for a table cell.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	const max = 100
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

func workerDatasetPath(ctx *cli.Context) (dataset.Path, error) {
	return dataset.ParsePath(ctx.String(workerDatasetRequiredFlag.Name))
}

func workerImportKeys(ctx *cli.Context) error {
	if ctx.NArg() != 1 {
		return errors.New("give exactly one keys file")
	}
	path, err := workerDatasetPath(ctx)
	if err != nil {
		return err
	}
	keys, err := colcrypt.LoadKeys(ctx.Args().First())
	if err != nil {
		return err
	}
	dir := filepath.Join(workerDir(ctx), "keys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("keys directory: %w", err)
	}
	dest := filepath.Join(dir, worker.KeysFileName(path.ID()))
	if err := colcrypt.SaveKeys(dest, keys); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Installed the column keys of %s at %s\n", path, dest)
	return nil
}

func workerPutFiles(ctx *cli.Context) error {
	if ctx.NArg() == 0 {
		return errors.New("give the files to copy")
	}
	path, err := workerDatasetPath(ctx)
	if err != nil {
		return err
	}
	dir := worker.JobDir(workerDir(ctx), path.ID())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("job directory: %w", err)
	}
	for _, src := range ctx.Args().Slice() {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		dest := filepath.Join(dir, filepath.Base(src))
		if err := os.WriteFile(dest, data, 0o600); err != nil {
			return fmt.Errorf("copy %s: %w", src, err)
		}
		fmt.Fprintf(ctx.App.Writer, "%s → %s (%d bytes)\n", src, dest, len(data))
	}
	return nil
}

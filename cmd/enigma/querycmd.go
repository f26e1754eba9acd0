package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/sql"
)

const catQuery = "QUERY"

var (
	queryFormatFlag = &cli.StringFlag{
		Name: "format", Usage: "output format: table, csv or json (one object per line)", Value: "table",
		EnvVars: envName("query.format"), Category: catQuery,
	}
	queryKeysFlag = &cli.PathFlag{
		Name:     "keys",
		Usage:    "the dataset's column keys (enigma query keys new); exec encrypts constants and decrypts results with them, ingest encrypts det/ope/ore columns",
		EnvVars:  envName("query.keys"),
		Category: catQuery,
	}
	queryTimeoutFlag = &cli.DurationFlag{
		Name: "timeout", Usage: "stop the query after this long", Value: 30 * time.Second, Category: catQuery,
	}
	queryMaxRowsFlag = &cli.IntFlag{
		Name: "max-rows", Usage: "return at most this many rows (the rest is reported as truncated)", Value: 100_000, Category: catQuery,
	}
	queryDatasetFlag = &cli.StringFlag{
		Name: "dataset", Usage: "dataset path, 0x<provider address>/<name>", Required: true, Category: catQuery,
	}
)

var queryCommand = &cli.Command{
	Name:  "query",
	Usage: "operate the local query store of a persistence node",
	Description: "The store is the persistence node's own, <datadir>/datasets (Pebble). exec runs a query as the\n" +
		"node would, without the subscriber checks; ingest loads a CSV file; datasets lists what is stored.\n" +
		"A store a running node holds is refused (stop the node, or ask it over the network with\n" +
		"'enigma subscriber query').",
	Subcommands: []*cli.Command{
		{
			Name:      "exec",
			Usage:     "run a query against the local store",
			ArgsUsage: `"SELECT … FROM dataset …"`,
			Description: "The query language is SQLite's SELECT: expressions, functions, aggregates, GROUP BY/HAVING,\n" +
				"DISTINCT, joins (datasets by name or path, a dataset with itself), subqueries, UNION/EXCEPT/INTERSECT,\n" +
				"ORDER BY, LIMIT/OFFSET (docs/arch/query.md). Prefix EXPLAIN to see the plan. With --keys (one dataset),\n" +
				"constants compared with encrypted columns are encrypted and encrypted result cells decrypted.",
			Flags:  []cli.Flag{queryFormatFlag, queryKeysFlag, queryTimeoutFlag, queryMaxRowsFlag},
			Action: queryExec,
		},
		{
			Name:  "ingest",
			Usage: "load rows from a CSV file into a dataset, creating it from --schema if needed",
			Description: "The CSV header names the columns (every schema column must be present). Timestamps are\n" +
				"RFC 3339 or integer microseconds, bools true/false, bytes hex. An empty field is NULL in a nullable\n" +
				"column. Loading the same file again is a no-op: batches are keyed by the run ID, which defaults to\n" +
				"a hash of the file.",
			Flags: []cli.Flag{
				queryDatasetFlag,
				&cli.PathFlag{Name: "csv", Usage: "CSV file with a header row", Required: true, Category: catQuery},
				&cli.PathFlag{Name: "schema", Usage: "schema JSON file (needed when the dataset is new)", Category: catQuery},
				queryKeysFlag,
				&cli.StringFlag{Name: "run-id", Usage: "ingest run ID (default: csv:<sha256 of the file>)", Category: catQuery},
				&cli.IntFlag{Name: "batch-rows", Usage: "rows per atomic batch", Value: 10_000, Category: catQuery},
			},
			Action: queryIngest,
		},
		{
			Name:   "datasets",
			Usage:  "list the datasets in the local store",
			Action: queryDatasets,
		},
		{
			Name:  "check",
			Usage: "verify that every table's rows and indexes agree (reads everything)",
			Action: func(ctx *cli.Context) error {
				store, err := openQueryStore(ctx, false)
				if err != nil {
					return err
				}
				defer store.Close()
				for _, t := range store.Tables() {
					if err := store.Check(t); err != nil {
						return fmt.Errorf("%w (re-ingest the dataset from its workers)", err)
					}
					fmt.Fprintf(ctx.App.Writer, "%s: consistent\n", t.Path)
				}
				return nil
			},
		},
		querySLTCommand,
		{
			Name:  "keys",
			Usage: "manage a dataset's column keys",
			Subcommands: []*cli.Command{{
				Name:  "new",
				Usage: "generate column keys into a new 0600 file",
				Flags: []cli.Flag{&cli.PathFlag{Name: "out", Usage: "file to create", Required: true, Category: catQuery}},
				Action: func(ctx *cli.Context) error {
					keys, err := colcrypt.GenerateKeys(rand.Reader)
					if err != nil {
						return err
					}
					if err := colcrypt.SaveKeys(ctx.Path("out"), keys); err != nil {
						return err
					}
					fmt.Fprintf(ctx.App.Writer, "Column keys written to %s. Keep them secret: they decrypt the dataset's encrypted columns.\n", ctx.Path("out"))
					return nil
				},
			}},
		},
	},
}

// queryStoreDir is the persistence node's store under --datadir: the one
// 'enigma node run --roles persistence' serves.
func queryStoreDir(ctx *cli.Context) string { return node.DatasetsDir(datadir(ctx)) }

// openQueryStore opens the store under --datadir for an operator's command.
// Only ingest may create it: reading a datadir without a store creates
// nothing and says why. A store a running node holds is refused by Pebble's
// lock, and the error says so.
func openQueryStore(ctx *cli.Context, create bool) (*query.Store, error) {
	dir := queryStoreDir(ctx)
	if !create {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no query store at %s: give the --datadir of a persistence node (or load a dataset with 'enigma query ingest')", dir)
		}
	}
	store, err := query.Open(dir, query.Options{})
	return store, storeInUse(err, dir)
}

func queryExec(ctx *cli.Context) error {
	if ctx.NArg() != 1 {
		return errors.New(`give the query as one argument, e.g. enigma query exec "SELECT * FROM prices LIMIT 10"`)
	}
	format := ctx.String(queryFormatFlag.Name)
	if format != "table" && format != "csv" && format != "json" {
		return fmt.Errorf("--format %q: use table, csv or json", format)
	}
	q := ctx.Args().First()
	store, err := openQueryStore(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	st, err := sql.Parse(q)
	if err != nil {
		return err
	}
	kp := ctx.Path(queryKeysFlag.Name)
	if kp == "" && st.From == "" {
		// Several datasets (or none): names are resolved in the store.
		res, err := store.Query(ctx.Context, q, query.QueryOptions{Limits: query.Limits{MaxResultRows: ctx.Int(queryMaxRowsFlag.Name), Timeout: ctx.Duration(queryTimeoutFlag.Name)}})
		if err != nil {
			return err
		}
		return finishQueryExec(ctx, format, res)
	}
	if st.From == "" {
		return errors.New("--keys decrypts one dataset: the query must read a single dataset")
	}
	t, err := store.Resolve(st.From)
	if err != nil {
		return err
	}
	var cipher *colcrypt.Cipher
	if kp != "" {
		keys, err := colcrypt.LoadKeys(kp)
		if err != nil {
			return err
		}
		if cipher, err = colcrypt.New(keys, t.ID()); err != nil {
			return err
		}
		if q, err = access.EncryptQuery(q, &t.Schema, cipher); err != nil {
			return err
		}
		if st, err = sql.Parse(q); err != nil {
			return err
		}
	}
	lim := query.Limits{MaxResultRows: ctx.Int(queryMaxRowsFlag.Name), Timeout: ctx.Duration(queryTimeoutFlag.Name)}
	res, err := store.Run(ctx.Context, q, st, t, query.QueryOptions{Limits: lim})
	if err != nil {
		return err
	}
	if cipher != nil {
		if err := access.DecryptResult(res, &t.Schema, cipher); err != nil {
			return fmt.Errorf("%w (are --keys the keys of %s?)", err, t.Path)
		}
	}
	return finishQueryExec(ctx, format, res)
}

func finishQueryExec(ctx *cli.Context, format string, res *query.Result) error {
	if err := printResult(ctx.App.Writer, format, res); err != nil {
		return err
	}
	if res.Truncated {
		fmt.Fprintf(ctx.App.ErrWriter, "result truncated at %d rows (raise --max-rows or add LIMIT)\n", len(res.Rows))
	}
	return nil
}

func printResult(w io.Writer, format string, res *query.Result) error {
	names := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		names[i] = c.Name
	}
	return printRows(w, format, names, res.Rows)
}

func queryDatasets(ctx *cli.Context) error {
	store, err := openQueryStore(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	tables := store.Tables()
	if len(tables) == 0 {
		fmt.Fprintf(ctx.App.Writer, "No datasets in %s (load one with enigma query ingest).\n", queryStoreDir(ctx))
		return nil
	}
	tw := tabwriter.NewWriter(ctx.App.Writer, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tID\tROWS\tCOLUMNS")
	for _, t := range tables {
		res, err := store.Query(ctx.Context, fmt.Sprintf(`SELECT COUNT(*) FROM "%s"`, t.Path), query.QueryOptions{})
		if err != nil {
			return err
		}
		var cols []string
		for _, c := range t.Schema.Columns {
			s := c.Name + " " + c.Type.String()
			if c.Encryption != dataset.EncNone {
				s += " " + c.Encryption.String()
			}
			cols = append(cols, s)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", t.Path, t.ID().Hex(), res.Rows[0][0].Int, strings.Join(cols, ", "))
	}
	return tw.Flush()
}

func queryIngest(ctx *cli.Context) error {
	path, err := dataset.ParsePath(ctx.String(queryDatasetFlag.Name))
	if err != nil {
		return err
	}
	data, err := os.ReadFile(ctx.Path("csv"))
	if err != nil {
		return err
	}
	store, err := openQueryStore(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := store.Table(path.ID())
	if err != nil {
		sp := ctx.Path("schema")
		if sp == "" {
			return fmt.Errorf("dataset %s is new here: give its --schema", path)
		}
		b, err := os.ReadFile(sp)
		if err != nil {
			return err
		}
		schema, err := dataset.ParseSchemaJSON(b)
		if err != nil {
			return fmt.Errorf("%s: %w", sp, err)
		}
		if t, err = store.CreateDataset(path, schema); err != nil {
			return err
		}
	}
	var cipher *colcrypt.Cipher
	encrypted := t.Schema.HasEncryptedColumns()
	if kp := ctx.Path(queryKeysFlag.Name); kp != "" {
		keys, err := colcrypt.LoadKeys(kp)
		if err != nil {
			return err
		}
		if cipher, err = colcrypt.New(keys, t.ID()); err != nil {
			return err
		}
	} else if encrypted {
		return fmt.Errorf("dataset %s has encrypted columns: give the provider's --keys to encrypt them", path)
	}
	rows, err := parseCSVRows(data, &t.Schema)
	if err != nil {
		return fmt.Errorf("%s: %w", ctx.Path("csv"), err)
	}
	runID := ctx.String("run-id")
	if runID == "" {
		sum := sha256.Sum256(data)
		runID = "csv:" + hex.EncodeToString(sum[:])
	}
	per := max(1, min(ctx.Int("batch-rows"), query.MaxBatchRows))
	applied, start := 0, time.Now()
	for seq := 0; seq*per < len(rows); seq++ {
		chunk := rows[seq*per : min(len(rows), (seq+1)*per)]
		if cipher != nil {
			for i, r := range chunk {
				enc, err := cipher.EncryptRow(&t.Schema, seq*per+i+2, r) // +2: 1-based, after the header
				if err != nil {
					return fmt.Errorf("%s: %w (rows are numbered by CSV line)", ctx.Path("csv"), err)
				}
				chunk[i] = enc
			}
		}
		res, err := store.Ingest(query.Batch{Dataset: t.ID(), RunID: runID, Seq: uint64(seq), Rows: chunk})
		if err != nil {
			return err
		}
		if res.Applied {
			applied += res.Rows
		}
	}
	if applied > 0 {
		// A bulk load is the moment to settle the table's files, not the
		// first queries' (see Store.CompactTable).
		if err := store.CompactTable(ctx.Context, t); err != nil {
			return err
		}
	}
	fmt.Fprintf(ctx.App.Writer, "Ingested %d of %d rows into %s in %v (%d already present from an earlier run %s).\n",
		applied, len(rows), t.Path, time.Since(start).Round(time.Millisecond), len(rows)-applied, runID)
	return nil
}

// parseCSVRows reads plaintext rows; errors name the line and column.
func parseCSVRows(data []byte, s *dataset.Schema) ([]dataset.Row, error) {
	r := csv.NewReader(strings.NewReader(string(data)))
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read the CSV header: %w", err)
	}
	pos := make([]int, len(s.Columns))
	for i, c := range s.Columns {
		pos[i] = -1
		for j, h := range header {
			if strings.TrimSpace(h) == c.Name {
				pos[i] = j
			}
		}
		if pos[i] < 0 {
			return nil, fmt.Errorf("the CSV header has no column %q (header: %s)", c.Name, strings.Join(header, ","))
		}
	}
	var rows []dataset.Row
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		row := make(dataset.Row, len(s.Columns))
		for i, c := range s.Columns {
			v, err := parseCell(c, rec[pos[i]])
			if err != nil {
				return nil, fmt.Errorf("line %d, column %q: %w", line, c.Name, err)
			}
			row[i] = v
		}
		if err := s.CheckRow(line, row); err != nil {
			return nil, fmt.Errorf("%w (rows are numbered by CSV line)", err)
		}
		rows = append(rows, row)
	}
}

func parseCell(c dataset.Column, f string) (dataset.Value, error) {
	if f == "" && (c.Nullable || c.Type != dataset.TypeString) {
		return dataset.Null, nil
	}
	switch c.Type {
	case dataset.TypeInt64:
		i, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return dataset.Value{}, fmt.Errorf("%q is not an int64", f)
		}
		return dataset.Int64(i), nil
	case dataset.TypeFloat64:
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return dataset.Value{}, fmt.Errorf("%q is not a number", f)
		}
		return dataset.Float64(x), nil
	case dataset.TypeString:
		return dataset.String(f), nil
	case dataset.TypeBytes:
		b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(f), "0x"))
		if err != nil {
			return dataset.Value{}, fmt.Errorf("%q is not hex bytes", f)
		}
		return dataset.Bytes(b), nil
	case dataset.TypeBool:
		b, err := strconv.ParseBool(strings.TrimSpace(f))
		if err != nil {
			return dataset.Value{}, fmt.Errorf("%q is not true or false", f)
		}
		return dataset.Bool(b), nil
	case dataset.TypeTimestamp:
		f = strings.TrimSpace(f)
		if i, err := strconv.ParseInt(f, 10, 64); err == nil {
			return dataset.Value{Kind: dataset.TypeTimestamp, Int: i}, nil
		}
		for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
			if ts, err := time.Parse(layout, f); err == nil {
				return dataset.Timestamp(ts), nil
			}
		}
		return dataset.Value{}, fmt.Errorf("%q is not an RFC 3339 time, a date or integer microseconds", f)
	}
	return dataset.Value{}, fmt.Errorf("unknown column type %s", c.Type)
}

// Package slt runs sqllogictest files (the format of SQLite's test corpus)
// against the query engine.
//
// Tables are created as datasets and loaded through the engine's own
// ingest (Store.Ingest); every query runs through Store.RunCatalog, the
// path a persistence node's queries take, and optionally a second time with
// a forced full scan, which must give the same rows. The runner acts as
// SQLite: records marked "skipif sqlite" or "onlyif <another engine>" are
// skipped. Results are rendered as the reference runner renders them
// (I: integers, R: "%.3f", T: text, NULL, "(empty)"), sorted by the
// record's mode (nosort, rowsort, valuesort) and compared value by value or
// through the "N values hashing to H" MD5 rule.
//
// Each query is counted as passed, failed (the engine returned rows, and
// they differ: a wrong answer), or unsupported (the engine refused it:
// parse, type or feature errors, limits). Statements the runner cannot
// reproduce (a CREATE TRIGGER, an UPDATE through a view) make the tables
// they touch unreliable; later queries reading them are counted as
// unsupported too, never as passed or failed.
//
// Data changes (DELETE, UPDATE, INSERT OR REPLACE) are applied to the
// runner's copy of each table — the rows to change are chosen by the
// engine, running the statement's WHERE as a query — and the table is then
// loaded afresh as a new dataset, since datasets are written only by
// ingest.
package slt

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/sql"
)

// Options tune a run.
type Options struct {
	// ScanCheck runs every query a second time with a forced full scan and
	// counts a difference as a failure.
	ScanCheck bool
	// MaxQueries stops a file after this many queries (0: all).
	MaxQueries int
	// KeepFailures is how many failures (and refusals) to keep per file
	// with their details.
	KeepFailures int
	// Limits for each query; zero fields take query.DefaultLimits.
	Limits query.Limits
}

// Outcome is what happened to one query record.
type Outcome uint8

// Outcomes.
const (
	Passed Outcome = iota + 1
	Failed
	Unsupported
)

// Case is one query that did not pass.
type Case struct {
	Line     int
	SQL      string
	Outcome  Outcome
	Reason   string // the engine's error, or what differs
	Expected []string
	Got      []string
}

// FileResult counts a file's queries.
type FileResult struct {
	Name        string
	Passed      int
	Failed      int
	Unsupported int
	Skipped     int // records for other engines
	Statements  int // statements run
	BadStmts    int // statements whose outcome differed from the file's
	Cases       []Case
	// Reasons counts refusals by the first words of the engine's error.
	Reasons  map[string]int
	Duration time.Duration
}

// Total is the number of queries counted.
func (r *FileResult) Total() int { return r.Passed + r.Failed + r.Unsupported }

// RunFile runs one test file.
func RunFile(path string, opts Options) (*FileResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Run(path, f, opts)
}

// Run runs the records read from r; name labels the result.
func Run(name string, r io.Reader, opts Options) (*FileResult, error) {
	dir, err := os.MkdirTemp("", "enigma-slt-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	store, err := query.Open(filepath.Join(dir, "db"), query.Options{FS: vfs.NewMem(), CacheBytes: 16 << 20})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	db := newDatabase(store)
	res := &FileResult{Name: name, Reasons: map[string]int{}}
	start := time.Now()
	err = readRecords(r, func(rec *record) (bool, error) {
		if !rec.applies() {
			if rec.kind == recQuery {
				res.Skipped++
			}
			return true, nil
		}
		switch rec.kind {
		case recHalt:
			return false, nil
		case recStatement:
			res.Statements++
			err := db.exec(rec.sql)
			if (err == nil) != rec.expectOK {
				res.BadStmts++
				if err != nil {
					db.taintFor(rec.sql)
				}
			}
		case recQuery:
			if opts.MaxQueries > 0 && res.Total() >= opts.MaxQueries {
				return false, nil
			}
			c := db.query(rec, opts)
			switch c.Outcome {
			case Passed:
				res.Passed++
			case Failed:
				res.Failed++
			case Unsupported:
				res.Unsupported++
				res.Reasons[reasonKey(c.Reason)]++
			}
			if c.Outcome != Passed && len(res.Cases) < opts.KeepFailures {
				res.Cases = append(res.Cases, c)
			}
		}
		return true, nil
	})
	res.Duration = time.Since(start)
	return res, err
}

// reasonKey groups refusals by their message without positions and
// values.
func reasonKey(msg string) string {
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "query line") {
		msg = rest
	}
	var b strings.Builder
	inQuote := false
	for _, r := range msg {
		switch {
		case r == '"' || r == '\'':
			inQuote = !inQuote
			if inQuote {
				b.WriteString("…")
			}
		case inQuote:
		case r >= '0' && r <= '9':
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) > 90 {
		s = s[:90]
	}
	return s
}

type recordKind uint8

const (
	recStatement recordKind = iota + 1
	recQuery
	recHalt
	recOther
)

type record struct {
	line     int
	kind     recordKind
	skip     bool // skipif sqlite / onlyif another engine
	sql      string
	expectOK bool
	types    string
	sortMode string
	expected []string
}

func (r *record) applies() bool { return !r.skip }

// readRecords parses the file and calls fn for each record; fn returns
// false to stop.
func readRecords(r io.Reader, fn func(*record) (bool, error)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		line++
		return strings.TrimRight(sc.Text(), "\r"), true
	}
	for {
		l, ok := next()
		if !ok {
			return sc.Err()
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		rec := &record{line: line}
		// Conditions.
		for {
			f := strings.Fields(l)
			if len(f) >= 2 && (f[0] == "skipif" || f[0] == "onlyif") {
				db := f[1]
				if (f[0] == "skipif" && db == "sqlite") || (f[0] == "onlyif" && db != "sqlite") {
					rec.skip = true
				}
				if l, ok = next(); !ok {
					return sc.Err()
				}
				continue
			}
			break
		}
		f := strings.Fields(l)
		switch {
		case len(f) == 0:
			continue
		case f[0] == "halt":
			rec.kind = recHalt
		case f[0] == "hash-threshold":
			continue
		case f[0] == "statement":
			rec.kind = recStatement
			rec.expectOK = len(f) > 1 && f[1] == "ok"
			var body []string
			for {
				s, ok := next()
				if !ok || strings.TrimSpace(s) == "" {
					break
				}
				body = append(body, s)
			}
			rec.sql = strings.Join(body, "\n")
		case f[0] == "query":
			rec.kind = recQuery
			if len(f) > 1 {
				rec.types = f[1]
			}
			rec.sortMode = "nosort"
			if len(f) > 2 {
				rec.sortMode = f[2]
			}
			var body []string
			inResult := false
			for {
				s, ok := next()
				if !ok {
					break
				}
				if !inResult && s == "----" {
					inResult = true
					continue
				}
				if strings.TrimSpace(s) == "" {
					break
				}
				if inResult {
					rec.expected = append(rec.expected, s)
				} else {
					body = append(body, s)
				}
			}
			rec.sql = strings.Join(body, "\n")
		default:
			rec.kind = recOther
			for {
				s, ok := next()
				if !ok || strings.TrimSpace(s) == "" {
					break
				}
			}
		}
		more, err := fn(rec)
		if err != nil || !more {
			return err
		}
	}
}

// query runs one query record.
func (db *database) query(rec *record, opts Options) Case {
	c := Case{Line: rec.line, SQL: rec.sql, Expected: rec.expected}
	unsupported := func(reason string) Case {
		c.Outcome, c.Reason = Unsupported, reason
		return c
	}
	if db.err != nil {
		return unsupported(db.err.Error())
	}
	st, err := sql.Parse(strings.TrimSuffix(strings.TrimSpace(rec.sql), ";"))
	if err != nil {
		return unsupported(err.Error())
	}
	if bad := db.tainted(st); bad != "" {
		return unsupported("the runner could not reproduce an earlier statement on " + bad)
	}
	if err := db.sync(st); err != nil {
		return unsupported(err.Error())
	}
	ctx := context.Background()
	res, err := db.store.RunCatalog(ctx, rec.sql, st, db, query.QueryOptions{Limits: opts.Limits})
	if err != nil {
		return unsupported(err.Error())
	}
	if res.Truncated {
		return unsupported("the result has more rows than the query limit")
	}
	got, err := render(res, rec.types)
	if err != nil {
		c.Outcome, c.Reason = Failed, err.Error()
		return c
	}
	if opts.ScanCheck {
		scan, err := db.store.RunCatalog(ctx, rec.sql, st, db, query.QueryOptions{Limits: opts.Limits, NoIndexes: true})
		if err != nil {
			c.Outcome, c.Reason = Failed, "the forced full scan failed: "+err.Error()
			return c
		}
		sgot, _ := render(scan, rec.types)
		a, b := sortValues(got, len(rec.types), "rowsort"), sortValues(sgot, len(rec.types), "rowsort")
		if !slices.Equal(a, b) {
			c.Outcome, c.Reason, c.Got = Failed, "the planned query and the forced full scan differ", sgot
			return c
		}
	}
	got = sortValues(got, len(rec.types), rec.sortMode)
	c.Got = got
	if ok, why := matches(got, rec.expected); !ok {
		c.Outcome, c.Reason = Failed, why
		return c
	}
	c.Outcome = Passed
	return c
}

// render turns a result into the reference runner's value strings, one
// per cell, row by row.
func render(res *query.Result, types string) ([]string, error) {
	if len(res.Columns) != len(types) {
		return nil, fmt.Errorf("the query returned %d columns, the record expects %d", len(res.Columns), len(types))
	}
	out := make([]string, 0, len(res.Rows)*len(types))
	for _, r := range res.Rows {
		for i, v := range r {
			out = append(out, renderValue(v, types[i]))
		}
	}
	return out, nil
}

func renderValue(v dataset.Value, t byte) string {
	if v.IsNull() {
		return "NULL"
	}
	switch t {
	case 'I':
		switch v.Kind {
		case dataset.TypeFloat64:
			return strconv.FormatInt(query.FloatToInt(v.Float), 10)
		case dataset.TypeString:
			n := query.TextToNumeric(string(v.Bytes))
			if n.Kind == dataset.TypeFloat64 {
				return strconv.FormatInt(query.FloatToInt(n.Float), 10)
			}
			return strconv.FormatInt(n.Int, 10)
		case dataset.TypeBytes:
			return "0"
		}
		return strconv.FormatInt(v.Int, 10)
	case 'R':
		var f float64
		switch v.Kind {
		case dataset.TypeFloat64:
			f = v.Float
		case dataset.TypeString:
			f = query.TextToFloat(string(v.Bytes))
		case dataset.TypeBytes:
			f = 0
		default:
			f = float64(v.Int)
		}
		return strconv.FormatFloat(f, 'f', 3, 64)
	}
	var s string
	switch v.Kind {
	case dataset.TypeString, dataset.TypeBytes:
		s = string(v.Bytes)
	default:
		s = query.NumericText(v)
	}
	if s == "" {
		return "(empty)"
	}
	b := []byte(s)
	for i, c := range b {
		if c < ' ' || c > '~' {
			b[i] = '@'
		}
	}
	return string(b)
}

// sortValues applies a record's sort mode.
func sortValues(vals []string, ncols int, mode string) []string {
	vals = slices.Clone(vals)
	switch mode {
	case "valuesort":
		sort.Strings(vals)
	case "rowsort":
		if ncols == 0 {
			return vals
		}
		rows := make([][]string, 0, len(vals)/ncols)
		for i := 0; i+ncols <= len(vals); i += ncols {
			rows = append(rows, vals[i:i+ncols])
		}
		sort.SliceStable(rows, func(i, j int) bool {
			for k := range ncols {
				if rows[i][k] != rows[j][k] {
					return rows[i][k] < rows[j][k]
				}
			}
			return false
		})
		out := make([]string, 0, len(vals))
		for _, r := range rows {
			out = append(out, r...)
		}
		return out
	}
	return vals
}

// matches compares values with a record's expected lines: the values
// themselves, or "N values hashing to H".
func matches(got, expected []string) (bool, string) {
	if len(expected) == 1 {
		var n int
		var h string
		if k, err := fmt.Sscanf(expected[0], "%d values hashing to %s", &n, &h); err == nil && k == 2 {
			if n != len(got) {
				return false, fmt.Sprintf("%d values, want %d", len(got), n)
			}
			if sum := hashValues(got); sum != h {
				return false, fmt.Sprintf("values hash to %s, want %s", sum, h)
			}
			return true, ""
		}
	}
	if len(got) != len(expected) {
		return false, fmt.Sprintf("%d values, want %d", len(got), len(expected))
	}
	for i := range got {
		if got[i] != strings.TrimSpace(expected[i]) {
			return false, fmt.Sprintf("value %d is %q, want %q", i+1, got[i], expected[i])
		}
	}
	return true, ""
}

// hashValues is the reference runner's hash: MD5 of every value followed
// by a newline.
func hashValues(vals []string) string {
	h := md5.New()
	for _, v := range vals {
		io.WriteString(h, v)
		io.WriteString(h, "\n")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Summary totals several files.
type Summary struct {
	Files       int
	Passed      int
	Failed      int
	Unsupported int
	Skipped     int
}

// Add counts a file.
func (s *Summary) Add(r *FileResult) {
	s.Files++
	s.Passed += r.Passed
	s.Failed += r.Failed
	s.Unsupported += r.Unsupported
	s.Skipped += r.Skipped
}

// PassRate is passed / counted, in percent.
func (s *Summary) PassRate() float64 {
	n := s.Passed + s.Failed + s.Unsupported
	if n == 0 {
		return 0
	}
	return 100 * float64(s.Passed) / float64(n)
}

// errUnsupported marks statements the runner does not reproduce.
var errUnsupported = errors.New("not supported by the runner")

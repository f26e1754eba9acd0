package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/query/slt"
)

// querySLTCommand runs sqllogictest files against the query engine.
var querySLTCommand = &cli.Command{
	Name:      "slt",
	Usage:     "run sqllogictest files (SQLite's SQL test corpus) against the query engine",
	ArgsUsage: "FILE|DIR…",
	Description: "Each file's tables are loaded through the engine's ingest into a fresh in-memory store and every\n" +
		"query record runs as a node runs queries. A query passes when its rows match the file's (with the\n" +
		"record's sort mode and \"N values hashing to H\" rule), fails when the engine returns other rows (a wrong\n" +
		"answer), and is unsupported when the engine refuses it. Records for other engines (onlyif mysql,\n" +
		"skipif sqlite) are skipped. Directories are searched for *.test files. Exits 1 if any query failed.",
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "scan-check", Usage: "run every query a second time with a forced full scan; a difference is a failure", Category: catQuery},
		&cli.IntFlag{Name: "max-queries", Usage: "stop each file after this many queries (0: all)", Category: catQuery},
		&cli.IntFlag{Name: "show", Usage: "print the first N failures and refusals of each file", Category: catQuery},
		&cli.IntFlag{Name: "reasons", Usage: "print the N most frequent refusal reasons over all files", Value: 10, Category: catQuery},
	},
	Action: querySLT,
}

func querySLT(ctx *cli.Context) error {
	if ctx.NArg() == 0 {
		return errors.New("give sqllogictest files or directories, e.g. enigma query slt sqllogictest/test/select1.test sqllogictest/test/index")
	}
	var files []string
	for _, arg := range ctx.Args().Slice() {
		err := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (path == arg || strings.HasSuffix(path, ".test")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", arg, err)
		}
	}
	slices.Sort(files)
	opts := slt.Options{ScanCheck: ctx.Bool("scan-check"), MaxQueries: ctx.Int("max-queries"), KeepFailures: ctx.Int("show")}
	w := ctx.App.Writer
	const row = "%8v %7v %12v %8v %7v %8v  %s\n"
	fmt.Fprintf(w, row, "passed", "failed", "unsupported", "skipped", "pass %", "time", "file")
	var sum slt.Summary
	reasons := map[string]int{}
	var shown []*slt.FileResult
	for _, f := range files {
		res, err := slt.RunFile(f, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		sum.Add(res)
		var one slt.Summary
		one.Add(res)
		fmt.Fprintf(w, row, res.Passed, res.Failed, res.Unsupported, res.Skipped, fmt.Sprintf("%.1f", one.PassRate()), fmt.Sprintf("%.1fs", res.Duration.Seconds()), f)
		for k, v := range res.Reasons {
			reasons[k] += v
		}
		if len(res.Cases) > 0 {
			shown = append(shown, res)
		}
	}
	fmt.Fprintf(w, row, sum.Passed, sum.Failed, sum.Unsupported, sum.Skipped, fmt.Sprintf("%.1f", sum.PassRate()), "", fmt.Sprintf("total of %d files", sum.Files))
	for _, res := range shown {
		for _, c := range res.Cases {
			kind := "refused"
			if c.Outcome == slt.Failed {
				kind = "WRONG ANSWER"
			}
			fmt.Fprintf(w, "\n%s:%d: %s: %s\n  %s\n", res.Name, c.Line, kind, c.Reason, strings.ReplaceAll(c.SQL, "\n", "\n  "))
			if c.Outcome == slt.Failed {
				fmt.Fprintf(w, "  expected: %s\n  got:      %s\n", shorten(c.Expected), shorten(c.Got))
			}
		}
	}
	if n := ctx.Int("reasons"); n > 0 && len(reasons) > 0 {
		keys := make([]string, 0, len(reasons))
		for k := range reasons {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return reasons[keys[i]] > reasons[keys[j]] })
		fmt.Fprintln(w, "\nrefusals by reason:")
		for i, k := range keys {
			if i == n {
				break
			}
			fmt.Fprintf(w, "%8d  %s\n", reasons[k], k)
		}
	}
	if sum.Failed > 0 {
		return fmt.Errorf("%d wrong answers (rerun with --show N to see them)", sum.Failed)
	}
	return nil
}

func shorten(vals []string) string {
	if len(vals) > 20 {
		return strings.Join(vals[:20], " ") + fmt.Sprintf(" … (%d values)", len(vals))
	}
	return strings.Join(vals, " ")
}

package slt

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestFiles runs the files named by ENIGMA_SLT (a comma-separated list of
// files or directories) and prints what happened; it is a tool for
// working on the engine, the committed corpus is in corpus_test.go.
func TestFiles(t *testing.T) {
	spec := os.Getenv("ENIGMA_SLT")
	if spec == "" {
		t.Skip("set ENIGMA_SLT to files or directories of sqllogictest files")
	}
	var files []string
	for _, p := range strings.Split(spec, ",") {
		filepath.Walk(p, func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(path, ".test") {
				files = append(files, path)
			}
			return nil
		})
	}
	var sum Summary
	reasons := map[string]int{}
	for _, f := range files {
		res, err := RunFile(f, Options{KeepFailures: 5, ScanCheck: os.Getenv("ENIGMA_SLT_SCAN") != ""})
		if err != nil {
			t.Fatal(err)
		}
		sum.Add(res)
		fmt.Printf("%-60s pass %6d fail %5d unsupported %6d skipped %5d  %v\n", f, res.Passed, res.Failed, res.Unsupported, res.Skipped, res.Duration.Round(1e6))
		for k, v := range res.Reasons {
			reasons[k] += v
		}
		for _, c := range res.Cases {
			if c.Outcome == Failed || os.Getenv("ENIGMA_SLT_V") != "" {
				fmt.Printf("  line %d outcome %d: %s\n    %s\n    expected %v\n    got      %v\n", c.Line, c.Outcome, c.Reason, strings.ReplaceAll(c.SQL, "\n", " "), trunc(c.Expected), trunc(c.Got))
			}
		}
	}
	fmt.Printf("TOTAL files %d pass %d fail %d unsupported %d (%.1f%%)\n", sum.Files, sum.Passed, sum.Failed, sum.Unsupported, sum.PassRate())
	type kv struct {
		k string
		v int
	}
	var rs []kv
	for k, v := range reasons {
		rs = append(rs, kv{k, v})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].v > rs[j].v })
	for i, r := range rs {
		if i == 30 {
			break
		}
		fmt.Printf("%7d  %s\n", r.v, r.k)
	}
}

func trunc(s []string) []string {
	if len(s) > 12 {
		return append(s[:12:12], "…")
	}
	return s
}

package slt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpus runs the committed subset of SQLite's sqllogictest corpus
// (testdata/README.md), each query with the planner and with a forced full
// scan. No query may return a wrong answer, and each file must pass at
// least as many queries as it did when this was written, so a feature
// that stops working fails the test.
func TestCorpus(t *testing.T) {
	minPassed := map[string]int{
		"select1.test":                      1000,
		"select2.test":                      1000,
		"select3-sample.test":               830,
		"select4-sample.test":               567,
		"select5-sample.test":               183,
		"evidence/in1.test":                 143,
		"evidence/in2.test":                 45,
		"evidence/slt_lang_aggfunc.test":    52,
		"evidence/slt_lang_createview.test": 2,
		"evidence/slt_lang_dropview.test":   2,
		"evidence/slt_lang_replace.test":    6,
		"evidence/slt_lang_update.test":     9,
		"random-aggregates-parenjoin.test":  29,
	}
	var files []string
	filepath.Walk("testdata", func(path string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(path, ".test") {
			files = append(files, path)
		}
		return err
	})
	if len(files) < 20 {
		t.Fatalf("found %d test files under testdata", len(files))
	}
	var sum Summary
	for _, f := range files {
		name := strings.TrimPrefix(filepath.ToSlash(f), "testdata/")
		res, err := RunFile(f, Options{ScanCheck: true, KeepFailures: 3})
		if err != nil {
			t.Fatal(err)
		}
		sum.Add(res)
		for _, c := range res.Cases {
			if c.Outcome == Failed {
				t.Errorf("%s:%d: wrong answer (%s)\n%s\nexpected %v\ngot      %v", name, c.Line, c.Reason, c.SQL, c.Expected, c.Got)
			}
		}
		want, ok := minPassed[name]
		if !ok && strings.HasPrefix(name, "index/") {
			want = res.Total() // the index files pass whole
		}
		if res.Passed < want {
			t.Errorf("%s: %d queries passed, %d did before (%d refused: %v)", name, res.Passed, want, res.Unsupported, res.Reasons)
		}
		t.Logf("%-36s passed %5d  failed %d  unsupported %3d", name, res.Passed, res.Failed, res.Unsupported)
	}
	if sum.Failed > 0 {
		t.Errorf("%d wrong answers", sum.Failed)
	}
	t.Logf("%d files: %d passed, %d failed, %d unsupported (%.1f%%)", sum.Files, sum.Passed, sum.Failed, sum.Unsupported, sum.PassRate())
}

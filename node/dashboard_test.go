package node

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDashboardPlotsMetricsTheCodeDefines: every metric the committed
// Grafana dashboard (deploy/grafana) plots, and every one the alert rules of
// docs/OPERATIONS.md watch, is named by a metric definition in the code, so
// a renamed metric cannot leave an empty panel or a silent alert behind.
func TestDashboardPlotsMetricsTheCodeDefines(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "deploy", "grafana", "enigma-node.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	defined := map[string]bool{}
	nameRE := regexp.MustCompile(`(?:Name:\s*|NewDesc\()"((?:enigma|overlay)_[a-z_]+)"`)
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && path != ".." && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return fs.SkipDir
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		for _, m := range nameRE.FindAllSubmatch(src, -1) {
			defined[string(m[1])] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	used := regexp.MustCompile(`\b(?:enigma|overlay)_[a-z_]+`)
	plotted := 0
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q plots nothing", p.Title)
		}
		for _, target := range p.Targets {
			for _, name := range used.FindAllString(target.Expr, -1) {
				plotted++
				if base := strings.TrimSuffix(name, "_bucket"); !defined[base] {
					t.Errorf("panel %q plots %s, which no metric definition names", p.Title, name)
				}
			}
		}
	}
	if plotted < 10 {
		t.Fatalf("only %d metrics plotted", plotted)
	}
	// The same for the alert rules of docs/OPERATIONS.md.
	guide, err := os.ReadFile(filepath.Join("..", "docs", "OPERATIONS.md"))
	if err != nil {
		t.Fatal(err)
	}
	alerted := 0
	for _, line := range strings.Split(string(guide), "\n") {
		expr, ok := strings.CutPrefix(strings.TrimSpace(line), "expr:")
		if !ok {
			continue
		}
		for _, name := range used.FindAllString(expr, -1) {
			alerted++
			if base := strings.TrimSuffix(name, "_bucket"); !defined[base] {
				t.Errorf("docs/OPERATIONS.md alerts on %s, which no metric definition names", name)
			}
		}
	}
	if alerted < 5 {
		t.Fatalf("only %d metrics in OPERATIONS.md's alert rules", alerted)
	}
}

package testbed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A scaled manifest keeps the placement, multiplies every link's RTT and
// jitter, drops the perturbations and leaves the original alone.
func TestScaledManifest(t *testing.T) {
	m, err := ParseManifest([]byte(twoRegions))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Scaled(2)
	if got := s.RTTBetween("au", "eu"); got != 300*time.Millisecond {
		t.Fatalf("scaled RTT %s, want 300ms", got)
	}
	if got := m.RTTBetween("eu", "au"); got != 150*time.Millisecond {
		t.Fatalf("the original's RTT changed to %s", got)
	}
	if len(s.Perturbations) != 0 || len(m.Perturbations) != 1 || len(s.Nodes) != len(m.Nodes) {
		t.Fatalf("scaled %+v from %+v", s, m)
	}
}

// A sweep's points become a CSV row per region and a plot.
func TestSweepCSVAndPlot(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	points := []SweepPoint{
		{Scale: 0, Region: "paris", Queries: 3, QueryP50: ms(200), QueryP99: ms(400)},
		{Scale: 1, Region: "sydney", RTT: ms(120), Queries: 2, QueryP50: ms(5000), QueryP99: ms(7000)},
		{Scale: 0, Region: "sydney", Queries: 2, QueryP50: ms(250), QueryP99: ms(300)},
	}
	base := filepath.Join(t.TempDir(), "sweep")
	if err := WriteSweepCSV(base+".csv", points); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(base + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[2], "1,sydney,120,2,5000,7000,") {
		t.Fatalf("csv:\n%s", b)
	}
	if err := PlotSweepPNG(base+".png", "test", points); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(base + ".png"); err != nil || st.Size() == 0 {
		t.Fatalf("no plot: %v", err)
	}
	if q := Quantile([]time.Duration{ms(3), ms(1), ms(2)}, 0.5); q != ms(2) {
		t.Fatalf("median %s", q)
	}
}

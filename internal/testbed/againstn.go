package testbed

import (
	"encoding/csv"
	"errors"
	"os"
	"strconv"
	"time"

	"gonum.org/v1/plot/plotter"
)

// NPoint is one consensus run of a sweep over the number of validators:
// the same regions and links, more validators in each.
type NPoint struct {
	N            int
	Clients      int
	OpsPerSec    float64
	P50, P99     time.Duration
	ViewsEntered uint64
	Load         string // the load average before the run
}

// NPointOf summarises a consensus run for a sweep over n.
func NPointOf(res *ConsensusResult) NPoint {
	r := res.Report
	ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	return NPoint{N: r.Replicas, Clients: r.Clients, OpsPerSec: r.OpsPerSec, P50: ms(r.P50Ms), P99: ms(r.P99Ms), ViewsEntered: r.ViewsEntered, Load: r.LoadBefore}
}

// WriteNCSV writes the points as CSV, latencies in milliseconds.
func WriteNCSV(path string, points []NPoint) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"validators", "clients", "ops_per_s", "commit_p50_ms", "commit_p99_ms", "views_entered", "load_before"})
	for _, p := range points {
		w.Write([]string{strconv.Itoa(p.N), strconv.Itoa(p.Clients), strconv.FormatFloat(p.OpsPerSec, 'f', 1, 64),
			strconv.FormatInt(p.P50.Milliseconds(), 10), strconv.FormatInt(p.P99.Milliseconds(), 10),
			strconv.FormatUint(p.ViewsEntered, 10), p.Load})
	}
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

// PlotAgainstNPNG draws the commit latency's p50 and p99 against the
// number of validators and saves it as a PNG.
func PlotAgainstNPNG(path, title string, points []NPoint) error {
	p := linePlot(title, "validators n", "commit latency (ms)")
	var p50, p99 plotter.XYs
	for _, pt := range points {
		p50 = append(p50, plotter.XY{X: float64(pt.N), Y: float64(pt.P50.Milliseconds())})
		p99 = append(p99, plotter.XY{X: float64(pt.N), Y: float64(pt.P99.Milliseconds())})
	}
	return saveLines(p, path, "p50", p50, "p99", p99)
}

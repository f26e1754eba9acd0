package kadsim

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// SweepConfig is the paper's experiment: one network, every combination of
// adversarial fraction and path count.
type SweepConfig struct {
	Base      Config // Nodes, Alpha, Bucket, Siblings, Lookups, Attack, Seed
	Fractions []float64
	Paths     []int
}

// PaperSweep is the S/Kademlia paper's setting: N = 10,000, s = k = 16,
// α = 1, d ∈ {1,2,4,8}, adversarial fraction 0–50% in 5% steps.
func PaperSweep(lookups int, attack Attack, seed uint64) SweepConfig {
	sc := SweepConfig{
		Base:  Config{Nodes: 10_000, Alpha: 1, Bucket: 16, Siblings: 16, Lookups: lookups, Attack: attack, Seed: seed, Paths: 1},
		Paths: []int{1, 2, 4, 8},
	}
	for i := 0; i <= 10; i++ {
		sc.Fractions = append(sc.Fractions, float64(i)*0.05)
	}
	return sc
}

// Progress reports a finished run of a sweep.
type Progress func(done, total int, r Result)

// Sweep runs every (fraction, d) pair. Drop and poison share one network
// for the whole sweep; eclipse builds one per fraction, because where the
// adversaries sit shapes the routing tables.
func Sweep(sc SweepConfig, progress Progress) ([]Result, error) {
	total := len(sc.Fractions) * len(sc.Paths)
	var out []Result
	var net *Network
	var cases []lookupCase
	for _, p := range sc.Fractions {
		cfg := sc.Base
		cfg.Adversarial = p
		if net == nil || cfg.Attack == AttackEclipse {
			var err error
			if net, err = Build(cfg); err != nil {
				return nil, err
			}
			cases = net.cases(cfg.Lookups)
		}
		for _, d := range sc.Paths {
			cfg.Paths = d
			r, err := net.Run(cfg, cases)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			if progress != nil {
				progress(len(out), total, r)
			}
		}
	}
	return out, nil
}

// CSVHeader names the columns WriteCSV writes.
var CSVHeader = []string{"attack", "nodes", "adversarial", "paths", "alpha", "bucket", "siblings", "lookups", "seed",
	"success", "mean_hops", "p99_hops", "messages_per_lookup", "adversarial_contacts"}

// WriteCSV writes results, one row each.
func WriteCSV(w io.Writer, results []Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	for _, r := range results {
		row := []string{string(r.Attack), strconv.Itoa(r.Nodes), f(r.Adversarial), strconv.Itoa(r.Paths), strconv.Itoa(r.Alpha),
			strconv.Itoa(r.Bucket), strconv.Itoa(r.Siblings), strconv.Itoa(r.Lookups), strconv.FormatUint(r.Seed, 10),
			f(r.Success), f(r.MeanHops), f(r.P99Hops), f(r.MessagesPerLookup), f(r.AdversarialContacts)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Holds99 returns, for each d, the largest adversarial fraction up to which
// every measured fraction kept success ≥ 99% (-1 if even 0% did not).
func Holds99(results []Result) map[int]float64 {
	out := map[int]float64{}
	broken := map[int]bool{}
	for _, r := range results {
		if _, ok := out[r.Paths]; !ok {
			out[r.Paths] = -1
		}
		if broken[r.Paths] {
			continue
		}
		if r.Success >= 0.99 {
			out[r.Paths] = math.Max(out[r.Paths], r.Adversarial)
		} else {
			broken[r.Paths] = true
		}
	}
	return out
}

// PlotPNG draws success against adversarial fraction, one line per d, with
// the 99% target marked, and saves it as a PNG at path.
func PlotPNG(results []Result, path string) error {
	p := plot.New()
	if len(results) > 0 {
		r := results[0]
		p.Title.Text = fmt.Sprintf("S/Kademlia lookups under %s attack (N=%d, k=%d, s=%d, α=%d, %d lookups/point)",
			r.Attack, r.Nodes, r.Bucket, r.Siblings, r.Alpha, r.Lookups)
	}
	p.X.Label.Text = "adversarial nodes (%)"
	p.Y.Label.Text = "lookup success (%)"
	p.Y.Min, p.Y.Max = 0, 100
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	var ds []int
	lines := map[int]plotter.XYs{}
	for _, r := range results {
		if _, ok := lines[r.Paths]; !ok {
			ds = append(ds, r.Paths)
		}
		lines[r.Paths] = append(lines[r.Paths], plotter.XY{X: 100 * r.Adversarial, Y: 100 * r.Success})
	}
	var args []any
	for _, d := range ds {
		args = append(args, fmt.Sprintf("d = %d", d), lines[d])
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if len(results) > 0 {
		target, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 99}, {X: 100 * results[len(results)-1].Adversarial, Y: 99}})
		if err != nil {
			return err
		}
		target.Color = color.Gray{Y: 120}
		target.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(target)
		p.Legend.Add("99% target", target)
	}
	if err := p.Save(9*vg.Inch, 5.5*vg.Inch, path); err != nil {
		return fmt.Errorf("save plot %s: %w", path, err)
	}
	return nil
}

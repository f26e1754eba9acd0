package testbed

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Scaled is a copy of m with every link's RTT and jitter multiplied by f
// and no perturbations: the same placement, nearer or farther apart, for
// a sweep of latency against RTT.
func (m *Manifest) Scaled(f float64) *Manifest {
	out := *m
	out.Links = slices.Clone(m.Links)
	for i := range out.Links {
		out.Links[i].RTT.Duration = time.Duration(float64(m.Links[i].RTT.Duration) * f)
		out.Links[i].Jitter.Duration = time.Duration(float64(m.Links[i].Jitter.Duration) * f)
	}
	out.Perturbations = nil
	return &out
}

// RTTBetween is the RTT of the link between regions a and b.
func (m *Manifest) RTTBetween(a, b string) time.Duration {
	if l := m.link(a, b); l != nil {
		return l.RTT.Duration
	}
	return 0
}

// SweepPoint is one region's figures in one run of an RTT sweep.
type SweepPoint struct {
	Scale  float64
	Region string
	// RTT is the region's RTT to the chain's region (where the chain, the
	// bootstrap validator and the provider sit in story.toml).
	RTT                      time.Duration
	Queries                  int
	QueryP50, QueryP99       time.Duration
	ResolvableP50, LookupP50 time.Duration
	RegistrationMedian       time.Duration // the provider's, same for every region of a run
	Violations               int
	Load                     float64 // 1-minute load average before the run
}

// SweepPoints turns one story run at scale into a point per region with
// a client.
func SweepPoints(m *Manifest, scale float64, res *StoryResult, load float64) []SweepPoint {
	chainRegion := m.NodesWithRole(RoleChain)[0].Region
	var regs []time.Duration
	for _, op := range res.Writes {
		if op.Kind == OpRegister {
			regs = append(regs, op.End.Sub(op.Start))
		}
	}
	var out []SweepPoint
	for _, r := range m.Regions {
		if len(res.Queries[r.Name])+len(res.Resolvable[r.Name]) == 0 {
			continue
		}
		out = append(out, SweepPoint{
			Scale: scale, Region: r.Name, RTT: m.RTTBetween(chainRegion, r.Name),
			Queries:  len(res.Queries[r.Name]),
			QueryP50: Quantile(res.Queries[r.Name], 0.5), QueryP99: Quantile(res.Queries[r.Name], 0.99),
			ResolvableP50: Quantile(res.Resolvable[r.Name], 0.5), LookupP50: Quantile(res.Lookups[r.Name], 0.5),
			RegistrationMedian: Quantile(regs, 0.5), Violations: len(res.Violations), Load: load,
		})
	}
	return out
}

// Quantile is the q-quantile of ds by nearest rank (0 for none).
func Quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// WriteSweepCSV writes the points as CSV, durations in milliseconds.
func WriteSweepCSV(path string, points []SweepPoint) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"rtt_scale", "region", "rtt_to_chain_region_ms", "queries", "query_p50_ms", "query_p99_ms",
		"resolvable_after_ack_p50_ms", "dht_get_p50_ms", "registration_median_ms", "violations", "load_before"})
	ms := func(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }
	for _, p := range points {
		w.Write([]string{strconv.FormatFloat(p.Scale, 'g', -1, 64), p.Region, ms(p.RTT), strconv.Itoa(p.Queries), ms(p.QueryP50), ms(p.QueryP99),
			ms(p.ResolvableP50), ms(p.LookupP50), ms(p.RegistrationMedian), strconv.Itoa(p.Violations), strconv.FormatFloat(p.Load, 'f', 2, 64)})
	}
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

// PlotSweepPNG draws each region's query p50 against its RTT to the
// chain's region, one line per region, and saves it as a PNG.
func PlotSweepPNG(path, title string, points []SweepPoint) error {
	p := linePlot(title, "RTT to the chain's region (ms)", "wall time of one CLI command (s)")
	var regions []string
	lines := map[string]plotter.XYs{}
	for _, pt := range points {
		if _, ok := lines[pt.Region]; !ok {
			regions = append(regions, pt.Region)
		}
		if pt.Queries > 0 {
			lines[pt.Region] = append(lines[pt.Region], plotter.XY{X: float64(pt.RTT.Milliseconds()), Y: pt.QueryP50.Seconds()})
		}
	}
	var args []any
	for _, r := range regions {
		if len(lines[r]) > 0 {
			args = append(args, "query p50 from "+r, lines[r])
		}
	}
	return saveLines(p, path, args...)
}

// linePlot is an empty plot with a grid, its y axis from 0 and its legend
// at the top left.
func linePlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Y.Min = 0
	p.Legend.Left = true
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// saveLines adds the named lines (name, plotter.XYs, …) to p and saves it
// as a PNG.
func saveLines(p *plot.Plot, path string, lines ...any) error {
	if err := plotutil.AddLinePoints(p, lines...); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if err := p.Save(9*vg.Inch, 5.5*vg.Inch, path); err != nil {
		return fmt.Errorf("save plot %s: %w", path, err)
	}
	return nil
}

package kadsim

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func small(attack Attack) Config {
	return Config{Nodes: 1000, Paths: 1, Alpha: 1, Bucket: 8, Siblings: 8, Lookups: 200, Attack: attack, Seed: 1}
}

func TestNoAdversariesEveryLookupSucceeds(t *testing.T) {
	cfg := small(AttackPoison)
	r, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Success != 1 || r.MeanHops < 1 || r.MessagesPerLookup < r.MeanHops {
		t.Fatalf("honest network: %+v", r)
	}
}

func TestSameSeedSameResult(t *testing.T) {
	cfg := small(AttackEclipse)
	cfg.Adversarial = 0.2
	a, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Simulate(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("one seed, two results:\n%+v\n%+v", a, b)
	}
}

func TestDisjointPathsBeatOnePathUnderPoisoning(t *testing.T) {
	cfg := small(AttackPoison)
	cfg.Adversarial = 0.3
	one, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Paths = 8
	eight, _ := Simulate(cfg)
	if eight.Success <= one.Success {
		t.Errorf("poison at 30%%: d=8 success %.3f not above d=1 %.3f", eight.Success, one.Success)
	}
	if one.Success == 1 {
		t.Error("poison at 30%: d=1 never failed — the adversaries do nothing")
	}
}

// Dropping nodes only cost time: lookups route around them, so success
// stays high while the message count grows.
func TestDroppingNodesCostMessagesNotSuccess(t *testing.T) {
	cfg := small(AttackDrop)
	honest, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Adversarial = 0.3
	dropped, _ := Simulate(cfg)
	if dropped.Success < 0.95 || dropped.MessagesPerLookup <= honest.MessagesPerLookup {
		t.Fatalf("drop at 30%%: success %.3f, %.1f messages (honest: %.1f)", dropped.Success, dropped.MessagesPerLookup, honest.MessagesPerLookup)
	}
}

func TestEclipseFloodIsContained(t *testing.T) {
	cfg := small(AttackEclipse)
	cfg.Adversarial = 0.1
	r, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The table rules (long-lived preference, subnet limits) must keep the
	// adversaries' share of honest tables near their share of the network.
	if r.AdversarialContacts > 0.2 {
		t.Fatalf("eclipse flood captured %.0f%% of honest table entries with 10%% adversaries", 100*r.AdversarialContacts)
	}
}

func TestSweepWritesCSVAndPlot(t *testing.T) {
	sc := SweepConfig{Base: small(AttackPoison), Fractions: []float64{0, 0.25}, Paths: []int{1, 4}}
	calls := 0
	res, err := Sweep(sc, func(done, total int, _ Result) {
		calls++
		if done != calls || total != 4 {
			t.Errorf("progress %d/%d at call %d", done, total, calls)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 || calls != 4 {
		t.Fatalf("%d results, %d progress calls", len(res), calls)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, res); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 5 || !strings.HasPrefix(lines[0], "attack,nodes") {
		t.Fatalf("csv:\n%s", buf.String())
	}
	png := filepath.Join(t.TempDir(), "s.png")
	if err := PlotPNG(res, png); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("plot not a PNG: %v", err)
	}
	h := Holds99(res)
	if h[1] != 0 && h[1] != 0.25 {
		t.Fatalf("Holds99 %v", h)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, mutate := range []func(*Config){
		func(c *Config) { c.Nodes = 3 },
		func(c *Config) { c.Adversarial = 1 },
		func(c *Config) { c.Paths = 0 },
		func(c *Config) { c.Paths = 99 },
		func(c *Config) { c.Lookups = 0 },
		func(c *Config) { c.Attack = "nuke" },
	} {
		c := small(AttackDrop)
		mutate(&c)
		if _, err := Simulate(c); err == nil {
			t.Errorf("bad config %+v accepted", c)
		}
	}
}

// TestTableRulesStopTheEclipseFlood is the ablation: the same flood against
// tables without the S/Kademlia contact rules captures them, which also
// shows the containment test above can fail.
func TestTableRulesStopTheEclipseFlood(t *testing.T) {
	cfg := small(AttackEclipse)
	cfg.Adversarial, cfg.Paths = 0.2, 4
	ruled, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.PlainTables = true
	plain, err := Simulate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if plain.AdversarialContacts < 2*ruled.AdversarialContacts || plain.Success >= ruled.Success {
		t.Fatalf("plain tables: %.0f%% adversarial, success %.3f; S/Kademlia tables: %.0f%%, %.3f",
			100*plain.AdversarialContacts, plain.Success, 100*ruled.AdversarialContacts, ruled.Success)
	}
}

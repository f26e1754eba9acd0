package testbed

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Manifest describes a testbed: regions, the links between them, the nodes
// placed in them, and the perturbations to apply while a workload runs.
type Manifest struct {
	Regions       []Region       `toml:"region"`
	Links         []Link         `toml:"link"`
	Nodes         []Node         `toml:"node"`
	Perturbations []Perturbation `toml:"perturbation"`
}

// Region is a place nodes sit in.
type Region struct {
	Name string `toml:"name"`
}

// Link is the path between two regions (the same region twice: the path
// between two nodes of that region). Delay is one way, half the RTT.
type Link struct {
	Between [2]string `toml:"between"`
	RTT     Duration  `toml:"rtt"`
	// Jitter is added to each packet's one-way delay, uniformly in
	// [0, Jitter); packets of one link are never reordered.
	Jitter Duration `toml:"jitter"`
	// LossPercent is the share of packets dropped in each direction, or
	// only from the first region to the second if ReverseLossPercent is
	// given.
	LossPercent float64 `toml:"loss_percent"`
	// ReverseLossPercent, when given, is the share dropped from the
	// second region to the first: loss that differs by direction.
	ReverseLossPercent *float64 `toml:"reverse_loss_percent"`
	// RateKbit, when above 0, limits each direction to this many kbit/s:
	// a packet waits for the ones before it to be sent at that rate, and
	// one that would wait more than a second is dropped (a shaper's full
	// queue).
	RateKbit int64 `toml:"rate_kbit"`
}

// lossFrom is the loss probability of the link's direction leaving
// region from.
func (l *Link) lossFrom(from string) float64 {
	if l.ReverseLossPercent != nil && from == l.Between[1] && from != l.Between[0] {
		return *l.ReverseLossPercent / 100
	}
	return l.LossPercent / 100
}

// Node roles the testbed knows. The consensus workload runs validators
// and one client; the marketplace story (RunStory) runs them all: the
// chain (the embedded dev chain, serving JSON-RPC on its node's address),
// `enigma node` processes for validators, workers, persistence and plain
// overlay nodes, and CLI clients (the first is the provider, every other
// one a subscriber).
const (
	RoleChain       = "chain"
	RoleValidator   = "validator"
	RoleWorker      = "worker"
	RolePersistence = "persistence"
	RolePlain       = "plain"
	RoleClient      = "client"
)

var roles = []string{RoleChain, RoleValidator, RoleWorker, RolePersistence, RolePlain, RoleClient}

// Node is one process's place: a name (it names the namespace too), its
// region and role.
type Node struct {
	Name   string `toml:"name"`
	Region string `toml:"region"`
	Role   string `toml:"role"`
}

// Perturbation does one of four things At after the workload starts
// measuring, and undoes it Heal after the start: cuts region Cut off from
// every other region; pauses node Pause (SIGSTOP to every process in its
// namespace, SIGCONT at the heal); kills node Kill (SIGKILL, and starts
// its node process again at the heal: the marketplace story only); or
// throttles the link between the two regions of Throttle to RateKbit in
// each direction.
type Perturbation struct {
	Cut      string    `toml:"cut"`
	Pause    string    `toml:"pause"`
	Kill     string    `toml:"kill"`
	Throttle [2]string `toml:"throttle"`
	RateKbit int64     `toml:"rate_kbit"`
	At       Duration  `toml:"at"`
	Heal     Duration  `toml:"heal"`
}

// What names what the perturbation does, for messages.
func (p Perturbation) What() string {
	switch {
	case p.Pause != "":
		return fmt.Sprintf("pause of %q", p.Pause)
	case p.Kill != "":
		return fmt.Sprintf("kill of %q", p.Kill)
	case p.Throttle[0] != "":
		return fmt.Sprintf("throttle of %s–%s to %d kbit/s", p.Throttle[0], p.Throttle[1], p.RateKbit)
	}
	return fmt.Sprintf("cut of %q", p.Cut)
}

// Duration is a time.Duration written as "150ms" in the manifest.
type Duration struct{ time.Duration }

// UnmarshalText reads a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w (write it like \"150ms\")", b, err)
	}
	d.Duration = v
	return nil
}

// MaxNodes bounds a manifest's nodes (addresses 10.77.0.2–10.77.0.251).
const MaxNodes = 250

// Limits on a link keep a typo from making a run that never ends.
const (
	maxRTT      = 10 * time.Second
	maxJitter   = 5 * time.Second
	maxRateKbit = 10_000_000 // 10 Gbit/s
)

var nodeName = regexp.MustCompile(`^[a-z0-9]{1,8}$`)

// LoadManifest reads and checks a manifest file.
func LoadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the testbed manifest: %w", err)
	}
	return ParseManifest(b)
}

// ParseManifest decodes and checks a manifest.
func ParseManifest(b []byte) (*Manifest, error) {
	var m Manifest
	md, err := toml.Decode(string(b), &m)
	if err != nil {
		return nil, fmt.Errorf("testbed manifest: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("testbed manifest: unknown key %q (see docs/bench/testbed.md for the format)", un[0].String())
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("testbed manifest: %w", err)
	}
	return &m, nil
}

func (m *Manifest) check() error {
	regions := make(map[string]bool)
	for _, r := range m.Regions {
		if r.Name == "" || regions[r.Name] {
			return fmt.Errorf("region %q: every region needs a name of its own", r.Name)
		}
		regions[r.Name] = true
	}
	for _, l := range m.Links {
		for _, r := range l.Between {
			if !regions[r] {
				return fmt.Errorf("link between %q and %q: unknown region %q", l.Between[0], l.Between[1], r)
			}
		}
		if l.RTT.Duration < 0 || l.RTT.Duration > maxRTT || l.Jitter.Duration < 0 || l.Jitter.Duration > maxJitter {
			return fmt.Errorf("link between %q and %q: rtt must be in [0, %s] and jitter in [0, %s]", l.Between[0], l.Between[1], maxRTT, maxJitter)
		}
		if l.LossPercent < 0 || l.LossPercent > 100 {
			return fmt.Errorf("link between %q and %q: loss_percent %v is not in [0, 100]", l.Between[0], l.Between[1], l.LossPercent)
		}
		if r := l.ReverseLossPercent; r != nil && (*r < 0 || *r > 100) {
			return fmt.Errorf("link between %q and %q: reverse_loss_percent %v is not in [0, 100]", l.Between[0], l.Between[1], *r)
		}
		if l.RateKbit < 0 || l.RateKbit > maxRateKbit {
			return fmt.Errorf("link between %q and %q: rate_kbit %d is not in [0, %d] (0: no limit)", l.Between[0], l.Between[1], l.RateKbit, maxRateKbit)
		}
	}
	for a := range regions {
		for b := range regions {
			if a < b && m.link(a, b) == nil {
				return fmt.Errorf("no link between regions %q and %q: give every pair of regions a [[link]]", a, b)
			}
		}
	}
	if len(m.Nodes) == 0 || len(m.Nodes) > MaxNodes {
		return fmt.Errorf("%d nodes: give between 1 and %d", len(m.Nodes), MaxNodes)
	}
	names := make(map[string]bool)
	for _, n := range m.Nodes {
		if !nodeName.MatchString(n.Name) || names[n.Name] {
			return fmt.Errorf("node %q: names are 1–8 lower-case letters or digits, each used once", n.Name)
		}
		names[n.Name] = true
		if !regions[n.Region] {
			return fmt.Errorf("node %q: unknown region %q", n.Name, n.Region)
		}
		if !slices.Contains(roles, n.Role) {
			return fmt.Errorf("node %q: role %q; the testbed runs %s nodes", n.Name, n.Role, strings.Join(roles, ", "))
		}
	}
	for _, p := range m.Perturbations {
		kinds := 0
		for _, set := range []bool{p.Cut != "", p.Pause != "", p.Kill != "", p.Throttle != [2]string{}} {
			if set {
				kinds++
			}
		}
		switch {
		case kinds != 1:
			return errors.New("perturbation: give one of cut = \"<region>\", pause = \"<node>\", kill = \"<node>\" or throttle = [\"<region>\", \"<region>\"]")
		case p.Cut != "" && !regions[p.Cut]:
			return fmt.Errorf("perturbation: cut of unknown region %q", p.Cut)
		case p.Pause != "" && !names[p.Pause]:
			return fmt.Errorf("perturbation: pause of unknown node %q", p.Pause)
		case p.Kill != "" && !names[p.Kill]:
			return fmt.Errorf("perturbation: kill of unknown node %q", p.Kill)
		case p.Throttle != [2]string{} && (!regions[p.Throttle[0]] || !regions[p.Throttle[1]]):
			return fmt.Errorf("perturbation: throttle of %q–%q: unknown region", p.Throttle[0], p.Throttle[1])
		case p.Throttle != [2]string{} && (p.RateKbit < 1 || p.RateKbit > maxRateKbit):
			return fmt.Errorf("perturbation: throttle of %s–%s: rate_kbit %d is not in [1, %d]", p.Throttle[0], p.Throttle[1], p.RateKbit, maxRateKbit)
		case p.Throttle == [2]string{} && p.RateKbit != 0:
			return errors.New("perturbation: rate_kbit goes with throttle")
		}
		if p.At.Duration < 0 || p.Heal.Duration <= p.At.Duration {
			return fmt.Errorf("perturbation: %s at %s healed at %s: heal must come after it", p.What(), p.At, p.Heal)
		}
	}
	return nil
}

// link is the link between regions a and b, in either order (nil if none;
// within one region with no link given, an ideal one).
func (m *Manifest) link(a, b string) *Link {
	for i, l := range m.Links {
		if (l.Between[0] == a && l.Between[1] == b) || (l.Between[0] == b && l.Between[1] == a) {
			return &m.Links[i]
		}
	}
	if a == b {
		return &Link{Between: [2]string{a, a}}
	}
	return nil
}

// NodesWithRole lists the nodes of role in manifest order.
func (m *Manifest) NodesWithRole(role string) []Node {
	var out []Node
	for _, n := range m.Nodes {
		if n.Role == role {
			out = append(out, n)
		}
	}
	return out
}

// ErrUnavailable says this machine cannot run a testbed (not root, no
// network namespaces, no TUN); the error wrapping it says which.
var ErrUnavailable = errors.New("testbed unavailable here")

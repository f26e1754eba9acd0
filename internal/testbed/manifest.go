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
	// LossPercent is the share of packets dropped in each direction.
	LossPercent float64 `toml:"loss_percent"`
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

// Perturbation either cuts region Cut off from every other region, or
// pauses node Pause (SIGSTOP to every process in its namespace), At after
// the workload starts measuring, and heals it (SIGCONT) Heal after the
// start.
type Perturbation struct {
	Cut   string   `toml:"cut"`
	Pause string   `toml:"pause"`
	At    Duration `toml:"at"`
	Heal  Duration `toml:"heal"`
}

// What names what the perturbation does, for messages.
func (p Perturbation) What() string {
	if p.Pause != "" {
		return fmt.Sprintf("pause of %q", p.Pause)
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
	maxRTT    = 10 * time.Second
	maxJitter = 5 * time.Second
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
		switch {
		case (p.Cut == "") == (p.Pause == ""):
			return errors.New("perturbation: give either cut = \"<region>\" or pause = \"<node>\"")
		case p.Cut != "" && !regions[p.Cut]:
			return fmt.Errorf("perturbation: cut of unknown region %q", p.Cut)
		case p.Pause != "" && !names[p.Pause]:
			return fmt.Errorf("perturbation: pause of unknown node %q", p.Pause)
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

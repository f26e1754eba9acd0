package simulation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// Scenarios lists the named scenarios; "all" rotates through them by seed.
var Scenarios = []string{
	"normal", "lossy", "partition", "crash", "silent", "equivocate",
	"forge", "replay", "lying-vc", "twins", "duplicate", "swarm",
}

// Behaviour names a Byzantine replica's strategy.
type Behaviour string

// Byzantine behaviours.
const (
	Silent     Behaviour = "silent"     // sends nothing
	Equivocate Behaviour = "equivocate" // as primary, conflicting pre-prepares (and commits) to different backups
	Forge      Behaviour = "forge"      // mis-signed and tampered messages
	Replay     Behaviour = "replay"     // re-sends its old messages
	LyingVC    Behaviour = "lying-vc"   // stale or fabricated view changes
	Twins      Behaviour = "twins"      // two copies of the replica with the same key
	Duplicate  Behaviour = "duplicate"  // as primary, re-proposes requests that were already ordered
)

var allBehaviours = []Behaviour{Silent, Equivocate, Forge, Replay, LyingVC, Twins, Duplicate}

// partitionKind is the shape of a network partition.
type partitionKind int

const (
	isolateOne partitionKind = iota // one replica cut off both ways
	splitBrain                      // two halves that cannot talk
	asymmetric                      // one replica can send but not receive
)

type partition struct {
	start, end int64
	kind       partitionKind
	side       []bool // by replica: true = the cut-off side (isolateOne, asymmetric: one replica)
}

type crashPlan struct {
	replica    consensus.ReplicaID
	at, resume int64
}

// plan is a scenario resolved for one seed.
type plan struct {
	name      string
	gst       int64 // ms; faults of the network stop here
	loss, dup float64
	reorder   float64 // probability of an extra delay that reorders
	delayLo   int64
	delayHi   int64
	parts     []partition
	byz       map[consensus.ReplicaID]Behaviour
	crashes   []crashPlan
	clients   int
	requests  int
}

// makePlan draws a scenario's details from the seed.
func makePlan(name string, n, faulty int, rng *randsrc.Rand) (*plan, error) {
	if name == "all" {
		return nil, fmt.Errorf("scenario all must be resolved per seed")
	}
	p := &plan{
		name:     name,
		gst:      0,
		delayLo:  1 + rng.Int64N(3),
		delayHi:  8 + rng.Int64N(25),
		byz:      make(map[consensus.ReplicaID]Behaviour),
		clients:  2 + rng.IntN(3),
		requests: 3 + rng.IntN(4),
	}
	netFaults := func() {
		p.gst = 500 + rng.Int64N(2500)
		p.loss = rng.Float64() * 0.15
		p.dup = rng.Float64() * 0.05
		p.reorder = rng.Float64() * 0.2
	}
	partitions := func(count int) {
		if p.gst == 0 {
			p.gst = 1500 + rng.Int64N(2000)
		}
		for i := 0; i < count; i++ {
			start := rng.Int64N(p.gst)
			end := start + 200 + rng.Int64N(1500)
			if end > p.gst {
				end = p.gst
			}
			pt := partition{start: start, end: end, kind: partitionKind(rng.IntN(3)), side: make([]bool, n)}
			if pt.kind == splitBrain {
				for _, id := range rng.Perm(n)[:n/2] {
					pt.side[id] = true
				}
			} else {
				pt.side[rng.IntN(n)] = true
			}
			p.parts = append(p.parts, pt)
		}
	}
	switch name {
	case "normal":
	case "lossy":
		netFaults()
	case "partition":
		partitions(1 + rng.IntN(3))
	case "crash":
		netFaults()
		p.gst += 1000
		count := 1 + rng.IntN(2)
		for _, id := range rng.Perm(n)[:count] {
			at := 50 + rng.Int64N(p.gst/2)
			p.crashes = append(p.crashes, crashPlan{replica: consensus.ReplicaID(id), at: at, resume: at + 100 + rng.Int64N(p.gst/2)})
		}
	case "silent", "equivocate", "forge", "replay", "lying-vc", "twins", "duplicate":
		b := Behaviour(name)
		count := faulty
		if b == Twins && count > 0 {
			count = 1
		}
		if (b == Equivocate || b == Duplicate) && count > 0 {
			// Make the view-0 primary one of them: both need a primary.
			p.byz[0] = b
			count--
		}
		for _, id := range rng.Perm(n) {
			if count == 0 {
				break
			}
			if _, taken := p.byz[consensus.ReplicaID(id)]; !taken {
				p.byz[consensus.ReplicaID(id)] = b
				count--
			}
		}
		if rng.IntN(2) == 0 {
			netFaults()
		}
		if rng.IntN(2) == 0 {
			partitions(1)
		}
	case "swarm":
		if rng.IntN(3) > 0 {
			netFaults()
		}
		if rng.IntN(2) == 0 {
			partitions(1 + rng.IntN(2))
		}
		count := rng.IntN(faulty + 1)
		twinsUsed := false
		for _, id := range rng.Perm(n)[:count] {
			b := allBehaviours[rng.IntN(len(allBehaviours))]
			if b == Twins {
				if twinsUsed {
					b = Forge
				}
				twinsUsed = true
			}
			p.byz[consensus.ReplicaID(id)] = b
		}
		if rng.IntN(3) == 0 {
			if p.gst == 0 {
				p.gst = 1000 + rng.Int64N(1000)
			}
			for _, id := range rng.Perm(n) {
				if _, bad := p.byz[consensus.ReplicaID(id)]; !bad {
					at := 50 + rng.Int64N(p.gst/2)
					p.crashes = append(p.crashes, crashPlan{replica: consensus.ReplicaID(id), at: at, resume: at + 100 + rng.Int64N(p.gst/2)})
					break
				}
			}
		}
	default:
		return nil, fmt.Errorf("unknown scenario %q: use one of %s or all", name, strings.Join(Scenarios, ", "))
	}
	return p, nil
}

// describe is a one-line summary of the plan for traces and failures.
func (p *plan) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s gst=%dms loss=%.2f dup=%.2f partitions=%d crashes=%d clients=%dx%d", p.name, p.gst, p.loss, p.dup, len(p.parts), len(p.crashes), p.clients, p.requests)
	ids := make([]consensus.ReplicaID, 0, len(p.byz))
	for id := range p.byz {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, " byz%d=%s", id, p.byz[id])
	}
	return b.String()
}

package simulation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// Scenarios lists the named scenarios; "all" rotates through them by seed.
var Scenarios = []string{
	"normal", "lossy", "partition", "crash", "silent", "equivocate",
	"forge", "replay", "lying-vc", "twins", "duplicate", "censor",
	"stale-state", "disk", "reconfig", "swarm",
}

// Behaviour names a Byzantine replica's strategy.
type Behaviour string

// Byzantine behaviours.
const (
	Silent Behaviour = "silent" // sends nothing
	// Equivocate: as primary, conflicting pre-prepares (and commits) to two
	// halves of the backups; as backup, prepares and commits for whichever
	// batch each recipient's half was given, so Byzantine backups back
	// their primary with valid signatures.
	Equivocate Behaviour = "equivocate"
	Forge      Behaviour = "forge"     // mis-signed and tampered messages
	Replay     Behaviour = "replay"    // re-sends old messages, some from long ago
	LyingVC    Behaviour = "lying-vc"  // stale or fabricated view changes
	Twins      Behaviour = "twins"     // two copies of the replica with the same key
	Duplicate  Behaviour = "duplicate" // as primary, re-proposes requests that were already ordered
	// Censor: never orders (or only late) the requests of chosen clients,
	// while an accomplice client keeps it committing other requests.
	Censor Behaviour = "censor"
	// StaleState: validly signed checkpoints of a wrong state, and state
	// transfer answers with an old (validly certified) checkpoint and
	// commit certificates it saw long ago.
	StaleState Behaviour = "stale-state"
)

var allBehaviours = []Behaviour{Silent, Equivocate, Forge, Replay, LyingVC, Twins, Duplicate, Censor, StaleState}

// partitionKind is the shape of a network partition.
type partitionKind int

const (
	isolateOne    partitionKind = iota // one replica cut off both ways
	splitBrain                         // two halves that cannot talk
	asymmetric                         // one replica can send but not receive
	nonTransitive                      // some links cut: a talks to b and b to c, but not a to c
	partitionKinds
)

type partition struct {
	start, end int64
	kind       partitionKind
	side       []bool   // by replica: true = the cut-off side (isolateOne, asymmetric: one replica)
	links      [][]bool // nonTransitive: links[a][b] = a and b cannot talk
}

// crashKind says when a planned crash strikes.
type crashKind int

const (
	crashTimed        crashKind = iota // while handling the first Ready after at
	crashInViewChange                  // while handling a Ready in a view change, after at
	crashInRecovery                    // timed, and again while recovering from the restart
	diskSaveError                      // a Save fails after at: the replica stops until restarted
	diskCorrupt                        // timed, and a log record is corrupted at rest: the restart must refuse it
)

var crashKindNames = []string{"timed", "in-view-change", "in-recovery", "save-error", "corrupt-record"}

type crashPlan struct {
	replica    consensus.ReplicaID
	kind       crashKind
	at, resume int64
}

// censorMode is how a censoring primary treats its victims' requests.
type censorMode int

const (
	censorAll   censorMode = iota // orders only the accomplice's requests
	censorSome                    // drops a chosen subset of clients
	censorDelay                   // orders victims' requests late, behind later ones
	censorModes
)

var censorModeNames = []string{"all", "some", "delay"}

// plan is a scenario resolved for one seed.
type plan struct {
	name      string
	config    string
	gst       int64 // ms; faults of the network stop here
	loss, dup float64
	reorder   float64 // probability of an extra delay that reorders
	longDelay float64 // probability of a delay beyond every timeout (before GST)
	delayLo   int64
	delayHi   int64
	parts     []partition
	byz       map[consensus.ReplicaID]Behaviour
	crashes   []crashPlan
	clients   int
	requests  int
	// tickMs is each replica's tick period: replicas' clocks run at
	// different rates (skew).
	tickMs []int64
	// syncMs is how long one synced log write takes on each replica; events
	// arriving meanwhile fold into its next Ready.
	syncMs []int64
	// outbox bounds the messages in flight on one link; more are dropped,
	// as the node's full outboxes drop.
	outbox int
	// censor: the accomplice client (index clients) and the victims.
	censor  censorMode
	victims []bool // by client
	// sets are the validator sets of the epochs after the first (by
	// identity); the admin client asks for epoch k+1 from reconfigAt[k].
	sets       [][]int
	reconfigAt []int64
}

// identities is how many validator identities (keys) the run has.
func (p *plan) identities(n int) int {
	ids := n
	for _, set := range p.sets {
		for _, m := range set {
			ids = max(ids, m+1)
		}
	}
	return ids
}

// epochSets returns every epoch's validator set, the first being 0 … n-1.
func (p *plan) epochSets(n int) [][]int {
	first := make([]int, n)
	for i := range first {
		first[i] = i
	}
	return append([][]int{first}, p.sets...)
}

// heal is when the last fault of the plan is over: the network is reliable
// and every crashed replica has been restarted.
func (p *plan) heal() int64 {
	h := p.gst
	for _, c := range p.crashes {
		h = max(h, c.resume)
	}
	for _, at := range p.reconfigAt {
		h = max(h, at)
	}
	return h
}

// accomplice reports whether the plan has a client colluding with a
// censoring replica.
func (p *plan) accomplice() bool {
	for _, b := range p.byz {
		if b == Censor {
			return true
		}
	}
	return false
}

// down reports how many replicas the plan may leave down for good (a
// corrupt log is refused at restart), which count among the f faults.
func (p *plan) down() int {
	n := 0
	for _, c := range p.crashes {
		if c.kind == diskCorrupt {
			n++
		}
	}
	return n
}

// makePlan draws a scenario's details from the seed.
func makePlan(name, config string, n, faulty int, rng *randsrc.Rand) (*plan, error) {
	if name == "all" {
		return nil, fmt.Errorf("scenario all must be resolved per seed")
	}
	p := &plan{
		name:    name,
		config:  config,
		gst:     0,
		delayLo: 1 + rng.Int64N(3),
		delayHi: 8 + rng.Int64N(25),
		byz:     make(map[consensus.ReplicaID]Behaviour),
		outbox:  64 << rng.IntN(7),
	}
	if config == ConfigNode {
		// More clients, so the node's batching and pipeline fill up.
		p.clients, p.requests = 3+rng.IntN(6), 6+rng.IntN(10)
	} else {
		p.clients, p.requests = 2+rng.IntN(3), 3+rng.IntN(4)
	}
	for i := 0; i < n; i++ {
		// Clock skew: tick periods between 7 and 14 ms for a third of the
		// seeds, the nominal 10 ms otherwise.
		t := int64(tickMs)
		if rng.IntN(3) == 0 {
			t = 7 + rng.Int64N(8)
		}
		p.tickMs = append(p.tickMs, t)
		p.syncMs = append(p.syncMs, rng.Int64N(3))
	}
	netFaults := func() {
		p.gst = 500 + rng.Int64N(2500)
		p.loss = rng.Float64() * 0.15
		p.dup = rng.Float64() * 0.05
		p.reorder = rng.Float64() * 0.2
		if rng.IntN(3) == 0 {
			p.longDelay = rng.Float64() * 0.02
		}
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
			ids := p.identities(n)
			pt := partition{start: start, end: end, kind: partitionKind(rng.IntN(int(partitionKinds))), side: make([]bool, ids)}
			switch pt.kind {
			case splitBrain:
				for _, id := range rng.Perm(ids)[:ids/2] {
					pt.side[id] = true
				}
			case nonTransitive:
				pt.links = make([][]bool, ids)
				for a := range pt.links {
					pt.links[a] = make([]bool, ids)
				}
				for a := 0; a < ids; a++ {
					for b := a + 1; b < ids; b++ {
						if rng.IntN(3) == 0 {
							pt.links[a][b], pt.links[b][a] = true, true
						}
					}
				}
			default:
				pt.side[rng.IntN(ids)] = true
			}
			p.parts = append(p.parts, pt)
		}
	}
	crash := func(id int, kind crashKind) {
		at := 50 + rng.Int64N(max(p.gst/2, 1))
		p.crashes = append(p.crashes, crashPlan{replica: consensus.ReplicaID(id), kind: kind, at: at, resume: at + 100 + rng.Int64N(max(p.gst/2, 1))})
	}
	byzantine := func(b Behaviour, count int) {
		if (b == Equivocate || b == Duplicate || b == Censor) && count > 0 {
			// Make the view-0 primary one of them: these need a primary.
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
			crash(id, []crashKind{crashTimed, crashInViewChange, crashInRecovery}[rng.IntN(3)])
		}
	case "disk":
		// Disk faults on honest replicas: a failed write, or a record
		// corrupted at rest, which the restart must detect and refuse (that
		// replica then stays down, one of the f faults).
		netFaults()
		p.gst += 1000
		ids := rng.Perm(n)
		crash(ids[0], diskSaveError)
		if faulty > 0 {
			crash(ids[1], diskCorrupt)
			byzantine(Behaviour(allBehaviours[rng.IntN(len(allBehaviours))]), faulty-1)
		}
	case "silent", "equivocate", "forge", "replay", "lying-vc", "twins", "duplicate", "censor", "stale-state":
		byzantine(Behaviour(name), faulty)
		if rng.IntN(2) == 0 {
			netFaults()
		}
		if rng.IntN(2) == 0 {
			partitions(1)
		}
	case "reconfig":
		p.reconfigure(n, rng)
		if rng.IntN(2) == 0 {
			netFaults()
		}
		if rng.IntN(2) == 0 {
			partitions(1) // reconfiguration meets view changes
		}
		// A Byzantine identity, at most f of every epoch's set.
		if faulty > 0 && rng.IntN(2) == 0 {
			b := []Behaviour{StaleState, Forge, Equivocate, Silent, LyingVC}[rng.IntN(5)]
			if id, ok := p.byzantineAcrossEpochs(n, rng); ok {
				p.byz[consensus.ReplicaID(id)] = b
			}
		}
		// A crash of a replica that leaves or joins, around a handover.
		if rng.IntN(2) == 0 {
			if id, at, ok := p.handoverCrash(n, rng); ok {
				if _, bad := p.byz[consensus.ReplicaID(id)]; !bad {
					p.crashes = append(p.crashes, crashPlan{replica: consensus.ReplicaID(id), kind: crashTimed, at: at, resume: at + 100 + rng.Int64N(800)})
				}
			}
		}
	case "swarm":
		if rng.IntN(3) > 0 {
			netFaults()
		}
		if rng.IntN(2) == 0 {
			partitions(1 + rng.IntN(2))
		}
		count := rng.IntN(faulty + 1)
		for _, id := range rng.Perm(n)[:count] {
			p.byz[consensus.ReplicaID(id)] = allBehaviours[rng.IntN(len(allBehaviours))]
		}
		if rng.IntN(3) == 0 {
			if p.gst == 0 {
				p.gst = 1000 + rng.Int64N(1000)
			}
			for _, id := range rng.Perm(n) {
				if _, bad := p.byz[consensus.ReplicaID(id)]; !bad {
					crash(id, crashKind(rng.IntN(int(diskSaveError)+1)))
					break
				}
			}
		}
	default:
		return nil, fmt.Errorf("unknown scenario %q: use one of %s or all", name, strings.Join(Scenarios, ", "))
	}
	if p.accomplice() {
		p.censor = censorMode(rng.IntN(int(censorModes)))
		p.victims = make([]bool, p.clients)
		for i := range p.victims {
			p.victims[i] = p.censor != censorSome || rng.IntN(2) == 0
		}
	}
	return p, nil
}

// describe is a one-line summary of the plan for traces and failures.
func (p *plan) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s gst=%dms loss=%.2f dup=%.2f partitions=%d crashes=%d clients=%dx%d", p.name, p.gst, p.loss, p.dup, len(p.parts), len(p.crashes), p.clients, p.requests)
	if p.longDelay > 0 {
		fmt.Fprintf(&b, " long-delays=%.3f", p.longDelay)
	}
	for _, c := range p.crashes {
		fmt.Fprintf(&b, " crash%d=%s@%d", c.replica, crashKindNames[c.kind], c.at)
	}
	ids := make([]consensus.ReplicaID, 0, len(p.byz))
	for id := range p.byz {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, " byz%d=%s", id, p.byz[id])
	}
	if p.accomplice() {
		fmt.Fprintf(&b, " censor=%s", censorModeNames[p.censor])
	}
	for k, set := range p.sets {
		fmt.Fprintf(&b, " epoch%d@%d=%v", k+1, p.reconfigAt[k], set)
	}
	if p.config == ConfigNode {
		b.WriteString(" config=node")
	}
	return b.String()
}

// reconfigure draws the validator sets of a reconfiguration run from the
// first set 0 … n-1: grow and shrink (4→7→5→4 at n = 4), a full
// replacement of every member, or a rolling replacement of one member at a
// time; and when the admin client asks for each.
func (p *plan) reconfigure(n int, rng *randsrc.Rand) {
	first := make([]int, n)
	for i := range first {
		first[i] = i
	}
	pick := func(from []int, k int) []int {
		out := slices.Clone(from)
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		out = out[:k]
		slices.Sort(out)
		return out
	}
	switch rng.IntN(3) {
	case 0: // grow and shrink
		grown := make([]int, n+3)
		for i := range grown {
			grown[i] = i
		}
		p.sets = [][]int{grown, pick(grown, n+1), pick(first, n)}
	case 1: // every member replaced
		fresh := make([]int, n)
		for i := range fresh {
			fresh[i] = n + i
		}
		p.sets = [][]int{fresh}
	default: // one member at a time
		cur := slices.Clone(first)
		for k := 0; k < 3; k++ {
			cur = slices.Clone(cur)
			cur[rng.IntN(len(cur))] = n + k
			slices.Sort(cur)
			p.sets = append(p.sets, cur)
		}
	}
	at := 200 + rng.Int64N(800)
	for range p.sets {
		p.reconfigAt = append(p.reconfigAt, at)
		at += 300 + rng.Int64N(1500)
	}
}

// byzantineAcrossEpochs picks an identity that can be Byzantine without
// exceeding f in any epoch's set.
func (p *plan) byzantineAcrossEpochs(n int, rng *randsrc.Rand) (int, bool) {
	sets := p.epochSets(n)
	for _, id := range rng.Perm(p.identities(n)) {
		ok := true
		for _, set := range sets {
			if slices.Contains(set, id) && quorum.Faulty(len(set)) < 1 {
				ok = false
			}
		}
		if ok {
			return id, true
		}
	}
	return 0, false
}

// handoverCrash picks an identity that leaves or joins at some change and
// a time near that change.
func (p *plan) handoverCrash(n int, rng *randsrc.Rand) (int, int64, bool) {
	sets := p.epochSets(n)
	k := rng.IntN(len(p.sets))
	var moving []int
	for _, id := range sets[k] {
		if !slices.Contains(sets[k+1], id) {
			moving = append(moving, id)
		}
	}
	for _, id := range sets[k+1] {
		if !slices.Contains(sets[k], id) {
			moving = append(moving, id)
		}
	}
	if len(moving) == 0 {
		return 0, 0, false
	}
	return moving[rng.IntN(len(moving))], p.reconfigAt[k] + rng.Int64N(400), true
}

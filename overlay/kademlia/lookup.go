package kademlia

import "slices"

// LookupConfig configures a Lookup. Zero fields take the defaults.
type LookupConfig struct {
	// K is how many closest nodes each path must have heard from before it
	// ends (default 16).
	K int
	// Alpha is the number of parallel requests per path (default 1).
	Alpha int
	// Paths is d, the number of node-disjoint paths (default 4).
	Paths int
	// MaxPathRequests caps the requests of each path (default 4·K), so
	// colluding nodes feeding ever "closer" contacts can neither keep a
	// lookup alive nor starve the other paths.
	MaxPathRequests int
	// WantValue makes it a FIND_VALUE lookup: a path ends when it receives a
	// value (which the caller validated before handing it in).
	WantValue bool
	// Siblings, if set on a FIND_NODE lookup, ends it as soon as the d paths
	// agree on the target's Siblings closest nodes (see Agreed); otherwise
	// every path runs to its own Kademlia end.
	Siblings int
}

func (c LookupConfig) withDefaults() LookupConfig {
	if c.K <= 0 {
		c.K = 16
	}
	if c.Alpha <= 0 {
		c.Alpha = 1
	}
	if c.Paths <= 0 {
		c.Paths = 4
	}
	if c.MaxPathRequests <= 0 {
		c.MaxPathRequests = 4 * c.K
	}
	return c
}

type candState uint8

const (
	candFresh candState = iota
	candInflight
	candResponded
	candFailed
	candTaken // queried on another path
)

type candidate struct {
	Contact
	state candState
}

type path struct {
	cands    []candidate // sorted by distance to the target
	inflight int
	requests int
	done     bool
}

// Request is one RPC the caller must send for a Lookup: FIND_NODE (or
// FIND_VALUE) for the lookup's target to To, on path Path.
type Request struct {
	Path int
	To   Contact
}

// Lookup is an iterative S/Kademlia lookup over d node-disjoint paths. The
// caller drives it: send the Requests from Next, report each answer with
// HandleNodes/HandleValue or HandleFailure, repeat until Done.
type Lookup struct {
	cfg      LookupConfig
	target   ID
	paths    []path
	owner    map[ID]int  // node → the path that queried it
	answered map[ID]bool // answered on the path that queried it
	failed   map[ID]bool // failed on the path that queried it
	requests int
	values   [][]byte
	holders  []Contact
}

// NewLookup starts a lookup for target from seeds (the caller's closest
// known contacts, e.g. Table.Closest(target, K)), dealt round-robin to the d
// paths as the paper prescribes.
func NewLookup(target ID, seeds []Contact, cfg LookupConfig) *Lookup {
	cfg = cfg.withDefaults()
	l := &Lookup{cfg: cfg, target: target, paths: make([]path, cfg.Paths), owner: map[ID]int{}, answered: map[ID]bool{}, failed: map[ID]bool{}}
	seeds = slices.Clone(seeds)
	SortByDistance(target, seeds)
	for i, c := range seeds {
		p := &l.paths[i%cfg.Paths]
		p.cands = append(p.cands, candidate{Contact: c})
	}
	return l
}

// Target is the ID being looked up.
func (l *Lookup) Target() ID { return l.target }

// Requests is the number of requests issued so far.
func (l *Lookup) Requests() int { return l.requests }

// Next returns the requests to send now: for each unfinished path, queries to
// its closest unqueried candidates up to Alpha in flight.
func (l *Lookup) Next() []Request {
	if l.agreedEnd() {
		return nil
	}
	var out []Request
	for pi := range l.paths {
		p := &l.paths[pi]
		for !p.done && p.inflight < l.cfg.Alpha {
			c, ok := l.pick(pi)
			if !ok {
				if p.inflight == 0 {
					p.done = true
				}
				break
			}
			out = append(out, Request{Path: pi, To: c})
		}
	}
	return out
}

// pick chooses the next node for path pi: the closest fresh candidate among
// its K closest live ones, skipping nodes another path already queried.
func (l *Lookup) pick(pi int) (Contact, bool) {
	p := &l.paths[pi]
	if p.requests >= l.cfg.MaxPathRequests {
		return Contact{}, false
	}
	live := 0
	for i := range p.cands {
		c := &p.cands[i]
		switch c.state {
		case candFailed, candTaken:
			continue
		case candFresh:
			if owner, seen := l.owner[c.ID]; seen && owner != pi {
				c.state = candTaken
				continue
			}
			c.state = candInflight
			p.inflight++
			l.owner[c.ID] = pi
			l.requests++
			p.requests++
			return c.Contact, true
		}
		if live++; live >= l.cfg.K {
			break
		}
	}
	return Contact{}, false
}

func (l *Lookup) candidate(from ID) (*path, *candidate) {
	pi, ok := l.owner[from]
	if !ok {
		return nil, nil
	}
	p := &l.paths[pi]
	for i := range p.cands {
		if p.cands[i].ID == from {
			if p.cands[i].state != candInflight {
				return nil, nil
			}
			return p, &p.cands[i]
		}
	}
	return nil, nil
}

// HandleNodes records that from answered with contacts. Answers from nodes
// the lookup did not ask, or asked already, are ignored.
func (l *Lookup) HandleNodes(from ID, contacts []Contact) {
	p, c := l.candidate(from)
	if c == nil {
		return
	}
	c.state = candResponded
	p.inflight--
	l.answered[from] = true
	for _, n := range contacts {
		if slices.ContainsFunc(p.cands, func(x candidate) bool { return x.ID == n.ID }) {
			continue
		}
		pos, _ := slices.BinarySearchFunc(p.cands, n.ID, func(x candidate, id ID) int {
			return CompareDistance(l.target, x.ID, id)
		})
		p.cands = slices.Insert(p.cands, pos, candidate{Contact: n})
	}
	// Keep the list bounded: drop the farthest unqueried candidates beyond
	// 4K; queried ones stay so their answers still find them.
	limit := 4 * l.cfg.K
	for i := len(p.cands) - 1; i >= 0 && len(p.cands) > limit; i-- {
		if st := p.cands[i].state; st == candFresh || st == candTaken {
			p.cands = slices.Delete(p.cands, i, i+1)
		}
	}
}

// HandleValue records that from returned a value the caller has validated.
// On a FIND_VALUE lookup the path ends there.
func (l *Lookup) HandleValue(from ID, value []byte) {
	p, c := l.candidate(from)
	if c == nil {
		return
	}
	c.state = candResponded
	p.inflight--
	l.answered[from] = true
	l.values = append(l.values, value)
	l.holders = append(l.holders, c.Contact)
	if l.cfg.WantValue {
		p.done = true
	}
}

// HandleFailure records that the request to from failed (timeout, error,
// invalid answer); the path moves on to its next candidate.
func (l *Lookup) HandleFailure(from ID) {
	p, c := l.candidate(from)
	if c == nil {
		return
	}
	c.state = candFailed
	p.inflight--
	l.failed[from] = true
}

// Done reports whether the lookup has ended: every path has ended and
// nothing is in flight, or (with Siblings set) the paths agree. Answers still
// in flight after an agreed end may be dropped.
func (l *Lookup) Done() bool {
	if l.agreedEnd() {
		return true
	}
	for i := range l.paths {
		p := &l.paths[i]
		if p.inflight > 0 {
			return false
		}
		if !p.done {
			if _, more := l.peek(i); more {
				return false
			}
		}
	}
	return true
}

// peek reports whether path pi could still pick a candidate.
func (l *Lookup) peek(pi int) (Contact, bool) {
	if l.paths[pi].requests >= l.cfg.MaxPathRequests {
		return Contact{}, false
	}
	live := 0
	for _, c := range l.paths[pi].cands {
		switch c.state {
		case candFailed, candTaken:
			continue
		case candFresh:
			if owner, seen := l.owner[c.ID]; !seen || owner == pi {
				return c.Contact, true
			}
			continue
		}
		if live++; live >= l.cfg.K {
			break
		}
	}
	return Contact{}, false
}

func (l *Lookup) agreedEnd() bool {
	return !l.cfg.WantValue && l.cfg.Siblings > 0 && l.Agreed(l.cfg.Siblings)
}

// Agreed reports whether the d paths agree on the target's s closest nodes:
// on every path, the s closest candidates not known to have failed have all
// answered (on whichever path queried them), and these sets are equal. This
// is the S/Kademlia end condition: the paths do not converge on one node but
// on d different nodes near the target, which all know its siblings.
func (l *Lookup) Agreed(s int) bool {
	var first []ID
	for pi := range l.paths {
		var view []ID
		for _, c := range l.paths[pi].cands {
			if len(view) == s {
				break
			}
			if c.state == candFailed || l.failed[c.ID] {
				continue
			}
			if !l.answered[c.ID] {
				return false
			}
			view = append(view, c.ID)
		}
		if len(view) < s {
			return false
		}
		if pi == 0 {
			first = view
		} else if !slices.Equal(view, first) {
			return false
		}
	}
	return true
}

// Closest returns up to n nodes that answered on any path, nearest to the
// target first: the siblings of the target as the d paths found them.
func (l *Lookup) Closest(n int) []Contact {
	var out []Contact
	for _, p := range l.paths {
		for _, c := range p.cands {
			if c.state == candResponded {
				out = append(out, c.Contact)
			}
		}
	}
	SortByDistance(l.target, out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// PathClosest returns up to n nodes that answered on path pi, nearest first.
func (l *Lookup) PathClosest(pi, n int) []Contact {
	var out []Contact
	for _, c := range l.paths[pi].cands {
		if c.state == candResponded {
			out = append(out, c.Contact)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// Values returns the validated values received, with the nodes that sent them.
func (l *Lookup) Values() ([][]byte, []Contact) { return l.values, l.holders }

package kadsim

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// Attack is what adversarial nodes do.
type Attack string

// The attacks the simulator knows.
const (
	// AttackDrop: adversarial nodes never answer.
	AttackDrop Attack = "drop"
	// AttackPoison: adversarial nodes answer every lookup request with the
	// colluding adversaries closest to the target and never return a value.
	// Each answer is a different random pick among the 8k adversaries
	// closest to the target, so disjoint paths cannot simply skip the
	// colluders another path already met.
	AttackPoison Attack = "poison"
	// AttackEclipse: poison, plus before the lookups every adversary floods
	// honest nodes with validly signed requests from a few attacker-owned
	// /24 subnets, trying to push itself into their routing tables.
	AttackEclipse Attack = "eclipse"
)

// ParseAttack accepts the attack names of the CLI.
func ParseAttack(s string) (Attack, error) {
	switch a := Attack(s); a {
	case AttackDrop, AttackPoison, AttackEclipse:
		return a, nil
	}
	return "", fmt.Errorf("unknown attack %q: use drop, poison or eclipse", s)
}

// Config is one simulation run.
type Config struct {
	Nodes       int
	Adversarial float64 // fraction of nodes, 0 ≤ p < 1
	Paths       int     // d
	Alpha       int     // parallel requests per path
	Bucket      int     // k
	Siblings    int     // s
	Lookups     int
	Attack      Attack
	Seed        uint64
	// PlainTables is an ablation: routing tables without the S/Kademlia
	// contact rules (see plainTable), to show what the rules buy.
	PlainTables bool
}

// Validate checks a configuration and says what to fix.
func (c Config) Validate() error {
	switch {
	case c.Nodes < 2*c.Bucket || c.Nodes > 1_000_000:
		return fmt.Errorf("--nodes %d: use between 2·k (%d) and 1,000,000", c.Nodes, 2*c.Bucket)
	case c.Adversarial < 0 || c.Adversarial >= 1:
		return fmt.Errorf("--adversarial %g: use a fraction in [0, 1)", c.Adversarial)
	case c.Paths < 1 || c.Paths > c.Bucket:
		return fmt.Errorf("--paths %d: use between 1 and k (%d)", c.Paths, c.Bucket)
	case c.Alpha < 1:
		return fmt.Errorf("--alpha %d: use at least 1", c.Alpha)
	case c.Bucket < 1 || c.Siblings < 1:
		return fmt.Errorf("--bucket and --siblings must be positive")
	case c.Lookups < 1:
		return fmt.Errorf("--lookups %d: use at least 1", c.Lookups)
	}
	_, err := ParseAttack(string(c.Attack))
	return err
}

// Result is the outcome of one run.
type Result struct {
	Config
	Succeeded int
	// Success is the fraction of lookups that reached an honest holder of
	// the record (one of the s nodes closest to the key).
	Success float64
	// MeanHops and P99Hops count the requests the successful path made up to
	// and including the one that reached the record, over successful lookups.
	MeanHops, P99Hops float64
	// MessagesPerLookup is the mean number of requests a lookup sent.
	MessagesPerLookup float64
	// AdversarialContacts is the fraction of honest routing-table entries
	// that are adversarial when the lookups start.
	AdversarialContacts float64
}

// Network is a simulated overlay: nodes, their routing tables and which of
// them are adversarial.
type Network struct {
	cfg         Config
	ids         []kademlia.ID
	addrs       []string
	index       map[kademlia.ID]int
	tables      []routingTable
	order       []int // nodes in the order they turn adversarial
	adversarial []bool
	advCount    int
}

func tableConfig(cfg Config, self kademlia.ID) kademlia.TableConfig {
	return kademlia.TableConfig{Self: self, K: cfg.Bucket, Siblings: cfg.Siblings}
}

// Build creates cfg.Nodes nodes with random IDs and fills their routing
// tables. With the eclipse attack the adversaries are chosen first, sit in
// attacker subnets and then flood the honest tables.
func Build(cfg Config) (*Network, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := randsrc.Derive(cfg.Seed, "kadsim/ids")
	n := &Network{cfg: cfg, index: make(map[kademlia.ID]int, cfg.Nodes)}
	for len(n.ids) < cfg.Nodes {
		var id kademlia.ID
		fill(r, id[:])
		if _, dup := n.index[id]; dup {
			continue
		}
		n.index[id] = len(n.ids)
		n.ids = append(n.ids, id)
	}
	n.order = randsrc.Derive(cfg.Seed, "kadsim/adversaries").Perm(cfg.Nodes)
	n.adversarial = make([]bool, cfg.Nodes)
	n.addrs = make([]string, cfg.Nodes)
	for i := range n.addrs {
		// Honest nodes sit in distinct /24s, as on the open Internet.
		n.addrs[i] = fmt.Sprintf("10.%d.%d.1:4000", i>>8&255, i&255)
	}
	if cfg.Attack == AttackEclipse {
		n.SetAdversarial(cfg.Adversarial)
		a := 0
		for _, i := range n.order[:n.advCount] {
			// 64 adversaries per /24: what a cheap attacker can rent.
			n.addrs[i] = fmt.Sprintf("66.%d.%d.%d:4000", a>>14&255, a>>6&255, a&63)
			a++
		}
	}
	n.fillTables()
	if cfg.Attack == AttackEclipse {
		n.flood()
	}
	return n, nil
}

func fill(r *randsrc.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

// fillTables offers each node the population its bucket refreshes would
// find: every node of the small, deep buckets and a random sample of 2k
// from each large, shallow one, all as actively valid contacts.
func (n *Network) fillTables() {
	sorted := make([]int, len(n.ids))
	for i := range sorted {
		sorted[i] = i
	}
	slices.SortFunc(sorted, func(a, b int) int { return cmp.Compare(string(n.ids[a][:]), string(n.ids[b][:])) })
	r := randsrc.Derive(n.cfg.Seed, "kadsim/tables")
	sample := 2 * n.cfg.Bucket
	n.tables = make([]routingTable, len(n.ids))
	for i, self := range n.ids {
		var t routingTable = kademlia.NewTable(tableConfig(n.cfg, self))
		if n.cfg.PlainTables {
			t = newPlainTable(self, n.cfg.Bucket)
		}
		for b := 0; b < kademlia.IDBits; b++ {
			lo, hi := n.bucketRange(sorted, self, b)
			if lo == hi {
				if n.onlySelf(sorted, self, b+1) {
					break
				}
				continue
			}
			if hi-lo <= 8*sample {
				for _, j := range sorted[lo:hi] {
					t.Observe(kademlia.Contact{ID: n.ids[j], Addr: n.addrs[j]}, kademlia.Responded, 0)
				}
				continue
			}
			for range sample {
				j := sorted[lo+r.IntN(hi-lo)]
				t.Observe(kademlia.Contact{ID: n.ids[j], Addr: n.addrs[j]}, kademlia.Responded, 0)
			}
		}
		n.tables[i] = t
	}
}

// bucketRange returns the range of sorted holding the IDs that share exactly
// b leading bits with self.
func (n *Network) bucketRange(sorted []int, self kademlia.ID, b int) (lo, hi int) {
	var low, high kademlia.ID
	copy(low[:], self[:])
	flipBit(&low, b)
	clearFrom(&low, b+1, false)
	high = low
	clearFrom(&high, b+1, true)
	return n.searchRange(sorted, low, high)
}

// onlySelf reports whether no other node shares the first b bits with self.
func (n *Network) onlySelf(sorted []int, self kademlia.ID, b int) bool {
	low, high := self, self
	clearFrom(&low, b, false)
	clearFrom(&high, b, true)
	lo, hi := n.searchRange(sorted, low, high)
	return hi-lo <= 1
}

func (n *Network) searchRange(sorted []int, low, high kademlia.ID) (int, int) {
	lo, _ := slices.BinarySearchFunc(sorted, low, func(i int, t kademlia.ID) int { return cmp.Compare(string(n.ids[i][:]), string(t[:])) })
	hi, found := slices.BinarySearchFunc(sorted, high, func(i int, t kademlia.ID) int { return cmp.Compare(string(n.ids[i][:]), string(t[:])) })
	if found {
		hi++
	}
	return lo, hi
}

func flipBit(id *kademlia.ID, b int) { id[b/8] ^= 0x80 >> (b % 8) }

// clearFrom sets every bit from position b on to one (ones) or zero.
func clearFrom(id *kademlia.ID, b int, ones bool) {
	for i := b; i < kademlia.IDBits; i++ {
		mask := byte(0x80 >> (i % 8))
		if ones {
			id[i/8] |= mask
		} else {
			id[i/8] &^= mask
		}
	}
}

// flood makes every adversary send signed requests to a sample of honest
// nodes; the table's rules decide what sticks.
func (n *Network) flood() {
	r := randsrc.Derive(n.cfg.Seed, "kadsim/flood")
	advs := n.order[:n.advCount]
	if len(advs) == 0 {
		return
	}
	const perHonest = 256
	for i, t := range n.tables {
		if n.adversarial[i] {
			continue
		}
		for range perHonest {
			j := advs[r.IntN(len(advs))]
			for _, ping := range t.Observe(kademlia.Contact{ID: n.ids[j], Addr: n.addrs[j]}, kademlia.Requested, 1) {
				// A pinged honest contact answers and stays (long-lived
				// preference); a pinged adversary answers too, and is then
				// actively valid.
				t.Observe(ping, kademlia.Responded, 2)
			}
		}
	}
}

// SetAdversarial makes the first p·N nodes of the fixed order adversarial.
func (n *Network) SetAdversarial(p float64) {
	n.advCount = int(math.Round(p * float64(len(n.ids))))
	for i := range n.adversarial {
		n.adversarial[i] = false
	}
	for _, i := range n.order[:n.advCount] {
		n.adversarial[i] = true
	}
}

func (n *Network) adversarialShare() float64 {
	var adv, all int
	for i, t := range n.tables {
		if n.adversarial[i] {
			continue
		}
		for _, c := range t.Contacts() {
			all++
			if n.adversarial[n.index[c.ID]] {
				adv++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(adv) / float64(all)
}

// lookupCase is one lookup: who starts it and for which key.
type lookupCase struct {
	initiator int
	key       kademlia.ID
	holders   []int // the s nodes closest to the key: the record's replicas
}

// cases draws the lookups of a run; they depend on the seed only (not on d
// or the adversarial fraction) so runs are paired. Initiators are drawn
// from the nodes that stay honest up to 50% adversaries.
func (n *Network) cases(count int) []lookupCase {
	r := randsrc.Derive(n.cfg.Seed, "kadsim/lookups")
	honestPool := n.order[len(n.order)/2:]
	out := make([]lookupCase, count)
	for i := range out {
		var key kademlia.ID
		fill(r, key[:])
		out[i] = lookupCase{initiator: honestPool[r.IntN(len(honestPool))], key: key, holders: n.closest(key, n.cfg.Siblings, nil)}
	}
	return out
}

// closest returns the m nodes closest to key, among those keep accepts (all
// if keep is nil), by brute force.
func (n *Network) closest(key kademlia.ID, m int, keep func(int) bool) []int {
	var best []int
	for i, id := range n.ids {
		if keep != nil && !keep(i) {
			continue
		}
		if len(best) == m && !kademlia.Closer(key, id, n.ids[best[m-1]]) {
			continue
		}
		pos, _ := slices.BinarySearchFunc(best, i, func(a, b int) int { return kademlia.CompareDistance(key, n.ids[a], n.ids[b]) })
		if len(best) == m {
			best = best[:m-1]
		}
		best = slices.Insert(best, pos, i)
	}
	return best
}

// Run performs cfg.Lookups lookups with the network's current adversaries.
func (n *Network) Run(cfg Config, cases []lookupCase) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	if cfg.Nodes != len(n.ids) || cfg.Bucket != n.cfg.Bucket || cfg.Siblings != n.cfg.Siblings || cfg.PlainTables != n.cfg.PlainTables {
		return Result{}, errors.New("kadsim: run configuration does not match the built network")
	}
	n.SetAdversarial(cfg.Adversarial)
	res := Result{Config: cfg, AdversarialContacts: n.adversarialShare()}
	var hops []float64
	messages := 0
	for _, lc := range cases {
		found, h, msgs := n.lookup(cfg, lc)
		messages += msgs
		if found {
			res.Succeeded++
			hops = append(hops, float64(h))
		}
	}
	res.Success = float64(res.Succeeded) / float64(len(cases))
	res.MessagesPerLookup = float64(messages) / float64(len(cases))
	if len(hops) > 0 {
		slices.Sort(hops)
		sum := 0.0
		for _, h := range hops {
			sum += h
		}
		res.MeanHops = sum / float64(len(hops))
		res.P99Hops = hops[min(len(hops)-1, int(math.Ceil(0.99*float64(len(hops))))-1)]
	}
	return res, nil
}

// lookup runs one FIND_VALUE lookup; it reports whether an honest replica
// was reached, the hops of the first path that reached one, and the
// requests sent.
func (n *Network) lookup(cfg Config, lc lookupCase) (found bool, hops, messages int) {
	holder := map[int]bool{}
	for _, h := range lc.holders {
		holder[h] = true
	}
	var colluders []kademlia.Contact
	r := randsrc.Derive(n.cfg.Seed^uint64(lc.initiator), "kadsim/poison")
	start := n.tables[lc.initiator]
	l := kademlia.NewLookup(lc.key, start.Closest(lc.key, cfg.Bucket), kademlia.LookupConfig{
		K: cfg.Bucket, Alpha: cfg.Alpha, Paths: cfg.Paths, WantValue: true,
	})
	pathRequests := make([]int, cfg.Paths)
	for !l.Done() {
		for _, req := range l.Next() {
			pathRequests[req.Path]++
			j := n.index[req.To.ID]
			switch {
			case n.adversarial[j] && cfg.Attack == AttackDrop:
				l.HandleFailure(req.To.ID)
			case n.adversarial[j]:
				if colluders == nil {
					for _, a := range n.closest(lc.key, 8*cfg.Bucket, func(i int) bool { return n.adversarial[i] }) {
						colluders = append(colluders, kademlia.Contact{ID: n.ids[a], Addr: n.addrs[a]})
					}
				}
				l.HandleNodes(req.To.ID, pick(r, colluders, cfg.Bucket))
			case holder[j]:
				if !found {
					found, hops = true, pathRequests[req.Path]
				}
				l.HandleValue(req.To.ID, lc.key[:])
			default:
				l.HandleNodes(req.To.ID, n.tables[j].Closest(lc.key, cfg.Bucket))
			}
		}
	}
	return found, hops, l.Requests()
}

// Simulate builds a network for cfg and runs it.
func Simulate(cfg Config) (Result, error) {
	n, err := Build(cfg)
	if err != nil {
		return Result{}, err
	}
	return n.Run(cfg, n.cases(cfg.Lookups))
}

// pick returns m distinct random elements of pool (all of it if smaller).
func pick(r *randsrc.Rand, pool []kademlia.Contact, m int) []kademlia.Contact {
	if len(pool) <= m {
		return pool
	}
	out := slices.Clone(pool)
	for i := range m {
		j := i + r.IntN(len(out)-i)
		out[i], out[j] = out[j], out[i]
	}
	return out[:m]
}

package kademlia

import (
	"encoding/binary"
	"slices"
	"strings"
)

// Contact is a node the overlay can reach: its ID and its network address.
type Contact struct {
	ID   ID
	Addr string
}

// Evidence says how the caller learned of a contact; it decides whether the
// Table may add it (the S/Kademlia contact rules).
type Evidence uint8

const (
	// Responded: the contact answered a signed request we sent it, with a
	// valid strong signature ("actively valid"). Added at once.
	Responded Evidence = iota + 1
	// Requested: the contact sent us a validly signed request. Added only if
	// it lies outside our protected prefix region; otherwise the caller must
	// ping it first (Observe returns it to ping).
	Requested
)

// TableConfig configures a Table. Zero fields take the defaults below.
type TableConfig struct {
	Self ID
	// K is the bucket size (default 16).
	K int
	// Siblings is s, the replication factor (default 16); the sibling list
	// holds Eta·Siblings contacts.
	Siblings int
	// Eta is η (default 5, as the paper suggests, so a node knows its s
	// siblings with high probability).
	Eta int
	// ProtectedPrefix is χ: a contact that merely sent us a request is added
	// only if it shares fewer than χ leading bits with us (default 8). Closer
	// contacts, which would shape our sibling list, are pinged first.
	ProtectedPrefix int
	// BucketSubnetLimit caps the contacts of one subnet per bucket (default 2).
	BucketSubnetLimit int
	// TableSubnetLimit caps the contacts of one subnet in the whole table
	// (default 10).
	TableSubnetLimit int
	// Subnet maps an address to its subnet key; "" exempts the address from
	// the limits. Default: the /24 of a dotted IPv4 address, the /64 of a
	// bracketed IPv6 one (see SubnetOf).
	Subnet func(addr string) string
	// MaxFailures is how many consecutive failed requests evict a contact
	// (default 2).
	MaxFailures int
}

func (c TableConfig) withDefaults() TableConfig {
	if c.K <= 0 {
		c.K = 16
	}
	if c.Siblings <= 0 {
		c.Siblings = 16
	}
	if c.Eta <= 0 {
		c.Eta = 5
	}
	if c.ProtectedPrefix <= 0 {
		c.ProtectedPrefix = 8
	}
	if c.BucketSubnetLimit <= 0 {
		c.BucketSubnetLimit = 2
	}
	if c.TableSubnetLimit <= 0 {
		c.TableSubnetLimit = 10
	}
	if c.Subnet == nil {
		c.Subnet = SubnetOf
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 2
	}
	return c
}

// SubnetOf is the default subnet key: "a.b.c" for an IPv4 "a.b.c.d:port",
// the first four groups for an IPv6 "[x:x:x:x:…]:port", and "" (no limit)
// for anything else, such as loopback, which tests use for every node.
func SubnetOf(addr string) string {
	host := addr
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return ""
		}
		host = host[1:end]
		if host == "::1" {
			return ""
		}
		groups := strings.SplitN(host, ":", 5)
		if len(groups) < 5 || strings.Contains(host, "::") {
			return host
		}
		return strings.Join(groups[:4], ":")
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	if strings.HasPrefix(host, "127.") {
		return ""
	}
	i := strings.LastIndexByte(host, '.')
	if i < 0 || strings.Count(host, ".") != 3 {
		return ""
	}
	return host[:i]
}

type entry struct {
	Contact
	subnet    string
	firstSeen Time
	lastSeen  Time
	failures  int
}

type bucket struct {
	// entries are ordered by lastSeen, least recently seen first.
	entries      []*entry
	replacements []*entry // newest last, at most K
}

// Table is the S/Kademlia routing table: 256 k-buckets indexed by the common
// prefix length with the own ID, plus a sibling list of the η·s closest
// contacts. Not safe for concurrent use.
type Table struct {
	cfg      TableConfig
	siblings []*entry // sorted by distance to cfg.Self
	buckets  [IDBits]bucket
	subnets  map[string]int
	size     int
}

// NewTable returns an empty routing table.
func NewTable(cfg TableConfig) *Table {
	return &Table{cfg: cfg.withDefaults(), subnets: map[string]int{}}
}

// Self is the table owner's ID.
func (t *Table) Self() ID { return t.cfg.Self }

// Config returns the table's configuration with defaults filled in.
func (t *Table) Config() TableConfig { return t.cfg }

// Len is the number of contacts in the table (siblings and buckets).
func (t *Table) Len() int { return t.size }

func (t *Table) bucketIndex(id ID) int {
	i := CommonPrefixLen(t.cfg.Self, id)
	if i >= IDBits {
		i = IDBits - 1
	}
	return i
}

// find returns the entry for id and where it is: sibling index or -1 and
// the bucket's entry index.
func (t *Table) find(id ID) (e *entry, sib int, b *bucket, pos int) {
	for i, s := range t.siblings {
		if s.ID == id {
			return s, i, nil, -1
		}
	}
	bk := &t.buckets[t.bucketIndex(id)]
	for i, s := range bk.entries {
		if s.ID == id {
			return s, -1, bk, i
		}
	}
	return nil, -1, nil, -1
}

// Contains reports whether id is in the table.
func (t *Table) Contains(id ID) bool {
	e, _, _, _ := t.find(id)
	return e != nil
}

// Observe applies the S/Kademlia contact rules to a contact the caller has
// verified (valid signatures and puzzles). It returns contacts the caller
// should ping: a passive contact inside the protected region (to make it
// actively valid), or the least recently seen contact of a full bucket (so a
// dead one can be replaced). Unsigned and third-party contacts must never be
// passed here; ping them first and observe the answer.
func (t *Table) Observe(c Contact, ev Evidence, now Time) (ping []Contact) {
	if c.ID == t.cfg.Self {
		return nil
	}
	if e, _, _, _ := t.find(c.ID); e != nil {
		e.lastSeen, e.failures = now, 0
		if ev == Responded && e.Addr != c.Addr {
			t.retarget(e, c.Addr)
		}
		t.touch(e)
		return nil
	}
	if ev != Responded && CommonPrefixLen(t.cfg.Self, c.ID) >= t.cfg.ProtectedPrefix {
		return []Contact{c}
	}
	e := &entry{Contact: c, subnet: t.cfg.Subnet(c.Addr), firstSeen: now, lastSeen: now}
	if e.subnet != "" && t.subnets[e.subnet] >= t.cfg.TableSubnetLimit {
		return nil
	}
	return t.place(e)
}

// place puts a new entry into the sibling list if it is among the η·s
// closest, else into its bucket (re-homing a sibling it pushed out).
func (t *Table) place(e *entry) (ping []Contact) {
	if demoted, ok := t.insertSibling(e); ok {
		if demoted == nil {
			return nil
		}
		e = demoted
	}
	return t.insertBucket(e)
}

// retarget changes a contact's address, keeping the subnet counts right.
func (t *Table) retarget(e *entry, addr string) {
	t.uncount(e)
	e.Addr, e.subnet = addr, t.cfg.Subnet(addr)
	t.count(e)
}

func (t *Table) count(e *entry) {
	if e.subnet != "" {
		t.subnets[e.subnet]++
	}
}

func (t *Table) uncount(e *entry) {
	if e.subnet == "" {
		return
	}
	if t.subnets[e.subnet]--; t.subnets[e.subnet] <= 0 {
		delete(t.subnets, e.subnet)
	}
}

// touch moves a bucket entry to the most-recently-seen end.
func (t *Table) touch(e *entry) {
	bk := &t.buckets[t.bucketIndex(e.ID)]
	if i := slices.Index(bk.entries, e); i >= 0 {
		bk.entries = append(slices.Delete(bk.entries, i, i+1), e)
	}
}

// insertSibling puts e into the sibling list if it belongs there. It reports
// whether e went in, and which former sibling fell out (to be re-homed).
func (t *Table) insertSibling(e *entry) (demoted *entry, ok bool) {
	limit := t.cfg.Eta * t.cfg.Siblings
	pos, _ := slices.BinarySearchFunc(t.siblings, e, func(a, b *entry) int {
		return CompareDistance(t.cfg.Self, a.ID, b.ID)
	})
	if pos >= limit {
		return nil, false
	}
	t.siblings = slices.Insert(t.siblings, pos, e)
	t.count(e)
	t.size++
	if len(t.siblings) > limit {
		demoted = t.siblings[limit]
		t.siblings = t.siblings[:limit]
		t.uncount(demoted)
		t.size--
	}
	return demoted, true
}

func (t *Table) insertBucket(e *entry) (ping []Contact) {
	bk := &t.buckets[t.bucketIndex(e.ID)]
	if e.subnet != "" {
		same := 0
		for _, o := range bk.entries {
			if o.subnet == e.subnet {
				same++
			}
		}
		if same >= t.cfg.BucketSubnetLimit {
			return nil
		}
	}
	if len(bk.entries) < t.cfg.K {
		bk.entries = append(bk.entries, e)
		t.count(e)
		t.size++
		return nil
	}
	// Full bucket: long-lived contacts win. The newcomer waits in the
	// replacement cache and the oldest contact is pinged; only if it fails
	// (Failed) does the newcomer take its place.
	bk.replacements = slices.DeleteFunc(bk.replacements, func(r *entry) bool { return r.ID == e.ID })
	bk.replacements = append(bk.replacements, e)
	if len(bk.replacements) > t.cfg.K {
		bk.replacements = bk.replacements[1:]
	}
	return []Contact{bk.entries[0].Contact}
}

// Failed records that a request to id failed (timeout, bad answer). After
// MaxFailures consecutive failures the contact is removed and, for a
// bucket, the newest replacement takes its place.
func (t *Table) Failed(id ID) {
	e, _, _, _ := t.find(id)
	if e == nil {
		return
	}
	e.failures++
	if e.failures >= t.cfg.MaxFailures {
		t.Remove(id)
	}
}

// Remove deletes id from the table, promoting a replacement (bucket) or the
// closest bucket contact (sibling list).
func (t *Table) Remove(id ID) {
	e, sib, bk, pos := t.find(id)
	if e == nil {
		return
	}
	t.uncount(e)
	t.size--
	if sib >= 0 {
		t.siblings = slices.Delete(t.siblings, sib, sib+1)
		t.promoteToSiblings()
		return
	}
	bk.entries = slices.Delete(bk.entries, pos, pos+1)
	t.refill(bk)
}

// refill moves the newest acceptable replacements into a bucket with room
// (or into the sibling list, if one is now close enough for it).
func (t *Table) refill(bk *bucket) {
	for len(bk.replacements) > 0 && len(bk.entries) < t.cfg.K {
		r := bk.replacements[len(bk.replacements)-1]
		bk.replacements = bk.replacements[:len(bk.replacements)-1]
		if r.subnet != "" && t.subnets[r.subnet] >= t.cfg.TableSubnetLimit {
			continue
		}
		t.place(r)
	}
}

// promoteToSiblings keeps the sibling list the closest contacts known: after
// a sibling leaves, the closest bucket contact moves up.
func (t *Table) promoteToSiblings() {
	var best *entry
	var bestBucket *bucket
	for i := IDBits - 1; i >= 0; i-- {
		bk := &t.buckets[i]
		for _, e := range bk.entries {
			if best == nil || Closer(t.cfg.Self, e.ID, best.ID) {
				best, bestBucket = e, bk
			}
		}
		if best != nil {
			// Buckets with a longer common prefix are all closer than
			// buckets with a shorter one, so the first non-empty bucket
			// from the deep end holds the closest contact.
			break
		}
	}
	if best == nil {
		return
	}
	bestBucket.entries = slices.DeleteFunc(bestBucket.entries, func(e *entry) bool { return e == best })
	t.refill(bestBucket)
	t.uncount(best)
	t.size--
	t.insertSibling(best)
}

// Closest returns up to n contacts closest to target, nearest first.
func (t *Table) Closest(target ID, n int) []Contact {
	if n <= 0 {
		return nil
	}
	return t.appendClosest(make([]Contact, 0, min(n, t.size)), target, n)
}

// appendClosest appends the up to n contacts closest to target to dst,
// nearest first. The simulator calls it for every message, and a node for
// every FIND_NODE it serves: a bounded insertion on the first 64 bits of
// each distance (the whole distance only when those tie), without sorting
// the table or calling a comparison function.
func (t *Table) appendClosest(dst []Contact, target ID, n int) []Contact {
	if n <= 0 {
		return dst
	}
	n = min(n, t.size) // no more can be kept
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	var stack [32]uint64
	s := nearest{target: target, prefix: binary.BigEndian.Uint64(target[:8]), best: dst[start:], dist: stack[:]}
	if n > len(stack) {
		s.dist = make([]uint64, n)
	}
	for _, e := range t.siblings {
		s.consider(&e.Contact)
	}
	for i := range t.buckets {
		for _, e := range t.buckets[i].entries {
			s.consider(&e.Contact)
		}
	}
	return dst[:start+s.kept]
}

// nearest keeps the n contacts closest to target seen so far, nearest
// first, with the first 64 bits of each one's distance.
type nearest struct {
	target ID
	prefix uint64    // the target's first 64 bits
	best   []Contact // room for n, the first kept in use
	dist   []uint64
	kept   int
}

// farther reports whether the kept contact i is farther from the target
// than c, whose distance starts with d.
func (s *nearest) farther(i int, c *Contact, d uint64) bool {
	return s.dist[i] > d || s.dist[i] == d && Closer(s.target, c.ID, s.best[i].ID)
}

func (s *nearest) consider(c *Contact) {
	d := binary.BigEndian.Uint64(c.ID[:8]) ^ s.prefix
	i := s.kept
	if i == len(s.best) {
		if i == 0 || !s.farther(i-1, c, d) {
			return
		}
		i-- // the farthest kept one makes room
	} else {
		s.kept++
	}
	for ; i > 0 && s.farther(i-1, c, d); i-- {
		s.best[i], s.dist[i] = s.best[i-1], s.dist[i-1]
	}
	s.best[i], s.dist[i] = *c, d
}

// Contacts returns every contact in the table, in no particular order.
func (t *Table) Contacts() []Contact {
	out := make([]Contact, 0, t.size)
	for _, e := range t.siblings {
		out = append(out, e.Contact)
	}
	for i := range t.buckets {
		for _, e := range t.buckets[i].entries {
			out = append(out, e.Contact)
		}
	}
	return out
}

// Siblings returns the sibling list, nearest to the own ID first.
func (t *Table) Siblings() []Contact {
	out := make([]Contact, len(t.siblings))
	for i, e := range t.siblings {
		out[i] = e.Contact
	}
	return out
}

// Responsible reports whether the own node is among the s closest known
// nodes to key, i.e. should hold a replica of the record stored under key.
func (t *Table) Responsible(key ID) bool {
	return t.CloserThanSelf(key, t.cfg.Siblings) < t.cfg.Siblings
}

// CloserThanSelf counts the known contacts closer to key than the own ID,
// stopping at limit.
func (t *Table) CloserThanSelf(key ID, limit int) int {
	closer := 0
	for _, c := range t.Closest(key, limit) {
		if Closer(key, c.ID, t.cfg.Self) {
			closer++
		}
	}
	return closer
}

// StaleBuckets returns the indexes of non-empty buckets in which no contact
// was seen since before, so the caller can refresh them with a lookup of a
// random ID in the bucket's range (RandomIDInBucket).
func (t *Table) StaleBuckets(before Time) []int {
	var out []int
	for i := range t.buckets {
		bk := &t.buckets[i]
		if n := len(bk.entries); n > 0 && bk.entries[n-1].lastSeen < before {
			out = append(out, i)
		}
	}
	return out
}

// RandomIDInBucket returns an ID sharing exactly i leading bits with the own
// ID, filled from the given random bytes.
func (t *Table) RandomIDInBucket(i int, random [32]byte) ID {
	id := ID(random)
	self := t.cfg.Self
	for b := 0; b <= i && b < IDBits; b++ {
		mask := byte(0x80 >> (b % 8))
		bit := self[b/8] & mask
		if b == i {
			bit ^= mask
		}
		id[b/8] = id[b/8]&^mask | bit
	}
	return id
}

// SortByDistance sorts contacts by distance to target, nearest first.
func SortByDistance(target ID, cs []Contact) {
	slices.SortFunc(cs, func(a, b Contact) int { return CompareDistance(target, a.ID, b.ID) })
}

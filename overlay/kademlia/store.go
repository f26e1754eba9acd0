package kademlia

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Validator decides which records the overlay accepts. The overlay knows
// nothing about what a record means; in production the ledger's
// certified-record verification implements this.
type Validator interface {
	// Validate returns an error unless value is an acceptable record for key.
	Validate(key ID, value []byte) error
	// Select returns the index of the newest valid record among values, all
	// stored under key, or an error if none is valid.
	Select(key ID, values [][]byte) (int, error)
}

// ErrRejected wraps every reason a record is refused.
var ErrRejected = errors.New("record rejected")

// Quota refusals; both also wrap ErrRejected.
var (
	// ErrPublisherQuota: the publisher of a self-certifying record already
	// holds its share of this node's store.
	ErrPublisherQuota = errors.New("publisher's storage quota exceeded")
	// ErrStoreFull: the store (or the share self-certifying records may
	// use) is full.
	ErrStoreFull = errors.New("record store full")
)

// RecordKind tells the store whose quota a record counts against.
type RecordKind struct {
	// Certified: the record carries the validator set's certificate (a
	// ledger record). Certified records may use the whole store and evict
	// self-certifying ones.
	Certified bool
	// Publisher is the node ID that answers for a self-certifying record
	// (the SHA-256 of its signing key); its quota is charged.
	Publisher ID
}

// Classifier is implemented by Validators that tell record kinds apart.
// Classify may run before Validate and must be cheap (decode, no signature
// check); the store validates the value anyway before keeping it. Records
// of a Validator that does not implement it all count as self-certifying
// records of one publisher, the zero ID.
type Classifier interface {
	Classify(key ID, value []byte) (RecordKind, error)
}

// RecordOverhead is what each record counts against the byte quotas on top
// of its value: key, bookkeeping and map entry.
const RecordOverhead = 256

// StoreConfig configures a Store. Zero fields take the defaults.
type StoreConfig struct {
	Validator Validator
	// TTL is how long a record lives after it was last stored (default 24 h).
	TTL Duration
	// Republish is how often a held record is pushed to the key's siblings
	// again (default 1 h), so replicas survive churn.
	Republish Duration
	// MaxRecords bounds the number of records held (default 100,000).
	MaxRecords int
	// MaxBytes bounds the bytes held, each record counting its value plus
	// RecordOverhead (default 256 MiB).
	MaxBytes int64
	// CertifiedReservePercent of MaxRecords and MaxBytes is kept for
	// certified records: self-certifying records never use it (default 25).
	CertifiedReservePercent int
	// MaxPublisherBytes bounds the bytes of the self-certifying records of
	// one publisher (default 4 MiB).
	MaxPublisherBytes int64
	// MaxPublisherRecords bounds their number (default 1,024).
	MaxPublisherRecords int
	// PublisherPuzzle is the static-puzzle difficulty (c1) a publisher's ID
	// must meet, so publishers cost as much as node IDs. NewProtocol sets it
	// to the network's c1; 0 checks nothing, nor is the zero publisher of
	// an unclassified record checked.
	PublisherPuzzle int
	// MaxValueSize bounds one record (default 256 KiB).
	MaxValueSize int
}

// Default store bounds.
const (
	DefaultMaxRecords          = 100_000
	DefaultMaxBytes            = 256 << 20
	DefaultCertifiedReserve    = 25
	DefaultMaxPublisherBytes   = 4 << 20
	DefaultMaxPublisherRecords = 1024
	DefaultMaxValueSize        = 256 << 10
)

func (c StoreConfig) withDefaults() StoreConfig {
	if c.TTL <= 0 {
		c.TTL = 24 * Hour
	}
	if c.Republish <= 0 {
		c.Republish = Hour
	}
	if c.MaxRecords <= 0 {
		c.MaxRecords = DefaultMaxRecords
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.CertifiedReservePercent <= 0 || c.CertifiedReservePercent >= 100 {
		c.CertifiedReservePercent = DefaultCertifiedReserve
	}
	if c.MaxPublisherBytes <= 0 {
		c.MaxPublisherBytes = DefaultMaxPublisherBytes
	}
	if c.MaxPublisherRecords <= 0 {
		c.MaxPublisherRecords = DefaultMaxPublisherRecords
	}
	if c.MaxValueSize <= 0 {
		c.MaxValueSize = DefaultMaxValueSize
	}
	return c
}

// Config is the configuration with defaults filled in.
func (s *Store) Config() StoreConfig { return s.cfg }

// Record is a key and its value.
type Record struct {
	Key   ID
	Value []byte
}

type stored struct {
	value         []byte
	expires       Time
	nextRepublish Time
	since         Time // when this version was stored: eviction takes the oldest first
	kind          RecordKind
}

func (r *stored) charge() int64 { return charge(len(r.value)) }

func charge(valueLen int) int64 { return int64(valueLen) + RecordOverhead }

// Usage is what a set of records counts against the quotas.
type Usage struct {
	Records int
	Bytes   int64
}

func (u *Usage) add(n int, b int64) { u.Records += n; u.Bytes += b }

type publisher struct {
	Usage
	keys map[ID]struct{}
}

// StoreUsage reports a Store's occupancy.
type StoreUsage struct {
	Total, Certified Usage
	Publishers       int    // publishers holding self-certifying records
	Evicted          uint64 // self-certifying records evicted so far
}

// Store holds the records this node is responsible for, within quotas per
// publisher and per node. Not safe for concurrent use.
type Store struct {
	cfg        StoreConfig
	records    map[ID]*stored
	total      Usage
	certified  Usage
	publishers map[ID]*publisher
	evicted    uint64
}

// NewStore returns an empty store; cfg.Validator is required.
func NewStore(cfg StoreConfig) (*Store, error) {
	if cfg.Validator == nil {
		return nil, errors.New("record store needs a Validator")
	}
	return &Store{cfg: cfg.withDefaults(), records: map[ID]*stored{}, publishers: map[ID]*publisher{}}, nil
}

// Usage reports what the store holds.
func (s *Store) Usage() StoreUsage {
	return StoreUsage{Total: s.total, Certified: s.certified, Publishers: len(s.publishers), Evicted: s.evicted}
}

// PublisherUsage is what the self-certifying records of pub hold.
func (s *Store) PublisherUsage(pub ID) Usage {
	if p, ok := s.publishers[pub]; ok {
		return p.Usage
	}
	return Usage{}
}

func (s *Store) classify(key ID, value []byte) (RecordKind, error) {
	if c, ok := s.cfg.Validator.(Classifier); ok {
		return c.Classify(key, value)
	}
	return RecordKind{}, nil
}

// namedLimits are the records and bytes self-certifying records may use:
// the store minus the certified reserve (rounded down).
func (s *Store) namedLimits() (int, int64) {
	pct := int64(s.cfg.CertifiedReservePercent)
	return s.cfg.MaxRecords - int(int64(s.cfg.MaxRecords)*pct/100), s.cfg.MaxBytes - s.cfg.MaxBytes*pct/100
}

// Put validates value and stores it under key unless the held version is
// newer (as the Validator selects). It reports whether the stored value
// changed; a re-store of the held version only extends its life.
//
// The quotas are checked from the value's length and kind before its
// signature is verified or it is copied: a self-certifying record must fit
// its publisher's quota and the share of the store such records may use; a
// certified record must fit next to the other certified records, and the
// oldest self-certifying records of the heaviest publishers are evicted to
// make room for it.
func (s *Store) Put(key ID, value []byte, now Time) (changed bool, err error) {
	if len(value) > s.cfg.MaxValueSize {
		return false, fmt.Errorf("%w: %d bytes exceeds the %d-byte limit", ErrRejected, len(value), s.cfg.MaxValueSize)
	}
	kind, err := s.classify(key, value)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	cur := s.records[key]
	size := charge(len(value))
	if err := s.admit(cur, kind, size); err != nil {
		return false, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	if err := s.cfg.Validator.Validate(key, value); err != nil {
		return false, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	r := &stored{expires: now + Time(s.cfg.TTL), nextRepublish: now + Time(s.cfg.Republish), since: now, kind: kind}
	if cur != nil {
		if slices.Equal(cur.value, value) {
			cur.expires = r.expires
			return false, nil
		}
		pick, err := s.cfg.Validator.Select(key, [][]byte{cur.value, value})
		if err != nil {
			return false, fmt.Errorf("%w: %w", ErrRejected, err)
		}
		if pick != 1 {
			return false, nil
		}
		s.remove(key, cur)
		r.nextRepublish = cur.nextRepublish
	}
	if kind.Certified {
		s.evictNamed(func() bool {
			return s.total.Records+1 <= s.cfg.MaxRecords && s.total.Bytes+size <= s.cfg.MaxBytes
		})
	}
	r.value = slices.Clone(value)
	s.insert(key, r)
	return true, nil
}

// admit checks that a record of kind and size fits the quotas in place of
// cur (nil for a new key), counting the self-certifying records a certified
// one would evict as free. It changes nothing.
func (s *Store) admit(cur *stored, kind RecordKind, size int64) error {
	total, cert, pub := s.total, s.certified, s.PublisherUsage(kind.Publisher)
	if cur != nil {
		c := cur.charge()
		total.add(-1, -c)
		switch {
		case cur.kind.Certified:
			cert.add(-1, -c)
		case !kind.Certified && cur.kind.Publisher == kind.Publisher:
			pub.add(-1, -c)
		}
	}
	if kind.Certified {
		if cert.Records+1 > s.cfg.MaxRecords || cert.Bytes+size > s.cfg.MaxBytes {
			return fmt.Errorf("%w: certified records use %d records, %d bytes; one more of %d bytes exceeds the store's %d records, %d bytes",
				ErrStoreFull, cert.Records, cert.Bytes, size, s.cfg.MaxRecords, s.cfg.MaxBytes)
		}
		return nil
	}
	if s.cfg.PublisherPuzzle > 0 && kind.Publisher != (ID{}) && !StaticOK(kind.Publisher, s.cfg.PublisherPuzzle) {
		return fmt.Errorf("%w: publisher %s fails the static puzzle (%d zero bits required)", ErrPuzzle, kind.Publisher.Short(), s.cfg.PublisherPuzzle)
	}
	if pub.Records+1 > s.cfg.MaxPublisherRecords || pub.Bytes+size > s.cfg.MaxPublisherBytes {
		return fmt.Errorf("%w: publisher %s holds %d records, %d bytes here; one more of %d bytes exceeds its quota of %d records, %d bytes",
			ErrPublisherQuota, kind.Publisher.Short(), pub.Records, pub.Bytes, size, s.cfg.MaxPublisherRecords, s.cfg.MaxPublisherBytes)
	}
	named := Usage{Records: total.Records - cert.Records, Bytes: total.Bytes - cert.Bytes}
	maxRecords, maxBytes := s.namedLimits()
	if named.Records+1 > maxRecords || named.Bytes+size > maxBytes {
		return fmt.Errorf("%w: self-certifying records use %d records, %d bytes; one more of %d bytes exceeds their share of %d records, %d bytes (%d%% is kept for certified records)",
			ErrStoreFull, named.Records, named.Bytes, size, maxRecords, maxBytes, s.cfg.CertifiedReservePercent)
	}
	if total.Records+1 > s.cfg.MaxRecords || total.Bytes+size > s.cfg.MaxBytes {
		return fmt.Errorf("%w: the store holds %d records, %d bytes; one more of %d bytes exceeds its %d records, %d bytes",
			ErrStoreFull, total.Records, total.Bytes, size, s.cfg.MaxRecords, s.cfg.MaxBytes)
	}
	return nil
}

// evictNamed drops self-certifying records until done() holds or none is
// left: the heaviest publisher's first (by bytes, then records, then ID),
// oldest first.
func (s *Store) evictNamed(done func() bool) {
	if done() {
		return
	}
	type entry struct {
		id ID
		p  *publisher
	}
	order := make([]entry, 0, len(s.publishers))
	for id, p := range s.publishers {
		order = append(order, entry{id, p})
	}
	slices.SortFunc(order, func(a, b entry) int {
		if a.p.Bytes != b.p.Bytes {
			return cmp.Compare(b.p.Bytes, a.p.Bytes)
		}
		if a.p.Records != b.p.Records {
			return cmp.Compare(b.p.Records, a.p.Records)
		}
		return CompareDistance(ID{}, a.id, b.id)
	})
	for _, e := range order {
		keys := make([]ID, 0, len(e.p.keys))
		for k := range e.p.keys {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b ID) int {
			if c := cmp.Compare(s.records[a].since, s.records[b].since); c != 0 {
				return c
			}
			return CompareDistance(ID{}, a, b)
		})
		for _, k := range keys {
			s.remove(k, s.records[k])
			s.evicted++
			if done() {
				return
			}
		}
	}
}

// insert adds r under key and charges it.
func (s *Store) insert(key ID, r *stored) {
	s.records[key] = r
	size := r.charge()
	s.total.add(1, size)
	if r.kind.Certified {
		s.certified.add(1, size)
		return
	}
	p, ok := s.publishers[r.kind.Publisher]
	if !ok {
		p = &publisher{keys: map[ID]struct{}{}}
		s.publishers[r.kind.Publisher] = p
	}
	p.add(1, size)
	p.keys[key] = struct{}{}
}

// remove drops the record under key and its charge.
func (s *Store) remove(key ID, r *stored) {
	delete(s.records, key)
	size := r.charge()
	s.total.add(-1, -size)
	if r.kind.Certified {
		s.certified.add(-1, -size)
		return
	}
	p := s.publishers[r.kind.Publisher]
	p.add(-1, -size)
	delete(p.keys, key)
	if len(p.keys) == 0 {
		delete(s.publishers, r.kind.Publisher)
	}
}

// Get returns the value held for key, if it has not expired.
func (s *Store) Get(key ID, now Time) ([]byte, bool) {
	r, ok := s.records[key]
	if !ok || r.expires <= now {
		return nil, false
	}
	return r.value, true
}

// Expire drops expired records and returns how many it dropped.
func (s *Store) Expire(now Time) int {
	n := 0
	for k, r := range s.records {
		if r.expires <= now {
			s.remove(k, r)
			n++
		}
	}
	return n
}

// DueForRepublish returns the records whose republish time has come and
// schedules their next one. The caller stores each at the key's siblings.
func (s *Store) DueForRepublish(now Time) []Record {
	var out []Record
	for k, r := range s.records {
		if r.nextRepublish <= now && r.expires > now {
			out = append(out, Record{Key: k, Value: r.value})
			r.nextRepublish = now + Time(s.cfg.Republish)
		}
	}
	slices.SortFunc(out, func(a, b Record) int { return CompareDistance(ID{}, a.Key, b.Key) })
	return out
}

// Len is the number of records held (expired ones included until Expire).
func (s *Store) Len() int { return len(s.records) }

// SelectNewest picks the newest valid value among values with v, skipping
// ones that fail validation. It is what a FIND_VALUE caller uses on the
// answers of several paths.
func SelectNewest(v Validator, key ID, values [][]byte) ([]byte, error) {
	var valid [][]byte
	for _, val := range values {
		if v.Validate(key, val) == nil {
			valid = append(valid, val)
		}
	}
	if len(valid) == 0 {
		return nil, fmt.Errorf("%w: no valid record for key %s among %d answers", ErrRejected, key.Short(), len(values))
	}
	i, err := v.Select(key, valid)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	if i < 0 || i >= len(valid) {
		return nil, fmt.Errorf("%w: validator selected index %d of %d", ErrRejected, i, len(valid))
	}
	return valid[i], nil
}

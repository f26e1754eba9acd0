package kademlia

import (
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

// StoreConfig configures a Store. Zero fields take the defaults.
type StoreConfig struct {
	Validator Validator
	// TTL is how long a record lives after it was last stored (default 24 h).
	TTL Duration
	// Republish is how often a held record is pushed to the key's siblings
	// again (default 1 h), so replicas survive churn.
	Republish Duration
	// MaxRecords bounds the number of keys held (default 100,000).
	MaxRecords int
	// MaxValueSize bounds one record (default 256 KiB).
	MaxValueSize int
}

func (c StoreConfig) withDefaults() StoreConfig {
	if c.TTL <= 0 {
		c.TTL = 24 * Hour
	}
	if c.Republish <= 0 {
		c.Republish = Hour
	}
	if c.MaxRecords <= 0 {
		c.MaxRecords = 100_000
	}
	if c.MaxValueSize <= 0 {
		c.MaxValueSize = 256 << 10
	}
	return c
}

// Record is a key and its value.
type Record struct {
	Key   ID
	Value []byte
}

type stored struct {
	value         []byte
	expires       Time
	nextRepublish Time
}

// Store holds the records this node is responsible for. Not safe for
// concurrent use.
type Store struct {
	cfg     StoreConfig
	records map[ID]*stored
}

// NewStore returns an empty store; cfg.Validator is required.
func NewStore(cfg StoreConfig) (*Store, error) {
	if cfg.Validator == nil {
		return nil, errors.New("record store needs a Validator")
	}
	return &Store{cfg: cfg.withDefaults(), records: map[ID]*stored{}}, nil
}

// Put validates value and stores it under key unless the held version is
// newer (as the Validator selects). It reports whether the stored value
// changed; a re-store of the held version only extends its life.
func (s *Store) Put(key ID, value []byte, now Time) (changed bool, err error) {
	if len(value) > s.cfg.MaxValueSize {
		return false, fmt.Errorf("%w: %d bytes exceeds the %d-byte limit", ErrRejected, len(value), s.cfg.MaxValueSize)
	}
	if err := s.cfg.Validator.Validate(key, value); err != nil {
		return false, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	cur, ok := s.records[key]
	if !ok {
		if len(s.records) >= s.cfg.MaxRecords {
			return false, fmt.Errorf("%w: store is full (%d records)", ErrRejected, s.cfg.MaxRecords)
		}
		s.records[key] = &stored{value: slices.Clone(value), expires: now + Time(s.cfg.TTL), nextRepublish: now + Time(s.cfg.Republish)}
		return true, nil
	}
	if slices.Equal(cur.value, value) {
		cur.expires = now + Time(s.cfg.TTL)
		return false, nil
	}
	pick, err := s.cfg.Validator.Select(key, [][]byte{cur.value, value})
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	if pick != 1 {
		return false, nil
	}
	cur.value, cur.expires = slices.Clone(value), now+Time(s.cfg.TTL)
	return true, nil
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
			delete(s.records, k)
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

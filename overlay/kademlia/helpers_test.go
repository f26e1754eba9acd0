package kademlia

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
)

var testPuzzle = Puzzle{Static: 4, Dynamic: 4}

// randomID draws an ID from r.
func randomID(r *randsrc.Rand) ID {
	var id ID
	for i := 0; i < len(id); i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			id[i+j] = byte(v >> (8 * j))
		}
	}
	return id
}

type seededReader struct{ r *randsrc.Rand }

func (s seededReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}

// testKey returns a puzzle-solving key and its dynamic solution.
func testKey(seed uint64) (*identity.NodeKey, [32]byte) {
	k, _, err := GenerateKey(seededReader{randsrc.New(seed)}, testPuzzle.Static)
	if err != nil {
		panic(err)
	}
	return k, SolveDynamic(k.ID(), testPuzzle.Dynamic)
}

// versionValidator accepts values "v<digit>:…" and prefers the higher digit.
type versionValidator struct{}

func (versionValidator) Validate(_ ID, v []byte) error {
	if len(v) < 3 || v[0] != 'v' || v[1] < '0' || v[1] > '9' || v[2] != ':' {
		return errors.New("not a versioned test record")
	}
	return nil
}

func (versionValidator) Select(_ ID, vs [][]byte) (int, error) {
	best := -1
	for i, v := range vs {
		if best < 0 || bytes.Compare(v[:2], vs[best][:2]) > 0 {
			best = i
		}
	}
	if best < 0 {
		return 0, errors.New("no values")
	}
	return best, nil
}

// checkTable verifies the Table invariants against a brute-force view.
func checkTable(t *Table) error {
	seen := map[ID]bool{}
	subnets := map[string]int{}
	all := 0
	for i, e := range t.siblings {
		if seen[e.ID] {
			return fmt.Errorf("%s twice", e.ID.Short())
		}
		seen[e.ID] = true
		if i > 0 && Closer(t.cfg.Self, e.ID, t.siblings[i-1].ID) {
			return fmt.Errorf("sibling list out of order at %d", i)
		}
		if e.subnet != "" {
			subnets[e.subnet]++
		}
		all++
	}
	if len(t.siblings) > t.cfg.Eta*t.cfg.Siblings {
		return fmt.Errorf("sibling list has %d entries, limit %d", len(t.siblings), t.cfg.Eta*t.cfg.Siblings)
	}
	for b := range t.buckets {
		bk := &t.buckets[b]
		if len(bk.entries) > t.cfg.K {
			return fmt.Errorf("bucket %d has %d entries", b, len(bk.entries))
		}
		per := map[string]int{}
		for _, e := range bk.entries {
			if seen[e.ID] {
				return fmt.Errorf("%s twice", e.ID.Short())
			}
			seen[e.ID] = true
			if got := t.bucketIndex(e.ID); got != b {
				return fmt.Errorf("%s in bucket %d, belongs in %d", e.ID.Short(), b, got)
			}
			if e.subnet != "" {
				subnets[e.subnet]++
				if per[e.subnet]++; per[e.subnet] > t.cfg.BucketSubnetLimit {
					return fmt.Errorf("bucket %d exceeds the subnet limit for %s", b, e.subnet)
				}
			}
			// Every bucket contact must be farther than every sibling when
			// the sibling list is full.
			if len(t.siblings) == t.cfg.Eta*t.cfg.Siblings && Closer(t.cfg.Self, e.ID, t.siblings[len(t.siblings)-1].ID) {
				return fmt.Errorf("bucket contact %s is closer than the farthest sibling", e.ID.Short())
			}
			all++
		}
	}
	for s, n := range subnets {
		if n > t.cfg.TableSubnetLimit {
			return fmt.Errorf("subnet %s has %d contacts, limit %d", s, n, t.cfg.TableSubnetLimit)
		}
		if t.subnets[s] != n {
			return fmt.Errorf("subnet %s counted %d, actually %d", s, t.subnets[s], n)
		}
	}
	if all != t.size {
		return fmt.Errorf("size says %d, table holds %d", t.size, all)
	}
	return nil
}

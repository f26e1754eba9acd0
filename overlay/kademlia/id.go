package kademlia

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/enigma-mpc/enigma/identity"
)

// ID is a point in the 256-bit Kademlia key space: node IDs and record keys.
type ID = identity.NodeID

// IDBits is the length of an ID in bits.
const IDBits = 256

// Time is a point in time in Unix milliseconds. The core never reads a clock;
// callers pass the current Time in.
type Time int64

// Duration is a span of Time in milliseconds.
type Duration int64

// Common durations.
const (
	Second Duration = 1000
	Minute          = 60 * Second
	Hour            = 60 * Minute
)

// Distance is the XOR metric d(a, b) = a ⊕ b.
func Distance(a, b ID) ID {
	var d ID
	for i := range d {
		d[i] = a[i] ^ b[i]
	}
	return d
}

// Closer reports whether a is strictly closer to target than b.
func Closer(target, a, b ID) bool {
	for i := range target {
		da, db := a[i]^target[i], b[i]^target[i]
		if da != db {
			return da < db
		}
	}
	return false
}

// CompareDistance orders a and b by their distance to target (-1, 0, +1).
func CompareDistance(target, a, b ID) int {
	for i := range target {
		da, db := a[i]^target[i], b[i]^target[i]
		if da != db {
			if da < db {
				return -1
			}
			return 1
		}
	}
	return 0
}

// CommonPrefixLen is the number of leading bits a and b share (256 if equal).
func CommonPrefixLen(a, b ID) int {
	for i := range a {
		if x := a[i] ^ b[i]; x != 0 {
			return i*8 + bits.LeadingZeros8(x)
		}
	}
	return IDBits
}

// LeadingZeroBits counts the leading zero bits of a 32-byte hash.
func LeadingZeroBits(h [32]byte) int {
	for i, b := range h {
		if b != 0 {
			return i*8 + bits.LeadingZeros8(b)
		}
	}
	return IDBits
}

// Puzzle holds the two S/Kademlia crypto-puzzle difficulties, network-wide
// parameters: every node checks every sender against the same values.
type Puzzle struct {
	// Static: H(H(pubkey)) = H(ID) must have at least Static leading zero
	// bits. It makes each node ID cost ~2^Static key generations, so IDs
	// cannot be chosen freely (no targeted eclipse by ID choice).
	Static int
	// Dynamic: the node publishes X with H(ID ⊕ X) having at least Dynamic
	// leading zero bits. It is cheap to check and can be raised over time
	// without changing IDs.
	Dynamic int
}

// DefaultPuzzle is the production difficulty; see docs/arch/overlay.md for
// the measured costs behind it.
var DefaultPuzzle = Puzzle{Static: 16, Dynamic: 18}

// ErrPuzzle marks a node ID whose crypto puzzles do not hold.
var ErrPuzzle = errors.New("crypto puzzle not solved")

// StaticOK reports whether id satisfies the static puzzle at difficulty c1.
func StaticOK(id ID, c1 int) bool {
	return LeadingZeroBits(sha256.Sum256(id[:])) >= c1
}

// DynamicOK reports whether x solves the dynamic puzzle for id at difficulty c2.
func DynamicOK(id ID, x [32]byte, c2 int) bool {
	return LeadingZeroBits(sha256.Sum256(xor32(id, x))) >= c2
}

func xor32(a ID, b [32]byte) []byte {
	out := make([]byte, 32)
	for i := range out {
		out[i] = a[i] ^ b[i]
	}
	return out
}

// Check verifies both puzzles for id with solution x.
func (p Puzzle) Check(id ID, x [32]byte) error {
	if !StaticOK(id, p.Static) {
		return fmt.Errorf("%w: node %s fails the static puzzle (%d zero bits required)", ErrPuzzle, id.Short(), p.Static)
	}
	if !DynamicOK(id, x, p.Dynamic) {
		return fmt.Errorf("%w: node %s fails the dynamic puzzle (%d zero bits required)", ErrPuzzle, id.Short(), p.Dynamic)
	}
	return nil
}

// SolveDynamic finds the dynamic-puzzle solution X for id by counting X up
// from zero; the expected work is 2^c2 hashes.
func SolveDynamic(id ID, c2 int) [32]byte {
	var x [32]byte
	for n := uint64(0); ; n++ {
		for i := 0; i < 8; i++ {
			x[31-i] = byte(n >> (8 * i))
		}
		if DynamicOK(id, x, c2) {
			return x
		}
	}
}

// GenerateKey draws node keys from entropy until one satisfies the static
// puzzle at difficulty c1; it returns the key and the number of attempts.
// The expected number of attempts is 2^c1.
func GenerateKey(entropy io.Reader, c1 int) (*identity.NodeKey, int, error) {
	if c1 < 0 || c1 > 32 {
		return nil, 0, fmt.Errorf("static puzzle difficulty %d is outside 0..32", c1)
	}
	for tries := 1; ; tries++ {
		k, err := identity.GenerateNodeKey(entropy)
		if err != nil {
			return nil, tries, err
		}
		if StaticOK(k.ID(), c1) {
			return k, tries, nil
		}
	}
}

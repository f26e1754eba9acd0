// Package randsrc is the injectable source of randomness for protocol cores.
//
// Cores never import math/rand or crypto/rand (the lint test enforces it);
// they take a *Rand in their config. The simulator derives every *Rand from
// its run seed, so one seed reproduces one run; a node seeds from the
// operating system.
package randsrc

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
)

// Rand is the generator type cores accept. It is an alias so callers keep
// the full math/rand/v2 API without importing it.
type Rand = rand.Rand

// New returns a deterministic generator for seed.
func New(seed uint64) *Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Derive returns an independent deterministic generator for a named
// component of a seeded run, so adding draws in one component does not shift
// the draws of another.
func Derive(seed uint64, component string) *Rand {
	h := uint64(14695981039346656037) // FNV-1a offset basis
	for i := 0; i < len(component); i++ {
		h ^= uint64(component[i])
		h *= 1099511628211
	}
	return rand.New(rand.NewPCG(seed, h))
}

// FromOS returns a generator seeded from the operating system's entropy, for
// production shells. Use it for jitter and sampling, never for keys.
func FromOS() *Rand {
	var b [16]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic("randsrc: operating system entropy unavailable: " + err.Error())
	}
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])))
}

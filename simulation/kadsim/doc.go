// Package kadsim runs the overlay's real routing core (kademlia.Table and
// kademlia.Lookup) on a simulated network of up to tens of thousands of
// nodes, with a fraction of them adversarial, to reproduce the S/Kademlia
// paper's disjoint-path experiment.
//
// What is simulated: message delivery is instant and lossless; the
// signature and puzzle layer is assumed (honest nodes only ever hold
// contacts that passed it), because checking Ed25519 signatures on every
// simulated message would cost hours at N = 10,000 while adding nothing the
// unit tests of the wire layer do not already show. Routing tables are
// filled through Table.Observe — the real contact rules — from a sample of
// the node population that Kademlia's own bucket refreshes would discover.
//
// Invariants: one seed gives one result, bit for bit (all randomness comes
// from randsrc streams derived from the seed; no clock, no goroutines).
// Adversarial sets are nested: the adversaries at fraction p are a subset of
// those at any larger fraction, and the lookup keys and initiators do not
// depend on d, so the lines of a sweep are paired comparisons.
package kadsim

// Package quorum sizes the quorums of a Byzantine fault-tolerant group of n
// members, for every n, not only n = 3f+1. It is the one place the sizes are
// computed: the PBFT engine, the ledger's checkpoint certificates, the
// devnet's and the CLI's on-chain slash thresholds all use it.
//
// # Invariants
//
// With f = ⌊(n−1)/3⌋ and q = Size(n) = ⌈(n+f+1)/2⌉:
//
//   - Intersection: any two sets of q members share at least 2q−n ≥ f+1
//     members, so at least one correct member. That is what makes two
//     quorums unable to decide different values: a correct member never
//     votes for both.
//   - Availability: q ≤ n−f, so the correct members alone form a quorum.
//
// The classic 2f+1 has both properties only when n = 3f+1: at n = 5 (f = 1)
// two sets of 3 can meet in a single member, the faulty one.
package quorum

// Package records is what enigma stores in the overlay's DHT and how
// every node and client reads it: the record policy (Policy: certified
// ledger records verified against the chain's validator sets, and the
// overlay's self-certifying named records), the S/Kademlia settings every
// enigma node and client uses (OverlayProtocol), and DHT, which publishes
// certified records and fetches verified ones.
//
// It sits below package node so that a provider's or subscriber's program
// (package client) resolves and verifies records without linking a node.
//
// Invariants:
//   - A record FetchRecord or VerifyRecord returns verified against the
//     validator set of its certificate's epoch; a record of an epoch the
//     chain has since replaced counts only up to the checkpoint that
//     closed that epoch (ledger.CheckEpochBound).
package records

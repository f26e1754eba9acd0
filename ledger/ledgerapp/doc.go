// Package ledgerapp runs the ledger under the PBFT engine: App implements
// consensus.Application and consensus.Verifier over a *ledger.Ledger and a
// ledger.ChainView, and CertificateFromStable turns the engine's stable
// checkpoint proofs into ledger checkpoint certificates.
//
// Invariants:
//   - Apply hands the engine exactly what ledger.Apply computed; a request's
//     result is "ok" or "rejected: <reason>", equal on every correct replica.
//   - The primary's batch context and a backup's check read the same
//     ChainView interface at the same block, so correct replicas agree on
//     every batch they accept.
//   - A storage failure under Apply or Snapshot stops the replica (panic):
//     the engine's interface has no error there, and a replica that cannot
//     persist its state must not keep voting on digests.
package ledgerapp

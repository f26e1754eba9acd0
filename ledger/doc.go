// Package ledger is the replicated state machine PBFT orders: the
// authenticated metadata ledger. It owns
//
//   - the dataset metadata record (Metadata, signed by the provider's account
//     key under MetadataDomain) and its on-chain fingerprint MetadataHash;
//   - the commands (register, update, attest), their canonical encoding and
//     their deterministic validation;
//   - the batch context: the chain block B a batch was checked against and
//     the facts read there (BuildContext on the primary, CheckContext on the
//     replicas, over the ChainView interface the chain client implements);
//   - the authenticated state: go-ethereum's Merkle Patricia trie over any
//     ethdb.KeyValueStore (Pebble in production, see ledgerdb), its root the
//     digest PBFT checkpoints sign; proofs of inclusion and absence;
//     snapshots for state transfer;
//   - certified records (value + proof + checkpoint certificate) and Verify,
//     the pure check clients, DHT nodes and the CLI share.
//
// Invariants:
//   - Apply is a function of the state, the batch and its context only: it
//     reads no clock, no chain, no randomness. Equal batches on equal states
//     give equal roots on every replica.
//   - Every check of a command happens before its one state write, so a
//     rejected command changes nothing; the reason is returned wrapping one
//     of the Err… values.
//   - A dataset's version only increases; a register needs the dataset
//     absent, an update needs it present.
//   - The trie root is a function of the set of (key, value) pairs alone,
//     not of history, so a restored snapshot is checked by recomputing it.
//   - Trie nodes of a batch are written before the head that names their
//     root, so reopening after a crash resumes at the last committed root.
//   - Verify is strict: certificate signatures sorted by signer, distinct,
//     all valid, at least 2f+1; proof nodes exactly those on the path,
//     in order; the value equal to what the proof commits to. One record
//     has one accepted encoding, so any changed byte is detected.
//
// Keys: a dataset's record lives under its on-chain ID (dataset.Path.ID),
// which is also its DHT key; an offence record under OffenceKey; the last
// applied sequence under SequenceKey, so the root commits to it.
//
// The package is a pure core (internal/lint checks it). It does not open
// files; ledgerdb opens the Pebble store.
package ledger

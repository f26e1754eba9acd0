// Package signing owns the canonical encoding and the signature rules every
// enigma protocol uses.
//
// Canonical encoding: everything that is hashed or signed is RLP (go-ethereum's
// rlp package). Decode is strict: it enforces a size limit before decoding and
// rejects trailing bytes, so one value has exactly one accepted encoding.
//
// Domain separation: a signature never covers raw bytes. It covers
//
//	Digest = keccak256(rlp(["enigma", domain, chainID, payload]))
//
// where domain names the message type and its version (for example
// "pbft/prepare/v1") and chainID is the Ethereum chain the network runs
// against. A signature made for one message type or one chain never verifies
// for another.
//
// Two kinds of keys sign:
//   - Node keys (Ed25519) sign the 32-byte digest directly. Signatures are
//     made and checked with curve25519-voi (~1.7× faster signing, ~1.4×
//     faster checks, ~1.6× with a NodeVerifyKey prepared once for a key
//     that signs often, such as a validator's) under crypto/ed25519's
//     acceptance rules exactly: two nodes must never disagree on a
//     signature, or they count different quorums. A differential test and
//     a fuzz target hold the two to the same answers, edge cases included.
//   - Account keys (secp256k1) sign the EIP-191 "personal message" hash of
//     the 32-byte digest, which is what a wallet's personal_sign produces, so
//     a provider or subscriber can sign with an ordinary wallet. Signatures
//     are 65 bytes [R || S || V] with V in {0,1} or {27,28}; high-S values are
//     rejected so a signature has one valid form.
package signing

// Package identity owns the two kinds of keys an enigma user holds and how
// they are stored on disk.
//
//   - A node key (Ed25519) identifies a node in the overlay and in PBFT. Its
//     NodeID is SHA-256 of the public key. It is stored as a hex seed in a
//     file of mode 0600; Load refuses a file that group or others can read.
//   - Accounts (secp256k1) are Ethereum accounts kept in go-ethereum's
//     encrypted keystore under <datadir>/keystore. Private keys leave the
//     keystore only in memory, for signing, and are never printed or logged.
package identity

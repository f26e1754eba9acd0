// Package seal encrypts a message to one recipient's public key with HPKE
// (RFC 9180) in base mode, suite DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
// ChaCha20-Poly1305, through cloudflare/circl.
//
// The query package uses it for results (associated data = the request
// hash) and colcrypt uses it for column-key grants to subscribers.
//
// Invariants:
//   - a sealed box is enc (32 bytes) || AEAD ciphertext; Open refuses
//     anything shorter than enc plus the 16-byte tag;
//   - the info string is a domain tag chosen by the caller, so a box made
//     for one purpose never opens for another;
//   - private keys are 32-byte seeds; the key pair is derived from the seed
//     with the KEM's DeriveKeyPair, so randomness enters only as that seed.
package seal

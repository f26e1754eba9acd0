// Package colcrypt encrypts dataset columns at the source, so a persistence
// node stores and queries ciphertext (the CryptDB idea).
//
// Keys belong to the provider, one Keys per dataset. A worker encrypts rows
// before it pushes them (EncryptRow); a subscriber who was granted the keys
// (SealGrant/OpenGrant, HPKE to the subscriber's key) encrypts query
// constants (EncryptConstant) and decrypts result cells (DecryptValue).
//
// Three modes, chosen per column in the schema:
//
//   - Deterministic (dataset.EncDeterministic): AES-SIV through Tink's
//     deterministic AEAD, with associated data binding the dataset ID and
//     the column name. Equal plaintexts in one column give equal
//     ciphertexts, so equality, IN and GROUP BY work on ciphertext. Leaks:
//     which cells of a column are equal (frequencies), and length of
//     strings and bytes.
//   - Order-preserving (dataset.EncOrderPreserving, int64/float64/timestamp
//     only): BCLO09 (see ope.go). A 24-byte cell is the 12-byte range
//     point, whose byte order is the plaintext order, so Pebble index
//     ranges and ORDER BY work on ciphertext, followed by a 12-byte seal of
//     the value that decrypts it in two AES blocks and refuses a changed
//     cell. Leaks: equality and order of all values in the column, and
//     from each single cell about the top 32 bits of its value (the seal
//     adds nothing: it too is a deterministic function of the value). Use
//     it only where range queries are worth that.
//   - Order-revealing (dataset.EncOrderRevealing, int64/float64/timestamp
//     only): Lewi–Wu left/right ORE (see ore.go) over a 64-bit image of the
//     value whose unsigned order is the value's order (oreImage: the sign
//     bit flipped for integers and timestamps; for floats the usual
//     sign flip, positive → set the sign bit, negative → invert all bits).
//     Stored cells are randomized right ciphertexts plus an AES-GCM seal of
//     the value; a query constant is a left ciphertext (EncryptConstant),
//     which ORELeft.Compare compares with a cell. Leaks nothing from cells
//     alone; per constant and cell, the order and the first differing
//     8-bit block of the image. No index, ORDER BY, grouping or join can
//     use it.
//
// Invariants:
//   - NULL stays NULL (nullness is not hidden);
//   - an encrypted cell is always a dataset.TypeBytes value;
//   - float -0 encrypts like +0 (SQL compares them equal); NaN is accepted
//     by every scheme, and order-preserving and order-revealing ones order
//     it as the engine orders plaintext (after every number, equal to every
//     NaN). Deterministic and order-preserving cells decrypt -0 as +0 and
//     every NaN as one canonical NaN;
//     order-revealing cells seal the value's own bits and decrypt exactly;
//   - DET and OPE encryption, and ORE left ciphertexts, are pure functions
//     of (keys, dataset ID, column name, value), identical on every
//     platform; ORE cells also take a nonce from the Cipher's random source
//     (crypto/rand unless SetRand).
package colcrypt

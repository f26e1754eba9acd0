// Package keyenc encodes dataset values for Pebble: keys whose byte order is
// the values' order, and a compact row codec for stored and sent rows.
//
// Key encoding of one value of a known column type (concatenations of
// encoded values compare column by column, because every encoding is
// self-delimiting and no encoding is a proper prefix of another):
//
//	NULL                 0x00
//	int64, timestamp     0x01, 8 bytes big-endian of v XOR 1<<63
//	float64              0x01, 8 bytes of the order-preserving bit map
//	                     (-0 as +0; NaN after +Inf)
//	bool                 0x01, 0x00 or 0x01
//	string, bytes        0x01, bytes with 0x00 escaped as 0x00 0xFF,
//	                     terminated by 0x00 0x01
//
// Encrypted columns are bytes (their ciphertexts), so order-preserving
// ciphertexts keep their order in keys.
//
// Invariants: for values a, b of one type, Compare(a, b) has the sign of
// bytes.Compare(Key(a), Key(b)); DecodeRow never panics and refuses
// malformed or oversized input.
package keyenc

package colcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
)

// AES-SIV (RFC 5297) with one associated-data string, as Tink's
// deterministic AEAD computes it (AES-CMAC-256 for S2V, AES-CTR-256 with
// the synthetic IV), the same ciphertexts bit for bit
// (TestSIVMatchesTink). It exists because a column's associated data is
// fixed (label, dataset ID, column name): S2V's first two steps,
// D = dbl(CMAC(0)) xor CMAC(AD), depend only on the key and the column, so
// sivColumn computes them once per column, and both AES key schedules once
// per Cipher. Tink's primitive recomputes all of it, with a fresh CTR key
// schedule, per cell — seven AES blocks and a key expansion where a
// one-block cell needs two blocks.

// sivKeys are the two halves of the AES-SIV key, expanded.
type sivKeys struct {
	mac cipher.Block // K1: CMAC
	ctr cipher.Block // K2: CTR
	// k1, k2 are CMAC's subkeys (RFC 4493 2.3).
	k1, k2 [16]byte
}

func newSIVKeys(key []byte) (*sivKeys, error) {
	if len(key) != DetKeySize {
		return nil, fmt.Errorf("AES-SIV key is %d bytes, want %d", len(key), DetKeySize)
	}
	mac, err := aes.NewCipher(key[:32])
	if err != nil {
		return nil, fmt.Errorf("AES-SIV key: %w", err)
	}
	ctr, err := aes.NewCipher(key[32:])
	if err != nil {
		return nil, fmt.Errorf("AES-SIV key: %w", err)
	}
	s := &sivKeys{mac: mac, ctr: ctr}
	var l [16]byte
	mac.Encrypt(l[:], l[:])
	s.k1 = dbl(l)
	s.k2 = dbl(s.k1)
	return s, nil
}

// dbl multiplies by x in GF(2^128) (RFC 5297 2.3).
func dbl(b [16]byte) [16]byte {
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	carry := hi >> 63
	hi = hi<<1 | lo>>63
	lo = lo<<1 ^ (0x87 & -carry)
	var out [16]byte
	binary.BigEndian.PutUint64(out[:8], hi)
	binary.BigEndian.PutUint64(out[8:], lo)
	return out
}

func xorBlock(a *[16]byte, b []byte) {
	for i := range b {
		a[i] ^= b[i]
	}
}

// cmac is AES-CMAC (RFC 4493) of msg, with its last block first xored
// with tail when tail is not nil (S2V's "xorend", len(msg) ≥ 16).
func (s *sivKeys) cmac(msg []byte, tail *[16]byte) [16]byte {
	var x [16]byte
	n := len(msg)
	// Every block but the last is chained directly.
	full := 0
	if n > 0 {
		full = (n - 1) / 16
	}
	var tailAt int
	if tail != nil {
		tailAt = n - 16
	}
	blk := func(i int) [16]byte {
		var b [16]byte
		copy(b[:], msg[i*16:min(n, i*16+16)])
		if tail != nil {
			for j := range 16 {
				if p := i*16 + j; p >= tailAt && p < n {
					b[j] ^= tail[p-tailAt]
				}
			}
		}
		return b
	}
	for i := range full {
		b := blk(i)
		xorBlock(&x, b[:])
		s.mac.Encrypt(x[:], x[:])
	}
	last := blk(full)
	if rest := n - full*16; n > 0 && rest == 16 {
		xorBlock(&last, s.k1[:])
	} else {
		last[rest] ^= 0x80
		xorBlock(&last, s.k2[:])
	}
	xorBlock(&x, last[:])
	s.mac.Encrypt(x[:], x[:])
	return x
}

// sivColumn is S2V's state after the associated data of one column.
type sivColumn struct {
	keys *sivKeys
	d    [16]byte
}

func (s *sivKeys) column(ad []byte) *sivColumn {
	var zero [16]byte
	d := dbl(s.cmac(zero[:], nil))
	adMac := s.cmac(ad, nil)
	xorBlock(&d, adMac[:])
	return &sivColumn{keys: s, d: d}
}

// s2v finishes S2V with the plaintext.
func (c *sivColumn) s2v(p []byte) [16]byte {
	if len(p) >= 16 {
		return c.keys.cmac(p, &c.d)
	}
	t := dbl(c.d)
	xorBlock(&t, p)
	t[len(p)] ^= 0x80
	// t is one full block: its CMAC uses subkey K1.
	xorBlock(&t, c.keys.k1[:])
	c.keys.mac.Encrypt(t[:], t[:])
	return t
}

// ctr xors in with the CTR keystream from the synthetic IV into out.
func (c *sivColumn) ctr(siv []byte, in, out []byte) {
	var iv [16]byte
	copy(iv[:], siv)
	iv[8] &= 0x7f
	iv[12] &= 0x7f
	if len(in) > 4*16 {
		cipher.NewCTR(c.keys.ctr, iv[:]).XORKeyStream(out, in)
		return
	}
	hi := binary.BigEndian.Uint64(iv[:8])
	lo := binary.BigEndian.Uint64(iv[8:])
	var ks [16]byte
	for i := 0; i < len(in); i += 16 {
		binary.BigEndian.PutUint64(iv[:8], hi)
		binary.BigEndian.PutUint64(iv[8:], lo)
		c.keys.ctr.Encrypt(ks[:], iv[:])
		subtle.XORBytes(out[i:min(len(in), i+16)], in[i:min(len(in), i+16)], ks[:])
		lo++
		if lo == 0 {
			hi++
		}
	}
}

func (c *sivColumn) seal(p []byte) []byte {
	v := c.s2v(p)
	out := make([]byte, 16+len(p))
	copy(out, v[:])
	c.ctr(v[:], p, out[16:])
	return out
}

var errSIVOpen = errors.New("AES-SIV: ciphertext does not authenticate")

func (c *sivColumn) open(ct []byte) ([]byte, error) {
	if len(ct) < 16 {
		return nil, errSIVOpen
	}
	p := make([]byte, len(ct)-16)
	c.ctr(ct[:16], ct[16:], p)
	v := c.s2v(p)
	if subtle.ConstantTimeCompare(v[:], ct[:16]) != 1 {
		return nil, errSIVOpen
	}
	return p, nil
}

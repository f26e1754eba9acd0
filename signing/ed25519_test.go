package signing

import (
	"crypto/ed25519"
	"encoding/hex"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// groupOrder is L, the order of Ed25519's base point.
var groupOrder, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// littleEndian32 encodes v (< 2^256) in 32 bytes, little-endian, as Ed25519
// encodes field elements and scalars.
func littleEndian32(v *big.Int) []byte {
	enc := v.FillBytes(make([]byte, 32))
	slices.Reverse(enc)
	return enc
}

// edgeEncodings returns 32-byte point encodings where Ed25519
// implementations have disagreed: small y (the identity, the points of
// order 2, 4 and 8), y at and beyond the field prime (non-canonical
// encodings), each with both sign bits, and points of order 8.
func edgeEncodings(t testing.TB) [][]byte {
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	var ys []*big.Int
	for _, y := range []int64{0, 1, 2} {
		ys = append(ys, big.NewInt(y))
	}
	for k := int64(-1); k <= 19; k++ {
		ys = append(ys, new(big.Int).Add(p, big.NewInt(k)))
	}
	var out [][]byte
	for _, y := range ys {
		if y.BitLen() > 255 {
			continue
		}
		enc := littleEndian32(y)
		neg := append([]byte(nil), enc...)
		neg[31] |= 0x80
		out = append(out, enc, neg)
	}
	for _, h := range []string{
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	} {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// edgeScalars returns S values around 0 and the group order L, little-endian.
func edgeScalars() [][]byte {
	l := groupOrder
	var out [][]byte
	for _, v := range []*big.Int{big.NewInt(0), big.NewInt(1), new(big.Int).Sub(l, big.NewInt(1)), l, new(big.Int).Add(l, big.NewInt(1)), new(big.Int).Lsh(l, 1)} {
		out = append(out, littleEndian32(v))
	}
	return out
}

// checkSameAnswer fails t unless crypto/ed25519, VerifyNodeDigest and a
// prepared key give one answer for (pub, digest, sig); it returns it.
func checkSameAnswer(t testing.TB, pub []byte, digest common.Hash, sig []byte) bool {
	t.Helper()
	want := len(pub) == ed25519.PublicKeySize && len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, digest[:], sig)
	got := VerifyNodeDigest(pub, digest, sig) == nil
	prepared := NewNodeVerifyKey(pub).VerifyDigest(digest, sig) == nil
	if got != want || prepared != want {
		t.Fatalf("pub %x digest %x sig %x: crypto/ed25519 says %v, VerifyNodeDigest %v, a prepared key %v", pub, digest, sig, want, got, prepared)
	}
	return want
}

func TestNodeSignMatchesCryptoEd25519(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		var seed [32]byte
		var digest common.Hash
		for i := range seed {
			seed[i], digest[i] = byte(rng.Uint32()), byte(rng.Uint32())
		}
		key := ed25519.NewKeyFromSeed(seed[:])
		want := ed25519.Sign(key, digest[:])
		if got := SignNodeDigest(key, digest); string(got) != string(want) {
			t.Fatalf("seed %x digest %x: signed %x, crypto/ed25519 signs %x", seed, digest, got, want)
		}
		if !checkSameAnswer(t, key.Public().(ed25519.PublicKey), digest, want) {
			t.Fatalf("seed %x: a valid signature was refused", seed)
		}
	}
}

// TestNodeVerifyMatchesCryptoEd25519 holds node signature checks to
// crypto/ed25519's answers on valid signatures, damaged ones, and the edge
// cases of Ed25519 validation (small-order and non-canonical A and R, S
// at and beyond the group order): two validators that disagreed on one
// signature would count different quorums.
func TestNodeVerifyMatchesCryptoEd25519(t *testing.T) {
	digest := common.HexToHash("0x5eed")
	seed := make([]byte, 32)
	seed[0] = 7
	key := ed25519.NewKeyFromSeed(seed)
	pub := key.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(key, digest[:])
	checkSameAnswer(t, pub, digest, sig)
	for i := range len(sig) * 8 {
		bad := append([]byte(nil), sig...)
		bad[i/8] ^= 1 << (i % 8)
		checkSameAnswer(t, pub, digest, bad)
	}
	// S + L: the same point equation, refused as malleable.
	sBigEndian := slices.Clone(sig[32:])
	slices.Reverse(sBigEndian)
	sPlusL := new(big.Int).Add(new(big.Int).SetBytes(sBigEndian), groupOrder)
	malleable := append(slices.Clone(sig[:32]), littleEndian32(sPlusL)...)
	if checkSameAnswer(t, pub, digest, malleable) {
		t.Fatal("S + L accepted")
	}
	checkSameAnswer(t, pub, digest, sig[:63])
	checkSameAnswer(t, pub[:31], digest, sig)

	accepted := 0
	points := edgeEncodings(t)
	for _, a := range points {
		for _, r := range points {
			for _, s := range edgeScalars() {
				if checkSameAnswer(t, a, digest, append(append([]byte(nil), r...), s...)) {
					accepted++
				}
			}
		}
	}
	// Small-order keys accept some forged signatures under crypto/ed25519's
	// rules; the cases must reach them for the comparison to mean much.
	if accepted == 0 {
		t.Fatal("no edge case verified: the cases do not reach the small-order points")
	}
	t.Logf("%d edge cases compared, %d accepted by both", len(points)*len(points)*len(edgeScalars()), accepted)
}

func FuzzNodeVerify(f *testing.F) {
	digest := common.HexToHash("0x5eed")
	seed := make([]byte, 32)
	key := ed25519.NewKeyFromSeed(seed)
	f.Add([]byte(key.Public().(ed25519.PublicKey)), digest[:], ed25519.Sign(key, digest[:]))
	points := edgeEncodings(f)
	for i, a := range points {
		r := points[(i*7)%len(points)]
		s := edgeScalars()[i%len(edgeScalars())]
		f.Add(a, digest[:], append(append([]byte(nil), r...), s...))
	}
	f.Fuzz(func(t *testing.T, pub, d, sig []byte) {
		checkSameAnswer(t, pub, common.BytesToHash(d), sig)
	})
}

package signing

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

func BenchmarkDigest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Digest("bench/v1", 1, testPayload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNodeSign(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{1}, 64)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignNode(priv, "bench/v1", 1, testPayload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNodeVerify(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{1}, 64)))
	sig, _ := SignNode(priv, "bench/v1", 1, testPayload)
	b.ReportAllocs()
	for b.Loop() {
		if err := VerifyNode(pub, "bench/v1", 1, testPayload, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccountSign(b *testing.B) {
	key, _ := crypto.ToECDSA(bytes.Repeat([]byte{7}, 32))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignAccount(key, "bench/v1", 1, testPayload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccountRecover(b *testing.B) {
	key, _ := crypto.ToECDSA(bytes.Repeat([]byte{7}, 32))
	sig, _ := SignAccount(key, "bench/v1", 1, testPayload)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RecoverAccount("bench/v1", 1, testPayload, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNodeDigest compares, in one process, node signing and checking
// with crypto/ed25519 against this package's (curve25519-voi, and a
// prepared key for the check).
func BenchmarkNodeDigest(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{1}, 64)))
	d, _ := Digest("bench/v1", 1, testPayload)
	sig := SignNodeDigest(priv, d)
	b.Run("sign/crypto-ed25519", func(b *testing.B) {
		for b.Loop() {
			ed25519.Sign(priv, d[:])
		}
	})
	b.Run("sign/SignNodeDigest", func(b *testing.B) {
		for b.Loop() {
			SignNodeDigest(priv, d)
		}
	})
	b.Run("verify/crypto-ed25519", func(b *testing.B) {
		for b.Loop() {
			if !ed25519.Verify(pub, d[:], sig) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("verify/VerifyNodeDigest", func(b *testing.B) {
		for b.Loop() {
			if err := VerifyNodeDigest(pub, d, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	key := NewNodeVerifyKey(pub)
	b.Run("verify/prepared", func(b *testing.B) {
		for b.Loop() {
			if err := key.VerifyDigest(d, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

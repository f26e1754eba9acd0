package signing

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

type sample struct {
	Seq     uint64
	Name    string
	Payload []byte
	Peers   []common.Address
}

var testPayload = sample{Seq: 7, Name: "alice/prices", Payload: []byte{1, 2, 3}, Peers: []common.Address{{1}, {2}}}

func TestNodeSignatureIsDomainAndChainSeparated(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{9}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := SignNode(priv, "test/a/v1", 1, testPayload)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyNode(pub, "test/a/v1", 1, testPayload, sig); err != nil {
		t.Fatalf("valid signature rejected: %v", err)
	}
	other := testPayload
	other.Seq++
	cases := map[string]error{
		"other domain":  VerifyNode(pub, "test/b/v1", 1, testPayload, sig),
		"other chain":   VerifyNode(pub, "test/a/v1", 2, testPayload, sig),
		"other payload": VerifyNode(pub, "test/a/v1", 1, other, sig),
		"short sig":     VerifyNode(pub, "test/a/v1", 1, testPayload, sig[:10]),
		"short key":     VerifyNode(pub[:5], "test/a/v1", 1, testPayload, sig),
	}
	for name, err := range cases {
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: got %v, want ErrBadSignature", name, err)
		}
	}
}

func TestAccountSignatureRecoversSigner(t *testing.T) {
	key, err := crypto.ToECDSA(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey)
	sig, err := SignAccount(key, "test/a/v1", 1, testPayload)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyAccount(addr, "test/a/v1", 1, testPayload, sig); err != nil {
		t.Fatalf("valid signature rejected: %v", err)
	}
	// Wallets return V as 27/28; both forms must verify.
	walletSig := bytes.Clone(sig)
	walletSig[64] += 27
	if err := VerifyAccount(addr, "test/a/v1", 1, testPayload, walletSig); err != nil {
		t.Fatalf("wallet-style V rejected: %v", err)
	}
	if err := VerifyAccount(addr, "test/a/v1", 5, testPayload, sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("signature verified on another chain: %v", err)
	}
	if err := VerifyAccount(common.Address{1}, "test/a/v1", 1, testPayload, sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("signature verified for another address: %v", err)
	}
}

func TestAccountSignatureMatchesPersonalSign(t *testing.T) {
	// A wallet's personal_sign over the 32-byte digest must give the same
	// signature as SignAccount, so wallets can sign enigma messages.
	key, _ := crypto.ToECDSA(bytes.Repeat([]byte{3}, 32))
	d, err := Digest("test/a/v1", 1, testPayload)
	if err != nil {
		t.Fatal(err)
	}
	prefixed := append([]byte("\x19Ethereum Signed Message:\n32"), d[:]...)
	walletSig, err := crypto.Sign(crypto.Keccak256(prefixed), key)
	if err != nil {
		t.Fatal(err)
	}
	ours, _ := SignAccount(key, "test/a/v1", 1, testPayload)
	if !bytes.Equal(walletSig, ours) {
		t.Fatal("SignAccount differs from personal_sign of the digest")
	}
}

func TestAccountSignatureRejectsHighS(t *testing.T) {
	key, _ := crypto.ToECDSA(bytes.Repeat([]byte{5}, 32))
	sig, _ := SignAccount(key, "test/a/v1", 1, testPayload)
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(sig[32:64])
	flipped := bytes.Clone(sig)
	new(big.Int).Sub(n, s).FillBytes(flipped[32:64])
	flipped[64] ^= 1
	if _, err := RecoverAccount("test/a/v1", 1, testPayload, flipped); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("high-S twin accepted: %v", err)
	}
	bad := bytes.Clone(sig)
	bad[64] = 9
	if _, err := RecoverAccount("test/a/v1", 1, testPayload, bad); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("recovery id 9 accepted: %v", err)
	}
}

func TestEmptyDomainRefused(t *testing.T) {
	if _, err := Digest("", 1, testPayload); err == nil {
		t.Fatal("empty domain accepted")
	}
}

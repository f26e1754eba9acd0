package ledger

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

func TestSignerMemoIsBoundedAndKeyedBySignature(t *testing.T) {
	key, _ := crypto.ToECDSA(bytes.Repeat([]byte{7}, 32))
	memo := newSignerMemo(2)
	var signed []SignedMetadata
	for _, name := range []string{"a", "b", "c"} {
		sm, err := SignMetadata(key, 1, Metadata{Name: name, Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		signed = append(signed, sm)
		if a, err := memo.recover(1, &sm); err != nil || a != crypto.PubkeyToAddress(key.PublicKey) {
			t.Fatalf("recover %s: %s %v", name, a.Hex(), err)
		}
	}
	if len(memo.signers) != 2 {
		t.Fatalf("memo holds %d signers, its bound is 2", len(memo.signers))
	}
	// The same metadata with another signature is not answered from the memo.
	other, _ := crypto.ToECDSA(bytes.Repeat([]byte{8}, 32))
	forged, _ := SignMetadata(other, 1, signed[2].Metadata)
	if a, err := memo.recover(1, &forged); err != nil || a != crypto.PubkeyToAddress(other.PublicKey) {
		t.Fatalf("a second signature over remembered metadata recovered %s, %v", a.Hex(), err)
	}
	// Nor the same signature on another chain.
	if a, _ := memo.recover(2, &signed[2]); a == crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatal("a remembered signer was returned for another chain")
	}
}

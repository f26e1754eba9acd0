package ledger

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"

	"github.com/enigma-mpc/enigma/signing"
)

// TestOpenRefusesDamagedHead writes heads a crash could never leave (the
// order nodes-then-head rules them out) and checks Open notices instead of
// serving a state it does not have.
func TestOpenRefusesDamagedHead(t *testing.T) {
	kv := memorydb.New()
	l, err := Open(Config{NoSync: true}, kv)
	if err != nil {
		t.Fatal(err)
	}
	root, _, err := l.Apply(1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, h := range map[string]head{
		"head before its nodes":                   {Seq: 2, Root: common.Hash{1}},
		"head and state disagree on the sequence": {Seq: 5, Root: root},
	} {
		enc, _ := signing.Encode(&h)
		if err := kv.Put(headKey, enc); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(Config{NoSync: true}, kv); err == nil {
			t.Errorf("%s: Open accepted it", name)
		}
	}
	if err := kv.Put(headKey, []byte{0xff}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{NoSync: true}, kv); err == nil {
		t.Error("Open accepted an undecodable head")
	}
}

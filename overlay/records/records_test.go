package records

import (
	"crypto/rand"
	"testing"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

const chainID = 1337

// The policy takes what either side takes: a named record bound to its
// key passes although it is no certified record; a value neither takes is
// refused with the certified side's reason (the records the network lives
// on); among named records the newest wins.
func TestPolicyTakesCertifiedOrNamedRecords(t *testing.T) {
	key, err := identity.GenerateNodeKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p := Policy{Certified: ledger.RecordValidator{Sets: ledger.SetList{}}, Named: overlay.NamedRecords{ChainID: chainID}}
	id, v1, err := overlay.NewNamedRecord(key, chainID, "greeting", 1, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	_, v2, err := overlay.NewNamedRecord(key, chainID, "greeting", 2, []byte("hello again"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(id, v1); err != nil {
		t.Fatalf("a named record under its key: %v", err)
	}
	if err := p.Validate(kademlia.ID{1}, v1); err == nil {
		t.Fatal("a named record under another key passed")
	}
	certErr := p.Certified.Validate(identity.NodeID(id), []byte("garbage"))
	if err := p.Validate(id, []byte("garbage")); err == nil || certErr == nil || err.Error() != certErr.Error() {
		t.Fatalf("garbage: err = %v, want the certified side's %v", err, certErr)
	}
	if i, err := p.Select(id, [][]byte{v1, []byte("garbage"), v2}); err != nil || i != 2 {
		t.Fatalf("Select = %d, %v; want the newest named record (2)", i, err)
	}
}

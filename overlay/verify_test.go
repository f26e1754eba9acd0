package overlay

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// The parallel verifier gives every check the answer a serial one gives,
// however the batch is shared out.
func TestParallelVerifierMatchesSerial(t *testing.T) {
	var checks []kademlia.SigCheck
	for i := range 11 {
		seed := make([]byte, 32)
		seed[0] = byte(i)
		priv := ed25519.NewKeyFromSeed(seed)
		var d [32]byte
		copy(d[:], fmt.Sprintf("digest %d", i))
		sig := ed25519.Sign(priv, d[:])
		switch i % 3 {
		case 1:
			sig[7] ^= 1 // bad signature
		case 2:
			d[0] ^= 1 // signed something else
		}
		checks = append(checks, kademlia.SigCheck{Key: priv.Public().(ed25519.PublicKey), Digest: d, Sig: sig})
	}
	checks = append(checks, kademlia.SigCheck{Key: []byte{1, 2}, Sig: []byte{3}}) // malformed
	want := append([]kademlia.SigCheck(nil), checks...)
	kademlia.SerialVerifier{}.Verify(want)
	for _, workers := range []int{0, 1, 2, 3, 5, 64} {
		got := append([]kademlia.SigCheck(nil), checks...)
		ParallelVerifier{Workers: workers}.Verify(got)
		for i := range got {
			if got[i].OK != want[i].OK {
				t.Errorf("%d workers, check %d: %v, serial says %v", workers, i, got[i].OK, want[i].OK)
			}
			if want[i].OK != (i < 11 && i%3 == 0) {
				t.Errorf("check %d: serial says %v", i, want[i].OK)
			}
		}
	}
	ParallelVerifier{}.Verify(nil)
}

// Over real QUIC: once a node has heard from every other node, a lookup
// verifies no relayed contact again. Over TLS its messages need no strong
// signature, so it checks no signature at all; with SignMessages it pays one
// Ed25519 verification per message it receives, where without the cache it
// paid one per contact relayed as well.
func TestWarmLookupChecksNoContactAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("16-node QUIC network")
	}
	for _, signed := range []bool{false, true} {
		t.Run(fmt.Sprintf("sign messages %v", signed), func(t *testing.T) {
			nodes := startNetwork(t, 16, newAuthority(), func(c *Config) { c.SignMessages = signed })
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			n := nodes[3]
			// Looking every node up makes each answer n at least once.
			for _, other := range nodes {
				if _, err := n.FindNode(ctx, other.ID()); err != nil {
					t.Fatal(err)
				}
			}
			target := nodes[9].ID()
			calls := func() float64 {
				m := n.cfg.Metrics
				return counterValue(m.Calls.WithLabelValues(ProtoKad, "ok")) + counterValue(m.Served.WithLabelValues(ProtoKad, "ok"))
			}
			before, callsBefore := n.VerifyStats(), calls()
			_, st, err := n.FindNodeStats(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			after, callsAfter := n.VerifyStats(), calls()
			if after.ContactMisses != before.ContactMisses {
				t.Errorf("a warm lookup checked %d contacts again", after.ContactMisses-before.ContactMisses)
			}
			if after.ContactHits-before.ContactHits < uint64(st.Requests) {
				t.Errorf("%d contacts from the cache for %d answers", after.ContactHits-before.ContactHits, st.Requests)
			}
			sigs := after.Signatures - before.Signatures
			if !signed {
				if sigs != 0 {
					t.Errorf("%d verifications for %d requests over TLS, want none", sigs, st.Requests)
				}
				return
			}
			// Every answer costs its strong signature; background pings the
			// lookup set off, and requests n answered meanwhile, one each too.
			if sigs < uint64(st.Requests-st.Failures) || float64(sigs) > callsAfter-callsBefore+2 {
				t.Errorf("%d verifications for %d requests (%v messages in and out)", sigs, st.Requests, callsAfter-callsBefore)
			}
		})
	}
}

package ledgerapp_test

import (
	"errors"
	"math"
	"testing"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerapp"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// proposeEverywhere hands req to every replica and returns their refusals.
func (c *cluster) proposeEverywhere(req consensus.Request) []error {
	var errs []error
	for i, r := range c.replicas {
		if !c.down[i] {
			if err := r.Propose(req); err != nil {
				errs = append(errs, err)
			}
		}
	}
	c.pump()
	return errs
}

// TestClientIDCannotBeJammed: an attacker with a key of its own submits a
// validly signed command under the honest client's ID with a timestamp near
// 2^64, and replays the honest client's own signed request with such a
// timestamp. Both are refused (the client ID names the key that must sign
// for it, and the signature covers the timestamp), and the honest client's
// next command commits. Before client IDs were bound to keys, the engine
// took the jamming request and refused every later command of the honest
// client as older than its last executed one.
func TestClientIDCannotBeJammed(t *testing.T) {
	f, err := ledgertest.NewFixture(31, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newCluster(t, f, []ledger.ChainView{f.Chain, f.Chain, f.Chain, f.Chain})
	w := f.Workload()
	first, err := w.Next(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.submit(first); got != ledgerapp.ResultOK {
		t.Fatalf("first command: %s", got)
	}

	attacker, err := f.Submitter(99)
	if err != nil {
		t.Fatal(err)
	}
	victim := consensus.ClientID(c.signer.ClientID())
	cmd, err := w.Next(1)
	if err != nil {
		t.Fatal(err)
	}
	const far = math.MaxUint64 - 1
	jam, err := attacker.SignRequest(f.ChainID, far, cmd)
	if err != nil {
		t.Fatal(err)
	}
	errs := c.proposeEverywhere(consensus.Request{Client: victim, Timestamp: far, Payload: jam})
	if len(errs) != 4 || !errors.Is(errs[0], ledger.ErrRequestBinding) {
		t.Fatalf("a request under another client's ID was not refused by every replica: %v", errs)
	}
	own, err := c.signer.SignRequest(f.ChainID, c.client.NextTimestamp(), cmd)
	if err != nil {
		t.Fatal(err)
	}
	errs = c.proposeEverywhere(consensus.Request{Client: victim, Timestamp: far, Payload: own})
	if len(errs) != 4 || !errors.Is(errs[0], ledger.ErrRequestBinding) {
		t.Fatalf("the client's own request replayed with another timestamp was not refused: %v", errs)
	}

	next, err := w.Next(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.submit(next); got != ledgerapp.ResultOK {
		t.Fatalf("the honest client's next command after the attack: %s", got)
	}
}

// TestHostileClientsNeverBlockHonestOnes is a property test of the request
// path: in seeded rounds, hostile clients (keys of their own) submit
// requests under honest clients' IDs, replays of honest requests with other
// timestamps, and their own requests with timestamps near 2^64; after every
// round, each honest client's next command commits.
func TestHostileClientsNeverBlockHonestOnes(t *testing.T) {
	rounds := 25
	if testing.Short() {
		rounds = 6
	}
	f, err := ledgertest.NewFixture(32, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newCluster(t, f, []ledger.ChainView{f.Chain, f.Chain, f.Chain, f.Chain})
	rng := randsrc.Derive(32, "hostile-clients")
	w := f.Workload()
	type client struct {
		c *consensus.Client
		s ledger.AccountSigner
	}
	var honest, hostile []client
	for i := range 5 {
		s, err := f.Submitter(i)
		if err != nil {
			t.Fatal(err)
		}
		cl := client{consensus.NewClient(consensus.ClientID(s.ClientID()), 4, 0, 10), s}
		if i < 2 {
			honest = append(honest, cl)
		} else {
			hostile = append(hostile, cl)
		}
	}
	var seen [][]byte // commands honest clients sent, which hostile ones copy
	for round := range rounds {
		for range 1 + rng.IntN(4) {
			h := hostile[rng.IntN(len(hostile))]
			victim := honest[rng.IntN(len(honest))]
			cmd, err := w.Next(2 + rng.IntN(3))
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) > 0 && rng.IntN(2) == 0 {
				cmd = seen[rng.IntN(len(seen))]
			}
			ts := math.MaxUint64 - uint64(rng.IntN(1000))
			client, signer, signedTs := victim.c.ID(), h.s, ts
			switch rng.IntN(3) {
			case 0: // the victim's ID, the attacker's signature
			case 1: // the victim's own signature for another timestamp
				signer, signedTs = victim.s, victim.c.NextTimestamp()
			default: // its own ID: allowed, and it locks out only itself
				client = h.c.ID()
			}
			p, err := signer.SignRequest(f.ChainID, signedTs, cmd)
			if err != nil {
				t.Fatal(err)
			}
			c.proposeEverywhere(consensus.Request{Client: client, Timestamp: ts, Payload: p})
		}
		for i, hc := range honest {
			cmd, err := w.Next(i)
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, cmd)
			if got, err := c.submitAs(hc.c, hc.s, cmd); err != nil || got != ledgerapp.ResultOK {
				t.Fatalf("round %d: honest client %d blocked: %q, %v", round, i, got, err)
			}
		}
	}
}

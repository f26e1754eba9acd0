package simulation

import (
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

type clientSigner struct {
	index  int
	signer ledger.AccountSigner
}

// TestLedgerAsApplication runs the simulator with the real metadata ledger
// as every replica's application, so the state checker compares real ledger
// roots, under the same fault scenarios as the default application.
func TestLedgerAsApplication(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 4
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		fx, err := ledgertest.NewFixture(seed, 4, 3)
		if err != nil {
			t.Fatal(err)
		}
		work := fx.Workload()
		byClient := map[consensus.ClientID]clientSigner{}
		var mu sync.Mutex
		var ledgers []*ledger.Ledger
		res, err := Run(Options{
			Seed: seed,
			NewApp: func(consensus.ReplicaID) (consensus.Application, consensus.Verifier) {
				app, l, err := fx.NewApp()
				if err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				ledgers = append(ledgers, l)
				mu.Unlock()
				return app, app
			},
			ClientID: func(i int) consensus.ClientID {
				signer, err := fx.Submitter(i)
				if err != nil {
					t.Fatal(err)
				}
				byClient[consensus.ClientID(signer.ClientID())] = clientSigner{i, signer}
				return consensus.ClientID(signer.ClientID())
			},
			NewPayload: func(client consensus.ClientID, ts uint64) []byte {
				c := byClient[client]
				cmd, err := work.Next(c.index)
				if err != nil {
					t.Fatal(err)
				}
				payload, err := c.signer.SignRequest(fx.ChainID, ts, cmd)
				if err != nil {
					t.Fatal(err)
				}
				return payload
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range res.Violations {
			t.Errorf("seed %d (%s): %v", seed, res.Scenario, v)
		}
		grown := false
		for _, l := range ledgers {
			if l.Seq() > 0 && l.Root() != types.EmptyRootHash {
				grown = true
			}
		}
		if !grown {
			t.Errorf("seed %d (%s): no ledger applied a command; the run checked nothing", seed, res.Scenario)
		}
	}
}

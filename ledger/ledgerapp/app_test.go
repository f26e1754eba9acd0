package ledgerapp_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerapp"
	"github.com/enigma-mpc/enigma/ledger/ledgertest"
)

// laggingView is a chain view whose confirmed block stops at limit, like a
// replica whose chain client is behind.
type laggingView struct {
	ledger.ChainView
	limit  uint64
	behind int // answers that were held back
}

func (v *laggingView) ConfirmedBlock(ctx context.Context) (uint64, error) {
	b, err := v.ChainView.ConfirmedBlock(ctx)
	if b > v.limit {
		v.behind++
		b = v.limit
	}
	return b, err
}

// cluster runs four real PBFT replicas, each applying to its own ledger,
// and delivers their messages in order, synchronously.
type cluster struct {
	t        *testing.T
	replicas []*consensus.Replica
	ledgers  []*ledger.Ledger
	client   *consensus.Client
	signer   ledger.AccountSigner
	chainID  uint64
	queue    []consensus.Message
	result   []byte
	stable   []consensus.StableCheckpoint // replica 0's
	down     map[int]bool                 // replicas cut off: their messages are lost
}

func newCluster(t *testing.T, f *ledgertest.Fixture, views []ledger.ChainView) (*cluster, []ed25519.PublicKey) {
	t.Helper()
	var pubs []ed25519.PublicKey
	for _, k := range f.Validators {
		pubs = append(pubs, k.Public())
	}
	signer, err := f.Submitter(0)
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, client: consensus.NewClient(consensus.ClientID(signer.ClientID()), len(pubs), 0, 10), signer: signer, chainID: f.ChainID, down: map[int]bool{}}
	for i, k := range f.Validators {
		app, l, err := f.NewApp()
		if err != nil {
			t.Fatal(err)
		}
		if views[i] != ledger.ChainView(f.Chain) {
			app = ledgerapp.New(l, views[i], f.ChainID, nil)
		}
		r, err := consensus.NewReplica(consensus.Config{
			ID: consensus.ReplicaID(i), Validators: pubs, Key: k.Private(), ChainID: f.ChainID,
			App: app, Verifier: app,
			CheckpointInterval: 2, WindowSize: 8, MaxBatchSize: 4, BatchDelayTicks: -1, NotReadyTicks: 1000,
		})
		if err != nil {
			t.Fatal(err)
		}
		c.replicas, c.ledgers = append(c.replicas, r), append(c.ledgers, l)
	}
	return c, pubs
}

// pump handles every replica's Ready and delivers messages until quiet.
func (c *cluster) pump() {
	for {
		busy := false
		for i, r := range c.replicas {
			for r.HasReady() {
				busy = true
				rd := r.Ready()
				if !c.down[i] {
					c.queue = append(c.queue, rd.Messages...)
				}
				for _, rep := range rd.Replies {
					if res, done := c.client.Step(rep); done {
						c.result = res
					}
				}
				if i == 0 {
					c.stable = append(c.stable, rd.NewStable...)
				}
				r.Advance()
			}
		}
		for len(c.queue) > 0 {
			busy = true
			m := c.queue[0]
			c.queue = c.queue[1:]
			if !c.down[int(m.To)] {
				_ = c.replicas[m.To].Step(m) // refusals are the engine's business
			}
		}
		if !busy {
			return
		}
	}
}

func (c *cluster) tick() {
	for _, r := range c.replicas {
		r.Tick()
	}
	c.pump()
}

// submit sends one request to every replica and runs until the client has
// f+1 matching results (or gives up after a bound in ticks).
// submit signs cmd as the cluster's client, proposes it to every replica
// and returns its result.
func (c *cluster) submit(cmd []byte) string {
	c.t.Helper()
	res, err := c.submitAs(c.client, c.signer, cmd)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

// submitAs signs cmd as client with signer, proposes it to every replica and
// returns its result, or why it did not commit.
func (c *cluster) submitAs(client *consensus.Client, signer ledger.RequestSigner, cmd []byte) (string, error) {
	payload, err := signer.SignRequest(c.chainID, client.NextTimestamp(), cmd)
	if err != nil {
		return "", err
	}
	req, err := client.Submit(payload)
	if err != nil {
		return "", err
	}
	saved := c.client
	c.client, c.result = client, nil
	defer func() { c.client = saved }()
	for i, r := range c.replicas {
		if c.down[i] {
			continue
		}
		if err := r.Propose(req); err != nil {
			return "", fmt.Errorf("propose: %w", err)
		}
	}
	c.pump()
	for range 50 {
		if c.result != nil {
			return string(c.result), nil
		}
		c.tick()
	}
	return "", errors.New("request not committed within 50 ticks")
}

func TestLedgerUnderPBFT(t *testing.T) {
	f, err := ledgertest.NewFixture(21, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	behind := &laggingView{ChainView: f.Chain, limit: f.Chain.Head()}
	views := []ledger.ChainView{f.Chain, f.Chain, f.Chain, behind}
	c, pubs := newCluster(t, f, views)

	w := f.Workload()
	for i := range 6 {
		req, err := w.Next(0)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.submit(req); got != ledgerapp.ResultOK {
			t.Fatalf("workload command %d: %s", i, got)
		}
	}
	// A request the ledger rejects is ordered and answered with the reason.
	stale, err := f.Command(0, f.Metadata(0, "c0-0", 1))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.submit(stale); got == ledgerapp.ResultOK {
		t.Fatal("registering ds-0 twice was accepted")
	}

	// Replica 3's chain view lagged, so its verifier answered not-ready and
	// it could not prepare; the other three committed without it, and it
	// executes the committed batches (certified by a quorum) all the same.
	// All four reach the same root.
	if behind.behind == 0 {
		t.Fatal("the lagging view was never consulted")
	}
	behind.limit = f.Chain.Head()
	for range 200 {
		if c.ledgers[3].Seq() == c.ledgers[0].Seq() {
			break
		}
		c.tick()
	}
	for i, l := range c.ledgers {
		if l.Seq() != c.ledgers[0].Seq() || l.Root() != c.ledgers[0].Root() {
			t.Fatalf("replica %d at %d/%s, replica 0 at %d/%s", i, l.Seq(), l.Root(), c.ledgers[0].Seq(), c.ledgers[0].Root())
		}
	}

	// The engine's stable checkpoints become ledger certificates.
	if len(c.stable) == 0 {
		t.Fatal("no checkpoint became stable")
	}
	last := c.stable[len(c.stable)-1]
	cert, err := ledgerapp.CertificateFromStable(f.Set.Epoch, pubs, last)
	if err != nil {
		t.Fatal(err)
	}
	key := f.Metadata(0, "c0-0", 1).ID()
	cr, err := c.ledgers[1].Certify(key, cert)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ledger.Verify(cr, f.Set)
	if err != nil {
		t.Fatalf("certificate from the engine's stable checkpoint %d: %v", last.Seq, err)
	}
	if e.Kind != ledger.EntryDataset || e.Dataset.Signed.Metadata.Version != 2 {
		t.Fatalf("certified entry %v, want c0-0 at version 2", e.Kind)
	}
}

// TestStateTransferRestoresLedger cuts a replica off while the others move
// several checkpoints past its window; when it returns, the engine fetches a
// stable checkpoint with its snapshot and restores the ledger from it.
func TestStateTransferRestoresLedger(t *testing.T) {
	f, err := ledgertest.NewFixture(22, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newCluster(t, f, []ledger.ChainView{f.Chain, f.Chain, f.Chain, f.Chain})
	c.down[3] = true
	w := f.Workload()
	for i := range 14 {
		req, err := w.Next(i % 3)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.submit(req); got != ledgerapp.ResultOK {
			t.Fatalf("workload command %d: %s", i, got)
		}
	}
	if c.ledgers[3].Seq() != 0 {
		t.Fatal("the cut-off replica applied batches")
	}
	delete(c.down, 3)
	for range 300 {
		if c.ledgers[3].Seq() >= c.ledgers[0].Seq() {
			break
		}
		c.tick()
	}
	if c.ledgers[3].Seq() != c.ledgers[0].Seq() || c.ledgers[3].Root() != c.ledgers[0].Root() {
		t.Fatalf("returning replica at %d/%s, the others at %d/%s", c.ledgers[3].Seq(), c.ledgers[3].Root(), c.ledgers[0].Seq(), c.ledgers[0].Root())
	}
	if _, applied, _ := c.ledgers[3].RootAt(1); applied {
		t.Fatal("the returning replica replayed from the start instead of restoring a snapshot")
	}
}

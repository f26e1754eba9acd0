package node

import (
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/pgstore/pgtest"
)

// One persistence node on the Pebble engine, one on PostgreSQL, the same
// rows pushed to both: a subscriber's signed queries over QUIC get the
// same answers from both; queries reaching for another table or a
// function are refused before the database sees them; the trial cap holds
// on PostgreSQL; a PostgreSQL restart gives a clear refusal and the next
// query is answered; a restart of the node finds its rows again.
func TestPersistenceOnPostgresAnswersAsOnPebble(t *testing.T) {
	cluster := pgtest.Start(t)
	subscriber, _ := crypto.GenerateKey()
	trialist, _ := crypto.GenerateKey()
	onChain := levels{
		crypto.PubkeyToAddress(subscriber.PublicKey): access.LevelSubscribed,
		crypto.PubkeyToAddress(trialist.PublicKey):   access.LevelTrial,
	}
	onPebble := startPersistence(t, newNodeKey(t), t.TempDir(), onChain, &countingFetcher{})
	keyPG, dirPG := newNodeKey(t), t.TempDir()
	onPG := startPersistenceOn(t, keyPG, dirPG, onChain, &countingFetcher{}, BackendPostgres, cluster.DSN())
	const rows = 150
	onPebble.holdDataset(t, rows)
	onPG.holdDataset(t, rows)

	sub := newQuerier(t, subscriber)
	ask := func(n *persistenceNode, q string) ([]dataset.Row, error) {
		req, signed := sub.sign(t, n.key.ID(), q)
		res, err := sub.send(t, n, req, signed)
		if err != nil {
			return nil, err
		}
		return res.Rows, nil
	}
	for _, q := range []string{
		`SELECT COUNT(*) FROM ticks`,
		`SELECT * FROM ticks WHERE k BETWEEN 10 AND 20 ORDER BY k DESC`,
		`SELECT v, k % 7 AS m FROM ticks WHERE v >= 'row 9' ORDER BY v LIMIT 5 OFFSET 2`,
		`SELECT k % 3, COUNT(*), SUM(k), MIN(v) FROM ticks GROUP BY 1 ORDER BY 1`,
	} {
		want, err := ask(onPebble, q)
		if err != nil {
			t.Fatalf("%s on Pebble: %v", q, err)
		}
		got, err := ask(onPG, q)
		if err != nil {
			t.Fatalf("%s on PostgreSQL: %v", q, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
			t.Fatalf("%s:\nPebble     %v\nPostgreSQL %v", q, want, got)
		}
	}
	for _, q := range []string{
		`SELECT * FROM ticks, pg_catalog.pg_user`,
		`SELECT * FROM ticks WHERE k IN (SELECT usesysid FROM pg_user)`,
		`SELECT pg_sleep(10) FROM ticks`,
		`SELECT lower(v) FROM ticks`,
	} {
		_, err := ask(onPG, q)
		wantRefusal(t, q, err, access.ReasonBadQuery)
	}

	trial := newQuerier(t, trialist)
	req, signed := trial.sign(t, keyPG.ID(), `SELECT * FROM ticks ORDER BY k LIMIT 1000`)
	res, err := trial.send(t, onPG, req, signed)
	if err != nil || len(res.Rows) != access.DefaultTrialRowCap {
		t.Fatalf("a trial on PostgreSQL: %d rows, %v; want the cap, %d", len(res.Rows), err, access.DefaultTrialRowCap)
	}

	cluster.Stop()
	_, err = ask(onPG, `SELECT COUNT(*) FROM ticks`)
	wantRefusal(t, "a query while PostgreSQL is down", err, access.ReasonUnavailable)
	cluster.Start()
	if got, err := ask(onPG, `SELECT COUNT(*) FROM ticks`); err != nil || got[0][0].Int != rows {
		t.Fatalf("the next query after PostgreSQL's restart: %v %v", got, err)
	}

	onPG.stop(t)
	onPG = startPersistenceOn(t, keyPG, dirPG, onChain, &countingFetcher{}, BackendPostgres, cluster.DSN())
	sub = newQuerier(t, subscriber)
	if got, err := ask(onPG, `SELECT COUNT(*) FROM ticks`); err != nil || got[0][0].Int != rows {
		t.Fatalf("after the node's restart: %v %v", got, err)
	}
}

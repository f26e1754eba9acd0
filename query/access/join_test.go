package access

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/sql"
)

// joinFixture adds to the fixture's two datasets of provider 0xaa a
// plaintext dataset of another provider, venues (venue → region), and an
// encrypted one, ratings (asset det-encrypted under its own keys).
type joinFixture struct {
	*fixture
	venues, ratings dataset.Path
	ratingsSchema   dataset.Schema
	ratingsCipher   *colcrypt.Cipher
}

func newJoinFixture(t *testing.T) *joinFixture {
	t.Helper()
	f := &joinFixture{fixture: newFixture(t)}
	other := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	f.venues = dataset.Path{Provider: other, Name: "venues"}
	f.ratings = dataset.Path{Provider: other, Name: "ratings"}
	vs, err := dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "venue", "type": "string"}, {"name": "region", "type": "string"}], "primary_key": ["venue"]}`))
	if err != nil {
		t.Fatal(err)
	}
	f.ratingsSchema, err = dataset.ParseSchemaJSON([]byte(`{"columns": [{"name": "asset", "type": "string", "encryption": "det"}, {"name": "grade", "type": "string"}], "primary_key": ["asset"]}`))
	if err != nil {
		t.Fatal(err)
	}
	vt, err := f.store.CreateDataset(f.venues, vs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Ingest(query.Batch{Dataset: vt.ID(), RunID: "v", Rows: []dataset.Row{
		{dataset.String("x"), dataset.String("EU")}, {dataset.String("y"), dataset.String("US")}}}); err != nil {
		t.Fatal(err)
	}
	rt, err := f.store.CreateDataset(f.ratings, f.ratingsSchema)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if f.ratingsCipher, err = colcrypt.New(keys, f.ratings.ID()); err != nil {
		t.Fatal(err)
	}
	var rows []dataset.Row
	for i, a := range []string{"BTC", "ETH"} {
		r, err := f.ratingsCipher.EncryptRow(&f.ratingsSchema, i, dataset.Row{dataset.String(a), dataset.String("A")})
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if _, err := f.store.Ingest(query.Batch{Dataset: rt.ID(), RunID: "r", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	f.access.datasets = map[common.Hash]Level{}
	return f
}

// send signs a request for path joining joins with query q (sent as
// written: the caller encrypts) and returns the node's answer.
func (f *joinFixture) send(t *testing.T, path dataset.Path, joins []dataset.Path, q string) (*Request, *query.Result, error) {
	t.Helper()
	req, err := NewRequest(rand.Reader, self, path, q, f.subAddr, f.reply.PublicKey(), f.clock.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range joins {
		req.Joins = append(req.Joins, DatasetRef{Dataset: j.String()})
	}
	b, err := Sign(f.sub, chainID, req)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(context.Background(), b))
	return req, res, err
}

// TestJoinOfTwoDatasets: a subscriber of two datasets stored on one node
// joins them, on plaintext columns, with the encrypted columns of one of
// them filtered and returned as on its plaintext twin.
func TestJoinOfTwoDatasets(t *testing.T) {
	f := newJoinFixture(t)
	ds := []query.ClientDataset{
		{Path: f.encPath, Schema: &f.schema, Cipher: f.cipher},
		{Path: f.venues, Schema: mustSchema(t, f.store, f.venues)},
	}
	for _, q := range []string{
		"SELECT p.asset, v.region, COUNT(*), MAX(p.close) FROM %s AS p JOIN venues AS v ON p.venue = v.venue WHERE p.asset IN ('BTC', 'SOL') AND p.close > -20.5 GROUP BY 1, 2",
		"SELECT p.day, p.volume, v.region FROM %s AS p LEFT JOIN venues AS v ON v.venue = p.venue WHERE p.asset = 'ETH' AND p.day BETWEEN TIMESTAMP '1970-01-03T00:00:00Z' AND TIMESTAMP '1970-01-09T00:00:00Z' ORDER BY p.day",
		"SELECT region FROM venues WHERE venue IN (SELECT venue FROM %s WHERE close >= 100) ORDER BY 1",
		// Names written as full paths (address in any case).
		"SELECT COUNT(*) FROM %s AS p, 0x00000000000000000000000000000000000000BB/venues AS v WHERE p.venue = v.venue",
	} {
		encQ, err := EncryptQueryDatasets(strings.ReplaceAll(q, "%s", "prices"), ds)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		_, got, err := f.send(t, f.encPath, []dataset.Path{f.venues}, encQ)
		if err != nil {
			t.Fatalf("%s: %v", encQ, err)
		}
		if err := DecryptResultDatasets(got, ds); err != nil {
			t.Fatal(err)
		}
		want, err := f.store.Query(context.Background(), strings.ReplaceAll(q, "%s", `"prices-plain"`), query.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if sortLines(render(got)) != sortLines(render(want)) || len(want.Rows) == 0 {
			t.Errorf("%s:\nencrypted join: %s\nplaintext join: %s", q, render(got), render(want))
		}
	}
}

func mustSchema(t *testing.T, s *query.Store, p dataset.Path) *dataset.Schema {
	t.Helper()
	tbl, err := s.Table(p.ID())
	if err != nil {
		t.Fatal(err)
	}
	return &tbl.Schema
}

// oneTableEngine runs queries of one table only, as the PostgreSQL
// backend does.
type oneTableEngine struct{ s *query.Store }

func (e oneTableEngine) Run(ctx context.Context, q string, st *sql.Statement, t *query.Table, opts query.QueryOptions) (*query.Result, error) {
	return e.s.Run(ctx, q, st, t, opts)
}

// TestJoinAccessAttacks: what a subscriber of one dataset tries in order
// to read another it has not paid for, or to get a join past the rules.
// Each is refused with the reason, and those refused before the query is
// bound take no place in the replay window.
func TestJoinAccessAttacks(t *testing.T) {
	f := newJoinFixture(t)
	plain := f.plainPath
	join := `SELECT p.asset, v.region FROM "prices-plain" AS p JOIN venues AS v ON p.venue = v.venue`
	f.access.datasets[f.venues.ID()] = LevelNone
	nowhere := dataset.Path{Provider: f.venues.Provider, Name: "elsewhere"}
	for _, c := range []struct {
		name   string
		path   dataset.Path
		joins  []dataset.Path
		q      string
		level  Level // the subscriber's level on venues
		reason Reason
		says   string
	}{
		{"join a dataset the request does not list", plain, nil, join, LevelNone, ReasonBadQuery, "alone"},
		{"read it in a subquery", plain, nil, `SELECT asset FROM "prices-plain" WHERE venue IN (SELECT venue FROM venues)`, LevelNone, ReasonBadQuery, "alone"},
		{"read it in a scalar subquery of the select list", plain, nil, `SELECT (SELECT MAX(region) FROM venues) FROM "prices-plain"`, LevelNone, ReasonBadQuery, "alone"},
		{"list it without a subscription", plain, []dataset.Path{f.venues}, join, LevelNone, ReasonNoAccess, "no subscription to " + f.venues.String()},
		{"list it with a trial only", plain, []dataset.Path{f.venues}, join, LevelTrial, ReasonNoAccess, "only a trial of " + f.venues.String()},
		{"list it, but read a third dataset", plain, []dataset.Path{f.venues}, join + ` JOIN ratings AS r ON 1`, LevelSubscribed, ReasonBadQuery, `"ratings", which is not one of the request's datasets`},
		{"list a dataset the query does not read", plain, []dataset.Path{f.venues, f.ratings}, join, LevelSubscribed, ReasonBadQuery, "does not read"},
		{"list one twice", plain, []dataset.Path{f.venues, f.venues}, join, LevelSubscribed, ReasonMalformed, "twice"},
		{"list its own dataset", plain, []dataset.Path{plain}, join, LevelSubscribed, ReasonMalformed, "twice"},
		{"list too many", plain, []dataset.Path{f.venues, f.venues, f.venues, f.venues, f.venues, f.venues, f.venues, f.venues}, join, LevelSubscribed, ReasonMalformed, "at most 7"},
		{"join a dataset this node does not store", plain, []dataset.Path{nowhere}, `SELECT * FROM "prices-plain", elsewhere`, LevelSubscribed, ReasonUnknownDataset, "stores every one of them"},
		{"compare encrypted columns of two datasets", f.encPath, []dataset.Path{f.ratings}, `SELECT r.grade FROM prices AS p JOIN ratings AS r ON p.asset = r.asset`, LevelSubscribed, ReasonBadQuery, "its own keys"},
	} {
		f.access.datasets[f.venues.ID()] = c.level
		before := f.server.mu.window.len()
		_, res, err := f.send(t, c.path, c.joins, c.q)
		var de *DeniedError
		if !errors.As(err, &de) || de.Reason != c.reason || !strings.Contains(de.Message, c.says) {
			t.Errorf("%s: got %v (%d rows), want %s saying %q", c.name, err, rowsOf(res), c.reason, c.says)
			continue
		}
		if f.server.mu.window.len() != before && !strings.Contains(c.says, "own keys") { // the engine's refusal comes after
			t.Errorf("%s: the refusal took a place in the replay window", c.name)
		}
	}

	// A trial of the request's own dataset does not extend to a join.
	f.access.datasets[f.venues.ID()] = LevelSubscribed
	f.access.datasets[plain.ID()] = LevelTrial
	if _, _, err := f.send(t, plain, []dataset.Path{f.venues}, join); err == nil || !strings.Contains(err.Error(), "only a trial of "+plain.String()) {
		t.Errorf("trial of the primary dataset: %v", err)
	}
	f.access.datasets[plain.ID()] = LevelSubscribed
	if _, res, err := f.send(t, plain, []dataset.Path{f.venues}, join); err != nil || len(res.Rows) == 0 {
		t.Fatalf("subscribed to both: %v", err)
	}

	// The client refuses the encrypted cross-dataset comparison before
	// sending it.
	ds := []query.ClientDataset{{Path: f.encPath, Schema: &f.schema, Cipher: f.cipher}, {Path: f.ratings, Schema: &f.ratingsSchema, Cipher: f.ratingsCipher}}
	if _, err := EncryptQueryDatasets(`SELECT r.grade FROM prices AS p JOIN ratings AS r ON p.asset = r.asset`, ds); err == nil || !strings.Contains(err.Error(), "its own keys") {
		t.Errorf("client-side encrypted cross-dataset join: %v", err)
	}
	// A plaintext column of the encrypted dataset joins, and the constants
	// of each dataset's encrypted columns are encrypted under its keys.
	q, err := EncryptQueryDatasets(`SELECT p.venue, r.grade, r.asset FROM prices AS p JOIN ratings AS r ON p.venue = r.grade || 'x' WHERE r.asset = 'BTC' AND p.asset = 'BTC'`, ds)
	if err != nil {
		t.Fatal(err)
	}
	if _, res, err := f.send(t, f.encPath, []dataset.Path{f.ratings}, q); err != nil {
		t.Fatalf("plaintext join of two encrypted datasets: %v", err)
	} else if err := DecryptResultDatasets(res, ds); err != nil {
		t.Fatal(err)
	} else if rowsOf(res) != 0 { // no venue is "Ax": the join is empty, but it ran
		t.Fatalf("got %s", render(res))
	}

	// A man in the middle who adds a dataset to a signed request breaks
	// its signature.
	req, err := NewRequest(rand.Reader, self, plain, join, f.subAddr, f.reply.PublicKey(), f.clock.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sign(f.sub, chainID, req)
	if err != nil {
		t.Fatal(err)
	}
	var sr SignedRequest
	if err := decodeSigned(b, &sr); err != nil {
		t.Fatal(err)
	}
	sr.Request.Joins = []DatasetRef{{Dataset: f.venues.String()}}
	if b, err = encodeSigned(&sr); err != nil {
		t.Fatal(err)
	}
	var resp Response
	if err := decodeResponse(f.server.Handle(context.Background(), b), &resp); err != nil || resp.Reason != ReasonBadSignature {
		t.Fatalf("tampered joins: %v %v", resp.Reason, err)
	}

	// Bare names that two datasets share must be written as paths.
	twin := dataset.Path{Provider: f.venues.Provider, Name: "prices-plain"}
	if _, err := f.store.CreateDataset(twin, *mustSchema(t, f.store, f.venues)); err != nil {
		t.Fatal(err)
	}
	f.access.datasets[twin.ID()] = LevelSubscribed
	if _, _, err := f.send(t, plain, []dataset.Path{twin}, `SELECT * FROM "prices-plain"`); err == nil || !strings.Contains(err.Error(), "names both") {
		t.Fatalf("ambiguous bare name: %v", err)
	}
	if _, _, err := f.send(t, plain, []dataset.Path{twin}, `SELECT COUNT(*) FROM "`+plain.String()+`" AS a, "`+twin.String()+`" AS b`); err != nil {
		t.Fatalf("the same names as paths: %v", err)
	}

	// A joined dataset of another version than the client's schema.
	req, err = NewRequest(rand.Reader, self, plain, join, f.subAddr, f.reply.PublicKey(), f.clock.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	req.Joins = []DatasetRef{{Dataset: f.venues.String(), Version: 2}}
	if b, err = Sign(f.sub, chainID, req); err != nil {
		t.Fatal(err)
	}
	var de *DeniedError
	if _, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(context.Background(), b)); !errors.As(err, &de) || de.Reason != ReasonVersion || !strings.Contains(de.Message, "of "+f.venues.String()) {
		t.Fatalf("joined dataset of another version: %v", err)
	}

	// A node whose backend answers one dataset at a time sends the
	// subscriber on to another node.
	srv, err := NewServer(Config{Store: f.store, Engine: oneTableEngine{f.store}, Access: f.access, Self: self, ChainID: chainID, Clock: f.clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	f.server = srv
	if _, _, err := f.send(t, plain, []dataset.Path{f.venues}, join); !errors.As(err, &de) || de.Reason != ReasonUnavailable || !de.Reason.Retryable() || !strings.Contains(de.Message, "one dataset only") {
		t.Fatalf("backend without joins: %v", err)
	}
}

func rowsOf(res *query.Result) int {
	if res == nil {
		return 0
	}
	return len(res.Rows)
}

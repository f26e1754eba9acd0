package access

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/clock"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
)

const chainID = 1337

const encSchema = `{"columns": [
  {"name": "day", "type": "timestamp", "encryption": "ope"},
  {"name": "asset", "type": "string", "encryption": "det"},
  {"name": "close", "type": "float64", "encryption": "ope"},
  {"name": "volume", "type": "int64", "encryption": "ope", "nullable": true},
  {"name": "venue", "type": "string", "nullable": true}],
 "primary_key": ["day", "asset"],
 "indexes": [{"name": "by_close", "columns": ["close"]}, {"name": "by_asset", "columns": ["asset", "day"]}]}`

// accessMap is the test's AccessChecker.
type accessMap struct {
	levels map[common.Address]Level
	err    error
	// datasets, if it holds a dataset, is every user's level for it.
	datasets map[common.Hash]Level
}

func (a *accessMap) HasAccess(_ context.Context, id common.Hash, user common.Address) (Level, error) {
	if l, ok := a.datasets[id]; ok {
		return l, a.err
	}
	return a.levels[user], a.err
}

// self is the node ID the fixture's server answers for.
var self = identity.NodeID{0xee, 1}

type fixture struct {
	fs        vfs.FS
	store     *query.Store
	server    *Server
	clock     *clock.Simulated
	access    *accessMap
	encPath   dataset.Path
	plainPath dataset.Path
	schema    dataset.Schema
	cipher    *colcrypt.Cipher
	sub       *ecdsa.PrivateKey
	subAddr   common.Address
	reply     *seal.PrivateKey
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fs := vfs.NewMem()
	store, err := query.Open("db", query.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := dataset.ParseSchemaJSON([]byte(encSchema))
	if err != nil {
		t.Fatal(err)
	}
	provider := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	f := &fixture{fs: fs, store: store, schema: schema, clock: clock.NewSimulated(time.Unix(1_800_000_000, 0)),
		encPath: dataset.Path{Provider: provider, Name: "prices"}, plainPath: dataset.Path{Provider: provider, Name: "prices-plain"}}
	t.Cleanup(func() { f.store.Close() })

	// The same rows go into an encrypted dataset and a plaintext twin.
	plainSchema := schema
	plainSchema.Columns = slices.Clone(schema.Columns)
	for i := range plainSchema.Columns {
		plainSchema.Columns[i].Encryption = dataset.EncNone
	}
	encTable, err := store.CreateDataset(f.encPath, schema)
	if err != nil {
		t.Fatal(err)
	}
	plainTable, err := store.CreateDataset(f.plainPath, plainSchema)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f.cipher, err = colcrypt.New(keys, f.encPath.ID())
	if err != nil {
		t.Fatal(err)
	}
	r := randsrc.New(1)
	assets := []string{"BTC", "ETH", "SOL", "ADA"}
	var plain, enc []dataset.Row
	for d := range 30 {
		for _, a := range assets {
			row := dataset.Row{
				{Kind: dataset.TypeTimestamp, Int: int64(d) * 86_400_000_000},
				dataset.String(a),
				dataset.Float64(float64(r.IntN(2000)-1000) / 8),
				dataset.Int64(int64(r.IntN(100))),
				dataset.String([]string{"x", "y"}[r.IntN(2)]),
			}
			if r.IntN(5) == 0 {
				row[3], row[4] = dataset.Null, dataset.Null
			}
			e, err := f.cipher.EncryptRow(&schema, len(enc), row)
			if err != nil {
				t.Fatal(err)
			}
			plain, enc = append(plain, row), append(enc, e)
		}
	}
	if _, err := store.Ingest(query.Batch{Dataset: encTable.ID(), RunID: "r1", Rows: enc}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Ingest(query.Batch{Dataset: plainTable.ID(), RunID: "r1", Rows: plain}); err != nil {
		t.Fatal(err)
	}

	f.sub, _ = crypto.GenerateKey()
	f.subAddr = crypto.PubkeyToAddress(f.sub.PublicKey)
	f.reply, _ = seal.GenerateKey(rand.Reader)
	f.access = &accessMap{levels: map[common.Address]Level{f.subAddr: LevelSubscribed}}
	f.server, err = NewServer(Config{Store: store, Access: f.access, Self: self, ChainID: chainID, Clock: f.clock, TrialRowCap: 5, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) request(t *testing.T, path dataset.Path, q string) (*Request, []byte) {
	t.Helper()
	req, err := NewRequest(rand.Reader, self, path, q, f.subAddr, f.reply.PublicKey(), f.clock.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sign(f.sub, chainID, req)
	if err != nil {
		t.Fatal(err)
	}
	return req, b
}

// ask sends q (constants encrypted for the encrypted dataset) and returns
// the decrypted result or the error.
func (f *fixture) ask(t *testing.T, path dataset.Path, q string) (*query.Result, *Payload, error) {
	t.Helper()
	if path == f.encPath {
		var err error
		if q, err = EncryptQuery(q, &f.schema, f.cipher); err != nil {
			t.Fatalf("EncryptQuery: %v", err)
		}
	}
	req, b := f.request(t, path, q)
	res, p, err := OpenResponse(chainID, req, f.reply, f.server.Handle(context.Background(), b))
	if err != nil {
		return nil, nil, err
	}
	if path == f.encPath {
		if err := DecryptResult(res, &f.schema, f.cipher); err != nil {
			t.Fatalf("DecryptResult: %v", err)
		}
	}
	return res, p, nil
}

func sortLines(s string) string {
	lines := strings.Split(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func render(res *query.Result) string {
	var b strings.Builder
	for _, r := range res.Rows {
		for _, v := range r {
			b.WriteString(v.String() + "|")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestEncryptedQueriesMatchPlaintext runs each query against the encrypted
// dataset (constants encrypted by the client, cells decrypted after) and
// against its plaintext twin: the answers must be equal.
func TestEncryptedQueriesMatchPlaintext(t *testing.T) {
	f := newFixture(t)
	queries := []string{
		"SELECT * FROM %s WHERE asset = 'BTC' ORDER BY day",
		"SELECT day, close FROM %s WHERE asset IN ('ETH', 'ADA') AND close > 10.5 ORDER BY close DESC LIMIT 7",
		"SELECT asset, close FROM %s WHERE close BETWEEN -20 AND 40 ORDER BY close, day",
		"SELECT asset, COUNT(*), MIN(close), MAX(volume) FROM %s GROUP BY asset",
		"SELECT day, asset FROM %s WHERE day >= TIMESTAMP '1970-01-10T00:00:00Z' AND day < TIMESTAMP '1970-01-12T00:00:00Z' AND asset != 'SOL' ORDER BY day, close",
		"SELECT venue, COUNT(volume) FROM %s WHERE volume < 50 OR volume IS NULL GROUP BY venue ORDER BY venue",
		"SELECT asset, day FROM %s WHERE volume IN (7, 8, 9, 10) ORDER BY day, close",
		// Copies of an expression with constants on encrypted columns (an
		// ORDER BY or select item equal to another) are rewritten alike.
		"SELECT CASE WHEN asset = 'BTC' THEN 1 ELSE 0 END, day FROM %s ORDER BY CASE WHEN asset = 'BTC' THEN 1 ELSE 0 END, day",
		"SELECT close > 10.5, COUNT(*) FROM %s GROUP BY close > 10.5 ORDER BY 1",
		"SELECT venue, COUNT(volume < 50) FROM %s GROUP BY venue ORDER BY COUNT(volume < 50), 1",
	}
	for _, q := range queries {
		enc, _, err := f.ask(t, f.encPath, fmt.Sprintf(q, f.encPath.Name))
		if err != nil {
			t.Fatalf("%s on encrypted: %v", q, err)
		}
		plain, _, err := f.ask(t, f.plainPath, fmt.Sprintf(q, `"`+f.plainPath.Name+`"`))
		if err != nil {
			t.Fatalf("%s on plaintext: %v", q, err)
		}
		if len(plain.Rows) == 0 {
			t.Fatalf("%s: empty result makes the comparison vacuous", q)
		}
		got, want := render(enc), render(plain)
		if !strings.Contains(q, "ORDER BY") { // group order follows ciphertext order
			got, want = sortLines(got), sortLines(want)
		}
		if got != want {
			t.Fatalf("%s:\nencrypted:\n%s\nplaintext:\n%s", q, render(enc), render(plain))
		}
	}
}

func TestEncryptedColumnRules(t *testing.T) {
	f := newFixture(t)
	// A plaintext constant against an encrypted column is refused with advice.
	req, b := f.request(t, f.encPath, "SELECT * FROM prices WHERE asset = 'BTC'")
	_, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(context.Background(), b))
	var de *DeniedError
	if !errors.As(err, &de) || de.Reason != ReasonBadQuery || !strings.Contains(de.Message, "encrypt the constant") {
		t.Fatalf("plaintext constant: %v", err)
	}
	for q, want := range map[string]string{
		"SELECT * FROM prices WHERE asset > 'A'":       "deterministic encryption",
		"SELECT SUM(close) FROM prices":                "cannot add ciphertexts",
		"SELECT * FROM prices ORDER BY asset":          "hides order",
		"SELECT MIN(asset) FROM prices GROUP BY venue": "only order-preserving",
	} {
		if _, _, err := f.ask(t, f.encPath, q); !errors.As(err, &de) || !strings.Contains(de.Message, want) {
			t.Errorf("%s: got %v, want %q", q, err, want)
		}
	}
	// The planner uses the index on the order-preserving column.
	q, err := EncryptQuery("EXPLAIN SELECT * FROM prices WHERE close > 3", &f.schema, f.cipher)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.store.Query(context.Background(), q, query.QueryOptions{})
	if err != nil || !strings.Contains(res.Rows[0][0].String(), "index by_close") {
		t.Fatalf("EXPLAIN on ciphertext: %v %v", res, err)
	}
}

func TestAccessRules(t *testing.T) {
	f := newFixture(t)
	quoted := `SELECT venue FROM "prices-plain"`
	if res, _, err := f.ask(t, f.plainPath, "SELECT venue FROM prices-plain"); err != nil || len(res.Rows) != 120 {
		t.Fatalf("bare dataset name: %v", err)
	}
	res, p, err := f.ask(t, f.plainPath, quoted)
	if err != nil || len(res.Rows) != 120 || p.TrialCapped {
		t.Fatalf("subscriber: %d rows, capped=%v, %v", len(res.Rows), p != nil && p.TrialCapped, err)
	}
	f.access.levels[f.subAddr] = LevelTrial
	res, p, err = f.ask(t, f.plainPath, quoted)
	if err != nil || len(res.Rows) != 5 || !p.TrialCapped || !res.Truncated {
		t.Fatalf("trial: %v rows, %v", res, err)
	}
	var de *DeniedError
	f.access.levels[f.subAddr] = LevelNone
	if _, _, err := f.ask(t, f.plainPath, quoted); !errors.As(err, &de) || de.Reason != ReasonNoAccess {
		t.Fatalf("no access: %v", err)
	}
	f.access.levels[f.subAddr] = LevelSubscribed
	f.access.err = errors.New("rpc down")
	if _, _, err := f.ask(t, f.plainPath, quoted); !errors.As(err, &de) || de.Reason != ReasonUnavailable || strings.Contains(de.Message, "rpc") {
		t.Fatalf("checker failure: %v", err)
	}
	f.access.err = nil
	if _, _, err := f.ask(t, f.plainPath, "SELECT * FROM prices"); !errors.As(err, &de) || de.Reason != ReasonBadQuery {
		t.Fatalf("query for another dataset: %v", err)
	}
	other := dataset.Path{Provider: f.encPath.Provider, Name: "nothere"}
	if _, _, err := f.ask(t, other, "SELECT * FROM nothere"); !errors.As(err, &de) || de.Reason != ReasonUnknownDataset {
		t.Fatalf("unknown dataset: %v", err)
	}
}

func TestReplayExpiryAndSignature(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var de *DeniedError
	req, b := f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	if _, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(ctx, b)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(ctx, b)); !errors.As(err, &de) || de.Reason != ReasonReplay {
		t.Fatalf("replay: %v", err)
	}

	req, b = f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	f.clock.Advance(2 * time.Minute)
	if _, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(ctx, b)); !errors.As(err, &de) || de.Reason != ReasonExpired {
		t.Fatalf("expired: %v", err)
	}
	far, _ := NewRequest(rand.Reader, self, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`, f.subAddr, f.reply.PublicKey(), f.clock.Now(), time.Hour)
	fb, _ := Sign(f.sub, chainID, far)
	if _, _, err := OpenResponse(chainID, far, f.reply, f.server.Handle(ctx, fb)); !errors.As(err, &de) || de.Reason != ReasonExpired {
		t.Fatalf("too far ahead: %v", err)
	}

	// Signed by someone else, claiming to be the subscriber.
	req, _ = f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	mallory, _ := crypto.GenerateKey()
	sig, _ := signBy(mallory, req)
	if _, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(ctx, sig)); !errors.As(err, &de) || de.Reason != ReasonBadSignature {
		t.Fatalf("forged signature: %v", err)
	}
	// A tampered query breaks the signature.
	_, b = f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	tampered := []byte(strings.Replace(string(b), "COUNT(*)", "venue   ", 1))
	var resp Response
	if err := decodeResponse(f.server.Handle(ctx, tampered), &resp); err != nil || resp.Reason != ReasonBadSignature {
		t.Fatalf("tampered: %+v %v", resp, err)
	}
	// Another chain's signature does not verify here.
	req, _ = f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	wrongChain, _ := Sign(f.sub, chainID+1, req)
	if _, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(ctx, wrongChain)); !errors.As(err, &de) || de.Reason != ReasonBadSignature {
		t.Fatalf("other chain: %v", err)
	}
	if _, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(ctx, []byte{0xc1, 0x80})); !errors.As(err, &de) || de.Reason != ReasonMalformed {
		t.Fatalf("junk: %v", err)
	}
}

func signBy(key *ecdsa.PrivateKey, req *Request) ([]byte, error) {
	claimed := *req
	claimed.Subscriber = crypto.PubkeyToAddress(key.PublicKey)
	b, err := Sign(key, chainID, &claimed)
	if err != nil {
		return nil, err
	}
	// Swap the subscriber back so the request claims the victim.
	var sr SignedRequest
	if err := decodeSigned(b, &sr); err != nil {
		return nil, err
	}
	sr.Request.Subscriber = req.Subscriber
	return encodeSigned(&sr)
}

func TestResultIsBoundToItsRequest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	req1, b1 := f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	req2, _ := f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	resp := f.server.Handle(ctx, b1)
	if _, _, err := OpenResponse(chainID, req2, f.reply, resp); !errors.Is(err, ErrWrongResponse) {
		t.Fatalf("response opened for another request: %v", err)
	}
	stranger, _ := seal.GenerateKey(rand.Reader)
	if _, _, err := OpenResponse(chainID, req1, stranger, resp); !errors.Is(err, seal.ErrOpen) {
		t.Fatalf("result opened with another key: %v", err)
	}
	res, _, err := OpenResponse(chainID, req1, f.reply, resp)
	if err != nil || res.Rows[0][0].Int != 120 {
		t.Fatalf("HPKE round trip: %v %v", res, err)
	}
}

func TestReplayCacheIsBounded(t *testing.T) {
	f := newFixture(t)
	srv, err := NewServer(Config{Store: f.store, Access: f.access, Self: self, ChainID: chainID, Clock: f.clock, MaxReplayEntries: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var de *DeniedError
	for i := range 3 {
		req, b := f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
		_, _, err := OpenResponse(chainID, req, f.reply, srv.Handle(ctx, b))
		if i < 2 && err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if i == 2 && (!errors.As(err, &de) || de.Reason != ReasonBusy) {
			t.Fatalf("full cache: %v", err)
		}
	}
	f.clock.Advance(2 * time.Minute) // the first two expire and are forgotten
	req, b := f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	if _, _, err := OpenResponse(chainID, req, f.reply, srv.Handle(ctx, b)); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

func FuzzHandle(f *testing.F) {
	store, err := query.Open("db", query.Options{FS: vfs.NewMem()})
	if err != nil {
		f.Fatal(err)
	}
	defer store.Close()
	srv, err := NewServer(Config{Store: store, Access: &accessMap{}, Self: self, ChainID: chainID, Clock: clock.NewSimulated(time.Unix(1_800_000_000, 0))})
	if err != nil {
		f.Fatal(err)
	}
	key, _ := crypto.GenerateKey()
	reply, _ := seal.GenerateKey(rand.Reader)
	req, _ := NewRequest(rand.Reader, self, dataset.Path{Name: "x"}, "SELECT * FROM x", crypto.PubkeyToAddress(key.PublicKey), reply.PublicKey(), time.Unix(1_800_000_000, 0), time.Minute)
	good, _ := Sign(key, chainID, req)
	f.Add(good)
	f.Add([]byte{0xc0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var resp Response
		if err := decodeResponse(srv.Handle(context.Background(), b), &resp); err != nil {
			t.Fatalf("Handle answered with an undecodable response: %v", err)
		}
	})
}

func TestOverlayHandlerAnswersLikeHandle(t *testing.T) {
	f := newFixture(t)
	req, b := f.request(t, f.plainPath, `SELECT COUNT(*) FROM "prices-plain"`)
	resp, err := f.server.Handler()(context.Background(), [32]byte{1}, b)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := OpenResponse(chainID, req, f.reply, resp)
	if err != nil || res.Rows[0][0].Int != 120 {
		t.Fatalf("through the overlay handler: %v %v", res, err)
	}
}

// TestConcurrentRequests runs requests from several goroutines while rows
// are being ingested; run with -race it checks the server and store share
// state safely.
func TestConcurrentRequests(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var reqs []*Request
	var bodies [][]byte
	for range 16 {
		req, b := f.request(t, f.plainPath, `SELECT venue, COUNT(*) FROM "prices-plain" GROUP BY venue`)
		reqs, bodies = append(reqs, req), append(bodies, b)
	}
	plain, err := f.store.Table(f.plainPath.ID())
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, len(reqs)+1)
	go func() {
		row := dataset.Row{{Kind: dataset.TypeTimestamp, Int: 1 << 40}, dataset.String("NEW"), dataset.Float64(1), dataset.Null, dataset.Null}
		_, err := f.store.Ingest(query.Batch{Dataset: plain.ID(), RunID: "concurrent", Rows: []dataset.Row{row}})
		errs <- err
	}()
	for i := range reqs {
		go func() {
			_, _, err := OpenResponse(chainID, reqs[i], f.reply, f.server.Handle(ctx, bodies[i]))
			errs <- err
		}()
	}
	for range len(reqs) + 1 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestRequestForAnotherVersionIsToldTheServedOne: a node answers only
// requests for the metadata version it serves; any other gets
// ReasonVersion with the served version's record, before the request
// takes a place in the replay window.
func TestRequestForAnotherVersionIsToldTheServedOne(t *testing.T) {
	f := newFixture(t)
	path := dataset.Path{Provider: f.encPath.Provider, Name: "versioned"}
	plain := f.schema
	plain.Columns = slices.Clone(f.schema.Columns)
	for i := range plain.Columns {
		plain.Columns[i].Encryption = dataset.EncNone
	}
	if _, err := f.store.CreateVersion(path, 3, plain, []byte("certified record of version 3")); err != nil {
		t.Fatal(err)
	}
	f.access.levels[f.subAddr] = LevelSubscribed
	q := "SELECT COUNT(*) FROM versioned"
	for _, asked := range []uint64{0, 2, 4} {
		req, err := NewRequest(rand.Reader, self, path, q, f.subAddr, f.reply.PublicKey(), f.clock.Now(), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		req.Version = asked
		b, err := Sign(f.sub, chainID, req)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = OpenResponse(chainID, req, f.reply, f.server.Handle(context.Background(), b))
		var denied *DeniedError
		if !errors.As(err, &denied) || denied.Reason != ReasonVersion || string(denied.Record) != "certified record of version 3" {
			t.Fatalf("request for version %d: %v", asked, err)
		}
		// Not remembered: the same request for the served version would
		// be a new one anyway, but a denial must cost no window entry.
		if f.server.mu.window.len() != 0 {
			t.Fatalf("a version denial took a place in the replay window")
		}
	}
	req, err := NewRequest(rand.Reader, self, path, q, f.subAddr, f.reply.PublicKey(), f.clock.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	req.Version = 3
	b, err := Sign(f.sub, chainID, req)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = OpenResponse(chainID, req, f.reply, f.server.Handle(context.Background(), b))
	var denied *DeniedError
	if !errors.As(err, &denied) || denied.Reason != ReasonUnavailable || !denied.Reason.Retryable() {
		t.Fatalf("request for a version with no complete run yet: %v", err)
	}
	if _, err := f.store.Ingest(query.Batch{Dataset: path.ID(), Version: 3, RunID: "r", Total: 1, Slot: 1, Rows: []dataset.Row{{
		{Kind: dataset.TypeTimestamp, Int: 1}, dataset.String("BTC"), dataset.Float64(1), dataset.Null, dataset.Null}}}); err != nil {
		t.Fatal(err)
	}
	req.Nonce[0]++
	if b, err = Sign(f.sub, chainID, req); err != nil {
		t.Fatal(err)
	}
	res, _, err := OpenResponse(chainID, req, f.reply, f.server.Handle(context.Background(), b))
	if err != nil || res.Rows[0][0].Int != 1 {
		t.Fatalf("request for the served version: %v", err)
	}
}

package access

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/signing"
)

// newServer is a server on the fixture's store with cfg's bounds; it
// reports into reg when reg is not nil.
func (f *fixture) newServer(t *testing.T, cfg Config, reg *prometheus.Registry) *Server {
	t.Helper()
	cfg.Store, cfg.Access, cfg.Self, cfg.ChainID, cfg.Clock = f.store, f.access, self, chainID, f.clock
	cfg.Logger = slog.New(slog.DiscardHandler)
	if reg != nil {
		cfg.Registerer = reg
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// restart closes the store and opens it again from the same files, as a
// node restart does, with a new server of cfg.
func (f *fixture) restart(t *testing.T, cfg Config) *Server {
	t.Helper()
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := query.Open("db", query.Options{FS: f.fs})
	if err != nil {
		t.Fatal(err)
	}
	f.store = store
	return f.newServer(t, cfg, nil)
}

// signedBy is a request of key's account for the plaintext dataset.
func (f *fixture) signedBy(t *testing.T, key *ecdsa.PrivateKey, to identity.NodeID, q string) (*Request, []byte) {
	t.Helper()
	req, err := NewRequest(rand.Reader, to, f.plainPath, q, crypto.PubkeyToAddress(key.PublicKey), f.reply.PublicKey(), f.clock.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sign(key, chainID, req)
	if err != nil {
		t.Fatal(err)
	}
	return req, b
}

// send hands b to srv and opens the answer.
func (f *fixture) send(srv *Server, req *Request, b []byte) (*query.Result, *Payload, error) {
	return OpenResponse(chainID, req, f.reply, srv.Handle(context.Background(), b))
}

func wantDenied(t *testing.T, what string, err error, reason Reason, mention string) {
	t.Helper()
	var de *DeniedError
	if !errors.As(err, &de) || de.Reason != reason || !strings.Contains(de.Message, mention) {
		t.Fatalf("%s: got %v, want a %q denial mentioning %q", what, err, reason, mention)
	}
}

// refused reads enigma_query_refused_total{reason=label} from reg.
func refused(t *testing.T, reg *prometheus.Registry, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "enigma_query_refused_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == label {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

const countQuery = `SELECT COUNT(*) FROM "prices-plain"`

// Red team (2): a stranger's signed requests — and forged ones — took
// places in the replay window before access was checked, until subscribers
// were told the node was unavailable. Now only a request that passed every
// check is remembered.
func TestStrangersCannotFillTheReplayWindow(t *testing.T) {
	f := newFixture(t)
	reg := prometheus.NewRegistry()
	srv := f.newServer(t, Config{MaxReplayEntries: 3}, reg)
	stranger, _ := crypto.GenerateKey()
	for i := range 20 {
		req, b := f.signedBy(t, stranger, self, countQuery)
		_, _, err := f.send(srv, req, b)
		wantDenied(t, fmt.Sprintf("stranger's request %d", i), err, ReasonNoAccess, "no subscription")
		// A forgery in the subscriber's name does not get in either.
		req, _ = f.request(t, f.plainPath, countQuery)
		forged, err := signBy(stranger, req)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = f.send(srv, req, forged)
		wantDenied(t, "forged request", err, ReasonBadSignature, "signature")
	}
	for i := range 3 {
		req, b := f.request(t, f.plainPath, countQuery)
		if _, _, err := f.send(srv, req, b); err != nil {
			t.Fatalf("subscriber's request %d after the stranger's flood: %v", i, err)
		}
	}
	if got := refused(t, reg, "no_access"); got != 20 {
		t.Errorf("enigma_query_refused_total{reason=no_access} = %v, want 20", got)
	}
	if got := refused(t, reg, "bad_signature"); got != 20 {
		t.Errorf("enigma_query_refused_total{reason=bad_signature} = %v, want 20", got)
	}
}

// Red team (2): one subscriber fills only its own share of the window; the
// next subscriber is still served.
func TestReplayWindowShareIsPerRequester(t *testing.T) {
	f := newFixture(t)
	other, _ := crypto.GenerateKey()
	f.access.levels[crypto.PubkeyToAddress(other.PublicKey)] = LevelSubscribed
	reg := prometheus.NewRegistry()
	srv := f.newServer(t, Config{MaxReplayEntries: 4, MaxPerRequester: 2}, reg)
	for i := range 2 {
		req, b := f.request(t, f.plainPath, countQuery)
		if _, _, err := f.send(srv, req, b); err != nil {
			t.Fatalf("request %d within the share: %v", i, err)
		}
	}
	req, b := f.request(t, f.plainPath, countQuery)
	_, _, err := f.send(srv, req, b)
	wantDenied(t, "request beyond the share", err, ReasonBusy, "its share")
	if !ReasonBusy.Retryable() {
		t.Fatal("a load refusal must tell the client to ask another node")
	}
	for i := range 2 {
		req, b := f.signedBy(t, other, self, countQuery)
		if _, _, err := f.send(srv, req, b); err != nil {
			t.Fatalf("other subscriber's request %d: %v", i, err)
		}
	}
	// The window is full now (4); a third subscriber waits for expiries.
	third, _ := crypto.GenerateKey()
	f.access.levels[crypto.PubkeyToAddress(third.PublicKey)] = LevelSubscribed
	req, b = f.signedBy(t, third, self, countQuery)
	_, _, err = f.send(srv, req, b)
	wantDenied(t, "request into a full window", err, ReasonBusy, "too many requests")
	f.clock.Advance(time.Minute) // every request so far expires
	if _, _, err := f.send(srv, req, b); err == nil {
		t.Fatal("the expired request was answered")
	}
	req, b = f.signedBy(t, third, self, countQuery)
	if _, _, err := f.send(srv, req, b); err != nil {
		t.Fatalf("after the window emptied: %v", err)
	}
	if refused(t, reg, "requester_share") != 1 || refused(t, reg, "replay_window_full") != 1 {
		t.Errorf("refusals not counted: share %v, full %v", refused(t, reg, "requester_share"), refused(t, reg, "replay_window_full"))
	}
}

// Red team (3): a request is bound to the node it is addressed to.
func TestRequestIsBoundToItsNode(t *testing.T) {
	f := newFixture(t)
	reg := prometheus.NewRegistry()
	srv := f.newServer(t, Config{}, reg)
	elsewhere := identity.NodeID{0xab}
	req, b := f.signedBy(t, f.sub, elsewhere, countQuery)
	_, _, err := f.send(srv, req, b)
	wantDenied(t, "request for another node", err, ReasonWrongNode, "addressed to node "+elsewhere.Short())
	// Re-addressing it breaks the signature.
	var sr SignedRequest
	if err := decodeSigned(b, &sr); err != nil {
		t.Fatal(err)
	}
	sr.Request.Node = self
	moved, err := encodeSigned(&sr)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.send(srv, &sr.Request, moved)
	wantDenied(t, "re-addressed request", err, ReasonBadSignature, "signature")
	if got := refused(t, reg, "wrong_node"); got != 1 {
		t.Errorf("enigma_query_refused_total{reason=wrong_node} = %v, want 1", got)
	}
}

// Red team (3): the replay window survives a restart.
func TestReplayWindowSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	srv := f.newServer(t, Config{}, nil)
	req, b := f.request(t, f.plainPath, countQuery)
	if _, _, err := f.send(srv, req, b); err != nil {
		t.Fatal(err)
	}
	srv = f.restart(t, Config{})
	_, _, err := f.send(srv, req, b)
	wantDenied(t, "replay after a restart", err, ReasonReplay, "already answered")
	// Expired nonces are dropped from the store: after the window has
	// passed and the server pruned, a restart loads nothing.
	f.clock.Advance(2 * DefaultMaxLifetime)
	req2, b2 := f.request(t, f.plainPath, countQuery)
	if _, _, err := f.send(srv, req2, b2); err != nil {
		t.Fatal(err)
	}
	srv = f.restart(t, Config{})
	if n := srv.mu.window.len(); n != 1 {
		t.Fatalf("restored window holds %d requests, want the one live request", n)
	}
	var stored int
	if err := f.store.ScanState([]byte{stateNonce}, []byte{stateNonce + 1}, func(_, _ []byte) error { stored++; return nil }); err != nil {
		t.Fatal(err)
	}
	if stored != 1 {
		t.Fatalf("the store keeps %d nonces, want 1 (expired ones pruned)", stored)
	}
}

// A request of the previous format (signing domain query/request/v1, no
// addressee) is refused with a hint, not misread.
func TestOldRequestFormatIsRefused(t *testing.T) {
	f := newFixture(t)
	type requestV1 struct {
		Dataset    string
		Query      string
		Nonce      [NonceSize]byte
		Expiry     uint64
		Subscriber common.Address
		ReplyKey   []byte
	}
	old := requestV1{Dataset: f.plainPath.String(), Query: countQuery, Expiry: uint64(f.clock.Now().Add(time.Minute).Unix()), Subscriber: f.subAddr, ReplyKey: f.reply.PublicKey()}
	sig, err := signing.SignAccount(f.sub, "query/request/v1", chainID, &old)
	if err != nil {
		t.Fatal(err)
	}
	b, err := signing.Encode(&struct {
		Request   requestV1
		Signature []byte
	}{old, sig})
	if err != nil {
		t.Fatal(err)
	}
	var resp Response
	if err := decodeResponse(f.server.Handle(context.Background(), b), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Reason != ReasonMalformed || !strings.Contains(resp.Message, string(RequestDomain)) {
		t.Fatalf("v1 request: %+v", resp)
	}
}

// Red team (7): LIMIT/OFFSET paging took the whole dataset on a trial whose
// cap was per query. The cap bounds the rows a trial account is served of
// a dataset in total, and a restart does not reset it.
func TestTrialCapBoundsRowsAcrossQueriesAndRestarts(t *testing.T) {
	f := newFixture(t) // TrialRowCap 5
	f.access.levels[f.subAddr] = LevelTrial
	cfg := Config{TrialRowCap: 5}
	reg := prometheus.NewRegistry()
	srv := f.newServer(t, cfg, reg)
	page := func(offset int) string {
		return fmt.Sprintf(`SELECT day, asset FROM "prices-plain" ORDER BY day, asset LIMIT 3 OFFSET %d`, offset)
	}
	ask := func(q string) (*query.Result, *Payload, error) {
		req, b := f.request(t, f.plainPath, q)
		return f.send(srv, req, b)
	}
	res, p, err := ask(page(0))
	if err != nil || len(res.Rows) != 3 || p.TrialCapped {
		t.Fatalf("first page: %v, %v", res, err)
	}
	res, p, err = ask(page(3))
	if err != nil || len(res.Rows) != 2 || !p.TrialCapped {
		t.Fatalf("second page: %v rows, capped %v, %v (want the 2 rows left of 5)", res, p != nil && p.TrialCapped, err)
	}
	_, _, err = ask(page(5))
	wantDenied(t, "third page", err, ReasonTrialUsedUp, "its 5 rows")
	// An aggregate is a row too.
	_, _, err = ask(countQuery)
	wantDenied(t, "count", err, ReasonTrialUsedUp, "subscribe")
	if got := refused(t, reg, "trial_used_up"); got != 2 {
		t.Errorf("enigma_query_refused_total{reason=trial_used_up} = %v, want 2", got)
	}

	srv = f.restart(t, cfg)
	_, _, err = ask(page(5))
	wantDenied(t, "after a restart", err, ReasonTrialUsedUp, "its 5 rows")

	// The budget is per dataset, and a subscription is not capped.
	f.access.levels[f.subAddr] = LevelSubscribed
	if res, _, err := ask(`SELECT venue FROM "prices-plain"`); err != nil || len(res.Rows) != 120 {
		t.Fatalf("after subscribing: %v", err)
	}
	f.access.levels[f.subAddr] = LevelTrial
	q, err := EncryptQuery("SELECT asset FROM prices LIMIT 4", &f.schema, f.cipher)
	if err != nil {
		t.Fatal(err)
	}
	req, b := f.request(t, f.encPath, q)
	if res, _, err := f.send(srv, req, b); err != nil || len(res.Rows) != 4 {
		t.Fatalf("trial of another dataset: %v", err)
	}
}

// One trial query at a time per account and dataset: a second one that
// arrives while the first runs could spend the same rows.
func TestTrialQueriesDoNotRace(t *testing.T) {
	f := newFixture(t)
	f.access.levels[f.subAddr] = LevelTrial
	srv := f.newServer(t, Config{TrialRowCap: 5}, nil)
	held, d := srv.reserveTrial(f.plainPath, f.subAddr)
	if d != nil {
		t.Fatal(d.msg)
	}
	req, b := f.request(t, f.plainPath, countQuery)
	_, _, err := f.send(srv, req, b)
	wantDenied(t, "concurrent trial query", err, ReasonBusy, "running")
	srv.releaseTrial(held)
	req, b = f.request(t, f.plainPath, countQuery)
	if _, _, err := f.send(srv, req, b); err != nil {
		t.Fatalf("after the first finished: %v", err)
	}
}

// The window forgets each entry at its expiry, not before, whatever the
// clock does, and keeps per-requester counts.
func TestReplayWindowEviction(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	w := newReplayWindow(2*time.Minute, 100, 3, t0)
	a, b := common.Address{1}, common.Address{2}
	key := func(who common.Address, n byte) replayKey {
		return replayKey{subscriber: who, nonce: [NonceSize]byte{n}}
	}
	unix := t0.Unix()
	for i, exp := range []int64{unix + 1, unix + 60, unix + 120} {
		if got := w.add(key(a, byte(i)), exp, t0); got != rememberedOK {
			t.Fatalf("add %d: %v", i, got)
		}
	}
	if got := w.add(key(a, 9), unix+5, t0); got != rememberedShare {
		t.Fatalf("a's fourth: %v, want its share refused", got)
	}
	if got := w.add(key(b, 0), unix+5, t0); got != rememberedOK {
		t.Fatalf("b: %v", got)
	}
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	if got := w.add(key(a, 0), unix+1, at(999*time.Millisecond)); got != rememberedAgain {
		t.Fatalf("live entry forgotten early: %v", got)
	}
	w.advance(at(time.Second))
	if w.len() != 3 || w.counts[a] != 2 {
		t.Fatalf("at +1s: %d entries, a holds %d; want 3 and 2", w.len(), w.counts[a])
	}
	// The clock goes back 10 s: an entry expiring at a second already
	// swept is kept until the sweep passes it again.
	back := at(-10 * time.Second)
	if got := w.add(key(b, 1), unix, back); got != rememberedOK {
		t.Fatalf("after the clock went back: %v", got)
	}
	if got := w.add(key(b, 1), unix, back); got != rememberedAgain {
		t.Fatalf("replay after the clock went back: %v", got)
	}
	w.advance(at(2 * time.Second))
	if _, ok := w.seen[key(b, 1)]; ok {
		t.Fatal("expired entry kept")
	}
	// A jump of an hour clears everything in one turn of the ring.
	w.advance(at(time.Hour))
	if w.len() != 0 || len(w.counts) != 0 {
		t.Fatalf("after an hour: %d entries, %d requesters", w.len(), len(w.counts))
	}
	// An entry further ahead than the ring (a window persisted under a
	// longer lifetime) survives turns of the ring until its expiry.
	now := at(time.Hour)
	w.insert(key(a, 7), now.Unix()+600)
	w.advance(now.Add(300 * time.Second))
	if w.len() != 1 {
		t.Fatal("far entry forgotten before its expiry")
	}
	w.advance(now.Add(600 * time.Second))
	if w.len() != 0 {
		t.Fatal("far entry kept after its expiry")
	}
}

// TestRowsPerQueryAreCounted: every answered query's row count lands in
// enigma_query_result_rows, and refusals do not.
func TestRowsPerQueryAreCounted(t *testing.T) {
	f := newFixture(t)
	reg := prometheus.NewRegistry()
	srv := f.newServer(t, Config{}, reg)
	for _, q := range []string{countQuery, `SELECT * FROM "prices-plain" LIMIT 7`, `SELECT * FROM "prices-plain" WHERE 1 = 0`} {
		req, b := f.request(t, f.plainPath, q)
		if _, _, err := f.send(srv, req, b); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	stranger, _ := crypto.GenerateKey()
	req, b := f.signedBy(t, stranger, self, countQuery)
	if _, _, err := f.send(srv, req, b); err == nil {
		t.Fatal("a stranger's query was answered")
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "enigma_query_result_rows" {
			continue
		}
		h := mf.GetMetric()[0].GetHistogram()
		if h.GetSampleCount() != 3 || h.GetSampleSum() != 1+7+0 {
			t.Fatalf("enigma_query_result_rows: %d queries, %v rows; want 3 queries, 8 rows", h.GetSampleCount(), h.GetSampleSum())
		}
		return
	}
	t.Fatal("enigma_query_result_rows is not registered")
}

package httpapi_test

import (
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/httpapi"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/nodeinfo"
)

func TestDatasetListing(t *testing.T) {
	n := testNetwork(t)
	paths := func(p httpapi.DatasetPage) []string {
		var out []string
		for _, it := range p.Items {
			out = append(out, it.Path)
		}
		return out
	}
	enc, open := n.encPath.String(), n.openPath.String()

	var all httpapi.DatasetPage
	n.get(t, "api/v1/datasets", http.StatusOK, &all)
	if all.Total != 2 || !slices.Equal(paths(all), []string{enc, open}) {
		t.Fatalf("listing by rank: %v (total %d), want %s (subscribed) then %s", paths(all), all.Total, enc, open)
	}
	top := all.Items[0]
	if top.Rank != 1 || top.ActiveSubscribers != 1 || top.Price.ENG != "10" || top.TrialSeconds != 3600 || !top.Active {
		t.Errorf("top dataset: %+v", top)
	}
	if top.Certified == nil || top.Certified.Version != 1 || !slices.Equal(top.Certified.EncryptedColumns, n.encCols) {
		t.Errorf("top dataset's certified summary %+v (error %q), want version 1 encrypting %v", top.Certified, top.CertifiedError, n.encCols)
	}
	if s := all.Items[1]; s.Slashes == 0 || s.Certified == nil || len(s.Certified.EncryptedColumns) != 0 {
		t.Errorf("slashed plain dataset: %+v", s)
	}

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"q=crypto", []string{enc}},
		{"q=CRYPTO_DAILY", []string{enc}},
		{"q=" + strings.ToLower(n.encPath.Provider.Hex()[2:12]), []string{enc, open}},
		{"q=nothing-like-this", nil},
		{"trial=true", []string{enc}},
		{"trial=false", []string{open}},
		{"encrypted=true", []string{enc}},
		{"encrypted=false", []string{open}},
		{"slashed=true", []string{open}},
		{"slashed=false", []string{enc}},
		{"min_price=5", []string{enc}},
		{"max_price=2", []string{open}},
		{"min_price=2&max_price=10", []string{enc, open}},
		{"sort=price", []string{open, enc}},
		{"sort=price&order=desc", []string{enc, open}},
		{"sort=name", []string{enc, open}},
		{"sort=rank&order=desc", []string{open, enc}},
		{"limit=1", []string{enc}},
		{"limit=1&offset=1", []string{open}},
		{"offset=5", nil},
	} {
		var p httpapi.DatasetPage
		n.get(t, "api/v1/datasets?"+c.query, http.StatusOK, &p)
		if !slices.Equal(paths(p), c.want) {
			t.Errorf("?%s: %v, want %v", c.query, paths(p), c.want)
		}
	}
}

func TestDatasetDetail(t *testing.T) {
	n := testNetwork(t)
	var byPath, byID httpapi.DatasetDetail
	n.get(t, "api/v1/datasets/"+n.encPath.String(), http.StatusOK, &byPath)
	n.get(t, "api/v1/datasets/"+n.encPath.ID().Hex(), http.StatusOK, &byID)
	if byPath.ID != byID.ID || byPath.ID != n.encPath.ID().Hex() {
		t.Fatalf("by path %s, by ID %s, want %s", byPath.ID, byID.ID, n.encPath.ID().Hex())
	}
	d := byPath
	m := d.Metadata
	if m == nil || d.Record == nil {
		t.Fatalf("no certified metadata: %s", d.CertifiedError)
	}
	if m.Version != 1 || !m.HashMatchesChain || m.MetadataHash != d.MetadataHash || m.Schedule != "@daily" || !m.Trial.Enabled || m.Trial.RowLimit != 100 {
		t.Errorf("metadata: %+v", m)
	}
	if !slices.Equal(m.Persistence, []string{n.p1.String()}) || len(m.Workers) != 1 {
		t.Errorf("nodes: workers %v, persistence %v, want persistence [%s]", m.Workers, m.Persistence, n.p1)
	}
	var encrypted []string
	for _, c := range m.Schema.Columns {
		if c.Encryption != "none" {
			encrypted = append(encrypted, c.Name)
		}
		if c.Encryption != "none" && c.Encryption != "det" && c.Encryption != "ope" {
			t.Errorf("column %s encryption %q", c.Name, c.Encryption)
		}
	}
	if !slices.Equal(encrypted, n.encCols) || len(m.Schema.PrimaryKey) == 0 {
		t.Errorf("schema: encrypted %v (want %v), primary key %v", encrypted, n.encCols, m.Schema.PrimaryKey)
	}
	// The record shown is the certified record itself: it decodes and
	// verifies against the validator set the chain records.
	r := d.Record
	if !r.Verified || r.Key != d.ID || len(r.Proof) == 0 || len(r.Certificate.Signers) < 3 {
		t.Errorf("record: %+v", r)
	}
	enc, err := hex.DecodeString(r.Encoded)
	if err != nil {
		t.Fatal(err)
	}
	vs, _, err := n.server.View.CurrentEpoch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, rec, err := ledger.VerifyDatasetRecord(ledger.SetList([]*ledger.ValidatorSet{vs}), n.encPath.ID(), enc)
	if err != nil {
		t.Fatalf("the served record does not verify: %v", err)
	}
	if rec.Signed.Metadata.Version != m.Version || rec.Signed.Metadata.Name != d.Name {
		t.Errorf("the served record holds %s version %d", rec.Signed.Metadata.Name, rec.Signed.Metadata.Version)
	}
	if len(d.Versions) != 1 || d.Versions[0].Event != "DatasetRegistered" || !d.Versions[0].Certified || d.Versions[0].MetadataHash != d.MetadataHash {
		t.Errorf("versions: %+v", d.Versions)
	}
	roles := map[string]bool{}
	for _, a := range d.Nodes {
		if !a.Answered {
			t.Errorf("node %s (%s) did not answer: %s", a.ID, a.Role, a.Error)
		}
		roles[a.Role] = true
	}
	if !roles[string(nodeinfo.RoleWorker)] || !roles[string(nodeinfo.RolePersistence)] {
		t.Errorf("node answers %+v, want a worker and a persistence node", d.Nodes)
	}
	if d.Connect.Market != n.d.Info.Market.Hex() || d.Connect.ChainID != n.d.Info.ChainID || !strings.HasPrefix(d.Connect.Bootstrap, n.server.Key.ID().String()+"@") {
		t.Errorf("connect: %+v", d.Connect)
	}
	if d.ActiveSubscribers != 1 || len(d.Payouts) != 1 || d.Payouts[0].BPS != 10_000 {
		t.Errorf("terms: subscribers %d, payouts %+v", d.ActiveSubscribers, d.Payouts)
	}

	var slashed httpapi.DatasetDetail
	n.get(t, "api/v1/datasets/"+n.openPath.String(), http.StatusOK, &slashed)
	if len(slashed.SlashEvents) == 0 || slashed.SlashEvents[0].Offence != "persistence-offline" || slashed.SlashEvents[0].Path != n.openPath.String() {
		t.Errorf("slashed dataset's slash events: %+v", slashed.SlashEvents)
	}
	if len(slashed.Nodes) != 2 || slices.ContainsFunc(slashed.Nodes, func(a httpapi.NodeAnswer) bool { return a.ID == n.p2.String() && a.Answered }) {
		t.Errorf("the stopped persistence node answered: %+v", slashed.Nodes)
	}
}

func TestValidatorsAndNetwork(t *testing.T) {
	n := testNetwork(t)
	var v httpapi.ValidatorsView
	n.get(t, "api/v1/validators", http.StatusOK, &v)
	if v.CurrentEpoch != 1 || len(v.Epochs) != 1 || !v.Epochs[0].Current || v.Epochs[0].Quorum != 3 || len(v.Epochs[0].Members) != 4 {
		t.Fatalf("validators: %+v", v)
	}
	for _, m := range v.Epochs[0].Members {
		if !slices.Contains(n.d.Info.Validators, m.NodeID) {
			t.Errorf("validator %s is not one of the devnet's", m.NodeID)
		}
		if m.Liveness == nil || !m.Liveness.Answered || !slices.Contains(m.Liveness.Roles, "validator") {
			t.Errorf("validator %s liveness %+v", m.NodeID, m.Liveness)
		}
	}

	var nw httpapi.NetworkView
	n.get(t, "api/v1/network", http.StatusOK, &nw)
	if nw.Datasets != 2 || nw.Checkpoint == nil || len(nw.Checkpoint.Signers) < 3 {
		t.Fatalf("network: %+v", nw)
	}
	answered := map[string]bool{}
	for _, p := range nw.Probes {
		answered[p.ID] = p.Answered
	}
	if !answered[n.p1.String()] || answered[n.p2.String()] {
		t.Errorf("probes %+v: want %s answering and the stopped %s not", nw.Probes, n.p1.Short(), n.p2.Short())
	}

	var st httpapi.StatusView
	n.get(t, "api/v1/status", http.StatusOK, &st)
	if st.NodeID != n.server.Key.ID().String() || !slices.Equal(st.Roles, []string{"overlay"}) || st.Chain.ChainID != n.d.Info.ChainID ||
		st.Chain.Market != n.d.Info.Market.Hex() || st.Chain.Epoch != 1 || st.Overlay.Contacts == 0 || st.Validator != nil {
		t.Errorf("status: %+v", st)
	}
}

func TestPolice(t *testing.T) {
	n := testNetwork(t)
	var p httpapi.PoliceView
	n.get(t, "api/v1/police", http.StatusOK, &p)
	if len(p.Slashes) == 0 {
		t.Fatal("no slash")
	}
	s := p.Slashes[0]
	if s.Path != n.openPath.String() || s.Epoch != 1 || s.Offence != "persistence-offline" || s.Amount.ENG == "0" || s.Tx == "" {
		t.Errorf("slash: %+v", s)
	}
	a := s.Attestations
	if a == nil {
		t.Fatalf("no attestations: %s", s.AttestationsError)
	}
	// The devnet's slash threshold is the quorum: 3 of 4.
	if !a.Verified || a.Epoch != 1 || len(a.Attesters) < 3 {
		t.Errorf("attestations: %+v", a)
	}
	for _, at := range a.Attesters {
		if !slices.Contains(n.d.Info.Validators, at.NodeID) {
			t.Errorf("attester %+v is no devnet validator", at)
		}
	}
}

// TestHostileRequests: whatever a client sends, the answer is a clear error
// and the node goes on serving.
func TestHostileRequests(t *testing.T) {
	n := testNetwork(t)
	for _, c := range []struct {
		method, path string
		body         string
		want         int
		says         string
	}{
		{"GET", "api/v1/datasets?limit=1000000", "", 400, "limit"},
		{"GET", "api/v1/datasets?limit=0", "", 400, "limit"},
		{"GET", "api/v1/datasets?offset=-1", "", 400, "offset"},
		{"GET", "api/v1/datasets?colour=red", "", 400, `unknown parameter "colour"`},
		{"GET", "api/v1/datasets?sort=popularity", "", 400, "sort"},
		{"GET", "api/v1/datasets?order=sideways", "", 400, "order"},
		{"GET", "api/v1/datasets?trial=maybe", "", 400, "trial"},
		{"GET", "api/v1/datasets?min_price=lots", "", 400, "min_price"},
		{"GET", "api/v1/datasets?q=" + strings.Repeat("x", 101), "", 400, "q:"},
		{"GET", "api/v1/datasets?limit=1&limit=2", "", 400, "once"},
		{"GET", "api/v1/datasets/0x1234", "", 400, "64 hex digits"},
		{"GET", "api/v1/datasets/not-hex-at-all", "", 400, "64 hex digits"},
		{"GET", "api/v1/datasets/0xnotanaddress/name", "", 400, "dataset path"},
		{"GET", "api/v1/datasets/" + n.encPath.Provider.Hex() + "/no_such_dataset", "", 404, "no dataset"},
		{"GET", "api/v1/datasets/" + strings.Repeat("ab", 32), "", 404, "no dataset"},
		{"GET", "api/v1/validators?epoch=1", "", 400, "takes none"},
		{"GET", "api/v1/nothing", "", 404, "openapi.json"},
		{"GET", "api/v1/datasets?q=" + strings.Repeat("y", httpapi.MaxURLBytes), "", 414, "URL"},
		{"POST", "api/v1/datasets", "{}", 405, "read-only"},
		{"DELETE", "api/v1/datasets", "", 405, "read-only"},
		{"GET", "api/v1/datasets", "a body", 413, "no body"},
	} {
		req, err := http.NewRequest(c.method, n.base+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path[:min(len(c.path), 60)], err)
		}
		var e struct{ Error string }
		decodeErr := jsonDecode(resp, &e)
		if resp.StatusCode != c.want || decodeErr != nil || !strings.Contains(e.Error, c.says) {
			t.Errorf("%s %s: %d %q (%v), want %d saying %q", c.method, c.path[:min(len(c.path), 60)], resp.StatusCode, e.Error, decodeErr, c.want, c.says)
		}
	}
	n.get(t, "api/v1/status", http.StatusOK, nil) // still serving
}

func TestETagAndCORS(t *testing.T) {
	n := testNetwork(t)
	// The listing names the chain head, which the devnet moves every 250 ms:
	// a revalidation that meets a new block gets the new body and tag, so
	// try until one lands within a block.
	deadline := time.Now().Add(30 * time.Second)
	for {
		h := n.get(t, "api/v1/datasets", http.StatusOK, nil)
		etag := h.Get("ETag")
		if etag == "" || h.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("ETag %q, CORS %q: want a tag and no CORS by default", etag, h.Get("Access-Control-Allow-Origin"))
		}
		req, _ := http.NewRequest("GET", n.base+"api/v1/datasets", nil)
		req.Header.Set("If-None-Match", etag)
		req.Header.Set("Origin", "https://elsewhere.example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("CORS %q for an unconfigured origin", resp.Header.Get("Access-Control-Allow-Origin"))
		}
		if resp.StatusCode == http.StatusNotModified {
			break
		}
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
			t.Fatalf("If-None-Match: status %d with tag %s after %s", resp.StatusCode, resp.Header.Get("ETag"), etag)
		}
		if time.Now().After(deadline) {
			t.Fatal("no revalidation answered 304 within 30 s")
		}
	}

	roles := n.server.Roles
	api := httpapi.New(httpapi.Config{CORSOrigins: []string{"https://explorer.example"}}, httpapi.NewData(httpapi.BackendOf(n.server.Running, roles)))
	for origin, want := range map[string]string{"https://explorer.example": "https://explorer.example", "https://evil.example": ""} {
		req := httptest.NewRequest("GET", "/api/v1/openapi.json", nil)
		req.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		api.Handler().ServeHTTP(w, req)
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != want || w.Code != http.StatusOK {
			t.Errorf("origin %s: status %d, allowed %q, want %q", origin, w.Code, got, want)
		}
	}
}

func TestRateLimit(t *testing.T) {
	n := testNetwork(t)
	// A bucket that refills once in 1,000 s: the third request is refused
	// however slowly the test runs.
	api := httpapi.New(httpapi.Config{RatePerSecond: 0.001, Burst: 2}, httpapi.NewData(httpapi.BackendOf(n.server.Running, n.server.Roles)))
	codes := func(remote string) []int {
		var out []int
		for range 3 {
			req := httptest.NewRequest("GET", "/api/v1/openapi.json", nil)
			req.RemoteAddr = remote
			w := httptest.NewRecorder()
			api.Handler().ServeHTTP(w, req)
			out = append(out, w.Code)
			if w.Code == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
		return out
	}
	if got := codes("192.0.2.1:1000"); !slices.Equal(got, []int{200, 200, 429}) {
		t.Errorf("one client: %v, want 200 200 429", got)
	}
	if got := codes("192.0.2.2:1000"); !slices.Equal(got, []int{200, 200, 429}) {
		t.Errorf("another client has its own bucket: %v", got)
	}
}

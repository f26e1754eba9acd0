package httpapi

import (
	"cmp"
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/nodeinfo"
)

// Amount is a token amount: exact base units and ENG for people.
type Amount struct {
	BaseUnits string `json:"base_units"`
	ENG       string `json:"eng"`
}

func amountOf(v *big.Int) Amount {
	if v == nil {
		v = new(big.Int)
	}
	return Amount{BaseUnits: v.String(), ENG: chain.FormatENG(v)}
}

// DatasetSummary is one dataset of the listing: on-chain terms and rank,
// and what its certified record says when this node resolved it.
type DatasetSummary struct {
	ID                string    `json:"id"`
	Path              string    `json:"dataset"`
	Provider          string    `json:"provider"`
	Name              string    `json:"name"`
	Price             Amount    `json:"price_per_period"`
	Deposit           Amount    `json:"deposit"`
	TotalPaid         Amount    `json:"total_paid"`
	TrialSeconds      uint64    `json:"trial_seconds"`
	Active            bool      `json:"active"`
	Slashes           uint64    `json:"slash_count"`
	ActiveSubscribers uint64    `json:"active_subscribers"`
	Rank              int       `json:"rank"`
	CreatedAt         time.Time `json:"registered_at"`
	// Certified is the newest certified version this node verified (nil:
	// none resolved yet, CertifiedError says why).
	Certified      *CertifiedSummary `json:"certified,omitempty"`
	CertifiedError string            `json:"certified_error,omitempty"`
}

// CertifiedSummary is the part of the certified metadata a listing shows.
type CertifiedSummary struct {
	Version          uint64   `json:"version"`
	Columns          int      `json:"columns"`
	EncryptedColumns []string `json:"encrypted_columns"`
	Schedule         string   `json:"schedule"`
}

// DatasetPage is one page of the listing.
type DatasetPage struct {
	Block  uint64           `json:"block"`
	Total  int              `json:"total"`
	Offset int              `json:"offset"`
	Limit  int              `json:"limit"`
	Sort   string           `json:"sort"`
	Order  string           `json:"order"`
	Items  []DatasetSummary `json:"items"`
}

// listQuery is a parsed listing request.
type listQuery struct {
	search             string
	minPrice, maxPrice *big.Int
	trial, encrypted   *bool
	slashed, active    *bool
	sort, order        string
	offset, limit      int
}

var listParams = []string{"q", "min_price", "max_price", "trial", "encrypted", "slashed", "active", "sort", "order", "offset", "limit"}

var sortKeys = map[string]string{"rank": "asc", "price": "asc", "name": "asc", "created": "desc", "subscribers": "desc"}

func parseListQuery(v url.Values) (listQuery, error) {
	q := listQuery{sort: "rank", limit: DefaultPageSize}
	if err := onlyParams(v, listParams); err != nil {
		return q, err
	}
	var err error
	q.search = strings.ToLower(strings.TrimSpace(v.Get("q")))
	if n := len([]rune(q.search)); n > MaxSearchChars {
		return q, badf("q: %d characters, at most %d", n, MaxSearchChars)
	}
	if q.minPrice, err = engParam(v, "min_price"); err != nil {
		return q, err
	}
	if q.maxPrice, err = engParam(v, "max_price"); err != nil {
		return q, err
	}
	for name, dst := range map[string]**bool{"trial": &q.trial, "encrypted": &q.encrypted, "slashed": &q.slashed, "active": &q.active} {
		if *dst, err = boolParam(v, name); err != nil {
			return q, err
		}
	}
	if s := v.Get("sort"); s != "" {
		if _, ok := sortKeys[s]; !ok {
			return q, badf("sort %q: use one of %s", s, strings.Join(slices.Sorted(mapsKeys(sortKeys)), ", "))
		}
		q.sort = s
	}
	q.order = sortKeys[q.sort]
	if o := v.Get("order"); o != "" {
		if o != "asc" && o != "desc" {
			return q, badf("order %q: use asc or desc", o)
		}
		q.order = o
	}
	if q.offset, err = intParam(v, "offset", 0, 0, 1<<30); err != nil {
		return q, err
	}
	if q.limit, err = intParam(v, "limit", DefaultPageSize, 1, MaxPageSize); err != nil {
		return q, err
	}
	return q, nil
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// onlyParams refuses parameters the endpoint does not know, so a typo is
// not silently ignored.
func onlyParams(v url.Values, known []string) error {
	for k, vals := range v {
		if !slices.Contains(known, k) {
			if len(known) == 0 {
				return badf("unknown parameter %q: this endpoint takes none", k)
			}
			return badf("unknown parameter %q: this endpoint takes %s", k, strings.Join(known, ", "))
		}
		if len(vals) > 1 {
			return badf("parameter %q given %d times: give it once", k, len(vals))
		}
	}
	return nil
}

func boolParam(v url.Values, name string) (*bool, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, badf("%s %q: use true or false", name, s)
	}
	return &b, nil
}

func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badf("%s %q: want a whole number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

func engParam(v url.Values, name string) (*big.Int, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	if len(s) > 40 {
		return nil, badf("%s: at most 40 characters", name)
	}
	a, err := chain.ParseENG(s)
	if err != nil {
		return nil, badf("%s %q: want an amount of ENG such as 2.5 (%v)", name, s, err)
	}
	return a, nil
}

// summaryOf is the listing item of l at rank position rank.
func summaryOf(l chain.Listed, rank int) DatasetSummary {
	d := l.Dataset
	p := dataset.Path{Provider: d.Provider, Name: d.Name}
	return DatasetSummary{
		ID: common.Hash(d.Id).Hex(), Path: p.String(), Provider: d.Provider.Hex(), Name: d.Name,
		Price: amountOf(d.Price), Deposit: amountOf(d.Deposit), TotalPaid: amountOf(d.TotalPaid),
		TrialSeconds: d.TrialPeriod, Active: d.Active, Slashes: l.Rank.SlashCount, ActiveSubscribers: l.Rank.ActiveSubscribers,
		Rank: rank, CreatedAt: time.Unix(int64(d.CreatedAt), 0).UTC(),
	}
}

func (s *DatasetSummary) attach(e recordEntry) {
	if e.err != nil {
		s.CertifiedError = e.err.Error()
		return
	}
	m := &e.rec.Signed.Metadata
	c := &CertifiedSummary{Version: m.Version, Columns: len(m.Schema.Columns), EncryptedColumns: []string{}, Schedule: m.Schedule}
	for _, col := range m.Schema.Columns {
		if col.Encryption != dataset.EncNone {
			c.EncryptedColumns = append(c.EncryptedColumns, col.Name)
		}
	}
	s.Certified = c
}

// ranked returns the listing with each dataset's rank position (1: the
// top of the ranking metric, chain.SortByRank).
func ranked(items []chain.Listed) ([]chain.Listed, map[common.Hash]int) {
	byRank := slices.Clone(items)
	chain.SortByRank(byRank)
	pos := make(map[common.Hash]int, len(byRank))
	for i, l := range byRank {
		pos[l.Dataset.Id] = i + 1
	}
	return byRank, pos
}

func (s *Server) listDatasets(w http.ResponseWriter, r *http.Request) {
	q, err := parseListQuery(r.URL.Query())
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	page, err := s.datasetPage(r.Context(), q)
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	writeJSON(w, r, page)
}

func (s *Server) datasetPage(ctx context.Context, q listQuery) (*DatasetPage, error) {
	head, items, err := s.data.Listing(ctx)
	if err != nil {
		return nil, err
	}
	byRank, pos := ranked(items)
	var kept []DatasetSummary
	for _, l := range byRank {
		sum := summaryOf(l, pos[l.Dataset.Id])
		if q.matches(&sum, l.Dataset.Price) {
			kept = append(kept, sum)
		}
	}
	if q.encrypted != nil {
		// The filter needs every candidate's certified schema.
		ids := make([]common.Hash, len(kept))
		for i := range kept {
			ids[i] = common.HexToHash(kept[i].ID)
		}
		recs := s.data.Records(ctx, ids)
		kept = slices.DeleteFunc(kept, func(sum DatasetSummary) bool {
			sum.attach(recs[common.HexToHash(sum.ID)])
			return sum.Certified == nil || (len(sum.Certified.EncryptedColumns) > 0) != *q.encrypted
		})
	}
	q.sortItems(kept)
	page := &DatasetPage{Block: head, Total: len(kept), Offset: q.offset, Limit: q.limit, Sort: q.sort, Order: q.order, Items: []DatasetSummary{}}
	if q.offset < len(kept) {
		page.Items = kept[q.offset:min(len(kept), q.offset+q.limit)]
	}
	ids := make([]common.Hash, len(page.Items))
	for i := range page.Items {
		ids[i] = common.HexToHash(page.Items[i].ID)
	}
	recs := s.data.Records(ctx, ids)
	for i := range page.Items {
		page.Items[i].attach(recs[ids[i]])
	}
	return page, nil
}

func (q *listQuery) matches(s *DatasetSummary, price *big.Int) bool {
	if q.search != "" && !strings.Contains(strings.ToLower(s.Path), q.search) {
		return false
	}
	if q.minPrice != nil && price.Cmp(q.minPrice) < 0 || q.maxPrice != nil && price.Cmp(q.maxPrice) > 0 {
		return false
	}
	if q.trial != nil && (s.TrialSeconds > 0) != *q.trial {
		return false
	}
	if q.slashed != nil && (s.Slashes > 0) != *q.slashed {
		return false
	}
	if q.active != nil && s.Active != *q.active {
		return false
	}
	return true
}

// sortItems orders the kept items; every order ends with the rank, which is
// total, so pages never overlap.
func (q *listQuery) sortItems(items []DatasetSummary) {
	key := func(a, b *DatasetSummary) int {
		switch q.sort {
		case "price":
			pa, _ := new(big.Int).SetString(a.Price.BaseUnits, 10)
			pb, _ := new(big.Int).SetString(b.Price.BaseUnits, 10)
			return pa.Cmp(pb)
		case "name":
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case "created":
			return a.CreatedAt.Compare(b.CreatedAt)
		case "subscribers":
			return cmp.Compare(a.ActiveSubscribers, b.ActiveSubscribers)
		}
		return cmp.Compare(a.Rank, b.Rank)
	}
	slices.SortStableFunc(items, func(a, b DatasetSummary) int {
		c := key(&a, &b)
		if q.order == "desc" {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.Rank, b.Rank))
	})
}

// DatasetDetail is one dataset: its on-chain terms, the certified metadata
// and record this node verified, the metadata versions the chain recorded,
// its slashes, and what its nodes answer.
type DatasetDetail struct {
	DatasetSummary
	MetadataHash    string         `json:"metadata_hash"`
	RegisteredEpoch uint64         `json:"registered_epoch"`
	DeactivatedAt   *time.Time     `json:"deactivated_at,omitempty"`
	Payouts         []PayoutView   `json:"payouts"`
	Metadata        *MetadataView  `json:"metadata,omitempty"`
	Record          *RecordView    `json:"record,omitempty"`
	Versions        []VersionView  `json:"versions"`
	SlashEvents     []SlashView    `json:"slash_events"`
	Nodes           []NodeAnswer   `json:"nodes"`
	Connect         ConnectionView `json:"connect"`
}

// PayoutView is one payout share.
type PayoutView struct {
	Account string `json:"account"`
	BPS     uint16 `json:"bps"`
}

// MetadataView is the certified metadata of the newest version.
type MetadataView struct {
	Version          uint64      `json:"version"`
	MetadataHash     string      `json:"metadata_hash"`
	HashMatchesChain bool        `json:"hash_matches_chain"`
	Signer           string      `json:"signer"`
	Schema           SchemaView  `json:"schema"`
	Schedule         string      `json:"schedule"`
	ScriptHash       string      `json:"script_hash"`
	ScriptBytes      int         `json:"script_bytes"`
	Workers          []string    `json:"workers"`
	Persistence      []string    `json:"persistence"`
	Storage          StorageView `json:"storage"`
	Trial            TrialView   `json:"trial"`
	CreatedBlock     uint64      `json:"created_block"`
	UpdatedBlock     uint64      `json:"updated_block"`
	UpdatedSeq       uint64      `json:"updated_sequence"`
}

// SchemaView is a dataset's table.
type SchemaView struct {
	Columns    []ColumnView `json:"columns"`
	PrimaryKey []string     `json:"primary_key"`
	Indexes    []IndexView  `json:"indexes"`
}

// ColumnView is one column; Encryption is none, det (deterministic:
// equality, IN, GROUP BY) or ope (order-preserving: ranges and ORDER BY too).
type ColumnView struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	Encryption string `json:"encryption"`
	Nullable   bool   `json:"nullable"`
}

// IndexView is a secondary index.
type IndexView struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
}

// StorageView is the provider's storage hints.
type StorageView struct {
	Replicas            uint32 `json:"replicas"`
	RetentionDays       uint32 `json:"retention_days"`
	ExpectedBytesPerDay uint64 `json:"expected_bytes_per_day"`
}

// TrialView is the certified trial policy.
type TrialView struct {
	Enabled         bool   `json:"enabled"`
	DurationSeconds uint64 `json:"duration_seconds"`
	RowLimit        uint64 `json:"row_limit"`
}

// RecordView is the certified record as the DHT served it: the value, the
// Merkle proof to the state root, and the checkpoint certificate; Verified
// says this node checked all three against the validator set the chain
// records for the certificate's epoch, at VerifiedAtBlock.
type RecordView struct {
	Key             string          `json:"key"`
	Encoded         string          `json:"encoded"`
	Proof           []string        `json:"proof"`
	Certificate     CertificateView `json:"certificate"`
	Verified        bool            `json:"verified"`
	VerifiedAtBlock uint64          `json:"verified_at_block"`
	VerifiedBy      string          `json:"verified_by"`
}

// CertificateView is a checkpoint certificate.
type CertificateView struct {
	Epoch     uint64   `json:"epoch"`
	Seq       uint64   `json:"sequence"`
	StateRoot string   `json:"state_root"`
	Signers   []string `json:"signers"`
}

// VersionView is a metadata hash the chain recorded for the dataset.
type VersionView struct {
	Block        uint64 `json:"block"`
	Tx           string `json:"tx_hash"`
	MetadataHash string `json:"metadata_hash"`
	Event        string `json:"event"`
	Certified    bool   `json:"certified"`
}

// NodeAnswer is what one of the dataset's nodes answered this node
// (enigma/node/info/v1).
type NodeAnswer struct {
	ID             string `json:"node_id"`
	Role           string `json:"role"`
	Answered       bool   `json:"answered"`
	Error          string `json:"error,omitempty"`
	RTTMillis      int64  `json:"rtt_ms"`
	KnownVersion   uint64 `json:"known_version"`
	ServingVersion uint64 `json:"serving_version,omitempty"`
	Rows           uint64 `json:"rows,omitempty"`
	RowsCapped     bool   `json:"rows_capped,omitempty"`
	JobVersion     uint64 `json:"job_version,omitempty"`
	LastRun        string `json:"last_run,omitempty"`
}

// ConnectionView is what a CLI needs to reach this network.
type ConnectionView struct {
	ChainID   uint64 `json:"chain_id"`
	Market    string `json:"market"`
	Bootstrap string `json:"bootstrap"`
}

// datasetID parses the path parameters of /datasets/{provider}/{name} or
// /datasets/{id}.
func datasetID(r *http.Request) (common.Hash, error) {
	if name := r.PathValue("name"); name != "" {
		p, err := dataset.ParsePath(r.PathValue("provider") + "/" + name)
		if err != nil {
			return common.Hash{}, badf("dataset path: %v", err)
		}
		return p.ID(), nil
	}
	s := r.PathValue("id")
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, badf("dataset %q: want <provider address>/<name> or a dataset ID of 64 hex digits", s)
	}
	return common.BytesToHash(b), nil
}

func (s *Server) getDataset(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r.URL.Query(), nil); err != nil {
		s.writeFailure(w, r, err)
		return
	}
	id, err := datasetID(r)
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	d, err := s.datasetDetail(r.Context(), id)
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	writeJSON(w, r, d)
}

func (s *Server) datasetDetail(ctx context.Context, id common.Hash) (*DatasetDetail, error) {
	_, items, err := s.data.Listing(ctx)
	if err != nil {
		return nil, err
	}
	_, pos := ranked(items)
	i := slices.IndexFunc(items, func(l chain.Listed) bool { return l.Dataset.Id == id })
	if i < 0 {
		return nil, &notFound{fmt.Sprintf("no dataset %s on the Marketplace at %s", id.Hex(), s.data.b.Chain.Market().Hex())}
	}
	l := items[i]
	out := &DatasetDetail{DatasetSummary: summaryOf(l, pos[id]), MetadataHash: common.Hash(l.Dataset.MetadataHash).Hex(),
		RegisteredEpoch: l.Dataset.RegisteredEpoch, Payouts: []PayoutView{}, Versions: []VersionView{}, SlashEvents: []SlashView{}, Nodes: []NodeAnswer{},
		Connect: s.connection()}
	if l.Dataset.DeactivatedAt != 0 {
		t := time.Unix(int64(l.Dataset.DeactivatedAt), 0).UTC()
		out.DeactivatedAt = &t
	}
	for _, p := range l.Dataset.Payouts {
		out.Payouts = append(out.Payouts, PayoutView{Account: p.Account.Hex(), BPS: p.Bps})
	}
	e := s.data.Record(ctx, id)
	out.attach(e)
	var certifiedHash common.Hash
	if e.err == nil {
		out.Metadata, out.Record = s.metadataView(e, l.Dataset), recordView(e)
		certifiedHash = common.HexToHash(out.Metadata.MetadataHash)
		out.Nodes = s.nodeAnswers(ctx, id, &e.rec.Signed.Metadata)
	}
	err = s.data.Events(ctx, func(ev *eventState) {
		for _, v := range ev.versions[id] {
			out.Versions = append(out.Versions, VersionView{Block: v.Block, Tx: v.Tx.Hex(), MetadataHash: v.MetadataHash.Hex(),
				Event: map[bool]string{true: "DatasetRegistered", false: "MetadataChanged"}[v.Registered], Certified: v.MetadataHash == certifiedHash})
		}
		for _, sl := range ev.slashes {
			if sl.Data.Id == id {
				out.SlashEvents = append(out.SlashEvents, slashView(sl, out.Path))
			}
		}
	})
	return out, err
}

func (s *Server) connection() ConnectionView {
	return ConnectionView{ChainID: s.data.b.ChainID, Market: s.data.b.Chain.Market().Hex(), Bootstrap: s.data.b.Overlay.Self().String()}
}

func (s *Server) metadataView(e recordEntry, onChain chain.Dataset) *MetadataView {
	m := &e.rec.Signed.Metadata
	hash, _ := ledger.MetadataHash(m)
	v := &MetadataView{
		Version: m.Version, MetadataHash: hash.Hex(), HashMatchesChain: hash == common.Hash(onChain.MetadataHash),
		Schedule: m.Schedule, ScriptHash: m.ScriptHash.Hex(), ScriptBytes: len(m.Script),
		Workers: nodeIDs(m.Workers), Persistence: nodeIDs(m.Persistence),
		Storage:      StorageView{m.Storage.Replicas, m.Storage.RetentionDays, m.Storage.ExpectedBytesPerDay},
		Trial:        TrialView{m.Trial.Enabled, m.Trial.DurationSeconds, m.Trial.RowLimit},
		Schema:       SchemaView{Columns: []ColumnView{}, PrimaryKey: append([]string{}, m.Schema.PrimaryKey...), Indexes: []IndexView{}},
		CreatedBlock: e.rec.CreatedBlock, UpdatedBlock: e.rec.UpdatedBlock, UpdatedSeq: e.rec.UpdatedSeq,
	}
	if a, err := e.rec.Signed.Signer(s.data.b.ChainID); err == nil {
		v.Signer = a.Hex()
	}
	for _, c := range m.Schema.Columns {
		v.Schema.Columns = append(v.Schema.Columns, ColumnView{c.Name, c.Type.String(), c.Encryption.String(), c.Nullable})
	}
	for _, ix := range m.Schema.Indexes {
		v.Schema.Indexes = append(v.Schema.Indexes, IndexView{ix.Name, append([]string{}, ix.Columns...)})
	}
	return v
}

func recordView(e recordEntry) *RecordView {
	c := e.cr.Certificate
	v := &RecordView{Key: e.cr.Key.Hex(), Encoded: hex.EncodeToString(e.encoded), Proof: []string{},
		Certificate: CertificateView{Epoch: c.Epoch, Seq: c.Seq, StateRoot: c.StateRoot.Hex(), Signers: []string{}},
		Verified:    true, VerifiedAtBlock: e.block,
		VerifiedBy: fmt.Sprintf("a quorum of epoch %d's validators (as the chain records them at block %d) signed the checkpoint, and the Merkle proof ties the record to its state root", c.Epoch, e.block),
	}
	for _, p := range e.cr.Proof {
		v.Proof = append(v.Proof, hex.EncodeToString(p))
	}
	for _, sig := range c.Signatures {
		v.Certificate.Signers = append(v.Certificate.Signers, sig.Signer.String())
	}
	return v
}

func nodeIDs(ids []identity.NodeID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

// nodeAnswers asks the dataset's workers and persistence nodes what they
// do with it.
func (s *Server) nodeAnswers(ctx context.Context, id common.Hash, m *ledger.Metadata) []NodeAnswer {
	type named struct {
		id   identity.NodeID
		role nodeinfo.Role
	}
	var all []named
	var keys []infoKey
	for _, w := range m.Workers {
		all = append(all, named{w, nodeinfo.RoleWorker})
		keys = append(keys, infoKey{w, id})
	}
	for _, p := range m.Persistence {
		all = append(all, named{p, nodeinfo.RolePersistence})
		keys = append(keys, infoKey{p, id})
	}
	answers := s.data.Infos(ctx, keys)
	out := make([]NodeAnswer, 0, len(all))
	for _, n := range all {
		e := answers[infoKey{n.id, id}]
		a := NodeAnswer{ID: n.id.String(), Role: string(n.role), RTTMillis: e.rtt.Milliseconds()}
		if e.err != nil {
			a.Error = e.err.Error()
			out = append(out, a)
			continue
		}
		a.Answered = true
		if n.role == nodeinfo.RoleWorker {
			a.KnownVersion, a.JobVersion = e.resp.Worker.KnownVersion, e.resp.Worker.JobVersion
			if runs := e.resp.Worker.Runs; len(runs) > 0 {
				last := runs[0] // newest first
				a.LastRun = fmt.Sprintf("version %d: %s, %d rows, %d/%d nodes", last.Version, last.Status, last.Rows, last.NodesOK, last.NodesTotal)
			}
		} else {
			a.KnownVersion = e.resp.Persistence.KnownVersion
			for _, t := range e.resp.Persistence.Tables {
				if t.Serving {
					a.ServingVersion, a.Rows, a.RowsCapped = t.Version, t.Rows, t.RowsCapped
				}
			}
		}
		out = append(out, a)
	}
	return out
}

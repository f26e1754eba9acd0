package httpapi

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/node"
)

// ValidatorsView is the validator sets the chain records, newest epoch
// first, with the current epoch's validators' liveness as this node sees it.
type ValidatorsView struct {
	ConfirmedBlock uint64       `json:"confirmed_block"`
	CurrentEpoch   uint64       `json:"current_epoch"`
	Epochs         []EpochView  `json:"epochs"`
	Pending        *PendingView `json:"pending,omitempty"`
}

// EpochView is one epoch's validator set.
type EpochView struct {
	Epoch uint64 `json:"epoch"`
	// Quorum signs checkpoints; SlashThreshold signatures slash on chain.
	Quorum         int             `json:"quorum"`
	SlashThreshold int             `json:"slash_threshold"`
	Current        bool            `json:"current"`
	EndedAt        *time.Time      `json:"ended_at,omitempty"`
	Members        []ValidatorView `json:"members"`
}

// ValidatorView is one validator.
type ValidatorView struct {
	NodeID    string `json:"node_id"`
	Account   string `json:"account"`
	PublicKey string `json:"public_key"`
	// Liveness is set for the current epoch's validators.
	Liveness *Liveness `json:"liveness,omitempty"`
}

// Liveness is whether a node answered this node's enigma/node/info/v1
// within 2 s (answers are reused for InfoTTL).
type Liveness struct {
	Answered  bool      `json:"answered"`
	Error     string    `json:"error,omitempty"`
	RTTMillis int64     `json:"rtt_ms"`
	Roles     []string  `json:"roles"`
	CheckedAt time.Time `json:"checked_at"`
}

// PendingView is a validator set announced for the next epoch.
type PendingView struct {
	Epoch       uint64    `json:"epoch"`
	ActivatesAt time.Time `json:"activates_at"`
	Accounts    []string  `json:"accounts"`
}

func livenessOf(e infoEntry) *Liveness {
	l := &Liveness{Answered: e.err == nil, RTTMillis: e.rtt.Milliseconds(), Roles: []string{}, CheckedAt: e.at.UTC()}
	if e.err != nil {
		l.Error = e.err.Error()
	} else {
		l.Roles = append(l.Roles, e.resp.Roles...)
	}
	return l
}

func (s *Server) getValidators(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r.URL.Query(), nil); err != nil {
		s.writeFailure(w, r, err)
		return
	}
	v, err := s.validators(r.Context())
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	writeJSON(w, r, v)
}

func (s *Server) validators(ctx context.Context) (*ValidatorsView, error) {
	b := s.data.b
	block, err := b.View.ConfirmedBlock(ctx)
	if err != nil {
		return nil, err
	}
	current, _, err := b.View.CurrentEpoch(ctx)
	if err != nil {
		return nil, err
	}
	out := &ValidatorsView{ConfirmedBlock: block, CurrentEpoch: current.Epoch, Epochs: []EpochView{}}
	for epoch := current.Epoch; epoch >= 1 && len(out.Epochs) < MaxEpochs; epoch-- {
		vs, threshold, err := b.View.EpochSet(ctx, epoch)
		if err != nil {
			return nil, err
		}
		if vs == nil {
			continue
		}
		ev := EpochView{Epoch: epoch, Quorum: vs.Quorum(), SlashThreshold: threshold, Current: epoch == current.Epoch, Members: []ValidatorView{}}
		if at, ended, err := b.Chain.EpochEndedAt(ctx, epoch); err != nil {
			return nil, err
		} else if ended {
			at = at.UTC()
			ev.EndedAt = &at
		}
		var keys []infoKey
		for _, m := range vs.Members {
			ev.Members = append(ev.Members, ValidatorView{NodeID: m.ID.String(), Account: m.Account.Hex(), PublicKey: hex.EncodeToString(m.PublicKey)})
			keys = append(keys, infoKey{node: m.ID})
		}
		if ev.Current {
			answers := s.data.Infos(ctx, keys)
			for i, k := range keys {
				ev.Members[i].Liveness = livenessOf(answers[k])
			}
		}
		out.Epochs = append(out.Epochs, ev)
	}
	if p, ok, err := b.Chain.PendingValidatorSet(ctx, nil); err != nil {
		return nil, err
	} else if ok {
		pv := &PendingView{Epoch: p.Epoch, ActivatesAt: p.ActivatesAt.UTC(), Accounts: []string{}}
		for _, a := range p.Accounts {
			pv.Accounts = append(pv.Accounts, a.Hex())
		}
		out.Pending = pv
	}
	return out, nil
}

// PoliceView is the slashes the chain recorded, each with the validators'
// attestations that authorised it.
type PoliceView struct {
	Slashes []SlashView `json:"slashes"`
}

// SlashView is one Slashed event.
type SlashView struct {
	Dataset       string `json:"dataset_id"`
	Path          string `json:"dataset,omitempty"`
	Epoch         uint64 `json:"epoch"`
	Offence       string `json:"offence"`
	Amount        Amount `json:"amount"`
	Affected      string `json:"affected_subscribers"`
	PerSubscriber Amount `json:"per_subscriber"`
	Block         uint64 `json:"block"`
	Tx            string `json:"tx_hash"`
	// Attestations are the validators whose signatures the slash carried
	// (police endpoint only); AttestationsError says why they could not be
	// read.
	Attestations      *AttestationsView `json:"attestations,omitempty"`
	AttestationsError string            `json:"attestations_error,omitempty"`
}

// AttestationsView is who attested an offence: the signatures a slash
// transaction carried. Verified: each recovers, over the slash's digest, to
// an account of the epoch's validator set as the chain records it.
type AttestationsView struct {
	Epoch     uint64         `json:"epoch"`
	Attesters []AttesterView `json:"attesters"`
	Verified  bool           `json:"verified"`
}

// AttesterView is one attesting validator.
type AttesterView struct {
	Account string `json:"account"`
	// NodeID is empty when the account is not one of the epoch's validators.
	NodeID string `json:"node_id,omitempty"`
}

func slashView(sl slashEvent, path string) SlashView {
	offence := common.Hash(sl.Data.Offence).Hex()
	if o, ok := node.LedgerOffence(sl.Data.Offence); ok {
		offence = o.String()
	}
	return SlashView{Dataset: common.Hash(sl.Data.Id).Hex(), Path: path, Epoch: sl.Data.Epoch, Offence: offence,
		Amount: amountOf(sl.Data.Amount), Affected: sl.Data.Affected.String(), PerSubscriber: amountOf(sl.Data.PerSubscriber),
		Block: sl.Block, Tx: sl.Tx.Hex()}
}

func (s *Server) getPolice(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r.URL.Query(), nil); err != nil {
		s.writeFailure(w, r, err)
		return
	}
	v, err := s.police(r.Context())
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	writeJSON(w, r, v)
}

func (s *Server) police(ctx context.Context) (*PoliceView, error) {
	_, items, err := s.data.Listing(ctx)
	if err != nil {
		return nil, err
	}
	paths := make(map[common.Hash]string, len(items))
	for _, l := range items {
		paths[l.Dataset.Id] = dataset.Path{Provider: l.Dataset.Provider, Name: l.Dataset.Name}.String()
	}
	var slashes []slashEvent
	if err := s.data.Events(ctx, func(ev *eventState) { slashes = slices.Clone(ev.slashes) }); err != nil {
		return nil, err
	}
	out := &PoliceView{Slashes: []SlashView{}}
	for i := len(slashes) - 1; i >= 0; i-- { // newest first
		sl := slashes[i]
		v := slashView(sl, paths[sl.Data.Id])
		if o, err := s.data.Attestations(ctx, sl); err != nil {
			v.AttestationsError = err.Error()
		} else {
			v.Attestations = o
		}
		out.Slashes = append(out.Slashes, v)
	}
	return out, nil
}

// Attestations reads who authorised a slash: the validator signatures the
// slash transaction carried, recovered against its slash digest
// (chain.SlashSigners) and matched to the validator set the chain records
// for the slash's epoch. Found answers are kept: a transaction never
// changes.
func (d *Data) Attestations(ctx context.Context, sl slashEvent) (*AttestationsView, error) {
	d.mu.Lock()
	o, ok := d.mu.attestations[sl.Tx]
	d.mu.Unlock()
	if ok {
		return o, nil
	}
	signers, err := d.b.Chain.SlashSigners(ctx, sl.Tx)
	if err != nil {
		return nil, err
	}
	vs, _, err := d.b.View.EpochSet(ctx, sl.Data.Epoch)
	if err != nil {
		return nil, err
	}
	if vs == nil {
		return nil, fmt.Errorf("the chain defines no validator epoch %d", sl.Data.Epoch)
	}
	o = &AttestationsView{Epoch: sl.Data.Epoch, Attesters: []AttesterView{}, Verified: true}
	for _, a := range signers {
		at := AttesterView{Account: a.Hex()}
		for _, m := range vs.Members {
			if m.Account == a {
				at.NodeID = m.ID.String()
			}
		}
		if at.NodeID == "" {
			o.Verified = false // the contract would have refused it: say so rather than hide it
		}
		o.Attesters = append(o.Attesters, at)
	}
	d.mu.Lock()
	if len(d.mu.attestations) >= maxCached {
		clear(d.mu.attestations)
	}
	d.mu.attestations[sl.Tx] = o
	d.mu.Unlock()
	return o, nil
}

// NetworkView is the network as this node sees it: the newest checkpoint
// among the records it verified, and what each dataset's nodes answer.
type NetworkView struct {
	Checkpoint *CertificateView `json:"checkpoint,omitempty"`
	Datasets   int              `json:"datasets"`
	Probes     []ProbeView      `json:"probes"`
}

// ProbeView is one dataset's node as this node probed it.
type ProbeView struct {
	Dataset string `json:"dataset"`
	NodeAnswer
}

// MaxNetworkDatasets bounds the datasets whose nodes the network answer
// probes: the top of the ranking.
const MaxNetworkDatasets = 50

func (s *Server) getNetwork(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r.URL.Query(), nil); err != nil {
		s.writeFailure(w, r, err)
		return
	}
	v, err := s.network(r.Context())
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	writeJSON(w, r, v)
}

func (s *Server) network(ctx context.Context) (*NetworkView, error) {
	_, items, err := s.data.Listing(ctx)
	if err != nil {
		return nil, err
	}
	byRank, _ := ranked(items)
	byRank = byRank[:min(len(byRank), MaxNetworkDatasets)]
	ids := make([]common.Hash, len(byRank))
	for i, l := range byRank {
		ids[i] = l.Dataset.Id
	}
	recs := s.data.Records(ctx, ids)
	out := &NetworkView{Datasets: len(items), Probes: []ProbeView{}}
	for i, id := range ids {
		e := recs[id]
		if e.err != nil {
			continue
		}
		c := e.cr.Certificate
		if out.Checkpoint == nil || c.Seq > out.Checkpoint.Seq {
			cv := recordView(e).Certificate
			out.Checkpoint = &cv
		}
		path := dataset.Path{Provider: byRank[i].Dataset.Provider, Name: byRank[i].Dataset.Name}.String()
		for _, a := range s.nodeAnswers(ctx, id, &e.rec.Signed.Metadata) {
			out.Probes = append(out.Probes, ProbeView{Dataset: path, NodeAnswer: a})
		}
	}
	return out, nil
}

// StatusView is the serving node's own state.
type StatusView struct {
	NodeID         string         `json:"node_id"`
	Roles          []string       `json:"roles"`
	Overlay        OverlayStatus  `json:"overlay"`
	Chain          ChainStatus    `json:"chain"`
	Validator      *ReplicaStatus `json:"validator,omitempty"`
	UptimeSeconds  int64          `json:"uptime_seconds"`
	Connect        ConnectionView `json:"connect"`
	RecordTTL      string         `json:"record_ttl"`
	NodeAnswersTTL string         `json:"node_answers_ttl"`
}

// OverlayStatus is the node's place in the overlay.
type OverlayStatus struct {
	Address  string `json:"address"`
	Contacts int    `json:"contacts"`
}

// ChainStatus is what the node follows on chain.
type ChainStatus struct {
	ChainID        uint64 `json:"chain_id"`
	Market         string `json:"market"`
	Token          string `json:"token"`
	HeadBlock      uint64 `json:"head_block"`
	ConfirmedBlock uint64 `json:"confirmed_block"`
	Confirmations  uint64 `json:"confirmations"`
	Epoch          uint64 `json:"epoch"`
}

// ReplicaStatus is a validator's PBFT replica.
type ReplicaStatus struct {
	Epoch            uint64 `json:"epoch"`
	Member           bool   `json:"member"`
	Joining          bool   `json:"joining"`
	View             uint64 `json:"view"`
	InViewChange     bool   `json:"in_view_change"`
	StableCheckpoint uint64 `json:"stable_checkpoint"`
	LastExecuted     uint64 `json:"last_executed"`
	StateDigest      string `json:"state_digest"`
}

func (s *Server) getStatus(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r.URL.Query(), nil); err != nil {
		s.writeFailure(w, r, err)
		return
	}
	v, err := s.status(r.Context())
	if err != nil {
		s.writeFailure(w, r, err)
		return
	}
	writeJSON(w, r, v)
}

func (s *Server) status(ctx context.Context) (*StatusView, error) {
	b := s.data.b
	head, err := b.Chain.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	confirmed, err := b.View.ConfirmedBlock(ctx)
	if err != nil {
		return nil, err
	}
	epoch, err := b.Chain.Epoch(ctx, nil)
	if err != nil {
		return nil, err
	}
	out := &StatusView{
		NodeID: b.Self.String(), Roles: []string{},
		Overlay:       OverlayStatus{Address: b.Overlay.Self().String(), Contacts: len(b.Overlay.Contacts())},
		Chain:         ChainStatus{ChainID: b.ChainID, Market: b.Chain.Market().Hex(), Token: b.Chain.Token().Hex(), HeadBlock: head, ConfirmedBlock: confirmed, Confirmations: b.View.Confirmations(), Epoch: epoch},
		UptimeSeconds: int64(s.data.now().Sub(s.data.started).Seconds()),
		Connect:       s.connection(), RecordTTL: RecordTTL.String(), NodeAnswersTTL: InfoTTL.String(),
	}
	for _, r := range b.Roles {
		out.Roles = append(out.Roles, string(r))
	}
	if b.Validator != nil {
		st := b.Validator.Status()
		out.Validator = &ReplicaStatus{Epoch: st.Epoch, Member: st.Member, Joining: st.Joining, View: st.View, InViewChange: st.InViewChange,
			StableCheckpoint: st.LowWater, LastExecuted: st.LastExecuted, StateDigest: hex.EncodeToString(st.StateDigest[:])}
	}
	return out, nil
}

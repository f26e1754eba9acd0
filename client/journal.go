package client

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/signing"
)

// A listing or an update is a sequence of steps across the chain and the
// network; a process can die between any two. The provider's journal
// (<datadir>/listings/<dataset ID>.json, 0600) records the metadata being
// certified, the chain parameters and each step as it completes, so the
// same command run again — or `enigma provider resume` — continues from the
// first step not done. Every step also checks the world before it acts (is
// the dataset registered on chain? does the chain hold this metadata
// hash? is the version certified?), so a step whose effect landed but
// whose record did not (a crash between a transaction and the journal
// write) is found done, never repeated: nothing is paid twice.

// Step names.
const (
	StepPreflight = "preflight"
	StepApprove   = "approve"
	StepRegister  = "register"
	StepSetHash   = "set-metadata-hash"
	StepKeys      = "keys"
	StepCertify   = "certify"
	StepPublish   = "publish"
)

// Kinds of journal.
const (
	KindRegister = "register"
	KindUpdate   = "update"
)

// Step is one step of a journal.
type Step struct {
	Name   string    `json:"name"`
	Done   bool      `json:"done"`
	At     time.Time `json:"at,omitzero"`
	Detail string    `json:"detail,omitempty"`
}

// Journal is a listing's or an update's progress.
type Journal struct {
	Kind    string      `json:"kind"`
	Dataset string      `json:"dataset"`
	ID      common.Hash `json:"id"`
	Version uint64      `json:"version"`
	// Metadata is the RLP of the ledger.Metadata being certified, in hex;
	// MetadataHash its hash (what the chain must hold).
	Metadata     string       `json:"metadata"`
	MetadataHash common.Hash  `json:"metadata_hash"`
	Price        string       `json:"price,omitempty"`   // base units
	Deposit      string       `json:"deposit,omitempty"` // base units
	Payouts      []JournalPay `json:"payouts,omitempty"`
	TrialSeconds uint64       `json:"trial_seconds,omitempty"`
	Steps        []Step       `json:"steps"`
	Started      time.Time    `json:"started"`
	Finished     time.Time    `json:"finished,omitzero"`

	path string
}

// JournalPay is one payout share in a journal.
type JournalPay struct {
	Account common.Address `json:"account"`
	Bps     uint16         `json:"bps"`
}

// JournalPath is where a datadir keeps a dataset's journal.
func JournalPath(datadir string, id common.Hash) string {
	return filepath.Join(datadir, "listings", id.Hex()+".json")
}

// LoadJournal reads a journal; ok is false when there is none.
func LoadJournal(path string) (j *Journal, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read the listing journal: %w", err)
	}
	j = &Journal{path: path}
	if err := json.Unmarshal(b, j); err != nil {
		return nil, false, fmt.Errorf("the listing journal %s is damaged: %w (move it away; the chain and the ledger still say what was done)", path, err)
	}
	if _, err := j.Meta(); err != nil {
		return nil, false, fmt.Errorf("the listing journal %s is damaged: %w (move it away; the chain and the ledger still say what was done)", path, err)
	}
	return j, true, nil
}

// newJournal starts a journal for m.
func newJournal(path, kind string, m *ledger.Metadata, hash common.Hash, l *Listing) (*Journal, error) {
	enc, err := signing.Encode(m)
	if err != nil {
		return nil, err
	}
	j := &Journal{Kind: kind, Dataset: m.Path().String(), ID: m.ID(), Version: m.Version, Metadata: hex.EncodeToString(enc),
		MetadataHash: hash, Started: time.Now().UTC(), path: path}
	if l != nil {
		j.Price, j.Deposit, j.TrialSeconds = bigString(l.Price), bigString(l.Deposit), uint64(l.TrialPeriod/time.Second)
		for _, p := range l.Payouts {
			j.Payouts = append(j.Payouts, JournalPay{Account: p.Account, Bps: p.Bps})
		}
	}
	steps := []string{StepPreflight, StepApprove, StepRegister, StepKeys, StepCertify, StepPublish}
	if kind == KindUpdate {
		steps = []string{StepPreflight, StepSetHash, StepKeys, StepCertify, StepPublish}
	}
	for _, s := range steps {
		j.Steps = append(j.Steps, Step{Name: s})
	}
	return j, nil
}

func bigString(v *big.Int) string {
	if v == nil {
		return ""
	}
	return v.String()
}

// Meta decodes the journal's metadata.
func (j *Journal) Meta() (*ledger.Metadata, error) {
	b, err := hex.DecodeString(j.Metadata)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	var m ledger.Metadata
	if err := signing.Decode(b, &m, ledger.MaxCommandSize); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return &m, nil
}

// Listing returns the chain parameters the journal recorded (with keys nil).
func (j *Journal) Listing() (Listing, error) {
	m, err := j.Meta()
	if err != nil {
		return Listing{}, err
	}
	l := Listing{Metadata: *m, TrialPeriod: time.Duration(j.TrialSeconds) * time.Second}
	var ok bool
	if j.Price != "" {
		if l.Price, ok = new(big.Int).SetString(j.Price, 10); !ok {
			return Listing{}, fmt.Errorf("the journal's price %q is not a number", j.Price)
		}
	}
	if j.Deposit != "" {
		if l.Deposit, ok = new(big.Int).SetString(j.Deposit, 10); !ok {
			return Listing{}, fmt.Errorf("the journal's deposit %q is not a number", j.Deposit)
		}
	}
	for _, p := range j.Payouts {
		l.Payouts = append(l.Payouts, chain.Payout{Account: p.Account, Bps: p.Bps})
	}
	return l, nil
}

// Step returns a step by name.
func (j *Journal) Step(name string) *Step {
	for i := range j.Steps {
		if j.Steps[i].Name == name {
			return &j.Steps[i]
		}
	}
	return nil
}

// Done reports whether a step is done.
func (j *Journal) Done(name string) bool {
	s := j.Step(name)
	return s != nil && s.Done
}

// Complete reports whether every step is done.
func (j *Journal) Complete() bool { return !j.Finished.IsZero() }

// mark records a step as done and saves the journal.
func (j *Journal) mark(name, detail string) error {
	if s := j.Step(name); s != nil {
		s.Done, s.At, s.Detail = true, time.Now().UTC(), detail
	}
	return j.save()
}

// finish records the end and saves.
func (j *Journal) finish() error {
	j.Finished = time.Now().UTC()
	return j.save()
}

// save writes the journal atomically (a crash leaves the old or the new
// one), 0600 in a 0700 directory.
func (j *Journal) save() error {
	if j.path == "" {
		return nil
	}
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("save the listing journal: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(j.path), ".journal-*.json")
	if err != nil {
		return fmt.Errorf("save the listing journal: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save the listing journal: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save the listing journal: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save the listing journal: %w", err)
	}
	if err := os.Rename(tmp.Name(), j.path); err != nil {
		return fmt.Errorf("save the listing journal: %w", err)
	}
	return nil
}

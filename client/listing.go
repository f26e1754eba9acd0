package client

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/signing"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
)

// ListOptions shape a listing or an update.
type ListOptions struct {
	// Journal is the journal's path ("": none, nothing resumes).
	Journal   string
	Preflight PreflightOptions
	// DryRun stops after the pre-flight: the plan says what would be sent
	// and spent.
	DryRun bool
	// Confirm, if set, sees a plan that passed and has transactions to send,
	// before anything is sent or recorded; an error stops there.
	Confirm func(*Plan) error
	// Breaking allows an update whose schema breaks existing queries.
	Breaking bool
	// Progress hears each step as it completes.
	Progress func(step, detail string)
	// AfterStep, if set, is called once a step is recorded (fault
	// injection: a test stops the process there).
	AfterStep func(step string)
}

func (o *ListOptions) done(j *Journal, step, detail string) error {
	if err := j.mark(step, detail); err != nil {
		return err
	}
	if o.Progress != nil {
		o.Progress(step, detail)
	}
	if o.AfterStep != nil {
		o.AfterStep(step)
	}
	return nil
}

// ErrInProgress: another listing or update of the dataset is half done.
var ErrInProgress = errors.New("another change of this dataset is in progress")

// List lists a new dataset, or continues a listing that stopped: the
// pre-flight (before any transaction), approve and register on chain, the
// column keys to the workers, the metadata certified, the record resolvable
// in the DHT. Each step is recorded in the journal; run again with the
// same listing, it continues from the first step not done.
func (s *Session) List(ctx context.Context, key *ecdsa.PrivateKey, l Listing, o ListOptions) (*ledger.Record, *Plan, error) {
	m := l.Metadata
	m.Provider = crypto.PubkeyToAddress(key.PublicKey)
	m.Version = 1
	m.ScriptHash = crypto.Keccak256Hash(m.Script)
	hash, err := ledger.MetadataHash(&m)
	if err != nil {
		return nil, nil, err
	}
	path := m.Path()
	j, err := s.openJournal(ctx, o.Journal, KindRegister, &m, hash, &l)
	if err != nil {
		return nil, nil, err
	}

	// Where the chain stands: not registered, registered by this listing
	// (a resume), or registered with other metadata.
	registered := false
	d, err := s.Chain.Dataset(ctx, m.ID(), nil)
	switch {
	case errors.Is(err, chain.ErrUnknownDataset):
	case err != nil:
		return nil, nil, err
	case d.MetadataHash == hash:
		registered = true
	default:
		rctx, cancel := context.WithTimeout(ctx, recordProbeTimeout)
		rec, rerr := s.Record(rctx, path)
		cancel()
		if rerr == nil {
			return nil, nil, fmt.Errorf("%s is listed already (version %d is certified): change it with 'enigma provider update %s', or pick another name", path, rec.Signed.Metadata.Version, path.Name)
		}
		return nil, nil, fmt.Errorf("%s is registered on chain with metadata hash %s, but this listing's metadata hashes to %s and nothing is certified yet: run the listing that registered it again with the same arguments (or 'enigma provider resume %s'), or pick another name", path, common.Hash(d.MetadataHash).Hex(), hash.Hex(), path.Name)
	}

	plan := &Plan{Kind: KindRegister, Metadata: m, Hash: hash, Deposit: l.Deposit}
	if l.Keys != nil {
		plan.KeysTo = m.Workers
	}
	plan.Checks = checkOffline(ctx, &m, o.Preflight)
	plan.Checks = append(plan.Checks, s.checkNetwork(ctx, &m)...)
	if !registered {
		plan.Checks = append(plan.Checks, s.planRegister(ctx, plan, &l)...)
	} else {
		plan.Checks = append(plan.Checks, Check{Name: "chain", Detail: fmt.Sprintf("registered already with this metadata hash (deposit %s ENG locked): resuming", chain.FormatENG(d.Deposit))})
	}
	if err := plan.Err(); err != nil || o.DryRun {
		return nil, plan, err
	}
	if o.Confirm != nil && len(plan.Txs) > 0 {
		if err := o.Confirm(plan); err != nil {
			return nil, plan, err
		}
	}
	if err := o.done(j, StepPreflight, fmt.Sprintf("%d checks passed", len(plan.Checks))); err != nil {
		return nil, plan, err
	}

	if !registered {
		if !j.Done(StepApprove) {
			r, err := s.Chain.EnsureAllowance(ctx, key, l.Deposit)
			if err != nil {
				return nil, plan, err
			}
			detail := "allowance sufficed"
			if r != nil {
				detail = "tx " + r.TxHash.Hex()
			}
			if err := o.done(j, StepApprove, detail); err != nil {
				return nil, plan, err
			}
		}
		id, r, err := s.Chain.Register(ctx, key, chain.RegisterParams{
			Name: m.Name, Price: l.Price, Deposit: l.Deposit, MetadataHash: hash, Payouts: l.Payouts, TrialPeriod: l.TrialPeriod,
		})
		if err != nil {
			return nil, plan, err
		}
		if id != m.ID() {
			return nil, plan, fmt.Errorf("the Marketplace registered ID %s, expected %s", id.Hex(), m.ID().Hex())
		}
		s.log.Info("registered on chain", "dataset", path, "id", id.Hex())
		if err := o.done(j, StepRegister, fmt.Sprintf("tx %s, block %s", r.TxHash.Hex(), r.BlockNumber)); err != nil {
			return nil, plan, err
		}
	} else {
		if !j.Done(StepApprove) {
			if err := j.mark(StepApprove, "found registered on chain"); err != nil {
				return nil, plan, err
			}
		}
		if !j.Done(StepRegister) {
			if err := o.done(j, StepRegister, "found registered on chain with this metadata hash"); err != nil {
				return nil, plan, err
			}
		}
	}
	rec, err := s.certifySteps(ctx, key, &m, hash, ledger.CmdRegister, l.Keys, j, &o)
	return rec, plan, err
}

// recordProbeTimeout bounds a look for a record that may not exist.
const recordProbeTimeout = 10 * time.Second

// planRegister adds the register's transactions and checks the account
// can pay for them: the deposit in ENG, the gas in ETH.
func (s *Session) planRegister(ctx context.Context, plan *Plan, l *Listing) []Check {
	var out []Check
	me := plan.Metadata.Provider
	bal, err := s.Chain.TokenBalance(ctx, me)
	if err != nil {
		return []Check{{Name: "balance", Err: err}}
	}
	allowed, err := s.Chain.Allowance(ctx, me)
	if err != nil {
		return []Check{{Name: "balance", Err: err}}
	}
	c := Check{Name: "ENG", Detail: fmt.Sprintf("balance %s ENG, deposit %s ENG", chain.FormatENG(bal), chain.FormatENG(l.Deposit))}
	if bal.Cmp(l.Deposit) < 0 {
		c.Err = fmt.Errorf("account %s holds %s ENG, the deposit is %s ENG: get ENG to it first ('enigma account send --eng' from a funded account)", me.Hex(), chain.FormatENG(bal), chain.FormatENG(l.Deposit))
	}
	out = append(out, c)
	approve := allowed.Cmp(l.Deposit) < 0
	params := chain.RegisterParams{Name: plan.Metadata.Name, Price: l.Price, Deposit: l.Deposit, MetadataHash: plan.Hash, Payouts: l.Payouts, TrialPeriod: l.TrialPeriod}
	if approve {
		gas, err := s.Chain.EstimateApprove(ctx, me, l.Deposit)
		if err != nil {
			gas = chain.ApproveGasBound
		}
		plan.Txs = append(plan.Txs, PlannedTx{What: fmt.Sprintf("approve the Marketplace to spend %s ENG", chain.FormatENG(l.Deposit)), Gas: gas, Bound: err != nil})
		plan.Txs = append(plan.Txs, PlannedTx{What: "register " + plan.Metadata.Name + " (locks the deposit)", Gas: chain.RegisterGasBound, Bound: true})
	} else {
		gas, err := s.Chain.EstimateRegister(ctx, me, params)
		if err != nil {
			out = append(out, Check{Name: "register", Err: fmt.Errorf("the Marketplace would refuse the register: %w", err)})
			gas = chain.RegisterGasBound
		}
		plan.Txs = append(plan.Txs, PlannedTx{What: "register " + plan.Metadata.Name + " (locks the deposit)", Gas: gas, Bound: err != nil})
	}
	return append(out, s.checkGas(ctx, plan, me))
}

// checkGas sums the plan's gas and checks the account's ether covers it.
func (s *Session) checkGas(ctx context.Context, plan *Plan, me common.Address) Check {
	c := Check{Name: "ETH"}
	fee, err := s.Chain.MaxFeePerGas(ctx)
	if err != nil {
		c.Err = err
		return c
	}
	var gas uint64
	for _, tx := range plan.Txs {
		gas += tx.Gas
	}
	plan.MaxFeePerGas = fee
	plan.MaxETH = new(big.Int).Mul(fee, new(big.Int).SetUint64(gas))
	eth, err := s.Chain.ETHBalance(ctx, me)
	if err != nil {
		c.Err = err
		return c
	}
	c.Detail = fmt.Sprintf("balance %s ETH, the transactions cost at most %s ETH (%d gas)", chain.FormatETH(eth), chain.FormatETH(plan.MaxETH), gas)
	if eth.Cmp(plan.MaxETH) < 0 {
		c.Err = fmt.Errorf("account %s holds %s ETH, the transactions may cost %s ETH in gas: send it ether first ('enigma account send --eth --to %s --amount 0.05' from a funded account)", me.Hex(), chain.FormatETH(eth), chain.FormatETH(plan.MaxETH), me.Hex())
	}
	return c
}

// openJournal loads the dataset's journal, refusing to start over a
// half-done change with other metadata whose chain step is done (it would
// pay again or strand the first); a fresh journal is saved only once the
// pre-flight passed.
func (s *Session) openJournal(ctx context.Context, path, kind string, m *ledger.Metadata, hash common.Hash, l *Listing) (*Journal, error) {
	fresh, err := newJournal(path, kind, m, hash, l)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return fresh, nil
	}
	j, ok, err := LoadJournal(path)
	if err != nil || !ok || j.Complete() {
		return fresh, err
	}
	if j.Kind == kind && j.MetadataHash == hash {
		return j, nil // the same change: resume it
	}
	chainStep := StepRegister
	if j.Kind == KindUpdate {
		chainStep = StepSetHash
	}
	if j.Done(chainStep) {
		return nil, fmt.Errorf("%w: %s of %s to version %d (metadata hash %s) is half done, its chain step sent; finish it first with 'enigma provider resume %s', then change it with 'enigma provider update' (journal %s)",
			ErrInProgress, j.Kind, j.Dataset, j.Version, j.MetadataHash.Hex(), m.Name, path)
	}
	return fresh, nil // nothing was sent for it: start over
}

// certifySteps are the steps after the chain holds the metadata hash: the
// keys to the workers, the metadata certified, the record published.
func (s *Session) certifySteps(ctx context.Context, key *ecdsa.PrivateKey, m *ledger.Metadata, hash common.Hash, kind ledger.CommandKind, keys *colcrypt.Keys, j *Journal, o *ListOptions) (*ledger.Record, error) {
	path := m.Path()
	if !j.Done(StepKeys) {
		detail := "no encrypted columns"
		if keys != nil {
			for _, w := range m.Workers {
				if err := workerkeys.DeliverKeys(ctx, s.Overlay.Host(), key, s.ChainID, m.ID(), w, keys); err != nil {
					return nil, fmt.Errorf("%w (the listing is recorded; run the same command again, or 'enigma provider resume %s', once the worker answers)", err, m.Name)
				}
			}
			detail = fmt.Sprintf("to %d worker(s)", len(m.Workers))
		}
		if err := o.done(j, StepKeys, detail); err != nil {
			return nil, err
		}
	}
	if !j.Done(StepCertify) {
		detail, err := s.certifyOnce(ctx, key, m, hash, kind)
		if err != nil {
			return nil, err
		}
		if err := o.done(j, StepCertify, detail); err != nil {
			return nil, err
		}
	}
	rec, err := s.waitRecord(ctx, path, m.Version)
	if err != nil {
		return nil, fmt.Errorf("%w (the metadata is certified; run the same command again to wait for it)", err)
	}
	if err := o.done(j, StepPublish, fmt.Sprintf("version %d at ledger sequence %d", rec.Signed.Metadata.Version, rec.UpdatedSeq)); err != nil {
		return nil, err
	}
	return rec, j.finish()
}

// certifyOnce has the validators certify m, unless they already did: it
// checks that the chain holds m's hash (the validators check it too),
// submits the command and takes a refusal that says the version is in the
// ledger already as done.
func (s *Session) certifyOnce(ctx context.Context, key *ecdsa.PrivateKey, m *ledger.Metadata, hash common.Hash, kind ledger.CommandKind) (string, error) {
	rctx, cancel := context.WithTimeout(ctx, recordProbeTimeout)
	rec, err := s.Record(rctx, m.Path())
	cancel()
	if err == nil && rec.Signed.Metadata.Version >= m.Version {
		return fmt.Sprintf("version %d found certified", rec.Signed.Metadata.Version), nil
	}
	d, err := s.Chain.Dataset(ctx, m.ID(), nil)
	if err != nil {
		return "", err
	}
	if d.MetadataHash != hash {
		return "", fmt.Errorf("the chain holds metadata hash %s for %s, but version %d hashes to %s: the validators would refuse it; the chain step did not land (run the command again) or another change replaced it (see 'enigma provider status %s')",
			common.Hash(d.MetadataHash).Hex(), m.Path(), m.Version, hash.Hex(), m.Name)
	}
	sm, err := ledger.SignMetadata(key, s.ChainID, *m)
	if err != nil {
		return "", err
	}
	cmd := ledger.RegisterCommand(sm)
	if kind == ledger.CmdUpdate {
		cmd = ledger.UpdateCommand(sm)
	}
	payload, err := cmd.Encode()
	if err != nil {
		return "", err
	}
	if err := s.waitConfirmed(ctx, m.ID(), sm); err != nil {
		return "", err
	}
	peers, err := s.Validators(ctx)
	if err != nil {
		return "", err
	}
	result, err := ledgerclient.SubmitCommand(ctx, s.Overlay.Host(), peers, ledger.AccountSigner{Key: key}, s.ChainID, payload)
	if err != nil {
		return "", err
	}
	switch r := string(result); {
	case r == "ok":
		return fmt.Sprintf("validators accepted version %d (%s)", m.Version, kind), nil
	case strings.Contains(r, ledger.ErrAlreadyRegistered.Error()) && kind == ledger.CmdRegister,
		strings.Contains(r, ledger.ErrStaleVersion.Error()) && kind == ledger.CmdUpdate:
		// An earlier run's command committed; its record is on the way.
		return "the ledger had it already: " + r, nil
	default:
		return "", fmt.Errorf("the validators refused the metadata: %s", r)
	}
}

// Update certifies a new metadata version of a listed dataset: apply
// changes the current certified metadata (nil: resume the journal's
// update). Steps: pre-flight (breaking schema changes need
// o.Breaking), the new metadata hash on chain, the keys to the new
// version's workers, the update certified (validators check the on-chain
// hash), the record published. Workers switch at the new version; the
// persistence nodes serve the old version until the new one's first run
// is complete.
func (s *Session) Update(ctx context.Context, key *ecdsa.PrivateKey, path dataset.Path, apply func(*ledger.Metadata) error, keys *colcrypt.Keys, o ListOptions) (*ledger.Record, *Plan, error) {
	rctx, cancel := context.WithTimeout(ctx, recordProbeTimeout)
	cur, err := s.Record(rctx, path)
	cancel()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: is %s listed? ('enigma provider status %s' shows what is done)", err, path, path.Name)
	}
	old := &cur.Signed.Metadata
	var m ledger.Metadata
	if apply == nil {
		j, ok, err := LoadJournal(o.Journal)
		if err != nil {
			return nil, nil, err
		}
		if !ok || j.Kind != KindUpdate || j.Complete() {
			return nil, nil, fmt.Errorf("no update of %s is in progress", path)
		}
		jm, err := j.Meta()
		if err != nil {
			return nil, nil, err
		}
		m = *jm
	} else {
		if err := copyMetadata(old, &m); err != nil {
			return nil, nil, err
		}
		if err := apply(&m); err != nil {
			return nil, nil, err
		}
		m.Version = old.Version + 1
		m.ScriptHash = crypto.Keccak256Hash(m.Script)
		same := m
		same.Version = old.Version
		if h1, _ := ledger.MetadataHash(&same); h1 == mustHash(old) {
			return nil, nil, fmt.Errorf("nothing to change: version %d of %s already has this script, schema, schedule and nodes", old.Version, path)
		}
	}
	hash, err := ledger.MetadataHash(&m)
	if err != nil {
		return nil, nil, err
	}
	if cur.Signed.Metadata.Version >= m.Version {
		// A resumed update that the ledger already holds.
		if j, ok, _ := LoadJournal(o.Journal); ok && !j.Complete() && j.MetadataHash == hash {
			if err := j.finish(); err != nil {
				return nil, nil, err
			}
		}
		return cur, nil, nil
	}
	j, err := s.openJournal(ctx, o.Journal, KindUpdate, &m, hash, nil)
	if err != nil {
		return nil, nil, err
	}
	if !m.Schema.HasEncryptedColumns() {
		keys = nil // nothing to encrypt: the workers need no keys
	}
	plan := &Plan{Kind: KindUpdate, Metadata: m, Hash: hash}
	if keys != nil {
		plan.KeysTo = m.Workers
	}
	if breaking := BreakingChanges(&old.Schema, &m.Schema); len(breaking) > 0 {
		c := Check{Name: "compatibility", Detail: strings.Join(breaking, "; ")}
		if !o.Breaking {
			c.Err = fmt.Errorf("the new schema breaks existing subscribers' queries (%s): say --breaking if that is intended", strings.Join(breaking, "; "))
		} else {
			c.Warn = true
		}
		plan.Checks = append(plan.Checks, c)
	}
	o.Preflight.Keys = keys
	plan.Checks = append(plan.Checks, checkOffline(ctx, &m, o.Preflight)...)
	plan.Checks = append(plan.Checks, s.checkNetwork(ctx, &m)...)
	d, err := s.Chain.Dataset(ctx, m.ID(), nil)
	if err != nil {
		return nil, nil, err
	}
	hashSet := d.MetadataHash == hash
	if !hashSet {
		gas, err := s.Chain.EstimateSetMetadataHash(ctx, m.Provider, m.ID(), hash)
		if err != nil {
			plan.Checks = append(plan.Checks, Check{Name: "set-metadata-hash", Err: fmt.Errorf("the Marketplace would refuse the new hash: %w", err)})
		}
		plan.Txs = append(plan.Txs, PlannedTx{What: fmt.Sprintf("set the metadata hash of %s to version %d's", m.Name, m.Version), Gas: gas})
		plan.Checks = append(plan.Checks, s.checkGas(ctx, plan, m.Provider))
	}
	if err := plan.Err(); err != nil || o.DryRun {
		return nil, plan, err
	}
	if o.Confirm != nil && len(plan.Txs) > 0 {
		if err := o.Confirm(plan); err != nil {
			return nil, plan, err
		}
	}
	if err := o.done(j, StepPreflight, fmt.Sprintf("%d checks passed", len(plan.Checks))); err != nil {
		return nil, plan, err
	}
	if !hashSet {
		r, err := s.Chain.SetMetadataHash(ctx, key, m.ID(), hash)
		if err != nil {
			return nil, plan, err
		}
		if err := o.done(j, StepSetHash, fmt.Sprintf("tx %s, block %s", r.TxHash.Hex(), r.BlockNumber)); err != nil {
			return nil, plan, err
		}
	} else if !j.Done(StepSetHash) {
		if err := o.done(j, StepSetHash, "found on chain"); err != nil {
			return nil, plan, err
		}
	}
	rec, err := s.certifySteps(ctx, key, &m, hash, ledger.CmdUpdate, keys, j, &o)
	return rec, plan, err
}

func copyMetadata(src, dst *ledger.Metadata) error {
	enc, err := signing.Encode(src)
	if err != nil {
		return err
	}
	return signing.Decode(enc, dst, ledger.MaxCommandSize)
}

func mustHash(m *ledger.Metadata) common.Hash {
	h, _ := ledger.MetadataHash(m)
	return h
}

// WaitServing waits until every persistence node of rec serves rec's
// version (a complete run of it landed), and returns when.
func (s *Session) WaitServing(ctx context.Context, rec *ledger.Record) error {
	m := &rec.Signed.Metadata
	return poll(ctx, 250*time.Millisecond, func() (bool, error) {
		for _, pn := range m.Persistence {
			cctx, cancel := context.WithTimeout(ctx, infoTimeout)
			info, err := nodeinfo.Ask(cctx, s.Overlay.Host(), s.ChainID, pn, m.ID(), nil)
			cancel()
			if err != nil {
				return false, err
			}
			serving := false
			for _, t := range info.Persistence.Tables {
				serving = serving || (t.Serving && t.Version == m.Version && t.HasRun)
			}
			if !serving {
				return false, fmt.Errorf("persistence node %s does not serve version %d yet", pn.Short(), m.Version)
			}
		}
		return true, nil
	})
}

package client

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/worker/schedule"
	"github.com/enigma-mpc/enigma/worker/script"
)

// Check is one pre-flight check.
type Check struct {
	Name   string
	Detail string
	Err    error // nil: passed
	Warn   bool  // passed, with something to look at
}

// PlannedTx is a transaction a listing or update would send.
type PlannedTx struct {
	What string
	Gas  uint64
	// Bound: the gas could not be estimated yet (register before its
	// deposit is approved) and is a measured upper bound.
	Bound bool
}

// Plan is what a listing or an update would send and spend, with the
// pre-flight checks that decide whether it may start.
type Plan struct {
	Kind     string
	Metadata ledger.Metadata
	Hash     common.Hash
	Checks   []Check
	Txs      []PlannedTx
	// Deposit is the ENG the register locks (nil for an update).
	Deposit *big.Int
	// MaxFeePerGas and MaxETH bound what the transactions cost in ether.
	MaxFeePerGas *big.Int
	MaxETH       *big.Int
	// Keys go to the workers (encrypted columns only).
	KeysTo []identity.NodeID
}

// Err is nil when every check passed, else a *PreflightError.
func (p *Plan) Err() error {
	var failed []Check
	for _, c := range p.Checks {
		if c.Err != nil {
			failed = append(failed, c)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return &PreflightError{Failed: failed}
}

// PreflightError lists the checks a listing failed before any transaction.
type PreflightError struct{ Failed []Check }

func (e *PreflightError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "pre-flight: %s failed, so nothing was sent or spent; fix and run the command again:", plural(len(e.Failed), "check"))
	for _, c := range e.Failed {
		fmt.Fprintf(&b, "\n  %s: %v", c.Name, c.Err)
	}
	return b.String()
}

// Unwrap returns the failed checks' errors.
func (e *PreflightError) Unwrap() []error {
	var out []error
	for _, c := range e.Failed {
		out = append(out, c.Err)
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// PreflightOptions are the optional checks.
type PreflightOptions struct {
	// CheckRunDir, if set, runs the script once on the files in it (what
	// the workers' job directory will hold), with the schema and the keys,
	// as a worker would, before anything is sent.
	CheckRunDir string
	CheckRun    bool
	// AllowURLs are the http.get prefixes the check run may fetch.
	AllowURLs []string
	Keys      *colcrypt.Keys
}

// checkOffline runs the checks that need nothing but the metadata.
func checkOffline(ctx context.Context, m *ledger.Metadata, opts PreflightOptions) []Check {
	var out []Check
	add := func(name, detail string, err error) { out = append(out, Check{Name: name, Detail: detail, Err: err}) }
	err := m.Schema.Validate()
	add("schema", fmt.Sprintf("%d columns, primary key %v, %d indexes", len(m.Schema.Columns), m.Schema.PrimaryKey, len(m.Schema.Indexes)), err)
	var enc []string
	for _, c := range m.Schema.Columns {
		if c.Encryption != dataset.EncNone {
			enc = append(enc, c.Name+"="+c.Encryption.String())
		}
	}
	encErr := error(nil)
	if len(enc) > 0 && opts.Keys == nil {
		encErr = errors.New("the schema encrypts columns but no column keys are at hand")
	}
	if len(enc) == 0 {
		enc = []string{"no encrypted columns"}
	}
	add("encryption", strings.Join(enc, ", "), encErr)
	add("schedule", m.Schedule, ledger.CheckSchedule(m.Schedule))
	add("script", fmt.Sprintf("%d bytes, Starlark, defines curate(ctx)", len(m.Script)), script.Compile(m.Name+".star", m.Script))
	if err := m.Check(); err != nil && out[0].Err == nil && out[2].Err == nil && out[3].Err == nil {
		add("metadata", "size limits and node lists", err)
	}
	if dup := overlap(m.Workers, m.Persistence); len(dup) > 0 {
		out = append(out, Check{Name: "roles", Detail: "a node named as worker and persistence node", Warn: true,
			Err: fmt.Errorf("node(s) %s are named both as worker and as persistence node; name each role's nodes once (swapped --workers and --persistence?)", strings.Join(dup, ", "))})
	}
	if opts.CheckRun && out[3].Err == nil && out[0].Err == nil {
		out = append(out, checkRun(ctx, m, opts))
	}
	return out
}

func overlap(a, b []identity.NodeID) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x.Short())
		}
	}
	return out
}

// checkRun runs the script once as a worker would: on the given files, at
// the latest slot of the schedule, rows checked against the schema and
// encrypted with the keys.
func checkRun(ctx context.Context, m *ledger.Metadata, opts PreflightOptions) Check {
	c := Check{Name: "check run"}
	slot := time.Now().UTC()
	if s, err := schedule.Parse(m.Schedule); err == nil {
		if latest, ok := s.LatestSlot(time.Time{}, slot); ok {
			slot = latest
		}
	}
	cfg := script.Config{Dir: opts.CheckRunDir, AllowURLs: opts.AllowURLs}
	res, err := script.Run(ctx, cfg, script.Input{
		Filename: m.Name + ".star", Source: m.Script, Schema: &m.Schema,
		Dataset: m.Path().String(), Version: m.Version, ScheduledAt: slot,
	})
	if err != nil {
		c.Err = fmt.Errorf("the script failed on %s: %w", dirName(opts.CheckRunDir), err)
		return c
	}
	if opts.Keys != nil && m.Schema.HasEncryptedColumns() {
		cipher, err := colcrypt.New(opts.Keys, m.ID())
		if err != nil {
			c.Err = err
			return c
		}
		for i, r := range res.Rows {
			if _, err := cipher.EncryptRow(&m.Schema, i+1, r); err != nil {
				c.Err = fmt.Errorf("row %d does not encrypt: %w", i+1, err)
				return c
			}
		}
	}
	c.Detail = fmt.Sprintf("%d rows for slot %s from %s (%d steps)", len(res.Rows), slot.Format(time.RFC3339), dirName(opts.CheckRunDir), res.Steps)
	if len(res.Rows) == 0 {
		c.Warn = true
		c.Detail += ": no rows — are the input files staged?"
	}
	return c
}

func dirName(d string) string {
	if d == "" {
		return "no input files"
	}
	return d
}

// checkNetwork asks the chain and the nodes: the validators reachable (a
// quorum at least) and each named node serving its role and taking the
// dataset.
func (s *Session) checkNetwork(ctx context.Context, m *ledger.Metadata) []Check {
	var out []Check
	out = append(out, s.checkValidators(ctx))
	out = append(out, s.checkNodes(ctx, node.RoleWorker, m.Workers, m.ID())...)
	out = append(out, s.checkNodes(ctx, node.RolePersistence, m.Persistence, m.ID())...)
	return out
}

// infoTimeout bounds one node's answer in a pre-flight or status report.
const infoTimeout = 5 * time.Second

func (s *Session) checkValidators(ctx context.Context) Check {
	c := Check{Name: "validators"}
	vs, err := s.View.CurrentValidators(ctx)
	if err != nil {
		c.Err = fmt.Errorf("read the validator set from the chain: %w", err)
		return c
	}
	type answer struct {
		id  identity.NodeID
		err error
	}
	answers := make(chan answer, len(vs.Members))
	for _, mem := range vs.Members {
		go func() {
			cctx, cancel := context.WithTimeout(ctx, infoTimeout)
			defer cancel()
			resp, err := node.AskInfo(cctx, s.Overlay.Host(), s.ChainID, mem.ID, common.Hash{}, nil)
			if err == nil && !resp.Serves(node.RoleValidator) {
				err = fmt.Errorf("does not run the validator role (it runs %s)", strings.Join(resp.Roles, ", "))
			}
			answers <- answer{mem.ID, err}
		}()
	}
	var down []string
	for range vs.Members {
		a := <-answers
		if a.err != nil {
			down = append(down, fmt.Sprintf("%s (%v)", a.id.Short(), a.err))
		}
	}
	up := len(vs.Members) - len(down)
	c.Detail = fmt.Sprintf("epoch %d: %d of %d answer, %d needed", vs.Epoch, up, len(vs.Members), vs.Quorum())
	if up < vs.Quorum() {
		c.Err = fmt.Errorf("only %d of the %d validators of epoch %d answer, %d are needed to certify: %s; try again later", up, len(vs.Members), vs.Epoch, vs.Quorum(), strings.Join(down, "; "))
	} else if len(down) > 0 {
		c.Warn = true
		c.Detail += "; not answering: " + strings.Join(down, "; ")
	}
	return c
}

func (s *Session) checkNodes(ctx context.Context, role node.Role, ids []identity.NodeID, ds common.Hash) []Check {
	out := make([]Check, len(ids))
	done := make(chan struct{}, len(ids))
	for i, id := range ids {
		go func() {
			defer func() { done <- struct{}{} }()
			c := Check{Name: fmt.Sprintf("%s %s", role, id.Short())}
			cctx, cancel := context.WithTimeout(ctx, infoTimeout)
			defer cancel()
			resp, err := node.AskInfo(cctx, s.Overlay.Host(), s.ChainID, id, ds, nil)
			switch {
			case err != nil:
				c.Err = fmt.Errorf("node %s does not answer: %w (is it running, and is the ID right?)", id.Short(), err)
			case !resp.Serves(role):
				c.Err = fmt.Errorf("node %s does not run the %s role (it runs %s)%s", id.Short(), role, strings.Join(resp.Roles, ", "), swapHint(role, resp))
			case role == node.RoleWorker && !resp.Worker.Accepts:
				c.Err = fmt.Errorf("worker %s does not take the dataset: %s", id.Short(), resp.Worker.Refusal)
			case role == node.RolePersistence && !resp.Persistence.Accepts:
				c.Err = fmt.Errorf("persistence node %s does not take the dataset: %s", id.Short(), resp.Persistence.Refusal)
			case role == node.RoleWorker:
				c.Detail = fmt.Sprintf("runs the worker role; %d input file(s) staged", resp.Worker.StagedFiles)
				if resp.Worker.StagedFiles == 0 {
					c.Warn = true
					c.Detail += " (if the script reads files, stage them: enigma worker put-files on the worker)"
				}
			default:
				c.Detail = "runs the persistence role"
			}
			out[i] = c
		}()
	}
	for range ids {
		<-done
	}
	return out
}

func swapHint(role node.Role, resp *node.InfoResponse) string {
	switch {
	case role == node.RoleWorker && resp.Serves(node.RolePersistence):
		return "; it is a persistence node: swapped --workers and --persistence?"
	case role == node.RolePersistence && resp.Serves(node.RoleWorker):
		return "; it is a worker: swapped --workers and --persistence?"
	}
	return ""
}

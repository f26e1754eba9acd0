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
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/query/colcrypt"
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
	// Script compiles the curation script and makes the check run. Without
	// it the script check fails: set it to scriptcheck.Starlark{}.
	Script ScriptChecker
}

// ScriptChecker checks a listing's curation script on the provider's
// machine before anything is sent. scriptcheck.Starlark (package
// client/scriptcheck) runs it in the workers' sandbox; it lives in a
// package of its own so that a subscriber's program, which lists nothing,
// does not link the Starlark interpreter.
type ScriptChecker interface {
	// Compile parses the script and checks that it defines curate(ctx).
	Compile(m *ledger.Metadata) error
	// Run runs the compiled script once as a worker would (the check run):
	// on the files in opts.CheckRunDir, at the schedule's latest slot, its
	// rows checked against the schema and encrypted with opts.Keys.
	Run(ctx context.Context, m *ledger.Metadata, opts PreflightOptions) Check
}

// errNoScriptChecker fails the script check of a listing whose options
// name no ScriptChecker.
var errNoScriptChecker = errors.New("no script checker to compile the curation script: set PreflightOptions.Script to scriptcheck.Starlark{} (package client/scriptcheck)")

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
	scriptErr := errNoScriptChecker
	if opts.Script != nil {
		scriptErr = opts.Script.Compile(m)
	}
	add("script", fmt.Sprintf("%d bytes, Starlark, defines curate(ctx)", len(m.Script)), scriptErr)
	if err := m.Check(); err != nil && out[0].Err == nil && out[2].Err == nil && out[3].Err == nil {
		add("metadata", "size limits and node lists", err)
	}
	if dup := overlap(m.Workers, m.Persistence); len(dup) > 0 {
		out = append(out, Check{Name: "roles", Detail: "a node named as worker and persistence node", Warn: true,
			Err: fmt.Errorf("node(s) %s are named both as worker and as persistence node; name each role's nodes once (swapped --workers and --persistence?)", strings.Join(dup, ", "))})
	}
	if opts.CheckRun && out[3].Err == nil && out[0].Err == nil {
		out = append(out, opts.Script.Run(ctx, m, opts))
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

// checkNetwork asks the chain and the nodes: the validators reachable (a
// quorum at least) and each named node serving its role and taking the
// dataset.
func (s *Session) checkNetwork(ctx context.Context, m *ledger.Metadata) []Check {
	var out []Check
	out = append(out, s.checkValidators(ctx))
	out = append(out, s.checkNodes(ctx, nodeinfo.RoleWorker, m.Workers, m.ID())...)
	out = append(out, s.checkNodes(ctx, nodeinfo.RolePersistence, m.Persistence, m.ID())...)
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
			resp, err := nodeinfo.Ask(cctx, s.Overlay.Host(), s.ChainID, mem.ID, common.Hash{}, nil)
			if err == nil && !resp.Serves(nodeinfo.RoleValidator) {
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

func (s *Session) checkNodes(ctx context.Context, role nodeinfo.Role, ids []identity.NodeID, ds common.Hash) []Check {
	out := make([]Check, len(ids))
	done := make(chan struct{}, len(ids))
	for i, id := range ids {
		go func() {
			defer func() { done <- struct{}{} }()
			c := Check{Name: fmt.Sprintf("%s %s", role, id.Short())}
			cctx, cancel := context.WithTimeout(ctx, infoTimeout)
			defer cancel()
			resp, err := nodeinfo.Ask(cctx, s.Overlay.Host(), s.ChainID, id, ds, nil)
			switch {
			case err != nil:
				c.Err = fmt.Errorf("node %s does not answer: %w (is it running, and is the ID right?)", id.Short(), err)
			case !resp.Serves(role):
				c.Err = fmt.Errorf("node %s does not run the %s role (it runs %s)%s", id.Short(), role, strings.Join(resp.Roles, ", "), swapHint(role, resp))
			case role == nodeinfo.RoleWorker && !resp.Worker.Accepts:
				c.Err = fmt.Errorf("worker %s does not take the dataset: %s", id.Short(), resp.Worker.Refusal)
			case role == nodeinfo.RolePersistence && !resp.Persistence.Accepts:
				c.Err = fmt.Errorf("persistence node %s does not take the dataset: %s", id.Short(), resp.Persistence.Refusal)
			case role == nodeinfo.RoleWorker:
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

func swapHint(role nodeinfo.Role, resp *nodeinfo.Response) string {
	switch {
	case role == nodeinfo.RoleWorker && resp.Serves(nodeinfo.RolePersistence):
		return "; it is a persistence node: swapped --workers and --persistence?"
	case role == nodeinfo.RolePersistence && resp.Serves(nodeinfo.RoleWorker):
		return "; it is a worker: swapped --workers and --persistence?"
	}
	return ""
}

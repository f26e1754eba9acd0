package testbed

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/devnet"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// StoryRun shapes the marketplace story across the testbed: the chain,
// every `enigma node` and every CLI client in the namespace of its
// manifest node, talking only across the emulated links.
type StoryRun struct {
	Exe string // the enigma program
	// Dir holds the nodes' data directories and logs; the caller removes
	// it (a failed run's logs are there to read first).
	Dir string
	// Examples is examples/crypto-daily: the schema, scripts and feed the
	// provider lists.
	Examples string
	// Duration is the workload phase: subscribers query, the provider
	// updates and registers; perturbations are timed from its start.
	Duration time.Duration
	// Progress receives one line per step.
	Progress io.Writer
}

// StoryResult is what the story did and measured, and its history's
// verdict.
type StoryResult struct {
	History    History     `json:"history"`
	Violations []Violation `json:"violations"`
	// Setup is the time from an empty testbed to every node joined.
	Setup time.Duration `json:"setup_ns"`
	// Writes are the provider's acknowledged registrations and updates,
	// each timed by its CLI command (to "Certified and resolvable").
	Writes []Op `json:"-"`
	// Resolvable is, per region, how long after each registration's
	// acknowledgement its record first resolved from a client there.
	Resolvable map[string][]time.Duration `json:"resolvable_ns"`
	// Queries are the answered queries' latencies per region (one CLI
	// command each: joining the overlay, the record, the query), and
	// QueryFailures the queries not answered.
	Queries       map[string][]time.Duration `json:"queries_ns"`
	QueryFailures map[string]int             `json:"query_failures"`
	// Lookups are the final `enigma dht get` commands per region.
	Lookups  map[string][]time.Duration `json:"lookups_ns"`
	Events   []Event                    `json:"events"`
	Emulator EmulatorStats              `json:"emulator"`
}

// Bounds of the story's steps, so a stuck network ends the run.
const (
	storyStartBound   = 90 * time.Second // one process to print its address
	storyCommandBound = 2 * time.Minute  // one CLI command
	storyQueryBound   = 30 * time.Second // one query (its --timeout): the workload ends at most this late
	storyUpdateGrace  = time.Minute      // the provider retries a refused update this long past the workload
	storyCatchUpBound = 90 * time.Second // the validators to agree after the heal
	storyResolveTries = 5                // final lookups per dataset and region
	storyListenPort   = 30400
	storyMetricsAddr  = "127.0.0.1:9400" // each namespace has its own loopback
	storyChainPort    = 8545
	storyPassword     = "pw"
	storyPuzzle       = 4 // c1 and c2: identity cost kept small, as the devnet's tests do
)

// storyProc is one long-running process of the story.
type storyProc struct {
	node string
	cmd  *exec.Cmd
	log  string // its output file
	done chan struct{}
	peer string   // <node ID>@<addr>, for overlay nodes
	args []string // how it was started, to start it again after a kill
}

// story is the state of one RunStory.
type story struct {
	tb   *Testbed
	r    StoryRun
	ctx  context.Context
	env  []string // every process's chain and overlay settings
	keys map[string]*identity.NodeKey
	dirs map[string]string
	acct map[string]*ecdsa.PrivateKey // clients' and validators' accounts
	mu   sync.Mutex
	proc map[string]*storyProc
	hist History
	res  *StoryResult
}

var (
	storyPeerLine   = regexp.MustCompile(`Overlay node ([0-9a-f]{64}@[0-9.:]+)`)
	storyMarketLine = regexp.MustCompile(`Marketplace: (0x[0-9a-fA-F]{40})`)
	storyVersion    = regexp.MustCompile(`(?:Version: |to version )(\d+)`)
)

// RunStory runs the marketplace story on the testbed: the chain in its
// node's namespace, the validators registered on it, every overlay node
// started and joined; the provider lists dataset "story" (a worker curates
// it onto the persistence nodes), every subscriber subscribes; then for
// Duration the subscribers query in a loop while the provider certifies
// version 2 and lists more datasets, with the manifest's perturbations
// applied; after the heal, every client looks every acknowledged dataset
// up, the validators are stopped and their ledgers read. The history of
// all of it is checked with CheckHistory.
func (tb *Testbed) RunStory(ctx context.Context, r StoryRun) (*StoryResult, error) {
	m := tb.manifest
	if len(m.NodesWithRole(RoleChain)) != 1 || len(m.NodesWithRole(RoleValidator)) < 4 || len(m.NodesWithRole(RoleWorker)) < 1 ||
		len(m.NodesWithRole(RolePersistence)) < 1 || len(m.NodesWithRole(RoleClient)) < 2 {
		return nil, errors.New("the story needs one chain node, at least 4 validators, a worker, a persistence node and two clients (a provider and a subscriber)")
	}
	for _, p := range m.Perturbations {
		if p.Heal.Duration > r.Duration {
			return nil, fmt.Errorf("the %s heals at %s, after the story's %s workload: lengthen it or heal sooner", p.What(), p.Heal, r.Duration)
		}
		if role := m.nodeRole(p.Kill); p.Kill != "" && role != RoleValidator && role != RoleWorker && role != RolePersistence && role != RolePlain {
			return nil, fmt.Errorf("the %s: the story starts again only enigma node processes (the dev chain keeps its state in memory; a client has no process of its own)", p.What())
		}
	}
	s := &story{tb: tb, r: r, ctx: ctx, keys: map[string]*identity.NodeKey{}, dirs: map[string]string{}, acct: map[string]*ecdsa.PrivateKey{},
		proc: map[string]*storyProc{}, res: &StoryResult{
			Resolvable: map[string][]time.Duration{}, Queries: map[string][]time.Duration{},
			QueryFailures: map[string]int{}, Lookups: map[string][]time.Duration{},
		}}
	defer s.stopAll()
	tb.restart = s.restart
	defer func() { tb.restart = nil }()
	begin := time.Now()
	if err := s.setUp(); err != nil {
		return nil, err
	}
	s.res.Setup = time.Since(begin)
	s.progress("every node joined after %s", s.res.Setup.Round(time.Millisecond))
	if err := s.openMarket(); err != nil {
		return nil, err
	}
	s.workload()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("the story was interrupted: %w", err)
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	s.res.History = s.hist
	s.res.Violations = CheckHistory(&s.hist)
	s.res.Emulator = tb.Stats()
	return s.res, nil
}

func (s *story) progress(format string, args ...any) {
	if s.r.Progress != nil {
		fmt.Fprintf(s.r.Progress, "%s testbed story: %s\n", time.Now().UTC().Format("15:04:05.000"), fmt.Sprintf(format, args...))
	}
}

func (s *story) place(node string) Place { return s.tb.places[node] }

// record appends op to the history.
func (s *story) record(op Op) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hist.Ops = append(s.hist.Ops, op)
}

// setUp starts the chain, registers the validators and starts every
// overlay node.
func (s *story) setUp() error {
	m := s.tb.manifest
	validators, clients := m.NodesWithRole(RoleValidator), m.NodesWithRole(RoleClient)
	// Dev accounts: 0 owns the Marketplace, then the clients (the first
	// the provider), then the validators (who sign slash attestations).
	next := 1
	for _, c := range clients {
		s.acct[c.Name] = chain.DevKey(next)
		next++
	}
	for _, v := range validators {
		s.acct[v.Name] = chain.DevKey(next)
		next++
	}
	for _, n := range m.Nodes {
		dir := filepath.Join(s.r.Dir, n.Name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		s.dirs[n.Name] = dir
		if k, ok := s.acct[n.Name]; ok {
			ks, err := identity.OpenKeystore(filepath.Join(dir, "keystore"), identity.LightKDF)
			if err != nil {
				return err
			}
			if _, err := ks.Import(k, storyPassword); err != nil {
				return fmt.Errorf("import the account of %s: %w", n.Name, err)
			}
		}
		if n.Role != RoleChain && n.Role != RoleClient {
			key, _, err := kademlia.GenerateKey(rand.Reader, storyPuzzle)
			if err != nil {
				return err
			}
			if err := identity.SaveNodeKey(filepath.Join(dir, "nodekey"), key); err != nil {
				return err
			}
			s.keys[n.Name] = key
		}
	}

	chainNode := m.NodesWithRole(RoleChain)[0]
	rpc := fmt.Sprintf("http://%s", net.JoinHostPort(s.place(chainNode.Name).Addr.String(), strconv.Itoa(storyChainPort)))
	_, out, err := s.start(chainNode.Name, []string{"ENIGMA_PASSWORD=" + storyPassword}, "Press Ctrl-C to stop",
		"--datadir", s.dirs[chainNode.Name], "--log.level", "warn", "contracts", "devchain",
		"--http.addr", net.JoinHostPort(s.place(chainNode.Name).Addr.String(), strconv.Itoa(storyChainPort)), "--dev.accounts", strconv.Itoa(next))
	if err != nil {
		return err
	}
	market := storyMarketLine.FindStringSubmatch(out)
	if market == nil {
		return fmt.Errorf("the dev chain printed no Marketplace address:\n%s", out)
	}
	s.progress("chain serving JSON-RPC at %s, Marketplace %s", rpc, market[1])
	s.env = []string{
		"ENIGMA_CHAIN_RPC=" + rpc, "ENIGMA_MARKET_ADDRESS=" + market[1], "ENIGMA_CHAIN_CONFIRMATIONS=0",
		"ENIGMA_PUZZLE_STATIC=" + strconv.Itoa(storyPuzzle), "ENIGMA_PUZZLE_DYNAMIC=" + strconv.Itoa(storyPuzzle),
		"ENIGMA_PASSWORD=" + storyPassword, "ENIGMA_YES=true", "ENIGMA_LOG_FORMAT=json",
	}

	// The validator set, by the Marketplace's owner, from the chain's
	// namespace (its keystore holds every dev account).
	args := []string{"--datadir", s.dirs[chainNode.Name], "contracts", "set-validators", "--account", chain.Address(chain.DevKey(0)).Hex()}
	for _, v := range validators {
		args = append(args, "--validator", chain.Address(s.acct[v.Name]).Hex()+":"+hex.EncodeToString(s.keys[v.Name].Public()))
	}
	if out, err := s.run(chainNode.Name, nil, args...); err != nil {
		return fmt.Errorf("register the validators on chain: %w\n%s", err, out)
	}

	// The first validator is everyone's bootstrap peer.
	for _, n := range m.Nodes {
		if n.Role == RoleChain || n.Role == RoleClient {
			continue
		}
		args := []string{"--datadir", s.dirs[n.Name], "node", "run",
			"--listen", net.JoinHostPort(s.place(n.Name).Addr.String(), strconv.Itoa(storyListenPort)), "--metrics.addr", storyMetricsAddr}
		switch n.Role {
		case RoleValidator:
			args = append(args, "--roles", "validator", "--account", chain.Address(s.acct[n.Name]).Hex())
		case RoleWorker, RolePersistence:
			args = append(args, "--roles", n.Role)
		}
		p, _, err := s.start(n.Name, nil, "", args...)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(s.env, func(e string) bool { return strings.HasPrefix(e, "ENIGMA_BOOTSTRAP=") }) {
			s.env = append(s.env, "ENIGMA_BOOTSTRAP="+p.peer)
		}
	}
	return nil
}

// start runs a long-lived process in node's namespace, its output in
// <Dir>/<node>.log, and waits for its overlay address line (or, for
// another process, the line containing ready). It returns the output so
// far.
func (s *story) start(node string, env []string, ready string, args ...string) (*storyProc, string, error) {
	cmd, err := s.tb.Command(context.Background(), node, s.r.Exe, args...)
	if err != nil {
		return nil, "", err
	}
	cmd.Env = append(append(append(os.Environ(), s.env...), env...), "ENIGMA_LOG_LEVEL=warn")
	logPath := filepath.Join(s.r.Dir, node+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, "", err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, "", err
	}
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, "", fmt.Errorf("start %s in %s: %w", s.r.Exe, s.place(node).Netns, err)
	}
	p := &storyProc{node: node, cmd: cmd, log: logPath, done: make(chan struct{}), args: args}
	s.mu.Lock()
	s.proc[node] = p
	s.mu.Unlock()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(logFile, sc.Text())
			select {
			case lines <- sc.Text():
			default: // nobody waits for its lines any more
			}
		}
		close(lines)
	}()
	go func() { cmd.Wait(); logFile.Close(); close(p.done) }()
	var seen strings.Builder
	deadline := time.After(storyStartBound)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				<-p.done
				return nil, "", fmt.Errorf("%s exited before it was ready (its log: %s):\n%s", node, logPath, tail(logPath))
			}
			fmt.Fprintln(&seen, line)
			if ready == "" {
				if m := storyPeerLine.FindStringSubmatch(line); m != nil {
					p.peer = m[1]
					return p, seen.String(), nil
				}
			} else if strings.Contains(line, ready) {
				return p, seen.String(), nil
			}
		case <-deadline:
			return nil, "", fmt.Errorf("%s was not ready within %s (its log: %s):\n%s", node, storyStartBound, logPath, tail(logPath))
		case <-s.ctx.Done():
			return nil, "", s.ctx.Err()
		}
	}
}

// tail is the end of a log file, for error messages.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// run runs one CLI command in node's namespace as that node's client:
// its datadir, account and an overlay client address of its own.
func (s *story) run(node string, env []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(s.ctx, storyCommandBound)
	defer cancel()
	cmd, err := s.tb.Command(ctx, node, s.r.Exe, args...)
	if err != nil {
		return "", err
	}
	cmd.Env = append(append(os.Environ(), s.env...), env...)
	if s.tb.manifest.nodeRole(node) == RoleClient {
		cmd.Env = append(cmd.Env, "ENIGMA_DATADIR="+s.dirs[node], "ENIGMA_ACCOUNT="+chain.Address(s.acct[node]).Hex(),
			"ENIGMA_CLIENT_LISTEN="+net.JoinHostPort(s.place(node).Addr.String(), "0"))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

// nodeRole is the role of the named node ("" if none).
func (m *Manifest) nodeRole(name string) string {
	for _, n := range m.Nodes {
		if n.Name == name {
			return n.Role
		}
	}
	return ""
}

// storyDataset is the name of the provider's i-th dataset.
func storyDataset(i int) string {
	if i == 0 {
		return "story"
	}
	return fmt.Sprintf("story%d", i)
}

// write registers dataset name (or, with update, certifies its version 2
// with the second script), records the operation and, once acknowledged,
// how long each region's clients take to resolve it.
func (s *story) write(name string, update bool) bool {
	provider := s.tb.manifest.NodesWithRole(RoleClient)[0]
	m := s.tb.manifest
	var persistence []string
	for _, n := range m.NodesWithRole(RolePersistence) {
		persistence = append(persistence, s.keys[n.Name].ID().String())
	}
	worker := m.NodesWithRole(RoleWorker)[0]
	ex := s.r.Examples
	op := Op{Kind: OpRegister, Client: provider.Name, Region: provider.Region, Dataset: name, Start: time.Now()}
	var args []string
	if update {
		op.Kind = OpUpdate
		args = []string{"provider", "update", "--script", filepath.Join(ex, "curate-v2.star"), name}
	} else {
		path := dataset.Path{Provider: chain.Address(s.acct[provider.Name]), Name: name}
		feed, err := os.ReadFile(filepath.Join(ex, "market.csv"))
		if err == nil {
			err = devnet.StageFeed(s.dirs[worker.Name], path.ID(), map[string][]byte{"market.csv": feed})
		}
		if err != nil {
			op.End, op.Err = time.Now(), err.Error()
			s.record(op)
			return false
		}
		args = []string{"provider", "register", "--schema", filepath.Join(ex, "schema.json"), "--script", filepath.Join(ex, "curate.star"),
			"--price", "10", "--deposit", "100", "--workers", s.keys[worker.Name].ID().String(), "--persistence", strings.Join(persistence, ","), name}
	}
	out, err := s.run(provider.Name, nil, args...)
	op.End = time.Now()
	if v := storyVersion.FindStringSubmatch(out); err == nil && v != nil {
		op.OK = true
		op.Version, _ = strconv.ParseUint(v[1], 10, 64)
	} else {
		op.Err = fmt.Sprintf("%v: %s", err, lastLines(out, 5))
	}
	s.record(op)
	if !op.OK {
		s.progress("%s %s not acknowledged after %s: %s", op.Kind, name, op.End.Sub(op.Start).Round(time.Millisecond), op.Err)
		return false
	}
	s.mu.Lock()
	s.res.Writes = append(s.res.Writes, op)
	s.mu.Unlock()
	s.progress("%s %s acknowledged at version %d after %s", op.Kind, name, op.Version, op.End.Sub(op.Start).Round(time.Millisecond))
	return true
}

// lastLines is the last n lines of out.
func lastLines(out string, n int) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// resolve looks dataset name up from client node, once.
func (s *story) resolve(node, name string, final bool) Op {
	id := dataset.Path{Provider: chain.Address(s.acct[s.tb.manifest.NodesWithRole(RoleClient)[0].Name]), Name: name}.ID()
	op := Op{Kind: OpResolve, Client: node, Region: s.place(node).Region, Dataset: name, Final: final, Start: time.Now()}
	out, err := s.run(node, nil, "dht", "get", "--timeout", "30s", id.Hex()[2:])
	op.End = time.Now()
	op.OK = err == nil
	if err != nil {
		op.Err = fmt.Sprintf("%v: %s", err, lastLines(out, 3))
	}
	s.record(op)
	return op
}

// query runs one subscriber query of dataset name from client node
// (final: after the run).
func (s *story) query(node, name string, final bool) Op {
	path := dataset.Path{Provider: chain.Address(s.acct[s.tb.manifest.NodesWithRole(RoleClient)[0].Name]), Name: name}
	op := Op{Kind: OpQuery, Client: node, Region: s.place(node).Region, Dataset: name, Final: final, Start: time.Now()}
	out, err := s.run(node, []string{"ENIGMA_LOG_LEVEL=info"}, "subscriber", "query", "--timeout", storyQueryBound.String(), "--format", "csv", path.String(), "SELECT COUNT(*) FROM "+name)
	op.End = time.Now()
	if err == nil {
		for _, line := range strings.Split(out, "\n") {
			var l struct {
				Msg     string `json:"msg"`
				Version uint64 `json:"version"`
			}
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "query answered" {
				op.OK, op.Version = true, l.Version
			}
		}
	}
	if !op.OK {
		op.Err = fmt.Sprintf("%v: %s", err, lastLines(out, 2))
		s.progress("query from %s not answered after %s: %s", node, op.End.Sub(op.Start).Round(time.Millisecond), op.Err)
	}
	s.record(op)
	return op
}

// openMarket lists the first dataset, waits until a client in every
// region resolves it, and subscribes every subscriber.
func (s *story) openMarket() error {
	name := storyDataset(0)
	if !s.write(name, false) {
		return fmt.Errorf("the first registration failed: %s", s.hist.Ops[len(s.hist.Ops)-1].Err)
	}
	s.measureResolvable(name, s.hist.Ops[len(s.hist.Ops)-1].End)
	clients := s.tb.manifest.NodesWithRole(RoleClient)
	provider := chain.Address(s.acct[clients[0].Name])
	var wg sync.WaitGroup
	errs := make([]error, len(clients))
	for i, c := range clients[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := s.run(c.Name, nil, "subscriber", "subscribe", "--periods", "1", provider.Hex()+"/"+name)
			if err != nil {
				errs[i] = fmt.Errorf("%s subscribes: %w\n%s", c.Name, err, lastLines(out, 5))
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.progress("every subscriber subscribed to %s", name)
	return nil
}

// measureResolvable has one client per region look name up until it
// resolves (a bounded number of tries), recording each region's time from
// acked.
func (s *story) measureResolvable(name string, acked time.Time) {
	var wg sync.WaitGroup
	for _, c := range s.clientPerRegion() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range storyResolveTries {
				if op := s.resolve(c, name, false); op.OK {
					s.mu.Lock()
					s.res.Resolvable[op.Region] = append(s.res.Resolvable[op.Region], op.End.Sub(acked))
					s.mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
}

// clientPerRegion is the first client node of each region with one.
func (s *story) clientPerRegion() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range s.tb.manifest.NodesWithRole(RoleClient) {
		if !seen[c.Region] {
			seen[c.Region] = true
			out = append(out, c.Name)
		}
	}
	return out
}

// workload runs the measured phase: every subscriber queries the first
// dataset in a loop; the provider certifies its version 2, then lists
// further datasets one after another; the manifest's perturbations are
// applied on schedule. It ends after Duration (the operations running
// then finish first).
func (s *story) workload() {
	start := time.Now()
	s.progress("workload for %s: subscribers query, the provider updates and lists", s.r.Duration)
	ctx, cancel := context.WithTimeout(s.ctx, s.r.Duration)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.res.Events = s.tb.perturb(ctx, start)
	}()
	clients := s.tb.manifest.NodesWithRole(RoleClient)
	for _, c := range clients[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				op := s.query(c.Name, storyDataset(0), false)
				s.mu.Lock()
				if op.OK {
					s.res.Queries[op.Region] = append(s.res.Queries[op.Region], op.End.Sub(op.Start))
				} else {
					s.res.QueryFailures[op.Region]++
				}
				s.mu.Unlock()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		// The update is acknowledged once certified; the persistence
		// nodes switch to version 2 when the worker's run under it has
		// landed, which the subscribers' queries show.
		// A provider whose update is refused (a persistence node it names
		// is cut off: the pre-flight check asks each) tries again.
		// It keeps trying past the workload's end, for a while: the
		// update is part of the story.
		for give := time.Now().Add(s.r.Duration + storyUpdateGrace); s.ctx.Err() == nil && !s.write(storyDataset(0), true) && time.Now().Before(give); {
		}
		for i := 1; ctx.Err() == nil; i++ {
			if s.write(storyDataset(i), false) {
				wg.Add(1)
				go func() { defer wg.Done(); s.measureResolvable(storyDataset(i), time.Now()) }()
			}
		}
	}()
	wg.Wait()
	s.tb.SetCut()
	s.progress("workload over after %s", time.Since(start).Round(time.Millisecond))
}

// finish waits for the validators to agree, has a client in every region
// resolve every acknowledged dataset, stops the validators and reads
// their ledgers into the history.
func (s *story) finish() error {
	validators := s.tb.manifest.NodesWithRole(RoleValidator)
	deadline := time.Now().Add(storyCatchUpBound)
	for {
		var seqs []string
		for _, v := range validators {
			seqs = append(seqs, s.gauge(v.Name, "enigma_pbft_last_executed"))
		}
		if seqs[0] != "" && !slices.ContainsFunc(seqs, func(q string) bool { return q != seqs[0] }) {
			s.progress("every validator executed up to sequence %s", seqs[0])
			break
		}
		if time.Now().After(deadline) {
			s.progress("the validators did not agree within %s: last executed %v (the ledgers are compared as they are)", storyCatchUpBound, seqs)
			break
		}
		select {
		case <-time.After(250 * time.Millisecond):
		case <-s.ctx.Done():
			return s.ctx.Err()
		}
	}
	var names []string
	for _, op := range s.res.Writes {
		if !slices.Contains(names, op.Dataset) {
			names = append(names, op.Dataset)
		}
	}
	var wg sync.WaitGroup
	for _, c := range s.clientPerRegion() {
		region := s.place(c).Region
		s.hist.Regions = append(s.hist.Regions, region)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range names {
				for range storyResolveTries {
					op := s.resolve(c, name, true)
					if op.OK {
						s.mu.Lock()
						s.res.Lookups[region] = append(s.res.Lookups[region], op.End.Sub(op.Start))
						s.mu.Unlock()
						break
					}
				}
			}
		}()
	}
	// And every subscriber queries once more, the network whole again:
	// its answer joins the monotonic-reads check, and shows each region
	// served after the perturbations.
	for _, c := range s.tb.manifest.NodesWithRole(RoleClient)[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range storyResolveTries {
				if op := s.query(c.Name, storyDataset(0), true); op.OK {
					break
				}
			}
		}()
	}
	wg.Wait()
	s.progress("final lookups and queries done")

	// Stop the validators cleanly, then read each one's ledger.
	var stopping sync.WaitGroup
	for _, v := range validators {
		stopping.Add(1)
		go func() { defer stopping.Done(); s.stop(v.Name) }()
	}
	stopping.Wait()
	chainID, err := s.chainID()
	if err != nil {
		return err
	}
	provider := chain.Address(s.acct[s.tb.manifest.NodesWithRole(RoleClient)[0].Name])
	for _, v := range validators {
		l := Ledger{Validator: v.Name, Honest: true, Versions: map[string]uint64{}}
		db, err := ledgerdb.Open(ledgerdb.Dir(s.dirs[v.Name]), ledger.Config{ChainID: chainID})
		if err != nil {
			return fmt.Errorf("read validator %s's ledger: %w", v.Name, err)
		}
		for _, name := range names {
			rec, err := db.Dataset(dataset.Path{Provider: provider, Name: name}.ID())
			if err == nil && rec != nil {
				l.Versions[name] = rec.Signed.Metadata.Version
			}
		}
		if err := db.Close(); err != nil {
			return err
		}
		s.hist.Ledgers = append(s.hist.Ledgers, l)
	}
	return nil
}

// chainID is the dev chain's ID, from the deployment it recorded.
func (s *story) chainID() (uint64, error) {
	b, err := os.ReadFile(filepath.Join(s.dirs[s.tb.manifest.NodesWithRole(RoleChain)[0].Name], "deployment.json"))
	if err != nil {
		return 0, fmt.Errorf("the dev chain's deployment: %w", err)
	}
	var d chain.Deployment
	if err := json.Unmarshal(b, &d); err != nil || d.ChainID == 0 {
		return 0, fmt.Errorf("the dev chain's deployment %s has no chain ID: %v", b, err)
	}
	return d.ChainID, nil
}

// gauge reads one unlabelled gauge from node's metrics, inside its
// namespace ("" if it cannot).
func (s *story) gauge(node, name string) string {
	ns := s.place(node).Netns
	c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialIn(ctx, ns, network, addr)
		},
	}}
	defer c.CloseIdleConnections()
	resp, err := c.Get("http://" + storyMetricsAddr + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return v
		}
	}
	return ""
}

// restart starts a killed node's process again, as it was started, and
// waits until it is ready.
func (s *story) restart(node string) error {
	s.mu.Lock()
	p := s.proc[node]
	s.mu.Unlock()
	if p == nil {
		return fmt.Errorf("the story started no process in %s", node)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("%s's process has not ended after its SIGKILL", node)
	}
	_, _, err := s.start(node, nil, readyLine(p), p.args...)
	return err
}

// readyLine is what start waits for when p is started again: its overlay
// address for a node, the dev chain's last line for the chain.
func readyLine(p *storyProc) string {
	if p.peer != "" {
		return ""
	}
	return "Press Ctrl-C to stop"
}

// stop ends node's process with SIGTERM (a clean stop), SIGKILL after 30 s.
func (s *story) stop(node string) {
	s.mu.Lock()
	p := s.proc[node]
	s.mu.Unlock()
	if p == nil {
		return
	}
	// ip netns exec runs the program in its own place (exec), so the
	// signal reaches enigma itself.
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// stopAll stops every process the story started (Close kills what is
// left in the namespaces anyway).
func (s *story) stopAll() {
	s.mu.Lock()
	var nodes []string
	for n := range s.proc {
		nodes = append(nodes, n)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() { defer wg.Done(); s.stop(n) }()
	}
	wg.Wait()
}

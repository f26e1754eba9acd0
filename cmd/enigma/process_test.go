package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
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
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/chain/gethdev"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/devnet"
	"github.com/enigma-mpc/enigma/httpapi"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/ledger/ledgerdb"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// nodeProcess is an `enigma node run` child process.
type nodeProcess struct {
	cmd     *exec.Cmd
	datadir string
	peer    string // <node ID>@<addr>, once it printed it
	metrics string // its /metrics URL
	// explorer is the URL of its HTTP API and explorer (with --http.addr).
	explorer string
	out      *syncBuffer
	done     chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var (
	peerLine    = regexp.MustCompile(`Overlay node ([0-9a-f]{64}@[0-9.:]+)`)
	metricsLine = regexp.MustCompile(`Metrics: (http://\S+)`)
	apiLine     = regexp.MustCompile(`Explorer: (http://\S+/)`)
)

// startNode starts `enigma node run` and waits until it prints its overlay
// address.
func startNodeProcess(t *testing.T, env []string, datadir string, args ...string) *nodeProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--datadir", datadir, "node", "run"}, args...)...)
	cmd.Env = append(append(os.Environ(), "ENIGMA_TEST_MAIN=1"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &nodeProcess{cmd: cmd, datadir: datadir, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	metrics := make(chan string, 1)
	explorer := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(p.out, sc.Text())
			if m := peerLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
			if m := metricsLine.FindStringSubmatch(sc.Text()); m != nil {
				metrics <- m[1]
			}
			if m := apiLine.FindStringSubmatch(sc.Text()); m != nil {
				explorer <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop() })
	select {
	case p.peer = <-found:
		select {
		case p.metrics = <-metrics:
		case <-time.After(5 * time.Second):
		}
		if slices.Contains(args, "--http.addr") {
			select {
			case p.explorer = <-explorer:
			case <-time.After(5 * time.Second):
				t.Fatalf("node %s started with --http.addr printed no Explorer line:\n%s", datadir, p.out.String())
			}
		}
		return p
	case <-p.done:
		t.Fatalf("node %s exited before joining:\n%s", datadir, p.out.String())
	case <-time.After(90 * time.Second):
		t.Fatalf("node %s did not join within 90s:\n%s", datadir, p.out.String())
	}
	return nil
}

// stop ends the node with SIGTERM (clean shutdown) and waits.
func (p *nodeProcess) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// scrapeGauge reads one unlabelled gauge from a Prometheus endpoint.
func scrapeGauge(t *testing.T, url, name string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

// scrapeCounterSum adds up every sample of a metric (all label sets) from
// a Prometheus endpoint; 0 when it is absent.
func scrapeCounterSum(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var sum float64
	for _, line := range strings.Split(string(body), "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || (!strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "{")) {
			continue
		}
		fields := strings.Fields(rest)
		if v, err := strconv.ParseFloat(fields[len(fields)-1], 64); err == nil {
			sum += v
		}
	}
	return sum
}

// validatorAccounts are the validators' Ethereum accounts (devnet's).
func validatorAccounts(n int) []*ecdsa.PrivateKey {
	var keys []*ecdsa.PrivateKey
	for i := range n {
		keys = append(keys, devnet.ValidatorAccount(i))
	}
	return keys
}

// kill ends the node with SIGKILL, as a crash.
func (p *nodeProcess) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// gethMarket is the marketplace on a real geth --dev for the process tests:
// contracts deployed, the provider and the subscriber funded, the
// validators registered on chain with their node keys (and the smallest
// slash threshold the contract takes for their number), and each
// validator's account in the keystore of its data directory.
type gethMarket struct {
	t          *testing.T
	ctx        context.Context // bounds the whole test
	root       string
	c          *chain.Client
	provider   *ecdsa.PrivateKey
	subscriber *ecdsa.PrivateKey
	env        []string // chain, puzzle and listening settings of every node
	withBoot   []string // env plus the first validator as bootstrap peer
	vDirs      []string
	vKeys      []*identity.NodeKey
	accounts   []common.Address
	listen     []string // fixed validator addresses
	validators []*nodeProcess
	clientDir  string
	cli        []string // env of the CLI as provider and subscriber
}

// startGethMarket starts geth and prepares n validator nodes, the first
// active[0] of them (default all) registered as epoch 1's set; it skips in
// -short mode: it runs geth and node processes.
func startGethMarket(t *testing.T, n int, active ...int) *gethMarket {
	t.Helper()
	if testing.Short() {
		t.Skip("runs geth and node processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	m := &gethMarket{t: t, ctx: ctx, root: t.TempDir()}
	geth, err := gethdev.Start(ctx, filepath.Join(m.root, "geth"), chain.DevKey(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { geth.Stop() })
	ec, err := ethclient.DialContext(ctx, geth.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ec.Close)

	deployer := chain.DevKey(0)
	m.provider, m.subscriber = chain.DevKey(1), chain.DevKey(2)
	params := chain.DefaultDeployParams()
	params.ValidatorSetDelay = validatorSetDelay // the tests change sets
	dep, err := chain.Deploy(ctx, chain.Config{Backend: ec, PollInterval: 20 * time.Millisecond}, deployer, params)
	if err != nil {
		t.Fatal(err)
	}
	if m.c, err = chain.New(ctx, chain.Config{Backend: ec, Market: dep.Market, PollInterval: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	ether := new(big.Int).Exp(big.NewInt(10), big.NewInt(19), nil)
	for _, k := range append([]*ecdsa.PrivateKey{m.provider, m.subscriber}, validatorAccounts(n)...) {
		if err := gethdev.Fund(ctx, ec, deployer, chain.Address(k), ether); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []*ecdsa.PrivateKey{m.provider, m.subscriber} {
		if _, err := m.c.Mint(ctx, deployer, chain.Address(k), chain.ENG(1_000)); err != nil {
			t.Fatal(err)
		}
	}
	var nodeKeys [][32]byte
	for i, acct := range validatorAccounts(n) {
		dir, key := m.nodeDir(fmt.Sprintf("validator%d", i))
		m.vDirs, m.vKeys = append(m.vDirs, dir), append(m.vKeys, key)
		m.accounts = append(m.accounts, chain.Address(acct))
		var pk [32]byte
		copy(pk[:], key.Public())
		nodeKeys = append(nodeKeys, pk)
		// Validators listen on fixed ports, as operators run them: a
		// restarted validator comes back where its peers expect it. Each
		// polices with its registered account, kept in its own keystore.
		m.listen = append(m.listen, fmt.Sprintf("127.0.0.1:%d", validatorPort(t)))
		ks, err := identity.OpenKeystore(filepath.Join(dir, "keystore"), identity.LightKDF)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ks.Import(acct, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	first := n
	if len(active) > 0 {
		first = active[0]
	}
	threshold, _ := chain.SlashThresholds(first)
	if _, err := m.c.SetValidators(ctx, deployer, m.accounts[:first], nodeKeys[:first], uint16(threshold)); err != nil {
		t.Fatal(err)
	}
	m.env = []string{
		"ENIGMA_CHAIN_RPC=" + geth.URL, "ENIGMA_MARKET_ADDRESS=" + dep.Market.Hex(),
		"ENIGMA_PUZZLE_STATIC=4", "ENIGMA_PUZZLE_DYNAMIC=4", "ENIGMA_LOG_LEVEL=info",
		"ENIGMA_LISTEN=127.0.0.1:0", "ENIGMA_METRICS_ADDR=127.0.0.1:0", "ENIGMA_CHAIN_CONFIRMATIONS=0",
		"ENIGMA_YES=true", // the CLI runs as a script: spending without a terminal needs --yes
	}

	// The client side: a keystore with the provider and the subscriber.
	m.clientDir = filepath.Join(m.root, "client")
	ks, err := identity.OpenKeystore(filepath.Join(m.clientDir, "keystore"), identity.LightKDF)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []*ecdsa.PrivateKey{m.provider, m.subscriber} {
		if _, err := ks.Import(k, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

var processPuzzle = kademlia.Puzzle{Static: 4, Dynamic: 4}

// validatorPorts are the ports validatorPort handed out in this process.
var validatorPorts struct {
	sync.Mutex
	given map[int]bool
}

// validatorPort returns a UDP port on 127.0.0.1 for a validator to listen
// on for its whole test, restarts included. A port the kernel picked for a
// socket bound to port 0 and closed again could be taken before the
// validator binds it, or while it restarts, by any process binding port 0
// (the other tests' QUIC endpoints): the kernel draws those from its
// ephemeral range. So the port comes from the range just below, which no
// such bind draws from; it is free now, and given once per process.
func validatorPort(t *testing.T) int {
	t.Helper()
	low := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 2048 {
				low = n
			}
		}
	}
	span := min(low-1024, 8192)
	validatorPorts.Lock()
	defer validatorPorts.Unlock()
	if validatorPorts.given == nil {
		validatorPorts.given = make(map[int]bool)
	}
	pick := randsrc.FromOS()
	for range 100 {
		port := low - 1 - pick.IntN(span)
		if validatorPorts.given[port] {
			continue
		}
		c, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		c.Close()
		validatorPorts.given[port] = true
		return port
	}
	t.Fatalf("no free UDP port for a validator among the %d below the ephemeral range (from %d)", span, low)
	return 0
}

// validatorSetDelay is the notice the process tests' Marketplace wants of a
// validator set after the first.
const validatorSetDelay = 2 * time.Second

// nodeDir makes a data directory with a node key.
func (m *gethMarket) nodeDir(name string) (string, *identity.NodeKey) {
	dir := filepath.Join(m.root, name)
	key, _, err := kademlia.GenerateKey(rand.Reader, processPuzzle.Static)
	if err != nil {
		m.t.Fatal(err)
	}
	if err := identity.SaveNodeKey(filepath.Join(dir, "nodekey"), key); err != nil {
		m.t.Fatal(err)
	}
	return dir, key
}

// startValidators starts the validators, the first as the others'
// bootstrap peer; extra[i] are more flags for validator i.
func (m *gethMarket) startValidators(extra map[int][]string) {
	m.validators = []*nodeProcess{m.startValidator(0, m.env, extra[0]...)}
	m.withBoot = append(append([]string{}, m.env...), "ENIGMA_BOOTSTRAP="+m.validators[0].peer)
	for i := 1; i < len(m.vDirs); i++ {
		m.validators = append(m.validators, m.startValidator(i, m.withBoot, extra[i]...))
	}
	m.cli = append(append([]string{}, m.withBoot...), "ENIGMA_DATADIR="+m.clientDir, "ENIGMA_PASSWORD=pw")
}

func (m *gethMarket) startValidator(i int, env []string, extra ...string) *nodeProcess {
	// Probe rounds are short so an offline dataset is slashed within the
	// test; eight consecutive misses (not three) keep a persistence node
	// that is only slow on a loaded machine from being attested offline,
	// and the grace keeps a new dataset from being attested offline before
	// its persistence nodes have learnt of it (at most one slash per
	// dataset and epoch: an early one would leave none for the test).
	args := append([]string{"--roles", "validator", "--listen", m.listen[i], "--account", m.accounts[i].Hex(),
		"--police.probe-interval", "300ms", "--police.probe-failures", "8", "--police.probe-grace", "30s"}, extra...)
	return startNodeProcess(m.t, append(append([]string{}, env...), "ENIGMA_PASSWORD=pw"), m.vDirs[i], args...)
}

// register lists the example dataset under name through the CLI, with
// its feed staged for the worker.
func (m *gethMarket) register(name, workerDir string, worker *identity.NodeKey, persistence ...*identity.NodeKey) {
	m.t.Helper()
	examples := filepath.Join("..", "..", "examples", "crypto-daily")
	feed, err := os.ReadFile(filepath.Join(examples, "market.csv"))
	if err != nil {
		m.t.Fatal(err)
	}
	path := dataset.Path{Provider: chain.Address(m.provider), Name: name}
	if err := devnet.StageFeed(workerDir, path.ID(), map[string][]byte{"market.csv": feed}); err != nil {
		m.t.Fatal(err)
	}
	var ids []string
	for _, k := range persistence {
		ids = append(ids, k.ID().String())
	}
	out, errOut, code := runEnigma(m.t, m.cli, "provider", "register", "--account", chain.Address(m.provider).Hex(),
		"--schema", filepath.Join(examples, "schema.json"), "--script", filepath.Join(examples, "curate.star"),
		"--price", "10", "--deposit", "100", "--workers", worker.ID().String(), "--persistence", strings.Join(ids, ","), name)
	if code != 0 || !strings.Contains(out, "Certified and resolvable") {
		m.t.Fatalf("provider register %s: exit %d\n%s\n%s", name, code, out, errOut)
	}
}

// checkLedgers waits until the validators in which have executed as far
// as each other, stops them cleanly, and checks that they hold the same
// ledger root and every dataset in names.
func (m *gethMarket) checkLedgers(which []int, names ...string) {
	t := m.t
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var seqs []string
		for _, i := range which {
			seqs = append(seqs, scrapeGauge(t, m.validators[i].metrics, "enigma_pbft_last_executed"))
		}
		if seqs[0] != "" && seqs[0] != "0" && strings.Count(strings.Join(seqs, ","), seqs[0]) == len(seqs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("validators %v never agreed on the last executed sequence: %v", which, seqs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, v := range m.validators {
		v.stop()
	}
	// The validators stop one after the other while the police may still
	// be committing attestations, so compare them at the last sequence all
	// of them executed.
	var dbs []*ledgerdb.DB
	at := uint64(math.MaxUint64)
	for _, i := range which {
		db, err := ledgerdb.Open(ledgerdb.Dir(m.vDirs[i]), ledger.Config{ChainID: 1337})
		if err != nil {
			t.Fatalf("validator %d ledger: %v", i, err)
		}
		defer db.Close()
		for _, name := range names {
			if _, err := db.Dataset(dataset.Path{Provider: chain.Address(m.provider), Name: name}.ID()); err != nil {
				t.Errorf("validator %d lost acknowledged registration %s: %v", i, name, err)
			}
		}
		dbs = append(dbs, db)
		at = min(at, db.Seq())
	}
	var seqs []uint64
	for _, db := range dbs {
		seqs = append(seqs, db.Seq())
	}
	t.Logf("validators %v stopped at sequences %v; compared at %d", which, seqs, at)
	var roots []common.Hash
	for j, db := range dbs {
		root, ok, err := db.RootAt(at)
		if err != nil || !ok {
			t.Fatalf("validator %d (at sequence %d) has no root for sequence %d: %v", which[j], db.Seq(), at, err)
		}
		roots = append(roots, root)
	}
	for j, r := range roots {
		if r != roots[0] {
			t.Errorf("at sequence %d validator %d has root %s, validator %d %s", at, which[j], r.Hex(), which[0], roots[0].Hex())
		}
	}
	if t.Failed() {
		for i, v := range m.validators {
			t.Logf("validator %d output:\n%s", i, v.out.String())
		}
	}
}

// TestSeparateProcessesOnGeth runs the marketplace as separate `enigma node`
// processes against a real geth --dev: 4 validators, a worker and two
// persistence nodes. A provider lists a dataset and a subscriber queries it
// through the CLI; one validator is killed with SIGKILL while registrations
// continue and is restarted from its data directory; one persistence node
// is killed and the other answers the subscriber's queries; then the other
// is killed too and the validators slash the provider's deposit on chain;
// at the end every validator holds the same ledger root and no
// acknowledged registration is lost.
func TestSeparateProcessesOnGeth(t *testing.T) {
	m := startGethMarket(t, 4)
	ctx := m.ctx
	m.startValidators(nil)
	workerDir, workerKey := m.nodeDir("worker")
	persistDir, persistKey := m.nodeDir("persistence")
	persistDir2, persistKey2 := m.nodeDir("persistence2")
	// The worker also serves the HTTP API: the slash at the end must show
	// there, read from the chain by a node process.
	worker := startNodeProcess(t, m.withBoot, workerDir, "--roles", "worker", "--http.addr", "127.0.0.1:0")
	persistence := []*nodeProcess{
		startNodeProcess(t, m.withBoot, persistDir, "--roles", "persistence"),
		startNodeProcess(t, m.withBoot, persistDir2, "--roles", "persistence"),
	}
	register := func(name string) {
		t.Helper()
		m.register(name, workerDir, workerKey, persistKey, persistKey2)
	}
	register("daily_a")

	// Kill one validator mid-stream; registrations go on; restart it.
	m.validators[3].kill()
	register("daily_b")
	m.validators[3] = m.startValidator(3, m.withBoot)
	register("daily_c")

	// The subscriber pays and queries through the CLI.
	cli, provider, subscriber := m.cli, m.provider, m.subscriber
	dsPath := chain.Address(provider).Hex() + "/daily_a"
	if out, errOut, code := runEnigma(t, cli, "subscriber", "subscribe", "--account", chain.Address(subscriber).Hex(), "--periods", "1", dsPath); code != 0 {
		t.Fatalf("subscribe: exit %d\n%s\n%s", code, out, errOut)
	}
	grantKey, _, code := runEnigma(t, cli, "subscriber", "grant-key")
	if code != 0 {
		t.Fatal("subscriber grant-key failed")
	}
	grant := filepath.Join(m.clientDir, "grant.bin")
	if out, errOut, code := runEnigma(t, cli, "provider", "grant", "--to", strings.TrimSpace(grantKey), "--out", grant, dsPath); code != 0 {
		t.Fatalf("grant: exit %d\n%s\n%s", code, out, errOut)
	}
	query := func(when string) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute)
		for {
			out, errOut, code := runEnigma(t, cli, "subscriber", "query", "--account", chain.Address(subscriber).Hex(), "--grant", grant, "--format", "csv",
				dsPath, "SELECT asset, close FROM daily_a WHERE asset = 'ETH' AND close > 3000 ORDER BY close DESC LIMIT 3")
			if code == 0 && strings.Count(out, "ETH,") == 3 {
				t.Logf("query over separate processes, %s:\n%s", when, out)
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("subscriber query %s never returned the rows: exit %d\n%s\n%s", when, code, out, errOut)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	query("both persistence nodes up")
	// The first persistence node crashes; from now on only the second can
	// answer (the loop waits until the worker's push has reached it).
	persistence[0].kill()
	query("first persistence node killed")

	// The last persistence node crashes too: the validators attest the
	// dataset offline through the ledger and slash its deposit on chain.
	id := dataset.Path{Provider: chain.Address(provider), Name: "daily_a"}.ID()
	// Its nodes have served it, so no slash came before (and the contract
	// takes one per dataset and epoch).
	before, err := m.c.Dataset(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ranked, err := m.c.Rank(ctx, id); err != nil || ranked.SlashCount != 0 {
		t.Fatalf("daily_a was slashed (%d times, %v) while a persistence node served it\nthe validators' police:\n%s", ranked.SlashCount, err, m.policeLog())
	}
	persistence[1].kill()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		rank, err := m.c.Rank(ctx, id)
		if err == nil && rank.SlashCount > 0 {
			after, err := m.c.Dataset(ctx, id, nil)
			if err != nil {
				t.Fatal(err)
			}
			if after.Deposit.Cmp(before.Deposit) >= 0 {
				t.Fatalf("slashed, but the deposit went from %s to %s", before.Deposit, after.Deposit)
			}
			t.Logf("offline provider slashed on chain by the validator processes: deposit %s → %s", before.Deposit, after.Deposit)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the offline dataset was not slashed within two minutes (last error %v)\nthe validators' police:\n%s", err, m.policeLog())
		}
		time.Sleep(200 * time.Millisecond)
	}
	checkAPIShowsSlash(t, worker.explorer, dsPath)

	m.checkLedgers([]int{0, 1, 2, 3}, "daily_a", "daily_b", "daily_c")
}

// policeLog returns the police's lines from every validator's log, so a
// slash that never came says how far the police got.
func (m *gethMarket) policeLog() string {
	var b strings.Builder
	for i, v := range m.validators {
		for _, line := range strings.Split(v.out.String(), "\n") {
			if strings.Contains(line, "service=police") {
				fmt.Fprintf(&b, "validator %d: %s\n", i, line)
			}
		}
	}
	return b.String()
}

// checkAPIShowsSlash reads a node process's HTTP API until it shows the
// slash of dataset path, authorised by validator signatures, and the
// dataset's certified version verified by that node.
func checkAPIShowsSlash(t *testing.T, explorer, path string) {
	t.Helper()
	getJSON := func(url string, out any) error {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return json.NewDecoder(resp.Body).Decode(out)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		var police httpapi.PoliceView
		err := getJSON(explorer+"api/v1/police", &police)
		// Every dataset whose persistence nodes were all killed is slashed,
		// in whichever order; the one this test follows must be among them.
		i := slices.IndexFunc(police.Slashes, func(s httpapi.SlashView) bool { return s.Path == path })
		if err == nil && i >= 0 {
			s := police.Slashes[i]
			if s.Attestations == nil || !s.Attestations.Verified || len(s.Attestations.Attesters) < 3 {
				t.Fatalf("the API's slash: %+v (attestations %+v, %s)", s, s.Attestations, s.AttestationsError)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the node's API showed no slash within a minute: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var d httpapi.DatasetDetail
	if err := getJSON(explorer+"api/v1/datasets/"+path, &d); err != nil {
		t.Fatal(err)
	}
	if d.Metadata == nil || d.Metadata.Version != 1 || d.Record == nil || !d.Record.Verified || d.Slashes == 0 {
		t.Fatalf("the API's dataset page: %+v (record error %q)", d.DatasetSummary, d.CertifiedError)
	}
}

// TestByzantineValidatorProcess runs five validator processes (n = 5, so
// f = 1 and quorums of four, not 2f+1 = 3; the slash threshold is the
// contract's smallest for five) with the primary of view 0 equivocating (it
// sends half of the backups a conflicting batch for every sequence number):
// registrations through the CLI still complete, and the four honest
// validators end with one ledger root holding every acknowledged
// registration.
func TestByzantineValidatorProcess(t *testing.T) {
	m := startGethMarket(t, 5)
	// Replicas are ordered by node ID: the smallest is the primary of view 0.
	byz := 0
	for i, k := range m.vKeys {
		if k.ID().String() < m.vKeys[byz].ID().String() {
			byz = i
		}
	}
	m.startValidators(map[int][]string{byz: {"--fault.equivocate"}})
	workerDir, workerKey := m.nodeDir("worker")
	persistDir, persistKey := m.nodeDir("persistence")
	startNodeProcess(t, m.withBoot, workerDir, "--roles", "worker")
	startNodeProcess(t, m.withBoot, persistDir, "--roles", "persistence")
	for _, name := range []string{"byz_a", "byz_b"} {
		m.register(name, workerDir, workerKey, persistKey)
	}
	if !strings.Contains(m.validators[byz].out.String(), "fault injection") {
		t.Fatalf("validator %d was not started as the equivocating one", byz)
	}
	var honest []int
	for i := range m.validators {
		if i != byz {
			honest = append(honest, i)
		}
	}
	// The honest validators deposed the equivocating primary.
	if view := scrapeGauge(t, m.validators[honest[0]].metrics, "enigma_pbft_view"); view == "" || view == "0" {
		t.Fatalf("honest validator %d is in view %q: the equivocating primary was never replaced", honest[0], view)
	}
	m.checkLedgers(honest, "byz_a", "byz_b")
}

// changeValidators makes the validators in which (indexes of m's accounts)
// the next epoch's set, as the owner does: announce, wait out the notice,
// activate. It returns when the activation's receipt came.
func (m *gethMarket) changeValidators(which ...int) time.Time {
	m.t.Helper()
	var accounts []common.Address
	var keys [][32]byte
	for _, i := range which {
		accounts = append(accounts, m.accounts[i])
		var pk [32]byte
		copy(pk[:], m.vKeys[i].Public())
		keys = append(keys, pk)
	}
	threshold, _ := chain.SlashThresholds(len(which))
	owner := chain.DevKey(0)
	before, err := m.c.Epoch(m.ctx, nil)
	if err != nil {
		m.t.Fatal(err)
	}
	if _, err := m.c.SetValidators(m.ctx, owner, accounts, keys, uint16(threshold)); err != nil {
		m.t.Fatal(err)
	}
	// The contract's notice runs in chain time: activate as soon as a
	// block is late enough.
	deadline := time.Now().Add(validatorSetDelay + 30*time.Second)
	for {
		_, err := m.c.ActivateValidators(m.ctx, owner)
		if err == nil {
			break
		}
		if !errors.Is(err, chain.Revert("ValidatorSetPending")) || time.Now().After(deadline) {
			m.t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	activated := time.Now()
	if epoch, err := m.c.Epoch(m.ctx, nil); err != nil || epoch != before+1 {
		m.t.Fatalf("epoch %d after the activation, want %d: %v", epoch, before+1, err)
	}
	return activated
}

// waitGauge waits until the gauge name of process p reads want.
func waitGauge(t *testing.T, p *nodeProcess, name, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := scrapeGauge(t, p.metrics, name)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s reads %q after %s, want %q\n%s", name, got, within, want, p.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestValidatorSetChangesOnGeth runs validator processes on geth --dev
// under a stream of registrations while the owner changes the set on
// chain: a fifth validator is added, joins by state transfer and takes
// part; then one of the first four is removed and leaves. Every
// registration completes, the final set ends with one root holding all of
// them, and a record certified by the first epoch's set still verifies
// with `enigma ledger verify` after both changes.
func TestValidatorSetChangesOnGeth(t *testing.T) {
	m := startGethMarket(t, 5, 4) // five validator nodes, the first four in epoch 1
	fast := []string{"--validator.epoch-check", "200ms"}
	m.startValidators(map[int][]string{0: fast, 1: fast, 2: fast, 3: fast, 4: fast})
	workerDir, workerKey := m.nodeDir("worker")
	persistDir, persistKey := m.nodeDir("persistence")
	startNodeProcess(t, m.withBoot, workerDir, "--roles", "worker")
	startNodeProcess(t, m.withBoot, persistDir, "--roles", "persistence")
	waitGauge(t, m.validators[4], "enigma_validator_epoch", "0", 10*time.Second) // waits, not a validator yet

	m.register("rc_first", workerDir, workerKey, persistKey)
	first := dataset.Path{Provider: chain.Address(m.provider), Name: "rc_first"}
	out, errOut, code := runEnigma(t, m.cli, "dht", "get", first.ID().Hex()[2:])
	if code != 0 {
		t.Fatalf("dht get: exit %d\n%s%s", code, out, errOut)
	}
	recordFile := filepath.Join(m.root, "rc_first.record")
	if err := os.WriteFile(recordFile, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}

	// Registrations go on while the set changes.
	names := []string{"rc_first"}
	var registered sync.WaitGroup
	stop := make(chan struct{})
	var regErr error
	var completed []time.Time
	var count atomic.Int32
	registered.Add(1)
	go func() {
		defer registered.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			name := fmt.Sprintf("rc_%02d", i)
			if err := m.tryRegister(name, workerDir, workerKey, persistKey); err != nil {
				regErr = err
				return
			}
			names = append(names, name)
			completed = append(completed, time.Now())
			count.Add(1)
		}
	}()

	begin := time.Now()
	activated := m.changeValidators(0, 1, 2, 3, 4)
	waitGauge(t, m.validators[4], "enigma_validator_epoch", "2", time.Minute)
	waitGauge(t, m.validators[4], "enigma_validator_member", "1", time.Minute)
	t.Logf("FIGURE join: the fifth validator runs epoch 2 with its state %s after the activation receipt", time.Since(activated).Round(10*time.Millisecond))

	activated = m.changeValidators(1, 2, 3, 4)
	for i := 1; i < 5; i++ {
		waitGauge(t, m.validators[i], "enigma_validator_epoch", "3", time.Minute)
	}
	t.Logf("FIGURE leave: the four remaining validators run epoch 3 %s after the activation receipt", time.Since(activated).Round(10*time.Millisecond))
	waitGauge(t, m.validators[0], "enigma_validator_member", "0", time.Minute)

	// A few registrations in the last epoch too, then the stream ends.
	for deadline := time.Now().Add(time.Minute); count.Load() < 4; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d registrations completed in a minute", count.Load())
		}
	}
	close(stop)
	registered.Wait()
	if regErr != nil {
		t.Fatalf("a registration during the changes failed: %v", regErr)
	}
	if len(completed) < 3 {
		t.Fatalf("only %d registrations completed during two set changes", len(completed))
	}
	gap, last := time.Duration(0), begin
	for _, at := range completed {
		gap, last = max(gap, at.Sub(last)), at
	}
	window := last.Sub(begin)
	t.Logf("FIGURE throughput: %d registrations in %s through both changes (%.2f/s, each a CLI process with its chain transactions), longest gap between two %s",
		len(completed), window.Round(10*time.Millisecond), float64(len(completed))/window.Seconds(), gap.Round(10*time.Millisecond))

	// The first epoch's record still verifies against the first set.
	var members []map[string]string
	for _, k := range m.vKeys[:4] {
		members = append(members, map[string]string{"node_id": k.ID().String(), "public_key": hex.EncodeToString(k.Public())})
	}
	setsJSON, err := json.Marshal(map[string]any{"chain_id": 1337, "epoch": 1, "validators": members})
	if err != nil {
		t.Fatal(err)
	}
	setsFile := filepath.Join(m.root, "epoch1.json")
	if err := os.WriteFile(setsFile, setsJSON, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runEnigma(t, m.cli, "ledger", "verify", "--validators", setsFile, "--key", first.String(), recordFile)
	if code != 0 {
		t.Fatalf("ledger verify of the epoch-1 record after two changes: exit %d\n%s%s", code, out, errOut)
	}
	m.checkLedgers([]int{1, 2, 3, 4}, names...)
}

// tryRegister is register that returns the failure instead of ending the
// test (it runs on another goroutine).
func (m *gethMarket) tryRegister(name, workerDir string, worker *identity.NodeKey, persistence ...*identity.NodeKey) error {
	examples := filepath.Join("..", "..", "examples", "crypto-daily")
	feed, err := os.ReadFile(filepath.Join(examples, "market.csv"))
	if err != nil {
		return err
	}
	path := dataset.Path{Provider: chain.Address(m.provider), Name: name}
	if err := devnet.StageFeed(workerDir, path.ID(), map[string][]byte{"market.csv": feed}); err != nil {
		return err
	}
	var ids []string
	for _, k := range persistence {
		ids = append(ids, k.ID().String())
	}
	out, errOut, code := runEnigma(m.t, m.cli, "provider", "register", "--account", chain.Address(m.provider).Hex(),
		"--schema", filepath.Join(examples, "schema.json"), "--script", filepath.Join(examples, "curate.star"),
		"--price", "10", "--deposit", "100", "--workers", worker.ID().String(), "--persistence", strings.Join(ids, ","), name)
	if code != 0 || !strings.Contains(out, "Certified and resolvable") {
		return fmt.Errorf("provider register %s: exit %d\n%s\n%s", name, code, out, errOut)
	}
	return nil
}

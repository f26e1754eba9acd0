package main

import (
	"bufio"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/devnet"
	"github.com/enigma-mpc/enigma/identity"
)

// TestDatasetLifecycleOnGeth is issue 17's story with `enigma node run`
// processes on geth --dev and the CLI as provider and subscribers:
//
//  1. a listing whose script has a syntax error, and one with the worker
//     and persistence node IDs swapped, are refused by the pre-flight
//     before any transaction: the provider's ETH and ENG are unchanged;
//  2. a listing killed (SIGKILL) right after its on-chain register is run
//     again with the same arguments: it continues from the keys, and the
//     deposit is paid once;
//  3. the provider updates the script, the schedule and the worker set:
//     the new version is certified, curated by the new worker and answers
//     queries, and no query during the change sees a mix of versions;
//  4. with the provider gone, a new subscriber gets ENG and ETH with
//     `account send`, subscribes, gets the column keys from a worker and
//     queries the encrypted columns;
//  5. the provider's earnings and `account withdraw` of its payouts.
func TestDatasetLifecycleOnGeth(t *testing.T) {
	m := startGethMarket(t, 4)
	ctx := m.ctx
	m.startValidators(nil)
	w1Dir, w1Key := m.nodeDir("worker1")
	w2Dir, w2Key := m.nodeDir("worker2")
	p1Dir, p1Key := m.nodeDir("persistence1")
	p2Dir, p2Key := m.nodeDir("persistence2")
	var procs []*nodeProcess
	for _, d := range []string{w1Dir, w2Dir} {
		procs = append(procs, startNodeProcess(t, m.withBoot, d, "--roles", "worker"))
	}
	for _, d := range []string{p1Dir, p2Dir} {
		procs = append(procs, startNodeProcess(t, m.withBoot, d, "--roles", "persistence"))
	}
	defer func() {
		if t.Failed() {
			for _, p := range procs {
				t.Logf("%s output:\n%s", p.datadir, p.out.String())
			}
		}
	}()
	examples := filepath.Join("..", "..", "examples", "crypto-daily")
	feed, err := os.ReadFile(filepath.Join(examples, "market.csv"))
	if err != nil {
		t.Fatal(err)
	}
	provider := chain.Address(m.provider)
	path := dataset.Path{Provider: provider, Name: "daily"}
	for _, d := range []string{w1Dir, w2Dir} {
		if err := devnet.StageFeed(d, path.ID(), map[string][]byte{"market.csv": feed}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(keys ...*identity.NodeKey) string {
		var out []string
		for _, k := range keys {
			out = append(out, k.ID().String())
		}
		return strings.Join(out, ",")
	}
	badScript := filepath.Join(m.root, "bad.star")
	if err := os.WriteFile(badScript, []byte("def curate(ctx)\n    return []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	register := func(script, workers, persistence string, extra ...string) []string {
		return append(append([]string{"provider", "register", "--account", provider.Hex(),
			"--schema", filepath.Join(examples, "schema.json"), "--script", script, "--price", "10", "--deposit", "100",
			"--encrypt", "asset=det,close=ope,volume_usd=ope", "--workers", workers, "--persistence", persistence}, extra...), "daily")
	}
	balances := func() (eth, eng *big.Int) {
		eth, err := m.c.ETHBalance(ctx, provider)
		if err != nil {
			t.Fatal(err)
		}
		eng, err = m.c.TokenBalance(ctx, provider)
		if err != nil {
			t.Fatal(err)
		}
		return eth, eng
	}

	// 1. Refused before any transaction.
	eth0, eng0 := balances()
	out, errOut, code := runEnigma(t, m.cli, register(badScript, ids(w1Key), ids(p1Key, p2Key))...)
	if code == 0 || !strings.Contains(out, "FAIL  script") || !strings.Contains(errOut, "nothing was sent or spent") {
		t.Fatalf("a script with a syntax error: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, m.cli, register(filepath.Join(examples, "curate.star"), ids(p1Key), ids(w1Key))...)
	if code == 0 || !strings.Contains(errOut, "swapped --workers and --persistence") {
		t.Fatalf("swapped node IDs: exit %d\n%s\n%s", code, out, errOut)
	}
	if eth, eng := balances(); eth.Cmp(eth0) != 0 || eng.Cmp(eng0) != 0 {
		t.Fatalf("refused listings spent: ETH %s → %s, ENG %s → %s", eth0, eth, eng0, eng)
	}
	if _, err := m.c.Dataset(ctx, path.ID(), nil); !errors.Is(err, chain.ErrUnknownDataset) {
		t.Fatalf("a refused listing reached the chain: %v", err)
	}

	// 2. Killed after the chain step, then resumed by the same command.
	good := register(filepath.Join(examples, "curate.star"), ids(w1Key), ids(p1Key, p2Key), "--schedule", "@daily")
	killAfter(t, m.cli, "register", good...)
	if _, err := m.c.Dataset(ctx, path.ID(), nil); err != nil {
		t.Fatalf("the killed listing's register did not land: %v", err)
	}
	_, engPaid := balances()
	if deposit := new(big.Int).Sub(eng0, engPaid); deposit.Cmp(chain.ENG(100)) != 0 {
		t.Fatalf("the register locked %s ENG, want 100", chain.FormatENG(deposit))
	}
	out, errOut, code = runEnigma(t, m.cli, "provider", "status", "--account", provider.Hex(), "daily")
	if code != 0 || !strings.Contains(out, "done  register") || !strings.Contains(out, "todo  certify") || !strings.Contains(out, "no certified record") {
		t.Fatalf("status of the interrupted listing: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, m.cli, good...)
	if code != 0 || strings.Contains(out, "done  register") || !strings.Contains(out, "done  keys") || !strings.Contains(out, "Certified and resolvable") {
		t.Fatalf("the listing run again: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("resumed listing:\n%s", out)
	if _, eng := balances(); eng.Cmp(engPaid) != 0 {
		t.Fatalf("the resumed listing paid again: ENG %s → %s", engPaid, eng)
	}

	// The first subscriber, in a datadir of its own, gets the keys from the
	// worker and queries.
	subDir := m.clientDatadir("subscriber1", m.subscriber)
	subCLI := append(append([]string{}, m.withBoot...), "ENIGMA_DATADIR="+subDir, "ENIGMA_PASSWORD=pw")
	if out, errOut, code := runEnigma(t, subCLI, "subscriber", "subscribe", "--periods", "1", path.String()); code != 0 {
		t.Fatalf("subscribe: exit %d\n%s\n%s", code, out, errOut)
	}
	count := func(cli []string) (int, error) {
		out, errOut, code := runEnigma(t, cli, "subscriber", "query", "--format", "csv", path.String(), "SELECT COUNT(*) FROM daily")
		if code != 0 {
			return 0, fmt.Errorf("exit %d: %s%s", code, out, errOut)
		}
		var n int
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if _, err := fmt.Sscan(lines[len(lines)-1], &n); err != nil {
			return 0, fmt.Errorf("count in %q: %w", out, err)
		}
		return n, nil
	}
	waitCount := func(cli []string, want int, within time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		deadline := start.Add(within)
		for {
			n, err := count(cli)
			if err == nil && n == want {
				return time.Since(start)
			}
			if time.Now().After(deadline) {
				t.Fatalf("the dataset never answered %d rows within %s (last: %d, %v)", want, within, n, err)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	waitCount(subCLI, 2920, 2*time.Minute)
	if _, err := os.Stat(filepath.Join(subDir, "grants", chain.Address(m.subscriber).Hex(), path.ID().Hex()+".grant")); err != nil {
		t.Fatalf("the subscriber's grant was not cached: %v", err)
	}
	out, errOut, code = runEnigma(t, subCLI, "subscriber", "query", "--format", "csv", path.String(),
		"SELECT asset, close FROM daily WHERE asset = 'ETH' AND close > 3000 ORDER BY close DESC LIMIT 3")
	if code != 0 || strings.Count(out, "ETH,") != 3 {
		t.Fatalf("a query on the encrypted columns: exit %d\n%s\n%s", code, out, errOut)
	}

	// 3. The update: a new script (no stablecoins), schedule and worker set,
	// while the subscriber keeps asking; every answer is one version's.
	var (
		mu      sync.Mutex
		seen    = map[int]int{}
		bad     []string
		stop    = make(chan struct{})
		polling sync.WaitGroup
	)
	polling.Add(1)
	go func() {
		defer polling.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			n, err := count(subCLI)
			mu.Lock()
			switch {
			case err != nil:
				bad = append(bad, err.Error())
			case n != 2920 && n != 2555:
				bad = append(bad, fmt.Sprintf("a query counted %d rows, neither version 1's 2920 nor version 2's 2555", n))
			default:
				seen[n]++
			}
			mu.Unlock()
		}
	}()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		ready := seen[2920] > 0 || len(bad) > 0
		mu.Unlock()
		if ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no query answered before the update")
		}
	}
	updateStart := time.Now()
	out, errOut, code = runEnigma(t, m.cli, "provider", "update", "--account", provider.Hex(),
		"--script", filepath.Join(examples, "curate-v2.star"), "--schedule", "@every 1h", "--workers", ids(w2Key), "--wait", "daily")
	if code != 0 || !strings.Contains(out, "Every persistence node serves version 2") {
		t.Fatalf("provider update: exit %d\n%s\n%s", code, out, errOut)
	}
	certified := regexp.MustCompile(`certified after (\S+)\.`).FindStringSubmatch(out)
	serving := regexp.MustCompile(`serves version 2, (\S+) after`).FindStringSubmatch(out)
	close(stop)
	polling.Wait()
	mu.Lock()
	if len(bad) > 0 {
		t.Fatalf("queries during the update: %s", strings.Join(bad, "\n"))
	}
	t.Logf("queries during the update answered: %v (rows → count)", seen)
	mu.Unlock()
	queried := time.Now()
	if n, err := count(subCLI); err != nil || n != 2555 {
		t.Fatalf("the first query after the update counted %d rows, want version 2's 2555: %v", n, err)
	}
	t.Logf("FIGURE update: 'provider update --wait' (script, schedule and worker set): version 2 certified after %s, served by every persistence node after %s; a query (a CLI process) then answered from it in %s, %s after the update started",
		certified[1], serving[1], time.Since(queried).Round(10*time.Millisecond), time.Since(updateStart).Round(10*time.Millisecond))
	out, errOut, code = runEnigma(t, m.cli, "provider", "status", "--account", provider.Hex(), "daily")
	if code != 0 || !strings.Contains(out, "version 2 certified") || !strings.Contains(out, "version 2: serving, 2555 rows") {
		t.Fatalf("status after the update: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("provider status after the update:\n%s", out)
	out, errOut, code = runEnigma(t, m.cli, "provider", "status", "--format", "json", "--account", provider.Hex(), "daily")
	ps := decodeJSON[providerStatusOut](t, "provider status --format json", out)
	servingV2 := 0
	for _, p := range ps.Persistence {
		for _, tb := range p.Tables {
			if tb.Version == 2 && tb.Serving && tb.HasRun && tb.Rows == 2555 && tb.NewestRun != "" {
				servingV2++
			}
		}
	}
	if code != 0 || ps.Ledger == nil || ps.Ledger.Version != 2 || !ps.Ledger.HashMatchesChain || ps.Chain == nil || len(ps.Workers) == 0 ||
		len(ps.Workers[0].Runs) == 0 || servingV2 != len(ps.Persistence) || servingV2 == 0 {
		t.Fatalf("provider status --format json after the update: exit %d %+v\n%s", code, ps, errOut)
	}

	// 4. The provider is gone (its commands have exited; its datadir is not
	// used again). A new subscriber is funded by the first, subscribes,
	// gets the keys from the new worker and queries encrypted columns.
	newcomer := chain.DevKey(7)
	newDir := m.clientDatadir("subscriber2", newcomer)
	newCLI := append(append([]string{}, m.withBoot...), "ENIGMA_DATADIR="+newDir, "ENIGMA_PASSWORD=pw")
	for _, args := range [][]string{
		{"account", "send", "--eth", "--to", chain.Address(newcomer).Hex(), "--amount", "1"},
		{"account", "send", "--to", chain.Address(newcomer).Hex(), "--amount", "50"},
	} {
		if out, errOut, code := runEnigma(t, subCLI, args...); code != 0 || !strings.Contains(out, "Sent") {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}
	out, _, code = runEnigma(t, newCLI, "account", "balance")
	if code != 0 || !strings.Contains(out, "ETH:       1\n") || !strings.Contains(out, "ENG:       50\n") {
		t.Fatalf("the new subscriber's balance: exit %d\n%s", code, out)
	}
	subscribed := time.Now()
	if out, errOut, code := runEnigma(t, newCLI, "subscriber", "subscribe", "--periods", "1", path.String()); code != 0 {
		t.Fatalf("new subscriber subscribe: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, newCLI, "subscriber", "query", "--format", "csv", path.String(),
		"SELECT asset, close FROM daily WHERE asset = 'ETH' AND close > 3000 ORDER BY close DESC LIMIT 3")
	if code != 0 || strings.Count(out, "ETH,") != 3 || !strings.Contains(errOut, "from one of its workers") {
		t.Fatalf("the new subscriber's query with the provider gone: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("FIGURE keys: subscribe → first decrypted result with the provider offline %s (two CLI processes: the subscribe with its approve and subscribe transactions, the query with its grant from the worker)",
		time.Since(subscribed).Round(10*time.Millisecond))
	if n, err := count(newCLI); err != nil || n != 2555 {
		t.Fatalf("the new subscriber counts %d rows: %v", n, err)
	}

	// 5. The provider's money: two subscriptions of 10 ENG credited.
	out, errOut, code = runEnigma(t, m.cli, "provider", "earnings", "--account", provider.Hex(), "daily")
	if code != 0 || !strings.Contains(out, "Paid in all:   20 ENG") || !strings.Contains(out, "waiting to be withdrawn 20 ENG") {
		t.Fatalf("provider earnings: exit %d\n%s\n%s", code, out, errOut)
	}
	_, before := balances()
	out, errOut, code = runEnigma(t, m.cli, "account", "withdraw", "--account", provider.Hex())
	if code != 0 || !strings.Contains(out, "Withdrew 20 ENG") {
		t.Fatalf("account withdraw: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, after := balances(); new(big.Int).Sub(after, before).Cmp(chain.ENG(20)) != 0 {
		t.Fatalf("the withdrawal moved %s ENG, want 20", chain.FormatENG(new(big.Int).Sub(after, before)))
	}
	m.checkLedgers([]int{0, 1, 2, 3}, "daily")
}

// clientDatadir makes a CLI datadir whose keystore holds key.
func (m *gethMarket) clientDatadir(name string, key *ecdsa.PrivateKey) string {
	dir := filepath.Join(m.root, name)
	ks, err := identity.OpenKeystore(filepath.Join(dir, "keystore"), identity.LightKDF)
	if err != nil {
		m.t.Fatal(err)
	}
	if _, err := ks.Import(key, "pw"); err != nil {
		m.t.Fatal(err)
	}
	return dir
}

// killAfter runs the CLI with --fault.stop-after step and SIGKILLs it once
// it reports that it stopped there.
func killAfter(t *testing.T, env []string, step string, args ...string) {
	t.Helper()
	args = append(append([]string{}, args[:len(args)-1]...), "--fault.stop-after", step, args[len(args)-1])
	cmd, stdout, stderr := startEnigma(t, env, args...)
	stopped := make(chan string, 1)
	var seen strings.Builder
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "fault injection: stopped after step "+step) {
				stopped <- seen.String()
			}
		}
		close(stopped)
	}()
	select {
	case out, ok := <-stopped:
		if !ok {
			cmd.Wait()
			t.Fatalf("the listing ended before step %s:\n%s", step, stderr.String())
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		t.Logf("killed after step %s:\n%s", step, out)
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the listing did not reach step %s in 2 minutes:\n%s", step, stderr.String())
	}
}

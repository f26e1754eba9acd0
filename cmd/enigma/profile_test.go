package main

import (
	"bufio"
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/node"
)

// TestEveryFlagHasItsEnvironmentVariable: every flag of every command can
// be set with ENIGMA_<FLAG> (hidden fault injection excepted), and the
// variable reaches a command that had none before issue 21.
func TestEveryFlagHasItsEnvironmentVariable(t *testing.T) {
	app := newApp()
	var walk func(path string, flags []cli.Flag, cmds []*cli.Command)
	checked := 0
	walk = func(path string, flags []cli.Flag, cmds []*cli.Command) {
		for _, f := range flags {
			if hiddenFromEnv(f) {
				continue
			}
			checked++
			env := f.(interface{ GetEnvVars() []string }).GetEnvVars()
			if len(env) == 0 || !strings.HasPrefix(env[0], "ENIGMA_") {
				t.Errorf("enigma %s --%s has no ENIGMA_… environment variable (%v)", path, f.Names()[0], env)
			}
		}
		for _, c := range cmds {
			walk(strings.TrimSpace(path+" "+c.Name), c.Flags, c.Subcommands)
		}
	}
	walk("", app.Flags, app.Commands)
	if checked < 100 {
		t.Fatalf("only %d flags checked: the walk missed commands", checked)
	}
	// market top's -n had no variable before; it is read before any dial.
	_, errOut, code := runEnigma(t, []string{"ENIGMA_DATADIR=" + t.TempDir(), "ENIGMA_N=0"}, "market", "top")
	if code != 1 || !strings.Contains(errOut, "-n must be at least 1") {
		t.Fatalf("ENIGMA_N=0 market top: exit %d, stderr %q", code, errOut)
	}
}

// TestClientProfileThenEnvironmentThenFlags: 'enigma config set' writes
// <datadir>/client.toml, every command reads it, and the environment and
// then the flags override it.
func TestClientProfileThenEnvironmentThenFlags(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{HTTPAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	dir := t.TempDir()
	env := []string{"ENIGMA_DATADIR=" + dir}
	out, errOut, code := runEnigma(t, env, "config", "set", "--chain.rpc", dc.URL(), "--market.address", dc.Deployment.Market.Hex(),
		"--chain.confirmations", "0", "--puzzle.static", "4")
	if code != 0 || !strings.Contains(out, "Wrote 4 setting(s)") {
		t.Fatalf("config set: exit %d\n%s%s", code, out, errOut)
	}
	info, err := os.Stat(filepath.Join(dir, profileFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("profile: %v, mode %v", err, info.Mode())
	}
	// A later set keeps what it does not name.
	if _, errOut, code := runEnigma(t, env, "config", "set", "--puzzle.dynamic", "5"); code != 0 {
		t.Fatalf("config set: %s", errOut)
	}
	out, _, _ = runEnigma(t, env, "config", "show")
	for _, want := range []string{"--chain.rpc", dc.URL(), "--puzzle.static        4", "--puzzle.dynamic       5", dc.Deployment.Market.Hex()} {
		if !strings.Contains(out, want) {
			t.Errorf("config show lacks %q:\n%s", want, out)
		}
	}

	// The profile alone reaches the chain.
	if out, errOut, code := runEnigma(t, env, "market", "list"); code != 0 || !strings.Contains(out, "No datasets yet") {
		t.Fatalf("market list with the profile only: exit %d\n%s%s", code, out, errOut)
	}
	// The environment outranks the profile...
	const dead = "http://127.0.0.1:1"
	if _, errOut, code := runEnigma(t, append(env, "ENIGMA_CHAIN_RPC="+dead), "market", "list"); code != 1 || !strings.Contains(errOut, "127.0.0.1:1") {
		t.Fatalf("ENIGMA_CHAIN_RPC over the profile: exit %d, stderr %q", code, errOut)
	}
	// ...and a flag outranks both.
	if out, errOut, code := runEnigma(t, append(env, "ENIGMA_CHAIN_RPC="+dead), "market", "list", "--chain.rpc", dc.URL()); code != 0 {
		t.Fatalf("--chain.rpc over the environment: exit %d\n%s%s", code, out, errOut)
	}

	// A broken profile is an error that names it, not a silent default.
	if err := os.WriteFile(filepath.Join(dir, profileFile), []byte("[chain]\nrcp = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runEnigma(t, env, "market", "list"); code != 1 || !strings.Contains(errOut, `unknown setting "chain.rcp"`) {
		t.Fatalf("typo in the profile: exit %d, stderr %q", code, errOut)
	}
}

// TestNodeInitHonoursTheChainSettings: node init writes the chain endpoint
// from the environment and awaits no confirmations on a dev chain (which
// mines on demand), one elsewhere, or what --chain.confirmations says.
func TestNodeInitHonoursTheChainSettings(t *testing.T) {
	load := func(dir string) node.Config {
		t.Helper()
		var cfg node.Config
		if _, err := toml.DecodeFile(filepath.Join(dir, node.ConfigFile), &cfg); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	for _, c := range []struct {
		args []string
		want uint64
	}{
		{nil, 0},
		{[]string{"--chain.id", "11155111"}, 1},
		{[]string{"--chain.id", "11155111", "--chain.confirmations", "12"}, 12},
	} {
		dir := t.TempDir()
		env := append([]string{"ENIGMA_DATADIR=" + dir, "ENIGMA_CHAIN_RPC=http://10.0.0.7:8545"}, fastPuzzle...)
		if _, errOut, code := runEnigma(t, env, append([]string{"node", "init"}, c.args...)...); code != 0 {
			t.Fatalf("node init %v: %s", c.args, errOut)
		}
		cfg := load(dir)
		if cfg.Chain.RPC != "http://10.0.0.7:8545" || cfg.Chain.Confirmations != c.want {
			t.Errorf("node init %v: chain %+v, want rpc from ENIGMA_CHAIN_RPC and %d confirmations", c.args, cfg.Chain, c.want)
		}
	}
}

// TestDevnetProfileIsPickedUpFromTheDatadir: with only ENIGMA_DATADIR set
// to a running devnet's directory, another terminal reads the chain, its
// accounts and the overlay.
func TestDevnetProfileIsPickedUpFromTheDatadir(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	dir := t.TempDir()
	cmd, stdout, stderr := startEnigma(t, nil, "--datadir", dir, "--log.level", "warn", "devnet", "--puzzle.static", "4", "--puzzle.dynamic", "4",
		"--police.probe-interval", "2s", "--police.probe-failures", "3", "--block-period", "250ms", "--metrics")
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	printed := make(chan string, 1)
	go func() {
		var all strings.Builder
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "Use it from another terminal") {
				printed <- all.String()
			}
		}
	}()
	var banner string
	select {
	case banner = <-printed:
	case <-done:
		t.Fatalf("the devnet exited:\n%s", stderr.String())
	case <-time.After(3 * time.Minute):
		t.Fatalf("the devnet did not start within 3 minutes:\n%s", stderr.String())
	}
	for _, want := range []string{"profile:", "probes every 2s", "miss 3 rounds in a row (≈6s offline)", "chain clock:", "an empty one every 250ms", "runs 4× the wall clock"} {
		if !strings.Contains(banner, want) {
			t.Errorf("the devnet's banner lacks %q:\n%s", want, banner)
		}
	}
	// --metrics: every node's endpoint is printed; each becomes ready.
	metricsURLs := regexp.MustCompile(`metrics:\s+node \d+ \(\S+\) (http://\S+)/metrics`).FindAllStringSubmatch(banner, -1)
	if len(metricsURLs) != 10 {
		t.Errorf("%d metrics URLs in the banner, want one per node (10):\n%s", len(metricsURLs), banner)
	}
	for _, m := range metricsURLs {
		deadline := time.Now().Add(time.Minute)
		for {
			resp, err := http.Get(m[1] + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s/readyz not ready within a minute: %v %v", m[1], resp, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	account := regexp.MustCompile(`account 1:\s+(0x[0-9a-fA-F]{40})`).FindStringSubmatch(banner)
	bootstrap := regexp.MustCompile(`bootstrap:\s+([0-9a-f]{64})@`).FindStringSubmatch(banner)
	if account == nil || bootstrap == nil {
		t.Fatalf("no account or bootstrap in the banner:\n%s", banner)
	}
	env := []string{"ENIGMA_DATADIR=" + dir}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"market", "list"}, "No datasets yet"},                         // chain RPC and Marketplace
		{[]string{"account", "balance", "--account", account[1]}, "ENG"},        // the same, for an account
		{[]string{"dht", "find-node", bootstrap[1]}, "* " + bootstrap[1] + "@"}, // bootstrap and puzzles
	} {
		out, errOut, code := runEnigma(t, env, c.args...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("ENIGMA_DATADIR=<devnet> enigma %s: exit %d, want %q in\n%s%s", strings.Join(c.args, " "), code, c.want, out, errOut)
		}
	}
	// The password file lets a spending command unlock the dev account
	// without ENIGMA_PASSWORD: a trial of an unknown dataset gets as far as
	// the chain's answer.
	_, errOut, code := runEnigma(t, env, "subscriber", "trial", "--account", account[1], account[1]+"/nosuch")
	if code != 1 || !strings.Contains(errOut, "UnknownDataset") {
		t.Errorf("subscriber trial with the devnet's profile: exit %d, stderr %q", code, errOut)
	}
}

// TestVersionAndCompletion: --version names the release, the commit and
// the contracts the datadir knows; the completion scripts ask the binary
// for the words that fit.
func TestVersionAndCompletion(t *testing.T) {
	dir := t.TempDir()
	const market = "0x00000000000000000000000000000000000000Aa"
	if _, errOut, code := runEnigma(t, []string{"ENIGMA_DATADIR=" + dir}, "config", "set", "--market.address", market); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := runEnigma(t, []string{"ENIGMA_DATADIR=" + dir}, "--version")
	if code != 0 || !strings.HasPrefix(out, "enigma ") || !strings.Contains(out, "commit: ") || !strings.Contains(strings.ToLower(out), strings.ToLower(market)) {
		t.Fatalf("--version: exit %d\n%s%s", code, out, errOut)
	}
	for shell, want := range map[string]string{"bash": "complete -o bashdefault -o default -F _enigma_complete enigma", "zsh": "compdef _enigma enigma"} {
		if out, _, code := runEnigma(t, nil, "completion", shell); code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d\n%s", shell, code, out)
		}
	}
	if _, errOut, code := runEnigma(t, nil, "completion", "fish"); code != 1 || !strings.Contains(errOut, "use bash or zsh") {
		t.Errorf("completion fish: exit %d, %q", code, errOut)
	}
	out, _, _ = runEnigma(t, nil, "subscriber", "--generate-bash-completion")
	for _, want := range []string{"subscribe", "renew", "status"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("completion of 'enigma subscriber' lacks %s:\n%s", want, out)
		}
	}
}

// TestNodeDoctor: node doctor checks a datadir against its chain and says
// what to fix, as JSON for scripts too; a failed check exits 1.
func TestNodeDoctor(t *testing.T) {
	d := startDevChainCLI(t)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append([]string{"ENIGMA_DATADIR=" + dir}, fastPuzzle...)
	if _, errOut, code := runEnigma(t, env, "node", "init", "--roles", "validator", "--listen", "127.0.0.1:0", "--metrics.addr", "127.0.0.1:0",
		"--chain.rpc", d.dc.URL(), "--market.address", d.dc.Deployment.Market.Hex()); code != 0 {
		t.Fatalf("node init: %s", errOut)
	}
	doctor := func(env []string) (map[string]doctorCheck, int) {
		t.Helper()
		out, errOut, code := runEnigma(t, env, "node", "doctor", "--format", "json")
		checks := map[string]doctorCheck{}
		for _, c := range decodeJSON[[]doctorCheck](t, "node doctor", out) {
			checks[c.Check] = c
		}
		if code != 0 && !strings.Contains(errOut, "check(s) failed") {
			t.Errorf("node doctor exit %d without saying why: %s", code, errOut)
		}
		return checks, code
	}
	checks, code := doctor(env)
	for _, name := range []string{"datadir", "config", "node key", "chain", "contracts", "listen", "metrics"} {
		if checks[name].Status != "ok" {
			t.Errorf("doctor %s: %+v", name, checks[name])
		}
	}
	// The dev chain names no validators yet: the validator check fails and
	// says who fixes it.
	if v := checks["validator"]; v.Status != "fail" || !strings.Contains(v.Detail, "set-validators") && !strings.Contains(v.Detail, "validator") || code != 1 {
		t.Errorf("doctor validator: %+v (exit %d)", v, code)
	}

	// A Marketplace address without a contract is found.
	cfgPath := filepath.Join(dir, node.ConfigFile)
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	wrong := strings.Replace(string(b), d.dc.Deployment.Market.Hex(), "0x00000000000000000000000000000000000000Aa", 1)
	if err := os.WriteFile(cfgPath, []byte(wrong), 0o600); err != nil {
		t.Fatal(err)
	}
	if checks, code := doctor(env); checks["contracts"].Status != "fail" || !strings.Contains(checks["contracts"].Detail, "no contract") || code != 1 {
		t.Errorf("doctor with a wrong Marketplace address: %+v (exit %d)", checks["contracts"], code)
	}

	// A datadir without a config says to run node init.
	if checks, code := doctor(append([]string{"ENIGMA_DATADIR=" + t.TempDir()}, fastPuzzle...)); checks["config"].Status != "fail" ||
		!strings.Contains(checks["config"].Detail, "node init") || code != 1 {
		t.Errorf("doctor without a config: %+v (exit %d)", checks["config"], code)
	}
}

// TestFlagsOfOneNameShareAVariableOnlyWhenTheyMeanTheSame: two commands'
// flags read one ENIGMA_… variable only when the flag means the same in
// both (a dataset path, an output format, a timeout, a simulation's seed);
// flags whose meaning differs (a send's --to and a mint's, a key file's
// --out and a grant's) read ENIGMA_<COMMAND>_<FLAG>, so a variable set for
// one command changes no other.
func TestFlagsOfOneNameShareAVariableOnlyWhenTheyMeanTheSame(t *testing.T) {
	sameMeaning := map[string]bool{
		"format": true, "dataset": true, "schema": true, "script": true, "timeout": true, "json": true,
		"http.addr": true, "police.probe-interval": true, "police.probe-failures": true, "validator-set-delay": true,
		"examples": true, // the example dataset directory
		// The simulators' and benchmarks' parameters of one model.
		"seed": true, "seeds": true, "alpha": true, "bucket": true, "siblings": true, "paths": true, "lookups": true,
		"nodes": true, "replicas": true, "clients": true, "batch": true, "duration": true,
	}
	app := newApp()
	type use struct {
		flag cli.Flag
		cmd  string
	}
	byEnv := map[string][]use{}
	var walk func(path string, flags []cli.Flag, cmds []*cli.Command)
	walk = func(path string, flags []cli.Flag, cmds []*cli.Command) {
		for _, f := range flags {
			if env := f.(interface{ GetEnvVars() []string }).GetEnvVars(); len(env) > 0 {
				byEnv[env[0]] = append(byEnv[env[0]], use{f, path})
			}
		}
		for _, c := range cmds {
			walk(strings.TrimSpace(path+" "+c.Name), c.Flags, c.Subcommands)
		}
	}
	walk("", app.Flags, app.Commands)
	for env, uses := range byEnv {
		flags := map[cli.Flag]bool{}
		var cmds []string
		for _, u := range uses {
			flags[u.flag] = true
			cmds = append(cmds, u.cmd)
		}
		if name := uses[0].flag.Names()[0]; len(flags) > 1 && !sameMeaning[name] {
			t.Errorf("%s is read by %d different --%s flags (%v): scope it (scopedEnv) or, if they mean the same, say so here", env, len(flags), name, cmds)
		}
	}
	for cmd, env := range map[string]string{"account send": "ENIGMA_ACCOUNT_SEND_TO", "contracts mint": "ENIGMA_CONTRACTS_MINT_TO", "provider grant": "ENIGMA_PROVIDER_GRANT_TO"} {
		if u := byEnv[env]; len(u) != 1 || u[0].cmd != cmd {
			t.Errorf("%s --to: want %s alone, got %v", cmd, env, u)
		}
	}
	if u := byEnv["ENIGMA_LISTEN"]; len(u) != 2 || u[0].cmd != "node init" || u[1].cmd != "node run" {
		t.Errorf("ENIGMA_LISTEN is the node's listen address only: %v", u)
	}
	// A recipient and an amount exported for 'account send' do not make
	// 'contracts mint' mint (nor 'provider deposit' deposit): they are
	// not its variables, and its own are required.
	env := []string{"ENIGMA_DATADIR=" + t.TempDir(), "ENIGMA_TO=0x00000000000000000000000000000000000000aa", "ENIGMA_AMOUNT=5",
		"ENIGMA_ACCOUNT_SEND_TO=0x00000000000000000000000000000000000000aa", "ENIGMA_ACCOUNT_SEND_AMOUNT=5"}
	if _, errOut, code := runEnigma(t, env, "contracts", "mint"); code == 0 || !strings.Contains(errOut, `Required flags "to, amount" not set`) {
		t.Errorf("contracts mint with another command's variables: exit %d, %s", code, errOut)
	}
}

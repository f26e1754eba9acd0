package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
)

// TestChainCommandsAgainstDevChain runs the provider, subscriber and market
// commands as a user would, against a dev chain served over HTTP.
func TestChainCommandsAgainstDevChain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{HTTPAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	dir := t.TempDir()
	ks, err := identity.OpenKeystore(filepath.Join(dir, "keystore"), identity.LightKDF)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := dc.ImportKeys(ks, "pw")
	if err != nil {
		t.Fatal(err)
	}
	// ENIGMA_YES: these runs are scripts; TestSpendingNeedsAConfirmation
	// tests the confirmation.
	env := []string{"ENIGMA_DATADIR=" + dir, "ENIGMA_PASSWORD=pw", "ENIGMA_CHAIN_RPC=" + dc.URL(), "ENIGMA_MARKET_ADDRESS=" + dc.Deployment.Market.Hex(), "ENIGMA_YES=true"}
	prov, sub := accts[1].Hex(), accts[2].Hex()
	path := prov + "/weather"
	run := func(wantCode int, args ...string) string {
		t.Helper()
		out, errOut, code := runEnigma(t, env, args...)
		if code != wantCode {
			t.Fatalf("enigma %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, wantCode, out, errOut)
		}
		return out + errOut
	}
	hash := "0x" + strings.Repeat("ab", 32)
	out := run(0, "provider", "register", "--account", prov, "--price", "10", "--deposit", "150", "--metadata-hash", hash, "--trial", "24h", "weather")
	if !strings.Contains(out, "Approved the Marketplace to spend 150 ENG") || !strings.Contains(out, "Registered "+path) {
		t.Fatalf("register output: %s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"subscriber", "subscribe", "--account", sub, "--periods", "0", path}, "--periods 0: a subscription buys 1 to 24 periods"},
		{[]string{"subscriber", "subscribe", "--account", sub, prov + "/nosuch"}, "no dataset " + prov + "/nosuch"},
		{[]string{"subscriber", "subscribe", "--account", sub, "--approve=false", path}, "allows the Marketplace to spend 0 ENG but this needs 10 ENG"},
		{[]string{"provider", "register", "--account", prov, "--price", "1", "--metadata-hash", hash, "weather"}, "registered already"},
		{[]string{"subscriber", "unsubscribe", "--account", sub, path}, "NotSubscribed"},
	} {
		if out := run(1, c.args...); !strings.Contains(out, c.want) {
			t.Fatalf("enigma %s: want %q in\n%s", strings.Join(c.args, " "), c.want, out)
		}
	}
	out = run(0, "subscriber", "subscribe", "--account", sub, "--periods", "2", path)
	if !strings.Contains(out, "paid 20 ENG") {
		t.Fatalf("subscribe output: %s", out)
	}
	if out = run(0, "subscriber", "status", "--account", sub, path); !strings.Contains(out, "Access:       true") {
		t.Fatalf("status output: %s", out)
	}
	ok, err := chainClient(t, dc).HasAccess(ctx, chain.DatasetID(accts[1], "weather"), accts[2])
	if err != nil || !ok {
		t.Fatalf("on-chain access after the CLI subscribed: %v, %v", ok, err)
	}
	if out = run(0, "market", "top"); !regexp.MustCompile(`weather\s+10 ENG\s+1\s+20 ENG\s+150 ENG\s+active`).MatchString(out) {
		t.Fatalf("market top output: %s", out)
	}
	if out = run(0, "provider", "withdraw", "--account", prov); !strings.Contains(out, "Withdrew 20 ENG of payouts") {
		t.Fatalf("withdraw output: %s", out)
	}
	// 'provider withdraw' without a name is 'account withdraw': the same
	// checks, the same refusal once nothing is credited.
	for _, cmd := range [][]string{{"account", "withdraw"}, {"provider", "withdraw"}} {
		if out = run(1, append(cmd, "--account", prov)...); !strings.Contains(out, "no payouts credited") {
			t.Fatalf("%v with nothing credited: %s", cmd, out)
		}
	}
	run(0, "subscriber", "renew", "--account", sub, "--auto", "--lead", "3000h", "--poll", "10ms", "--max-renewals", "2", path)
	s, err := chainClient(t, dc).Subscription(ctx, chain.DatasetID(accts[1], "weather"), accts[2])
	if err != nil || s.Expiry-s.RunStart != 4*uint64(chain.Period/time.Second) {
		t.Fatalf("after two auto-renewals: %+v, %v", s, err)
	}
	run(0, "market", "show", path)
	if out = run(0, "market", "events"); !strings.Contains(out, "DatasetRegistered") || strings.Count(out, "Subscribed") != 3 {
		t.Fatalf("market events output: %s", out)
	}
	if out = run(1, "subscriber", "refund", "--account", sub, "--epoch", "1", path); !strings.Contains(out, "NoRefund") {
		t.Fatalf("refund without a slash: %s", out)
	}
}

// TestContractsDeployAndMint deploys a second Marketplace from a keystore
// account over JSON-RPC; later commands find it through deployment.json.
func TestContractsDeployAndMint(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dc, err := chain.StartDevChain(ctx, chain.DevChainConfig{HTTPAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	dir := t.TempDir()
	ks, err := identity.OpenKeystore(filepath.Join(dir, "keystore"), identity.LightKDF)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := dc.ImportKeys(ks, "pw")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"ENIGMA_DATADIR=" + dir, "ENIGMA_PASSWORD=pw", "ENIGMA_CHAIN_RPC=" + dc.URL(), "ENIGMA_YES=true"}
	out, errOut, code := runEnigma(t, env, "market", "list")
	if code != 1 || !strings.Contains(errOut, "no Marketplace address") {
		t.Fatalf("market list before any deployment: exit %d: %s%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, env, "contracts", "deploy", "--account", accts[0].Hex(), "--chain.id", "1337", "--min-deposit", "5", "--validator-set-delay", "1h")
	if code != 0 || !strings.Contains(out, "Marketplace: 0x") {
		t.Fatalf("deploy: exit %d: %s%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, env, "contracts", "mint", "--account", accts[0].Hex(), "--to", accts[3].Hex(), "--amount", "5")
	if code != 0 || !strings.Contains(out, "Minted 5 ENG") {
		t.Fatalf("mint: exit %d: %s%s", code, out, errOut)
	}
	out, errOut, code = runEnigma(t, env, "market", "list")
	if code != 0 || !strings.Contains(out, "No datasets yet") {
		t.Fatalf("market list on the new deployment: exit %d: %s%s", code, out, errOut)
	}
	setValidators := func(from common.Address, n int, extra ...string) (string, string, int) {
		args := []string{"contracts", "set-validators", "--account", from.Hex()}
		for i := range n {
			args = append(args, fmt.Sprintf("--validator=%s:0x%s", common.BigToAddress(big.NewInt(int64(i+1))).Hex(), strings.Repeat(fmt.Sprintf("%02x", i+1), 32)))
		}
		return runEnigma(t, env, append(args, extra...)...)
	}
	// Refused before any transaction: too few validators, or a threshold
	// outside [quorum, n−f].
	_, errOut, code = setValidators(accts[0], 3)
	if code != 1 || !strings.Contains(errOut, "at least 4") {
		t.Fatalf("set-validators with 3 validators: exit %d: %s", code, errOut)
	}
	_, errOut, code = setValidators(accts[0], 5, "--threshold", "3")
	if code != 1 || !strings.Contains(errOut, "--threshold") || !strings.Contains(errOut, "exactly 4 signatures") || !strings.Contains(errOut, "share a correct validator") {
		t.Fatalf("set-validators with 5 validators and threshold 3: exit %d: %s", code, errOut)
	}
	_, errOut, code = setValidators(accts[0], 6, "--threshold", "6")
	if code != 1 || !strings.Contains(errOut, "4..5 signatures") || !strings.Contains(errOut, "correct validators alone") {
		t.Fatalf("set-validators with 6 validators and threshold 6: exit %d: %s", code, errOut)
	}
	out, errOut, code = setValidators(accts[0], 6)
	if code != 0 || !strings.Contains(out, "Epoch 1: 6 validators, 4 signatures per slash") {
		t.Fatalf("set-validators with the default threshold: exit %d: %s%s", code, out, errOut)
	}
	// Later sets are announced and take effect after the deployment's
	// validator-set delay (1h here), when anyone activates them.
	out, errOut, code = setValidators(accts[0], 6)
	if code != 0 || !strings.Contains(out, "Announced epoch 2: 6 validators, 4 signatures per slash") ||
		!strings.Contains(out, "1h0m0s validator-set delay); epoch 1 stays in force") || !strings.Contains(out, "enigma contracts activate-validators") {
		t.Fatalf("set-validators announcing epoch 2: exit %d: %s%s", code, out, errOut)
	}
	out, errOut, code = setValidators(accts[0], 6, "--threshold", "5")
	if code != 0 || !strings.Contains(out, "Replaced the set announced for epoch 2") || !strings.Contains(out, "Announced epoch 2: 6 validators, 5 signatures per slash") {
		t.Fatalf("set-validators --threshold 5 replacing the announcement: exit %d: %s%s", code, out, errOut)
	}
	_, errOut, code = runEnigma(t, env, "contracts", "activate-validators", "--account", accts[2].Hex())
	if code != 1 || !strings.Contains(errOut, "the set announced for epoch 2 takes effect at") {
		t.Fatalf("activate-validators before the delay: exit %d: %s", code, errOut)
	}
	if err := dc.AdjustTime(time.Hour); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runEnigma(t, env, "contracts", "activate-validators", "--account", accts[2].Hex())
	if code != 0 || !strings.Contains(out, "Epoch 2: 6 validators, 5 signatures per slash") {
		t.Fatalf("activate-validators after the delay, by a non-owner: exit %d: %s%s", code, out, errOut)
	}
	_, errOut, code = runEnigma(t, env, "contracts", "activate-validators", "--account", accts[2].Hex())
	if code != 1 || !strings.Contains(errOut, "no validator set is announced") {
		t.Fatalf("activate-validators with nothing announced: exit %d: %s", code, errOut)
	}
	if out, errOut, code = setValidators(accts[0], 4); code != 0 || !strings.Contains(out, "Announced epoch 3") {
		t.Fatalf("set-validators announcing epoch 3: exit %d: %s%s", code, out, errOut)
	}
	_, errOut, code = runEnigma(t, env, "contracts", "cancel-validators", "--account", accts[1].Hex())
	if code != 1 || !strings.Contains(errOut, "NotOwner") {
		t.Fatalf("cancel-validators by a stranger: exit %d: %s", code, errOut)
	}
	out, errOut, code = runEnigma(t, env, "contracts", "cancel-validators", "--account", accts[0].Hex())
	if code != 0 || !strings.Contains(out, "Withdrew the set announced for epoch 3") {
		t.Fatalf("cancel-validators: exit %d: %s%s", code, out, errOut)
	}
	_, errOut, code = setValidators(accts[1], 4)
	if code != 1 || !strings.Contains(errOut, "NotOwner") {
		t.Fatalf("set-validators by a stranger: exit %d: %s", code, errOut)
	}
	_, errOut, code = runEnigma(t, env, "contracts", "deploy", "--account", accts[0].Hex(), "--chain.id", "1")
	if code != 1 || !strings.Contains(errOut, "not --chain.id 1") {
		t.Fatalf("deploy to the wrong chain: exit %d: %s", code, errOut)
	}
}

func chainClient(t *testing.T, dc *chain.DevChain) *chain.Client {
	t.Helper()
	c, err := dc.Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRenewDue(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	if !renewDue(now, 1_000_000+3600, 2*time.Hour) {
		t.Fatal("an hour left with a two-hour lead is due")
	}
	if renewDue(now, 1_000_000+3*3600, 2*time.Hour) {
		t.Fatal("three hours left with a two-hour lead is not due")
	}
	if !renewDue(now, 0, 0) {
		t.Fatal("a lapsed subscription is due")
	}
}

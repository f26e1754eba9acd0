package main

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/enigma-mpc/enigma/chain"
)

// TestSpendingNeedsAConfirmation: a command that moves money shows a
// summary, sends nothing under --dry-run, refuses on a non-terminal
// without --yes, and refuses before approving anything when the
// transaction would revert (a deactivated dataset, paid too far ahead) —
// each checked on the dev chain: balances, allowances and nonces unchanged.
func TestSpendingNeedsAConfirmation(t *testing.T) {
	d := startDevChainCLI(t)
	ctx := context.Background()
	c := chainClient(t, d.dc)
	ec, err := ethclient.Dial(d.dc.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	prov, sub := d.accts[1], d.accts[2]
	path := prov + "/weather"
	type state struct {
		eng, allowance *big.Int
		nonce          uint64
	}
	read := func(acct string) state {
		t.Helper()
		a := common.HexToAddress(acct)
		eng, err := c.TokenBalance(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		allowance, err := c.Allowance(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		nonce, err := ec.NonceAt(ctx, a, nil)
		if err != nil {
			t.Fatal(err)
		}
		return state{eng, allowance, nonce}
	}
	unchanged := func(what, acct string, before state) {
		t.Helper()
		after := read(acct)
		if after.eng.Cmp(before.eng) != 0 || after.allowance.Cmp(before.allowance) != 0 || after.nonce != before.nonce {
			t.Errorf("%s sent something: ENG %s → %s, allowance %s → %s, nonce %d → %d", what,
				before.eng, after.eng, before.allowance, after.allowance, before.nonce, after.nonce)
		}
	}

	// register, raw path: refused without --yes, previewed with --dry-run.
	register := []string{"provider", "register", "--account", prov, "--price", "10", "--deposit", "150", "--metadata-hash", "0x" + strings.Repeat("ab", 32), "weather"}
	before := read(prov)
	if _, errOut := d.run(t, 1, register...); !strings.Contains(errOut, "--yes") || !strings.Contains(errOut, "nothing was sent") {
		t.Errorf("register on a non-terminal without --yes: %s", errOut)
	}
	out, _ := d.run(t, 0, append([]string{"provider", "register", "--dry-run"}, register[2:]...)...)
	for _, want := range []string{"Register " + path, "pays:      150 ENG", "approves:  the Marketplace to pull 150 ENG", "Dry run: nothing was sent."} {
		if !strings.Contains(out, want) {
			t.Errorf("register --dry-run lacks %q:\n%s", want, out)
		}
	}
	unchanged("register refused and dry run", prov, before)
	d.run(t, 0, append([]string{"provider", "register", "--yes"}, register[2:]...)...)

	// subscribe: the same, and the summary says what it costs and that
	// unsubscribing refunds nothing.
	subscribe := []string{"subscriber", "subscribe", "--account", sub, "--periods", "2", path}
	before = read(sub)
	if _, errOut := d.run(t, 1, subscribe...); !strings.Contains(errOut, "no terminal") {
		t.Errorf("subscribe on a non-terminal without --yes: %s", errOut)
	}
	out, _ = d.run(t, 0, append([]string{"subscriber", "subscribe", "--dry-run"}, subscribe[2:]...)...)
	for _, want := range []string{"Subscribe to " + path + " for 2 period(s)", "pays:      20 ENG", "refunds nothing", "Dry run: nothing was sent."} {
		if !strings.Contains(out, want) {
			t.Errorf("subscribe --dry-run lacks %q:\n%s", want, out)
		}
	}
	unchanged("subscribe refused and dry run", sub, before)

	// account send and provider deposit refuse the same way.
	before = read(prov)
	d.run(t, 1, "account", "send", "--account", prov, "--to", sub, "--amount", "1")
	d.run(t, 1, "provider", "deposit", "--account", prov, "--amount", "5", "weather")
	d.run(t, 0, "provider", "deposit", "--dry-run", "--account", prov, "--amount", "5", "weather")
	unchanged("send and deposit refused, deposit dry run", prov, before)

	// A subscribe the contract would refuse (paid more than 24 periods
	// ahead) is refused before the approve: the simulation runs first.
	d.run(t, 0, "subscriber", "subscribe", "--yes", "--account", sub, "--periods", "24", path)
	before = read(sub)
	if _, errOut := d.run(t, 1, "subscriber", "subscribe", "--yes", "--account", sub, "--periods", "1", path); !strings.Contains(errOut, "PaidTooFarAhead") ||
		!strings.Contains(errOut, "nothing was sent") {
		t.Errorf("subscribe paid too far ahead: %s", errOut)
	}
	unchanged("a subscribe that would revert", sub, before)

	// A deactivated dataset takes no subscription, and no approve is left
	// behind.
	d.run(t, 0, "provider", "deactivate", "--account", prov, "weather")
	other := d.accts[3]
	before = read(other)
	if _, errOut := d.run(t, 1, "subscriber", "subscribe", "--yes", "--account", other, path); !strings.Contains(errOut, "deactivated") {
		t.Errorf("subscribe to a deactivated dataset: %s", errOut)
	}
	unchanged("subscribe to a deactivated dataset", other, before)
	if got := read(other).allowance; got.Sign() != 0 {
		t.Errorf("an allowance of %s was left behind", chain.FormatENG(got))
	}
}

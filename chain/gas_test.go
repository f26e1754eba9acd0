package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"os"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// gasRow is one measured operation.
type gasRow struct {
	op  string
	gas uint64
}

// measureGas runs each Marketplace operation on a fresh dev chain and
// returns the gas its transaction used.
func measureGas(tb testing.TB) []gasRow {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// A short validator-set delay lets the second set be activated without
	// moving the clock far; the delay does not change any gas figure.
	params := DefaultDeployParams()
	params.ValidatorSetDelay = time.Minute
	dc, err := StartDevChain(ctx, DevChainConfig{Accounts: 8, Logger: quietLogger, Deploy: params})
	if err != nil {
		tb.Fatal(err)
	}
	defer dc.Close()
	c, err := dc.Client(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	owner, prov, subs := dc.Keys[0], dc.Keys[1], dc.Keys[2:]
	var rows []gasRow
	record := func(op string, r *types.Receipt, err error) {
		if err != nil {
			tb.Fatalf("%s: %v", op, err)
		}
		rows = append(rows, gasRow{op, r.GasUsed})
	}
	for _, k := range dc.Keys {
		if _, err := c.Approve(ctx, k, ENG(1_000_000)); err != nil {
			tb.Fatal(err)
		}
	}
	p := RegisterParams{
		Name: "weather", Price: ENG(10), Deposit: ENG(200), MetadataHash: common.HexToHash("0x1234"),
		Payouts: []Payout{
			{Account: Address(prov), Bps: 7000},
			{Account: common.HexToAddress("0xaaaa"), Bps: 2000},
			{Account: common.HexToAddress("0xbbbb"), Bps: 1000},
		},
		TrialPeriod: 7 * 24 * time.Hour,
	}
	id, r, err := c.Register(ctx, prov, p)
	record("register (3 payout shares, 7-character name)", r, err)
	r, err = c.Subscribe(ctx, subs[0], id, 1)
	record("subscribe, 1 period (first subscriber of the period)", r, err)
	r, err = c.Subscribe(ctx, subs[1], id, 1)
	record("subscribe, 1 period (later subscriber)", r, err)
	r, err = c.Subscribe(ctx, subs[0], id, 1)
	record("renew, 1 period", r, err)
	r, err = c.Subscribe(ctx, subs[2], id, 12)
	record("subscribe, 12 periods", r, err)
	r, err = c.StartTrial(ctx, subs[3], id)
	record("startTrial", r, err)
	r, err = c.Unsubscribe(ctx, subs[1], id)
	record("unsubscribe", r, err)
	r, err = c.Withdraw(ctx, prov)
	record("withdraw (payouts)", r, err)

	validators := func(n, salt int) ([]*ecdsa.PrivateKey, []common.Address, [][32]byte) {
		var keys []*ecdsa.PrivateKey
		var accts []common.Address
		var nodeKeys [][32]byte
		for i := 0; i < n; i++ {
			k := DevKey(1000 + 10*n + 100*salt + i)
			keys = append(keys, k)
			accts = append(accts, Address(k))
			nodeKeys = append(nodeKeys, [32]byte{byte(n), byte(salt), byte(i + 1)})
		}
		return keys, accts, nodeKeys
	}
	for _, size := range []struct{ n, threshold int }{{4, 3}, {7, 5}} {
		keys, accts, nodeKeys := validators(size.n, 0)
		if size.n == 4 {
			r, err = c.SetValidators(ctx, owner, accts, nodeKeys, uint16(size.threshold))
			record("setValidators (4 validators, the first set: effective at once)", r, err)
		} else {
			// Later sets are announced, and take effect after the delay.
			// Measured: announcing, replacing the announcement with a set
			// of the same size, and activating.
			_, otherAccts, otherKeys := validators(size.n, 1)
			r, err = c.SetValidators(ctx, owner, otherAccts, otherKeys, uint16(size.threshold))
			record(fmt.Sprintf("setValidators (%d validators, announced)", size.n), r, err)
			r, err = c.SetValidators(ctx, owner, accts, nodeKeys, uint16(size.threshold))
			record(fmt.Sprintf("setValidators (%d validators, replacing an announced %d)", size.n, size.n), r, err)
			if err := dc.AdjustTime(params.ValidatorSetDelay); err != nil {
				tb.Fatal(err)
			}
			r, err = c.ActivateValidators(ctx, subs[5])
			record(fmt.Sprintf("activateValidators (%d validators)", size.n), r, err)
		}
		epoch, err := c.Epoch(ctx, nil)
		if err != nil {
			tb.Fatal(err)
		}
		digest := c.SlashDigest(id, OffencePersistenceOffline, epoch)
		var sigs [][]byte
		for _, k := range keys[:size.threshold] {
			s, err := SignSlash(k, digest)
			if err != nil {
				tb.Fatal(err)
			}
			sigs = append(sigs, s)
		}
		r, err = c.Slash(ctx, subs[4], id, OffencePersistenceOffline, epoch, sigs)
		record(fmt.Sprintf("slash (%d of %d signatures)", size.threshold, size.n), r, err)
	}
	return rows
}

// BenchmarkGasTable prints the gas of each Marketplace operation; the
// figures are also reported as metrics. Gas is deterministic: one run per
// iteration gives the same table.
func BenchmarkGasTable(b *testing.B) {
	var rows []gasRow
	for i := 0; i < b.N; i++ {
		rows = measureGas(b)
	}
	b.StopTimer()
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tgas\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t\n", r.op, r.gas)
	}
	fmt.Fprintf(tw, "anchor: Unlock Protocol ERC-20 key purchase\t%d\t\n", 164295)
	tw.Flush()
}

// TestGasWithinBudget keeps the everyday operations near the anchor, so a
// change that makes them much dearer is noticed.
func TestGasWithinBudget(t *testing.T) {
	budget := map[string]uint64{
		"subscribe, 1 period (later subscriber)": 164_295,
		"renew, 1 period":                        164_295,
		"startTrial":                             164_295,
	}
	for _, r := range measureGas(t) {
		if max, ok := budget[r.op]; ok && r.gas > max {
			t.Errorf("%s uses %d gas, more than the %d of an Unlock Protocol key purchase", r.op, r.gas, max)
		}
	}
}

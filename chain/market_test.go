package chain

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain/contracts"
	"github.com/enigma-mpc/enigma/dataset"
)

func TestRegisterAndRead(t *testing.T) {
	e := newEnv(t)
	before, err := e.c.BlockNumber(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := e.register("weather")
	if want := (dataset.Path{Provider: Address(e.prov), Name: "weather"}).ID(); id != want {
		t.Fatalf("dataset ID %s, dataset.Path.ID %s", id, want)
	}
	d, err := e.c.Dataset(e.ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := e.defaultParams("weather")
	if d.Provider != Address(e.prov) || d.Name != "weather" || d.Price.Cmp(p.Price) != 0 || d.Deposit.Cmp(p.Deposit) != 0 ||
		d.MetadataHash != p.MetadataHash || !d.Active || d.TrialPeriod != uint64(p.TrialPeriod/time.Second) || len(d.Payouts) != 3 {
		t.Fatalf("dataset read back differs: %+v", d)
	}
	facts, err := e.c.DatasetAt(e.ctx, id, before)
	if err != nil || facts.Exists {
		t.Fatalf("at block %d before registration: %+v, %v", before, facts, err)
	}
	now, _ := e.c.BlockNumber(e.ctx)
	facts, err = e.c.DatasetAt(e.ctx, id, now)
	if err != nil || !facts.Exists || facts.Owner != Address(e.prov) || facts.MetadataHash != p.MetadataHash || !facts.Active {
		t.Fatalf("at block %d: %+v, %v", now, facts, err)
	}
	ids, err := e.c.DatasetIDs(e.ctx)
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Fatalf("dataset IDs %v, %v", ids, err)
	}
	if got := e.balance(e.c.Market()); got.Cmp(p.Deposit) != 0 {
		t.Fatalf("market holds %s, want the deposit %s", got, p.Deposit)
	}
	if _, err := e.c.Dataset(e.ctx, common.HexToHash("0x99"), nil); !errors.Is(err, ErrUnknownDataset) {
		t.Fatalf("unknown dataset: %v", err)
	}
}

func TestRegisterReverts(t *testing.T) {
	e := newEnv(t)
	e.approve(e.prov, ENG(10_000))
	base := e.defaultParams("x")
	cases := []struct {
		name   string
		mutate func(*RegisterParams)
		revert string
	}{
		{"empty name", func(p *RegisterParams) { p.Name = "" }, "BadName"},
		{"upper case", func(p *RegisterParams) { p.Name = "Weather" }, "BadName"},
		{"leading underscore", func(p *RegisterParams) { p.Name = "_w" }, "BadName"},
		{"too long", func(p *RegisterParams) { p.Name = strings.Repeat("a", 65) }, "BadName"},
		{"deposit below minimum", func(p *RegisterParams) { p.Deposit = ENG(99) }, "DepositTooSmall"},
		{"trial too long", func(p *RegisterParams) { p.TrialPeriod = 31 * 24 * time.Hour }, "TrialTooLong"},
		{"no payouts", func(p *RegisterParams) { p.Payouts = nil }, "PayoutSharesNotTotal"},
		{"shares short", func(p *RegisterParams) { p.Payouts = p.Payouts[:2] }, "PayoutSharesNotTotal"},
		{"zero share", func(p *RegisterParams) {
			p.Payouts = []Payout{{Account: Address(e.prov), Bps: 10_000}, {Account: Address(e.prov), Bps: 0}}
		}, "ZeroPayout"},
		{"zero account", func(p *RegisterParams) { p.Payouts = []Payout{{Bps: 10_000}} }, "ZeroPayout"},
		{"too many payouts", func(p *RegisterParams) {
			p.Payouts = nil
			for i := 0; i < 9; i++ {
				p.Payouts = append(p.Payouts, Payout{Account: Address(e.prov), Bps: 1000})
			}
		}, "TooManyPayouts"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base
			p.Payouts = append([]Payout(nil), base.Payouts...)
			c.mutate(&p)
			_, _, err := e.c.Register(e.ctx, e.prov, p)
			wantRevert(t, err, c.revert)
		})
	}
	if _, _, err := e.c.Register(e.ctx, e.prov, base); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.c.Register(e.ctx, e.prov, base)
	wantRevert(t, err, "DatasetExists")
}

func TestFundsErrors(t *testing.T) {
	e := newEnv(t)
	p := e.defaultParams("weather")
	_, _, err := e.c.Register(e.ctx, e.prov, p)
	var ae *AllowanceError
	if !errors.As(err, &ae) || ae.Needed.Cmp(p.Deposit) != 0 {
		t.Fatalf("want an allowance error, got %v", err)
	}
	// Bypassing the client's check, the token's own error comes through.
	data := e.c.market.PackRegister(p.Name, p.Price, p.Deposit, p.MetadataHash, p.Payouts, 0)
	_, err = e.c.transact(e.ctx, e.prov, e.c.marketC, "register", data)
	wantRevert(t, err, "InsufficientAllowance")

	poor := DevKey(99)
	_, err = e.c.Subscribe(e.ctx, poor, e.register("weather"), 1)
	var be *BalanceError
	if !errors.As(err, &be) {
		t.Fatalf("want a balance error, got %v", err)
	}
}

func TestSubscribePaysAndGrantsAccess(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	sub := e.subs[0]
	before := e.balance(Address(sub))
	if e.hasAccess(id, sub) {
		t.Fatal("access before subscribing")
	}
	e.subscribe(sub, id, 2)
	if got := new(big.Int).Sub(before, e.balance(Address(sub))); got.Cmp(ENG(20)) != 0 {
		t.Fatalf("paid %s, want 20 ENG", FormatENG(got))
	}
	if !e.hasAccess(id, sub) {
		t.Fatal("no access after subscribing")
	}
	s, err := e.c.Subscription(e.ctx, id, Address(sub))
	if err != nil {
		t.Fatal(err)
	}
	start := s.RunStart
	if s.Expiry != start+2*uint64(Period/time.Second) {
		t.Fatalf("expiry %d, want %d", s.Expiry, start+2*uint64(Period/time.Second))
	}
	// Renewing extends from the current expiry, not from now.
	e.advance(24 * time.Hour)
	e.subscribe(sub, id, 1)
	s, _ = e.c.Subscription(e.ctx, id, Address(sub))
	if s.Expiry != start+3*uint64(Period/time.Second) {
		t.Fatalf("renewed expiry %d, want %d", s.Expiry, start+3*uint64(Period/time.Second))
	}
	// Payouts: 30 ENG split 70/20/10.
	for _, c := range []struct {
		who  common.Address
		want *big.Int
	}{{Address(e.prov), ENG(21)}, {common.HexToAddress("0xaaaa"), ENG(6)}, {common.HexToAddress("0xbbbb"), ENG(3)}} {
		got, err := e.c.PayoutBalance(e.ctx, c.who)
		if err != nil || got.Cmp(c.want) != 0 {
			t.Fatalf("payout balance of %s: %s, want %s (%v)", c.who, FormatENG(got), FormatENG(c.want), err)
		}
	}
	provBefore := e.balance(Address(e.prov))
	if _, err := e.c.Withdraw(e.ctx, e.prov); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(e.balance(Address(e.prov)), provBefore); got.Cmp(ENG(21)) != 0 {
		t.Fatalf("withdrew %s, want 21", FormatENG(got))
	}
	_, err = e.c.Withdraw(e.ctx, e.prov)
	wantRevert(t, err, "NothingToWithdraw")

	// Access ends with the paid time.
	e.advance(3 * Period)
	if e.hasAccess(id, sub) {
		t.Fatal("access after expiry")
	}
	if ok, _ := e.c.IsSubscribed(e.ctx, id, Address(sub)); ok {
		t.Fatal("subscribed after expiry")
	}
}

func TestPayoutRounding(t *testing.T) {
	e := newEnv(t)
	p := e.defaultParams("odd")
	p.Price = big.NewInt(7) // 7 base units: shares 1.4 and 0.7 round down, the rest goes to the provider
	e.approve(e.prov, p.Deposit)
	id, _, err := e.c.Register(e.ctx, e.prov, p)
	if err != nil {
		t.Fatal(err)
	}
	e.subscribe(e.subs[0], id, 1)
	got := map[common.Address]int64{}
	for _, po := range p.Payouts {
		b, _ := e.c.PayoutBalance(e.ctx, po.Account)
		got[po.Account] = b.Int64()
	}
	if got[Address(e.prov)] != 6 || got[common.HexToAddress("0xaaaa")] != 1 || got[common.HexToAddress("0xbbbb")] != 0 {
		t.Fatalf("payouts %v, want provider 6, 0xaaaa 1, 0xbbbb 0", got)
	}
}

func TestSubscribeReverts(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	sub := e.subs[0]
	e.approve(sub, ENG(1_000))
	_, err := e.c.Subscribe(e.ctx, sub, id, 0)
	wantRevert(t, err, "BadPeriodCount")
	_, err = e.c.Subscribe(e.ctx, sub, id, 25)
	wantRevert(t, err, "BadPeriodCount")
	if _, err := e.c.Subscribe(e.ctx, sub, id, 24); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.Subscribe(e.ctx, sub, id, 1)
	wantRevert(t, err, "PaidTooFarAhead")
	_, err = e.c.Subscribe(e.ctx, sub, common.HexToHash("0x42"), 1)
	if !errors.Is(err, ErrUnknownDataset) {
		t.Fatalf("unknown dataset: %v", err)
	}
	_, err = e.c.transact(e.ctx, sub, e.c.marketC, "subscribe", e.c.market.PackSubscribe(common.HexToHash("0x42"), big.NewInt(1)))
	wantRevert(t, err, "UnknownDataset")
	if _, err := e.c.Deactivate(e.ctx, e.prov, id); err != nil {
		t.Fatal(err)
	}
	e.approve(e.subs[1], ENG(10))
	_, err = e.c.Subscribe(e.ctx, e.subs[1], id, 1)
	wantRevert(t, err, "DatasetInactive")
}

func TestTrial(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	sub := e.subs[0]
	if _, err := e.c.StartTrial(e.ctx, sub, id); err != nil {
		t.Fatal(err)
	}
	if !e.hasAccess(id, sub) {
		t.Fatal("no access in trial")
	}
	if ok, _ := e.c.IsSubscribed(e.ctx, id, Address(sub)); ok {
		t.Fatal("a trial counts as a subscription")
	}
	_, err := e.c.StartTrial(e.ctx, sub, id)
	wantRevert(t, err, "TrialAlreadyUsed")
	e.advance(8 * 24 * time.Hour)
	if e.hasAccess(id, sub) {
		t.Fatal("access after the trial ended")
	}
	_, err = e.c.StartTrial(e.ctx, sub, id)
	wantRevert(t, err, "TrialAlreadyUsed")

	e.subscribe(e.subs[1], id, 1)
	_, err = e.c.StartTrial(e.ctx, e.subs[1], id)
	wantRevert(t, err, "AlreadySubscribed")
	_, err = e.c.StartTrial(e.ctx, sub, common.HexToHash("0x42"))
	wantRevert(t, err, "UnknownDataset")

	p := e.defaultParams("notrial")
	p.TrialPeriod = 0
	e.approve(e.prov, p.Deposit)
	id2, _, err := e.c.Register(e.ctx, e.prov, p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.c.StartTrial(e.ctx, sub, id2)
	wantRevert(t, err, "NoTrial")
	if _, err := e.c.Deactivate(e.ctx, e.prov, id); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.StartTrial(e.ctx, e.subs[2], id)
	wantRevert(t, err, "DatasetInactive")
}

func TestUnsubscribe(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	sub := e.subs[0]
	_, err := e.c.Unsubscribe(e.ctx, sub, id)
	wantRevert(t, err, "NotSubscribed")
	e.subscribe(sub, id, 3)
	paid := e.balance(Address(sub))
	if _, err := e.c.Unsubscribe(e.ctx, sub, id); err != nil {
		t.Fatal(err)
	}
	if e.hasAccess(id, sub) {
		t.Fatal("access after unsubscribing")
	}
	if e.balance(Address(sub)).Cmp(paid) != 0 {
		t.Fatal("unsubscribe refunded: the rule is no refund")
	}
	_, err = e.c.Unsubscribe(e.ctx, sub, id)
	wantRevert(t, err, "NotSubscribed")
	if r := e.rank(id); r.ActiveSubscribers != 1 {
		t.Fatalf("the current period still counts the subscriber: got %d", r.ActiveSubscribers)
	}
	e.advance(Period)
	if r := e.rank(id); r.ActiveSubscribers != 0 {
		t.Fatalf("after unsubscribing, the next period counts %d", r.ActiveSubscribers)
	}
}

func TestProviderUpdates(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	other := e.subs[0]
	_, err := e.c.SetPrice(e.ctx, other, id, ENG(1))
	wantRevert(t, err, "NotProvider")
	_, err = e.c.SetMetadataHash(e.ctx, other, id, common.HexToHash("0x1"))
	wantRevert(t, err, "NotProvider")
	_, err = e.c.SetPayouts(e.ctx, other, id, []Payout{{Account: Address(other), Bps: 10_000}})
	wantRevert(t, err, "NotProvider")
	_, err = e.c.Deactivate(e.ctx, other, id)
	wantRevert(t, err, "NotProvider")
	_, err = e.c.WithdrawDeposit(e.ctx, other, id)
	wantRevert(t, err, "NotProvider")
	_, err = e.c.SetPrice(e.ctx, e.prov, common.HexToHash("0x42"), ENG(1))
	wantRevert(t, err, "UnknownDataset")

	if _, err := e.c.SetPrice(e.ctx, e.prov, id, ENG(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.SetMetadataHash(e.ctx, e.prov, id, common.HexToHash("0x5678")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.SetPayouts(e.ctx, e.prov, id, []Payout{{Account: Address(e.prov), Bps: 10_000}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.SetPayouts(e.ctx, e.prov, id, []Payout{{Account: Address(e.prov), Bps: 9_000}})
	wantRevert(t, err, "PayoutSharesNotTotal")
	e.approve(e.prov, ENG(50))
	if _, err := e.c.AddDeposit(e.ctx, e.prov, id, ENG(50)); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.transact(e.ctx, e.prov, e.c.marketC, "add deposit", e.c.market.PackAddDeposit(id, new(big.Int)))
	wantRevert(t, err, "ZeroAmount")
	d, _ := e.c.Dataset(e.ctx, id, nil)
	if d.Price.Cmp(ENG(3)) != 0 || d.MetadataHash != common.HexToHash("0x5678") || len(d.Payouts) != 1 || d.Deposit.Cmp(ENG(250)) != 0 {
		t.Fatalf("updates not applied: %+v", d)
	}
	// New subscriptions pay the new price, all to the single payout.
	e.subscribe(e.subs[1], id, 2)
	if b, _ := e.c.PayoutBalance(e.ctx, Address(e.prov)); b.Cmp(ENG(6)) != 0 {
		t.Fatalf("provider balance %s, want 6", FormatENG(b))
	}

	// The deposit stays locked while active, then until the last access ends
	// plus the challenge window.
	_, err = e.c.WithdrawDeposit(e.ctx, e.prov, id)
	wantRevert(t, err, "DatasetActive")
	if _, err := e.c.Deactivate(e.ctx, e.prov, id); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.Deactivate(e.ctx, e.prov, id)
	wantRevert(t, err, "DatasetInactive")
	_, err = e.c.WithdrawDeposit(e.ctx, e.prov, id)
	wantRevert(t, err, "DepositLocked")
	if !strings.Contains(err.Error(), "unlocksAt=20") {
		t.Fatalf("the unlock time is not shown as a date: %v", err)
	}
	e.advance(2 * Period)
	_, err = e.c.WithdrawDeposit(e.ctx, e.prov, id)
	wantRevert(t, err, "DepositLocked") // the challenge window has not passed
	e.advance(25 * time.Hour)
	before := e.balance(Address(e.prov))
	if _, err := e.c.WithdrawDeposit(e.ctx, e.prov, id); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(e.balance(Address(e.prov)), before); got.Cmp(ENG(250)) != 0 {
		t.Fatalf("deposit returned %s, want 250", FormatENG(got))
	}
	_, err = e.c.WithdrawDeposit(e.ctx, e.prov, id)
	wantRevert(t, err, "NothingToWithdraw")
}

func TestOwnerFunctions(t *testing.T) {
	e := newEnv(t)
	stranger := e.subs[0]
	_, err := e.c.SetSlashAmount(e.ctx, stranger, ENG(1))
	wantRevert(t, err, "NotOwner")
	_, err = e.c.transact(e.ctx, stranger, e.c.marketC, "set min deposit", e.c.market.PackSetMinDeposit(ENG(1)))
	wantRevert(t, err, "NotOwner")
	_, err = e.c.transact(e.ctx, stranger, e.c.marketC, "transfer ownership", e.c.market.PackTransferOwnership(Address(stranger)))
	wantRevert(t, err, "NotOwner")
	_, err = e.c.transact(e.ctx, e.owner, e.c.marketC, "transfer ownership", e.c.market.PackTransferOwnership(common.Address{}))
	wantRevert(t, err, "ZeroAddress")
	if _, err := e.c.transact(e.ctx, e.owner, e.c.marketC, "set min deposit", e.c.market.PackSetMinDeposit(ENG(500))); err != nil {
		t.Fatal(err)
	}
	e.approve(e.prov, ENG(200))
	_, _, err = e.c.Register(e.ctx, e.prov, e.defaultParams("weather"))
	wantRevert(t, err, "DepositTooSmall")
	// Amounts in a revert read in ENG, base units beside them.
	if want := "minimum=500 ENG (" + ENG(500).String() + " base units)"; !strings.Contains(err.Error(), want) {
		t.Errorf("DepositTooSmall error %q lacks %q", err, want)
	}
	if _, err := e.c.transact(e.ctx, e.owner, e.c.marketC, "transfer ownership", e.c.market.PackTransferOwnership(Address(stranger))); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.SetSlashAmount(e.ctx, stranger, ENG(1)); err != nil {
		t.Fatalf("the new owner: %v", err)
	}
	_, err = e.c.SetSlashAmount(e.ctx, e.owner, ENG(1))
	wantRevert(t, err, "NotOwner")
}

func TestTokenMint(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.Mint(e.ctx, e.subs[0], Address(e.subs[0]), ENG(1))
	wantRevert(t, err, "NotMinter")
	// A token deployed for a real network cannot mint.
	cfg := Config{Backend: e.dc.Backend(), PollInterval: time.Millisecond}
	cfg.withDefaults()
	tok := contracts.NewENGToken()
	r, err := deployContract(e.ctx, &cfg, e.owner, e.c.ChainID(), contracts.ENGTokenMetaData.Bin, tok.PackConstructor(ENG(5), false))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.c.transact(e.ctx, e.owner, tok.Instance(e.dc.Backend(), r.ContractAddress), "mint", tok.PackMint(Address(e.owner), ENG(1)))
	wantRevert(t, err, "MintDisabled")
}

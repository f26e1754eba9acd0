package chain

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

func TestETHAmounts(t *testing.T) {
	for _, tc := range []struct {
		in, out string
	}{{"1", "1"}, {"0.25", "0.25"}, {"0.000000000000000001", "0.000000000000000001"}, {"12.5000", "12.5"}} {
		v, err := ParseETH(tc.in)
		if err != nil || FormatETH(v) != tc.out {
			t.Errorf("%q → %v → %q, %v", tc.in, v, FormatETH(v), err)
		}
	}
	for _, bad := range []string{"-1", "0.0000000000000000001", "x"} {
		if _, err := ParseETH(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestMoneyMoves: ether and ENG sent between accounts arrive, an account
// without enough is told so before anything is sent, and a withdrawal with
// nothing credited does not estimate.
func TestMoneyMoves(t *testing.T) {
	e := newEnv(t)
	to, _ := crypto.GenerateKey()
	dst := Address(to)
	wei, _ := ParseETH("0.5")
	if _, err := e.c.SendETH(e.ctx, e.subs[0], dst, wei); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.TransferENG(e.ctx, e.subs[0], dst, ENG(7)); err != nil {
		t.Fatal(err)
	}
	eth, err := e.c.ETHBalance(e.ctx, dst)
	if err != nil || eth.Cmp(wei) != 0 {
		t.Fatalf("ether arrived: %v %v", eth, err)
	}
	eng, err := e.c.TokenBalance(e.ctx, dst)
	if err != nil || eng.Cmp(ENG(7)) != 0 {
		t.Fatalf("ENG arrived: %v %v", eng, err)
	}
	var be *BalanceError
	if _, err := e.c.TransferENG(e.ctx, to, Address(e.owner), ENG(8)); !errors.As(err, &be) {
		t.Fatalf("sending more ENG than held: %v", err)
	}
	if _, err := e.c.SendETH(e.ctx, to, Address(e.owner), wei); err == nil {
		t.Fatal("sending all the ether, with nothing left for gas, was tried")
	}
	if _, err := e.c.EstimateWithdraw(e.ctx, Address(e.prov)); err == nil {
		t.Fatal("a withdrawal with nothing credited estimated as if it would succeed")
	}
	fee, err := e.c.MaxFeePerGas(e.ctx)
	if err != nil || fee.Cmp(big.NewInt(0)) <= 0 {
		t.Fatalf("max fee per gas: %v %v", fee, err)
	}
}

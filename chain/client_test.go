package chain

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/enigma-mpc/enigma/chain/contracts"
)

func TestWaitsForConfirmations(t *testing.T) {
	e := newEnv(t)
	deep, err := New(e.ctx, Config{Backend: e.dc.Backend(), Market: e.c.Market(), Confirmations: 2, PollInterval: time.Millisecond, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		block uint64
		err   error
	}
	done := make(chan result, 1)
	go func() {
		r, err := deep.Approve(e.ctx, e.subs[0], ENG(1))
		if err != nil {
			done <- result{err: err}
			return
		}
		done <- result{block: r.BlockNumber.Uint64()}
	}()
	// Wait until the approval is mined, then check the client still waits.
	deadline := time.Now().Add(30 * time.Second)
	for {
		allowed, err := e.c.Allowance(e.ctx, Address(e.subs[0]))
		if err != nil {
			t.Fatal(err)
		}
		if allowed.Sign() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the approval was never mined")
		}
		time.Sleep(time.Millisecond)
	}
	head, _ := e.c.BlockNumber(e.ctx)
	select {
	case r := <-done:
		t.Fatalf("returned at head %d before 2 confirmations: %+v", head, r)
	default:
	}
	e.dc.Commit()
	e.dc.Commit()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if now, _ := e.c.BlockNumber(e.ctx); now < r.block+2 {
		t.Fatalf("returned at head %d for a receipt in block %d", now, r.block)
	}
}

func TestWaitReceiptHonoursContext(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	_, err := e.c.WaitReceipt(ctx, common.HexToHash("0x1"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestNewRejectsMissingContract(t *testing.T) {
	e := newEnv(t)
	_, err := New(e.ctx, Config{Backend: e.dc.Backend(), Market: common.HexToAddress("0x1234")})
	if err == nil || !strings.Contains(err.Error(), "enigma contracts deploy") {
		t.Fatalf("want a hint to deploy, got %v", err)
	}
}

func TestRevertErrorsTellWhatToDo(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	e.approve(e.subs[0], ENG(100))
	_, err := e.c.Subscribe(e.ctx, e.subs[0], id, 0)
	if err == nil || !strings.Contains(err.Error(), "BadPeriodCount(max=24, periods=0)") || !strings.Contains(err.Error(), "between 1 and max") {
		t.Fatalf("unclear error: %v", err)
	}
	if decodeRevert([]byte{1, 2, 3, 4, 5}) != nil || decodeRevert(nil) != nil {
		t.Fatal("garbage decoded as a known error")
	}
}

func TestENGAmounts(t *testing.T) {
	for _, c := range []struct{ in, out string }{{"1", "1"}, {"0.5", "0.5"}, {"12.00000001", "12.00000001"}, {".5", "0.5"}, {"007", "7"}} {
		v, err := ParseENG(c.in)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if got := FormatENG(v); got != c.out {
			t.Fatalf("%q → %s, want %s", c.in, got, c.out)
		}
	}
	for _, bad := range []string{"", ".", "-1", "1.000000001", "1e5", "abc", "1.2.3"} {
		if _, err := ParseENG(bad); err == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func FuzzParseENG(f *testing.F) {
	for _, s := range []string{"1", "0.5", "1.00000001", "", "-1", "9999999999999999999999.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseENG(s)
		if err != nil {
			return
		}
		back, err := ParseENG(FormatENG(v))
		if err != nil || back.Cmp(v) != 0 {
			t.Fatalf("%q → %s → %v, %v", s, FormatENG(v), back, err)
		}
	})
}

func FuzzDecodeRevert(f *testing.F) {
	m := contracts.NewMarketplace()
	bad := m.GetABI().Errors["BadPeriodCount"].ID
	f.Add(append(bad[:4:4], make([]byte, 64)...))
	f.Add([]byte{0x08, 0xc3, 0x79, 0xa0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if re := decodeRevert(data); re != nil && re.Error() == "" {
			t.Fatal("empty error text")
		}
	})
}

// TestFailedReceiptIsExplained mines a transaction that reverts (sent with a
// fixed gas limit, skipping estimation) and checks the client recovers the
// custom error by replaying it.
func TestFailedReceiptIsExplained(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	from := e.subs[0]
	data := e.c.market.PackSubscribe(id, big.NewInt(0))
	opts := bind.NewKeyedTransactor(from, e.c.ChainID())
	opts.Context, opts.GasLimit = e.ctx, 300_000
	tx, err := bind.Transact(e.c.marketC, opts, data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.c.WaitReceipt(e.ctx, tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusFailed {
		t.Fatalf("want a failed receipt, got %+v, %v", r, err)
	}
	wantRevert(t, e.c.failedReceipt(e.ctx, "subscribe", Address(from), tx, r), "BadPeriodCount")
}

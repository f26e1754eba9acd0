package chain

import (
	"context"
	"math/big"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDevChainRefusesATakenPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = StartDevChain(context.Background(), DevChainConfig{HTTPAddr: l.Addr().String(), Logger: quietLogger})
	if err == nil || !strings.Contains(err.Error(), "cannot listen") {
		t.Fatalf("want a clear error for a taken port, got %v", err)
	}
}

func TestDevChainServesHTTP(t *testing.T) {
	ctx := context.Background()
	dc, err := StartDevChain(ctx, DevChainConfig{HTTPAddr: "127.0.0.1:0", Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	c, err := Dial(ctx, dc.URL(), dc.Deployment.Market, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A transaction sent over HTTP is mined by the dev chain's miner loop.
	if _, err := c.Approve(ctx, dc.Keys[1], ENG(1)); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Allowance(ctx, Address(dc.Keys[1])); err != nil || got.Cmp(ENG(1)) != 0 {
		t.Fatalf("allowance over HTTP: %v, %v", got, err)
	}
}

// TestMineNow: the dev chain mines for pending transactions, at the
// follow-up interval for a while after them, and otherwise every period —
// from a second up only while its head is behind the wall clock, so idling
// never runs its clock ahead.
func TestMineNow(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	follow := 250 * time.Millisecond
	head := func(h time.Time) func() (time.Time, bool) { return func() (time.Time, bool) { return h, true } }
	for _, c := range []struct {
		name              string
		now               time.Time
		pending           bool
		lastTx, lastBlock time.Time
		period            time.Duration
		head              func() (time.Time, bool)
		want              bool
	}{
		{"pending", t0, true, t0, t0, time.Second, head(t0.Add(time.Hour)), true},
		{"follow-up due", t0.Add(time.Second), false, t0, t0.Add(700 * time.Millisecond), time.Second, head(t0.Add(time.Hour)), true},
		{"follow-up not yet", t0.Add(time.Second), false, t0, t0.Add(900 * time.Millisecond), time.Second, head(t0.Add(time.Hour)), false},
		{"idle, chain ahead", t0.Add(time.Minute), false, t0, t0.Add(30 * time.Second), time.Second, head(t0.Add(time.Minute)), false},
		{"idle, chain behind", t0.Add(time.Minute), false, t0, t0.Add(30 * time.Second), time.Second, head(t0.Add(50 * time.Second)), true},
		{"idle, head unknown", t0.Add(time.Minute), false, t0, t0.Add(30 * time.Second), time.Second, func() (time.Time, bool) { return time.Time{}, false }, false},
		{"idle, period not over", t0.Add(time.Minute), false, t0, t0.Add(59500 * time.Millisecond), time.Second, head(t0), false},
		{"fast clock, chain ahead", t0.Add(time.Minute), false, t0, t0.Add(59 * time.Second), 250 * time.Millisecond, head(t0.Add(time.Hour)), true},
	} {
		if got := mineNow(c.now, c.pending, c.lastTx, c.lastBlock, follow, c.period, c.head); got != c.want {
			t.Errorf("%s: mine %v, want %v", c.name, got, c.want)
		}
	}
}

// TestDevChainTakesAFollowUpTransactionAtOnce: a transaction sent right
// after the block that mined the sender's previous one is mined within a
// second (the follow-up blocks), not after the pool's ~2 s timer, whatever
// the block period.
func TestDevChainTakesAFollowUpTransactionAtOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dc, err := StartDevChain(ctx, DevChainConfig{HTTPAddr: "127.0.0.1:0", BlockPeriod: time.Hour, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	if dc.BlockPeriod() != time.Hour || dc.ClockRate() != 1 {
		t.Fatalf("block period %v, clock rate %v", dc.BlockPeriod(), dc.ClockRate())
	}
	c, err := Dial(ctx, dc.URL(), dc.Deployment.Market, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := c.SendETH(ctx, dc.Keys[1], Address(dc.Keys[2]), big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := c.TransferENG(ctx, dc.Keys[1], Address(dc.Keys[2]), big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("follow-up transaction %d mined after %v", i, took)
		}
	}
}

// TestDevChainClockFigures measures, with ENIGMA_DEVCHAIN_FIGURES=1, the
// follow-up transaction's latency and how far the chain's clock moves
// while idle, per block period (docs/BENCHMARKS.md).
func TestDevChainClockFigures(t *testing.T) {
	if os.Getenv("ENIGMA_DEVCHAIN_FIGURES") == "" {
		t.Skip("set ENIGMA_DEVCHAIN_FIGURES=1 to measure")
	}
	for _, period := range []time.Duration{time.Second, 250 * time.Millisecond} {
		ctx := context.Background()
		dc, err := StartDevChain(ctx, DevChainConfig{HTTPAddr: "127.0.0.1:0", BlockPeriod: period, Logger: quietLogger})
		if err != nil {
			t.Fatal(err)
		}
		c, err := Dial(ctx, dc.URL(), dc.Deployment.Market, 0)
		if err != nil {
			t.Fatal(err)
		}
		var lat []time.Duration
		for range 20 {
			if _, err := c.SendETH(ctx, dc.Keys[1], Address(dc.Keys[2]), big.NewInt(1)); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			if _, err := c.TransferENG(ctx, dc.Keys[1], Address(dc.Keys[2]), big.NewInt(1)); err != nil {
				t.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		ahead := func() time.Duration {
			h, err := c.HeadTime(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return time.Until(h)
		}
		h0, w0 := ahead(), time.Now()
		// A figure over wall time: the chain's clock is go-ethereum's
		// time.Now, which no simulated clock reaches.
		<-time.After(20 * time.Second)
		h1 := ahead()
		t.Logf("FIGURE block period %v: follow-up tx p50 %v p90 %v max %v; after 20 tx pairs the head was %v ahead of the wall clock, %v ahead after %v idle",
			period, lat[10].Round(time.Millisecond), lat[18].Round(time.Millisecond), lat[19].Round(time.Millisecond), h0.Round(time.Second), h1.Round(time.Second), time.Since(w0).Round(time.Second))
		dc.Close()
	}
}

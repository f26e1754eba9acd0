package chain

import (
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// rankModel is the naive ranking: for each subscriber, the set of periods in
// which it paid for some time.
type rankModel struct {
	periodSecs uint64
	expiry     map[common.Address]uint64
	paid       map[common.Address]map[uint64]bool
}

func newRankModel() *rankModel {
	return &rankModel{periodSecs: uint64(Period / time.Second), expiry: map[common.Address]uint64{}, paid: map[common.Address]map[uint64]bool{}}
}

func (m *rankModel) subscribe(who common.Address, now, periods uint64) {
	start := max(now, m.expiry[who])
	end := start + periods*m.periodSecs
	if m.paid[who] == nil {
		m.paid[who] = map[uint64]bool{}
	}
	for p := start / m.periodSecs; p <= (end-1)/m.periodSecs; p++ {
		m.paid[who][p] = true
	}
	m.expiry[who] = end
}

func (m *rankModel) unsubscribe(who common.Address, now uint64) {
	for p := range m.paid[who] {
		if p > now/m.periodSecs {
			delete(m.paid[who], p)
		}
	}
	m.expiry[who] = now
}

func (m *rankModel) count(period uint64) uint64 {
	var n uint64
	for _, ps := range m.paid {
		if ps[period] {
			n++
		}
	}
	return n
}

// checkCounts compares the per-period counters read by counter with the
// model over periods around now.
func checkCounts(m *rankModel, now uint64, counter func(period uint64) (uint64, error)) error {
	cur := now / m.periodSecs
	for p := cur - 1; p <= cur+26; p++ {
		got, err := counter(p)
		if err != nil {
			return err
		}
		if want := m.count(p); got != want {
			return fmt.Errorf("period %d (current %d): contract counts %d subscribers, model %d", p, cur, got, want)
		}
	}
	return nil
}

// TestRankingCountersMatchModel drives random subscribe, unsubscribe and
// time steps and checks the contract's per-period counters against the naive
// model after each step.
func TestRankingCountersMatchModel(t *testing.T) {
	e := newEnv(t)
	id := e.register("weather")
	rng := randsrc.New(7)
	model := newRankModel()
	subs := e.subs
	for _, s := range subs {
		e.approve(s, ENG(100_000))
	}
	counter := func(p uint64) (uint64, error) { return e.c.ActiveSubscribersIn(e.ctx, id, p) }
	blockTime := func(n *big.Int) uint64 {
		h, err := e.dc.Backend().HeaderByNumber(e.ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		return h.Time
	}
	// Block times are not known before mining: a step's outcome is judged
	// with a minute of slack, then the model uses the mined block's time.
	const slack = 60
	for step := 0; step < 60; step++ {
		who := subs[rng.IntN(len(subs))]
		addr := Address(who)
		now := e.now()
		switch op := rng.IntN(4); op {
		case 0, 1:
			periods := uint64(1 + rng.IntN(3))
			r, err := e.c.Subscribe(e.ctx, who, id, periods)
			if err != nil {
				wantRevert(t, err, "PaidTooFarAhead")
				if max(now, model.expiry[addr])+periods*model.periodSecs <= now+24*model.periodSecs-slack {
					t.Fatalf("step %d: a subscription within 24 periods was refused: %v", step, err)
				}
				continue
			}
			model.subscribe(addr, blockTime(r.BlockNumber), periods)
		case 2:
			r, err := e.c.Unsubscribe(e.ctx, who, id)
			if err != nil {
				wantRevert(t, err, "NotSubscribed")
				if model.expiry[addr] > now+slack {
					t.Fatalf("step %d: a running subscription could not be ended: %v", step, err)
				}
				continue
			}
			model.unsubscribe(addr, blockTime(r.BlockNumber))
		case 3:
			e.advance(time.Duration(rng.IntN(40*24)) * time.Hour)
		}
		if err := checkCounts(model, e.now(), counter); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		r := e.rank(id)
		if want := model.count(e.now() / model.periodSecs); r.ActiveSubscribers != want {
			t.Fatalf("step %d: rank counts %d, model %d", step, r.ActiveSubscribers, want)
		}
	}
}

// TestCheckCountsCatchesBrokenCounter shows the checker failing against a
// counter that forgets expirations.
func TestCheckCountsCatchesBrokenCounter(t *testing.T) {
	m := newRankModel()
	a, b := common.HexToAddress("0x1"), common.HexToAddress("0x2")
	now := 100 * m.periodSecs
	m.subscribe(a, now, 1)
	m.subscribe(b, now, 3)
	correct := func(p uint64) (uint64, error) { return m.count(p), nil }
	if err := checkCounts(m, now, correct); err != nil {
		t.Fatalf("the model disagrees with itself: %v", err)
	}
	neverExpires := func(p uint64) (uint64, error) {
		if p >= now/m.periodSecs {
			return 2, nil
		}
		return 0, nil
	}
	if err := checkCounts(m, now, neverExpires); err == nil {
		t.Fatal("a counter that never expires subscriptions passed the check")
	}
}

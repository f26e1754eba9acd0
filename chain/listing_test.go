package chain

import (
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestSortByRankOrder(t *testing.T) {
	at := func(id byte, subs uint64, paid int64) Listed {
		return Listed{Rank: Rank{ID: common.Hash{id}, ActiveSubscribers: subs, TotalPaid: big.NewInt(paid)}}
	}
	list := []Listed{at(1, 0, 0), at(2, 3, 10), at(3, 3, 50), at(4, 0, 0), at(5, 7, 1)}
	SortByRank(list)
	var got []byte
	for _, l := range list {
		got = append(got, l.Rank.ID[0])
	}
	// Subscribers this period, then total paid, then the ID: a total order.
	if want := []byte{5, 3, 2, 1, 4}; !slices.Equal(got, want) {
		t.Fatalf("ranked %v, want %v", got, want)
	}
}

func TestListingReadsEveryDatasetInRegistrationOrder(t *testing.T) {
	e := newEnv(t)
	first, second := e.register("first"), e.register("second")
	e.subscribe(e.subs[0], second, 1)
	list, err := e.c.Listing(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Dataset.Id != first || list[1].Dataset.Id != second {
		t.Fatalf("listing %+v, want first then second", list)
	}
	if list[1].Rank.ActiveSubscribers != 1 || list[1].Rank.ID != second || list[0].Rank.ActiveSubscribers != 0 {
		t.Errorf("ranks %+v, %+v", list[0].Rank, list[1].Rank)
	}
	SortByRank(list)
	if list[0].Dataset.Id != second {
		t.Errorf("the subscribed dataset does not rank first")
	}
}

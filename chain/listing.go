package chain

import (
	"context"
	"sort"
)

// Listed is one dataset of the Marketplace's listing with its ranking
// metric: what `enigma market list|top` print and the HTTP API serves.
type Listed struct {
	Dataset Dataset
	Rank    Rank
}

// Listing reads every registered dataset and its rank, in registration
// order.
func (c *Client) Listing(ctx context.Context) ([]Listed, error) {
	ids, err := c.DatasetIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Listed, 0, len(ids))
	for _, id := range ids {
		d, err := c.Dataset(ctx, id, nil)
		if err != nil {
			return nil, err
		}
		r, err := c.Rank(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, Listed{Dataset: d, Rank: r})
	}
	return out, nil
}

// SortByRank orders a listing by the public ranking metric: subscribers
// paid for some time in the current period, then the total ever paid, then
// the ID, so the order is total and the same for everyone.
func SortByRank(list []Listed) {
	sort.SliceStable(list, func(i, j int) bool { return RankLess(list[i].Rank, list[j].Rank) })
}

// RankLess reports whether a ranks above b.
func RankLess(a, b Rank) bool {
	if a.ActiveSubscribers != b.ActiveSubscribers {
		return a.ActiveSubscribers > b.ActiveSubscribers
	}
	if c := a.TotalPaid.Cmp(b.TotalPaid); c != 0 {
		return c > 0
	}
	return a.ID.Cmp(b.ID) < 0
}

package kadsim

import (
	"slices"

	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// routingTable is what the simulator needs from a routing table.
type routingTable interface {
	Observe(c kademlia.Contact, ev kademlia.Evidence, now kademlia.Time) []kademlia.Contact
	Closest(target kademlia.ID, n int) []kademlia.Contact
	Contacts() []kademlia.Contact
}

// plainTable is the ablation baseline, deliberately without the S/Kademlia
// contact rules: every contact that sends a request is accepted, a full
// bucket drops its oldest contact for the newcomer without pinging it, and
// there is no sibling list and no subnet limit. It exists only to measure
// what kademlia.Table's rules are worth under the eclipse flood.
type plainTable struct {
	self    kademlia.ID
	k       int
	buckets [kademlia.IDBits][]kademlia.Contact // oldest first
}

func newPlainTable(self kademlia.ID, k int) *plainTable { return &plainTable{self: self, k: k} }

func (t *plainTable) Observe(c kademlia.Contact, _ kademlia.Evidence, _ kademlia.Time) []kademlia.Contact {
	if c.ID == t.self {
		return nil
	}
	i := min(kademlia.CommonPrefixLen(t.self, c.ID), kademlia.IDBits-1)
	b := slices.DeleteFunc(t.buckets[i], func(o kademlia.Contact) bool { return o.ID == c.ID })
	if len(b) >= t.k {
		b = b[1:]
	}
	t.buckets[i] = append(b, c)
	return nil
}

func (t *plainTable) Closest(target kademlia.ID, n int) []kademlia.Contact {
	all := t.Contacts()
	kademlia.SortByDistance(target, all)
	return all[:min(n, len(all))]
}

func (t *plainTable) Contacts() []kademlia.Contact {
	var out []kademlia.Contact
	for _, b := range t.buckets {
		out = append(out, b...)
	}
	return out
}

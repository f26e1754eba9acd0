package kademlia

import (
	"fmt"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// BenchmarkClosest: the k = 16 closest contacts to a random target, as a
// node serving FIND_NODE and the simulator ask for them, in a table of a
// 64-node network and in a larger one.
func BenchmarkClosest(b *testing.B) {
	for _, size := range []int{63, 1000} {
		b.Run(fmt.Sprintf("contacts=%d", size), func(b *testing.B) {
			r := randsrc.New(1)
			tab := NewTable(TableConfig{Self: randomID(r), K: 16, Siblings: 16})
			for i := range size {
				tab.Observe(Contact{ID: randomID(r), Addr: addr(i)}, Responded, Time(i))
			}
			targets := make([]ID, 256)
			for i := range targets {
				targets[i] = randomID(r)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if len(tab.Closest(targets[i%len(targets)], 16)) == 0 {
					b.Fatal("no contacts")
				}
				i++
			}
		})
	}
}

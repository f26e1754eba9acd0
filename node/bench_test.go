package node

import (
	"testing"
	"time"
)

// The timeline puts each commit in the second it completed in, with that
// second's median and largest latency; commits in the fraction of a second
// after the last whole one count in the last.
func TestTimelineBucketsCommitsBySecond(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	lat := []time.Duration{ms(10), ms(30), ms(20), ms(1200), ms(40)}
	done := []time.Duration{ms(100), ms(900), ms(950), ms(2300), ms(3010)}
	got := timeline(lat, done, ms(3020))
	want := []SecondStats{{Committed: 3, P50Ms: 20, MaxMs: 30}, {}, {Committed: 2, P50Ms: 1200, MaxMs: 1200}}
	if len(got) != len(want) {
		t.Fatalf("timeline %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("second %d: %+v, want %+v (timeline %+v)", i, got[i], want[i], got)
		}
	}
}

package access

import (
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// replayKey names one request for the replay window.
type replayKey struct {
	subscriber common.Address
	nonce      [NonceSize]byte
}

// remembered is what adding a request to the replay window did.
type remembered uint8

const (
	rememberedOK    remembered = iota
	rememberedAgain            // the request was seen before: a replay
	rememberedShare            // the requester holds its share of the window
	rememberedFull             // the window holds its maximum
)

// replayWindow remembers the (subscriber, nonce) of every live request
// until the request expires. Entries sit in a ring of buckets, one per
// expiry second; a request's expiry is at most lifetime ahead, so the live
// seconds never wrap the ring. Forgetting expired entries clears the
// buckets of the seconds that passed: each entry is deleted once, and no
// call scans the window. (An entry further ahead than the ring, which only
// a window persisted under a longer lifetime can hold, stays in its bucket
// until a turn of the ring reaches its second.) It is not safe for
// concurrent use.
type replayWindow struct {
	maxEntries   int
	perRequester int

	seen    map[replayKey]struct{}
	counts  map[common.Address]int
	buckets [][]replayEntry
	// swept is the last second whose bucket was cleared: every entry that
	// expired at or before it has been forgotten, and every entry held
	// expires after it.
	swept int64
}

func newReplayWindow(lifetime time.Duration, maxEntries, perRequester int, now time.Time) *replayWindow {
	seconds := int((lifetime + time.Second - 1) / time.Second)
	return &replayWindow{
		maxEntries: maxEntries, perRequester: perRequester,
		seen: make(map[replayKey]struct{}), counts: make(map[common.Address]int),
		buckets: make([][]replayEntry, seconds+2),
		swept:   now.Unix(),
	}
}

func (w *replayWindow) len() int { return len(w.seen) }

type replayEntry struct {
	key    replayKey
	expiry int64
}

func (w *replayWindow) slot(second int64) *[]replayEntry {
	n := int64(len(w.buckets))
	return &w.buckets[((second%n)+n)%n]
}

// advance forgets the entries that expired by now (a request is expired
// once now ≥ its expiry). It clears at most one turn of the ring, however
// far the clock jumped, and does nothing when the clock went back. It
// reports whether the swept second moved.
func (w *replayWindow) advance(now time.Time) bool {
	sec := now.Unix()
	if sec <= w.swept {
		return false
	}
	from := w.swept + 1
	if n := int64(len(w.buckets)); sec-from >= n {
		from = sec - n + 1
	}
	for s := from; s <= sec; s++ {
		b := w.slot(s)
		kept := (*b)[:0]
		for _, e := range *b {
			if e.expiry > sec {
				kept = append(kept, e) // further ahead than the ring
				continue
			}
			delete(w.seen, e.key)
			if c := w.counts[e.key.subscriber] - 1; c > 0 {
				w.counts[e.key.subscriber] = c
			} else {
				delete(w.counts, e.key.subscriber)
			}
		}
		clear((*b)[len(kept):])
		if len(kept) == 0 && cap(*b) > 4096 {
			kept = nil // a burst's backing array is not kept forever
		}
		*b = kept
	}
	w.swept = sec
	return true
}

// add remembers k until expiry (Unix seconds), unless it is held already
// or the requester's share or the whole window is full. The caller has
// checked that expiry is after now and at most the lifetime ahead.
func (w *replayWindow) add(k replayKey, expiry int64, now time.Time) remembered {
	w.advance(now)
	if _, ok := w.seen[k]; ok {
		return rememberedAgain
	}
	if w.counts[k.subscriber] >= w.perRequester {
		return rememberedShare
	}
	if len(w.seen) >= w.maxEntries {
		return rememberedFull
	}
	w.insert(k, expiry)
	return rememberedOK
}

// insert remembers k without checking the bounds (loading the persisted
// window at start).
func (w *replayWindow) insert(k replayKey, expiry int64) {
	if _, ok := w.seen[k]; ok {
		return
	}
	// An entry whose expiry second was already swept (the clock went back)
	// goes into the next bucket to clear: by then it has expired too.
	b := w.slot(max(expiry, w.swept+1))
	*b = append(*b, replayEntry{key: k, expiry: expiry})
	w.seen[k] = struct{}{}
	w.counts[k.subscriber]++
}

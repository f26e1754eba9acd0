package colcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"sync"
)

// Order-preserving encryption after Boldyreva, Chenette, Lee and O'Neill,
// "Order-Preserving Symmetric Encryption", EUROCRYPT 2009 (BCLO09),
// algorithm "Enc" with lazy sampling of a random order-preserving function.
//
// The plaintext domain is [0, 2^64) (values are first mapped to uint64 by an
// order-preserving map, see orderedUint64) and the range is [0, 2^96). A
// node of the recursion covers a domain interval [dl, dl+M) and a range
// interval [rl, rl+N) with N a power of two. Its range is split in half; the
// number k of domain points that fall into the lower half is drawn from the
// hypergeometric distribution HGD(N/2; M, N) with coins from a PRF of the
// node; the plaintext's side is recursed into. At a node with M = 1 the
// ciphertext is drawn uniformly from the node's range with coins from the
// PRF of the leaf.
//
// INVARIANT (order preservation): k is clamped into
// [max(0, M-N/2), min(M, N/2)], so each half's domain fits into its range;
// by induction the map is a strictly increasing injection whatever the
// sampler returns. Sampler accuracy affects only how close the function is
// to a uniformly random order-preserving function, never correctness.
//
// Sampler: because N/M stays about 2^32 along every path, HGD(N/2; M, N) is
// within total variation (M-1)/(N-1) ≈ 2^-32 of Binomial(M, 1/2). For
// M ≤ binomialExactMax we draw it exactly as the popcount of M coin bits;
// above, as M/2 + sqrt(M)/2·Z, where Z is the standardised popcount of 256
// coin bits smoothed by 32 uniform bits: a normal approximation whose
// 1/sqrt(n) Edgeworth term vanishes because fair coins are symmetric, so
// its CDF error is of order 1/256 (and the binomial it replaces is itself
// within the Berry–Esseen distance of that normal). All
// arithmetic is integer, so every platform computes the same ciphertext —
// a subscriber encrypting a query constant must match the worker bit for
// bit.
//
// PRF: AES-256 with a per-column key, applied in counter mode to the
// 16-byte node label tag || log2(N) || rl (12 bytes) || counter (2 bytes).
// The range interval identifies the node because the recursion is
// deterministic.

const (
	opeRangeBits = 96
	// OPECiphertextSize is the byte length of an order-preserving
	// ciphertext: the big-endian range point, so byte order is number order.
	OPECiphertextSize = opeRangeBits / 8

	binomialExactMax = 1024
	normalCoinBits   = 256

	tagInner = 1
	tagLeaf  = 2
)

// errNotInImage means a ciphertext is no encryption of any plaintext under
// this key.
var errNotInImage = errors.New("not an order-preserving ciphertext under this key")

// u128 is an unsigned 128-bit integer; the range needs 96 bits and domain
// sizes reach 2^64.
type u128 struct{ hi, lo uint64 }

func (a u128) add(b u128) u128 {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	return u128{a.hi + b.hi + carry, lo}
}

func (a u128) sub(b u128) u128 {
	lo, borrow := bits.Sub64(a.lo, b.lo, 0)
	return u128{a.hi - b.hi - borrow, lo}
}

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }

func (a u128) shr(n uint8) u128 {
	switch {
	case n >= 64:
		return u128{0, a.hi >> (n - 64)}
	case n == 0:
		return a
	}
	return u128{a.hi >> n, a.hi<<(64-n) | a.lo>>n}
}

// clearLow returns a with its low n bits zero (n ≤ 127).
func (a u128) clearLow(n uint8) u128 {
	if n >= 64 {
		return u128{a.hi &^ (1<<(n-64) - 1), 0}
	}
	return u128{a.hi, a.lo &^ (1<<n - 1)}
}

func pow2(n uint8) u128 {
	if n >= 64 {
		return u128{1 << (n - 64), 0}
	}
	return u128{0, 1 << n}
}

func minU128(a, b u128) u128 {
	if a.less(b) {
		return a
	}
	return b
}

// opeCipher encrypts one column; it is safe for concurrent use.
type opeCipher struct {
	block cipher.Block
	memo  opeMemo
}

func newOPECipher(key []byte) (*opeCipher, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("order-preserving key: %w", err)
	}
	return &opeCipher{block: b}, nil
}

// opeMemo remembers the split (the lower half's domain count k) of the
// descent's nodes nearest the root, which the cells of a column share: every
// encryption and decryption walks from the root, and the first levels are
// the same for all of them, the next ones for values near each other (a
// time window, prices of one market, the rows of a range). A node's split
// is a function of the key and the node alone, so a remembered split is the
// one the sampler would draw: the memo changes the time a descent takes,
// not one bit of its result (TestOPEMemoSameFunction, TestOPEKnownAnswers).
//
// It is a trie from the root, grown by the descents: each adds the first
// opeMemoGrow nodes it had to compute below the last one it found, so the
// memo holds the upper part of the tree the recent descents travelled, up
// to opeMemoMax nodes (16 bytes each, 1 MiB) per column; when full it is
// emptied and grows again from the root. A descent follows child indices
// in one array — a map keyed by node cost more than the three AES blocks it
// saved. The memo lives in the client's and the worker's Cipher, never on
// a node; what its timing could tell a local observer (whether a value lies
// in a well-travelled part of the order) the ciphertexts already tell.
type opeMemo struct {
	mu sync.RWMutex
	// nodes[0] is the root once a descent has added it; a child index
	// of 0 means "not remembered" (the root is nobody's child).
	nodes []memoNode
}

type memoNode struct {
	k     uint64
	child [2]uint32 // lower, upper half
}

const (
	opeMemoMax  = 1 << 16
	opeMemoGrow = 4
)

// walk is one descent: its PRF stream and its use of the memo.
type walk struct {
	o     *opeCipher
	coins coins
	// found is true while every node so far was in the memo (and the
	// read lock is held); at is the current node's index then.
	found bool
	at    uint32
	// parent, side is where the first computed node hangs; add are the
	// computed nodes to remember, each the child (on its side) of the one
	// before.
	parent uint32
	side   uint8
	add    [opeMemoGrow]struct {
		k    uint64
		side uint8
	}
	nAdd int
	// adding is true while the current node is add[nAdd-1]; stopped once
	// a node could not be added, so add stays a chain.
	adding, stopped bool
	// ahead serves a decryption's nodes their blocks (nil when encrypting:
	// the path depends on the splits); it points at la.
	ahead *lookahead
	la    lookahead
}

// walks recycles descents: a walk's buffers escape through the
// cipher.Block interface, so each would be a heap allocation of ~0.5 KiB.
var walks = sync.Pool{New: func() any { return new(walk) }}

// newWalk starts a descent; decrypting gives the ciphertext, so the walk
// computes PRF blocks ahead (see lookahead). The caller ends it with done.
func (o *opeCipher) newWalk(decrypting bool, ct u128) *walk {
	w := walks.Get().(*walk)
	w.o, w.coins, w.found, w.at = o, coins{block: o.block}, true, 0
	w.parent, w.side, w.nAdd, w.adding, w.stopped, w.ahead = 0, 0, 0, false, false, nil
	if decrypting {
		w.la.ct, w.la.levels = ct, 0
		w.ahead = &w.la
	}
	o.memo.mu.RLock()
	if len(o.memo.nodes) == 0 {
		w.miss()
	}
	return w
}

func (w *walk) miss() {
	w.found = false
	w.parent, w.side = w.at, 2 // side 2: the root itself
	w.o.memo.mu.RUnlock()
}

// split returns the node's lower-half count, from the memo or the sampler.
func (w *walk) split(m u128, logN uint8, rl u128) u128 {
	if w.found {
		return u128{0, w.o.memo.nodes[w.at].k}
	}
	if w.ahead != nil {
		w.ahead.coinsAt(&w.coins, logN, m)
	} else {
		w.coins.reset(tagInner, logN, rl)
	}
	k := lowerHalfCount(&w.coins, m, logN-1)
	w.adding = !w.stopped && w.nAdd < opeMemoGrow && k.hi == 0
	if w.adding {
		w.add[w.nAdd].k = k.lo
		w.nAdd++
	} else {
		w.stopped = true
	}
	return k
}

// down moves to the node's lower (0) or upper (1) half.
func (w *walk) down(side uint8) {
	if w.found {
		next := w.o.memo.nodes[w.at].child[side]
		if next == 0 {
			w.miss()
			w.side = side
			return
		}
		w.at = next
		return
	}
	if w.adding {
		w.add[w.nAdd-1].side = side
	}
}

// done releases the memo and adds the nodes this descent computed first.
// The path to the first one may have been added meanwhile by another
// descent, with the same splits; then nothing is added.
func (w *walk) done() {
	defer func() {
		w.o, w.coins = nil, coins{} // the pool must not keep a key alive
		walks.Put(w)
	}()
	if w.found {
		w.o.memo.mu.RUnlock()
		return
	}
	if w.nAdd == 0 {
		return
	}
	mm := &w.o.memo
	mm.mu.Lock()
	defer mm.mu.Unlock()
	if len(mm.nodes)+w.nAdd > opeMemoMax {
		// Full: start again from the root, so the memo follows what
		// the column's descents travel now (a worker's ingest fills it
		// with other values than a subscriber's results need).
		mm.nodes = mm.nodes[:0]
		return
	}
	n := w.nAdd
	var slot *uint32
	switch {
	case w.side == 2 && len(mm.nodes) == 0:
	case w.side == 2:
		return
	default:
		slot = &mm.nodes[w.parent].child[w.side]
		if *slot != 0 {
			return
		}
	}
	for i, a := range w.add[:n] {
		idx := uint32(len(mm.nodes))
		if slot != nil {
			*slot = idx
		}
		mm.nodes = append(mm.nodes, memoNode{k: a.k})
		if i+1 < n {
			slot = &mm.nodes[idx].child[a.side]
		}
	}
}

// coins is the PRF output stream of one node.
type coins struct {
	block cipher.Block
	label [16]byte
	ctr   uint16
	buf   [16]byte
	used  int
	// ahead, when not nil, holds the node's first blocks computed before
	// they were asked for (see lookahead); blocks past them are computed
	// as they are read.
	ahead [][16]byte
}

func (o *opeCipher) coinsFor(tag byte, logN uint8, rl u128) *coins {
	c := &coins{block: o.block}
	c.reset(tag, logN, rl)
	return c
}

// reset points the stream at another node, so one coins value (one
// allocation: its buffers escape through the cipher.Block interface) serves
// a whole encryption.
func (c *coins) reset(tag byte, logN uint8, rl u128) {
	c.label[0] = tag
	c.label[1] = logN
	binary.BigEndian.PutUint32(c.label[2:6], uint32(rl.hi))
	binary.BigEndian.PutUint64(c.label[6:14], rl.lo)
	c.ctr, c.used, c.ahead = 0, 16, nil
}

func (c *coins) uint64() uint64 {
	if c.used+8 > 16 {
		if int(c.ctr) < len(c.ahead) {
			c.buf = c.ahead[c.ctr]
		} else {
			binary.BigEndian.PutUint16(c.label[14:], c.ctr)
			c.block.Encrypt(c.buf[:], c.label[:])
		}
		c.ctr++
		c.used = 0
	}
	v := binary.BigEndian.Uint64(c.buf[c.used:])
	c.used += 8
	return v
}

// popcount returns the number of one bits among n coin bits: a
// Binomial(n, 1/2) draw.
func (c *coins) popcount(n uint64) uint64 {
	var total uint64
	for ; n >= 64; n -= 64 {
		total += uint64(bits.OnesCount64(c.uint64()))
	}
	if n > 0 {
		total += uint64(bits.OnesCount64(c.uint64() & (1<<n - 1)))
	}
	return total
}

// isqrt returns floor(sqrt(m)) for m ≤ 2^64.
func isqrt(m u128) uint64 {
	if m.hi != 0 {
		return 1 << 32
	}
	r := uint64(math.Sqrt(float64(m.lo)))
	// Correct the float estimate so the result is exact everywhere.
	for r > 0 && (r > math.MaxUint32 || r*r > m.lo) {
		r--
	}
	for r < math.MaxUint32 && (r+1)*(r+1) <= m.lo {
		r++
	}
	return r
}

// lowerHalfCount draws how many of the node's M domain points map into the
// lower half (of size 2^half) of its range, clamped to the feasible
// interval.
func lowerHalfCount(c *coins, m u128, half uint8) u128 {
	var k u128
	if m.hi == 0 && m.lo <= binomialExactMax {
		k = u128{0, c.popcount(m.lo)}
	} else {
		// z is (B - 128 + U - 1/2) in units of 2^-32, B ~ Bin(256, 1/2)
		// with standard deviation 8, U uniform in [0, 1).
		var b, u int64
		var odd bool
		if c.ctr == 0 && len(c.ahead) >= 3 {
			// The node's three blocks are at hand: the same coins
			// as the stream reads below, without it.
			bl := c.ahead
			b = int64(bits.OnesCount64(binary.LittleEndian.Uint64(bl[0][:8])) + bits.OnesCount64(binary.LittleEndian.Uint64(bl[0][8:])) +
				bits.OnesCount64(binary.LittleEndian.Uint64(bl[1][:8])) + bits.OnesCount64(binary.LittleEndian.Uint64(bl[1][8:])))
			u = int64(binary.BigEndian.Uint32(bl[2][:4]))
			odd = bl[2][15]&1 == 1
		} else {
			b = int64(c.popcount(normalCoinBits))
			u = int64(c.uint64() >> 32)
			odd = m.lo&1 == 1 && c.uint64()&1 == 1
		}
		b -= normalCoinBits / 2
		z := b<<32 + u - 1<<31
		neg := z < 0
		if neg {
			z = -z
		}
		// offset = z · sqrt(M)/2 / 8 / 2^32 = z · isqrt(M) / 2^36.
		hi, lo := bits.Mul64(uint64(z), isqrt(m))
		offset := u128{0, hi<<28 | lo>>36}
		mean := u128{m.hi >> 1, m.hi<<63 | m.lo>>1}
		if m.lo&1 == 1 && odd {
			mean = mean.add(u128{0, 1})
		}
		switch {
		case !neg:
			k = mean.add(offset)
		case offset.less(mean):
			k = mean.sub(offset)
		}
	}
	halfSize := pow2(half)
	upper := minU128(m, halfSize)
	if upper.less(k) {
		k = upper
	}
	if halfSize.less(m) {
		if lower := m.sub(halfSize); k.less(lower) {
			k = lower
		}
	}
	return k
}

// encrypt maps p to its ciphertext range point.
func (o *opeCipher) encrypt(p uint64) [OPECiphertextSize]byte {
	dl, m, rl, logN := uint64(0), u128{1, 0}, u128{}, uint8(opeRangeBits)
	w := o.newWalk(false, u128{})
	defer w.done()
	for m != (u128{0, 1}) {
		half := logN - 1
		k := w.split(m, logN, rl)
		if (u128{0, p - dl}).less(k) {
			m = k
			w.down(0)
		} else {
			dl += k.lo // k < m ≤ 2^64 here, and dl+k ≤ p fits.
			m = m.sub(k)
			rl = rl.add(pow2(half))
			w.down(1)
		}
		logN = half
	}
	return encodeRangePoint(o.leaf(&w.coins, logN, rl))
}

// lookahead computes the PRF blocks of a decryption's next nodes in one
// run. A ciphertext names its whole path: the node of range size 2^logN
// on it starts at the ciphertext with its low logN bits cleared, whatever
// the splits. Independent AES calls in a row overlap in the processor
// (about 10 ns a block here) where a descent that computes each node's
// blocks as it reaches them waits for every one (about 20 ns).
type lookahead struct {
	ct     u128 // the ciphertext
	blocks [lookaheadLevels * lookaheadBlocks][16]byte
	n      [lookaheadLevels]uint8 // blocks computed per level
	top    uint8                  // logN of the first level held
	levels uint8                  // levels held
}

const (
	lookaheadLevels = 8
	// lookaheadBlocks is what a node above binomialExactMax reads: 256
	// coin bits, then 64 for U and one for the rounding of M/2. Nodes
	// that read more (exact draws for M in (384, 1024]) compute the rest
	// as they read it.
	lookaheadBlocks = 3
)

// coinsAt points c at the inner node of range size 2^logN on the
// ciphertext's path, whose domain has m points, with the blocks computed
// ahead for it; at the first level not held it computes the next
// lookaheadLevels levels' blocks, as many per level as a node of about
// m/2^j domain points reads.
func (a *lookahead) coinsAt(c *coins, logN uint8, m u128) {
	ct := a.ct
	c.reset(tagInner, logN, ct.clearLow(logN))
	if a.levels == 0 || logN > a.top || logN <= a.top-a.levels {
		a.top, a.levels = logN, min(lookaheadLevels, logN)
		// All labels first, then all blocks: an AES call loads its
		// label in one 16-byte read, which cannot be forwarded from the
		// label's smaller stores and waits until they reach the cache;
		// stores retire in order, so a label written between two calls
		// would make each call wait for the one before.
		for j := range a.levels {
			l := logN - j
			r := ct.clearLow(l)
			n := uint8(lookaheadBlocks)
			if mj := m.shr(j); mj.hi == 0 && mj.lo <= 128*lookaheadBlocks {
				n = uint8(max(1, (mj.lo+127)/128))
			}
			a.n[j] = n
			// The label of coins.reset as two big-endian halves.
			hi := uint64(tagInner)<<56 | uint64(l)<<48 | uint64(uint32(r.hi))<<16 | r.lo>>48
			lo := r.lo << 16
			for i := range n {
				b := &a.blocks[int(j)*lookaheadBlocks+int(i)]
				binary.BigEndian.PutUint64(b[:8], hi)
				binary.BigEndian.PutUint64(b[8:], lo|uint64(i))
			}
		}
		for j := range a.levels {
			for i := range a.n[j] {
				b := a.blocks[int(j)*lookaheadBlocks+int(i)][:]
				c.block.Encrypt(b, b)
			}
		}
	}
	j := int(a.top - logN)
	c.ahead = a.blocks[j*lookaheadBlocks : j*lookaheadBlocks+int(a.n[j])]
}

// decrypt inverts encrypt, refusing points outside the function's image.
func (o *opeCipher) decrypt(ct []byte) (uint64, error) {
	if len(ct) != OPECiphertextSize {
		return 0, fmt.Errorf("order-preserving ciphertext is %d bytes, want %d", len(ct), OPECiphertextSize)
	}
	c := u128{uint64(binary.BigEndian.Uint32(ct[:4])), binary.BigEndian.Uint64(ct[4:])}
	dl, m, rl, logN := uint64(0), u128{1, 0}, u128{}, uint8(opeRangeBits)
	w := o.newWalk(true, c)
	defer w.done()
	for m != (u128{0, 1}) {
		half := logN - 1
		k := w.split(m, logN, rl)
		mid := rl.add(pow2(half))
		if c.less(mid) {
			if k.isZero() {
				return 0, errNotInImage
			}
			m = k
			w.down(0)
		} else {
			if k == m {
				return 0, errNotInImage
			}
			dl += k.lo
			m = m.sub(k)
			rl = mid
			w.down(1)
		}
		logN = half
	}
	if o.leaf(&w.coins, logN, rl) != c {
		return 0, errNotInImage
	}
	return dl, nil
}

// leaf draws the ciphertext of a node's single plaintext uniformly from the
// node's range of size 2^logN.
func (o *opeCipher) leaf(c *coins, logN uint8, rl u128) u128 {
	c.reset(tagLeaf, logN, rl)
	r := u128{c.uint64(), c.uint64()}
	switch {
	case logN >= 64:
		r.hi &= 1<<(logN-64) - 1
	default:
		r.hi = 0
		r.lo &= 1<<logN - 1
	}
	return rl.add(r)
}

func encodeRangePoint(c u128) [OPECiphertextSize]byte {
	var out [OPECiphertextSize]byte
	binary.BigEndian.PutUint32(out[:4], uint32(c.hi))
	binary.BigEndian.PutUint64(out[4:], c.lo)
	return out
}

// nanImage is the image of every NaN: above +Inf's (0xFFF0…0), so NaN sorts
// after every number and equals every NaN, as the engine's comparator
// (query's compareFloats) and its key encoding order plaintext floats. It
// inverts to a NaN (0x7FFF…F).
const nanImage = ^uint64(0)

// orderedUint64 maps an int64, timestamp or float64 value to a uint64 whose
// unsigned order is the engine's order of the values: -0 maps like +0 (SQL
// compares them equal) and every NaN to nanImage.
func orderedUint64(t dataTypeKind, i int64, f float64) (uint64, error) {
	switch t {
	case kindInt:
		return uint64(i) ^ 1<<63, nil
	case kindFloat:
		if math.IsNaN(f) {
			return nanImage, nil
		}
		if f == 0 {
			f = 0 // folds -0 into +0
		}
		b := math.Float64bits(f)
		if b>>63 == 1 {
			return ^b, nil
		}
		return b | 1<<63, nil
	}
	return 0, fmt.Errorf("order-preserving encryption does not take kind %d", t)
}

// fromOrderedUint64 inverts orderedUint64.
func fromOrderedUint64(t dataTypeKind, u uint64) (int64, float64) {
	if t == kindInt {
		return int64(u ^ 1<<63), 0
	}
	if u>>63 == 1 {
		return 0, math.Float64frombits(u &^ (1 << 63))
	}
	return 0, math.Float64frombits(^u)
}

type dataTypeKind uint8

const (
	kindInt dataTypeKind = iota + 1
	kindFloat
)

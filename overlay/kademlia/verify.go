package kademlia

import (
	"bytes"
	"encoding/binary"

	"github.com/enigma-mpc/enigma/signing"
)

// SigCheck is one Ed25519 signature the core wants checked: did Key sign
// Digest with Sig? A Verifier answers in OK.
type SigCheck struct {
	Key    []byte
	Digest [32]byte
	Sig    []byte
	OK     bool
}

// Verifier checks Ed25519 signatures for the core. The core decides which
// signatures need checking and what a result means (a contact verified once
// is not checked again, see the contact cache in Codec); a Verifier only
// supplies the CPU. It sets OK on every check it is given and may check
// them in any order or in parallel. The shell injects one that spreads a
// batch over the machine's cores; it must be safe for concurrent use,
// because the shell verifies outside its lock (Pending.Verify).
type Verifier interface {
	Verify(checks []SigCheck)
}

// SerialVerifier checks one signature after another in the caller's
// goroutine: the default, and what the simulator and tests use.
type SerialVerifier struct{}

// Verify implements Verifier.
func (SerialVerifier) Verify(checks []SigCheck) {
	for i := range checks {
		checks[i].OK = VerifySig(checks[i])
	}
}

// VerifySig checks one signature: the work a Verifier does per check.
func VerifySig(c SigCheck) bool {
	return signing.VerifyNodeDigest(c.Key, c.Digest, c.Sig) == nil
}

// VerifyStats counts the signature work of a Protocol since it started.
type VerifyStats struct {
	// ContactHits: signed contacts (senders and relayed ones) accepted from
	// the cache of verified contacts, without a signature check.
	ContactHits uint64
	// ContactMisses: signed contacts that had to be checked (puzzles and
	// weak signature).
	ContactMisses uint64
	// Signatures: Ed25519 verifications handed to the Verifier — the
	// contacts missed plus one strong signature per message opened.
	Signatures uint64
	// CachedContacts is the cache's current size.
	CachedContacts int
}

// appendContactKey appends the cache key of a signed contact: it names
// the contact exactly — the key, the signature and every signed field — so
// a contact that differs in any byte (another address, stamp, puzzle
// solution or signature) is a different entry. The fixed-size fields come
// first and the address last, so the encoding is unambiguous.
func appendContactKey(b []byte, sc SignedContact) []byte {
	b = append(b, byte(len(sc.PubKey)), byte(len(sc.Sig)))
	b = append(b, sc.PubKey...)
	b = append(b, sc.Sig...)
	b = binary.BigEndian.AppendUint64(b, sc.Stamp)
	b = append(b, sc.Puzzle[:]...)
	return append(b, sc.Addr...)
}

// sameSignedContact says a and b are the same signed contact, byte for
// byte: what equal cache keys say.
func sameSignedContact(a, b SignedContact) bool {
	return a.Stamp == b.Stamp && a.Addr == b.Addr && a.Puzzle == b.Puzzle && bytes.Equal(a.Sig, b.Sig) && bytes.Equal(a.PubKey, b.PubKey)
}

// contactKeyBuffer holds a contact's key without a heap allocation: the
// sizes shapeSender lets through (a 32-byte key, a 64-byte signature, an
// address of at most 256 bytes) fit.
type contactKeyBuffer [2 + 32 + 64 + 8 + 32 + 256]byte

// contactCache remembers signed contacts whose puzzles and weak signature
// verified: an entry is the fact "this key's signature over exactly these
// fields checked out under this codec's domain, chain ID and puzzle
// difficulty". It never vouches for freshness: the stamp's age is checked
// at every use. Bounded, least recently used out first.
type contactCache struct {
	max     int
	entries map[string]*cacheEntry
	// head.next is the most recently used entry, head.prev the least.
	head cacheEntry
}

type cacheEntry struct {
	key        string
	contact    Contact
	prev, next *cacheEntry
}

func newContactCache(max int) *contactCache {
	c := &contactCache{max: max, entries: make(map[string]*cacheEntry)}
	c.head.prev, c.head.next = &c.head, &c.head
	return c
}

func (c *contactCache) len() int { return len(c.entries) }

// get returns the entry of the verified contact stored under key and
// marks it used. The key is bytes so that a lookup allocates nothing.
func (c *contactCache) get(key []byte) (*cacheEntry, bool) {
	e, ok := c.entries[string(key)]
	if !ok {
		return nil, false
	}
	c.unlink(e)
	c.pushFront(e)
	return e, true
}

// addVerified remembers a contact whose checks held: the entry it was
// found under (hit, which may have been evicted since), or a new one.
func (c *contactCache) addVerified(sc SignedContact, hit *cacheEntry, contact Contact) {
	if hit != nil {
		c.add(hit.key, contact)
		return
	}
	var buf contactKeyBuffer
	c.add(string(appendContactKey(buf[:0], sc)), contact)
}

// add remembers a verified contact, evicting the least recently used entry
// when full.
func (c *contactCache) add(key string, contact Contact) {
	if c.max <= 0 {
		return
	}
	if e, ok := c.entries[key]; ok {
		c.unlink(e)
		c.pushFront(e)
		return
	}
	if len(c.entries) >= c.max {
		old := c.head.prev
		c.unlink(old)
		delete(c.entries, old.key)
	}
	e := &cacheEntry{key: key, contact: contact}
	c.entries[key] = e
	c.pushFront(e)
}

func (c *contactCache) unlink(e *cacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (c *contactCache) pushFront(e *cacheEntry) {
	e.prev, e.next = &c.head, c.head.next
	c.head.next.prev = e
	c.head.next = e
}

package kademlia

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/ethereum/go-ethereum/rlp"

	"github.com/enigma-mpc/enigma/signing"
)

// The kad messages, their bodies and signed contacts are RLP, encoded and
// decoded here by hand: go-ethereum's reflective codec allocated each
// field of each relayed contact separately (about fifty allocations for a
// NODES answer of sixteen contacts, most of the lookup's garbage). The
// bytes are exactly those of rlp.EncodeToBytes on the structs in wire.go
// (TestCodecMatchesRLP), and the decoders accept exactly what
// rlp.DecodeBytes accepts into them, with the same values
// (FuzzMessageCodec, FuzzBodyCodec): canonical sizes and integers,
// integers within their types, arrays of their exact length, no missing,
// extra or trailing elements. The one difference is a bound: a contact
// list longer than MaxContactsPerAnswer is refused while decoding.

var (
	errTooFewElements  = errors.New("rlp: too few elements")
	errTooManyElements = errors.New("rlp: input list has too many elements")
	errUintOverflow    = errors.New("rlp: integer overflows its type")
)

// appendHead appends the header of a string (base 0x80) or list (base
// 0xc0) of n bytes.
func appendHead(dst []byte, base byte, n int) []byte {
	if n < 56 {
		return append(dst, base+byte(n))
	}
	l := (bits.Len64(uint64(n)) + 7) / 8
	dst = append(dst, base+55+byte(l))
	for i := l - 1; i >= 0; i-- {
		dst = append(dst, byte(n>>(8*i)))
	}
	return dst
}

func appendBytes(dst, b []byte) []byte {
	if len(b) == 1 && b[0] < 0x80 {
		return append(dst, b[0])
	}
	return append(appendHead(dst, 0x80, len(b)), b...)
}

func appendString(dst []byte, s string) []byte {
	if len(s) == 1 && s[0] < 0x80 {
		return append(dst, s[0])
	}
	return append(appendHead(dst, 0x80, len(s)), s...)
}

func appendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, 0x01)
	}
	return append(dst, 0x80)
}

const (
	idSize    = 1 + len(ID{})       // an ID or puzzle solution: header and 32 bytes
	nonceSize = 1 + len([16]byte{}) // a nonce: header and 16 bytes
)

// contactPayloadContent is the size of the list content of a contact
// without its signature (contactPayload).
func contactPayloadContent(sc *SignedContact) int {
	return int(rlp.BytesSize(sc.PubKey)+rlp.StringSize(sc.Addr)) + rlp.IntSize(sc.Stamp) + idSize
}

func contactSize(sc *SignedContact) int {
	return int(rlp.ListSize(uint64(contactPayloadContent(sc)) + rlp.BytesSize(sc.Sig)))
}

func appendContactFields(dst []byte, sc *SignedContact) []byte {
	dst = appendBytes(dst, sc.PubKey)
	dst = appendString(dst, sc.Addr)
	dst = rlp.AppendUint64(dst, sc.Stamp)
	return appendBytes(dst, sc.Puzzle[:])
}

// appendContact appends a signed contact: [PubKey, Addr, Stamp, Puzzle, Sig].
func appendContact(dst []byte, sc *SignedContact) []byte {
	dst = appendHead(dst, 0xc0, contactPayloadContent(sc)+int(rlp.BytesSize(sc.Sig)))
	return appendBytes(appendContactFields(dst, sc), sc.Sig)
}

// encodeContactPayload encodes what a contact's weak signature covers.
func encodeContactPayload(sc *SignedContact) []byte {
	n := contactPayloadContent(sc)
	return appendContactFields(appendHead(make([]byte, 0, int(rlp.ListSize(uint64(n)))), 0xc0, n), sc)
}

func contactsSize(scs []SignedContact) int {
	n := 0
	for i := range scs {
		n += contactSize(&scs[i])
	}
	return n
}

func appendContacts(dst []byte, scs []SignedContact, content int) []byte {
	dst = appendHead(dst, 0xc0, content)
	for i := range scs {
		dst = appendContact(dst, &scs[i])
	}
	return dst
}

// encodeMessage encodes a message: [Type, From, To, Nonce, InReplyTo, Time,
// Body, Sig], or without Sig what its strong signature covers.
func encodeMessage(p *messagePayload, sig []byte, withSig bool) []byte {
	n := rlp.IntSize(uint64(p.Type)) + contactSize(&p.From) + idSize + 2*nonceSize + rlp.IntSize(p.Time) + int(rlp.BytesSize(p.Body))
	if withSig {
		n += int(rlp.BytesSize(sig))
	}
	out := appendHead(make([]byte, 0, int(rlp.ListSize(uint64(n)))), 0xc0, n)
	out = rlp.AppendUint64(out, uint64(p.Type))
	out = appendContact(out, &p.From)
	out = appendBytes(out, p.To[:])
	out = appendBytes(out, p.Nonce[:])
	out = appendBytes(out, p.InReplyTo[:])
	out = rlp.AppendUint64(out, p.Time)
	out = appendBytes(out, p.Body)
	if withSig {
		out = appendBytes(out, sig)
	}
	return out
}

// encodeBody encodes a message body. The body types of this package are
// encoded by hand; any other value (a test's, or a pointer to a body)
// goes to the reflective encoder, which gives the same bytes.
func encodeBody(body any) ([]byte, error) {
	switch b := body.(type) {
	case nil, emptyBody:
		return []byte{0xc0}, nil
	case FindBody:
		return appendBytes(appendHead(make([]byte, 0, 1+idSize), 0xc0, idSize), b.Target[:]), nil
	case NodesBody:
		c := contactsSize(b.Contacts)
		n := int(rlp.ListSize(uint64(c)))
		out := appendHead(make([]byte, 0, int(rlp.ListSize(uint64(n)))), 0xc0, n)
		return appendContacts(out, b.Contacts, c), nil
	case ValueBody:
		c := contactsSize(b.Contacts)
		n := 1 + int(rlp.BytesSize(b.Value)+rlp.ListSize(uint64(c)))
		out := appendHead(make([]byte, 0, int(rlp.ListSize(uint64(n)))), 0xc0, n)
		out = appendBytes(appendBool(out, b.Found), b.Value)
		return appendContacts(out, b.Contacts, c), nil
	case StoreBody:
		n := idSize + int(rlp.BytesSize(b.Value))
		out := appendHead(make([]byte, 0, int(rlp.ListSize(uint64(n)))), 0xc0, n)
		return appendBytes(appendBytes(out, b.Key[:]), b.Value), nil
	case StoredBody:
		n := 1 + int(rlp.StringSize(b.Reason))
		out := appendHead(make([]byte, 0, int(rlp.ListSize(uint64(n)))), 0xc0, n)
		return appendString(appendBool(out, b.Stored), b.Reason), nil
	default:
		return signing.Encode(body)
	}
}

// splitUint splits off an integer of at most max.
func splitUint(b []byte, max uint64) (uint64, []byte, error) {
	x, rest, err := rlp.SplitUint64(b)
	if err != nil {
		return 0, nil, err
	}
	if x > max {
		return 0, nil, errUintOverflow
	}
	return x, rest, nil
}

func splitBool(b []byte) (bool, []byte, error) {
	x, rest, err := splitUint(b, 1)
	return x == 1, rest, err
}

// splitArray splits off a byte string of exactly len(dst) bytes into dst.
func splitArray(b, dst []byte) ([]byte, error) {
	content, rest, err := rlp.SplitString(b)
	if err != nil {
		return nil, err
	}
	if len(content) != len(dst) {
		return nil, fmt.Errorf("rlp: %d-byte string for a %d-byte array", len(content), len(dst))
	}
	copy(dst, content)
	return rest, nil
}

// splitString splits off the next element of a list's content, refusing an
// empty rest (a missing element).
func splitString(b []byte) ([]byte, []byte, error) {
	if len(b) == 0 {
		return nil, nil, errTooFewElements
	}
	return rlp.SplitString(b)
}

// splitTop checks the size limit and splits a whole input that must be one
// list and nothing after it.
func splitTop(b []byte) ([]byte, error) {
	if len(b) > MaxMessageSize {
		return nil, fmt.Errorf("%d bytes exceeds the limit of %d", len(b), MaxMessageSize)
	}
	content, rest, err := rlp.SplitList(b)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, rlp.ErrMoreThanOneValue
	}
	return content, nil
}

// arena hands out copies of byte strings from one allocation. Its capacity
// must cover every copy taken: a copy never moves the earlier ones, and each
// is capped so appending to it cannot overwrite the next.
type arena []byte

func (a *arena) take(b []byte) []byte {
	n := len(*a)
	*a = append(*a, b...)
	return (*a)[n:len(*a):len(*a)]
}

// rawContact is a signed contact's fields as they lie in the input.
type rawContact struct {
	pub, addr, sig []byte
	stamp          uint64
	puzzle         [32]byte
}

func splitContact(b []byte) (rawContact, []byte, error) {
	var rc rawContact
	if len(b) == 0 {
		return rc, nil, errTooFewElements
	}
	content, rest, err := rlp.SplitList(b)
	if err != nil {
		return rc, nil, err
	}
	if rc.pub, content, err = splitString(content); err != nil {
		return rc, nil, err
	}
	if rc.addr, content, err = splitString(content); err != nil {
		return rc, nil, err
	}
	if len(content) == 0 {
		return rc, nil, errTooFewElements
	}
	if rc.stamp, content, err = splitUint(content, math.MaxUint64); err != nil {
		return rc, nil, err
	}
	if len(content) == 0 {
		return rc, nil, errTooFewElements
	}
	if content, err = splitArray(content, rc.puzzle[:]); err != nil {
		return rc, nil, err
	}
	if rc.sig, content, err = splitString(content); err != nil {
		return rc, nil, err
	}
	if len(content) > 0 {
		return rc, nil, errTooManyElements
	}
	return rc, rest, nil
}

// splitContacts splits off a list of signed contacts. Their keys and
// signatures share one allocation and their addresses one string: the
// contacts of an answer are dropped once checked (a cached contact's
// address comes from the cache, and Verify copies a new one's).
func splitContacts(b []byte) ([]SignedContact, []byte, error) {
	if len(b) == 0 {
		return nil, nil, errTooFewElements
	}
	content, rest, err := rlp.SplitList(b)
	if err != nil {
		return nil, nil, err
	}
	n, err := rlp.CountValues(content)
	if err != nil {
		return nil, nil, err
	}
	if n > MaxContactsPerAnswer {
		return nil, nil, fmt.Errorf("%d contacts in one answer (limit %d)", n, MaxContactsPerAnswer)
	}
	// Split and check every contact once, sizing the copies; then copy.
	var raws [MaxContactsPerAnswer]rawContact // on the stack
	keys, addrs := 0, 0
	for i, c := 0, content; len(c) > 0; i++ {
		rc, tail, err := splitContact(c)
		if err != nil {
			return nil, nil, err
		}
		keys += len(rc.pub) + len(rc.sig)
		addrs += len(rc.addr)
		raws[i], c = rc, tail
	}
	out := make([]SignedContact, n)
	mem := make(arena, 0, keys)
	var sb strings.Builder
	sb.Grow(addrs)
	ends := make([]int, 0, MaxContactsPerAnswer) // on the stack
	for i, rc := range raws[:n] {
		out[i] = SignedContact{PubKey: mem.take(rc.pub), Stamp: rc.stamp, Puzzle: rc.puzzle, Sig: mem.take(rc.sig)}
		sb.Write(rc.addr)
		ends = append(ends, sb.Len())
	}
	all, start := sb.String(), 0
	for i, end := range ends {
		out[i].Addr, start = all[start:end], end
	}
	return out, rest, nil
}

// decodeMessage decodes a whole message. The sender's key and signature
// get an allocation of their own (the protocol keeps its latest contact),
// the body and signature another.
func decodeMessage(b []byte, m *Message) error {
	content, err := splitTop(b)
	if err != nil {
		return err
	}
	if len(content) == 0 {
		return errTooFewElements
	}
	typ, content, err := splitUint(content, math.MaxUint8)
	if err != nil {
		return err
	}
	m.Type = MsgType(typ)
	rc, content, err := splitContact(content)
	if err != nil {
		return err
	}
	for _, a := range [][]byte{m.To[:], m.Nonce[:], m.InReplyTo[:]} {
		if len(content) == 0 {
			return errTooFewElements
		}
		if content, err = splitArray(content, a); err != nil {
			return err
		}
	}
	if len(content) == 0 {
		return errTooFewElements
	}
	if m.Time, content, err = splitUint(content, math.MaxUint64); err != nil {
		return err
	}
	body, content, err := splitString(content)
	if err != nil {
		return err
	}
	sig, content, err := splitString(content)
	if err != nil {
		return err
	}
	if len(content) > 0 {
		return errTooManyElements
	}
	from := make(arena, 0, len(rc.pub)+len(rc.sig))
	m.From = SignedContact{PubKey: from.take(rc.pub), Addr: string(rc.addr), Stamp: rc.stamp, Puzzle: rc.puzzle, Sig: from.take(rc.sig)}
	rest := make(arena, 0, len(body)+len(sig))
	m.Body, m.Sig = rest.take(body), rest.take(sig)
	return nil
}

// decodeFields decodes a whole input that is one non-empty list: fields
// splits the list's elements off its content and returns what is left,
// which must be nothing.
func decodeFields(b []byte, fields func(content []byte) ([]byte, error)) error {
	content, err := splitTop(b)
	if err != nil {
		return err
	}
	if len(content) == 0 {
		return errTooFewElements
	}
	if content, err = fields(content); err != nil {
		return err
	}
	if len(content) > 0 {
		return errTooManyElements
	}
	return nil
}

func decodeFindBody(b []byte, v *FindBody) error {
	return decodeFields(b, func(content []byte) ([]byte, error) {
		return splitArray(content, v.Target[:])
	})
}

func decodeNodesBody(b []byte, v *NodesBody) error {
	return decodeFields(b, func(content []byte) (rest []byte, err error) {
		v.Contacts, rest, err = splitContacts(content)
		return rest, err
	})
}

func decodeValueBody(b []byte, v *ValueBody) error {
	return decodeFields(b, func(content []byte) ([]byte, error) {
		var err error
		if v.Found, content, err = splitBool(content); err != nil {
			return nil, err
		}
		value, content, err := splitString(content)
		if err != nil {
			return nil, err
		}
		if v.Contacts, content, err = splitContacts(content); err != nil {
			return nil, err
		}
		v.Value = append(make([]byte, 0, len(value)), value...)
		return content, nil
	})
}

func decodeStoreBody(b []byte, v *StoreBody) error {
	return decodeFields(b, func(content []byte) ([]byte, error) {
		content, err := splitArray(content, v.Key[:])
		if err != nil {
			return nil, err
		}
		value, content, err := splitString(content)
		if err != nil {
			return nil, err
		}
		v.Value = append(make([]byte, 0, len(value)), value...)
		return content, nil
	})
}

func decodeStoredBody(b []byte, v *StoredBody) error {
	return decodeFields(b, func(content []byte) ([]byte, error) {
		var err error
		if v.Stored, content, err = splitBool(content); err != nil {
			return nil, err
		}
		reason, content, err := splitString(content)
		if err != nil {
			return nil, err
		}
		v.Reason = string(reason)
		return content, nil
	})
}

package kademlia

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
)

// ProtocolConfig configures a Protocol.
type ProtocolConfig struct {
	Wire   WireConfig
	Table  TableConfig // Self is set from the key
	Store  StoreConfig
	Lookup LookupConfig
	// Verifier checks the signatures the core asks about (default
	// SerialVerifier). The shell passes one that uses every core.
	Verifier Verifier
}

// Protocol is one node's overlay state: codec, routing table, record store
// and the latest signed contact of each table member. It turns raw request
// bytes into raw answer bytes and raw answers into lookup input. Pure and
// not safe for concurrent use: the shell serialises calls.
type Protocol struct {
	cfg    ProtocolConfig
	codec  *Codec
	table  *Table
	store  *Store
	proofs map[ID]SignedContact
	rand   *randsrc.Rand
	// closest is signedClosest's scratch: the Protocol is used by one
	// caller at a time, and the contacts are copied out before it returns.
	closest []Contact
}

// NewProtocol builds a node's protocol state. rand supplies request nonces.
func NewProtocol(cfg ProtocolConfig, key *identity.NodeKey, puzzle [32]byte, addr string, rand *randsrc.Rand, now Time) (*Protocol, error) {
	codec, err := NewCodec(cfg.Wire, key, puzzle, addr, now)
	if err != nil {
		return nil, err
	}
	cfg.Table.Self = key.ID()
	if cfg.Store.PublisherPuzzle == 0 {
		// Publishers of self-certifying records cost what node IDs cost.
		cfg.Store.PublisherPuzzle = cfg.Wire.Puzzle.Static
	}
	store, err := NewStore(cfg.Store)
	if err != nil {
		return nil, err
	}
	cfg.Lookup = cfg.Lookup.withDefaults()
	if cfg.Verifier != nil {
		codec.verifier = cfg.Verifier
	}
	return &Protocol{cfg: cfg, codec: codec, table: NewTable(cfg.Table), store: store, proofs: map[ID]SignedContact{}, rand: rand}, nil
}

// Codec, Table and Store expose the parts for the shell's maintenance work.
func (p *Protocol) Codec() *Codec { return p.codec }

// Table is the routing table.
func (p *Protocol) Table() *Table { return p.table }

// Store is the record store.
func (p *Protocol) Store() *Store { return p.store }

// LookupConfig is the lookup configuration with defaults filled in.
func (p *Protocol) LookupConfig() LookupConfig { return p.cfg.Lookup }

// Validator is the record validator.
func (p *Protocol) Validator() Validator { return p.store.cfg.Validator }

// observe feeds a verified sender into the table and remembers its proof.
func (p *Protocol) observe(sc SignedContact, c Contact, ev Evidence, now Time) []Contact {
	if old, ok := p.proofs[c.ID]; !ok || sc.Stamp >= old.Stamp {
		p.proofs[c.ID] = sc
	}
	ping := p.table.Observe(c, ev, now)
	if len(p.proofs) > 2*p.table.Len()+64 {
		for id := range p.proofs {
			if !p.table.Contains(id) {
				delete(p.proofs, id)
			}
		}
	}
	return ping
}

// signedClosest returns the signed contacts of the n table members closest
// to target whose weak signatures are still fresh.
func (p *Protocol) signedClosest(target ID, n int, now Time) []SignedContact {
	p.closest = p.table.appendClosest(p.closest[:0], target, n)
	out := make([]SignedContact, 0, len(p.closest))
	maxAge := uint64(p.codec.cfg.ContactMaxAge / Second)
	for _, c := range p.closest {
		sc, ok := p.proofs[c.ID]
		if ok && uint64(now)/1000-min(uint64(now)/1000, sc.Stamp) < maxAge {
			out = append(out, sc)
		}
	}
	return out
}

func (p *Protocol) nonce() [16]byte {
	var n [16]byte
	for i := 0; i < 16; i += 8 {
		v := p.rand.Uint64()
		for j := 0; j < 8; j++ {
			n[i+j] = byte(v >> (8 * j))
		}
	}
	return n
}

// Served is the outcome of a request this node answered.
type Served struct {
	// Answer is the signed answer to send back (ServeRequest). FinishRequest
	// leaves it nil and returns the answer unsigned in Unsigned instead.
	Answer []byte
	// Unsigned is the answer before its signature (FinishRequest): its
	// Seal gives Answer, and may run outside the shell's lock.
	Unsigned *Outgoing
	// Ping lists contacts the caller should ping (see Table.Observe).
	Ping []Contact
	// Refused is why a STORE was answered with a refusal (its text is the
	// answer's Reason): ErrNotResponsible, or an ErrRejected that may wrap
	// ErrPublisherQuota or ErrStoreFull. Nil otherwise.
	Refused error
}

// ErrNotResponsible: a STORE reached a node that knows s nodes closer to
// the key than itself.
var ErrNotResponsible = errors.New("not among the closest nodes to the key")

// HandleRequest is ServeRequest for callers that need only the answer and
// the contacts to ping.
func (p *Protocol) HandleRequest(raw []byte, peer ID, now Time) (answer []byte, ping []Contact, err error) {
	s, err := p.ServeRequest(raw, peer, now)
	return s.Answer, s.Ping, err
}

// ServeRequest verifies a request and returns the signed answer. peer is
// the sender the transport authenticated; the message must be signed by
// it. A zero peer skips that check (for transports without
// authentication). It is BeginRequest, Pending.Verify and FinishRequest in
// one call.
func (p *Protocol) ServeRequest(raw []byte, peer ID, now Time) (Served, error) {
	pd, err := p.BeginRequest(raw, peer, now)
	if err != nil {
		return Served{}, err
	}
	s, err := p.FinishRequest(pd, now)
	if err != nil {
		return Served{}, err
	}
	if s.Answer, err = s.Unsigned.Seal(); err != nil {
		return Served{}, err
	}
	return s, nil
}

// BeginRequest runs a request's checks that need no signature (see
// ServeRequest) and returns it pending its signature checks: the sender's
// contact unless it is cached, and the message's strong signature. It is
// Decoder().Request and Check in one call.
func (p *Protocol) BeginRequest(raw []byte, peer ID, now Time) (*Pending, error) {
	pd, err := p.Decoder().Request(raw, peer, now)
	if err != nil {
		return nil, err
	}
	if err := p.Check(pd); err != nil {
		return nil, err
	}
	return pd, nil
}

// Decoder returns a decoder for messages to this protocol, usable without
// the shell's lock (see Decoder).
func (p *Protocol) Decoder() Decoder { return p.codec.decoder() }

// Check settles a decoded message against the protocol's state: the nonce
// against the replay memory, and every signed contact against the cache of
// verified contacts, so Verify checks only the rest. Finish is correct
// without it (it checks the nonce again, and Verify then checks every
// contact), only slower.
func (p *Protocol) Check(pd *Pending) error { return p.codec.check(pd) }

// Request decodes a request and runs its checks that need neither a
// signature nor state. peer is the sender the transport authenticated (zero
// to skip that check).
func (d Decoder) Request(raw []byte, peer ID, now Time) (*Pending, error) {
	pd, err := d.message(raw, now)
	if err != nil {
		return nil, err
	}
	if peer != (ID{}) && pd.from != peer {
		return nil, fmt.Errorf("%w: message from %s arrived from %s", ErrSenderMismatch, pd.from.Short(), peer.Short())
	}
	pd.channel = d.cfg.AuthenticatedTransport && peer != (ID{})
	if !pd.msg.Type.IsRequest() {
		return nil, fmt.Errorf("%w: %s is not a request", ErrMalformed, pd.msg.Type)
	}
	return pd, nil
}

// FinishRequest takes a pending request's signature checks (running them
// first if Verify was not called) and, if they held, serves it and returns
// the answer, unsigned (Served.Unsigned).
func (p *Protocol) FinishRequest(pd *Pending, now Time) (Served, error) {
	if pd.answer != nil {
		return Served{}, errors.New("overlay: FinishRequest given an answer")
	}
	m, from, err := p.codec.finish(pd, now)
	if err != nil {
		return Served{}, err
	}
	var (
		typ     MsgType
		body    any
		refused error
	)
	switch m.Type {
	case MsgPing:
		typ = MsgPong
	case MsgFindNode:
		var f FindBody
		if err := DecodeBody(m, &f); err != nil {
			return Served{}, err
		}
		typ, body = MsgNodes, NodesBody{Contacts: p.signedClosest(f.Target, p.cfg.Lookup.K, now)}
	case MsgFindValue:
		var f FindBody
		if err := DecodeBody(m, &f); err != nil {
			return Served{}, err
		}
		typ = MsgValue
		if v, ok := p.store.Get(f.Target, now); ok {
			body = ValueBody{Found: true, Value: v}
		} else {
			body = ValueBody{Contacts: p.signedClosest(f.Target, p.cfg.Lookup.K, now)}
		}
	case MsgStore:
		var s StoreBody
		if err := DecodeBody(m, &s); err != nil {
			return Served{}, err
		}
		typ = MsgStored
		// Replicas belong to the key's s closest nodes. A true member of
		// them can never know s closer nodes, so this refuses only nodes
		// that have no business storing the record.
		if !p.table.Responsible(s.Key) {
			refused = fmt.Errorf("%w: key %s", ErrNotResponsible, s.Key.Short())
		} else if _, err := p.store.Put(s.Key, s.Value, now); err != nil {
			refused = err
		}
		if refused != nil {
			body = StoredBody{Reason: refused.Error()}
		} else {
			body = StoredBody{Stored: true}
		}
	}
	var ping []Contact
	if from.Addr != "" { // a client (no address) is answered, never routed to
		ping = p.observe(m.From, from, Requested, now)
	}
	answer, err := p.codec.Prepare(typ, from.ID, p.nonce(), m.Nonce, body, now)
	if err != nil {
		return Served{}, err
	}
	return Served{Unsigned: answer, Ping: ping, Refused: refused}, nil
}

// NewRequest seals a request of type typ to node to and returns it with the
// nonce its answer must echo.
func (p *Protocol) NewRequest(typ MsgType, to ID, body any, now Time) ([]byte, [16]byte, error) {
	out, n, err := p.PrepareRequest(typ, to, body, now)
	if err != nil {
		return nil, n, err
	}
	b, err := out.Seal()
	return b, n, err
}

// PrepareRequest is NewRequest without the signature: the shell seals the
// request (Outgoing.Seal) outside its lock.
func (p *Protocol) PrepareRequest(typ MsgType, to ID, body any, now Time) (*Outgoing, [16]byte, error) {
	if !typ.IsRequest() {
		return nil, [16]byte{}, fmt.Errorf("%s is not a request type", typ)
	}
	n := p.nonce()
	out, err := p.codec.Prepare(typ, to, n, [16]byte{}, body, now)
	return out, n, err
}

// Answer is a verified, decoded answer to one of our requests.
type Answer struct {
	From     Contact
	Type     MsgType
	Contacts []Contact // verified third-party contacts (NODES, VALUE without value)
	Found    bool      // VALUE carried a value
	Value    []byte
	Stored   bool // STORED: the record was accepted
	Reason   string
	Rejected int // third-party contacts dropped for bad signatures or puzzles
}

var answerType = map[MsgType]MsgType{MsgPing: MsgPong, MsgFindNode: MsgNodes, MsgFindValue: MsgValue, MsgStore: MsgStored}

// HandleAnswer verifies the answer to our request of type req sent to node
// to with the given nonce. A valid answer makes its sender actively valid:
// it enters the table at once. Third-party contacts are checked (weak
// signature, puzzles) but not added: the lookup queries them, and their own
// answers add them. It is BeginAnswer, Pending.Verify and FinishAnswer in
// one call.
func (p *Protocol) HandleAnswer(raw []byte, req MsgType, to ID, nonce [16]byte, now Time) (*Answer, []Contact, error) {
	pd, err := p.BeginAnswer(raw, req, to, nonce, now)
	if err != nil {
		return nil, nil, err
	}
	return p.FinishAnswer(pd, now)
}

// BeginAnswer decodes an answer and runs the checks that need no
// signature (see HandleAnswer). Each relayed contact is looked up in the
// cache of verified contacts; the Pending it returns holds the signature
// checks still to do: the strong signature, and the weak signature and
// puzzles of each contact not cached. Relayed contacts that are malformed
// or stale are counted as rejected already; our own contact and repeats of
// one signed contact are dropped. It is Decoder().Answer and Check in one
// call.
func (p *Protocol) BeginAnswer(raw []byte, req MsgType, to ID, nonce [16]byte, now Time) (*Pending, error) {
	pd, err := p.Decoder().Answer(raw, req, to, nonce, now)
	if err != nil {
		return nil, err
	}
	if err := p.Check(pd); err != nil {
		return nil, err
	}
	return pd, nil
}

// Answer decodes the answer to our request of type req sent to node to
// with the given nonce, and runs its checks that need neither a signature
// nor state (see BeginAnswer).
func (d Decoder) Answer(raw []byte, req MsgType, to ID, nonce [16]byte, now Time) (*Pending, error) {
	pd, err := d.message(raw, now)
	if err != nil {
		return nil, err
	}
	m := pd.msg
	if m.From.Addr == "" {
		return nil, fmt.Errorf("%w: %s answered without an address: only a node that serves has one", ErrMalformed, m.Type)
	}
	a := &Answer{Type: m.Type}
	pd.answer, pd.req, pd.to, pd.nonce = a, req, to, nonce
	// The shell sent the request over a channel authenticated to the node
	// asked, and its answer came back on it.
	pd.channel = d.cfg.AuthenticatedTransport && pd.from == to
	var signed []SignedContact
	switch m.Type {
	case MsgNodes:
		var b NodesBody
		if err := DecodeBody(m, &b); err != nil {
			return nil, err
		}
		signed = b.Contacts
	case MsgValue:
		var b ValueBody
		if err := DecodeBody(m, &b); err != nil {
			return nil, err
		}
		a.Found, a.Value, signed = b.Found, b.Value, b.Contacts
	case MsgStored:
		var b StoredBody
		if err := DecodeBody(m, &b); err != nil {
			return nil, err
		}
		a.Stored, a.Reason = b.Stored, b.Reason
	}
	if len(signed) > MaxContactsPerAnswer {
		return nil, fmt.Errorf("%w: %d contacts in one answer (limit %d)", ErrMalformed, len(signed), MaxContactsPerAnswer)
	}
	pd.contacts = make([]pendingContact, 0, len(signed)) // grown one by one, an answer's contacts were copied four times
	for _, sc := range signed {
		if bytes.Equal(sc.PubKey, d.pub) {
			continue
		}
		pc, err := shapeContact(d.cfg, sc, now)
		if err != nil {
			a.Rejected++
			continue
		}
		// An exact duplicate is dropped; at most MaxContactsPerAnswer
		// contacts, so comparing with each kept one costs less than
		// building a key for each.
		if slices.ContainsFunc(pd.contacts, func(kept pendingContact) bool { return sameSignedContact(kept.sc, sc) }) {
			continue
		}
		pd.contacts = append(pd.contacts, pc)
	}
	return pd, nil
}

// FinishAnswer takes a pending answer's signature checks (running them
// first if Verify was not called) and returns the verified answer, with
// the contacts the caller should ping (see Table.Observe). Contacts whose
// checks held enter the cache of verified contacts; the others are counted
// in Answer.Rejected.
func (p *Protocol) FinishAnswer(pd *Pending, now Time) (*Answer, []Contact, error) {
	a := pd.answer
	if a == nil {
		return nil, nil, errors.New("overlay: FinishAnswer given a request")
	}
	m, from, err := p.codec.finish(pd, now)
	if err != nil {
		return nil, nil, err
	}
	if from.ID != pd.to {
		return nil, nil, fmt.Errorf("%w: answer from %s, asked %s", ErrMisaddressed, from.ID.Short(), pd.to.Short())
	}
	if m.InReplyTo != pd.nonce || m.Type != answerType[pd.req] {
		return nil, nil, fmt.Errorf("%w: %s does not answer our %s", ErrMalformed, m.Type, pd.req)
	}
	a.From = from
	for _, pc := range pd.contacts {
		if !pc.verified {
			a.Rejected++
			continue
		}
		p.codec.cache.addVerified(pc.sc, pc.hit, pc.contact)
		if pc.contact.ID != p.codec.id {
			a.Contacts = append(a.Contacts, pc.contact)
		}
	}
	ping := p.observe(m.From, from, Responded, now)
	return a, ping, nil
}

// VerifyStats reports the signature work and the contact cache's size.
func (p *Protocol) VerifyStats() VerifyStats { return p.codec.Stats() }

// RequestFailed tells the table a request to id failed.
func (p *Protocol) RequestFailed(id ID) { p.table.Failed(id) }

// IsRejection reports whether err is one of the reasons Open refuses
// hostile or broken input (as opposed to a local failure).
func IsRejection(err error) bool {
	return errors.Is(err, ErrMalformed) || errors.Is(err, ErrSenderMismatch) || errors.Is(err, ErrReplay) || errors.Is(err, ErrStale) ||
		errors.Is(err, ErrMisaddressed) || errors.Is(err, ErrPuzzle) || errors.Is(err, ErrBadSignature)
}

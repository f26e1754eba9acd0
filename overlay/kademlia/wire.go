package kademlia

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/signing"
)

// Signature domains of the overlay.
const (
	// DomainContact is the weak signature: a node's address and a coarse
	// timestamp. Third parties relay it inside NODES answers, so a receiver
	// can check a contact's address came from its owner.
	DomainContact signing.Domain = "overlay/contact/v1"
	// DomainMessage is the strong signature over a whole message, nonce
	// included.
	DomainMessage signing.Domain = "overlay/msg/v1"
)

// MaxMessageSize bounds an encoded message; larger input is rejected before
// decoding.
const MaxMessageSize = 1 << 20

// MaxContactsPerAnswer bounds the contacts in one NODES or VALUE answer.
const MaxContactsPerAnswer = 64

// MsgType names an overlay RPC message.
type MsgType uint8

// The overlay RPCs: each request has exactly one answer type.
const (
	MsgPing MsgType = iota + 1
	MsgPong
	MsgFindNode
	MsgNodes
	MsgFindValue
	MsgValue
	MsgStore
	MsgStored
)

var msgNames = map[MsgType]string{
	MsgPing: "PING", MsgPong: "PONG", MsgFindNode: "FIND_NODE", MsgNodes: "NODES",
	MsgFindValue: "FIND_VALUE", MsgValue: "VALUE", MsgStore: "STORE", MsgStored: "STORED",
}

func (t MsgType) String() string {
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("MsgType(%d)", uint8(t))
}

// IsRequest reports whether t is a request type.
func (t MsgType) IsRequest() bool {
	return t == MsgPing || t == MsgFindNode || t == MsgFindValue || t == MsgStore
}

// Reasons Open rejects a message; a shell counts them by errors.Is.
var (
	ErrMalformed      = errors.New("malformed overlay message")
	ErrReplay         = errors.New("replayed overlay message")
	ErrStale          = errors.New("overlay message outside the time window")
	ErrMisaddressed   = errors.New("overlay message addressed to another node")
	ErrSenderMismatch = errors.New("overlay message not signed by the connection's peer")
)

// SignedContact is a node's self-description, weakly signed: its public
// key, address, a coarse timestamp and its dynamic-puzzle solution.
type SignedContact struct {
	PubKey []byte
	Addr   string
	Stamp  uint64 // Unix seconds, rounded down to the stamp granularity
	Puzzle [32]byte
	Sig    []byte
}

type contactPayload struct {
	PubKey []byte
	Addr   string
	Stamp  uint64
	Puzzle [32]byte
}

// Message is one signed overlay RPC message.
type Message struct {
	Type      MsgType
	From      SignedContact
	To        ID
	Nonce     [16]byte
	InReplyTo [16]byte
	Time      uint64 // sender's clock, Unix milliseconds
	Body      []byte // RLP of the type's body struct
	Sig       []byte
}

type messagePayload struct {
	Type      MsgType
	From      SignedContact
	To        ID
	Nonce     [16]byte
	InReplyTo [16]byte
	Time      uint64
	Body      []byte
}

// Message bodies.
type (
	// FindBody is the body of FIND_NODE and FIND_VALUE.
	FindBody struct{ Target ID }
	// NodesBody is the body of NODES.
	NodesBody struct{ Contacts []SignedContact }
	// ValueBody is the body of VALUE: the value if held, else contacts.
	ValueBody struct {
		Found    bool
		Value    []byte
		Contacts []SignedContact
	}
	// StoreBody is the body of STORE.
	StoreBody struct {
		Key   ID
		Value []byte
	}
	// StoredBody is the body of STORED.
	StoredBody struct {
		Stored bool
		Reason string
	}
	emptyBody struct{}
)

// WireConfig holds the network-wide message rules. Zero fields take defaults.
type WireConfig struct {
	ChainID uint64
	Puzzle  Puzzle
	// ReplayWindow: a message whose timestamp is further than this from our
	// clock is refused; inside it, nonces are remembered (default 2 min).
	ReplayWindow Duration
	// StampGranularity is the coarseness of weak-signature timestamps
	// (default 1 min).
	StampGranularity Duration
	// ContactMaxAge is how long a weak signature stays valid (default 1 h).
	ContactMaxAge Duration
	// MaxReplayEntries bounds the nonce memory (default 200,000).
	MaxReplayEntries int
	// ContactCacheSize bounds the cache of verified signed contacts
	// (default 4,096 entries of ~150–400 bytes; negative: no cache).
	ContactCacheSize int
	// AuthenticatedTransport says the shell's transport authenticates both
	// ends of every exchange by their node keys, as the overlay's TLS 1.3
	// connections do: the shell gives every request the peer the transport
	// authenticated and sends every request over a channel authenticated to
	// its recipient. A message's strong signature then proves nothing the
	// channel has not, so messages go unsigned, and one that arrives from
	// the peer the channel authenticated needs no strong signature. Signed
	// contacts are unaffected: they are relayed to third parties, who have
	// no channel to their owner. False (the default) signs every message and
	// checks every strong signature, as the S/Kademlia paper's UDP design.
	AuthenticatedTransport bool
}

func (c WireConfig) withDefaults() WireConfig {
	if c.ReplayWindow <= 0 {
		c.ReplayWindow = 2 * Minute
	}
	if c.StampGranularity <= 0 {
		c.StampGranularity = Minute
	}
	if c.ContactMaxAge <= 0 {
		c.ContactMaxAge = Hour
	}
	if c.MaxReplayEntries <= 0 {
		c.MaxReplayEntries = 200_000
	}
	if c.ContactCacheSize == 0 {
		c.ContactCacheSize = 4096
	}
	return c
}

type replayKey struct {
	from  ID
	nonce [16]byte
}

// Codec seals our messages and opens others'. It holds our key, our signed
// contact, the replay memory and the cache of verified contacts. Not safe
// for concurrent use.
type Codec struct {
	cfg      WireConfig
	key      *identity.NodeKey
	id       ID
	puzzle   [32]byte
	self     SignedContact
	replay   map[replayKey]Time
	cache    *contactCache
	verifier Verifier
	stats    VerifyStats
}

// NewCodec returns a codec for key, whose dynamic-puzzle solution is puzzle,
// reachable at addr. It refuses a key that does not meet the puzzles.
func NewCodec(cfg WireConfig, key *identity.NodeKey, puzzle [32]byte, addr string, now Time) (*Codec, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Puzzle.Check(key.ID(), puzzle); err != nil {
		return nil, fmt.Errorf("own node key: %w (generate a key with 'enigma node key new')", err)
	}
	c := &Codec{cfg: cfg, key: key, id: key.ID(), puzzle: puzzle, replay: map[replayKey]Time{},
		cache: newContactCache(cfg.ContactCacheSize), verifier: SerialVerifier{}}
	if err := c.SetAddr(addr, now); err != nil {
		return nil, err
	}
	return c, nil
}

// Config returns the codec's rules with defaults filled in.
func (c *Codec) Config() WireConfig { return c.cfg }

// ID is our node ID.
func (c *Codec) ID() ID { return c.id }

// Self returns our current signed contact.
func (c *Codec) Self() SignedContact { return c.self }

func (c *Codec) stamp(now Time) uint64 {
	g := int64(c.cfg.StampGranularity)
	return uint64(int64(now)/g*g) / 1000
}

// SetAddr re-signs our contact for addr at now's coarse timestamp.
func (c *Codec) SetAddr(addr string, now Time) error {
	p := contactPayload{PubKey: c.key.Public(), Addr: addr, Stamp: c.stamp(now), Puzzle: c.puzzle}
	sig, err := signing.SignNode(c.key.Private(), DomainContact, c.cfg.ChainID, p)
	if err != nil {
		return err
	}
	c.self = SignedContact{PubKey: p.PubKey, Addr: addr, Stamp: p.Stamp, Puzzle: p.Puzzle, Sig: sig}
	return nil
}

// refreshSelf re-signs the contact when its stamp has aged by a quarter of
// ContactMaxAge, so relayed copies stay valid.
func (c *Codec) refreshSelf(now Time) error {
	if c.stamp(now)-c.self.Stamp >= uint64(c.cfg.ContactMaxAge/4/Second) {
		return c.SetAddr(c.self.Addr, now)
	}
	return nil
}

// VerifyContact checks a signed contact: key length, ID = H(key), both
// puzzles, the weak signature and the stamp's age. It returns the contact.
// A contact verified before (the same key, fields and signature) is taken
// from the cache without a signature check; its age is checked every time.
func (c *Codec) VerifyContact(sc SignedContact, now Time) (Contact, error) {
	pc, err := c.precheckContact(sc, now)
	if err != nil || pc.verified {
		return pc.contact, err
	}
	pd := c.newPending(nil)
	pd.contacts = []pendingContact{pc}
	pd.Verify()
	c.stats.Signatures += uint64(pd.ran)
	pc = pd.contacts[0]
	if pc.err != nil {
		return Contact{}, pc.err
	}
	c.cache.addVerified(pc.sc, pc.hit, pc.contact)
	return pc.contact, nil
}

// pendingContact is a signed contact on its way through the checks.
type pendingContact struct {
	sc       SignedContact
	hit      *cacheEntry // the cache's entry, when it vouched for the contact
	verified bool        // taken from the cache, or checked by Verify
	contact  Contact     // valid once verified
	err      error       // why Verify refused it
}

// precheckContact is shapeContact and then the cache.
func (c *Codec) precheckContact(sc SignedContact, now Time) (pendingContact, error) {
	pc, err := shapeContact(c.cfg, sc, now)
	if err != nil {
		return pc, err
	}
	c.lookupContact(&pc)
	return pc, nil
}

// shapeContact runs the checks of a signed contact that need neither
// hashing nor state: sizes and the stamp's age.
func shapeContact(cfg WireConfig, sc SignedContact, now Time) (pendingContact, error) {
	if len(sc.Addr) == 0 {
		return pendingContact{}, fmt.Errorf("%w: contact without an address", ErrMalformed)
	}
	return shapeSender(cfg, sc, now)
}

// shapeSender is shapeContact for the sender of a message, who may be a
// client: a node with no address, which asks and serves nothing (see
// FinishRequest).
func shapeSender(cfg WireConfig, sc SignedContact, now Time) (pendingContact, error) {
	if len(sc.PubKey) != ed25519.PublicKeySize {
		return pendingContact{}, fmt.Errorf("%w: contact key is %d bytes", ErrMalformed, len(sc.PubKey))
	}
	if len(sc.Addr) > 256 {
		return pendingContact{}, fmt.Errorf("%w: contact address of %d bytes", ErrMalformed, len(sc.Addr))
	}
	nowSec := uint64(now) / 1000
	if sc.Stamp > nowSec+uint64(cfg.ReplayWindow/Second) || nowSec-min(nowSec, sc.Stamp) > uint64(cfg.ContactMaxAge/Second) {
		id := identity.IDFromPublicKey(sc.PubKey)
		return pendingContact{}, fmt.Errorf("%w: contact %s stamped %d, now %d", ErrStale, id.Short(), sc.Stamp, nowSec)
	}
	return pendingContact{sc: sc}, nil
}

// lookupContact settles pc from the cache of verified contacts if it is
// there.
func (c *Codec) lookupContact(pc *pendingContact) {
	if pc.verified || pc.err != nil {
		return
	}
	var buf contactKeyBuffer
	if e, ok := c.cache.get(appendContactKey(buf[:0], pc.sc)); ok {
		c.stats.ContactHits++
		pc.verified, pc.contact, pc.hit = true, e.contact, e
		return
	}
	c.stats.ContactMisses++
}

// Pending is a received message, and for an answer the contacts it
// relays, whose puzzles and signatures are not checked yet. A Decoder
// builds it; Protocol.Check settles every contact the cache of verified
// contacts knows (BeginRequest and BeginAnswer do both). Verify does the
// rest; it touches nothing but the Pending and the Verifier, so a shell
// may call it without the lock that serialises its calls into the core, on
// any goroutine. The Finish call that follows takes the results, under the
// lock again.
type Pending struct {
	codec    *Codec // only compared in Finish; Verify never touches it
	verifier Verifier
	puzzle   Puzzle
	chainID  uint64
	msg      *Message
	from     ID // H(sender's key)
	sender   pendingContact
	strong   int // index of the strong signature in checks, -1 for none
	// channel: the transport authenticated the sender, so the message
	// needs no strong signature (WireConfig.AuthenticatedTransport).
	channel  bool
	contacts []pendingContact
	checks   []SigCheck
	ran      int // signatures handed to the Verifier
	done     bool

	// Answers: the request answered and what the body said.
	answer *Answer
	req    MsgType
	to     ID
	nonce  [16]byte
}

// Verify checks what the cache could not vouch for: for each unverified
// contact its ID and puzzles, then every weak signature and the message's
// strong signature unless the transport authenticated its sender, handed
// to the Verifier as one batch. Calling it again does nothing.
func (pd *Pending) Verify() {
	if pd.done {
		return
	}
	pd.done = true
	type slot struct {
		pc    *pendingContact
		check int
	}
	var slots []slot
	prepare := func(pc *pendingContact) {
		if pc.verified || pc.err != nil {
			return
		}
		id := identity.IDFromPublicKey(pc.sc.PubKey)
		if err := pd.puzzle.Check(id, pc.sc.Puzzle); err != nil {
			pc.err = err
			return
		}
		d, err := signing.DigestEncoded(DomainContact, pd.chainID, encodeContactPayload(&pc.sc))
		if err != nil {
			pc.err = fmt.Errorf("%w: contact %s: %w", ErrMalformed, id.Short(), err)
			return
		}
		// A copy of the address: a relayed contact's shares one string
		// with the rest of its answer (splitContacts), and this one is
		// kept (the cache, the table).
		pc.contact = Contact{ID: id, Addr: strings.Clone(pc.sc.Addr)}
		slots = append(slots, slot{pc, len(pd.checks)})
		pd.checks = append(pd.checks, SigCheck{Key: pc.sc.PubKey, Digest: d, Sig: pc.sc.Sig})
	}
	if pd.msg != nil {
		prepare(&pd.sender)
		if pd.sender.err != nil {
			return // the message is refused whatever else holds
		}
	}
	if pd.msg != nil && !pd.channel {
		m := pd.msg
		p := messagePayload{Type: m.Type, From: m.From, To: m.To, Nonce: m.Nonce, InReplyTo: m.InReplyTo, Time: m.Time, Body: m.Body}
		d, err := signing.DigestEncoded(DomainMessage, pd.chainID, encodeMessage(&p, nil, false))
		if err != nil {
			pd.sender.err = fmt.Errorf("%w: message from %s: %w", ErrMalformed, pd.from.Short(), err)
			return
		}
		pd.strong = len(pd.checks)
		pd.checks = append(pd.checks, SigCheck{Key: m.From.PubKey, Digest: d, Sig: m.Sig})
	}
	for i := range pd.contacts {
		prepare(&pd.contacts[i])
	}
	if len(pd.checks) == 0 {
		return
	}
	pd.ran = len(pd.checks)
	pd.verifier.Verify(pd.checks)
	for _, s := range slots {
		if pd.checks[s.check].OK {
			s.pc.verified = true
		} else {
			s.pc.err = fmt.Errorf("contact %s weak signature: %w: node signature does not match", s.pc.contact.ID.Short(), ErrBadSignature)
		}
	}
}

// Decoder decodes received messages and runs the checks that need neither
// a signature nor the core's state. It holds a copy of its Protocol's fixed
// settings and nothing else, so a shell may use it on any goroutine
// without the lock that serialises its calls into the core. The Pending it
// returns goes to Protocol.Check (the cache and the replay memory), then
// Pending.Verify, then FinishRequest or FinishAnswer.
type Decoder struct {
	codec    *Codec // identifies the Protocol; never touched by a Decoder
	id       ID
	pub      []byte
	cfg      WireConfig
	verifier Verifier
}

func (c *Codec) decoder() Decoder {
	return Decoder{codec: c, id: c.id, pub: c.key.Public(), cfg: c.cfg, verifier: c.verifier}
}

func (d Decoder) newPending(m *Message) *Pending {
	return &Pending{codec: d.codec, verifier: d.verifier, puzzle: d.cfg.Puzzle, chainID: d.cfg.ChainID, msg: m, strong: -1}
}

func (c *Codec) newPending(m *Message) *Pending { return c.decoder().newPending(m) }

// message decodes a message and checks its size, type, recipient, time
// window and the shape of its sender's contact.
func (d Decoder) message(b []byte, now Time) (*Pending, error) {
	var m Message
	if err := decodeMessage(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if _, ok := msgNames[m.Type]; !ok {
		return nil, fmt.Errorf("%w: unknown type %d", ErrMalformed, m.Type)
	}
	if m.To != d.id {
		return nil, fmt.Errorf("%w: to %s, we are %s", ErrMisaddressed, m.To.Short(), d.id.Short())
	}
	if dt := int64(m.Time) - int64(now); m.Time > 1<<62 || dt > int64(d.cfg.ReplayWindow) || -dt > int64(d.cfg.ReplayWindow) {
		return nil, fmt.Errorf("%w: sent at %d, now %d", ErrStale, m.Time, now)
	}
	sender, err := shapeSender(d.cfg, m.From, now)
	if err != nil {
		return nil, err
	}
	pd := d.newPending(&m)
	pd.sender, pd.from = sender, identity.IDFromPublicKey(m.From.PubKey)
	return pd, nil
}

// check settles what the cache of verified contacts knows of a pending
// message and refuses a nonce already seen.
func (c *Codec) check(pd *Pending) error {
	if pd.codec != c {
		return errors.New("overlay: a message decoded for another codec")
	}
	if pd.msg != nil {
		if _, seen := c.replay[replayKey{from: pd.from, nonce: pd.msg.Nonce}]; seen {
			return fmt.Errorf("%w: nonce %x from %s", ErrReplay, pd.msg.Nonce[:4], pd.from.Short())
		}
		c.lookupContact(&pd.sender)
	}
	for i := range pd.contacts {
		c.lookupContact(&pd.contacts[i])
	}
	return nil
}

// begin decodes a message and runs every check that needs no signature:
// size, type, recipient, time window, the sender's contact against the
// cache, and the nonce against the replay memory.
func (c *Codec) begin(b []byte, now Time) (*Pending, error) {
	pd, err := c.decoder().message(b, now)
	if err != nil {
		return nil, err
	}
	if err := c.check(pd); err != nil {
		return nil, err
	}
	return pd, nil
}

// finish takes Verify's results for the message (running Verify first if
// the caller did not), remembers the nonce and caches the sender's contact.
func (c *Codec) finish(pd *Pending, now Time) (*Message, Contact, error) {
	if pd.codec != c {
		return nil, Contact{}, errors.New("overlay: a message begun by another codec")
	}
	pd.Verify()
	c.stats.Signatures += uint64(pd.ran)
	pd.ran = 0
	if pd.sender.err != nil {
		return nil, Contact{}, pd.sender.err
	}
	if !pd.channel && (pd.strong < 0 || !pd.checks[pd.strong].OK) {
		return nil, Contact{}, fmt.Errorf("message from %s: %w: node signature does not match", pd.from.Short(), ErrBadSignature)
	}
	m := pd.msg
	rk := replayKey{from: pd.from, nonce: m.Nonce}
	if _, seen := c.replay[rk]; seen {
		return nil, Contact{}, fmt.Errorf("%w: nonce %x from %s", ErrReplay, m.Nonce[:4], pd.from.Short())
	}
	if err := c.remember(rk, Time(m.Time), now); err != nil {
		return nil, Contact{}, err
	}
	c.cache.addVerified(pd.sender.sc, pd.sender.hit, pd.sender.contact)
	return m, pd.sender.contact, nil
}

// Stats reports the codec's signature work and cache size.
func (c *Codec) Stats() VerifyStats {
	s := c.stats
	s.CachedContacts = c.cache.len()
	return s
}

// Seal builds, signs and encodes a message of type typ to node to.
func (c *Codec) Seal(typ MsgType, to ID, nonce, inReplyTo [16]byte, body any, now Time) ([]byte, error) {
	out, err := c.Prepare(typ, to, nonce, inReplyTo, body, now)
	if err != nil {
		return nil, err
	}
	return out.Seal()
}

// Prepare builds a message of type typ to node to, not yet signed: Seal
// signs and encodes it.
func (c *Codec) Prepare(typ MsgType, to ID, nonce, inReplyTo [16]byte, body any, now Time) (*Outgoing, error) {
	if err := c.refreshSelf(now); err != nil {
		return nil, err
	}
	enc, err := encodeBody(body)
	if err != nil {
		return nil, fmt.Errorf("encode %s body: %w", typ, err)
	}
	return &Outgoing{key: c.key.Private(), chainID: c.cfg.ChainID, sign: !c.cfg.AuthenticatedTransport,
		p: messagePayload{Type: typ, From: c.self, To: to, Nonce: nonce, InReplyTo: inReplyTo, Time: uint64(now), Body: enc}}, nil
}

// Outgoing is a message the core built and has not signed yet. Seal reads
// nothing but the Outgoing, so a shell may call it without the lock that
// serialises its calls into the core, on any goroutine.
type Outgoing struct {
	key     ed25519.PrivateKey
	chainID uint64
	sign    bool // false over an authenticated transport
	p       messagePayload
}

// Seal signs the message (strong signature) and encodes it; over an
// authenticated transport it only encodes it.
func (o *Outgoing) Seal() ([]byte, error) {
	p := o.p
	var sig []byte
	if o.sign {
		d, err := signing.DigestEncoded(DomainMessage, o.chainID, encodeMessage(&p, nil, false))
		if err != nil {
			return nil, err
		}
		sig = signing.SignNodeDigest(o.key, d)
	}
	return encodeMessage(&p, sig, true), nil
}

// Open decodes and verifies a message addressed to us and returns it with
// its verified sender. Cheap checks run before signature checks.
func (c *Codec) Open(b []byte, now Time) (*Message, Contact, error) {
	pd, err := c.begin(b, now)
	if err != nil {
		return nil, Contact{}, err
	}
	return c.finish(pd, now)
}

// remember records a nonce until its message falls out of the window.
func (c *Codec) remember(rk replayKey, sent, now Time) error {
	if len(c.replay) >= c.cfg.MaxReplayEntries {
		c.PruneReplay(now)
		if len(c.replay) >= c.cfg.MaxReplayEntries {
			return fmt.Errorf("%w: nonce memory full, try again in %d s", ErrReplay, c.cfg.ReplayWindow/Second)
		}
	}
	c.replay[rk] = sent + Time(c.cfg.ReplayWindow)
	return nil
}

// PruneReplay forgets nonces whose messages are now outside the window.
func (c *Codec) PruneReplay(now Time) {
	for k, until := range c.replay {
		if until < now {
			delete(c.replay, k)
		}
	}
}

// DecodeBody decodes a message body into v with the message size limit.
// The body types of this package are decoded by hand (codec.go), any other
// by the reflective decoder, with the same rules.
func DecodeBody(m *Message, v any) error {
	var err error
	switch v := v.(type) {
	case *FindBody:
		err = decodeFindBody(m.Body, v)
	case *NodesBody:
		err = decodeNodesBody(m.Body, v)
	case *ValueBody:
		err = decodeValueBody(m.Body, v)
	case *StoreBody:
		err = decodeStoreBody(m.Body, v)
	case *StoredBody:
		err = decodeStoredBody(m.Body, v)
	default:
		err = signing.Decode(m.Body, v, MaxMessageSize)
	}
	if err != nil {
		return fmt.Errorf("%w: %s body: %w", ErrMalformed, m.Type, err)
	}
	return nil
}

// ErrBadSignature is signing.ErrBadSignature, re-exported for counting.
var ErrBadSignature = signing.ErrBadSignature

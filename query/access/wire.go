package access

import (
	"crypto/ecdsa"
	"fmt"
	"io"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
	"github.com/enigma-mpc/enigma/signing"
)

// RequestDomain separates query request signatures from every other
// signature. v2 added the addressee (Request.Node), v3 the metadata version
// (Request.Version); an older request does not decode and an older
// signature does not verify.
const RequestDomain = signing.Domain("query/request/v3")

// resultInfo is the HPKE info string of sealed results.
var resultInfo = []byte("enigma/query/result/v1")

// Size limits of the wire messages.
const (
	NonceSize       = 16
	MaxRequestSize  = 80 << 10
	MaxResponseSize = 64 << 20
)

// Request is what a subscriber signs. Its one encoding is the RLP of the
// struct in field order (signing.Encode).
type Request struct {
	// Node is the persistence node the request is addressed to; any other
	// node refuses it, so a request answered once cannot be replayed to
	// the dataset's other nodes.
	Node       identity.NodeID
	Dataset    string // dataset path, 0x…/name
	Query      string
	Nonce      [NonceSize]byte
	Expiry     uint64 // Unix seconds
	Subscriber common.Address
	ReplyKey   []byte // HPKE public key the result is sealed to
	// Version is the dataset's metadata version whose schema the client
	// encrypted the query's constants with and will decrypt the result
	// with. The node answers only from a table of that version; serving
	// another, it refuses with ReasonVersion and that version's certified
	// record, so no answer mixes versions.
	Version uint64
	// Joins are the other datasets the query reads (a join of datasets
	// the subscriber may read), each with the version whose schema the
	// client encrypted for. The node must store every one of them, and
	// the subscriber must be subscribed to every one. Empty for a query
	// of one dataset (and then absent from the encoding, so requests of
	// one dataset encode as before).
	Joins []DatasetRef `rlp:"optional"`
}

// DatasetRef names a dataset and a metadata version of it.
type DatasetRef struct {
	Dataset string // dataset path, 0x…/name
	Version uint64
}

// MaxJoins bounds Request.Joins: a query reads at most 1+MaxJoins
// datasets.
const MaxJoins = 7

// Hash is the request's digest: what the subscriber signs and what binds the
// sealed result to the request.
func (r *Request) Hash(chainID uint64) (common.Hash, error) {
	return signing.Digest(RequestDomain, chainID, r)
}

// SignedRequest is a Request and the subscriber's signature over it.
type SignedRequest struct {
	Request   Request
	Signature []byte
}

// NewRequest builds a request to persistence node to, with a fresh nonce
// from rnd, valid for ttl from now (a node refuses an expiry more than its
// MaxLifetime, by default 2 minutes, ahead).
// The request asks for metadata version 0 (tables made without versions);
// set Version to the version of the client's certified record.
func NewRequest(rnd io.Reader, to identity.NodeID, path dataset.Path, q string, subscriber common.Address, replyKey []byte, now time.Time, ttl time.Duration) (*Request, error) {
	r := &Request{Node: to, Dataset: path.String(), Query: q, Subscriber: subscriber, ReplyKey: replyKey, Expiry: uint64(now.Add(ttl).Unix())}
	if _, err := io.ReadFull(rnd, r.Nonce[:]); err != nil {
		return nil, fmt.Errorf("draw request nonce: %w", err)
	}
	return r, nil
}

// Sign signs the request with the subscriber's account key and encodes it
// for sending.
func Sign(key *ecdsa.PrivateKey, chainID uint64, r *Request) ([]byte, error) {
	if got := crypto.PubkeyToAddress(key.PublicKey); got != r.Subscriber {
		return nil, fmt.Errorf("request names subscriber %s but the key is %s's", r.Subscriber.Hex(), got.Hex())
	}
	sig, err := signing.SignAccount(key, RequestDomain, chainID, r)
	if err != nil {
		return nil, fmt.Errorf("sign query request: %w", err)
	}
	return signing.Encode(&SignedRequest{Request: *r, Signature: sig})
}

// Status of a response.
type Status uint8

// Response statuses.
const (
	StatusOK Status = iota
	StatusDenied
)

// Reason says why a request was denied.
type Reason uint8

// Denial reasons.
const (
	ReasonNone Reason = iota
	ReasonMalformed
	ReasonExpired
	ReasonBadSignature
	ReasonReplay
	ReasonUnknownDataset
	ReasonNoAccess
	ReasonBadQuery
	ReasonLimit
	ReasonUnavailable
	ReasonWrongNode   // the request is addressed to another node
	ReasonTrialUsedUp // the trial account was served its rows of the dataset
	ReasonBusy        // a load bound: the requester's share, a full replay window, a trial query in flight
	// ReasonVersion: the node serves another metadata version than the
	// request's; Response.Record is that version's certified record.
	ReasonVersion
)

// Retryable reports whether another persistence node may answer a request
// this node refused: the refusal is about this node's state or load, not
// about the request or the requester's rights.
func (r Reason) Retryable() bool { return r == ReasonUnavailable || r == ReasonBusy }

var reasonNames = map[Reason]string{
	ReasonNone: "none", ReasonMalformed: "malformed request", ReasonExpired: "expired request",
	ReasonBadSignature: "bad signature", ReasonReplay: "replayed request", ReasonUnknownDataset: "unknown dataset",
	ReasonNoAccess: "not subscribed", ReasonBadQuery: "bad query", ReasonLimit: "query limit exceeded",
	ReasonUnavailable: "node unavailable", ReasonWrongNode: "addressed to another node",
	ReasonTrialUsedUp: "trial rows used up", ReasonBusy: "too many requests",
	ReasonVersion: "another dataset version",
}

func (r Reason) String() string {
	if s, ok := reasonNames[r]; ok {
		return s
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Response is the node's answer. Sealed holds the HPKE-sealed Payload when
// Status is StatusOK. Record, with ReasonVersion, is the encoded certified
// ledger record of the version the node serves: the client verifies it
// against the validator sets before it trusts the schema in it.
type Response struct {
	RequestHash common.Hash
	Status      Status
	Reason      Reason
	Message     string
	Sealed      []byte
	Record      []byte `rlp:"optional"`
}

// Payload is the plaintext of a sealed result.
type Payload struct {
	Columns     []WireColumn
	Rows        []byte // keyenc rows, one after another
	RowCount    uint64
	Truncated   bool
	TrialCapped bool
}

// WireColumn is query.ResultColumn on the wire.
type WireColumn struct {
	Name       string
	Type       uint8
	Encryption uint8
	Source     string
	// Dataset is sent for requests that join datasets only, so a client
	// that predates joins still decodes the answers to its requests.
	Dataset string `rlp:"optional"`
}

// encodePayload encodes a result; withDatasets sends each encrypted
// column's dataset (a request that joins datasets).
func encodePayload(res *query.Result, trialCapped, withDatasets bool) ([]byte, error) {
	p := Payload{RowCount: uint64(len(res.Rows)), Truncated: res.Truncated, TrialCapped: trialCapped}
	for _, c := range res.Columns {
		w := WireColumn{Name: c.Name, Type: uint8(c.Type), Encryption: uint8(c.Encryption), Source: c.Source}
		if withDatasets {
			w.Dataset = c.Dataset
		}
		p.Columns = append(p.Columns, w)
	}
	for _, r := range res.Rows {
		p.Rows = keyenc.AppendRow(p.Rows, r)
	}
	return signing.Encode(&p)
}

// maxChunkCells bounds a chunk of decoded result cells (48 bytes each);
// maxReservedRows bounds the rows a payload's RowCount reserves room for.
const (
	maxChunkCells   = 4096
	maxReservedRows = 1 << 16
)

func decodePayload(b []byte) (*query.Result, *Payload, error) {
	var p Payload
	if err := signing.Decode(b, &p, MaxResponseSize); err != nil {
		return nil, nil, err
	}
	if len(p.Columns) > dataset.MaxColumns*4 {
		return nil, nil, fmt.Errorf("result has %d columns", len(p.Columns))
	}
	res := &query.Result{Truncated: p.Truncated}
	for _, c := range p.Columns {
		res.Columns = append(res.Columns, query.ResultColumn{Name: c.Name, Type: dataset.ColumnType(c.Type), Encryption: dataset.Encryption(c.Encryption), Source: c.Source, Dataset: c.Dataset})
	}
	// The rows share chunks of values, one allocation per few thousand
	// cells instead of one per row, and lie in order in memory for
	// DecryptResult's pass over them. Each row read consumes payload bytes,
	// so a hostile RowCount allocates no more than the payload's rows do.
	rest, ncols := p.Rows, len(p.Columns)
	// A row takes a count and a byte per cell at least, so the payload's
	// length bounds what RowCount may reserve (and a fixed cap, beyond which
	// the slice grows as rows decode).
	res.Rows = make([]dataset.Row, 0, min(p.RowCount, uint64(len(rest)/(1+ncols)), maxReservedRows))
	var chunk dataset.Row
	for range p.RowCount {
		if cap(chunk)-len(chunk) < ncols {
			chunk = make(dataset.Row, 0, max(ncols, min(2*cap(chunk), maxChunkCells)))
		}
		n := len(chunk)
		r, more, err := keyenc.DecodeRowInto(chunk[n:n:n+ncols], rest, ncols)
		if err != nil {
			return nil, nil, err
		}
		if len(r) != ncols {
			return nil, nil, fmt.Errorf("result row has %d cells, want %d", len(r), ncols)
		}
		chunk = chunk[:n+ncols]
		res.Rows = append(res.Rows, r)
		rest = more
	}
	if len(rest) != 0 {
		return nil, nil, fmt.Errorf("%d bytes after the last result row", len(rest))
	}
	return res, &p, nil
}

package simulation

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/signing"
)

// KVApp is the simulator's default application: a key-value store where a
// request's payload sets the client's key, with a hash chain over every
// executed request. Its digest commits to the whole state, so two replicas
// with equal digests hold equal states. It also implements
// consensus.Verifier: requests carry a MAC under a per-client key, so a
// Byzantine replica cannot invent requests.
type KVApp struct {
	chain   [32]byte
	applied uint64
	kv      map[consensus.ClientID][]byte
	keys    *ClientKeys
}

// ClientKeys holds the simulated clients' MAC keys.
type ClientKeys struct{ seed uint64 }

func (k *ClientKeys) key(c consensus.ClientID) [32]byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], k.seed)
	return sha256.Sum256(append(append([]byte("sim-client-key"), b[:]...), c...))
}

// Authenticate returns data with the client's MAC appended, as the payload
// of request ts.
func (k *ClientKeys) Authenticate(c consensus.ClientID, ts uint64, data []byte) []byte {
	mac := k.mac(c, ts, data)
	return append(slices.Clone(data), mac[:]...)
}

func (k *ClientKeys) mac(c consensus.ClientID, ts uint64, data []byte) [32]byte {
	key := k.key(c)
	var t [8]byte
	binary.LittleEndian.PutUint64(t[:], ts)
	h := sha256.New()
	h.Write(key[:])
	h.Write(t[:])
	h.Write(data)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// NewKVApp returns an empty store that accepts requests authenticated with keys.
func NewKVApp(keys *ClientKeys) *KVApp {
	return &KVApp{kv: make(map[consensus.ClientID][]byte), keys: keys}
}

// Apply implements consensus.Application.
func (a *KVApp) Apply(seq uint64, batchContext []byte, reqs []consensus.Request) ([][]byte, consensus.Digest) {
	results := make([][]byte, len(reqs))
	for i, r := range reqs {
		a.applied++
		a.kv[r.Client] = r.Payload
		h := sha256.New()
		h.Write(a.chain[:])
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:8], seq)
		binary.LittleEndian.PutUint64(b[8:], r.Timestamp)
		h.Write(b[:])
		h.Write([]byte(r.Client))
		h.Write(r.Payload)
		h.Sum(a.chain[:0])
		res := sha256.Sum256(append(a.chain[:], b[:]...))
		results[i] = res[:8]
	}
	return results, a.Digest()
}

// Digest hashes the whole state.
func (a *KVApp) Digest() consensus.Digest {
	enc, err := signing.Encode(a.snapshot())
	if err != nil {
		panic("simulation: encode kv state: " + err.Error())
	}
	return sha256.Sum256(enc)
}

type kvSnapshot struct {
	Chain   [32]byte
	Applied uint64
	Keys    []consensus.ClientID
	Values  [][]byte
}

func (a *KVApp) snapshot() kvSnapshot {
	s := kvSnapshot{Chain: a.chain, Applied: a.applied}
	for k := range a.kv {
		s.Keys = append(s.Keys, k)
	}
	slices.Sort(s.Keys)
	for _, k := range s.Keys {
		s.Values = append(s.Values, a.kv[k])
	}
	return s
}

// Snapshot implements consensus.Application.
func (a *KVApp) Snapshot() []byte {
	enc, err := signing.Encode(a.snapshot())
	if err != nil {
		panic("simulation: encode kv state: " + err.Error())
	}
	return enc
}

// Restore implements consensus.Application.
func (a *KVApp) Restore(snapshot []byte, digest consensus.Digest) error {
	if consensus.Digest(sha256.Sum256(snapshot)) != digest {
		return errors.New("kv snapshot does not match the checkpoint digest")
	}
	var s kvSnapshot
	if err := signing.Decode(snapshot, &s, 1<<26); err != nil {
		return fmt.Errorf("kv snapshot: %w", err)
	}
	if len(s.Keys) != len(s.Values) {
		return errors.New("kv snapshot: keys and values differ in number")
	}
	a.chain, a.applied = s.Chain, s.Applied
	a.kv = make(map[consensus.ClientID][]byte, len(s.Keys))
	for i, k := range s.Keys {
		a.kv[k] = s.Values[i]
	}
	return nil
}

// VerifyRequest implements consensus.Verifier: the payload must end in the
// client's MAC.
func (a *KVApp) VerifyRequest(r *consensus.Request) error {
	if len(r.Payload) < 32 {
		return errors.New("payload too short to carry a MAC")
	}
	data := r.Payload[:len(r.Payload)-32]
	want := a.keys.mac(r.Client, r.Timestamp, data)
	if string(want[:]) != string(r.Payload[len(data):]) {
		return errors.New("request MAC does not verify")
	}
	return nil
}

// BatchContext implements consensus.Verifier: the primary records how many
// requests the batch carries, which backups check.
func (a *KVApp) BatchContext(seq uint64, reqs []consensus.Request) []byte {
	return binary.AppendUvarint(nil, uint64(len(reqs)))
}

// VerifyBatch implements consensus.Verifier.
func (a *KVApp) VerifyBatch(seq uint64, b *consensus.Batch) error {
	n, k := binary.Uvarint(b.Context)
	if k <= 0 || k != len(b.Context) || n != uint64(len(b.Requests)) {
		return errors.New("batch context does not match the batch")
	}
	return nil
}

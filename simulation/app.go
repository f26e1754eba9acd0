package simulation

import (
	"bytes"
	"crypto/ed25519"
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
	// Reconfiguration (consensus.Reconfigurable): the admin client's
	// requests change the validator set; changes are part of the state.
	epoch   uint64
	changes []kvChange
	pool    []ed25519.PublicKey // validator identities, by index
	// closeGap is how far after a change the next may be decided: beyond
	// the closing checkpoint of the epoch it ends (the engine closes at the
	// first checkpoint at or after AtSeq+WindowSize).
	closeGap uint64
}

type kvChange struct {
	From    uint64
	AtSeq   uint64
	Members []uint64 // indexes into the identity pool
}

// AdminClient is the client whose requests reconfigure the KV store's
// validator set: a payload "reconfig:" followed by the RLP of the members'
// identity indexes, MAC-authenticated like every request.
const AdminClient consensus.ClientID = "admin"

const reconfigPrefix = "reconfig:"

// ReconfigPayload is the data of an admin request that makes members (by
// identity index) the validators of the next epoch.
func ReconfigPayload(members []int) []byte {
	ms := make([]uint64, len(members))
	for i, m := range members {
		ms[i] = uint64(m)
	}
	enc, err := signing.Encode(ms)
	if err != nil {
		panic("simulation: encode members: " + err.Error())
	}
	return append([]byte(reconfigPrefix), enc...)
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

// WithReconfiguration lets the admin client change the validator set among
// pool's identities, starting in epoch; closeGap is the engine's
// WindowSize plus its CheckpointInterval.
func (a *KVApp) WithReconfiguration(pool []ed25519.PublicKey, epoch, closeGap uint64) *KVApp {
	a.pool, a.epoch, a.closeGap = pool, epoch, closeGap
	return a
}

// Reconfiguration implements consensus.Reconfigurable.
func (a *KVApp) Reconfiguration(from uint64) (consensus.Reconfiguration, bool) {
	for _, c := range a.changes {
		if c.From == from {
			vals := make([]ed25519.PublicKey, len(c.Members))
			for i, m := range c.Members {
				vals[i] = a.pool[m]
			}
			return consensus.Reconfiguration{Epoch: from + 1, Validators: vals, AtSeq: c.AtSeq}, true
		}
	}
	return consensus.Reconfiguration{}, false
}

// reconfigure applies an admin request; it reports whether it changed the
// set ("rejected" otherwise: malformed, too soon after the last change).
func (a *KVApp) reconfigure(seq uint64, data []byte) bool {
	if a.pool == nil || !bytes.HasPrefix(data, []byte(reconfigPrefix)) {
		return false
	}
	var members []uint64
	if err := signing.Decode(data[len(reconfigPrefix):], &members, 1<<10); err != nil || len(members) < 4 {
		return false
	}
	for _, m := range members {
		if m >= uint64(len(a.pool)) {
			return false
		}
	}
	if n := len(a.changes); n > 0 && seq <= a.changes[n-1].AtSeq+a.closeGap {
		return false // the previous change has not closed its epoch yet
	}
	a.changes = append(a.changes, kvChange{From: a.epoch, AtSeq: seq, Members: members})
	a.epoch++
	return true
}

// Apply implements consensus.Application.
func (a *KVApp) Apply(seq uint64, batchContext []byte, reqs []consensus.Request) ([][]byte, consensus.Digest) {
	results := make([][]byte, len(reqs))
	for i, r := range reqs {
		if r.Client == AdminClient {
			results[i] = []byte("rejected")
			if a.reconfigure(seq, r.Payload[:len(r.Payload)-32]) {
				results[i] = []byte("ok")
			}
			continue
		}
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
	Epoch   uint64
	Changes []kvChange
}

func (a *KVApp) snapshot() kvSnapshot {
	s := kvSnapshot{Chain: a.chain, Applied: a.applied, Epoch: a.epoch, Changes: a.changes}
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
	a.chain, a.applied, a.epoch, a.changes = s.Chain, s.Applied, s.Epoch, s.Changes
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

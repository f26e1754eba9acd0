package access

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
)

// The server's durable state, in the store's state key space
// (query.Store.PutState):
//
//	'n' expiry(8, big-endian Unix s) subscriber(20) nonce(16)   a remembered request
//	't' dataset ID(32) account(20) → rows served (8, big-endian)  a trial account's usage
//
// Nonces are ordered by expiry, so the expired ones are one range to drop.
const (
	stateNonce = 'n'
	stateTrial = 't'
)

// pruneEvery is how many seconds of expired nonces the store keeps before
// they are dropped with one range deletion.
const pruneEvery = 60

func nonceKeyPrefix(expiry int64) []byte {
	return binary.BigEndian.AppendUint64([]byte{stateNonce}, uint64(max(expiry, 0)))
}

func nonceKey(k replayKey, expiry int64) []byte {
	return append(append(nonceKeyPrefix(expiry), k.subscriber[:]...), k.nonce[:]...)
}

// loadWindow fills the replay window with the live nonces the store kept
// and drops the expired ones.
func (s *Server) loadWindow(now time.Time) error {
	w := s.mu.window
	live := nonceKeyPrefix(w.swept + 1)
	err := s.cfg.Store.ScanState(live, []byte{stateNonce + 1}, func(key, _ []byte) error {
		if len(key) != 1+8+common.AddressLength+NonceSize {
			return fmt.Errorf("query server state: nonce key %x has %d bytes", key, len(key))
		}
		var k replayKey
		copy(k.subscriber[:], key[9:])
		copy(k.nonce[:], key[9+common.AddressLength:])
		w.insert(k, int64(binary.BigEndian.Uint64(key[1:9])))
		return nil
	})
	if err != nil {
		return fmt.Errorf("load the replay window: %w", err)
	}
	s.mu.pruned = w.swept
	if err := s.cfg.Store.DeleteStateRange([]byte{stateNonce}, live); err != nil {
		return err
	}
	if n := w.len(); n > 0 {
		s.cfg.Logger.Info("replay window restored", "live_requests", n, "at", now.UTC().Format(time.RFC3339))
	}
	return nil
}

// trialKey names a trial account's use of one dataset.
type trialKey struct {
	dataset common.Hash
	account common.Address
}

func (k trialKey) stateKey() []byte {
	return append(append([]byte{stateTrial}, k.dataset[:]...), k.account[:]...)
}

// trialUse is one trial query's budget: the rows left when it started and
// the rows served to the account in total, this query's included.
type trialUse struct {
	key    trialKey
	left   int
	served uint64
}

// reserveTrial starts a trial query: it reads what the account was served
// of the dataset, refuses if that is the cap, and holds the pair until
// releaseTrial, so two queries cannot both spend what is left.
func (s *Server) reserveTrial(path dataset.Path, account common.Address) (*trialUse, *denial) {
	key := trialKey{dataset: path.ID(), account: account}
	s.trials.Lock()
	if _, busy := s.trials.busy[key]; busy {
		s.trials.Unlock()
		return nil, deny(ReasonBusy, refusedTrialBusy, "another trial query of %s on %s is running on this node; send the next when it is answered", account.Hex(), path)
	}
	s.trials.busy[key] = struct{}{}
	s.trials.Unlock()
	served, err := s.trialServed(key)
	if err != nil {
		s.releaseTrial(&trialUse{key: key})
		s.cfg.Logger.Error("read trial usage", "err", err)
		return nil, deny(ReasonUnavailable, refusedInternal, "internal error; ask another persistence node")
	}
	if served >= uint64(s.cfg.TrialRowCap) {
		s.releaseTrial(&trialUse{key: key})
		return nil, deny(ReasonTrialUsedUp, refusedTrialUsedUp, "the trial of %s has been served its %d rows of %s on this node; subscribe for full access ('enigma subscriber subscribe %s')", account.Hex(), s.cfg.TrialRowCap, path, path)
	}
	return &trialUse{key: key, left: s.cfg.TrialRowCap - int(served), served: served}, nil
}

func (s *Server) releaseTrial(u *trialUse) {
	s.trials.Lock()
	delete(s.trials.busy, u.key)
	s.trials.Unlock()
}

func (s *Server) trialServed(key trialKey) (uint64, error) {
	v, ok, err := s.cfg.Store.GetState(key.stateKey())
	if err != nil || !ok {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("trial usage %x holds %d bytes, want 8", key.stateKey(), len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// persist writes a remembered request's nonce and, for a trial query, the
// rows its account has been served, synced, in one batch.
func (s *Server) persist(k replayKey, expiry int64, trial *trialUse) error {
	writes := []query.StateWrite{{Key: nonceKey(k, expiry)}}
	if trial != nil {
		writes = append(writes, query.StateWrite{Key: trial.key.stateKey(), Value: binary.BigEndian.AppendUint64(nil, trial.served)})
	}
	return s.cfg.Store.PutState(writes...)
}

package client

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/worker/workerkeys"
)

// Status is a dataset's state as its provider sees it: the journal's
// steps, the chain, the certified version and what each named node
// reports.
type Status struct {
	Journal *Journal
	// OnChain is the Marketplace's view (nil: not registered).
	OnChain *chain.Dataset
	// Record is the newest certified version (nil: none resolves;
	// RecordErr says why).
	Record    *ledger.Record
	RecordErr error
	// HashMatches: the chain holds the certified version's hash. When it
	// does not, an update is between its chain step and certification.
	HashMatches bool
	Rank        *chain.Rank
	Workers     []NodeStatus
	Persistence []NodeStatus
}

// NodeStatus is one node's answer.
type NodeStatus struct {
	ID   identity.NodeID
	Info *nodeinfo.Response
	Err  error
}

// Status gathers a dataset's state. key, the provider's, signs the info
// requests so the workers include their runs' errors.
func (s *Session) Status(ctx context.Context, key *ecdsa.PrivateKey, path dataset.Path, journal string) (*Status, error) {
	st := &Status{}
	if journal != "" {
		j, ok, err := LoadJournal(journal)
		if err != nil {
			return nil, err
		}
		if ok {
			st.Journal = j
		}
	}
	d, err := s.Chain.Dataset(ctx, path.ID(), nil)
	switch {
	case errors.Is(err, chain.ErrUnknownDataset):
	case err != nil:
		return nil, err
	default:
		st.OnChain = &d
		if r, err := s.Chain.Rank(ctx, path.ID()); err == nil {
			st.Rank = &r
		}
	}
	rctx, cancel := context.WithTimeout(ctx, recordProbeTimeout)
	st.Record, st.RecordErr = s.Record(rctx, path)
	cancel()
	if st.Record == nil {
		return st, nil
	}
	m := &st.Record.Signed.Metadata
	if st.OnChain != nil {
		st.HashMatches = common.Hash(st.OnChain.MetadataHash) == mustHash(m)
	}
	ask := func(ids []identity.NodeID) []NodeStatus {
		out := make([]NodeStatus, len(ids))
		done := make(chan struct{}, len(ids))
		for i, id := range ids {
			go func() {
				defer func() { done <- struct{}{} }()
				cctx, cancel := context.WithTimeout(ctx, infoTimeout)
				defer cancel()
				info, err := nodeinfo.Ask(cctx, s.Overlay.Host(), s.ChainID, id, path.ID(), key)
				out[i] = NodeStatus{ID: id, Info: info, Err: err}
			}()
		}
		for range ids {
			<-done
		}
		return out
	}
	st.Workers = ask(m.Workers)
	st.Persistence = ask(m.Persistence)
	return st, nil
}

// FetchGrant gets the dataset's column keys from one of the workers its
// certified record names (in order, moving on when one cannot or will
// not), sealed to grantKey, without the provider. It returns the keys and
// the sealed grant (to cache). The workers hold the keys because they
// encrypt at the source; a grant opens only with grantKey, for this
// dataset.
func (s *Session) FetchGrant(ctx context.Context, key *ecdsa.PrivateKey, path dataset.Path, grantKey *seal.PrivateKey) (*colcrypt.Keys, []byte, error) {
	rec, err := s.cachedRecord(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	for _, w := range rec.Signed.Metadata.Workers {
		sealed, err := workerkeys.FetchGrant(ctx, s.Overlay.Host(), key, s.ChainID, path.ID(), w, grantKey)
		if err != nil && strings.Contains(err.Error(), "no subscription or trial") {
			return nil, nil, err // the chain's answer, not this worker's state
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		keys, err := colcrypt.OpenGrant(grantKey, path.ID(), sealed)
		if err != nil {
			errs = append(errs, fmt.Errorf("worker %s's grant does not open: %w", w.Short(), err))
			continue
		}
		return keys, sealed, nil
	}
	return nil, nil, fmt.Errorf("no worker of %s released the column keys: %w", path, errors.Join(errs...))
}

package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/access"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
)

// QueryDataset is a dataset a query reads, with its column keys (nil when
// none of its columns is encrypted).
type QueryDataset struct {
	Path dataset.Path
	Keys *colcrypt.Keys
}

// QueryJoin runs q, a query that joins several datasets the subscriber is
// subscribed to (ds, at least two; the first is the one the request is
// for, the others are its Joins), on a persistence node that stores every
// one of them: a join runs inside one node, so only the nodes named in
// every dataset's certified record are asked, in the first record's order.
// Each node answers only if the subscriber is subscribed to every dataset
// (a trial is not enough). Constants compared with an encrypted column are
// encrypted with the keys of that column's dataset, and the encrypted
// output columns decrypted with them; encrypted columns of two datasets
// never compare (their keys differ), so a join on them is refused before
// anything is sent.
func (s *Session) QueryJoin(ctx context.Context, key *ecdsa.PrivateKey, ds []QueryDataset, q string) (*Result, error) {
	if len(ds) < 2 {
		return nil, errors.New("a join reads at least two datasets; query one dataset with Query")
	}
	if len(ds) > 1+access.MaxJoins {
		return nil, fmt.Errorf("a query joins at most %d datasets, not %d", 1+access.MaxJoins, len(ds))
	}
	recs := make([]*ledger.Record, len(ds))
	for i, d := range ds {
		rec, err := s.cachedRecord(ctx, d.Path)
		if err != nil {
			return nil, err
		}
		recs[i] = rec
	}
	nodes := sharedNodes(recs)
	if len(nodes) == 0 {
		var where []string
		for i, r := range recs {
			var ids []string
			for _, pn := range r.Signed.Metadata.Persistence {
				ids = append(ids, pn.Short())
			}
			where = append(where, fmt.Sprintf("%s on %s", ds[i].Path, strings.Join(ids, ", ")))
		}
		return nil, fmt.Errorf("no persistence node stores all of %s (%s): a join runs inside one node that stores every dataset it reads; query the datasets one by one and join on the client", joinPaths(ds), strings.Join(where, "; "))
	}
	var errs []error
	for _, pn := range nodes {
		res, err := s.queryNodeJoin(ctx, key, pn, recs, ds, q)
		var denied *access.DeniedError
		if errors.As(err, &denied) && denied.Reason == access.ReasonVersion {
			// One of the datasets is served at another version: take its
			// verified record and ask once more.
			if i, other, verr := s.shownRecordOf(ctx, ds, denied.Record); verr == nil {
				s.remember(ds[i].Path, other)
				retry := slices.Clone(recs)
				retry[i] = other
				res, err = s.queryNodeJoin(ctx, key, pn, retry, ds, q)
			} else {
				err = fmt.Errorf("%w (%v)", err, verr)
			}
		}
		if refusedForItsState(err, &denied) {
			s.log.Info("persistence node refused the join for its own state; asking the next", "node", pn.Short(), "reason", denied.Reason, "msg", denied.Message)
			errs = append(errs, fmt.Errorf("persistence node %s: %w", pn.Short(), err))
			continue
		}
		var unreachable *nodeError
		if errors.As(err, &unreachable) {
			errs = append(errs, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	return nil, fmt.Errorf("no persistence node storing all of %s answered: %w", joinPaths(ds), errors.Join(errs...))
}

// sharedNodes are the persistence nodes in every record, in the first
// record's order.
func sharedNodes(recs []*ledger.Record) []identity.NodeID {
	var out []identity.NodeID
	for _, pn := range recs[0].Signed.Metadata.Persistence {
		all := true
		for _, r := range recs[1:] {
			all = all && slices.Contains(r.Signed.Metadata.Persistence, pn)
		}
		if all {
			out = append(out, pn)
		}
	}
	return out
}

func joinPaths(ds []QueryDataset) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Path.String()
	}
	return strings.Join(names, " and ")
}

// shownRecordOf verifies a record a node showed with a version denial and
// says which of the datasets it is.
func (s *Session) shownRecordOf(ctx context.Context, ds []QueryDataset, raw []byte) (int, *ledger.Record, error) {
	var errs []error
	for i, d := range ds {
		rec, err := s.verifyShownRecord(ctx, d.Path, raw)
		if err == nil {
			return i, rec, nil
		}
		errs = append(errs, err)
	}
	return 0, nil, errors.Join(errs...)
}

// queryNodeJoin asks one persistence node for the join at the records'
// versions.
func (s *Session) queryNodeJoin(ctx context.Context, key *ecdsa.PrivateKey, pn identity.NodeID, recs []*ledger.Record, ds []QueryDataset, q string) (*Result, error) {
	cds := make([]query.ClientDataset, len(ds))
	for i, d := range ds {
		m := &recs[i].Signed.Metadata
		cds[i] = query.ClientDataset{Path: d.Path, Schema: &m.Schema}
		if d.Keys != nil {
			c, err := colcrypt.New(d.Keys, m.ID())
			if err != nil {
				return nil, err
			}
			cds[i].Cipher = c
		}
	}
	q, err := access.EncryptQueryDatasets(q, cds)
	if err != nil {
		return nil, err
	}
	replyKey, err := seal.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	req, err := access.NewRequest(rand.Reader, pn, ds[0].Path, q, crypto.PubkeyToAddress(key.PublicKey), replyKey.PublicKey(), time.Now(), queryTTL)
	if err != nil {
		return nil, err
	}
	req.Version = recs[0].Signed.Metadata.Version
	for i, d := range ds[1:] {
		req.Joins = append(req.Joins, access.DatasetRef{Dataset: d.Path.String(), Version: recs[i+1].Signed.Metadata.Version})
	}
	signed, err := access.Sign(key, s.ChainID, req)
	if err != nil {
		return nil, err
	}
	resp, err := s.Overlay.Host().Call(ctx, pn, "", access.Protocol, signed)
	if err != nil {
		return nil, &nodeError{node: pn, err: err}
	}
	res, payload, err := access.OpenResponse(s.ChainID, req, replyKey, resp)
	if err != nil {
		return nil, err
	}
	if err := access.DecryptResultDatasets(res, cds); err != nil {
		return nil, fmt.Errorf("%w (are the column keys these datasets'? a grant from another dataset or a stale cache decrypts nothing)", err)
	}
	return &Result{Result: res, Node: pn, Version: req.Version, TrialCapped: payload.TrialCapped}, nil
}

package consensus

import "fmt"

// orderVote is what a prepare and a commit share: a replica's vote for a
// batch digest at (view, sequence number).
type orderVote interface {
	Signable
	vote() (view, seq uint64, digest Digest, from ReplicaID)
}

func (p *Prepare) vote() (uint64, uint64, Digest, ReplicaID) {
	return p.View, p.Seq, p.BatchDigest, p.Replica
}

func (c *Commit) vote() (uint64, uint64, Digest, ReplicaID) {
	return c.View, c.Seq, c.BatchDigest, c.Replica
}

// verifyCertificate checks a prepared or a commit certificate: a
// pre-prepare signed by its view's primary whose batch matches its digest,
// and at least need valid votes for it from distinct replicas. A prepare
// from the primary does not count (its pre-prepare stands for it, and
// counting both would let it vote twice); votes for anything else are
// ignored, not refused, since a certificate may carry more than it needs.
func verifyCertificate[V any, PV interface {
	*V
	orderVote
}](r *Replica, kind string, pp *PrePrepare, votes []V, need int) error {
	if pp.Batch.Digest() != pp.BatchDigest {
		return fmt.Errorf("%s certificate for %d: batch does not match its digest", kind, pp.Seq)
	}
	prim := r.primary(pp.View)
	if err := r.ver.verify(prim, pp); err != nil {
		return fmt.Errorf("%s certificate for %d: %w", kind, pp.Seq, err)
	}
	_, isPrepare := any(PV(nil)).(*Prepare)
	noun := "commits"
	if isPrepare {
		noun = "prepares"
	}
	seen := make(map[ReplicaID]bool)
	for i := range votes {
		v := PV(&votes[i])
		view, seq, digest, from := v.vote()
		if view != pp.View || seq != pp.Seq || digest != pp.BatchDigest || seen[from] || (isPrepare && from == prim) {
			continue
		}
		if err := r.ver.verify(from, v); err != nil {
			return fmt.Errorf("%s certificate for %d: %w", kind, pp.Seq, err)
		}
		seen[from] = true
	}
	if len(seen) < need {
		return fmt.Errorf("%s certificate for %d has %d valid %s, need %d", kind, pp.Seq, len(seen), noun, need)
	}
	return nil
}

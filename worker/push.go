package worker

import (
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/worker/wire"
)

// PushProtocol is the overlay protocol that carries row batches from a
// worker to a persistence node.
const PushProtocol = "enigma/worker/push/v1"

// Answers of the push protocol.
const (
	ackDuplicate byte = 0
	ackApplied   byte = 1
)

// Caller sends one request to a node over an authenticated connection and
// returns its answer; the overlay host implements it.
type Caller interface {
	Call(ctx context.Context, to identity.NodeID, addrHint, proto string, req []byte) ([]byte, error)
}

// CallPusher is the production Pusher: it sends each batch with
// PushProtocol through a Caller (the overlay host, whose QUIC connections
// prove the worker's node ID to the receiver).
type CallPusher struct {
	Caller Caller
	// AddrHint, if set, gives a node's address when the caller has no
	// connection to it yet; otherwise the caller resolves it (DHT).
	AddrHint func(identity.NodeID) string
}

// Push implements Pusher.
func (p CallPusher) Push(ctx context.Context, node identity.NodeID, b *wire.Batch) error {
	enc, err := wire.Encode(b)
	if err != nil {
		return err
	}
	hint := ""
	if p.AddrHint != nil {
		hint = p.AddrHint(node)
	}
	resp, err := p.Caller.Call(ctx, node, hint, PushProtocol, enc)
	if err != nil {
		return err
	}
	if len(resp) != 1 || (resp[0] != ackApplied && resp[0] != ackDuplicate) {
		return fmt.Errorf("persistence node %s answered the push with %d unexpected bytes", node.Short(), len(resp))
	}
	return nil
}

// DatasetInfo is what a persistence node knows about a dataset it stores:
// the workers allowed to push to it and its schema (from the certified
// metadata).
type DatasetInfo struct {
	Workers []identity.NodeID
	Schema  *dataset.Schema
}

// ReceiverConfig wires the receiving side of PushProtocol to a persistence
// node's ledger view and store.
type ReceiverConfig struct {
	// Lookup returns what the node knows about a dataset, or an error if it
	// does not store it.
	Lookup func(datasetID common.Hash) (DatasetInfo, error)
	// Ingest stores a checked batch atomically and reports whether it was
	// new (false: the same RunID and Seq were applied before).
	Ingest func(from identity.NodeID, b *wire.Batch) (applied bool, err error)
}

// Receiver returns the persistence node's handler for PushProtocol, in the
// overlay's handler shape: it decodes the batch, refuses senders that are
// not among the dataset's workers and rows that do not fit the schema in
// stored form, then ingests.
func Receiver(cfg ReceiverConfig) func(ctx context.Context, from identity.NodeID, req []byte) ([]byte, error) {
	return func(_ context.Context, from identity.NodeID, req []byte) ([]byte, error) {
		b, err := wire.Decode(req)
		if err != nil {
			return nil, err
		}
		info, err := cfg.Lookup(b.DatasetID)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", b.DatasetID.Hex(), err)
		}
		if !slices.Contains(info.Workers, from) {
			return nil, fmt.Errorf("node %s is not a worker of dataset %s", from.Short(), b.DatasetID.Hex())
		}
		if err := b.Check(info.Schema); err != nil {
			return nil, fmt.Errorf("batch %d of run %s: %w", b.Seq, b.RunID.String()[:16], err)
		}
		applied, err := cfg.Ingest(from, b)
		if err != nil {
			return nil, err
		}
		if applied {
			return []byte{ackApplied}, nil
		}
		return []byte{ackDuplicate}, nil
	}
}

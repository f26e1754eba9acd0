package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/worker/wire"
)

// loopbackCaller hands each call to the receiver of the addressed node, as
// if it came over the overlay from the node `from`.
type loopbackCaller struct {
	from      identity.NodeID
	receivers map[identity.NodeID]func(context.Context, identity.NodeID, []byte) ([]byte, error)
}

func (c loopbackCaller) Call(ctx context.Context, to identity.NodeID, _, proto string, req []byte) ([]byte, error) {
	if proto != PushProtocol {
		return nil, errors.New("unknown protocol " + proto)
	}
	recv, ok := c.receivers[to]
	if !ok {
		return nil, errors.New("no route to node")
	}
	return recv(ctx, c.from, req)
}

// memoryStore is a persistence node's store reduced to what ingest needs.
type memoryStore struct {
	mu      sync.Mutex
	applied map[string]bool
	rows    int
}

func (s *memoryStore) ingest(_ identity.NodeID, b *wire.Batch) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := fmt.Sprintf("%s/%d", b.RunID, b.Seq)
	if s.applied[key] {
		return false, nil
	}
	s.applied[key] = true
	s.rows += len(b.Rows)
	return true, nil
}

func (s *memoryStore) storedRows() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows
}

func newReceiver(t *testing.T, store *memoryStore, workers ...identity.NodeID) func(context.Context, identity.NodeID, []byte) ([]byte, error) {
	schema := marketSchema(t)
	id := marketJob(t, "daily", marketScript, 1).Dataset.ID()
	return Receiver(ReceiverConfig{
		Lookup: func(d common.Hash) (DatasetInfo, error) {
			if d != id {
				return DatasetInfo{}, errors.New("not stored on this node")
			}
			return DatasetInfo{Workers: workers, Schema: &schema, Schedule: "daily", Version: 1}, nil
		},
		Ingest: store.ingest,
		Now:    func() time.Time { return day(10, 0, 0) },
	})
}

func TestWorkerPushesThroughReceiver(t *testing.T) {
	storeA, storeB := &memoryStore{applied: map[string]bool{}}, &memoryStore{applied: map[string]bool{}}
	caller := loopbackCaller{from: workerID, receivers: map[identity.NodeID]func(context.Context, identity.NodeID, []byte) ([]byte, error){
		nodeA: newReceiver(t, storeA, workerID),
		nodeB: newReceiver(t, storeB, identity.NodeID{0x77}), // B does not list this worker
	}}
	h := newHarness(t, day(10, 0, 0), "", func(c *Config) {
		c.Pusher = CallPusher{Caller: caller}
		c.Retry.MaxAttempts = 1
	})
	h.setJob(marketJob(t, "daily", marketScript, 1))
	h.start()
	r := h.waitRuns(1)[0]
	if storeA.storedRows() != 3 || storeB.storedRows() != 0 {
		t.Fatalf("stored rows: A %d, B %d; want 3 and 0", storeA.storedRows(), storeB.storedRows())
	}
	if r.Status != RunFailed || r.NodesOK != 1 || !strings.Contains(r.Error, "not a worker of dataset") {
		t.Fatalf("run = %+v; want node B to refuse a worker it does not list", r)
	}
}

func TestReceiverRefusesBadBatches(t *testing.T) {
	store := &memoryStore{applied: map[string]bool{}}
	recv := newReceiver(t, store, workerID)
	job := marketJob(t, "daily", marketScript, 1)
	good := &wire.Batch{DatasetID: job.Dataset.ID(), Version: 1, Seq: 0, Total: 1,
		Rows: []dataset.Row{{dataset.Value{Kind: dataset.TypeTimestamp}, dataset.Bytes([]byte("ct")), dataset.Bytes(make([]byte, dataset.OrderPreservingCellBytes))}}}
	enc, err := wire.Encode(good)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, want := range []byte{ackApplied, ackDuplicate} {
		resp, err := recv(ctx, workerID, enc)
		if err != nil || len(resp) != 1 || resp[0] != want {
			t.Fatalf("push %d: %v %v, want ack %d", i+1, resp, err, want)
		}
	}
	plain := *good
	plain.Seq, plain.Total = 0, 2
	plain.Rows = []dataset.Row{{dataset.Value{Kind: dataset.TypeTimestamp}, dataset.String("BTC"), dataset.Float64(1)}}
	plainEnc, _ := wire.Encode(&plain)
	other := *good
	other.DatasetID = common.HexToHash("0x99")
	otherEnc, _ := wire.Encode(&other)
	for name, tc := range map[string]struct {
		from identity.NodeID
		req  []byte
		want string
	}{
		"foreign worker":  {identity.NodeID{0x55}, enc, "not a worker"},
		"plaintext cells": {workerID, plainEnc, `column "asset"`},
		"unknown dataset": {workerID, otherEnc, "not stored on this node"},
		"garbage":         {workerID, []byte{0xc0, 1, 2}, "row batch"},
	} {
		if _, err := recv(ctx, tc.from, tc.req); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error mentioning %q", name, err, tc.want)
		}
	}
	if store.storedRows() != 1 {
		t.Errorf("store has %d rows, want the one good row once", store.storedRows())
	}
}

package node

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/signing"
)

// maxSubmitReply bounds a validator's answer to a submission.
const maxSubmitReply = 64 << 10

// SubmitCommand sends a ledger command (a ledger.Command encoding) to every
// validator and returns the result once f+1 of them report the same one, so
// at least one honest replica vouches for it. timestamp must grow with every
// command this client sends (the engine drops older ones as duplicates).
func SubmitCommand(ctx context.Context, net Caller, peers []ValidatorPeer, client string, timestamp uint64, payload []byte) ([]byte, error) {
	if len(peers) < 4 {
		return nil, fmt.Errorf("%d validators known; PBFT needs at least 4", len(peers))
	}
	body, err := signing.Encode(submitRequest{Client: client, Timestamp: timestamp, Payload: payload})
	if err != nil {
		return nil, err
	}
	c := consensus.NewClient(consensus.ClientID(client), len(peers), timestamp-1, 0)
	if _, err := c.Submit(payload); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		reply SubmitReply
		err   error
	}
	answers := make(chan answer, len(peers))
	var wg sync.WaitGroup
	for i, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := net.Call(ctx, p.ID, p.Addr, ProtoLedgerSubmit, body)
			var rep SubmitReply
			if err == nil {
				err = signing.Decode(resp, &rep, maxSubmitReply)
			}
			if err == nil && rep.Replica != uint32(i) {
				err = fmt.Errorf("validator %d answered as replica %d", i, rep.Replica)
			}
			answers <- answer{rep, err}
		}()
	}
	go func() { wg.Wait(); close(answers) }()
	var errs []error
	for a := range answers {
		if a.err != nil {
			errs = append(errs, a.err)
			continue
		}
		r := a.reply
		if result, done := c.Step(consensus.Reply{Replica: consensus.ReplicaID(r.Replica), View: r.View, Client: consensus.ClientID(r.Client), Timestamp: r.Timestamp, Result: r.Result}); done {
			return result, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("ledger command not confirmed by f+1 validators: %w", err)
	}
	return nil, fmt.Errorf("ledger command not confirmed by f+1 validators: %w", errors.Join(errs...))
}

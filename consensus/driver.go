package consensus

import (
	"errors"
	"fmt"
)

// Shell is what a Driver needs from the process that runs the replica: the
// validator node (QUIC, Pebble, a ticker) or the simulator (its network
// model, crashable filesystem and virtual clock).
type Shell interface {
	// Save writes an update to the log (Storage.Save); with sync it and
	// every update before it are durable when it returns.
	Save(u *Update, sync bool) error
	// Send hands messages to the replicas' transport. It must not block: a
	// queue that is full drops (PBFT retransmits what matters).
	Send(msgs []Message)
	// Reply hands replies to their clients. The slice is the replica's,
	// reused once the Ready is handled: copy what is kept.
	Reply(replies []Reply)
	// Executed reports the batches the replica executed (already applied to
	// the Application, in sequence order) and the checkpoints that became
	// stable, after the Ready's messages were sent.
	Executed(batches []ExecutedBatch, stable []StableCheckpoint)
}

// MaxEventsPerReady bounds the events a shell folds into one Ready: under
// load one synced write then covers many messages, and a Ready stays small
// enough to be handled promptly.
const MaxEventsPerReady = 1024

// ErrDriverStopped is wrapped by every call after the shell failed to save:
// a replica that cannot make its log durable must not vote again.
var ErrDriverStopped = errors.New("replica stopped")

// Driver runs a Replica by the Ready contract, in the one order both shells
// use. A shell feeds it events (Tick, Step, Propose) and calls Flush after a
// group of them, at most MaxEventsPerReady (Full says when); Flush takes the
// Ready and hands it to the Shell:
//
//  1. Replies go out first, before the log write: a reply reports the
//     execution of a batch that a quorum committed, which holds whatever
//     this replica's disk keeps, and the client waits on it.
//  2. Pre-prepares, prepares, heartbeats, checkpoints and state-transfer
//     messages go out too: a replica restarted from its log sits out the
//     view it was in (Replica.ownsView), so nothing it signs later can
//     contradict what its lost writes held, and checkpoints are determined
//     by the executed state. On the normal path only the commit waits for
//     the disk. The rule needs the view to be durable before anything is
//     signed in it: a Ready that moves the replica to another view or epoch
//     (Persist.HardState), or a fresh replica's first Ready (which records
//     where it starts), sends all its messages after the write, or a
//     replica that crashed before that write would restart in the earlier
//     view, or as fresh, not sit out the view it signed in, and could sign
//     there again.
//  3. Persist is saved, synced only when the Ready has messages that wait
//     for it (step 4) or records a new view or epoch. A write whose
//     messages already left needs no sync of its own: what it holds, the
//     sit-out rule already covers, and the log keeps its order, so the next
//     synced write makes it durable too. That leaves one sync per batch on
//     a replica's normal path (the write before its commit) instead of
//     three. If Save fails, nothing more of this Ready is sent and the
//     driver stops for good (the shell restarts the replica from its log,
//     as after a crash).
//  4. Commits, view changes and new views are sent: a commit promises a
//     prepared certificate the log must keep for later view changes, and a
//     view change or new view must not be sent twice in two versions.
//  5. Executed batches and new stable checkpoints are reported.
//  6. The replica advances.
//
// The Driver is not safe for concurrent use; it starts nothing and reads no
// clock.
type Driver struct {
	r      *Replica
	shell  Shell
	events int
	err    error
}

// NewDriver returns a driver of r that hands its work to shell.
func NewDriver(r *Replica, shell Shell) *Driver { return &Driver{r: r, shell: shell} }

// Replica returns the driven replica (for Status).
func (d *Driver) Replica() *Replica { return d.r }

// Err returns why the driver stopped, or nil.
func (d *Driver) Err() error { return d.err }

// Full reports whether the events since the last Flush reached
// MaxEventsPerReady: the shell must flush before it takes more.
func (d *Driver) Full() bool { return d.events >= MaxEventsPerReady }

// QuietTicks is Replica.QuietTicks: how many of the next ticks a shell may
// deliver late and together (0 once the driver stopped).
func (d *Driver) QuietTicks(limit uint64) uint64 {
	if d.err != nil {
		return 0
	}
	return d.r.QuietTicks(limit)
}

// Tick advances the replica's clock by one tick.
func (d *Driver) Tick() {
	if d.err != nil {
		return
	}
	d.events++
	d.r.Tick()
}

// Step hands the replica a message from another replica; the error says why
// the replica rejected it (the replica is unchanged then).
func (d *Driver) Step(m Message) error {
	if d.err != nil {
		return d.err
	}
	d.events++
	return d.r.Step(m)
}

// Propose hands the replica a client request.
func (d *Driver) Propose(req Request) error {
	if d.err != nil {
		return d.err
	}
	d.events++
	return d.r.Propose(req)
}

// Flush handles the replica's Ready (see Driver). It returns an error, and
// stops the driver, when the log cannot be saved.
func (d *Driver) Flush() error {
	if d.err != nil {
		return d.err
	}
	d.events = 0
	if !d.r.HasReady() {
		return nil
	}
	rd := d.r.Ready()
	if len(rd.Replies) > 0 {
		d.shell.Reply(rd.Replies)
	}
	newView := rd.Persist != nil && rd.Persist.HardState != nil
	early, late := splitByDurability(rd.Messages, newView)
	if len(early) > 0 {
		d.shell.Send(early)
	}
	if rd.Persist != nil {
		sync := newView || len(late) > 0 && d.r.cfg.Bug != BugUnsyncedCommit
		if err := d.shell.Save(rd.Persist, sync); err != nil {
			d.err = fmt.Errorf("%w: cannot make its log durable: %w", ErrDriverStopped, err)
			return d.err
		}
	}
	if len(late) > 0 {
		d.shell.Send(late)
	}
	if len(rd.Executed) > 0 || len(rd.NewStable) > 0 {
		d.shell.Executed(rd.Executed, rd.NewStable)
	}
	d.r.Advance()
	return nil
}

// splitByDurability separates the messages that may leave before the
// Ready's log write from those that must wait for it (see Driver): all of
// them when the write records a new view or epoch.
func splitByDurability(msgs []Message, newView bool) (early, late []Message) {
	if newView {
		return nil, msgs
	}
	for i := range msgs {
		switch msgs[i].Type {
		case MsgCommit, MsgViewChange, MsgNewView:
			late = append(late, msgs[i])
		default:
			early = append(early, msgs[i])
		}
	}
	return early, late
}

// Package consensus is the PBFT replication engine (Castro and Liskov,
// OSDI'99 and TOCS'02, the signature variant) as a pure state machine in the
// style of etcd's raft: n ≥ 4 replicas, of which up to f = ⌊(n−1)/3⌋ may be
// Byzantine. Every certificate needs a quorum q = ⌈(n+f+1)/2⌉ (package
// quorum): any two quorums share a correct replica, for every n.
//
// # Interface
//
// A shell owns a Replica and feeds it events:
//
//   - Step(msg) for a message from another replica,
//   - Propose(request) for a client request,
//   - Tick() at a fixed interval; every timeout is a number of ticks.
//
// QuietTicks says how many of the next ticks certainly do nothing but
// advance the clock; a shell may deliver those late and together (an idle
// replica's shell sleeps through them), never the one after them.
//
// The replica never sends, writes or reads a clock itself. It accumulates
// work that the shell collects with Ready and acknowledges with Advance.
// Shells do that through a Driver, which handles each Ready in the one
// order below; the node and the simulator both run it.
//
// # The Ready contract
//
//  1. Ready.Persist must be durable (Storage.Save, synced) BEFORE the
//     Ready's commits, view changes and new views leave the process: they
//     promise what a later view change relies on. Pre-prepares, prepares,
//     heartbeats, checkpoints and state transfer may leave first, because a
//     replica restarted from its log sits out the view it was in and so
//     never signs against what it may have lost — unless Persist records a
//     new view or epoch (HardState): then every message waits, so the view
//     a replica signs in is durable before it signs there. Replies may
//     leave first: they report batches a quorum committed. A Persist that
//     no message waits for, and that records no new view, is written
//     without a sync: the log keeps its order, so the next synced write
//     makes it durable, and a crash before that loses it with the writes
//     after it, which the sit-out rule covers.
//  2. Messages go to replicas (Message.To), Replies to clients.
//  3. Executed lists the batches the replica executed, in sequence order;
//     the Application has already applied them. NewStable lists
//     checkpoints that became stable, with their quorum of signatures.
//  4. Advance acknowledges; the next Ready holds only newer work.
//
// The Application (apply a batch → state digest, snapshot, restore) and the
// Verifier (validate requests and the primary's batch context, possibly
// "not ready yet") are interfaces this package defines; Storage is the
// write-ahead log interface, with MemoryStorage here and a Pebble
// implementation in consensus/pebblestore.
//
// # Protocol summary
//
// Normal case: the primary of view v (replica v mod n) cuts batches of
// pending requests and sends PRE-PREPARE(v, n, d); a backup that accepts it
// (after the Verifier) sends PREPARE; a replica is prepared at (v, n, d)
// with the pre-prepare and q−1 matching prepares from distinct backups, then
// sends COMMIT; it has committed locally with q matching commits and
// executes batches in sequence order. Requests are de-duplicated per client
// by timestamp; a client accepts a result reported by f+1 replicas.
//
// Every K sequence numbers a replica signs a CHECKPOINT over the state; q
// matching ones make it stable: the low watermark h moves there and the log
// at or below it is discarded. Only sequence numbers in (h, h+L] are
// accepted. A replica that learns it is behind fetches the latest stable
// checkpoint's snapshot and the commit certificates after it from a peer
// and verifies both before using them (state transfer).
//
// A backup starts a view change when a request it knows stays unexecuted
// for the request timeout (timed per request from its receipt, whatever
// else executes, so a censoring primary is replaced; the timeout follows
// the waits the replica observed, within bounds), when the primary is
// silent for a timeout (an idle primary sends heartbeats), or when the
// primary's batch fails verification. It sends VIEW-CHANGE(v+1) with its
// stable checkpoint proof and its prepared certificates; it joins a later
// view when f+1 others ask for it or are seen operating in it; its timeout
// doubles for each view that fails to start. The new
// primary collects q view changes and sends NEW-VIEW, which every replica
// re-derives: start at the highest stable checkpoint in the set (min-s) and
// re-propose, up to the highest prepared sequence number (max-s), the batch
// of the highest-view prepared certificate, or the null request.
//
// Inside, a replica is in one phase at a time — primary or backup of its
// view, changing views, fetching state, or left the validator set — and
// Tick and Step dispatch on it (phase.go).
//
// # Safety invariants (checked by the simulator)
//
//   - Agreement: no two honest replicas execute different batches at one
//     sequence number, in any views.
//   - Integrity: a request executes at most once.
//   - Validity: only requests the Verifier accepted (submitted by clients)
//     execute.
//   - State: honest replicas have identical state digests at every sequence
//     number, in particular at every stable checkpoint.
//   - No honest replica signs two different values for one message slot
//     (type, view, sequence number) — also across crashes, by the WAL.
//
// Signatures are Ed25519 over signing.Digest with the Domain* domains, so
// certificates are transferable. Each signature is verified once: a cache of
// (signer, digest) pairs serves certificates that repeat messages.
package consensus

// Package kademlia is the pure core of the S/Kademlia overlay (Baumgart &
// Mies, 2007): node IDs and their crypto puzzles, the routing table
// (k-buckets plus a sibling list), disjoint-path iterative lookups, the
// record store, and the signed wire messages with replay protection.
//
// It owns no sockets, starts no goroutines, reads no clock and draws no
// randomness of its own: time enters as a Time argument (Unix milliseconds)
// and randomness as an injected *randsrc.Rand. The QUIC shell in package
// overlay and the simulator in simulation/kadsim drive the same code.
//
// Invariants:
//   - A contact is in at most one place in a Table: the sibling list or the
//     bucket of its common-prefix length with the table's own ID. The sibling
//     list holds the η·s closest contacts the table accepted; it is sorted by
//     XOR distance to the own ID.
//   - A Table only ever holds contacts the caller vouched for (Observe):
//     contacts that answered our signed request are added at once, signed
//     requesters only outside the protected prefix region, third-party
//     contacts never (the caller pings them first), clients never: a
//     request's sender may have no address (a client, which serves
//     nothing); it is answered, but no table takes it and no answer relays
//     it, and an answer or a relayed contact without an address is refused. Per-subnet limits hold
//     per bucket and per table.
//   - A full bucket keeps its long-lived contacts: a newcomer waits in the
//     replacement cache until an old contact fails.
//   - A Lookup queries every node on at most one of its d paths, so the paths
//     are node-disjoint. With Siblings set it ends early only when the paths
//     agree on the target's s closest answering nodes.
//   - A Store holds only values its Validator accepted, and for each key the
//     version the Validator selected as newest. It stays within its bounds:
//     MaxRecords and MaxBytes in all, the share left after the certified
//     reserve for self-certifying records, MaxPublisherRecords and
//     MaxPublisherBytes per publisher. Quotas are checked from the value's
//     length and kind before its signature or a copy; a certified record
//     that does not fit evicts the oldest self-certifying records of the
//     heaviest publishers, never a certified one.
//   - Open accepts a message only if the sender's ID is the hash of its key,
//     both puzzles hold, the weak signature verifies, the strong signature
//     verifies or the transport authenticated the sender (a request from the
//     peer the shell names, an answer from the node asked, and only with
//     WireConfig.AuthenticatedTransport), the message is addressed to us,
//     its timestamp is inside the replay window and its nonce was not seen
//     within that window.
//   - A signed contact (a sender's, or one relayed in an answer) is accepted
//     only if its puzzles and weak signature verified, now or earlier: the
//     Codec's bounded cache of verified contacts is keyed by the key, every
//     signed field and the signature, so it vouches only for exactly the
//     bytes that were checked. The stamp's age is checked at every use. The
//     strong signature is checked for every message the transport did not
//     authenticate. Which checks run is
//     the core's decision; a Verifier (injected, like the clock) only does
//     them.
//   - Receiving is four steps, so a shell can keep CPU work outside its
//     lock: Decoder (decode and stateless checks; a copy of the fixed
//     settings, no state), Check (the cache and the replay memory),
//     Pending.Verify (puzzles and signatures, through the Verifier),
//     FinishRequest or FinishAnswer (nonce remembered, cache filled, table
//     and store). Only Check and Finish touch state. Sending is PrepareRequest (or a
//     Served.Unsigned answer) under the lock, Outgoing.Seal (the signature)
//     outside it. ServeRequest, HandleAnswer and NewRequest do it all in one
//     call.
package kademlia

// Package overlay is the S/Kademlia shell: it runs the pure core in
// overlay/kademlia over real QUIC and offers two things to the rest of the
// system:
//
//   - Host: authenticated QUIC connections between nodes, addressed by node
//     ID. Any package can Handle a protocol name and Call a peer by ID; PBFT
//     messages, worker row pushes and subscriber queries ride on it next to
//     the overlay's own "kad" protocol.
//   - DHT: this node's part in the DHT — Bootstrap, FindNode, Resolve
//     (node ID → address), Put and Get of records checked by a
//     kademlia.Validator.
//
// Invariants:
//   - Every connection is TLS 1.3 with mutual authentication; each side's
//     certificate is self-signed by its Ed25519 node key, and the node ID is
//     SHA-256 of that key. A dialler accepts the connection only if the peer
//     is exactly the node ID it asked for; both sides refuse IDs that fail
//     the static puzzle. ALPN is "enigma/3"; 0-RTT is never enabled.
//   - Because connections authenticate both ends, kad messages travel
//     without S/Kademlia's strong signature (kademlia
//     WireConfig.AuthenticatedTransport): a request is accepted only from
//     the connection's peer, an answer only on the connection dialled to
//     the node asked. Signed contacts keep their weak signatures, checked
//     (or found in the cache of verified contacts) before any use.
//   - One request per stream, framed with a 4-byte length and refused above
//     the frame limit before any allocation of that size; every request has
//     a deadline. Calls of a multiplexed protocol (Host.Multiplex: kad)
//     share one long-lived stream per connection instead, each frame
//     carrying a call ID, under the same limits (serveMux).
//   - What one peer can make a host hold is bounded (Limits): ConnsPerPeer
//     connections per node ID, StreamsPerConn open requests per connection
//     (QUIC stream credit), ConnBuffer bytes of requests in progress per
//     connection (counted from the frame header, before the body is read,
//     and QUIC's receive window), HandshakesPerIP unauthenticated
//     handshakes. A request's stream is read to its end, so its credit
//     returns to the peer.
//   - The DHT core is only touched under DHT.mu; network I/O never happens
//     while holding it, and neither do decoding, signing or signature
//     checks: the lock covers only the core's state — the cache of verified
//     contacts and the replay memory (kademlia Protocol.Check), then the
//     table and store (FinishRequest, FinishAnswer, PrepareRequest). The
//     Ed25519 checks the core asks for run outside it (Pending.Verify,
//     spread over the cores by ParallelVerifier), and so do signatures
//     (Outgoing.Seal).
//   - Hostile input (oversized or garbled frames, bad signatures, failed
//     puzzles, replays, stale or misaddressed messages) and input over a
//     limit or quota is refused with a clear error to the sender, counted in
//     overlay_rejected_total{reason}, and never stops the node.
package overlay

// Package chain is enigma's side of Ethereum: a typed client of the
// Marketplace and ENG token contracts over any JSON-RPC endpoint, the embedded
// dev chain (go-ethereum's simulated backend in process, served over HTTP
// JSON-RPC), an event follower with a confirmation depth, and a cache of
// hasAccess answers keyed by block.
//
// It holds no business rules: those live in the contracts (contracts/src).
// The client turns contract reverts into errors that name the custom error,
// its arguments and what the user can do next.
//
// Invariants:
//   - Every transaction is sent with an estimated gas limit and EIP-1559 fees
//     (legacy pricing only on chains without a base fee), and a write method
//     returns only once its receipt is Confirmations blocks deep and
//     successful; a failed receipt becomes a *RevertError.
//   - Reads take an explicit block where callers need agreement on one
//     (DatasetAt, HasAccessAt, ValidatorSet), so two nodes reading at the
//     same block see the same facts.
//   - The follower delivers the events of a block only once the block is
//     Depth blocks deep, in chain order, and saves its cursor after each
//     range, so a restart resumes where it stopped (at least once: a range
//     whose handling was cut short is delivered again). A reorg deeper than
//     Depth is detected from remembered block hashes and reported as a
//     *ReorgError after rewinding to the last block still canonical.
//   - The access cache keys answers by block: an answer at a block never
//     changes, so the cache cannot serve a stale answer for that block.
package chain

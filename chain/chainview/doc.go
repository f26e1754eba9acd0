// Package chainview reads the chain as the ledger, the nodes and their
// clients must agree on it: at confirmed blocks only (a confirmation depth
// below the head), so every honest reader asking about the same block gets
// the same answer. View gives the ledger its chain facts (ledger.ChainView:
// datasets, validator sets by epoch), the persistence and worker roles
// their access checks (access.AccessChecker), and clients the validator
// sets they verify certified records against.
//
// It sits below package node so that a provider's or subscriber's program
// (package client) verifies what it reads without linking a node.
//
// Invariants:
//   - Every answer is read at a confirmed block; caches are keyed by that
//     block (access) or hold what the chain never changes (an epoch's
//     validator set once defined).
//   - An access grant may reuse a confirmed block read within
//     AccessHeadTTL; a refusal always reads the head again.
//   - A validator set read once is served without a chain call at any
//     later block (the block it was read at is kept with it), so checking a
//     certified record costs no chain read once its epoch is known.
package chainview

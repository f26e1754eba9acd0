// Package ledgerclient is the client side of the validators' submission
// protocol (enigma/ledger-submit/1): its name, its messages and limits, and
// the callers that send ledger commands to the validator set and accept a
// result once f+1 validators report the same one — SubmitCommand for one
// command, Submitter for many concurrent callers, whose commands it
// coalesces into one call per validator.
//
// It sits below package node so that a provider's or subscriber's program
// (package client) submits commands without linking the validator, its
// consensus engine or its stores. The validator's side of the protocol —
// proposing the commands and answering once they executed — is
// node.Validator.
//
// Invariants:
//   - A command's result is returned only when f+1 distinct validators of
//     the set (f = ⌊(n−1)/3⌋) answered it with identical bytes, so at least
//     one correct validator vouches for it; each validator counts once.
//   - A Submitter's call to a validator carries at most MaxBatch commands
//     and is cancelled once none of its commands awaits an answer.
package ledgerclient

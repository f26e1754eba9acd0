// Package access is the persistence node's query protocol: signed requests
// from subscribers, access checks against the chain, results sealed to the
// subscriber, and the client helpers that build requests, encrypt query
// constants and open results.
//
// A Request names the dataset, carries the query text, a fresh 16-byte
// nonce, an expiry and the subscriber's HPKE public key, and is signed with
// the subscriber's account key (signing.SignAccount, domain
// "query/request/v1"). Server.Handle checks, in this order: size and
// encoding; expiry (not past, not further ahead than MaxLifetime);
// signature; replay (a (subscriber, nonce) pair is accepted once while the
// request is live); the dataset being stored here; access through the
// AccessChecker (subscribed, trial — capped at TrialRowCap rows — or none).
// Only then does it run the query and seal the result with HPKE to the
// request's key, with the request hash as associated data, so a result
// cannot be replayed as the answer to another request.
//
// Invariants:
//   - Handle never panics and always answers with an encoded Response;
//   - a denial carries a Reason code and a message that says why, and never
//     row data; internal errors are reported as "internal error" only;
//   - the replay cache holds at most MaxReplayEntries live nonces and
//     forgets each at its request's expiry.
package access

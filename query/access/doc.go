// Package access is the persistence node's query protocol: signed requests
// from subscribers, access checks against the chain, results sealed to the
// subscriber, and the client helpers that build requests, encrypt query
// constants and open results.
//
// A Request names the persistence node it is addressed to, the dataset (and
// in Joins the other datasets a join reads, each with its version), the
// query text, a fresh 16-byte nonce, an expiry and the subscriber's HPKE
// public key, and is signed with the subscriber's account key
// (signing.SignAccount, domain "query/request/v2"). Server.Handle checks,
// cheapest first: size and encoding; expiry (not past, at most MaxLifetime
// — 2 minutes — ahead); the addressee (this node, Config.Self); signature;
// every dataset being stored here; access through the AccessChecker
// (subscribed, trial or none; a join needs a subscription to each of its
// datasets); the query parsing and naming exactly the request's datasets;
// their versions; a trial account's budget. Only a request that passed all of these takes a
// place in the replay window (a (subscriber, nonce) pair is accepted once
// while the request is live), so strangers and forgers never occupy it.
// Then the query runs; the nonce, and the rows a trial account was served,
// are written to the store (synced) before the result is sealed with HPKE
// to the request's key, with the request hash as associated data, so a
// result cannot be replayed as the answer to another request.
//
// Invariants:
//   - Handle never panics and always answers with an encoded Response;
//   - a denial carries a Reason code and a message that says why, and never
//     row data; internal errors are reported as "internal error" only; every
//     denial is counted in enigma_query_refused_total{reason}, every answer
//     in enigma_query_answered_total and its rows in enigma_query_result_rows;
//   - a request is answered at most once, by the node it names: the replay
//     window is persisted in the store and reloaded at start, so a restart
//     does not reopen it;
//   - the replay window holds at most MaxReplayEntries live requests and at
//     most MaxPerRequester of one requester; it forgets each at its expiry,
//     in buckets by expiry second, without scanning;
//   - a trial account is served at most TrialRowCap rows of a dataset by
//     this node in total, over all its queries and restarts (the contract
//     grants one trial per account and dataset, so this is per trial).
package access

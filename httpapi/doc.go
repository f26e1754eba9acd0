// Package httpapi is a node's read-only face to people and programs: a
// JSON API under /api/v1/ (datasets with search, filters, ranking and
// pagination; one dataset with its on-chain terms, its certified metadata
// and the certified record this node verified against the chain;
// validators per epoch with their liveness; police slashes and the
// attestations behind them; the node's own status), its OpenAPI document at
// /api/v1/openapi.json, and the web explorer, static files embedded in the
// binary and served at /.
//
// It owns no facts: everything it shows is read through the code the CLI
// uses — chain.Client (the listing and ranking of `enigma market`),
// chainview.View and records.DHT (records resolved in the DHT and verified
// against the on-chain validator sets, as `enigma subscriber query` does),
// nodeinfo.Ask (what `enigma provider status` asks the nodes) and the
// chain.Follower (the events of `enigma market events`). Its caches only
// bound how often it asks: the listing per chain head, records for
// RecordTTL, node answers for InfoTTL.
//
// Every request is treated as hostile: only GET, HEAD and OPTIONS, no
// body, a bounded URL, a per-client token bucket, a bound on requests in
// flight, a deadline on each, and a 400 naming the parameter for anything
// it does not understand. CORS is off unless configured. Limits: see the
// constants in limits.go and docs/SECURITY.md.
package httpapi

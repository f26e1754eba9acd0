// Package ledgertest provides deterministic stand-ins for what surrounds the
// ledger: an in-memory chain view (Chain) and a cast of validators,
// providers and nodes (Fixture) derived from a seed. The ledger's own
// tests, the CLI tests, benchmarks and the simulator use them. Nothing in
// production imports this package.
package ledgertest

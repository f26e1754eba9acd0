// Package cryptodaily is the example dataset the integration demo curates:
// a year of daily market data for eight crypto assets (market.csv), its
// schema (schema.json) and its curation script (curate.star). The Go code
// here only generates market.csv deterministically and tests that the
// script turns it into valid, encryptable rows.
package cryptodaily

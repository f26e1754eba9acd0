package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/httpapi"
)

// TestCLIAndHTTPAPINameFieldsAlike: what --format json prints and what the
// HTTP API serves name the same facts alike (snake_case, the CLI's names),
// so a script moves from one to the other without a mapping.
func TestCLIAndHTTPAPINameFieldsAlike(t *testing.T) {
	for _, c := range []struct {
		what     string
		cli, api reflect.Type
		shared   []string
	}{
		{"a dataset (market show vs GET /api/v1/datasets/{provider}/{name})", reflect.TypeFor[datasetOut](), reflect.TypeFor[httpapi.DatasetDetail](),
			[]string{"dataset", "id", "provider", "name", "active", "slash_count", "price_per_period", "deposit", "total_paid",
				"active_subscribers", "trial_seconds", "registered_at", "deactivated_at", "metadata_hash", "payouts", "rank"}},
		{"a payout share", reflect.TypeFor[payoutOut](), reflect.TypeFor[httpapi.PayoutView](), []string{"account", "bps"}},
		{"an amount", reflect.TypeFor[amount](), reflect.TypeFor[httpapi.Amount](), []string{"eng", "base_units"}},
		{"a worker's answer (provider status vs the dataset's nodes)", reflect.TypeFor[workerStatusOut](), reflect.TypeFor[httpapi.NodeAnswer](),
			[]string{"node_id", "answered", "error", "known_version", "job_version"}},
		{"a persistence node's answer", reflect.TypeFor[storeStatusOut](), reflect.TypeFor[httpapi.NodeAnswer](),
			[]string{"node_id", "answered", "error", "known_version"}},
		{"a stored version's rows", reflect.TypeFor[tableStatus](), reflect.TypeFor[httpapi.NodeAnswer](), []string{"rows", "rows_capped"}},
		{"the certified version", reflect.TypeFor[ledgerVersionOut](), reflect.TypeFor[httpapi.MetadataView](),
			[]string{"version", "updated_sequence", "updated_block", "hash_matches_chain", "schedule", "metadata_hash"}},
		{"a chain event (market events vs a dataset's versions)", reflect.TypeFor[eventOut](), reflect.TypeFor[httpapi.VersionView](), []string{"block", "tx_hash", "event"}},
	} {
		cli, api := jsonNames(c.cli), jsonNames(c.api)
		for _, f := range c.shared {
			if !cli[f] || !api[f] {
				t.Errorf("%s: field %q — in the CLI's JSON %v, in the API's %v", c.what, f, cli[f], api[f])
			}
		}
	}
}

// jsonNames are the JSON field names a struct writes (embedded structs
// flattened).
func jsonNames(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			for n := range jsonNames(f.Type) {
				out[n] = true
			}
			continue
		}
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

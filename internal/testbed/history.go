package testbed

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// A history is what the clients of a testbed run did and saw, in the style
// of Jepsen: each operation with the client that ran it, when it started
// and ended, and what it was answered; then what each validator's ledger
// held at the end. CheckHistory judges it against the marketplace's
// promises to its users, without trusting any node's word for it.

// OpKind is what a client operation did.
type OpKind string

// The operations a history records.
const (
	// OpRegister lists a dataset: acknowledged (OK) when the CLI said
	// "Certified and resolvable", at Version 1.
	OpRegister OpKind = "register"
	// OpUpdate certifies a new version of a dataset: acknowledged when
	// `provider update` said it was certified, at Version.
	OpUpdate OpKind = "update"
	// OpResolve looks the dataset's certified record up in the DHT; OK when
	// a valid record came back.
	OpResolve OpKind = "resolve"
	// OpQuery is a subscriber's query: OK when answered, from Version.
	OpQuery OpKind = "query"
)

// Op is one client operation.
type Op struct {
	Kind    OpKind    `json:"kind"`
	Client  string    `json:"client"` // the node that ran it
	Region  string    `json:"region"`
	Dataset string    `json:"dataset"` // the dataset's name
	Version uint64    `json:"version"` // acknowledged (register, update) or answered (query)
	OK      bool      `json:"ok"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	// Final marks the operations made after the run (every perturbation
	// healed, every validator caught up); "resolvable from every region"
	// is judged by the final resolves.
	Final bool   `json:"final,omitempty"`
	Err   string `json:"err,omitempty"`
}

// Ledger is what one validator's ledger held at the end: each dataset's
// certified version (absent: not in the ledger).
type Ledger struct {
	Validator string            `json:"validator"`
	Honest    bool              `json:"honest"`
	Versions  map[string]uint64 `json:"versions"`
}

// History is a run's operations and its validators' final ledgers.
type History struct {
	Ops     []Op     `json:"ops"`
	Ledgers []Ledger `json:"ledgers"`
	// Regions are the regions clients ran in: every acknowledged dataset
	// must be resolvable from each.
	Regions []string `json:"regions"`
}

// Violation is one broken promise, with the operations that show it.
type Violation struct {
	Rule string `json:"rule"`
	What string `json:"what"`
}

func (v Violation) String() string { return v.Rule + ": " + v.What }

// The rules CheckHistory applies.
const (
	// RuleDurable: every acknowledged registration and update is in the
	// final ledger of every honest validator, at its version or a later one.
	RuleDurable = "acknowledged write lost"
	// RuleResolvable: every acknowledged dataset's record resolves from
	// every region once the run is over.
	RuleResolvable = "record not resolvable"
	// RuleMonotonic: no query is answered from a version older than one an
	// earlier query of the same client was answered from.
	RuleMonotonic = "query went back in version"
)

// CheckHistory returns every violation of the rules in h (none: the
// history is consistent with what the marketplace promises).
func CheckHistory(h *History) []Violation {
	var out []Violation
	acked := make(map[string]uint64) // dataset → highest acknowledged version
	var names []string
	for _, op := range h.Ops {
		if op.OK && (op.Kind == OpRegister || op.Kind == OpUpdate) {
			if _, seen := acked[op.Dataset]; !seen {
				names = append(names, op.Dataset)
			}
			acked[op.Dataset] = max(acked[op.Dataset], op.Version)
		}
	}
	sort.Strings(names)
	honest := 0
	for _, l := range h.Ledgers {
		if !l.Honest {
			continue
		}
		honest++
		for _, name := range names {
			got, ok := l.Versions[name]
			switch {
			case !ok:
				out = append(out, Violation{RuleDurable, fmt.Sprintf("validator %s's ledger has no %s (acknowledged at version %d)", l.Validator, name, acked[name])})
			case got < acked[name]:
				out = append(out, Violation{RuleDurable, fmt.Sprintf("validator %s's ledger has %s at version %d, but version %d was acknowledged", l.Validator, name, got, acked[name])})
			}
		}
	}
	if honest == 0 && len(names) > 0 {
		out = append(out, Violation{RuleDurable, "no honest validator's ledger was read: nothing shows the acknowledged writes were kept"})
	}
	for _, name := range names {
		for _, region := range h.Regions {
			if !slices.ContainsFunc(h.Ops, func(op Op) bool {
				return op.Kind == OpResolve && op.Final && op.OK && op.Dataset == name && op.Region == region
			}) {
				out = append(out, Violation{RuleResolvable, fmt.Sprintf("%s (acknowledged) never resolved from region %s after the run", name, region)})
			}
		}
	}
	// Monotonic reads: per client and dataset, in the order the queries
	// ran (a client runs one at a time, so their intervals do not overlap;
	// a query that started before an earlier one ended is not ordered
	// after it and is not compared).
	type key struct{ client, dataset string }
	queries := make(map[key][]Op)
	var keys []key
	for _, op := range h.Ops {
		if op.Kind == OpQuery && op.OK {
			k := key{op.Client, op.Dataset}
			if _, seen := queries[k]; !seen {
				keys = append(keys, k)
			}
			queries[k] = append(queries[k], op)
		}
	}
	for _, k := range keys {
		qs := queries[k]
		sort.SliceStable(qs, func(i, j int) bool { return qs[i].Start.Before(qs[j].Start) })
		for i, q := range qs {
			for _, earlier := range qs[:i] {
				if earlier.End.Before(q.Start) && earlier.Version > q.Version {
					out = append(out, Violation{RuleMonotonic, fmt.Sprintf("client %s's query of %s at %s was answered from version %d after its query at %s saw version %d",
						k.client, k.dataset, q.Start.Format(time.StampMilli), q.Version, earlier.Start.Format(time.StampMilli), earlier.Version)})
					break
				}
			}
		}
	}
	return out
}

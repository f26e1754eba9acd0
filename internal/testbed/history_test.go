package testbed

import (
	"strings"
	"testing"
	"time"
)

// goodHistory is a run in which every promise held: two datasets
// registered, one updated to version 2, both resolvable from both client
// regions, and queries that never go back in version.
func goodHistory() *History {
	t0 := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	return &History{
		Regions: []string{"europe", "tokyo"},
		Ops: []Op{
			{Kind: OpRegister, Client: "prov", Region: "europe", Dataset: "a", Version: 1, OK: true, Start: at(0), End: at(5)},
			{Kind: OpRegister, Client: "prov", Region: "europe", Dataset: "b", Version: 1, OK: true, Start: at(6), End: at(9)},
			// An unacknowledged registration promises nothing.
			{Kind: OpRegister, Client: "prov", Region: "europe", Dataset: "c", Version: 1, OK: false, Start: at(9), End: at(12)},
			{Kind: OpQuery, Client: "sub", Region: "tokyo", Dataset: "a", Version: 1, OK: true, Start: at(10), End: at(11)},
			{Kind: OpUpdate, Client: "prov", Region: "europe", Dataset: "a", Version: 2, OK: true, Start: at(12), End: at(20)},
			{Kind: OpQuery, Client: "sub", Region: "tokyo", Dataset: "a", Version: 2, OK: true, Start: at(21), End: at(22)},
			// A failed query answers no version.
			{Kind: OpQuery, Client: "sub", Region: "tokyo", Dataset: "a", OK: false, Start: at(23), End: at(24)},
			{Kind: OpQuery, Client: "sub", Region: "tokyo", Dataset: "a", Version: 2, OK: true, Start: at(25), End: at(26)},
			// Another client may still see version 1 after sub saw 2.
			{Kind: OpQuery, Client: "sub2", Region: "europe", Dataset: "a", Version: 1, OK: true, Start: at(25), End: at(26)},
			{Kind: OpResolve, Client: "prov", Region: "europe", Dataset: "a", OK: true, Final: true, Start: at(30), End: at(31)},
			{Kind: OpResolve, Client: "prov", Region: "europe", Dataset: "b", OK: true, Final: true, Start: at(30), End: at(31)},
			{Kind: OpResolve, Client: "sub", Region: "tokyo", Dataset: "a", OK: true, Final: true, Start: at(30), End: at(31)},
			{Kind: OpResolve, Client: "sub", Region: "tokyo", Dataset: "b", OK: true, Final: true, Start: at(30), End: at(31)},
		},
		Ledgers: []Ledger{
			{Validator: "v0", Honest: true, Versions: map[string]uint64{"a": 2, "b": 1}},
			{Validator: "v1", Honest: true, Versions: map[string]uint64{"a": 2, "b": 1, "c": 1}},
			// A Byzantine validator's ledger is not judged.
			{Validator: "v2", Honest: false, Versions: map[string]uint64{}},
		},
	}
}

func TestCheckHistoryAcceptsAConsistentRun(t *testing.T) {
	if v := CheckHistory(goodHistory()); len(v) != 0 {
		t.Fatalf("a consistent history has violations: %v", v)
	}
}

// Each doctored history breaks one promise; the checker names it.
func TestCheckHistoryCatchesBrokenHistories(t *testing.T) {
	cases := []struct {
		name   string
		doctor func(h *History)
		rule   string
		says   string
	}{
		{"a validator lost an acknowledged registration", func(h *History) {
			delete(h.Ledgers[1].Versions, "b")
		}, RuleDurable, "validator v1's ledger has no b"},
		{"a validator kept the version before an acknowledged update", func(h *History) {
			h.Ledgers[0].Versions["a"] = 1
		}, RuleDurable, "has a at version 1, but version 2 was acknowledged"},
		{"no honest ledger was read", func(h *History) {
			h.Ledgers = nil
		}, RuleDurable, "no honest validator's ledger"},
		{"a record that never resolved from one region", func(h *History) {
			h.Ops[len(h.Ops)-1].OK = false
		}, RuleResolvable, "b (acknowledged) never resolved from region tokyo"},
		{"a resolve during the run does not count as final", func(h *History) {
			h.Ops[len(h.Ops)-2].Final = false
		}, RuleResolvable, "a (acknowledged) never resolved from region tokyo"},
		{"a client's query went back to version 1 after seeing 2", func(h *History) {
			h.Ops[7].Version = 1
		}, RuleMonotonic, "answered from version 1 after its query"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := goodHistory()
			c.doctor(h)
			v := CheckHistory(h)
			if len(v) != 1 || v[0].Rule != c.rule || !strings.Contains(v[0].What, c.says) {
				t.Fatalf("violations %v, want one %q saying %q", v, c.rule, c.says)
			}
		})
	}
}

// Queries whose intervals overlap are not ordered, so a client's
// concurrent queries may see versions in either order.
func TestCheckHistoryOrdersOnlyQueriesThatDoNotOverlap(t *testing.T) {
	h := goodHistory()
	h.Ops[7].Version, h.Ops[7].Start = 1, h.Ops[5].Start.Add(500*time.Millisecond)
	if v := CheckHistory(h); len(v) != 0 {
		t.Fatalf("overlapping queries were ordered: %v", v)
	}
}

package kademlia

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// TestTableScripts replays testdata/table/*.txt: what the routing table
// does with each contact it is shown, in the style of etcd-raft's
// interaction tests. IDs are written as hex prefixes of the 256-bit ID (the
// rest zero), so "80" is the ID whose first bit alone is set. Rewrite the
// expected output with -rewrite.
//
//	table self=ID [k=N] [siblings=N] [eta=N] [prefix=N] [bucket-subnet=N] [table-subnet=N] [failures=N]
//	observe id=ID addr=A [requested] [t=N]   what Observe did and whom to ping
//	failed id=ID                             a request to the contact failed
//	remove id=ID
//	closest target=ID n=N                    Closest, nearest first
//	responsible key=ID                       whether we are among the key's s closest
//	dump                                     siblings, then each non-empty bucket and its replacements
func TestTableScripts(t *testing.T) {
	datadriven.Walk(t, "testdata/table", func(t *testing.T, path string) {
		var tbl *Table
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "table" && tbl == nil {
				d.Fatalf(t, "%s before table", d.Cmd)
			}
			switch d.Cmd {
			case "table":
				cfg := TableConfig{Self: scriptID(t, d, "self")}
				scanOptionalInts(t, d, map[string]*int{"k": &cfg.K, "siblings": &cfg.Siblings, "eta": &cfg.Eta, "prefix": &cfg.ProtectedPrefix,
					"bucket-subnet": &cfg.BucketSubnetLimit, "table-subnet": &cfg.TableSubnetLimit, "failures": &cfg.MaxFailures})
				tbl = NewTable(cfg)
				c := tbl.Config()
				return fmt.Sprintf("k=%d siblings=%d·%d prefix=%d subnets ≤%d per bucket, ≤%d in all\n", c.K, c.Eta, c.Siblings, c.ProtectedPrefix, c.BucketSubnetLimit, c.TableSubnetLimit)
			case "observe":
				var addr string
				d.ScanArgs(t, "addr", &addr)
				ev, now := Responded, 0
				if d.HasArg("requested") {
					ev = Requested
				}
				d.MaybeScanArgs(t, "t", &now)
				c := Contact{ID: scriptID(t, d, "id"), Addr: addr}
				before := tbl.Contains(c.ID)
				ping := tbl.Observe(c, ev, Time(now))
				var out strings.Builder
				switch {
				case before:
					out.WriteString("refreshed")
				case tbl.Contains(c.ID):
					out.WriteString("added")
				default:
					out.WriteString("not added")
				}
				if len(ping) > 0 {
					out.WriteString("; ping " + contactList(ping))
				}
				return out.String() + "\n"
			case "failed":
				id := scriptID(t, d, "id")
				tbl.Failed(id)
				if tbl.Contains(id) {
					return "kept\n"
				}
				return "removed\n"
			case "remove":
				tbl.Remove(scriptID(t, d, "id"))
				return tableDump(tbl)
			case "closest":
				var n int
				d.ScanArgs(t, "n", &n)
				return contactList(tbl.Closest(scriptID(t, d, "target"), n)) + "\n"
			case "responsible":
				return fmt.Sprintln(tbl.Responsible(scriptID(t, d, "key")))
			case "dump":
				return tableDump(tbl)
			}
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		})
	})
}

// TestLookupScripts replays testdata/lookup/*.txt: a lookup's requests and
// paths as answers, failures and values arrive, without a network.
//
//	lookup target=ID seeds=(ID,ID…) [k=N] [alpha=N] [paths=N] [max=N] [siblings=N] [value]
//	next                               the requests to send now
//	nodes from=ID [contacts=(ID,ID…)]    an answer with contacts (addresses are made up)
//	value from=ID v=TEXT               a FIND_VALUE answer with a value
//	failure from=ID
//	state                              done, requests so far, each path's closest responders
//	closest n=N                        the closest nodes that answered
func TestLookupScripts(t *testing.T) {
	datadriven.Walk(t, "testdata/lookup", func(t *testing.T, path string) {
		var l *Lookup
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "lookup" && l == nil {
				d.Fatalf(t, "%s before lookup", d.Cmd)
			}
			switch d.Cmd {
			case "lookup":
				var cfg LookupConfig
				scanOptionalInts(t, d, map[string]*int{"k": &cfg.K, "alpha": &cfg.Alpha, "paths": &cfg.Paths, "max": &cfg.MaxPathRequests, "siblings": &cfg.Siblings})
				cfg.WantValue = d.HasArg("value")
				l = NewLookup(scriptID(t, d, "target"), scriptContacts(t, d, "seeds"), cfg)
				return fmt.Sprintf("%d paths\n", len(l.paths))
			case "next":
				reqs := l.Next()
				if len(reqs) == 0 {
					return "none\n"
				}
				var out strings.Builder
				for _, r := range reqs {
					fmt.Fprintf(&out, "path %d → %s\n", r.Path, shortID(r.To.ID))
				}
				return out.String()
			case "nodes":
				var cs []Contact
				if d.HasArg("contacts") {
					cs = scriptContacts(t, d, "contacts")
				}
				l.HandleNodes(scriptID(t, d, "from"), cs)
				return lookupState(l)
			case "value":
				var v string
				d.ScanArgs(t, "v", &v)
				l.HandleValue(scriptID(t, d, "from"), []byte(v))
				return lookupState(l)
			case "failure":
				l.HandleFailure(scriptID(t, d, "from"))
				return lookupState(l)
			case "state":
				return lookupState(l)
			case "closest":
				var n int
				d.ScanArgs(t, "n", &n)
				return contactList(l.Closest(n)) + "\n"
			}
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		})
	})
}

// scanOptionalInts reads each argument given into its field; the others
// keep their zero value (the config's default).
func scanOptionalInts(t *testing.T, d *datadriven.TestData, fields map[string]*int) {
	t.Helper()
	for key, field := range fields {
		if d.HasArg(key) {
			d.ScanArgs(t, key, field)
		}
	}
}

// scriptID reads the hex prefix in argument key as an ID.
func scriptID(t *testing.T, d *datadriven.TestData, key string) ID {
	t.Helper()
	var s string
	d.ScanArgs(t, key, &s)
	id, err := parsePrefix(s)
	if err != nil {
		d.Fatalf(t, "%s=%s: %v", key, s, err)
	}
	return id
}

func scriptContacts(t *testing.T, d *datadriven.TestData, key string) []Contact {
	t.Helper()
	var ids []string
	d.ScanArgs(t, key, &ids)
	var cs []Contact
	for i, s := range ids {
		id, err := parsePrefix(s)
		if err != nil {
			d.Fatalf(t, "%s: %v", key, err)
		}
		cs = append(cs, Contact{ID: id, Addr: fmt.Sprintf("10.%d.0.1:1", i)})
	}
	return cs
}

func parsePrefix(s string) (ID, error) {
	var id ID
	if len(s)%2 == 1 {
		s += "0"
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) > len(id) {
		return id, fmt.Errorf("want at most %d hex digits: %q", 2*len(id), s)
	}
	copy(id[:], b)
	return id, nil
}

// shortID prints an ID as its hex prefix up to the last non-zero byte.
func shortID(id ID) string {
	n := len(id)
	for n > 1 && id[n-1] == 0 {
		n--
	}
	return hex.EncodeToString(id[:n])
}

func contactList(cs []Contact) string {
	if len(cs) == 0 {
		return "(none)"
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = shortID(c.ID)
	}
	return strings.Join(out, " ")
}

func tableDump(t *Table) string {
	var out strings.Builder
	sib := make([]string, len(t.siblings))
	for i, e := range t.siblings {
		sib[i] = shortID(e.ID)
	}
	fmt.Fprintf(&out, "siblings: %s\n", strings.Join(sib, " "))
	for i := range t.buckets {
		bk := &t.buckets[i]
		if len(bk.entries) == 0 && len(bk.replacements) == 0 {
			continue
		}
		var es, rs []string
		for _, e := range bk.entries {
			es = append(es, fmt.Sprintf("%s@%s", shortID(e.ID), e.Addr))
		}
		for _, r := range bk.replacements {
			rs = append(rs, shortID(r.ID))
		}
		fmt.Fprintf(&out, "bucket %d: %s", i, strings.Join(es, " "))
		if len(rs) > 0 {
			fmt.Fprintf(&out, " (waiting: %s)", strings.Join(rs, " "))
		}
		out.WriteString("\n")
	}
	subnets := make([]string, 0, len(t.subnets))
	for s, n := range t.subnets {
		if n > 0 {
			subnets = append(subnets, fmt.Sprintf("%s=%d", s, n))
		}
	}
	slices.Sort(subnets)
	fmt.Fprintf(&out, "%d contacts; subnets %s\n", t.Len(), strings.Join(subnets, " "))
	return out.String()
}

func lookupState(l *Lookup) string {
	var out strings.Builder
	fmt.Fprintf(&out, "done=%v requests=%d\n", l.Done(), l.Requests())
	for pi := range l.paths {
		fmt.Fprintf(&out, "path %d: %s\n", pi, contactList(l.PathClosest(pi, l.cfg.K)))
	}
	return out.String()
}

package httpapi

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOpenAPIMatchesRoutes: the document describes exactly the endpoints
// the server routes.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var routed []string
	for _, r := range apiRoutes {
		method, path, _ := strings.Cut(r.pattern, " ")
		routed = append(routed, path)
		op, ok := doc.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s is routed but not in openapi.json", r.pattern)
			continue
		}
		if _, ok := op["responses"].(map[string]any)["200"]; !ok {
			t.Errorf("%s: no 200 response described", r.pattern)
		}
	}
	documented := slices.Sorted(maps.Keys(doc.Paths))
	slices.Sort(routed)
	if !slices.Equal(documented, routed) || doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %s documents %v, the server routes %v", doc.OpenAPI, documented, routed)
	}
}

func TestClientLimiterBoundsClients(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	l := newClientLimiter(1, 1)
	l.now = func() time.Time { return now }
	for i := range MaxClients {
		if ok, full := l.allow(string(rune(i)) + "client"); !ok || full {
			t.Fatalf("client %d refused", i)
		}
	}
	if ok, full := l.allow("one more"); ok || !full {
		t.Fatalf("a new client past MaxClients got (ok %v, full %v), want refused as full", ok, full)
	}
	if ok, _ := l.allow(string(rune(0)) + "client"); ok {
		t.Error("a known client's empty bucket let a request through")
	}
	now = now.Add(clientIdle + time.Second)
	if ok, full := l.allow("one more"); !ok || full {
		t.Fatalf("after the others idled: (ok %v, full %v), want a bucket", ok, full)
	}
	if len(l.clients) != 1 {
		t.Errorf("%d buckets kept, want only the new client's (the others idled)", len(l.clients))
	}
}

package httpapi_test

import (
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/internal/procstat"
)

// TestAPIFigures measures the API on the devnet: latency percentiles of the
// listing and of a dataset page, warm, after every new block, and
// revalidated with If-None-Match, with the process's CPU per request above
// its idle rate. It runs only with ENIGMA_API_FIGURES=<requests per case>
// (docs/BENCHMARKS.md, "HTTP API"); it prints FIGURE lines.
func TestAPIFigures(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("ENIGMA_API_FIGURES"))
	if err != nil || n <= 0 {
		t.Skip("set ENIGMA_API_FIGURES=<requests per case> to measure")
	}
	net := testNetwork(t)
	// The devnet's own background work (validators' ticks, catalog polls).
	idleStart, idleCPU := time.Now(), procstat.CPU()
	time.Sleep(2 * time.Second)
	idleRate := float64(procstat.CPU()-idleCPU) / float64(time.Since(idleStart))

	get := func(path, etag string) (time.Duration, string) {
		req, _ := http.NewRequest("GET", net.base+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{}
		if resp.StatusCode == http.StatusOK {
			if err := jsonDecode(resp, &body); err != nil {
				t.Fatal(err)
			}
		} else {
			resp.Body.Close()
		}
		took := time.Since(start)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return took, resp.Header.Get("ETag")
	}
	measure := func(name, path string, requests int, before func(), revalidate bool) {
		_, etag := get(path, "")
		if !revalidate {
			etag = ""
		}
		var lat []time.Duration
		wallStart, cpuStart := time.Now(), procstat.CPU()
		for range requests {
			if before != nil {
				before()
			}
			took, _ := get(path, etag)
			lat = append(lat, took)
		}
		wall := time.Since(wallStart)
		busy := float64(procstat.CPU()-cpuStart) - idleRate*float64(wall)
		slices.Sort(lat)
		pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		t.Logf("FIGURE %s: n=%d p50=%v p99=%v max=%v, CPU above idle ≈ %v per request (idle %.2f cores)",
			name, requests, pct(0.50), pct(0.99), lat[len(lat)-1], time.Duration(busy/float64(requests)), idleRate)
	}
	newBlock := func() { net.d.Chain.Commit() }
	listing, detail := "api/v1/datasets", "api/v1/datasets/"+net.encPath.String()
	measure("listing, warm", listing, n, nil, false)
	measure("listing, a new block before each", listing, max(1, n/10), newBlock, false)
	measure("listing, If-None-Match", listing, n, nil, true)
	measure("dataset page, warm", detail, n, nil, false)
	measure("dataset page, a new block before each", detail, max(1, n/10), newBlock, false)
	measure("search q=crypto&trial=true", listing+"?q=crypto&trial=true", n, nil, false)
}

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/enigma-mpc/enigma/node"
)

// TestAutoRenewServesItsProgress: 'subscriber renew --auto --metrics.addr'
// is a service one can watch: while the subscriber lacks the ENG, the
// renewal fails, is counted and retried, /healthz and /readyz say why; once
// funded it renews, and /metrics shows the renewal and when the next one is
// due; SIGTERM stops it cleanly.
func TestAutoRenewServesItsProgress(t *testing.T) {
	d := startDevChainCLI(t)
	prov, sub, bank := d.accts[1], d.accts[2], d.accts[3]
	path := prov + "/weather"
	d.run(t, 0, "provider", "register", "--yes", "--account", prov, "--price", "10", "--deposit", "150",
		"--metadata-hash", "0x"+strings.Repeat("ab", 32), "weather")
	d.run(t, 0, "subscriber", "subscribe", "--yes", "--account", sub, "--periods", "1", path)
	out, _ := d.run(t, 0, "account", "balance", "--format", "json", sub)
	eng := decodeJSON[balanceOut](t, "account balance", out).ENG.ENG
	d.run(t, 0, "account", "send", "--yes", "--account", sub, "--to", bank, "--amount", eng)

	// One 30-day period paid; with a 1000 h lead a renewal is due at once.
	cmd, stdout, stderr := startEnigma(t, d.env, "subscriber", "renew", "--auto", "--yes", "--account", sub, "--lead", "1000h", "--poll", "50ms",
		"--metrics.addr", "127.0.0.1:0", path)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-done
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := metricsLine.FindStringSubmatch(sc.Text()); m != nil {
				urls <- strings.TrimSuffix(m[1], "/metrics")
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("renew --auto exited: %v\n%s", err, stderr.String())
	case <-time.After(time.Minute):
		t.Fatalf("renew --auto printed no metrics address:\n%s", stderr.String())
	}
	metric := func(name, stage string) float64 {
		t.Helper()
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		f := families[name]
		if f == nil {
			return -1
		}
		for _, m := range f.GetMetric() {
			if stage == "" || labelValue(m, "stage") == stage {
				if labelValue(m, "dataset") != path {
					t.Errorf("%s carries dataset %q, want %s", name, labelValue(m, "dataset"), path)
				}
				return m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
		}
		return -1
	}
	readyz := func() (int, node.Readiness) {
		t.Helper()
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r node.Readiness
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, r
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within a minute\n%s", what, stderr.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	waitFor("a failed renewal counted", func() bool { return metric("enigma_renew_failures_total", "renew") >= 2 })
	if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz while renewals fail: %v %v", resp, err)
	}
	if code, r := readyz(); code != http.StatusServiceUnavailable || r.Ready || !strings.Contains(r.Reason, "renew") || !strings.Contains(r.Reason, "ENG") {
		t.Errorf("/readyz while renewals fail: %d %+v", code, r)
	}
	if n := metric("enigma_renew_renewals_total", ""); n != 0 {
		t.Fatalf("renewed %v times without the ENG", n)
	}

	// Funded again, the next poll renews.
	d.run(t, 0, "account", "send", "--yes", "--account", bank, "--to", sub, "--amount", "100")
	waitFor("the renewal", func() bool { return metric("enigma_renew_renewals_total", "") == 1 })
	// The gauges follow at the poll that reads the new expiry, one after
	// the other: wait until both show it.
	var expiry, next float64
	waitFor("the renewed expiry and next renewal", func() bool {
		expiry, next = metric("enigma_renew_subscription_expiry_timestamp_seconds", ""), metric("enigma_renew_next_renewal_timestamp_seconds", "")
		return next == expiry-1000*3600 && !time.Unix(int64(expiry), 0).Before(time.Now().Add(50*24*time.Hour))
	})
	waitFor("healthy again", func() bool {
		code, r := readyz()
		return code == http.StatusOK && r.Roles["renew"].Ready && r.Roles["renew"].Progress["renewals"] == 1
	})
	if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz after the renewal: %v %v", resp, err)
	}

	cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-done:
		done <- err
		if err != nil {
			t.Errorf("renew --auto after SIGINT: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("renew --auto did not stop on SIGINT")
	}
	if !strings.Contains(stderr.String(), "next_renewal=") {
		t.Errorf("the log does not say when the next renewal is due:\n%s", stderr.String())
	}
}

func labelValue(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

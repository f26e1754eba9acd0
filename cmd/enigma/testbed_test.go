package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/enigma-mpc/enigma/internal/testbed"
)

// tinyManifest is four validators in two regions 40 ms apart (the view-0
// primary and one backup with the client in one, two backups in the
// other), the second region cut off from 1 s to 2 s into the run.
const tinyManifest = `
[[region]]
name = "a"
[[region]]
name = "b"
[[link]]
between = ["a", "b"]
rtt = "40ms"
jitter = "1ms"
[[node]]
name = "v0"
region = "a"
role = "validator"
[[node]]
name = "v1"
region = "a"
role = "validator"
[[node]]
name = "v2"
region = "b"
role = "validator"
[[node]]
name = "v3"
region = "b"
role = "validator"
[[node]]
name = "client"
region = "a"
role = "client"
[[perturbation]]
cut = "b"
at = "1s"
heal = "2s"
`

// requireTestbed skips the test where the machine cannot run a testbed,
// except in CI, which runs as root and installs iproute2.
func requireTestbed(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds network namespaces and starts validator processes")
	}
	if err := testbed.Available(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must be able to run the testbed: %v", err)
		}
		t.Skipf("skipping the testbed test: %v", err)
	}
}

// openTestbed opens the testbed m describes, logging to logs; where the
// machine refuses namespaces or TUN devices after all (Available cannot
// foresee every sandbox) it skips like requireTestbed.
func openTestbed(t *testing.T, m *testbed.Manifest, logs io.Writer) *testbed.Testbed {
	t.Helper()
	tb, err := testbed.Open(m, slog.New(slog.NewTextHandler(logs, nil)))
	if errors.Is(err, testbed.ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skipf("skipping the testbed test: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// The testbed runs four validator processes, each in its own namespace,
// across emulated 40 ms links; requests commit, the cut region's packets
// are dropped while it is cut, and Close leaves no namespace and no
// process behind.
func TestTestbedCommitsAcrossEmulatedLinksAndCleansUp(t *testing.T) {
	requireTestbed(t)
	t.Setenv("ENIGMA_TEST_MAIN", "1") // the processes it starts are this test binary as enigma
	t.Setenv("TMPDIR", t.TempDir())
	m, err := testbed.ParseManifest([]byte(tinyManifest))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	tb := openTestbed(t, m, &logs)
	defer tb.Close()
	var stderr bytes.Buffer
	res, err := tb.RunConsensus(t.Context(), testbed.ConsensusRun{Exe: os.Args[0], Clients: 4, Batch: 16, Duration: 4 * time.Second, Stderr: &stderr})
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if res.Report.Committed == 0 || len(res.Report.Timeline) == 0 {
		t.Fatalf("no request committed across the testbed: %+v\n%s", res.Report, stderr.String())
	}
	if len(res.Events) != 2 || len(res.Events[0].Cut) != 1 || res.Events[0].Cut[0] != "b" || len(res.Events[1].Cut) != 0 {
		t.Fatalf("events %+v, want region b cut and then healed", res.Events)
	}
	if res.Emulator.Delivered == 0 || res.Emulator.Cut == 0 {
		t.Fatalf("emulator %+v: want packets delivered, and packets dropped at the cut", res.Emulator)
	}
	t.Logf("FIGURE testbed 4 validators, 40 ms RTT between two regions, 4 clients: %d committed, p50 %.1f ms, p99 %.1f ms, view changes %v",
		res.Report.Committed, res.Report.P50Ms, res.Report.P99Ms, res.Report.ViewChanges)

	// A process still running in a namespace when the testbed closes is
	// ended by Close.
	lingering, err := tb.Command(t.Context(), "v1", "sleep", "300")
	if err != nil {
		t.Fatal(err)
	}
	if err := lingering.Start(); err != nil {
		t.Fatal(err)
	}
	defer lingering.Wait()
	running, err := testbed.Processes(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Close(); err != nil {
		t.Fatalf("close: %v\n%s", err, logs.String())
	}
	assertRemoved(t, os.Getpid(), running)
}

// Interrupted in the middle of its run, `enigma testbed consensus` removes
// its namespaces and ends every process it started in them.
func TestTestbedCommandCleansUpOnInterrupt(t *testing.T) {
	requireTestbed(t)
	manifest := filepath.Join(t.TempDir(), "tiny.toml")
	if err := os.WriteFile(manifest, []byte(tinyManifest), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "testbed", "consensus", "--manifest", manifest, "--clients", "2", "--duration", "60s")
	cmd.Env = append(os.Environ(), "ENIGMA_TEST_MAIN=1", "TMPDIR="+t.TempDir())
	running := interruptWhenRunning(t, cmd, "measuring from", 5)
	if err := cmd.Wait(); err == nil {
		t.Fatal("an interrupted testbed run exited 0")
	}
	assertRemoved(t, cmd.Process.Pid, running)
}

// interruptWhenRunning starts cmd, waits until its stderr shows marker,
// checks that its testbed runs namespaces namespaces, and interrupts it.
// It returns the processes running in each namespace; stderr is drained
// from then on, so the process never blocks on a full pipe.
func interruptWhenRunning(t *testing.T, cmd *exec.Cmd, marker string, namespaces int) map[string][]int {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen strings.Builder
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		fmt.Fprintln(&seen, lines.Text())
		if strings.Contains(lines.Text(), marker) {
			break
		}
	}
	running, err := testbed.Processes(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(running) != namespaces {
		t.Fatalf("the testbed runs %d namespaces, want %d\n%s", len(running), namespaces, seen.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	go func() {
		for lines.Scan() {
		}
	}()
	return running
}

// assertRemoved checks that the testbed of process owner left no
// namespace, and that every process it ran (running, by namespace) ends.
func assertRemoved(t *testing.T, owner int, running map[string][]int) {
	t.Helper()
	left, err := testbed.Namespaces(owner)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Fatalf("namespaces left behind: %v", left)
	}
	count := 0
	for ns, pids := range running {
		for _, pid := range pids {
			count++
			deadline := time.Now().Add(30 * time.Second)
			for alive(pid) {
				if time.Now().After(deadline) {
					t.Fatalf("process %d of namespace %s still runs", pid, ns)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}
	if count == 0 {
		t.Fatal("the testbed ran no process to check")
	}
}

// alive says whether pid is a process that has not exited (a zombie
// waiting for its parent has).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

// The whole marketplace across emulated links (scripts/testbed/story.toml:
// four validators in three regions 40–90 ms apart, a subscriber in a
// fourth region 120 ms away, 1–3% loss, Virginia cut off and healed, a
// validator killed and started again, a link throttled): the chain, every
// node and every CLI client in a namespace of its own. The
// provider's writes are acknowledged, a subscriber in every region gets
// answers, the history checker finds no violation, and nothing is left
// behind.
func TestTestbedStoryAcrossRegions(t *testing.T) {
	requireTestbed(t)
	t.Setenv("ENIGMA_TEST_MAIN", "1") // the processes it starts are this test binary as enigma
	t.Setenv("TMPDIR", t.TempDir())
	m, err := testbed.LoadManifest(filepath.Join("..", "..", "scripts", "testbed", "story.toml"))
	if err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples", "crypto-daily"))
	if err != nil {
		t.Fatal(err)
	}
	var logs, progress bytes.Buffer
	tb := openTestbed(t, m, &logs)
	defer tb.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	res, err := tb.RunStory(ctx, testbed.StoryRun{Exe: os.Args[0], Dir: dir, Examples: examples, Duration: 30 * time.Second, Progress: &progress})
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, progress.String(), nodeLogs(dir))
	}
	var out strings.Builder
	printStoryResult(&out, m, res)
	t.Logf("FIGURE testbed story (scripts/testbed/story.toml, 30 s workload):\n%s%s", progress.String(), out.String())
	if len(res.Violations) > 0 {
		t.Fatalf("the history checker found violations:\n%s\n%s", out.String(), nodeLogs(dir))
	}
	kinds := map[testbed.OpKind]int{}
	for _, op := range res.Writes {
		kinds[op.Kind]++
	}
	if kinds[testbed.OpRegister] < 1 || kinds[testbed.OpUpdate] != 1 {
		t.Fatalf("acknowledged writes %v: want the registration and the update", kinds)
	}
	for _, region := range []string{"london", "virginia", "sydney"} {
		if !slices.ContainsFunc(res.History.Ops, func(op testbed.Op) bool {
			return op.Kind == testbed.OpQuery && op.Final && op.OK && op.Region == region
		}) {
			t.Errorf("no query from %s was answered after the run", region)
		}
	}
	var cut, killed, throttled bool
	for _, e := range res.Events {
		cut, killed, throttled = cut || slices.Equal(e.Cut, []string{"virginia"}), killed || slices.Equal(e.Killed, []string{"v2"}), throttled || len(e.Throttled) == 1
	}
	if last := res.Events[len(res.Events)-1]; len(res.Events) != 6 || !cut || !killed || !throttled || last.What() != (testbed.Event{}).What() {
		t.Fatalf("events %+v: want Virginia cut, v2 killed and the Paris–Sydney link throttled, each healed", res.Events)
	}
	if len(res.History.Ledgers) != 4 || res.Emulator.Cut == 0 || res.Emulator.Lost == 0 {
		t.Fatalf("ledgers %d, emulator %+v: want 4 ledgers read, packets dropped at the cut and lost", len(res.History.Ledgers), res.Emulator)
	}
	// The story stopped its processes; one still running when the
	// testbed closes is ended by Close.
	lingering, err := tb.Command(t.Context(), "subs", "sleep", "300")
	if err != nil {
		t.Fatal(err)
	}
	if err := lingering.Start(); err != nil {
		t.Fatal(err)
	}
	defer lingering.Wait()
	running, err := testbed.Processes(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Close(); err != nil {
		t.Fatalf("close: %v\n%s", err, logs.String())
	}
	assertRemoved(t, os.Getpid(), running)
}

// nodeLogs is the end of every process log a story left in dir, for a
// failure's message.
func nodeLogs(dir string) string {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	var b strings.Builder
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		if len(data) > 2000 {
			data = data[len(data)-2000:]
		}
		fmt.Fprintf(&b, "== %s\n%s\n", filepath.Base(p), data)
	}
	return b.String()
}

// Interrupted in its workload, `enigma testbed story` ends at once and
// removes its namespaces, every process it started in them and its data
// directories.
func TestTestbedStoryCommandCleansUpOnInterrupt(t *testing.T) {
	requireTestbed(t)
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "testbed", "story", "--manifest", filepath.Join("..", "..", "scripts", "testbed", "story.toml"),
		"--examples", filepath.Join("..", "..", "examples", "crypto-daily"), "--duration", "30s")
	cmd.Env = append(os.Environ(), "ENIGMA_TEST_MAIN=1", "TMPDIR="+tmp)
	running := interruptWhenRunning(t, cmd, "testbed story: workload for", 13)
	interrupted := time.Now()
	if err := cmd.Wait(); err == nil {
		t.Fatal("an interrupted story exited 0")
	}
	if took := time.Since(interrupted); took > 45*time.Second {
		t.Errorf("the interrupted story took %s to end", took)
	}
	assertRemoved(t, cmd.Process.Pid, running)
	if left, _ := filepath.Glob(filepath.Join(tmp, "enigma-testbed-*")); len(left) > 0 {
		t.Fatalf("data directories left behind: %v", left)
	}
}

// TestTestbedFiguresAgainstN measures consensus across the three regions
// of scripts/testbed/wan7.toml with 4, 7 and 10 validators and writes
// <base>.csv and <base>.png. It runs only when asked, as root:
//
//	ENIGMA_TESTBED_N_FIGURES=$PWD/docs/results/testbed-consensus-n go test ./cmd/enigma -run TestTestbedFiguresAgainstN -v
func TestTestbedFiguresAgainstN(t *testing.T) {
	base := os.Getenv("ENIGMA_TESTBED_N_FIGURES")
	if base == "" {
		t.Skip("set ENIGMA_TESTBED_N_FIGURES=<results base path> to measure (about 2 min, as root)")
	}
	requireTestbed(t)
	t.Setenv("ENIGMA_TEST_MAIN", "1")
	t.Setenv("TMPDIR", t.TempDir())
	var points []testbed.NPoint
	for _, name := range []string{"wan-n4.toml", "wan7.toml", "wan-n10.toml"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "scripts", "testbed", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := testbed.ParseManifest(raw)
		if err != nil {
			t.Fatal(err)
		}
		var logs, stderr bytes.Buffer
		tb := openTestbed(t, m, &logs)
		res, err := tb.RunConsensus(t.Context(), testbed.ConsensusRun{Exe: os.Args[0], Clients: 16, Batch: 64, Duration: 20 * time.Second, Stderr: &stderr})
		tb.Close()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr.String())
		}
		p := testbed.NPointOf(res)
		t.Logf("FIGURE %s: n = %d, %.0f ops/s, p50 %s, p99 %s, views entered %d, load %s", name, p.N, p.OpsPerSec, p.P50, p.P99, p.ViewsEntered, p.Load)
		points = append(points, p)
	}
	if err := testbed.WriteNCSV(base+".csv", points); err != nil {
		t.Fatal(err)
	}
	if err := testbed.PlotAgainstNPNG(base+".png", "PBFT across Europe, Virginia (80 ms) and Tokyo (220 ms): commit latency against n, 16 clients", points); err != nil {
		t.Fatal(err)
	}
}

package testbed

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/enigma-mpc/enigma/node"
)

// ConsensusRun shapes a PBFT benchmark across the testbed: `enigma bench
// consensus` runs in the client node's namespace, each of its replica
// processes in a validator node's namespace.
type ConsensusRun struct {
	Exe      string // the enigma program
	Clients  int
	Batch    int
	Duration time.Duration
	// Stderr receives the benchmark's messages (its replicas' warnings).
	Stderr io.Writer
}

// Event is a change of the cut regions or paused nodes during a run, at
// Offset from the start of the measured run.
type Event struct {
	Offset time.Duration `json:"offset_ns"`
	Cut    []string      `json:"cut"`    // the regions cut off from then on
	Paused []string      `json:"paused"` // the nodes paused from then on
}

// ConsensusResult is the benchmark's report with what the testbed did.
type ConsensusResult struct {
	Report   node.ConsensusBenchReport `json:"report"`
	Events   []Event                   `json:"events"`
	Emulator EmulatorStats             `json:"emulator"`
}

// startupBound is the most the benchmark may spend before and after its
// measured run (starting processes, QUIC handshakes across the links, the
// warm-up command, stopping).
const startupBound = 2 * time.Minute

// RunConsensus runs the benchmark with the manifest's validators and its
// one client, applies the manifest's perturbations (timed from the start
// of the measured run), and returns the report.
func (tb *Testbed) RunConsensus(ctx context.Context, r ConsensusRun) (*ConsensusResult, error) {
	validators, clients := tb.manifest.NodesWithRole(RoleValidator), tb.manifest.NodesWithRole(RoleClient)
	if len(validators) < 4 || len(clients) != 1 {
		return nil, fmt.Errorf("the consensus workload needs at least 4 validators and exactly one client; the manifest has %d and %d", len(validators), len(clients))
	}
	client := tb.places[clients[0].Name]
	args := []string{"bench", "consensus", "--json", "--replicas", strconv.Itoa(len(validators)),
		"--clients", strconv.Itoa(r.Clients), "--batch", strconv.Itoa(r.Batch), "--duration", r.Duration.String(),
		"--listen", client.Addr.String()}
	for _, v := range validators {
		p := tb.places[v.Name]
		args = append(args, "--replica-at", p.Netns+"/"+p.Addr.String())
	}
	ctx, cancel := context.WithTimeout(ctx, r.Duration+startupBound)
	defer cancel()
	cmd, err := tb.Command(ctx, clients[0].Name, r.Exe, args...)
	if err != nil {
		return nil, err
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the benchmark in %s: %w", client.Netns, err)
	}
	var events []Event
	started := false
	var perturbing sync.WaitGroup
	perturbCtx, stopPerturbing := context.WithCancel(ctx)
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		line := lines.Text()
		if r.Stderr != nil {
			fmt.Fprintln(r.Stderr, line)
		}
		if start, ok := measuringStart(line); ok && !started {
			started = true
			perturbing.Add(1)
			go func() {
				defer perturbing.Done()
				events = tb.perturb(perturbCtx, start)
			}()
		}
	}
	waitErr := cmd.Wait()
	stopPerturbing()
	perturbing.Wait()
	tb.SetCut() // heal whatever is still cut (paused nodes were resumed)
	if waitErr != nil {
		return nil, fmt.Errorf("the benchmark failed (its messages are above): %w", waitErr)
	}
	res := &ConsensusResult{Events: events, Emulator: tb.Stats()}
	if err := json.Unmarshal(stdout.Bytes(), &res.Report); err != nil {
		return nil, fmt.Errorf("the benchmark's report %q: %w", stdout.String(), err)
	}
	return res, nil
}

// measuringStart reads the benchmark's "measuring from <unix ms>" line.
func measuringStart(line string) (time.Time, bool) {
	_, rest, ok := strings.Cut(line, "measuring from ")
	if !ok {
		return time.Time{}, false
	}
	ms, err := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(ms), true
}

// perturb applies the manifest's cuts and pauses and their heals at their
// offsets from start until ctx ends (then it resumes what it paused), and
// returns what it did when.
func (tb *Testbed) perturb(ctx context.Context, start time.Time) []Event {
	var offsets []time.Duration
	for _, p := range tb.manifest.Perturbations {
		offsets = append(offsets, p.At.Duration, p.Heal.Duration)
	}
	slices.Sort(offsets)
	offsets = slices.Compact(offsets)
	var events []Event
	var paused []string
	defer func() {
		for _, n := range paused {
			tb.signalNode(n, syscall.SIGCONT)
		}
	}()
	for _, off := range offsets {
		select {
		case <-time.After(time.Until(start.Add(off))):
		case <-ctx.Done():
			return events
		}
		var cut, pause []string
		for _, p := range tb.manifest.Perturbations {
			if p.At.Duration <= off && off < p.Heal.Duration {
				if p.Cut != "" && !slices.Contains(cut, p.Cut) {
					cut = append(cut, p.Cut)
				}
				if p.Pause != "" && !slices.Contains(pause, p.Pause) {
					pause = append(pause, p.Pause)
				}
			}
		}
		tb.SetCut(cut...)
		for _, n := range pause {
			if !slices.Contains(paused, n) {
				tb.signalNode(n, syscall.SIGSTOP)
			}
		}
		for _, n := range paused {
			if !slices.Contains(pause, n) {
				tb.signalNode(n, syscall.SIGCONT)
			}
		}
		paused = pause
		events = append(events, Event{Offset: time.Since(start), Cut: cut, Paused: pause})
	}
	return events
}

// signalNode sends sig to every process in node's namespace.
func (tb *Testbed) signalNode(node string, sig syscall.Signal) {
	pids, err := processesIn(tb.places[node].Netns)
	if err != nil {
		tb.log.Warn("testbed: cannot list the node's processes", "node", node, "err", err)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, sig); err != nil {
			tb.log.Warn("testbed: cannot signal a node's process", "node", node, "pid", pid, "signal", sig, "err", err)
		}
	}
	tb.log.Info("testbed: node signalled", "node", node, "signal", sig, "processes", len(pids))
}

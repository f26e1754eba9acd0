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
	Offset    time.Duration `json:"offset_ns"`
	Cut       []string      `json:"cut"`       // the regions cut off from then on
	Paused    []string      `json:"paused"`    // the nodes paused from then on
	Killed    []string      `json:"killed"`    // the nodes killed, not yet started again
	Throttled []string      `json:"throttled"` // the links throttled, with their rates
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
	for _, p := range tb.manifest.Perturbations {
		if p.Kill != "" {
			return nil, fmt.Errorf("the consensus workload cannot start a killed replica again (its benchmark owns the replicas): the %s is for `enigma testbed story`", p.What())
		}
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

// perturb applies the manifest's perturbations and their heals at their
// offsets from start until ctx ends (then it resumes what it paused and
// lifts its throttles), and returns what it did when. A killed node is
// started again at its heal by tb.restart.
func (tb *Testbed) perturb(ctx context.Context, start time.Time) []Event {
	var offsets []time.Duration
	for _, p := range tb.manifest.Perturbations {
		offsets = append(offsets, p.At.Duration, p.Heal.Duration)
	}
	slices.Sort(offsets)
	offsets = slices.Compact(offsets)
	var events []Event
	var paused, killed []string
	throttled := map[[2]string]int64{}
	var restarting sync.WaitGroup
	defer restarting.Wait()
	defer func() {
		for _, n := range paused {
			tb.signalNode(n, syscall.SIGCONT)
		}
		for link := range throttled {
			tb.emu.setThrottle(link[0], link[1], 0)
		}
		for _, n := range killed {
			tb.restartNode(n)
		}
	}()
	for _, off := range offsets {
		select {
		case <-time.After(time.Until(start.Add(off))):
		case <-ctx.Done():
			return events
		}
		var cut, pause, kill []string
		throttle := map[[2]string]int64{}
		for _, p := range tb.manifest.Perturbations {
			if p.At.Duration <= off && off < p.Heal.Duration {
				if p.Cut != "" && !slices.Contains(cut, p.Cut) {
					cut = append(cut, p.Cut)
				}
				if p.Pause != "" && !slices.Contains(pause, p.Pause) {
					pause = append(pause, p.Pause)
				}
				if p.Kill != "" && !slices.Contains(kill, p.Kill) {
					kill = append(kill, p.Kill)
				}
				if p.Throttle != [2]string{} {
					throttle[p.Throttle] = p.RateKbit * 1000
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
		for _, n := range kill {
			if !slices.Contains(killed, n) {
				tb.signalNode(n, syscall.SIGKILL)
			}
		}
		for _, n := range killed {
			if !slices.Contains(kill, n) {
				// Starting a node takes seconds; the schedule goes on.
				restarting.Add(1)
				go func() { defer restarting.Done(); tb.restartNode(n) }()
			}
		}
		killed = kill
		var links []string
		for link, bits := range throttled {
			if _, still := throttle[link]; !still {
				tb.emu.setThrottle(link[0], link[1], 0)
			} else if throttle[link] != bits {
				tb.emu.setThrottle(link[0], link[1], throttle[link])
			}
		}
		for link, bits := range throttle {
			if _, already := throttled[link]; !already {
				tb.emu.setThrottle(link[0], link[1], bits)
			}
			links = append(links, fmt.Sprintf("%s–%s at %d kbit/s", link[0], link[1], bits/1000))
		}
		slices.Sort(links)
		throttled = throttle
		events = append(events, Event{Offset: time.Since(start), Cut: cut, Paused: pause, Killed: kill, Throttled: links})
	}
	return events
}

// What says what the event left in force, for reports.
func (e Event) What() string {
	var parts []string
	for _, p := range []struct {
		what  string
		nodes []string
	}{{"cut off", e.Cut}, {"paused", e.Paused}, {"killed", e.Killed}, {"throttled", e.Throttled}} {
		if len(p.nodes) > 0 {
			parts = append(parts, fmt.Sprintf("%s: [%s]", p.what, strings.Join(p.nodes, ", ")))
		}
	}
	if len(parts) == 0 {
		return "healed: nothing cut, paused, killed or throttled"
	}
	return strings.Join(parts, ", ")
}

// restartNode starts a killed node's process again with tb.restart (set
// by the workload that can: the marketplace story).
func (tb *Testbed) restartNode(node string) {
	if tb.restart == nil {
		tb.log.Warn("testbed: this workload cannot restart a killed node", "node", node)
		return
	}
	if err := tb.restart(node); err != nil {
		tb.log.Warn("testbed: the killed node did not start again", "node", node, "err", err)
		return
	}
	tb.log.Info("testbed: killed node started again", "node", node)
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

package testbed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"sync"
)

// Testbed is a running set of namespaces joined by the link emulator.
type Testbed struct {
	manifest *Manifest
	prefix   string // of every namespace this testbed made
	places   map[string]Place
	devs     []*os.File
	emu      *emulator
	stop     context.CancelFunc
	log      *slog.Logger
	// restart starts a killed node's process again (nil: the workload
	// cannot).
	restart func(node string) error

	mu         sync.Mutex
	namespaces []string // made so far, removed by Close
	closed     bool
}

// Place is where a node runs: its namespace, address and region.
type Place struct {
	Netns  string
	Addr   netip.Addr
	Region string
}

// nodeAddr is the address of the manifest's i-th node.
func nodeAddr(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 77, 0, byte(i + 2)}) }

// Open builds the testbed m describes: a namespace per node with its TUN
// link, and the emulator between them. It first removes what earlier
// testbeds left behind when they were killed. On error it removes what it
// made. The caller must Close it.
func Open(m *Manifest, log *slog.Logger) (tb *Testbed, err error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if stale, err := removeStale(); err != nil {
		return nil, fmt.Errorf("remove the namespaces of a testbed that died: %w", err)
	} else if len(stale) > 0 {
		log.Warn("removed the namespaces of a testbed that died", "namespaces", stale)
	}
	tb = &Testbed{manifest: m, prefix: fmt.Sprintf("etb%d-", os.Getpid()), places: make(map[string]Place), log: log}
	defer func() {
		if err != nil {
			err = errors.Join(err, tb.Close())
			tb = nil
		}
	}()
	var ports []port
	for i, n := range m.Nodes {
		ns := tb.prefix + n.Name
		if err := addNamespace(ns); err != nil {
			return nil, err
		}
		tb.mu.Lock()
		tb.namespaces = append(tb.namespaces, ns)
		tb.mu.Unlock()
		addr := nodeAddr(i)
		dev, err := openTUN(ns, addr)
		if err != nil {
			return nil, err
		}
		tb.devs = append(tb.devs, dev)
		tb.places[n.Name] = Place{Netns: ns, Addr: addr, Region: n.Region}
		ports = append(ports, port{addr: addr, region: n.Region, dev: dev})
	}
	ctx, cancel := context.WithCancel(context.Background())
	tb.stop = cancel
	tb.emu = newEmulator(m, ports)
	tb.emu.run(ctx)
	log.Info("testbed up", "nodes", len(m.Nodes), "regions", len(m.Regions), "namespaces", tb.prefix+"*")
	return tb, nil
}

// Place says where node name runs.
func (tb *Testbed) Place(name string) (Place, bool) {
	p, ok := tb.places[name]
	return p, ok
}

// Command runs name with args inside node's namespace. The process is
// killed if this process dies, and by Close if it still runs.
func (tb *Testbed) Command(ctx context.Context, node, name string, args ...string) (*exec.Cmd, error) {
	p, ok := tb.places[node]
	if !ok {
		return nil, fmt.Errorf("no node %q in the manifest", node)
	}
	return nodeCommand(ctx, p.Netns, name, args...), nil
}

// SetCut cuts the named regions off from every other region (packets
// between two nodes of one cut region still flow); none heals them all.
func (tb *Testbed) SetCut(regions ...string) {
	set := make(map[string]bool)
	for _, r := range regions {
		set[r] = true
	}
	tb.emu.setCut(set)
	tb.log.Info("testbed: regions cut off", "regions", regions)
}

// Stats is what the emulator did so far.
func (tb *Testbed) Stats() EmulatorStats { return tb.emu.stats() }

// Close kills every process in the testbed's namespaces, deletes them with
// their links and stops the emulator. It is safe to call more than once.
func (tb *Testbed) Close() error {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.closed {
		return nil
	}
	tb.closed = true
	var errs []error
	for _, ns := range tb.namespaces {
		if err := removeNamespace(ns); err != nil {
			errs = append(errs, err)
		}
	}
	if tb.stop != nil {
		tb.stop()
	}
	for _, d := range tb.devs {
		d.Close()
	}
	if tb.emu != nil {
		tb.emu.wg.Wait()
	}
	return errors.Join(errs...)
}

// Namespaces lists the namespaces the testbed of process owner made that
// still exist (none after its Close).
func Namespaces(owner int) ([]string, error) { return namespacesOf(owner) }

// Processes lists the processes running in the namespaces the testbed of
// process owner made, by namespace.
func Processes(owner int) (map[string][]int, error) {
	all, err := namespacesOf(owner)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]int)
	for _, ns := range all {
		pids, err := processesIn(ns)
		if err != nil {
			return nil, err
		}
		out[ns] = pids
	}
	return out, nil
}

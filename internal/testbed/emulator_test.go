package testbed

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"
)

// memDev is a TUN device in memory: the test writes what the node sends
// to sent and reads what the emulator delivers from got.
type memDev struct {
	sent, got chan []byte
	closed    chan struct{}
}

func newMemDev() *memDev {
	return &memDev{sent: make(chan []byte, 16), got: make(chan []byte, 16), closed: make(chan struct{})}
}

func (d *memDev) Read(b []byte) (int, error) {
	select {
	case p := <-d.sent:
		return copy(b, p), nil
	case <-d.closed:
		return 0, errors.New("closed")
	}
}

func (d *memDev) Write(b []byte) (int, error) {
	d.got <- append([]byte(nil), b...)
	return len(b), nil
}

func (d *memDev) Close() error { close(d.closed); return nil }

// ipv4 is a minimal IPv4 header from src to dst with one payload byte.
func ipv4(src, dst netip.Addr, payload byte) []byte {
	b := make([]byte, 21)
	b[0] = 0x45
	s, d := src.As4(), dst.As4()
	copy(b[12:16], s[:])
	copy(b[16:20], d[:])
	b[20] = payload
	return b
}

func startEmulator(t *testing.T, manifest string) (*emulator, []*memDev) {
	t.Helper()
	m, err := ParseManifest([]byte(manifest))
	if err != nil {
		t.Fatal(err)
	}
	var ports []port
	var devs []*memDev
	for i, n := range m.Nodes {
		d := newMemDev()
		devs = append(devs, d)
		ports = append(ports, port{addr: nodeAddr(i), region: n.Region, dev: d})
	}
	e := newEmulator(m, ports)
	ctx, cancel := context.WithCancel(context.Background())
	e.run(ctx)
	t.Cleanup(func() {
		cancel()
		for _, d := range devs {
			d.Close()
		}
		e.wg.Wait()
	})
	return e, devs
}

func waitStat(t *testing.T, e *emulator, what string, get func(EmulatorStats) uint64, want uint64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); get(e.stats()) != want; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d, want %d (%+v)", what, get(e.stats()), want, e.stats())
		}
	}
}

// Packets cross a link no sooner than half its RTT, in the order sent;
// while a region is cut, packets across its border are dropped, and after
// the heal they flow again.
func TestEmulatorDelaysInOrderAndCutsRegions(t *testing.T) {
	e, devs := startEmulator(t, `
[[region]]
name = "eu"
[[region]]
name = "au"
[[link]]
between = ["eu", "au"]
rtt = "60ms"
jitter = "20ms"
[[node]]
name = "a"
region = "eu"
role = "validator"
[[node]]
name = "b"
region = "au"
role = "validator"
`)
	from, to := nodeAddr(0), nodeAddr(1)
	sent := time.Now()
	for i := range byte(5) {
		devs[0].sent <- ipv4(from, to, i)
	}
	for i := range byte(5) {
		p := <-devs[1].got
		if p[20] != i {
			t.Fatalf("packet %d arrived as number %d: reordered", p[20], i)
		}
	}
	if took := time.Since(sent); took < 30*time.Millisecond {
		t.Fatalf("five packets crossed a 60 ms RTT link in %s, under its one-way delay", took)
	}

	e.setCut(map[string]bool{"au": true})
	devs[1].sent <- ipv4(to, from, 9)
	waitStat(t, e, "packets dropped at the cut", func(s EmulatorStats) uint64 { return s.Cut }, 1)
	e.setCut(nil)
	devs[1].sent <- ipv4(to, from, 10)
	if p := <-devs[0].got; p[20] != 10 {
		t.Fatalf("after the heal got packet %d, want 10 (9 was sent during the cut)", p[20])
	}
	devs[0].sent <- []byte{0x60, 0, 0, 0} // IPv6: not routed
	waitStat(t, e, "unroutable packets", func(s EmulatorStats) uint64 { return s.Unroutable }, 1)
	if s := e.stats(); s.Delivered != 6 || s.Lost != 0 {
		t.Fatalf("stats %+v, want 6 delivered and none lost", s)
	}
}

// A link with 100% loss delivers nothing and counts every packet lost.
func TestEmulatorLosesPacketsAtTheLinkRate(t *testing.T) {
	e, devs := startEmulator(t, `
[[region]]
name = "eu"
[[node]]
name = "a"
region = "eu"
role = "validator"
[[node]]
name = "b"
region = "eu"
role = "validator"
[[link]]
between = ["eu", "eu"]
loss_percent = 100
`)
	for i := range byte(3) {
		devs[0].sent <- ipv4(nodeAddr(0), nodeAddr(1), i)
	}
	waitStat(t, e, "packets lost", func(s EmulatorStats) uint64 { return s.Lost }, 3)
	if s := e.stats(); s.Delivered != 0 {
		t.Fatalf("stats %+v: a link losing everything delivered", s)
	}
}

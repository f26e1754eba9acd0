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

// reverse_loss_percent drops packets in one direction only.
func TestEmulatorLossDiffersByDirection(t *testing.T) {
	e, devs := startEmulator(t, `
[[region]]
name = "eu"
[[region]]
name = "au"
[[link]]
between = ["eu", "au"]
loss_percent = 0
reverse_loss_percent = 100
[[node]]
name = "a"
region = "eu"
role = "validator"
[[node]]
name = "b"
region = "au"
role = "validator"
`)
	for i := range byte(3) {
		devs[0].sent <- ipv4(nodeAddr(0), nodeAddr(1), i) // eu → au: no loss
		devs[1].sent <- ipv4(nodeAddr(1), nodeAddr(0), i) // au → eu: all lost
	}
	for range 3 {
		<-devs[1].got
	}
	waitStat(t, e, "packets lost au → eu", func(s EmulatorStats) uint64 { return s.Lost }, 3)
	if s := e.stats(); s.Delivered != 3 {
		t.Fatalf("stats %+v, want the 3 packets eu → au delivered", s)
	}
}

// bigPacket is an IPv4 packet of size bytes from src to dst.
func bigPacket(src, dst netip.Addr, size int) []byte {
	b := make([]byte, size)
	copy(b, ipv4(src, dst, 0))
	return b
}

// A rate-limited link sends no faster than its rate; a throttle
// perturbation limits an unlimited link the same way, and lifting it
// restores the link; a backlog over a second is dropped.
func TestEmulatorLimitsRateAndThrottles(t *testing.T) {
	e, devs := startEmulator(t, `
[[region]]
name = "eu"
[[region]]
name = "au"
[[link]]
between = ["eu", "au"]
rate_kbit = 800
[[node]]
name = "a"
region = "eu"
role = "validator"
[[node]]
name = "b"
region = "au"
role = "validator"
`)
	// 10 packets of 1,000 bytes at 800 kbit/s: 100 ms.
	send := func(from, to int, n int) time.Duration {
		start := time.Now()
		go func() {
			for range n {
				devs[from].sent <- bigPacket(nodeAddr(from), nodeAddr(to), 1000)
			}
		}()
		for range n {
			<-devs[to].got
		}
		return time.Since(start)
	}
	if took := send(0, 1, 10); took < 90*time.Millisecond {
		t.Fatalf("10 kB crossed an 800 kbit/s link in %s, faster than its rate", took)
	}
	// Throttled to 80 kbit/s (10 kB/s) both ways: 2 kB take 200 ms.
	e.setThrottle("eu", "au", 80_000)
	if took := send(1, 0, 2); took < 190*time.Millisecond {
		t.Fatalf("2 kB crossed an 80 kbit/s throttle in %s", took)
	}
	e.setThrottle("au", "eu", 0)
	if took := send(1, 0, 2); took > 150*time.Millisecond {
		t.Fatalf("after the throttle was lifted 2 kB took %s at 800 kbit/s", took)
	}
	// At 80 kbit/s a second holds 10 kB: of 30 packets of 1 kB sent at
	// once, the ones past the first second's backlog are dropped.
	e.setThrottle("eu", "au", 80_000)
	for range 30 {
		devs[0].sent <- bigPacket(nodeAddr(0), nodeAddr(1), 1000)
	}
	for deadline := time.Now().Add(10 * time.Second); e.stats().QueueFull == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("a backlog of 3 s at the throttle dropped nothing: %+v", e.stats())
		}
	}
}

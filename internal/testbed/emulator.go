package testbed

import (
	"context"
	"io"
	"math/rand/v2"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// linkQueueLimit bounds the packets in flight on one directed link; more
// are dropped, as a router's queue would.
const linkQueueLimit = 4096

// maxPacket is the largest packet the emulator carries (the TUN MTU).
const maxPacket = 1500

// port is one node's end of the emulator: its address, region and TUN.
type port struct {
	addr   netip.Addr
	region string
	dev    io.ReadWriteCloser
}

// packet is one IP packet waiting for its delivery time.
type packet struct {
	at   time.Time
	data []byte
}

// directedLink carries the packets from one node to another in order.
type directedLink struct {
	delay, jitter time.Duration // one way
	loss          float64       // probability
	fromRegion    string
	toRegion      string
	rate          int64        // bits per second from the manifest; 0: no limit
	throttle      atomic.Int64 // bits per second while a throttle perturbation lasts; 0: none
	last          time.Time    // latest delivery time queued (the sender's reader only)
	free          time.Time    // when the rate-limited link has sent what it holds (reader only)
	queue         chan packet
}

// maxBacklog is the most a packet waits for a rate-limited link to send
// the ones before it; later ones are dropped, as a shaper's full queue
// drops them.
const maxBacklog = time.Second

// EmulatorStats counts what the emulator did with the packets it read.
type EmulatorStats struct {
	Delivered, Lost, Cut, QueueFull, Unroutable uint64
}

// emulator moves packets between the ports with each link's delay, jitter,
// loss and rate, and drops packets crossing a cut region's border.
type emulator struct {
	ports []port
	byIP  map[netip.Addr]int
	links [][]*directedLink // [from][to]
	cut   atomic.Pointer[map[string]bool]

	delivered, lost, cutDrops, queueFull, unroutable atomic.Uint64
	wg                                               sync.WaitGroup
}

func newEmulator(m *Manifest, ports []port) *emulator {
	e := &emulator{ports: ports, byIP: make(map[netip.Addr]int)}
	none := map[string]bool{}
	e.cut.Store(&none)
	for i, p := range ports {
		e.byIP[p.addr] = i
	}
	e.links = make([][]*directedLink, len(ports))
	for i, from := range ports {
		e.links[i] = make([]*directedLink, len(ports))
		for j, to := range ports {
			if i == j {
				continue
			}
			l := m.link(from.region, to.region)
			e.links[i][j] = &directedLink{
				delay: l.RTT.Duration / 2, jitter: l.Jitter.Duration, loss: l.lossFrom(from.region), rate: l.RateKbit * 1000,
				fromRegion: from.region, toRegion: to.region, queue: make(chan packet, linkQueueLimit),
			}
		}
	}
	return e
}

// run reads every port and delivers on every link until ctx ends and the
// ports are closed.
func (e *emulator) run(ctx context.Context) {
	for i := range e.ports {
		e.wg.Add(1)
		go func() { defer e.wg.Done(); e.read(i) }()
		for j, l := range e.links[i] {
			if l != nil {
				e.wg.Add(1)
				go func() { defer e.wg.Done(); e.deliver(ctx, l, e.ports[j].dev) }()
			}
		}
	}
}

// setCut replaces the set of regions cut off from the others.
func (e *emulator) setCut(regions map[string]bool) { e.cut.Store(&regions) }

// setThrottle limits both directions of the links between regions a and b
// to bits per second (0 lifts the throttle).
func (e *emulator) setThrottle(a, b string, bits int64) {
	for _, row := range e.links {
		for _, l := range row {
			if l != nil && ((l.fromRegion == a && l.toRegion == b) || (l.fromRegion == b && l.toRegion == a)) {
				l.throttle.Store(bits)
			}
		}
	}
}

// read takes the packets node i sends and queues each on its link.
func (e *emulator) read(i int) {
	buf := make([]byte, maxPacket+1)
	for {
		n, err := e.ports[i].dev.Read(buf)
		if err != nil {
			return // the port was closed
		}
		dst, ok := ipv4Destination(buf[:n])
		if !ok {
			e.unroutable.Add(1)
			continue
		}
		j, ok := e.byIP[dst]
		if !ok || j == i {
			e.unroutable.Add(1)
			continue
		}
		l := e.links[i][j]
		if cut := *e.cut.Load(); l.fromRegion != l.toRegion && (cut[l.fromRegion] || cut[l.toRegion]) {
			e.cutDrops.Add(1)
			continue
		}
		if l.loss > 0 && rand.Float64() < l.loss {
			e.lost.Add(1)
			continue
		}
		now := time.Now()
		at := now
		if rate := l.throttle.Load(); rate > 0 || l.rate > 0 {
			if rate == 0 {
				rate = l.rate
			}
			start := now
			if l.free.After(now) {
				start = l.free
			}
			if start.Sub(now) > maxBacklog {
				e.queueFull.Add(1)
				continue
			}
			l.free = start.Add(time.Duration(int64(n) * 8 * int64(time.Second) / rate))
			at = l.free
		}
		at = at.Add(l.delay)
		if l.jitter > 0 {
			at = at.Add(rand.N(l.jitter))
		}
		// No reordering within a link: a packet never overtakes the one
		// before it.
		if at.Before(l.last) {
			at = l.last
		}
		l.last = at
		select {
		case l.queue <- packet{at: at, data: append([]byte(nil), buf[:n]...)}:
		default:
			e.queueFull.Add(1)
		}
	}
}

// deliver writes the link's packets to the destination at their times.
func (e *emulator) deliver(ctx context.Context, l *directedLink, to io.Writer) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var p packet
		select {
		case p = <-l.queue:
		case <-ctx.Done():
			return
		}
		if wait := time.Until(p.at); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		if _, err := to.Write(p.data); err != nil {
			return // the port was closed
		}
		e.delivered.Add(1)
	}
}

func (e *emulator) stats() EmulatorStats {
	return EmulatorStats{
		Delivered: e.delivered.Load(), Lost: e.lost.Load(), Cut: e.cutDrops.Load(),
		QueueFull: e.queueFull.Load(), Unroutable: e.unroutable.Load(),
	}
}

// ipv4Destination is the destination address of an IPv4 packet.
func ipv4Destination(b []byte) (netip.Addr, bool) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte(b[16:20])), true
}

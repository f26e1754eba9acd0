package overlay

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quic-go/quic-go"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// BenchmarkMemoryUnderAttack measures one node's resident memory while a
// single hostile peer takes everything the per-peer limits allow:
//
//   - DHT: it STOREs 300 named records of 60 KB, as in red-team issue 15,
//     straight to the victim (the victim keeps its 4 MiB quota of them);
//   - connections: it opens connections with its one node ID until the
//     victim closes one (ConnsPerPeer are kept);
//   - streams: on each connection it opens streams until QUIC grants no
//     more (StreamsPerConn); on two of them it sends 4 MiB − 1 of an
//     announced 4 MiB request (the ConnBuffer budget), on the rest half a
//     frame header.
//
// Not exercised: bytes sent after a complete request, which the victim
// never reads; QUIC's connection window bounds them (it starts at 768 KB
// and grows to ConnBuffer only as the victim reads quickly).
//
// The victim is this test binary in another process (a DHT with default
// limits and an "app/1" handler standing for the node's protocols that take
// 4 MiB frames); it reports its own VmRSS and VmHWM from /proc/self/status
// (runtime.MemStats.Sys where there is no /proc). It runs the attack once
// whatever b.N (the time per op is the whole attack's), in a few seconds (the victim drops unfinished requests after its 10 s call
// timeout, so the attack must be quicker), and sends ~50 MB over loopback.
//
//	go test -run '^$' -bench MemoryUnderAttack -benchtime 1x ./overlay/
func BenchmarkMemoryUnderAttack(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	victim := startVictim(b)
	before := victim.mem(b)

	attackerCfg := testNodeConfig(b, 100, eitherValidator{auth: newAuthority(), named: NamedRecords{ChainID: 1}})
	attackerCfg.RPCTimeout = 10 * time.Second // the machine may be loaded
	attacker, err := Start(attackerCfg)
	if err != nil {
		b.Fatal(err)
	}
	defer attacker.Close()
	if err := attacker.Ping(ctx, victim.peer); err != nil {
		b.Fatal(err)
	}
	to := kademlia.Contact{ID: victim.peer.ID, Addr: victim.peer.Addr}

	// The DHT flood.
	stored, refused := 0, 0
	for i := range 300 {
		key, rec, err := NewNamedRecord(attackerCfg.Key, 1, fmt.Sprintf("flood-%d", i), 1, make([]byte, 60_000))
		if err != nil {
			b.Fatal(err)
		}
		ans, err := attacker.rpc(ctx, to, kademlia.MsgStore, kademlia.StoreBody{Key: key, Value: rec})
		switch {
		case err != nil:
			b.Fatalf("STORE %d: %v", i, err)
		case ans.Stored:
			stored++
		default:
			refused++
		}
	}
	afterDHT := victim.mem(b)

	// Connections with the attacker's one identity, until one is closed.
	host := attacker.Host()
	first, err := host.conn(ctx, victim.peer.ID, victim.peer.Addr)
	if err != nil {
		b.Fatal(err)
	}
	conns := []*quic.Conn{first}
	closedConns := 0
	for range 2 * DefaultConnsPerPeer {
		c, err := rawDial(ctx, host, victim.peer.ID, victim.peer.Addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseWithError(0, "")
		// The victim closes a connection over the limit right after the
		// handshake; one that is still usable after a round trip is kept.
		s, err := c.OpenStreamSync(ctx)
		if err == nil {
			err = writeFrame(s, append([]byte{byte(len("app/1"))}, "app/1"...))
			s.Close()
			if err == nil {
				s.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, err = readFrame(s, 1<<10)
			}
		}
		if err != nil {
			closedConns++
			break
		}
		conns = append(conns, c)
	}

	// Streams on every connection. Writes that flow control holds back
	// give up after a deadline: what got through is what the victim holds.
	opened, sent := 0, 0
	var perConn []string
	for _, c := range conns {
		var cs []*quic.Stream
		for len(cs) < 4*DefaultStreamsPerConn {
			octx, ocancel := context.WithTimeout(ctx, 300*time.Millisecond)
			s, err := c.OpenStreamSync(octx)
			ocancel()
			if err != nil {
				break
			}
			cs = append(cs, s)
		}
		opened += len(cs)
		before := sent
		for i, s := range cs {
			s.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if i < 2 { // unfinished 4 MiB requests
				sent += writePartialRequest(s, "app/1", 4<<20, 4<<20-1-len("app/1")-1)
			} else { // half a header
				s.Write([]byte{0, 0})
			}
		}
		perConn = append(perConn, fmt.Sprintf("%d streams/%.1f MiB", len(cs), float64(sent-before)/(1<<20)))
	}
	// The first connection has only the stream credit the STOREs left.
	// Wait until the victim's memory stops growing (within a deadline).
	var after victimMem
	for last, deadline := victim.mem(b), time.Now().Add(3*time.Second); ; last = after {
		select {
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			b.Fatal(ctx.Err())
		}
		after = victim.mem(b)
		if after.rssKB-last.rssKB < 1024 || time.Now().After(deadline) {
			break
		}
	}

	// An honest node is still served.
	honest, err := Start(testNodeConfig(b, 101, eitherValidator{auth: newAuthority(), named: NamedRecords{ChainID: 1}}))
	if err != nil {
		b.Fatal(err)
	}
	defer honest.Close()
	start := time.Now()
	if err := honest.Ping(ctx, victim.peer); err != nil {
		b.Fatalf("honest ping during the attack: %v", err)
	}
	pingTime := time.Since(start)

	b.Logf("victim before: %s", before)
	b.Logf("after 300 STOREs of 60 KB from one publisher (%d stored, %d refused): %s", stored, refused, afterDHT)
	b.Logf("after %d connections (%d more refused), %d streams, %.1f MiB sent into unfinished requests (%s): %s",
		len(conns), closedConns, opened, float64(sent)/(1<<20), strings.Join(perConn, ", "), after)
	b.Logf("an honest node's first PING (dial + handshake + request) took %v", pingTime)
	b.ReportMetric(float64(before.rssKB)/1024, "rss-before-MiB")
	b.ReportMetric(float64(afterDHT.rssKB)/1024, "rss-after-dht-MiB")
	b.ReportMetric(float64(after.rssKB)/1024, "rss-after-MiB")
	b.ReportMetric(float64(after.hwmKB)/1024, "peak-rss-MiB")
}

// writePartialRequest announces a request of total bytes for proto and
// sends the name and body bytes of it; it returns how many got through.
func writePartialRequest(s *quic.Stream, proto string, total, body int) int {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(total))
	head := append(hdr[:], byte(len(proto)))
	head = append(head, proto...)
	if _, err := s.Write(head); err != nil {
		return 0
	}
	n, _ := s.Write(make([]byte, body))
	return n
}

// victimProc is the victim node in another process.
type victimProc struct {
	peer  Peer
	stdin io.WriteCloser
	out   *bufio.Reader
}

type victimMem struct {
	rssKB, hwmKB, heapKB int
	goroutines           int
}

func (m victimMem) String() string {
	return fmt.Sprintf("VmRSS %.1f MiB, VmHWM %.1f MiB, live heap %.1f MiB, %d goroutines",
		float64(m.rssKB)/1024, float64(m.hwmKB)/1024, float64(m.heapKB)/1024, m.goroutines)
}

func startVictim(b *testing.B) *victimProc {
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), "ENIGMA_OVERLAY_VICTIM=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	v := &victimProc{stdin: stdin, out: bufio.NewReader(stdout)}
	var idHex string
	if _, err := fmt.Fscanln(v.out, &idHex, &v.peer.Addr); err != nil {
		b.Fatalf("victim: %v", err)
	}
	if _, err := hex.Decode(v.peer.ID[:], []byte(idHex)); err != nil {
		b.Fatal(err)
	}
	return v
}

func (v *victimProc) mem(b *testing.B) victimMem {
	if _, err := io.WriteString(v.stdin, "mem\n"); err != nil {
		b.Fatal(err)
	}
	var m victimMem
	if _, err := fmt.Fscanln(v.out, &m.rssKB, &m.hwmKB, &m.heapKB, &m.goroutines); err != nil {
		b.Fatalf("victim memory report: %v", err)
	}
	return m
}

// runVictim is the victim process: a DHT with default limits that prints
// "<node ID> <address>", answers each "mem" line on stdin with
// "<VmRSS kB> <VmHWM kB> <live heap kB> <goroutines>", and exits when
// stdin closes.
func runVictim() int {
	key, x, err := victimKey()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cfg := Config{
		Key: key, PuzzleSolution: x, ListenAddr: "127.0.0.1:0",
		Kad: kademlia.ProtocolConfig{
			Wire:  kademlia.WireConfig{ChainID: 1, Puzzle: testPuzzle},
			Store: kademlia.StoreConfig{Validator: eitherValidator{auth: newAuthority(), named: NamedRecords{ChainID: 1}}},
		},
		Rand: randsrc.Derive(99, "victim"), Logger: quietLogger(),
	}
	n, err := Start(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer n.Close()
	// Stands for the node's protocols whose requests may be 4 MiB.
	n.Host().Handle("app/1", func(_ context.Context, _ identity.NodeID, req []byte) ([]byte, error) { return nil, nil })
	fmt.Printf("%s %s\n", n.ID(), n.Addr())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() != "mem" {
			continue
		}
		rss, hwm := procStatusKB("VmRSS"), procStatusKB("VmHWM")
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if rss < 0 {
			rss, hwm = int(ms.Sys>>10), int(ms.Sys>>10)
		}
		fmt.Printf("%d %d %d %d\n", rss, hwm, ms.HeapAlloc>>10, runtime.NumGoroutine())
	}
	return 0
}

func victimKey() (*identity.NodeKey, [32]byte, error) {
	k, _, err := kademlia.GenerateKey(seededReader{randsrc.Derive(98, "victim-key")}, testPuzzle.Static)
	if err != nil {
		return nil, [32]byte{}, err
	}
	return k, kademlia.SolveDynamic(k.ID(), testPuzzle.Dynamic), nil
}

// procStatusKB reads a "<field>: <n> kB" line of /proc/self/status, or -1.
func procStatusKB(field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err == nil {
				return n
			}
		}
	}
	return -1
}

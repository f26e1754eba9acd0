package overlay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"time"

	"github.com/enigma-mpc/enigma/internal/procstat"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// BenchConfig configures RunBench. Zero fields take the defaults.
type BenchConfig struct {
	Nodes    int // nodes in the network (default 64)
	Bucket   int // k: bucket size and the nodes a lookup must hear from (default 16)
	Siblings int // s: replication and the sibling set paths agree on (default 16)
	Alpha    int // α: requests in flight per path (default 3)
	Paths    int // d: disjoint paths (default 4)
	Lookups  int // warm FIND_NODE lookups measured (default 300)
	Gets     int // warm FIND_VALUE gets measured (default 300)
	Records  int // records stored before the gets (default 32)
	// WarmUp is how many FIND_NODE lookups of random IDs every node makes
	// between the cold and the warm phases (default 2).
	WarmUp int
	// Puzzle is the network's difficulty (default c1 = c2 = 4: cheap keys;
	// checking a puzzle costs two SHA-256 whatever the difficulty).
	Puzzle kademlia.Puzzle
	// ContactCache is WireConfig.ContactCacheSize (0: the default; negative:
	// no cache, every contact's signature checked every time).
	ContactCache int
	// SignMessages is Config.SignMessages on every node: S/Kademlia's
	// strong signature on every message although TLS authenticates it.
	SignMessages bool
	// Seed draws the keys, lookup targets and the nodes that look up.
	Seed uint64
	// AroundWarm, if set, is called before the warm phases and the
	// function it returns after them (e.g. to profile only those).
	AroundWarm func() (after func())
	Logger     *slog.Logger
	Progress   func(format string, args ...any)
}

func (c BenchConfig) withDefaults() BenchConfig {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Nodes, 64)
	def(&c.Bucket, 16)
	def(&c.Siblings, 16)
	def(&c.Alpha, 3)
	def(&c.Paths, 4)
	def(&c.Lookups, 300)
	def(&c.Gets, 300)
	def(&c.Records, 32)
	if c.WarmUp < 0 {
		c.WarmUp = 0
	} else if c.WarmUp == 0 {
		c.WarmUp = 2
	}
	if c.Puzzle == (kademlia.Puzzle{}) {
		c.Puzzle = kademlia.Puzzle{Static: 4, Dynamic: 4}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Progress == nil {
		c.Progress = func(string, ...any) {}
	}
	return c
}

// Validate says what to fix in a configuration.
func (c BenchConfig) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Nodes < 4 || c.Nodes > 1024:
		return fmt.Errorf("--nodes %d: use between 4 and 1,024 (all run in this process)", c.Nodes)
	case c.Paths > c.Bucket:
		return fmt.Errorf("--paths %d: use at most k (%d)", c.Paths, c.Bucket)
	case c.Records > 10_000:
		return fmt.Errorf("--records %d: use at most 10,000", c.Records)
	case c.Puzzle.Static > 16 || c.Puzzle.Dynamic > 20:
		return fmt.Errorf("puzzle c1 = %d, c2 = %d: every node's key is generated here; keep c1 ≤ 16 and c2 ≤ 20", c.Puzzle.Static, c.Puzzle.Dynamic)
	}
	return nil
}

// BenchPhase is the outcome of one kind of operation, cold or warm.
type BenchPhase struct {
	Name     string `json:"name"` // find_node or find_value
	Warm     bool   `json:"warm"`
	Count    int    `json:"count"`
	Failures int    `json:"failures"`
	// Latencies of one operation, from call to result, in milliseconds.
	P50ms  float64 `json:"p50_ms"`
	P99ms  float64 `json:"p99_ms"`
	Meanms float64 `json:"mean_ms"`
	// Requests the lookup sent, per operation.
	MessagesPerOp float64 `json:"messages_per_op"`
	// CPUPerOpms is the process's user + system CPU time per operation in
	// milliseconds: every node's share (requester and all the nodes that
	// answered), the QUIC stack and the garbage collector included.
	CPUPerOpms float64 `json:"cpu_per_op_ms"`
	// Ed25519 verifications of overlay messages and contacts per operation:
	// on the node that made it, and in the whole process (the nodes that
	// answered check each request's signatures too). Record signatures
	// (the validator's) and TLS handshakes are not counted here.
	VerificationsPerOp        float64 `json:"verifications_per_op"`
	ProcessVerificationsPerOp float64 `json:"process_verifications_per_op"`
	// ContactHitRate is the share of signed contacts the requesting
	// node took from its cache of verified contacts.
	ContactHitRate float64 `json:"contact_hit_rate"`
	// DialsPerOp counts new connections (TLS handshakes) per operation,
	// in the whole process.
	DialsPerOp float64 `json:"dials_per_op"`
}

// BenchReport is what RunBench measured.
type BenchReport struct {
	Nodes        int    `json:"nodes"`
	Bucket       int    `json:"bucket"`
	Siblings     int    `json:"siblings"`
	Alpha        int    `json:"alpha"`
	Paths        int    `json:"paths"`
	ContactCache int    `json:"contact_cache"`
	SignMessages bool   `json:"sign_messages"`
	GOMAXPROCS   int    `json:"gomaxprocs"`
	LoadBefore   string `json:"loadavg_before,omitempty"`
	LoadAfter    string `json:"loadavg_after,omitempty"`
	// Join: every node bootstraps through node 0 (DHT.Bootstrap: a ping,
	// a self-lookup and a lookup in each bucket beyond the closest
	// neighbour), then every node looks itself up once more so the early
	// joiners learn the late ones.
	BootstrapDials        uint64  `json:"bootstrap_dials"`
	PeersAfterBootstrap   float64 `json:"peers_per_node_after_bootstrap"`
	BootstrapCPUPerNodems float64 `json:"bootstrap_cpu_per_node_ms"`
	JoinSeconds           float64 `json:"join_s"`
	JoinDials             uint64  `json:"join_dials"`
	PeersAfterJoin        float64 `json:"peers_per_node_after_join"`
	PeersAtEnd            float64 `json:"peers_per_node_at_end"`
	// Cold: each node's first lookup after joining (find_node from half of
	// the nodes, find_value from the other half). Warm: after WarmUp
	// lookups from every node.
	Phases []BenchPhase `json:"phases"`
}

// RunBench starts cfg.Nodes overlay nodes in this process on 127.0.0.1,
// joins them into one network and measures FIND_NODE lookups and
// FIND_VALUE gets, cold and warm, one at a time. Every message is checked
// as in production (over TLS, unsigned unless SignMessages; every signed
// contact verified); records are NamedRecords.
func RunBench(ctx context.Context, cfg BenchConfig) (*BenchReport, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	rep := &BenchReport{Nodes: cfg.Nodes, Bucket: cfg.Bucket, Siblings: cfg.Siblings, Alpha: cfg.Alpha, Paths: cfg.Paths,
		ContactCache: cfg.ContactCache, SignMessages: cfg.SignMessages, GOMAXPROCS: runtime.GOMAXPROCS(0), LoadBefore: procstat.LoadAvg()}
	const chainID = 1
	records := NamedRecords{ChainID: chainID}
	cfg.Progress("generating %d node keys (puzzle c1 = %d, c2 = %d)", cfg.Nodes, cfg.Puzzle.Static, cfg.Puzzle.Dynamic)
	nodes := make([]*DHT, 0, cfg.Nodes)
	defer func() {
		for _, n := range nodes {
			n.Close()
		}
	}()
	for i := range cfg.Nodes {
		key, _, err := kademlia.GenerateKey(randReader{randsrc.Derive(cfg.Seed, fmt.Sprintf("bench-key-%d", i))}, cfg.Puzzle.Static)
		if err != nil {
			return nil, err
		}
		n, err := Start(Config{
			Key: key, PuzzleSolution: kademlia.SolveDynamic(key.ID(), cfg.Puzzle.Dynamic), ListenAddr: "127.0.0.1:0",
			Kad: kademlia.ProtocolConfig{
				Wire:   kademlia.WireConfig{ChainID: chainID, Puzzle: cfg.Puzzle, ContactCacheSize: cfg.ContactCache},
				Table:  kademlia.TableConfig{K: cfg.Bucket, Siblings: cfg.Siblings},
				Store:  kademlia.StoreConfig{Validator: records},
				Lookup: kademlia.LookupConfig{K: cfg.Bucket, Alpha: cfg.Alpha, Paths: cfg.Paths},
			},
			SignMessages: cfg.SignMessages,
			RPCTimeout:   5 * time.Second,
			Rand:         randsrc.Derive(cfg.Seed, fmt.Sprintf("bench-rand-%d", i)),
			Logger:       cfg.Logger,
		})
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	cfg.Progress("joining %d nodes through node 0", cfg.Nodes)
	start, cpu := time.Now(), procstat.CPU()
	for _, n := range nodes[1:] {
		if err := n.Bootstrap(ctx, []Peer{nodes[0].Self()}); err != nil {
			return nil, fmt.Errorf("bootstrap node %s: %w", n.ID().Short(), err)
		}
	}
	rep.BootstrapCPUPerNodems = float64((procstat.CPU() - cpu).Microseconds()) / 1000 / float64(cfg.Nodes-1)
	rep.BootstrapDials, rep.PeersAfterBootstrap = connTotals(nodes)
	for _, n := range nodes {
		if _, err := n.FindNode(ctx, n.ID()); err != nil {
			return nil, fmt.Errorf("self-lookup of node %s: %w", n.ID().Short(), err)
		}
	}
	rep.JoinSeconds = time.Since(start).Seconds()
	rep.JoinDials, rep.PeersAfterJoin = connTotals(nodes)

	cfg.Progress("storing %d records from node 0", cfg.Records)
	keys := make([]kademlia.ID, cfg.Records)
	for i := range keys {
		key, rec, err := NewNamedRecord(nodes[0].cfg.Key, chainID, fmt.Sprintf("bench-%d", i), 1, []byte("a record of the overlay benchmark"))
		if err != nil {
			return nil, err
		}
		if _, err := nodes[0].Put(ctx, key, rec); err != nil {
			return nil, fmt.Errorf("store record %d: %w", i, err)
		}
		keys[i] = key
	}

	r := randsrc.Derive(cfg.Seed, "bench-ops")
	randomID := func() kademlia.ID {
		var id kademlia.ID
		for i := range id {
			id[i] = byte(r.Uint32())
		}
		return id
	}
	findNode := func(n *DHT) (LookupStats, error) {
		_, st, err := n.FindNodeStats(ctx, randomID())
		return st, err
	}
	get := func(n *DHT) (LookupStats, error) {
		_, st, err := n.GetStats(ctx, keys[r.IntN(len(keys))])
		return st, err
	}
	// Cold: each node's first lookup after joining; node 0 stored the
	// records and is left out.
	half := cfg.Nodes / 2
	cfg.Progress("cold: one lookup from each of nodes 1–%d, one get from each of nodes %d–%d", half-1, half, cfg.Nodes-1)
	cold := func(from []*DHT) func(int) *DHT { return func(i int) *DHT { return from[i] } }
	phase, err := measure(ctx, nodes, "find_node", false, half-1, cold(nodes[1:half]), findNode)
	if err != nil {
		return nil, err
	}
	rep.Phases = append(rep.Phases, phase)
	if phase, err = measure(ctx, nodes, "find_value", false, cfg.Nodes-half, cold(nodes[half:]), get); err != nil {
		return nil, err
	}
	rep.Phases = append(rep.Phases, phase)

	cfg.Progress("warm-up: %d lookups from every node", cfg.WarmUp)
	for range cfg.WarmUp {
		for _, n := range nodes {
			if _, err := findNode(n); err != nil {
				return nil, fmt.Errorf("warm-up lookup: %w", err)
			}
		}
	}
	pick := func(int) *DHT { return nodes[r.IntN(len(nodes))] }
	cfg.Progress("warm: %d lookups and %d gets from random nodes", cfg.Lookups, cfg.Gets)
	if cfg.AroundWarm != nil {
		defer cfg.AroundWarm()()
	}
	if phase, err = measure(ctx, nodes, "find_node", true, cfg.Lookups, pick, findNode); err != nil {
		return nil, err
	}
	rep.Phases = append(rep.Phases, phase)
	if phase, err = measure(ctx, nodes, "find_value", true, cfg.Gets, pick, get); err != nil {
		return nil, err
	}
	rep.Phases = append(rep.Phases, phase)
	_, rep.PeersAtEnd = connTotals(nodes)
	rep.LoadAfter = procstat.LoadAvg()
	return rep, nil
}

// measure runs count operations one after another and sums their costs.
func measure(ctx context.Context, nodes []*DHT, name string, warm bool, count int, from func(int) *DHT, op func(*DHT) (LookupStats, error)) (BenchPhase, error) {
	ph := BenchPhase{Name: name, Warm: warm, Count: count}
	if count <= 0 {
		return ph, nil
	}
	var (
		lat             []time.Duration
		msgs            int
		own, hits, seen uint64
	)
	before := processVerifications(nodes)
	dialsBefore, _ := connTotals(nodes)
	cpuBefore := procstat.CPU()
	for i := range count {
		if err := ctx.Err(); err != nil {
			return ph, err
		}
		n := from(i)
		vs := n.VerifyStats()
		start := time.Now()
		st, err := op(n)
		lat = append(lat, time.Since(start))
		after := n.VerifyStats()
		own += after.Signatures - vs.Signatures
		hits += after.ContactHits - vs.ContactHits
		seen += after.ContactHits + after.ContactMisses - vs.ContactHits - vs.ContactMisses
		msgs += st.Requests
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return ph, err
			}
			ph.Failures++
		}
	}
	cpu := procstat.CPU() - cpuBefore
	dials, _ := connTotals(nodes)
	all := processVerifications(nodes) - before
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	per := func(v float64) float64 { return v / float64(count) }
	ph.P50ms, ph.P99ms, ph.Meanms = ms(lat[len(lat)/2]), ms(lat[min(len(lat)-1, len(lat)*99/100)]), ms(sum/time.Duration(count))
	ph.MessagesPerOp = per(float64(msgs))
	ph.CPUPerOpms = per(ms(cpu))
	ph.VerificationsPerOp = per(float64(own))
	ph.ProcessVerificationsPerOp = per(float64(all))
	if seen > 0 {
		ph.ContactHitRate = float64(hits) / float64(seen)
	}
	ph.DialsPerOp = per(float64(dials - dialsBefore))
	return ph, nil
}

func processVerifications(nodes []*DHT) uint64 {
	var s uint64
	for _, n := range nodes {
		s += n.VerifyStats().Signatures
	}
	return s
}

// connTotals returns the connections all hosts dialled so far and the mean
// number of peers a node has a connection with.
func connTotals(nodes []*DHT) (dials uint64, peersPerNode float64) {
	peers := 0
	for _, n := range nodes {
		d, _, p := n.Host().ConnStats()
		dials += d
		peers += p
	}
	return dials, float64(peers) / float64(len(nodes))
}

// loadAvg is the first three fields of /proc/loadavg, or "" where there is
// none.
type randReader struct{ r *randsrc.Rand }

func (s randReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}

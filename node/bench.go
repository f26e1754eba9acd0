package node

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/enigma-mpc/enigma/consensus"
	"github.com/enigma-mpc/enigma/consensus/pebblestore"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/internal/procstat"
	"github.com/enigma-mpc/enigma/ledger/ledgerclient"
	"github.com/enigma-mpc/enigma/overlay"
)

// ConsensusBenchConfig shapes `enigma bench consensus`.
type ConsensusBenchConfig struct {
	Dir      string // where the replicas keep their write-ahead logs
	Replicas int
	Batch    int // max requests per batch
	// BatchDelay is how long the primary waits to fill a batch (0: cut at
	// once); it is rounded down to the validator's tick.
	BatchDelay time.Duration
	Clients    int // concurrent clients, each with one request outstanding
	// Rate, when above 0, paces the clients: together they send at most
	// Rate requests a second, each on a schedule of its own spread evenly
	// over the clients; a client that falls behind (its last request still
	// out when the next is due) sends the ones due as soon as it can, back
	// to back. At 0 each client sends its next request the moment the last
	// commits.
	Rate float64
	// ClientHosts is how many QUIC endpoints the clients share (default:
	// one per 512 clients); each coalesces the requests of its clients into
	// one call per validator while earlier calls are in flight.
	ClientHosts int
	Duration    time.Duration
	PayloadSize int
	// ListenHost is the IP the clients' QUIC endpoints listen on (default
	// 127.0.0.1; the testbed gives the client's address in its namespace).
	ListenHost string
	// Measuring, when set, is called once the warm-up is over and the
	// measured run starts (the testbed times its perturbations from it).
	Measuring func(start time.Time)
	// Launch starts the validators (default LaunchInProcess).
	Launch ReplicaLauncher
}

// Latencies summarizes a sample of durations.
type Latencies struct {
	N             int
	P50, P99, Max time.Duration
}

// Summarize sorts d in place and returns its count, median, 99th
// percentile and maximum.
func Summarize(d []time.Duration) Latencies {
	if len(d) == 0 {
		return Latencies{}
	}
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	return Latencies{N: len(d), P50: at(0.50), P99: at(0.99), Max: d[len(d)-1]}
}

func (l Latencies) String() string {
	return fmt.Sprintf("n=%d p50=%s p99=%s max=%s", l.N, l.P50.Round(10*time.Microsecond), l.P99.Round(10*time.Microsecond), l.Max.Round(10*time.Microsecond))
}

// ConsensusBenchReport holds the measured figures, all over the measured
// run (after the warm-up).
type ConsensusBenchReport struct {
	Replicas   int  `json:"replicas"`
	Separate   bool `json:"validators_in_own_processes"`
	Clients    int  `json:"clients"`
	BatchLimit int  `json:"batch_limit"`
	// Rate is the clients' paced rate in requests a second (0: unpaced).
	Rate float64 `json:"rate,omitempty"`
	// Contend is the number of CPU-bound neighbour processes the caller ran
	// beside the benchmark (the report only carries it).
	Contend int `json:"contend"`

	Seconds   float64 `json:"seconds"`
	Committed int     `json:"committed"`
	OpsPerSec float64 `json:"ops_per_s"`
	P50Ms     float64 `json:"p50_ms"`
	P99Ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`

	// CPU seconds: the validators' (their processes', with Separate) and
	// this process's (the clients'; with the validators in process, all of
	// it). Per committed operation in microseconds, and as cores (CPU
	// seconds per second of wall time).
	ValidatorCPUSeconds float64 `json:"validator_cpu_s"`
	ProcessCPUSeconds   float64 `json:"process_cpu_s"`
	ValidatorCPUPerOpUs float64 `json:"validator_cpu_per_op_us"`
	ProcessCPUPerOpUs   float64 `json:"process_cpu_per_op_us"`
	ValidatorCores      float64 `json:"validator_cores"`
	ProcessCores        float64 `json:"process_cores"`
	// ValidatorPeakRSS is the largest peak resident memory of a validator
	// process since it started (0 with the validators in process).
	ValidatorPeakRSS int64 `json:"validator_peak_rss_bytes"`
	// ValidatorProcs is the validators' GOMAXPROCS (the largest, should
	// they differ): how many threads each runs Go code on at once.
	ValidatorProcs int `json:"validator_gomaxprocs"`

	// What the validators did, summed over them: the average batch, view
	// changes by cause, and the work per committed operation.
	AvgBatch           float64           `json:"avg_batch"`
	ViewChanges        map[string]uint64 `json:"view_changes"`
	ViewsEntered       uint64            `json:"views_entered"`
	Resends            uint64            `json:"resends"`
	MessagesDropped    uint64            `json:"messages_dropped"`
	StateRequests      uint64            `json:"state_requests"`
	MessagesPerOp      float64           `json:"messages_per_op"`
	SendCallsPerOp     float64           `json:"send_calls_per_op"` // writes to the peers' consensus streams
	VerificationsPerOp float64           `json:"verifications_per_op"`
	LogWritesPerOp     float64           `json:"log_writes_per_op"`
	LogSyncsPerOp      float64           `json:"log_syncs_per_op"`
	SubmitCallsPerOp   float64           `json:"submit_calls_per_op"`

	LoadBefore string `json:"loadavg_before,omitempty"`
	LoadAfter  string `json:"loadavg_after,omitempty"`

	// PerValidator is what each validator did over the run, in the order
	// of the validator set (a replica cut off shows here).
	PerValidator []ValidatorWork `json:"per_validator"`

	// Timeline holds the commits completed in each second of the run, so
	// a stall (a partition, a view change) shows where it happened.
	Timeline []SecondStats `json:"timeline"`
}

// ValidatorWork is one validator's share of a run: the requests it
// executed itself, the view changes it voted for, and its state fetches.
type ValidatorWork struct {
	RequestsExecuted uint64 `json:"requests_executed"`
	ViewChanges      uint64 `json:"view_changes"`
	StateRequests    uint64 `json:"state_requests"`
}

// SecondStats is one second of a benchmark run: the requests committed in
// it and their commit latencies.
type SecondStats struct {
	Committed int     `json:"committed"`
	P50Ms     float64 `json:"p50_ms"`
	MaxMs     float64 `json:"max_ms"`
}

// TotalViewChanges sums the view changes over their causes.
func (r *ConsensusBenchReport) TotalViewChanges() uint64 {
	var n uint64
	for _, v := range r.ViewChanges {
		n += v
	}
	return n
}

// hashChainApp is the benchmark's replicated application: its state digest
// chains the SHA-256 of every executed request, so replicas that executed the
// same requests in the same order agree, and nothing else costs time.
type hashChainApp struct{ digest consensus.Digest }

// okResult is every request's result: one slice for all, which no one
// writes to.
var okResult = []byte("ok")

func (a *hashChainApp) Apply(_ uint64, _ []byte, reqs []consensus.Request) ([][]byte, consensus.Digest) {
	results := make([][]byte, len(reqs))
	h := sha256.New()
	for i := range reqs {
		h.Reset()
		h.Write(a.digest[:])
		h.Write(reqs[i].Payload)
		h.Sum(a.digest[:0])
		results[i] = okResult
	}
	return results, a.digest
}

func (a *hashChainApp) Snapshot() []byte { return a.digest[:] }

func (a *hashChainApp) Restore(snap []byte, d consensus.Digest) error {
	if len(snap) != len(d) || consensus.Digest(snap) != d {
		return errors.New("snapshot does not match its digest")
	}
	a.digest = d
	return nil
}

// The benchmark's requests are unsigned filler: the verifier accepts all.
func (a *hashChainApp) VerifyRequest(*consensus.Request) error          { return nil }
func (a *hashChainApp) BatchContext(uint64, []consensus.Request) []byte { return nil }
func (a *hashChainApp) VerifyBatch(uint64, *consensus.Batch) error      { return nil }

// BenchReplica is one validator of the consensus benchmark: a fresh node
// key, a QUIC host (on 127.0.0.1 unless told), a write-ahead log in Pebble and the
// hash-chain application. `enigma bench consensus` runs each in a process
// of its own; RunConsensusBench can also run them in its own process.
type BenchReplica struct {
	key  *identity.NodeKey
	host *overlay.Host
	wal  *pebblestore.Store
	v    *Validator
	log  *slog.Logger
}

// NewBenchReplica makes a replica whose log lives in dir; it listens at
// once on listen (host:port; "" is 127.0.0.1:0), so its Peer can be handed
// to the others before Start.
func NewBenchReplica(dir, listen string, log *slog.Logger) (*BenchReplica, error) {
	h, key, err := newHostAt(cmp.Or(listen, loopbackAny), log)
	if err != nil {
		return nil, err
	}
	wal, err := pebblestore.Open(dir, nil)
	if err != nil {
		h.Close()
		return nil, err
	}
	return &BenchReplica{key: key, host: h, wal: wal, log: log}, nil
}

// loopbackAny is a free port on 127.0.0.1.
const loopbackAny = "127.0.0.1:0"

// newLoopbackHost is an overlay host with a fresh node key on 127.0.0.1.
func newLoopbackHost(log *slog.Logger) (*overlay.Host, *identity.NodeKey, error) {
	return newHostAt(loopbackAny, log)
}

// newHostAt is an overlay host with a fresh node key listening on addr.
func newHostAt(addr string, log *slog.Logger) (*overlay.Host, *identity.NodeKey, error) {
	key, err := identity.GenerateNodeKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	h, err := overlay.NewHost(overlay.HostConfig{Key: key, ListenAddr: addr, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return h, key, nil
}

// Peer is the replica's entry in the validator set.
func (r *BenchReplica) Peer() ledgerclient.ValidatorPeer {
	return ledgerclient.ValidatorPeer{ID: r.key.ID(), PublicKey: r.key.Public(), Addr: r.host.Addr()}
}

// Start runs the replica in the validator set peers, with the batching of
// cfg (Batch, BatchDelay).
func (r *BenchReplica) Start(ctx context.Context, peers []ledgerclient.ValidatorPeer, cfg ConsensusBenchConfig) error {
	app := &hashChainApp{}
	v, err := NewValidator(ValidatorConfig{
		Key: r.key, ChainID: 1337, Epoch: 1, Peers: peers, App: app, Verifier: app,
		Storage: r.wal, Net: r.host, TickInterval: DefaultTickInterval, Logger: r.log,
		Tune: func(c *consensus.Config) {
			c.MaxBatchSize = cfg.Batch
			if ticks := int(cfg.BatchDelay / DefaultTickInterval); ticks > 0 {
				c.BatchDelayTicks = ticks
			}
			c.CheckpointInterval = 64
			c.WindowSize = 256
		},
	})
	if err != nil {
		return err
	}
	for proto, h := range v.Handlers() {
		r.host.Handle(proto, h)
	}
	for proto, h := range v.StreamHandlers() {
		r.host.HandleStream(proto, h)
	}
	if err := v.Start(ctx); err != nil {
		return err
	}
	r.v = v
	return nil
}

// Close stops the replica, then closes its log and its host.
func (r *BenchReplica) Close() {
	if r.v != nil {
		// The replica first: it must not write to a closed log.
		r.v.Stop()
	}
	r.wal.Close()
	r.host.Close()
}

// BenchCluster is a running set of benchmark validators.
type BenchCluster struct {
	Peers []ledgerclient.ValidatorPeer
	// Separate says each validator runs in a process of its own, so its CPU
	// time is its own (in process, Sample reports no CPU).
	Separate bool
	// Sample returns each validator's CPU time and counters now.
	Sample func() ([]ReplicaSample, error)
	// Stop ends the validators.
	Stop func()
}

// ReplicaSample is one validator's running totals at one moment.
type ReplicaSample struct {
	CPU      time.Duration     `json:"cpu_ns"`         // its process's user + system CPU (0 in process)
	PeakRSS  int64             `json:"peak_rss_bytes"` // its process's peak resident memory (0 in process)
	Procs    int               `json:"gomaxprocs"`     // its process's GOMAXPROCS
	Counters ValidatorCounters `json:"counters"`
}

// ReplicaLauncher starts the validators of a consensus benchmark.
type ReplicaLauncher func(ctx context.Context, cfg ConsensusBenchConfig) (*BenchCluster, error)

// Sample is the replica's running totals, with this process's CPU time
// (the replica process of `enigma bench consensus` answers with it).
func (r *BenchReplica) Sample() ReplicaSample {
	s := ReplicaSample{CPU: procstat.CPU(), PeakRSS: procstat.PeakRSS(), Procs: runtime.GOMAXPROCS(0)}
	if r.v != nil {
		s.Counters = r.v.Counters()
	}
	return s
}

// LaunchInProcess runs the benchmark's validators in this process, each
// with its own QUIC endpoint (for profiling the whole path in one profile).
func LaunchInProcess(ctx context.Context, cfg ConsensusBenchConfig) (*BenchCluster, error) {
	quiet := slog.New(slog.DiscardHandler)
	var replicas []*BenchReplica
	stop := func() {
		for _, r := range replicas {
			r.Close()
		}
	}
	var peers []ledgerclient.ValidatorPeer
	for i := 0; i < cfg.Replicas; i++ {
		r, err := NewBenchReplica(filepath.Join(cfg.Dir, fmt.Sprintf("wal%d", i)), "", quiet)
		if err != nil {
			stop()
			return nil, err
		}
		replicas = append(replicas, r)
		peers = append(peers, r.Peer())
	}
	for _, r := range replicas {
		if err := r.Start(ctx, peers, cfg); err != nil {
			stop()
			return nil, err
		}
	}
	sample := func() ([]ReplicaSample, error) {
		out := make([]ReplicaSample, len(replicas))
		for i, r := range replicas {
			out[i] = ReplicaSample{Counters: r.v.Counters()}
		}
		return out, nil
	}
	return &BenchCluster{Peers: peers, Sample: sample, Stop: stop}, nil
}

// RunConsensusBench starts Replicas validators with cfg.Launch (default
// LaunchInProcess) and runs Clients clients that submit requests through
// the path a provider's command takes (a Submitter: to every replica,
// accepted on f+1 matching replies), for Duration. With no clients it
// measures the validators idle.
func RunConsensusBench(ctx context.Context, cfg ConsensusBenchConfig) (*ConsensusBenchReport, error) {
	launch := cfg.Launch
	if launch == nil {
		launch = LaunchInProcess
	}
	cluster, err := launch(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("start the validators: %w", err)
	}
	defer cluster.Stop()
	quiet := slog.New(slog.DiscardHandler)
	var hosts []*overlay.Host
	defer func() {
		for _, h := range hosts {
			h.Close()
		}
	}()

	if cfg.ClientHosts <= 0 {
		cfg.ClientHosts = (cfg.Clients + 511) / 512
	}
	var submitters []*ledgerclient.Submitter
	clientAddr := loopbackAny
	if cfg.ListenHost != "" {
		clientAddr = net.JoinHostPort(cfg.ListenHost, "0")
	}
	for i := range min(cfg.ClientHosts, cfg.Clients) {
		h, _, err := newHostAt(clientAddr, quiet)
		if err != nil {
			return nil, err
		}
		hosts = append(hosts, h)
		s, err := ledgerclient.NewSubmitter(h, cluster.Peers)
		if err != nil {
			return nil, err
		}
		defer s.Close()
		// One command first, so the connections are up and the view is
		// settled before the clock starts.
		wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
		_, err = s.Submit(wctx, fmt.Sprintf("bench-warmup-%d", i), 1, nil)
		wcancel()
		if err != nil {
			return nil, fmt.Errorf("warm-up command: %w", err)
		}
		submitters = append(submitters, s)
	}

	payload := make([]byte, cfg.PayloadSize)
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var done []time.Duration // when each request of lat committed, since start
	var firstErr error
	var wg sync.WaitGroup
	load := procstat.LoadAvg()
	before, err := cluster.Sample()
	if err != nil {
		return nil, err
	}
	// The benchmark reads the wall clock directly, with its pacer the one
	// place in node allowed to (internal/lint's wallClockAllowed): its
	// latencies and throughput are figures of real QUIC round trips, fsyncs
	// and CPU, set beside procstat's CPU time, so they must be real time;
	// it runs replicas on the system clock and takes no Clock to simulate.
	start, cpu := time.Now(), procstat.CPU()
	if cfg.Measuring != nil {
		cfg.Measuring(start)
	}
	for c := 0; c < cfg.Clients; c++ {
		s := submitters[c%len(submitters)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("bench-client-%d", c)
			pace := newPacer(start, cfg.Rate, c, cfg.Clients)
			for ts := uint64(1); runCtx.Err() == nil; ts++ {
				if !pace.wait(runCtx) {
					return
				}
				t0 := time.Now()
				_, err := s.Submit(runCtx, id, ts, payload)
				if err != nil {
					if runCtx.Err() == nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
					}
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				done = append(done, time.Since(start))
				mu.Unlock()
			}
		}()
	}
	if cfg.Clients == 0 {
		<-runCtx.Done()
	}
	wg.Wait()
	elapsed, processCPU := time.Since(start), procstat.CPU()-cpu
	after, err := cluster.Sample()
	if err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if len(lat) == 0 && cfg.Clients > 0 {
		return nil, errors.New("no request committed")
	}
	rep := &ConsensusBenchReport{
		Replicas: cfg.Replicas, Separate: cluster.Separate, Clients: cfg.Clients, BatchLimit: cfg.Batch, Rate: cfg.Rate,
		Seconds: elapsed.Seconds(), Committed: len(lat), OpsPerSec: float64(len(lat)) / elapsed.Seconds(),
		ProcessCPUSeconds: processCPU.Seconds(), ProcessCores: processCPU.Seconds() / elapsed.Seconds(),
		LoadBefore: load, LoadAfter: procstat.LoadAvg(),
	}
	rep.Timeline = timeline(lat, done, elapsed)
	l := Summarize(lat)
	rep.P50Ms, rep.P99Ms, rep.MaxMs = millis(l.P50), millis(l.P99), millis(l.Max)
	rep.addValidatorWork(before, after, elapsed)
	return rep, nil
}

// pacer holds one client to its share of the benchmark's rate: its k-th
// request is due at start + (client + k·clients) / rate, so the clients'
// sends interleave evenly. A pacer of rate 0 never waits.
type pacer struct {
	next, every time.Duration // since start
	start       time.Time
	timer       *time.Timer
}

func newPacer(start time.Time, rate float64, client, clients int) *pacer {
	if rate <= 0 {
		return &pacer{}
	}
	gap := time.Duration(float64(time.Second) / rate)
	return &pacer{start: start, next: time.Duration(client) * gap, every: time.Duration(clients) * gap}
}

// wait returns when the client's next request is due (at once when it is
// late), or false when ctx ends first.
func (p *pacer) wait(ctx context.Context) bool {
	if p.every == 0 {
		return true
	}
	due := p.next
	p.next += p.every
	d := due - time.Since(p.start)
	if d <= 0 {
		return true
	}
	if p.timer == nil {
		p.timer = time.NewTimer(d)
	} else {
		p.timer.Reset(d)
	}
	select {
	case <-p.timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// timeline buckets the latencies lat by the second their request committed
// (done[i], since the start) over a run of elapsed; the last second also
// holds the commits of the fraction of a second after it.
func timeline(lat, done []time.Duration, elapsed time.Duration) []SecondStats {
	perSecond := make([][]time.Duration, max(1, int(elapsed/time.Second)))
	for i, at := range done {
		s := min(int(at/time.Second), len(perSecond)-1)
		perSecond[s] = append(perSecond[s], lat[i])
	}
	out := make([]SecondStats, len(perSecond))
	for s, d := range perSecond {
		l := Summarize(d)
		out[s] = SecondStats{Committed: l.N, P50Ms: millis(l.P50), MaxMs: millis(l.Max)}
	}
	return out
}

// addValidatorWork fills in what the validators did between two samples.
func (rep *ConsensusBenchReport) addValidatorWork(before, after []ReplicaSample, elapsed time.Duration) {
	var cpu time.Duration
	var d ValidatorCounters
	for i := range min(len(before), len(after)) {
		cpu += after[i].CPU - before[i].CPU
		rep.ValidatorPeakRSS = max(rep.ValidatorPeakRSS, after[i].PeakRSS)
		rep.ValidatorProcs = max(rep.ValidatorProcs, after[i].Procs)
		a, b := &after[i].Counters, &before[i].Counters
		w := ValidatorWork{RequestsExecuted: a.RequestsExecuted - b.RequestsExecuted, StateRequests: a.StateRequests - b.StateRequests}
		for c := range a.ViewChanges {
			w.ViewChanges += a.ViewChanges[c] - b.ViewChanges[c]
		}
		rep.PerValidator = append(rep.PerValidator, w)
		d.BatchesExecuted += a.BatchesExecuted - b.BatchesExecuted
		d.RequestsExecuted += a.RequestsExecuted - b.RequestsExecuted
		for c := range d.ViewChanges {
			d.ViewChanges[c] += a.ViewChanges[c] - b.ViewChanges[c]
		}
		d.ViewsEntered += a.ViewsEntered - b.ViewsEntered
		d.Resends += a.Resends - b.Resends
		d.StateRequests += a.StateRequests - b.StateRequests
		d.SignaturesVerified += a.SignaturesVerified - b.SignaturesVerified
		d.LogWrites += a.LogWrites - b.LogWrites
		d.LogSyncs += a.LogSyncs - b.LogSyncs
		d.MessagesSent += a.MessagesSent - b.MessagesSent
		d.MessagesDropped += a.MessagesDropped - b.MessagesDropped
		d.SendCalls += a.SendCalls - b.SendCalls
		d.SubmitCalls += a.SubmitCalls - b.SubmitCalls
	}
	rep.ValidatorCPUSeconds, rep.ValidatorCores = cpu.Seconds(), cpu.Seconds()/elapsed.Seconds()
	if d.BatchesExecuted > 0 {
		rep.AvgBatch = float64(d.RequestsExecuted) / float64(d.BatchesExecuted)
	}
	rep.ViewChanges = make(map[string]uint64)
	for c, n := range d.ViewChanges {
		if n > 0 {
			rep.ViewChanges[consensus.ViewChangeCause(c).String()] = n
		}
	}
	rep.ViewsEntered, rep.Resends, rep.MessagesDropped, rep.StateRequests = d.ViewsEntered, d.Resends, d.MessagesDropped, d.StateRequests
	if ops := float64(rep.Committed); ops > 0 {
		rep.ValidatorCPUPerOpUs = float64(cpu.Microseconds()) / ops
		rep.ProcessCPUPerOpUs = rep.ProcessCPUSeconds * 1e6 / ops
		rep.MessagesPerOp = float64(d.MessagesSent) / ops
		rep.SendCallsPerOp = float64(d.SendCalls) / ops
		rep.VerificationsPerOp = float64(d.SignaturesVerified) / ops
		rep.LogWritesPerOp = float64(d.LogWrites) / ops
		rep.LogSyncsPerOp = float64(d.LogSyncs) / ops
		rep.SubmitCallsPerOp = float64(d.SubmitCalls) / ops
	}
}

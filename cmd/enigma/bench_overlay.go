package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/overlay"
)

var (
	benchOverlayNodesFlag    = &cli.IntFlag{Name: "nodes", Usage: "overlay nodes, all in this process on 127.0.0.1", Value: 64, Category: catBench}
	benchOverlayBucketFlag   = &cli.IntFlag{Name: "bucket", Usage: "bucket size k (and the closest nodes a lookup must hear from)", Value: 16, Category: catBench}
	benchOverlaySiblingsFlag = &cli.IntFlag{Name: "siblings", Usage: "replication s (the sibling set a lookup's paths agree on)", Value: 16, Category: catBench}
	benchOverlayAlphaFlag    = &cli.IntFlag{Name: "alpha", Usage: "requests in flight per path α", Value: 3, Category: catBench}
	benchOverlayPathsFlag    = &cli.IntFlag{Name: "paths", Usage: "disjoint lookup paths d", Value: 4, Category: catBench}
	benchOverlayLookupsFlag  = &cli.IntFlag{Name: "lookups", Usage: "warm FIND_NODE lookups measured", Value: 300, Category: catBench}
	benchOverlayGetsFlag     = &cli.IntFlag{Name: "gets", Usage: "warm FIND_VALUE gets measured", Value: 300, Category: catBench}
	benchOverlayRecordsFlag  = &cli.IntFlag{Name: "records", Usage: "records stored before the gets", Value: 32, Category: catBench}
	benchOverlayWarmUpFlag   = &cli.IntFlag{Name: "warmup", Usage: "lookups each node makes between the cold and the warm phase", Value: 2, Category: catBench}
	benchOverlayCacheFlag    = &cli.IntFlag{Name: "contact-cache", Usage: "verified contacts each node remembers (0: the default 4,096; -1: none, every signature checked every time)", Category: catBench}
	benchOverlaySignFlag     = &cli.BoolFlag{Name: "sign-messages", Usage: "sign every message and check every strong signature (S/Kademlia over UDP) although TLS authenticates both ends: measures what the signatures cost", Category: catBench}
	benchOverlaySeedFlag     = &cli.Uint64Flag{Name: "seed", Usage: "draws the keys, targets and requesting nodes", Value: 1, Category: catBench}
	benchOverlayJSONFlag     = &cli.BoolFlag{Name: "json", Usage: "print the report as JSON", Category: catBench}
)

var benchOverlayCommand = &cli.Command{
	Name:  "overlay",
	Usage: "S/Kademlia lookups and gets over real QUIC on 127.0.0.1: latency, messages, CPU and signature checks per lookup",
	Description: "Starts --nodes overlay nodes in this process, each with its own QUIC endpoint on 127.0.0.1 and its own\n" +
		"Ed25519 node key, joins them through the first (bootstrap: a self-lookup, then a lookup in each bucket beyond\n" +
		"the closest neighbour; then one more self-lookup each), stores --records self-certifying records, and measures\n" +
		"one operation at a time:\n" +
		"  cold  each node's first lookup after joining: FIND_NODE from half of the nodes, FIND_VALUE from the other half;\n" +
		"  warm  after --warmup lookups from every node: --lookups FIND_NODE lookups of random IDs and --gets FIND_VALUE\n" +
		"        gets of stored records, each from a random node.\n" +
		"Every message is checked as in production (over TLS, without strong signatures unless --sign-messages; every\n" +
		"signed contact verified). For each phase it reports p50/p99 latency, requests\n" +
		"per operation, the process's CPU time per operation (every node's share: the requester's and the answering\n" +
		"nodes'), Ed25519 verifications per operation on the requesting node and in the whole process, the share of\n" +
		"contacts taken from the cache of verified contacts, and new connections per operation. The machine's load\n" +
		"average is printed with the figures: on a shared machine compare CPU time and counts, not latency.\n" +
		"--cpuprofile profiles the warm phases only.",
	Flags: []cli.Flag{benchOverlayNodesFlag, benchOverlayBucketFlag, benchOverlaySiblingsFlag, benchOverlayAlphaFlag, benchOverlayPathsFlag,
		benchOverlayLookupsFlag, benchOverlayGetsFlag, benchOverlayRecordsFlag, benchOverlayWarmUpFlag, benchOverlayCacheFlag,
		benchOverlaySignFlag, benchOverlaySeedFlag, benchOverlayJSONFlag, benchProfileFlag},
	Action: benchOverlay,
}

func benchOverlay(ctx *cli.Context) error {
	if ctx.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: 'enigma bench overlay' takes only flags", ctx.Args().First())
	}
	cfg := overlay.BenchConfig{
		Nodes: ctx.Int(benchOverlayNodesFlag.Name), Bucket: ctx.Int(benchOverlayBucketFlag.Name), Siblings: ctx.Int(benchOverlaySiblingsFlag.Name),
		Alpha: ctx.Int(benchOverlayAlphaFlag.Name), Paths: ctx.Int(benchOverlayPathsFlag.Name), Lookups: ctx.Int(benchOverlayLookupsFlag.Name),
		Gets: ctx.Int(benchOverlayGetsFlag.Name), Records: ctx.Int(benchOverlayRecordsFlag.Name), WarmUp: ctx.Int(benchOverlayWarmUpFlag.Name),
		ContactCache: ctx.Int(benchOverlayCacheFlag.Name), SignMessages: ctx.Bool(benchOverlaySignFlag.Name), Seed: ctx.Uint64(benchOverlaySeedFlag.Name),
		Progress: func(format string, args ...any) { fmt.Fprintf(ctx.App.ErrWriter, "… "+format+"\n", args...) },
	}
	if ctx.Int(benchOverlayWarmUpFlag.Name) == 0 {
		cfg.WarmUp = -1 // none
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if path := ctx.Path(benchProfileFlag.Name); path != "" {
		// Only the warm phases: joining and key generation would swamp them.
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		cfg.AroundWarm = func() func() {
			if err := pprof.StartCPUProfile(f); err != nil {
				fmt.Fprintf(ctx.App.ErrWriter, "--cpuprofile: %v\n", err)
				return func() {}
			}
			return pprof.StopCPUProfile
		}
	}
	rep, err := overlay.RunBench(ctx.Context, cfg)
	if err != nil {
		return err
	}
	if ctx.Bool(benchOverlayJSONFlag.Name) {
		enc := json.NewEncoder(ctx.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := ctx.App.Writer
	cache := "default"
	switch {
	case rep.ContactCache < 0:
		cache = "off"
	case rep.ContactCache > 0:
		cache = fmt.Sprint(rep.ContactCache)
	}
	messages := "messages unsigned over TLS"
	if rep.SignMessages {
		messages = "every message signed"
	}
	fmt.Fprintf(w, "%d nodes in one process, k = %d, s = %d, d = %d, α = %d, contact cache %s, %s, GOMAXPROCS %d, load average %s → %s\n",
		rep.Nodes, rep.Bucket, rep.Siblings, rep.Paths, rep.Alpha, cache, messages, rep.GOMAXPROCS, rep.LoadBefore, rep.LoadAfter)
	fmt.Fprintf(w, "bootstrap (ping, self-lookup, bucket refreshes): %.1f connections and %.1f ms CPU per joining node, %.1f peers connected per node\n",
		float64(rep.BootstrapDials)/float64(rep.Nodes-1), rep.BootstrapCPUPerNodems, rep.PeersAfterBootstrap)
	fmt.Fprintf(w, "join (bootstrap + a second self-lookup each): %.1f s, %d connections, %.1f peers per node (%.1f at the end)\n",
		rep.JoinSeconds, rep.JoinDials, rep.PeersAfterJoin, rep.PeersAtEnd)
	fmt.Fprintf(w, "%-10s %-4s %5s %5s %8s %8s %8s %9s %8s %8s %7s %6s\n",
		"op", "", "n", "fail", "p50 ms", "p99 ms", "msgs/op", "CPU ms/op", "verif/op", "proc/op", "cached", "dials")
	for _, p := range rep.Phases {
		state := "cold"
		if p.Warm {
			state = "warm"
		}
		fmt.Fprintf(w, "%-10s %-4s %5d %5d %8.2f %8.2f %8.1f %9.2f %8.1f %8.1f %6.1f%% %6.2f\n",
			p.Name, state, p.Count, p.Failures, p.P50ms, p.P99ms, p.MessagesPerOp, p.CPUPerOpms, p.VerificationsPerOp,
			p.ProcessVerificationsPerOp, 100*p.ContactHitRate, p.DialsPerOp)
	}
	return nil
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain/chainview"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/ledger"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
	"github.com/enigma-mpc/enigma/overlay/records"
)

const catOverlay = "OVERLAY"

// Overlay network parameters: every node of one network must use the same.
var (
	puzzleStaticFlag = &cli.IntFlag{
		Name:     "puzzle.static",
		Usage:    "S/Kademlia static puzzle c1: leading zero bits of H(H(pubkey)) a node ID needs",
		Value:    kademlia.DefaultPuzzle.Static,
		EnvVars:  envName("puzzle.static"),
		Category: catOverlay,
	}
	puzzleDynamicFlag = &cli.IntFlag{
		Name:     "puzzle.dynamic",
		Usage:    "S/Kademlia dynamic puzzle c2: leading zero bits of H(ID ⊕ X)",
		Value:    kademlia.DefaultPuzzle.Dynamic,
		EnvVars:  envName("puzzle.dynamic"),
		Category: catOverlay,
	}
	overlayChainIDFlag = &cli.Uint64Flag{
		Name:     "overlay.chain-id",
		Usage:    "chain ID the overlay's signatures are bound to (nodes of other chains cannot talk to this one)",
		Value:    node.DefaultConfig().Chain.ChainID,
		EnvVars:  envName("overlay.chain-id"),
		Category: catOverlay,
	}
	// clientListenFlag is where a short-lived client (dht, provider,
	// subscriber commands) listens: 127.0.0.1 reaches only nodes on this
	// host, so a client on another host, or in a network namespace of
	// its own (enigma testbed), gives an address of its host.
	clientListenFlag = &cli.StringFlag{
		Name:     "client.listen",
		Usage:    "UDP host:port this command's short-lived overlay client listens on (an address the nodes can reach; 127.0.0.1 only reaches nodes on this host)",
		Value:    "127.0.0.1:0",
		EnvVars:  envName("client.listen"),
		Category: catOverlay,
	}
	dhtTimeoutFlag = &cli.DurationFlag{
		Name:     "timeout",
		Usage:    "give up after this long",
		Value:    30 * time.Second,
		Category: catOverlay,
	}
)

var overlayFlags = []cli.Flag{puzzleStaticFlag, puzzleDynamicFlag, overlayChainIDFlag}

var dhtCommand = &cli.Command{
	Name:  "dht",
	Usage: "query the S/Kademlia overlay as a short-lived client node",
	Description: "Each command joins the overlay through --bootstrap as a short-lived node with its own\n" +
		"identity (<datadir>/dhtclient, created on first use: solving the static puzzle takes a few\n" +
		"seconds at the default difficulty), runs one disjoint-path lookup and leaves.",
	Subcommands: []*cli.Command{
		{
			Name:      "find-node",
			Usage:     "look up a node ID and print the closest nodes found",
			ArgsUsage: "<node ID>",
			Flags:     append([]cli.Flag{bootstrapFlag, clientListenFlag, dhtTimeoutFlag}, overlayFlags...),
			Action:    dhtFindNode,
		},
		{
			Name:      "get",
			Usage:     "fetch the newest valid record stored under a 32-byte key (64 hex digits)",
			ArgsUsage: "<key>",
			Description: "Prints a named record's data, or the hex of a certified ledger record (a dataset's, or a\n" +
				"validator epoch's), checked against the chain's validator sets when the chain is reachable\n" +
				"(--chain.rpc, the Marketplace address); `enigma ledger verify` checks such a record offline.",
			Flags:  append(append([]cli.Flag{bootstrapFlag, clientListenFlag, dhtTimeoutFlag}, overlayFlags...), chainFlags...),
			Action: dhtGet,
		},
		{
			Name:  "put",
			Usage: "publish a self-certifying named record signed by the node key; prints its key",
			Description: "The key is SHA-256(node public key ‖ name), so only this node key can update it;\n" +
				"--seq must grow with each update (readers keep the highest).",
			ArgsUsage: "<name> <value>",
			Flags:     append([]cli.Flag{bootstrapFlag, clientListenFlag, dhtTimeoutFlag, nodeKeyFlag, dhtSeqFlag}, overlayFlags...),
			Action:    dhtPut,
		},
	},
}

var dhtSeqFlag = &cli.Uint64Flag{Name: "seq", Usage: "version of the record", Value: 1}

func overlayPuzzle(ctx *cli.Context) (kademlia.Puzzle, error) {
	p := kademlia.Puzzle{Static: ctx.Int(puzzleStaticFlag.Name), Dynamic: ctx.Int(puzzleDynamicFlag.Name)}
	if p.Static < 0 || p.Static > 32 || p.Dynamic < 0 || p.Dynamic > 40 {
		return p, fmt.Errorf("puzzle difficulty c1=%d c2=%d: use 0..32 and 0..40", p.Static, p.Dynamic)
	}
	return p, nil
}

func parseBootstrap(ctx *cli.Context) ([]overlay.Peer, error) {
	var peers []overlay.Peer
	for _, s := range ctx.StringSlice(bootstrapFlag.Name) {
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			p, err := overlay.ParsePeer(part)
			if err != nil {
				return nil, err
			}
			peers = append(peers, p)
		}
	}
	return peers, nil
}

// overlayNodeConfig is the overlay configuration shared by 'node run' and
// the dht client.
func overlayNodeConfig(ctx *cli.Context, key *identity.NodeKey, x [32]byte, p kademlia.Puzzle, listen string, records kademlia.Validator) overlay.Config {
	if records == nil {
		records = overlay.NamedRecords{ChainID: ctx.Uint64(overlayChainIDFlag.Name)}
	}
	return overlay.Config{
		Key: key, PuzzleSolution: x, ListenAddr: listen,
		Kad: kademlia.ProtocolConfig{
			Wire:  kademlia.WireConfig{ChainID: ctx.Uint64(overlayChainIDFlag.Name), Puzzle: p},
			Store: kademlia.StoreConfig{Validator: records},
			// α = 3 parallel requests on d = 4 paths: the paper's security
			// with Kademlia's usual latency.
			Lookup: kademlia.LookupConfig{Alpha: 3, Paths: 4},
		},
		Logger: slog.Default(),
	}
}

// dhtClient joins the overlay with a fresh identity for one command;
// records is its record policy (nil: named records only).
func dhtClient(ctx *cli.Context, records kademlia.Validator) (*overlay.DHT, context.Context, context.CancelFunc, error) {
	peers, err := parseBootstrap(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(peers) == 0 {
		return nil, nil, nil, errors.New("no overlay node to ask: give --bootstrap <node ID>@<host:port> (printed by 'enigma node run')")
	}
	p, err := overlayPuzzle(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	key, x, err := dhtClientKey(ctx, p)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := overlayNodeConfig(ctx, key, x, p, ctx.String(clientListenFlag.Name), records)
	cfg.ClientOnly = true // the command exits: no node should route to it
	n, err := overlay.Start(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	cctx, cancel := context.WithTimeout(ctx.Context, ctx.Duration(dhtTimeoutFlag.Name))
	if err := n.Bootstrap(cctx, peers); err != nil {
		cancel()
		n.Close()
		return nil, nil, nil, err
	}
	return n, cctx, func() { cancel(); n.Close() }, nil
}

// dhtClientKey is the client's own overlay identity, <datadir>/dhtclient:
// separate from the node key (a node may be running with that one), and
// kept so the static puzzle is solved once, not on every command.
func dhtClientKey(ctx *cli.Context, p kademlia.Puzzle) (*identity.NodeKey, [32]byte, error) {
	path := filepath.Join(datadir(ctx), "dhtclient")
	key, err := identity.LoadNodeKey(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !kademlia.StaticOK(key.ID(), p.Static)) {
		if err == nil {
			// The network raised c1: this identity is no longer valid.
			if err := os.Remove(path); err != nil {
				return nil, [32]byte{}, fmt.Errorf("replace the dht client key: %w", err)
			}
		}
		key, err = newOverlayKey(ctx, path)
	}
	if err != nil {
		return nil, [32]byte{}, err
	}
	x, err := overlay.LoadOrSolvePuzzle(overlay.PuzzlePath(path), key, p)
	return key, x, err
}

func dhtArg(ctx *cli.Context, what string) (string, error) {
	if ctx.NArg() != 1 {
		return "", fmt.Errorf("want exactly one argument, the %s (got %d)", what, ctx.NArg())
	}
	return ctx.Args().First(), nil
}

func dhtFindNode(ctx *cli.Context) error {
	arg, err := dhtArg(ctx, "node ID")
	if err != nil {
		return err
	}
	target, err := identity.ParseNodeID(arg)
	if err != nil {
		return err
	}
	n, lctx, done, err := dhtClient(ctx, nil)
	if err != nil {
		return err
	}
	defer done()
	found, stats, err := n.FindNodeStats(lctx, target)
	if err != nil {
		return err
	}
	exact := false
	for _, c := range found {
		mark := " "
		if c.ID == target {
			mark, exact = "*", true
		}
		fmt.Fprintf(ctx.App.Writer, "%s %s@%s\n", mark, c.ID, c.Addr)
	}
	fmt.Fprintf(ctx.App.ErrWriter, "%d requests, %d failed\n", stats.Requests, stats.Failures)
	if !exact {
		return fmt.Errorf("node %s not found; the closest %d nodes are listed", target.Short(), len(found))
	}
	return nil
}

func dhtGet(ctx *cli.Context) error {
	arg, err := dhtArg(ctx, "key")
	if err != nil {
		return err
	}
	key, err := identity.ParseNodeID(arg)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	named := overlay.NamedRecords{ChainID: ctx.Uint64(overlayChainIDFlag.Name)}
	var policy kademlia.Validator = named
	if c, err := dialChain(ctx); err == nil {
		view := chainview.New(c, ctx.Uint64(chainConfirmationsFlag.Name))
		policy = records.Policy{Certified: ledger.RecordValidator{Sets: view.ValidatorSets(ctx.Context)}, Named: named}
	} else {
		fmt.Fprintf(ctx.App.ErrWriter, "certified records are not checked (the chain is not reachable: %v)\n", err)
	}
	n, lctx, done, err := dhtClient(ctx, policy)
	if err != nil {
		return err
	}
	defer done()
	value, err := n.Get(lctx, key)
	if err != nil {
		return err
	}
	if rec, err := overlay.DecodeNamedRecord(value); err == nil {
		fmt.Fprintf(ctx.App.ErrWriter, "named record %q, seq %d, publisher %s\n", rec.Name, rec.Seq, identity.IDFromPublicKey(rec.Publisher).Short())
		fmt.Fprintf(ctx.App.Writer, "%s\n", rec.Data)
		return nil
	}
	fmt.Fprintln(ctx.App.Writer, hex.EncodeToString(value))
	return nil
}

func dhtPut(ctx *cli.Context) error {
	if ctx.NArg() != 2 {
		return fmt.Errorf("want two arguments, <name> <value> (got %d)", ctx.NArg())
	}
	key, err := identity.LoadNodeKey(nodeKeyPath(ctx))
	if err != nil {
		return err
	}
	k, rec, err := overlay.NewNamedRecord(key, ctx.Uint64(overlayChainIDFlag.Name), ctx.Args().Get(0), ctx.Uint64(dhtSeqFlag.Name), []byte(ctx.Args().Get(1)))
	if err != nil {
		return err
	}
	n, lctx, done, err := dhtClient(ctx, nil)
	if err != nil {
		return err
	}
	defer done()
	stored, err := n.Put(lctx, k, rec)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.ErrWriter, "stored on %d nodes\n", stored)
	fmt.Fprintln(ctx.App.Writer, k)
	return nil
}

// newOverlayKey creates a node key that passes the static puzzle and stores
// it with its dynamic-puzzle solution.
func newOverlayKey(ctx *cli.Context, path string) (*identity.NodeKey, error) {
	p, err := overlayPuzzle(ctx)
	if err != nil {
		return nil, err
	}
	// Refuse before the puzzle work if a key is already there.
	if _, err := identity.LoadNodeKey(path); err == nil {
		return nil, fmt.Errorf("%w: %s (move it away first if you really want a new identity)", identity.ErrKeyExists, path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key, _, err := kademlia.GenerateKey(rand.Reader, p.Static)
	if err != nil {
		return nil, err
	}
	if err := identity.SaveNodeKey(path, key); err != nil {
		return nil, err
	}
	if _, err := overlay.LoadOrSolvePuzzle(overlay.PuzzlePath(path), key, p); err != nil {
		return nil, err
	}
	return key, nil
}

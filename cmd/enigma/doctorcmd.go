package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/node"
	"github.com/enigma-mpc/enigma/nodeinfo"
	"github.com/enigma-mpc/enigma/overlay"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

var nodeDoctorCommand = &cli.Command{
	Name:  "doctor",
	Usage: "check a node's datadir and configuration and say what to fix",
	Description: "Checks, without changing anything: the datadir's permissions, config.toml, the node key and\n" +
		"its puzzle solutions, the chain endpoint (reachable, the configured chain ID, the Marketplace's\n" +
		"code at its address, the chain's clock against this machine's), a validator's node key in the\n" +
		"current validator set, and whether the listen and metrics ports are free (a running node holds\n" +
		"them: run the doctor with the node stopped, or read its /readyz). Exits 1 if a check fails.",
	Flags:  append([]cli.Flag{nodeKeyFlag, formatFlag}, overlayFlags...),
	Action: nodeDoctor,
}

// doctorCheck is one finding of node doctor.
type doctorCheck struct {
	Check  string `json:"check"`
	Status string `json:"status"` // ok, warn or fail
	Detail string `json:"detail"` // what was found, and for warn and fail what to do
}

func nodeDoctor(ctx *cli.Context) error {
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	dir := datadir(ctx)
	var checks []doctorCheck
	add := func(check, status, detail string, args ...any) {
		checks = append(checks, doctorCheck{Check: check, Status: status, Detail: fmt.Sprintf(detail, args...)})
	}
	cfg, cfgErr := doctorDatadirAndConfig(dir, add)
	key := doctorNodeKey(ctx, add)
	if cfgErr == nil {
		doctorChain(ctx, cfg, key, add)
		doctorPorts(cfg, add)
	}

	failed := 0
	for _, c := range checks {
		if c.Status == "fail" {
			failed++
		}
	}
	if format != "table" {
		if err := writeData(ctx.App.Writer, format, checks); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(ctx.App.Writer, 0, 0, 2, ' ', 0)
		for _, c := range checks {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", strings.ToUpper(c.Status), c.Check, c.Detail)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d check(s) failed in %s: fix them as each says", failed, dir)
	}
	return nil
}

func doctorDatadirAndConfig(dir string, add func(string, string, string, ...any)) (node.Config, error) {
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		add("datadir", "fail", "%s: %v (create it with 'enigma node init')", dir, err)
		return node.Config{}, err
	case !info.IsDir():
		add("datadir", "fail", "%s is not a directory", dir)
		return node.Config{}, errors.New("not a directory")
	case info.Mode().Perm()&^node.DirMode != 0:
		add("datadir", "warn", "%s has mode %#o: other users may read its stores and keys (chmod 700 %s)", dir, info.Mode().Perm(), dir)
	default:
		add("datadir", "ok", "%s (mode %#o)", dir, info.Mode().Perm())
	}
	cfg, err := node.LoadConfig(dir)
	if err != nil {
		add("config", "fail", "%v", err)
		return cfg, err
	}
	add("config", "ok", "%s: roles %v", filepath.Join(dir, node.ConfigFile), cfg.Roles)
	return cfg, nil
}

// doctorNodeKey checks the node key and its puzzle solutions; it returns
// the key, or nil when there is none.
func doctorNodeKey(ctx *cli.Context, add func(string, string, string, ...any)) *identity.NodeKey {
	path := nodeKeyPath(ctx)
	key, err := identity.LoadNodeKey(path)
	if err != nil {
		add("node key", "fail", "%v (create one with 'enigma node key new')", err)
		return nil
	}
	add("node key", "ok", "node ID %s", key.ID())
	p, err := overlayPuzzle(ctx)
	if err != nil {
		add("puzzles", "fail", "%v", err)
		return key
	}
	if !kademlia.StaticOK(key.ID(), p.Static) {
		add("puzzles", "fail", "the node key fails the static puzzle c1 = %d: every node of the network must use the same --puzzle.static; if that is right, create a new key ('enigma node key new', a new node ID)", p.Static)
		return key
	}
	b, err := os.ReadFile(overlay.PuzzlePath(path))
	raw, derr := hex.DecodeString(strings.TrimSpace(string(b)))
	var x [32]byte
	copy(x[:], raw)
	if err != nil || derr != nil || len(raw) != 32 || !kademlia.DynamicOK(key.ID(), x, p.Dynamic) {
		add("puzzles", "warn", "no stored solution of the dynamic puzzle c2 = %d at %s: 'enigma node run' solves it at start (a few seconds to minutes)", p.Dynamic, overlay.PuzzlePath(path))
		return key
	}
	add("puzzles", "ok", "c1 = %d and c2 = %d solved (the network's nodes must use the same)", p.Static, p.Dynamic)
	return key
}

func doctorChain(ctx *cli.Context, cfg node.Config, key *identity.NodeKey, add func(string, string, string, ...any)) {
	if cfg.Chain.Marketplace == "" {
		if len(cfg.Roles) > 1 {
			add("chain", "fail", "roles %v need the Marketplace: set chain.marketplace in config.toml (or --market.address at 'node run')", cfg.Roles)
		} else {
			add("chain", "ok", "an overlay-only node without a Marketplace runs without a chain")
		}
		return
	}
	dctx, cancel := context.WithTimeout(ctx.Context, 10*time.Second)
	defer cancel()
	ec, err := ethclient.DialContext(dctx, cfg.Chain.RPC)
	if err != nil {
		add("chain", "fail", "cannot reach %s: %v (start the endpoint, or fix chain.rpc)", cfg.Chain.RPC, err)
		return
	}
	defer ec.Close()
	id, err := ec.ChainID(dctx)
	if err != nil {
		add("chain", "fail", "cannot reach %s: %v (start the endpoint, or fix chain.rpc)", cfg.Chain.RPC, err)
		return
	}
	if id.Uint64() != cfg.Chain.ChainID {
		add("chain", "fail", "%s serves chain %d, config.toml says chain_id = %d: point chain.rpc at the right network", cfg.Chain.RPC, id, cfg.Chain.ChainID)
		return
	}
	add("chain", "ok", "%s, chain ID %d, %d confirmation(s)", cfg.Chain.RPC, cfg.Chain.ChainID, cfg.Chain.Confirmations)
	market := common.HexToAddress(cfg.Chain.Marketplace)
	code, err := ec.CodeAt(dctx, market, nil)
	switch {
	case err != nil:
		add("contracts", "fail", "read the code at %s: %v", market.Hex(), err)
		return
	case len(code) == 0:
		add("contracts", "fail", "no contract at chain.marketplace %s on this chain: fix the address ('enigma --version' shows the recorded one)", market.Hex())
		return
	}
	c, err := chain.Dial(dctx, cfg.Chain.RPC, market, cfg.Chain.Confirmations)
	if err != nil {
		add("contracts", "fail", "%s does not answer as the Marketplace: %v", market.Hex(), err)
		return
	}
	add("contracts", "ok", "Marketplace at %s (%d bytes of code)", market.Hex(), len(code))
	if head, err := c.HeadTime(dctx); err == nil {
		skew := time.Until(head).Round(time.Second)
		switch {
		case skew < -10*time.Minute:
			add("clock", "warn", "the chain's latest block is %s old: the endpoint may lag (or a dev chain is idle); confirmed reads wait for new blocks", -skew)
		case skew > 10*time.Minute && cfg.Chain.ChainID != devChainID:
			add("clock", "warn", "the chain's latest block is %s ahead of this machine's clock: check NTP (persistence nodes refuse pushes for slots too far ahead)", skew)
		default:
			add("clock", "ok", "the chain's latest block and this machine's clock differ by %s", skew)
		}
	}
	if cfg.HasRole(nodeinfo.RoleValidator) && key != nil {
		doctorValidator(dctx, c, key, add)
	}
}

// doctorValidator checks that the node key is in the current validator set.
func doctorValidator(ctx context.Context, c *chain.Client, key *identity.NodeKey, add func(string, string, string, ...any)) {
	epoch, err := c.Epoch(ctx, nil)
	if err != nil {
		add("validator", "fail", "read the validator epoch: %v", err)
		return
	}
	vs, err := c.ValidatorSet(ctx, epoch, nil)
	if err != nil {
		add("validator", "fail", "read the validator set of epoch %d: %v", epoch, err)
		return
	}
	for i, k := range vs.NodeKeys {
		if string(k[:]) == string(key.Public()) {
			add("validator", "ok", "in the validator set of epoch %d as account %s", epoch, vs.Accounts[i].Hex())
			return
		}
	}
	add("validator", "fail", "node key %x is not in the validator set of epoch %d: the Marketplace owner adds it with 'enigma contracts set-validators' (then activate-validators)", []byte(key.Public()), epoch)
}

func doctorPorts(cfg node.Config, add func(string, string, string, ...any)) {
	if pc, err := net.ListenPacket("udp", cfg.Overlay.Listen); err != nil {
		add("listen", "warn", "UDP %s is taken (%v): a running node holds it, or pick another overlay.listen", cfg.Overlay.Listen, err)
	} else {
		pc.Close()
		add("listen", "ok", "UDP %s is free", cfg.Overlay.Listen)
	}
	if cfg.Metrics.Addr == "" {
		add("metrics", "warn", "metrics.addr is empty: no /metrics, /healthz or /readyz to watch the node by")
		return
	}
	if ln, err := net.Listen("tcp", cfg.Metrics.Addr); err != nil {
		add("metrics", "warn", "TCP %s is taken (%v): a running node holds it, or pick another metrics.addr", cfg.Metrics.Addr, err)
	} else {
		ln.Close()
		add("metrics", "ok", "TCP %s is free", cfg.Metrics.Addr)
	}
}

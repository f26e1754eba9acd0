package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/node"
)

var (
	rolesFlag = &cli.StringFlag{
		Name:     "roles",
		Usage:    "comma-separated roles: validator, overlay, worker, persistence (overlay is always on)",
		Value:    "overlay",
		EnvVars:  envName("roles"),
		Category: catNode,
	}
	listenFlag = &cli.StringFlag{
		Name:     "listen",
		Usage:    "UDP host:port the overlay's QUIC endpoint listens on",
		Value:    node.DefaultConfig().Overlay.Listen,
		EnvVars:  envName("listen"),
		Category: catNode,
	}
	bootstrapFlag = &cli.StringSliceFlag{
		Name:     "bootstrap",
		Usage:    "overlay node to join through, as <node ID>@<host:port> (repeatable)",
		EnvVars:  envName("bootstrap"),
		Category: catNode,
	}
	metricsAddrFlag = &cli.StringFlag{
		Name:     "metrics.addr",
		Usage:    "host:port for Prometheus /metrics and /healthz (empty disables)",
		Value:    node.DefaultConfig().Metrics.Addr,
		EnvVars:  envName("metrics.addr"),
		Category: catNode,
	}
)

func nodeInit(ctx *cli.Context) error {
	dir := datadir(ctx)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create datadir: %w", err)
	}
	roles, err := node.ParseRoles(ctx.String(rolesFlag.Name))
	if err != nil {
		return err
	}
	cfg := node.DefaultConfig()
	cfg.Roles = roles
	cfg.Overlay.Listen = ctx.String(listenFlag.Name)
	cfg.Overlay.Bootstrap = ctx.StringSlice(bootstrapFlag.Name)
	cfg.Metrics.Addr = ctx.String(metricsAddrFlag.Name)
	if err := node.WriteConfig(dir, cfg); err != nil {
		return err
	}
	key, err := identity.LoadNodeKey(nodeKeyPath(ctx))
	if errors.Is(err, fs.ErrNotExist) {
		if key, err = identity.GenerateNodeKey(rand.Reader); err == nil {
			err = identity.SaveNodeKey(nodeKeyPath(ctx), key)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Datadir: %s\nConfig: %s\nNode ID: %s\n", dir, filepath.Join(dir, node.ConfigFile), key.ID())
	return nil
}

var nodeCommand = &cli.Command{
	Name:  "node",
	Usage: "run and manage an enigma node",
	Subcommands: []*cli.Command{
		{
			Name:  "init",
			Usage: "prepare a datadir: node key (if missing) and config.toml",
			Description: "Writes <datadir>/config.toml from the flags given; edit it afterwards, or override\n" +
				"its settings with the flags of 'enigma node run'.",
			Flags:  []cli.Flag{nodeKeyFlag, rolesFlag, listenFlag, bootstrapFlag, metricsAddrFlag},
			Action: nodeInit,
		},
		{
			Name:  "key",
			Usage: "manage the node's Ed25519 identity key",
			Subcommands: []*cli.Command{
				{
					Name:   "new",
					Usage:  "create the node key (refuses to overwrite an existing one)",
					Flags:  []cli.Flag{nodeKeyFlag},
					Action: nodeKeyNew,
				},
				{
					Name:   "show",
					Usage:  "print the node ID and public key",
					Flags:  []cli.Flag{nodeKeyFlag},
					Action: nodeKeyShow,
				},
			},
		},
	},
}

func nodeKeyNew(ctx *cli.Context) error {
	key, err := identity.GenerateNodeKey(rand.Reader)
	if err != nil {
		return err
	}
	path := nodeKeyPath(ctx)
	if err := identity.SaveNodeKey(path, key); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Node ID: %s\nKey file: %s\n", key.ID(), path)
	return nil
}

func nodeKeyShow(ctx *cli.Context) error {
	key, err := identity.LoadNodeKey(nodeKeyPath(ctx))
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Node ID: %s\nPublic key: %x\n", key.ID(), []byte(key.Public()))
	return nil
}

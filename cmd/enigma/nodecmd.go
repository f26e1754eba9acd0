package main

import (
	"crypto/rand"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/identity"
)

var nodeCommand = &cli.Command{
	Name:  "node",
	Usage: "run and manage an enigma node",
	Subcommands: []*cli.Command{
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

package main

import "github.com/urfave/cli/v2"

var simCommand = &cli.Command{
	Name:  "sim",
	Usage: "run deterministic simulations of enigma's protocols",
	Subcommands: []*cli.Command{
		simOverlayCommand,
		simConsensusCommand,
		simBugsCommand,
	},
}

// Command enigma is the one binary of the enigma data marketplace: it runs
// nodes and simulations and is the client for providers and subscribers.
package main

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/urfave/cli/v2"
)

func newApp() *cli.App {
	cli.VersionPrinter = printVersion
	app := &cli.App{
		Name:    "enigma",
		Version: version,
		Usage:   "decentralized data marketplace: nodes, simulations and the provider/subscriber client",
		Description: "Every flag can also be set with an ENIGMA_… environment variable, named after the flag\n" +
			"in upper case with dots and dashes as underscores (--log.level → ENIGMA_LOG_LEVEL); a flag whose\n" +
			"meaning differs between commands reads one named after its command too (account send --to →\n" +
			"ENIGMA_ACCOUNT_SEND_TO); --help shows each flag's variable. Chain, bootstrap,\n" +
			"account and puzzle settings can be kept in <datadir>/client.toml ('enigma config set'); commands\n" +
			"read it first, then the environment, then flags.",
		Flags:                globalFlags,
		Before:               setupLogging,
		EnableBashCompletion: true,
		Commands: []*cli.Command{
			accountCommand,
			nodeCommand,
			simCommand,
			dhtCommand,
			ledgerCommand,
			workerCommand,
			queryCommand,
			contractsCommand,
			marketCommand,
			providerCommand,
			subscriberCommand,
			devnetCommand,
			benchCommand,
			testbedCommand,
			configCommand,
			completionCommand,
		},
		// Errors are printed once, by main, without a usage dump.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	setupOnce.Do(func() { setupCommands("", app.Commands) })
	return app
}

// setupOnce guards setupCommands: it changes the package's command values.
var setupOnce sync.Once

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		code := 1
		var coder cli.ExitCoder
		if errors.As(err, &coder) && coder.ExitCode() != 0 {
			code = coder.ExitCode()
		}
		os.Exit(code)
	}
}

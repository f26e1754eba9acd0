package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
)

// Flag categories, as shown by --help.
const (
	catGeneral = "GENERAL"
	catLogging = "LOGGING"
	catAccount = "ACCOUNT"
	catNode    = "NODE"
	catDevnet  = "DEVNET"
	catChain   = "CHAIN"
)

// envName maps a flag name to its environment variable: --log.level → ENIGMA_LOG_LEVEL.
func envName(flag string) []string {
	r := strings.NewReplacer(".", "_", "-", "_")
	return []string{"ENIGMA_" + strings.ToUpper(r.Replace(flag))}
}

func defaultDatadir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".enigma"
	}
	return filepath.Join(home, ".enigma")
}

var (
	datadirFlag = &cli.StringFlag{
		Name:     "datadir",
		Usage:    "directory for keys, databases and configuration",
		Value:    defaultDatadir(),
		EnvVars:  envName("datadir"),
		Category: catGeneral,
	}
	logLevelFlag = &cli.StringFlag{
		Name:     "log.level",
		Usage:    "log level: debug, info, warn or error",
		Value:    "info",
		EnvVars:  envName("log.level"),
		Category: catLogging,
	}
	logFormatFlag = &cli.StringFlag{
		Name:     "log.format",
		Usage:    "log format: text or json",
		Value:    "text",
		EnvVars:  envName("log.format"),
		Category: catLogging,
	}
	passwordFileFlag = &cli.PathFlag{
		Name:     "password-file",
		Usage:    "file whose first line is the account password (ENIGMA_PASSWORD also works; otherwise you are prompted)",
		EnvVars:  envName("password-file"),
		Category: catAccount,
	}
	lightKDFFlag = &cli.BoolFlag{
		Name:     "lightkdf",
		Usage:    "encrypt new keys with cheap scrypt parameters (dev chains and tests only)",
		EnvVars:  envName("lightkdf"),
		Category: catAccount,
	}
	nodeKeyFlag = &cli.PathFlag{
		Name:     "nodekey",
		Usage:    "node key file (default <datadir>/nodekey)",
		EnvVars:  envName("nodekey"),
		Category: catGeneral,
	}
)

// Chain flags, shared by every command that talks to the Marketplace.
var (
	chainRPCFlag = &cli.StringFlag{
		Name:     "chain.rpc",
		Usage:    "Ethereum JSON-RPC endpoint (http, ws or ipc); 'enigma contracts devchain' serves one",
		Value:    "http://127.0.0.1:8545",
		EnvVars:  envName("chain.rpc"),
		Category: catChain,
	}
	chainIDFlag = &cli.Uint64Flag{
		Name:     "chain.id",
		Usage:    "expected chain ID: refuse to send to an endpoint of another chain (0: accept the endpoint's)",
		EnvVars:  envName("chain.id"),
		Category: catChain,
	}
	chainConfirmationsFlag = &cli.Uint64Flag{
		Name:     "chain.confirmations",
		Usage:    "blocks on top of a transaction before it counts as done (dev chains mine on demand: keep 0 there)",
		EnvVars:  envName("chain.confirmations"),
		Category: catChain,
	}
	marketAddressFlag = &cli.StringFlag{
		Name:     "market.address",
		Usage:    "Marketplace contract address (default: the one recorded in <datadir>/deployment.json by 'enigma contracts deploy')",
		EnvVars:  envName("market.address"),
		Category: catChain,
	}
	accountFlag = &cli.StringFlag{
		Name:     "account",
		Usage:    "keystore account to send from (default: the only account in the keystore)",
		EnvVars:  envName("account"),
		Category: catAccount,
	}
)

// chainFlags are the flags of every command that sends or reads chain state.
var chainFlags = []cli.Flag{chainRPCFlag, chainIDFlag, chainConfirmationsFlag, marketAddressFlag}

// txFlags are chainFlags plus what sending a transaction needs.
var txFlags = append(append([]cli.Flag{}, chainFlags...), accountFlag, passwordFileFlag)

var globalFlags = []cli.Flag{datadirFlag, logLevelFlag, logFormatFlag}

// logOutput is where logs go; tests replace it.
var logOutput = os.Stderr

func setupLogging(ctx *cli.Context) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(ctx.String(logLevelFlag.Name))); err != nil {
		return fmt.Errorf("--log.level %q: use debug, info, warn or error", ctx.String(logLevelFlag.Name))
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch ctx.String(logFormatFlag.Name) {
	case "text":
		h = slog.NewTextHandler(logOutput, opts)
	case "json":
		h = slog.NewJSONHandler(logOutput, opts)
	default:
		return fmt.Errorf("--log.format %q: use text or json", ctx.String(logFormatFlag.Name))
	}
	slog.SetDefault(slog.New(h))
	return nil
}

// datadir returns the data directory, expanding a leading ~.
func datadir(ctx *cli.Context) string {
	d := ctx.String(datadirFlag.Name)
	if d == "~" || strings.HasPrefix(d, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			d = filepath.Join(home, strings.TrimPrefix(d, "~"))
		}
	}
	return d
}

func nodeKeyPath(ctx *cli.Context) string {
	if p := ctx.Path(nodeKeyFlag.Name); p != "" {
		return p
	}
	return filepath.Join(datadir(ctx), "nodekey")
}

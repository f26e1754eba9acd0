package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/consensus/quorum"
	"github.com/enigma-mpc/enigma/identity"
)

var (
	tokenAddressFlag = &cli.StringFlag{
		Name:  "token",
		Usage: "existing ERC-20 to be paid in (default: deploy a dev ENG token with deployer-only minting)",
	}
	minDepositFlag = &cli.StringFlag{
		Name:  "min-deposit",
		Usage: "smallest deposit a dataset may be registered with, in ENG",
		Value: chain.FormatENG(chain.DefaultDeployParams().MinDeposit),
	}
	slashAmountFlag = &cli.StringFlag{
		Name:  "slash-amount",
		Usage: "ENG taken from a deposit by one slash",
		Value: chain.FormatENG(chain.DefaultDeployParams().SlashAmount),
	}
	challengeWindowFlag = &cli.DurationFlag{
		Name:  "challenge-window",
		Usage: "how long a deposit stays slashable after the last access a deactivated dataset granted",
		Value: chain.DefaultDeployParams().ChallengeWindow,
	}
	validatorSetDelayFlag = &cli.DurationFlag{
		Name: "validator-set-delay",
		Usage: "notice the owner must give of a new validator set (every set after the first): set-validators announces it, " +
			"activate-validators makes it effective this long after; fixed at deployment",
		Value: chain.DefaultValidatorSetDelay,
	}
	// devValidatorSetDelayFlag is validatorSetDelayFlag with a dev chain's
	// default: short, so validator rotations can be tried out.
	devValidatorSetDelayFlag = &cli.DurationFlag{
		Name:  validatorSetDelayFlag.Name,
		Usage: validatorSetDelayFlag.Usage,
		Value: DevValidatorSetDelay,
	}
	devHTTPFlag = &cli.StringFlag{
		Name:  "http.addr",
		Usage: "host:port the dev chain serves JSON-RPC on",
		Value: "127.0.0.1:8545",
		// Not ENIGMA_HTTP_ADDR: that one is a node's HTTP API.
		EnvVars: envName("devchain.http.addr"),
	}
	devAccountsFlag = &cli.IntFlag{
		Name:  "dev.accounts",
		Usage: "number of funded dev accounts (imported into the keystore)",
		Value: 4,
	}
	mintToFlag = &cli.StringFlag{
		Name:     "to",
		Usage:    "address to mint to",
		Required: true,
	}
	validatorFlag = &cli.StringSliceFlag{
		Name:     "validator",
		Usage:    "validator as <account address>:<Ed25519 node public key, 64 hex digits> (repeatable)",
		Required: true,
	}
	thresholdFlag = &cli.UintFlag{
		Name:        "threshold",
		Usage:       "signatures a slash needs, within [⌈(n+f+1)/2⌉, n−f] for n validators and f = ⌊(n−1)/3⌋",
		DefaultText: "the quorum ⌈(n+f+1)/2⌉",
	}
	amountFlag = &cli.StringFlag{
		Name:     "amount",
		Usage:    "amount in ENG, e.g. 100 or 0.5",
		Required: true,
	}
)

// DevValidatorSetDelay is the validator-set delay of 'enigma contracts
// devchain' unless --validator-set-delay is given.
const DevValidatorSetDelay = time.Minute

var contractsCommand = &cli.Command{
	Name:  "contracts",
	Usage: "deploy the Marketplace and run a dev chain",
	Subcommands: []*cli.Command{
		{
			Name:  "deploy",
			Usage: "deploy the Marketplace (and a dev ENG token) from a keystore account",
			Description: "Records the addresses in <datadir>/deployment.json, where the market, provider and\n" +
				"subscriber commands find them (or pass --market.address).",
			Flags:  append(append([]cli.Flag{}, txFlags...), tokenAddressFlag, minDepositFlag, slashAmountFlag, challengeWindowFlag, validatorSetDelayFlag),
			Action: contractsDeploy,
		},
		{
			Name:  "devchain",
			Usage: "run an in-process dev chain with the contracts deployed, served over HTTP JSON-RPC",
			Description: "Dev accounts are funded with ether and ENG and imported into the keystore\n" +
				"(light KDF, the password from --password-file or ENIGMA_PASSWORD). Their keys are public\n" +
				"knowledge: never use them on a real network. Stops on Ctrl-C; the chain is not kept.",
			Flags:  []cli.Flag{devHTTPFlag, devAccountsFlag, passwordFileFlag, minDepositFlag, slashAmountFlag, challengeWindowFlag, devValidatorSetDelayFlag, blockPeriodFlag},
			Action: contractsDevchain,
		},
		{
			Name:  "set-validators",
			Usage: "set the next validator epoch's set (the Marketplace owner only): at once for the first, announced for later ones",
			Description: "Each validator is an Ethereum account (signs slash attestations) and an Ed25519 node\n" +
				"public key (signs ledger checkpoints; 'enigma node init' prints it). An epoch needs at least\n" +
				"4 validators: PBFT tolerates f = ⌊(n−1)/3⌋ faulty ones. A slash needs --threshold signatures,\n" +
				"by default the quorum ⌈(n+f+1)/2⌉; the Marketplace refuses fewer (two slash quorums must share\n" +
				"a correct validator) and more than n−f (the correct validators alone must be able to slash).\n" +
				"The first set starts epoch 1 at once. A later set is only announced: it takes effect after the\n" +
				"Marketplace's validator-set delay (fixed at deployment), when anyone runs\n" +
				"'enigma contracts activate-validators'. Until then the current epoch stays in force; a new\n" +
				"set-validators replaces the announcement (and restarts the delay), cancel-validators withdraws it.",
			Flags:  append(append([]cli.Flag{}, txFlags...), validatorFlag, thresholdFlag),
			Action: contractsSetValidators,
		},
		{
			Name:   "activate-validators",
			Usage:  "start the next epoch with the announced validator set once its delay has passed (any account)",
			Flags:  append([]cli.Flag{}, txFlags...),
			Action: contractsActivateValidators,
		},
		{
			Name:   "cancel-validators",
			Usage:  "withdraw the announced validator set (the Marketplace owner only)",
			Flags:  append([]cli.Flag{}, txFlags...),
			Action: contractsCancelValidators,
		},
		{
			Name:   "mint",
			Usage:  "mint dev ENG tokens (the token deployer only, dev tokens only)",
			Flags:  append(append([]cli.Flag{}, txFlags...), mintToFlag, amountFlag),
			Action: contractsMint,
		},
	},
}

func deployParams(ctx *cli.Context) (chain.DeployParams, error) {
	p := chain.DefaultDeployParams()
	minDep, err := parseENGFlag(ctx, minDepositFlag.Name)
	if err != nil {
		return p, err
	}
	slash, err := parseENGFlag(ctx, slashAmountFlag.Name)
	if err != nil {
		return p, err
	}
	p.MinDeposit, p.SlashAmount = minDep, slash
	p.ChallengeWindow = ctx.Duration(challengeWindowFlag.Name)
	if p.ChallengeWindow < 0 {
		return p, errors.New("--challenge-window must not be negative")
	}
	p.ValidatorSetDelay = ctx.Duration(validatorSetDelayFlag.Name)
	if p.ValidatorSetDelay < 0 {
		return p, errors.New("--validator-set-delay must not be negative")
	}
	return p, nil
}

func contractsDeploy(ctx *cli.Context) error {
	p, err := deployParams(ctx)
	if err != nil {
		return err
	}
	if s := ctx.String(tokenAddressFlag.Name); s != "" {
		if !common.IsHexAddress(s) {
			return fmt.Errorf("--token %q is not an Ethereum address", s)
		}
		p.Token = common.HexToAddress(s)
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	backend, err := dialBackend(ctx)
	if err != nil {
		return err
	}
	dep, err := chain.Deploy(ctx.Context, chain.Config{Backend: backend, Confirmations: ctx.Uint64(chainConfirmationsFlag.Name)}, key, p)
	if err != nil {
		return err
	}
	if err := saveDeployment(ctx, dep); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Chain:       %d\nToken:       %s\nMarketplace: %s (block %d)\nRecorded in: %s\n",
		dep.ChainID, dep.Token.Hex(), dep.Market.Hex(), dep.Block, deploymentPath(ctx))
	return nil
}

func contractsDevchain(ctx *cli.Context) error {
	p, err := deployParams(ctx)
	if err != nil {
		return err
	}
	pw, err := readPassword(ctx, "Password for the dev accounts in the keystore", false)
	if err != nil {
		return err
	}
	ks, err := identity.OpenKeystore(filepath.Join(datadir(ctx), "keystore"), identity.LightKDF)
	if err != nil {
		return err
	}
	runCtx, stop := signal.NotifyContext(ctx.Context, os.Interrupt)
	defer stop()
	dc, err := chain.StartDevChain(runCtx, chain.DevChainConfig{
		Accounts:    ctx.Int(devAccountsFlag.Name),
		HTTPAddr:    ctx.String(devHTTPFlag.Name),
		BlockPeriod: ctx.Duration(blockPeriodFlag.Name),
		Deploy:      p,
	})
	if err != nil {
		return err
	}
	defer dc.Close()
	accts, err := dc.ImportKeys(ks, pw)
	if err != nil {
		return err
	}
	if err := saveDeployment(ctx, dc.Deployment); err != nil {
		return err
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Dev chain %d serving JSON-RPC at %s\nToken:       %s\nMarketplace: %s\nRecorded in: %s\n",
		dc.Deployment.ChainID, dc.URL(), dc.Deployment.Token.Hex(), dc.Deployment.Market.Hex(), deploymentPath(ctx))
	for i, a := range accts {
		role := "funded"
		if i == 0 {
			role = "deployer, Marketplace owner, token minter"
		}
		fmt.Fprintf(w, "Account #%d: %s (%s)\n", i, a.Hex(), role)
	}
	fmt.Fprintf(w, "Chain clock: %s\n", chainClockLine(dc))
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
	<-runCtx.Done()
	return nil
}

func contractsMint(ctx *cli.Context) error {
	to := ctx.String(mintToFlag.Name)
	if !common.IsHexAddress(to) {
		return fmt.Errorf("--to %q is not an Ethereum address", to)
	}
	amount, err := parseENGFlag(ctx, amountFlag.Name)
	if err != nil {
		return err
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	if _, err := c.Mint(ctx.Context, key, common.HexToAddress(to), amount); err != nil {
		return err
	}
	bal, err := c.TokenBalance(ctx.Context, common.HexToAddress(to))
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Minted %s ENG to %s; balance %s ENG\n", chain.FormatENG(amount), to, chain.FormatENG(bal))
	return nil
}

func parseValidators(specs []string) ([]common.Address, [][32]byte, error) {
	var accts []common.Address
	var keys [][32]byte
	for _, s := range specs {
		addr, keyHex, ok := strings.Cut(s, ":")
		key := common.FromHex(keyHex)
		if !ok || !common.IsHexAddress(addr) || len(key) != 32 {
			return nil, nil, fmt.Errorf("--validator %q: want <account address>:<node public key as 64 hex digits>", s)
		}
		accts = append(accts, common.HexToAddress(addr))
		keys = append(keys, [32]byte(key))
	}
	return accts, keys, nil
}

func contractsSetValidators(ctx *cli.Context) error {
	accts, keys, err := parseValidators(ctx.StringSlice(validatorFlag.Name))
	if err != nil {
		return err
	}
	threshold := quorum.Size(len(accts))
	if ctx.IsSet(thresholdFlag.Name) {
		threshold = int(min(ctx.Uint(thresholdFlag.Name), math.MaxUint16+1))
	}
	if err := chain.CheckValidatorSet(len(accts), threshold); err != nil {
		if ctx.IsSet(thresholdFlag.Name) {
			return fmt.Errorf("--threshold: %w", err)
		}
		return err
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	replaced, hadPending, err := c.PendingValidatorSet(ctx.Context, nil)
	if err != nil {
		return err
	}
	if _, err := c.SetValidators(ctx.Context, key, accts, keys, uint16(threshold)); err != nil {
		return err
	}
	w := ctx.App.Writer
	pending, ok, err := c.PendingValidatorSet(ctx.Context, nil)
	if err != nil {
		return err
	}
	if !ok { // the first set: effective at once
		epoch, err := c.Epoch(ctx.Context, nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Epoch %d: %d validators, %d signatures per slash\n", epoch, len(accts), threshold)
		return nil
	}
	if hadPending {
		fmt.Fprintf(w, "Replaced the set announced for epoch %d (it would have taken effect at %s)\n", replaced.Epoch, formatTime(replaced.ActivatesAt))
	}
	delay, err := c.ValidatorSetDelay(ctx.Context)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Announced epoch %d: %d validators, %d signatures per slash\n"+
		"It takes effect at %s (the Marketplace's %s validator-set delay); epoch %d stays in force until then.\n"+
		"Then run 'enigma contracts activate-validators' (any account may).\n",
		pending.Epoch, len(accts), threshold, formatTime(pending.ActivatesAt), delay, pending.Epoch-1)
	return nil
}

func contractsActivateValidators(ctx *cli.Context) error {
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	pending, ok, err := c.PendingValidatorSet(ctx.Context, nil)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("no validator set is announced: the Marketplace owner announces one with 'enigma contracts set-validators'")
	}
	now, err := c.HeadTime(ctx.Context)
	if err != nil {
		return err
	}
	if now.Before(pending.ActivatesAt) {
		return fmt.Errorf("the set announced for epoch %d takes effect at %s, in %s (by the chain's clock): run this again then",
			pending.Epoch, formatTime(pending.ActivatesAt), pending.ActivatesAt.Sub(now))
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	if _, err := c.ActivateValidators(ctx.Context, key); err != nil {
		return err
	}
	epoch, err := c.Epoch(ctx.Context, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Epoch %d: %d validators, %d signatures per slash; epoch %d's signatures still slash its datasets for %s\n",
		epoch, len(pending.Accounts), pending.Threshold, epoch-1, chain.SlashGracePeriod)
	return nil
}

func contractsCancelValidators(ctx *cli.Context) error {
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	pending, ok, err := c.PendingValidatorSet(ctx.Context, nil)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("no validator set is announced: nothing to cancel")
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	if _, err := c.CancelValidatorSet(ctx.Context, key); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Withdrew the set announced for epoch %d; the current epoch goes on\n", pending.Epoch)
	return nil
}

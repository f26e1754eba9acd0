package main

import (
	"bufio"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/enigma-mpc/enigma/chain"
)

var yesFlag = &cli.BoolFlag{
	Name:     "yes",
	Usage:    "send without asking (scripts); without it a terminal is asked to confirm the summary, and a non-terminal is refused",
	EnvVars:  envName("yes"),
	Category: catAccount,
}

// spendFlags are on every command that moves money: --yes and --dry-run.
var spendFlags = []cli.Flag{yesFlag, dryRunFlag}

// errUnconfirmed is what the refusals below wrap: nothing was sent because
// nobody confirmed.
var errUnconfirmed = errors.New("nothing was sent")

var (
	errCancelled = fmt.Errorf("cancelled: %w", errUnconfirmed)
	errNoTTY     = fmt.Errorf("refusing to spend without a confirmation, and there is no terminal to ask: "+
		"pass --yes to send (or --dry-run to preview); %w", errUnconfirmed)
)

// stdinIsTerminal says whether a person can be asked (tests replace it).
var stdinIsTerminal = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

// spend is what a money-moving command is about to do, for its summary.
type spend struct {
	what    string         // "Subscribe to 0x…/weather for 2 period(s) of 30 days"
	from    common.Address // the paying account
	pays    *big.Int       // ENG leaving the account (nil: none)
	payee   string         // who receives it
	ether   *big.Int       // ether leaving the account besides gas (nil: none)
	approve *big.Int       // allowance approved first (nil: none)
	gas     uint64         // gas of the main transaction (0: known once the approve is mined)
	notes   []string
}

// simulate runs the transaction as an eth_call (estimateGas) before
// anything is sent: a revert refuses here, with the contract's reason, except
// the token's InsufficientAllowance — the Marketplace checks everything else
// before it pulls the payment, so that one means only the approve is
// missing, and it is planned (or refused without --approve).
func (s *spend) simulate(ctx *cli.Context, c *chain.Client, estimate func() (uint64, error)) error {
	gas, err := estimate()
	switch {
	case err == nil:
		s.gas = gas
		return nil
	case errors.Is(err, chain.Revert("InsufficientAllowance")):
		if !ctx.Bool(approveFlag.Name) {
			if err := c.CheckFunds(ctx.Context, s.from, s.pays); err != nil {
				return fmt.Errorf("%w (--approve=false); nothing was sent", err)
			}
			return fmt.Errorf("the Marketplace may not pull %s ENG from %s (--approve=false); nothing was sent", chain.FormatENG(s.pays), s.from.Hex())
		}
		s.approve = s.pays
		return nil
	}
	return fmt.Errorf("the transaction would fail, so nothing was sent: %w", err)
}

// confirm prints the summary, then --dry-run stops there (false, nil) and
// askToSend decides.
func (s *spend) confirm(ctx *cli.Context, c *chain.Client) (bool, error) {
	w := ctx.App.Writer
	fmt.Fprintln(w, s.what)
	fmt.Fprintf(w, "  from:      %s\n", s.from.Hex())
	if s.pays != nil {
		fmt.Fprintf(w, "  pays:      %s ENG (%s base units) to %s\n", chain.FormatENG(s.pays), s.pays, s.payee)
		if bal, err := c.TokenBalance(ctx.Context, s.from); err == nil {
			fmt.Fprintf(w, "  ENG:       %s → %s\n", chain.FormatENG(bal), chain.FormatENG(new(big.Int).Sub(bal, s.pays)))
		}
	}
	if s.ether != nil {
		fmt.Fprintf(w, "  sends:     %s ETH to %s\n", chain.FormatETH(s.ether), s.payee)
	}
	if s.approve != nil {
		fmt.Fprintf(w, "  approves:  the Marketplace to pull %s ENG first (a transaction of its own)\n", chain.FormatENG(s.approve))
	}
	if fee, err := c.MaxFeePerGas(ctx.Context); err == nil {
		if s.gas > 0 {
			max := new(big.Int).Mul(new(big.Int).SetUint64(s.gas), fee)
			fmt.Fprintf(w, "  gas:       ≈%d (at most %s ETH at %s gwei)\n", s.gas, chain.FormatETH(max), formatGwei(fee))
		} else {
			fmt.Fprintf(w, "  gas:       estimated once the approve is mined (%s gwei now)\n", formatGwei(fee))
		}
	}
	for _, n := range s.notes {
		fmt.Fprintf(w, "  note:      %s\n", n)
	}
	if ctx.Bool(dryRunFlag.Name) {
		fmt.Fprintln(w, "Dry run: nothing was sent.")
		return false, nil
	}
	if err := askToSend(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// askToSend is the confirmation after a summary: --yes goes on, a terminal
// is asked, anything else is refused (errNoTTY), since money must not move
// on a guess.
func askToSend(ctx *cli.Context) error {
	switch {
	case ctx.Bool(yesFlag.Name):
		return nil
	case !stdinIsTerminal():
		return errNoTTY
	}
	fmt.Fprint(ctx.App.ErrWriter, "Send? [y/N] ")
	answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return errCancelled
	}
	return nil
}

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
)

var accountCommand = &cli.Command{
	Name:  "account",
	Usage: "manage Ethereum accounts (providers, subscribers, validators) in the encrypted keystore",
	Description: "Accounts live in <datadir>/keystore in go-ethereum's encrypted keystore format, so geth\n" +
		"and wallets can use the same files. Private keys are never printed.",
	Subcommands: []*cli.Command{
		{
			Name:   "new",
			Usage:  "create a new account",
			Flags:  []cli.Flag{passwordFileFlag, lightKDFFlag},
			Action: accountNew,
		},
		{
			Name:   "list",
			Usage:  "list the accounts in the keystore",
			Action: accountList,
		},
		{
			Name:      "import",
			Usage:     "import a private key from a file holding it in hex",
			ArgsUsage: "<keyfile>",
			Flags:     []cli.Flag{passwordFileFlag, lightKDFFlag},
			Action:    accountImport,
		},
		{
			Name:      "balance",
			Usage:     "an account's ETH, ENG, allowance and payouts credited by the Marketplace (waiting to be withdrawn)",
			ArgsUsage: "[<address>]",
			Flags:     append(append([]cli.Flag{}, chainFlags...), accountFlag, formatFlag),
			Action:    accountBalance,
		},
		{
			Name:      "send",
			Usage:     "send ENG (--eng, the default) or ether (--eth) to an address",
			ArgsUsage: " ",
			Flags:     append(append(append([]cli.Flag{}, txFlags...), sendToFlag, sendAmountFlag, sendETHFlag, sendENGFlag), spendFlags...),
			Action:    accountSend,
		},
		{
			Name:   "withdraw",
			Usage:  "withdraw the payouts the Marketplace credited to the account (a payout account needs a little ETH for gas)",
			Flags:  txFlags,
			Action: accountWithdraw,
		},
		{
			Name:      "export-pub",
			Usage:     "print an account's public key (needs the password to read it from the encrypted key)",
			ArgsUsage: "<address>",
			Flags:     []cli.Flag{passwordFileFlag},
			Action:    accountExportPub,
		},
	},
}

var (
	sendToFlag     = &cli.StringFlag{Name: "to", Usage: "the address to send to", Required: true}
	sendAmountFlag = &cli.StringFlag{Name: "amount", Usage: "how much, in ENG or (with --eth) ether, e.g. 12.5", Required: true}
	sendETHFlag    = &cli.BoolFlag{Name: "eth", Usage: "send ether (for gas)"}
	sendENGFlag    = &cli.BoolFlag{Name: "eng", Usage: "send ENG (the default)"}
)

// balanceOf is the address argument, --account or the keystore's only
// account.
func balanceOf(ctx *cli.Context) (common.Address, error) {
	if ctx.NArg() > 1 {
		return common.Address{}, errors.New("usage: enigma account balance [<address>]")
	}
	if ctx.NArg() == 1 {
		if !common.IsHexAddress(ctx.Args().First()) {
			return common.Address{}, fmt.Errorf("%q is not an Ethereum address", ctx.Args().First())
		}
		return common.HexToAddress(ctx.Args().First()), nil
	}
	ks, err := openKeystore(ctx)
	if err != nil {
		return common.Address{}, err
	}
	return pickAccount(ctx, ks)
}

// balanceOut is an account's balances for scripts.
type balanceOut struct {
	Account   string      `json:"account"`
	ETH       etherAmount `json:"eth"`
	ENG       amount      `json:"eng"`
	Allowance amount      `json:"allowance"` // what the Marketplace may pull
	Payouts   amount      `json:"payouts"`   // credited, waiting to be withdrawn
}

func accountBalance(ctx *cli.Context) error {
	format, err := outputFormat(ctx)
	if err != nil {
		return err
	}
	addr, err := balanceOf(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	eth, err := c.ETHBalance(ctx.Context, addr)
	if err != nil {
		return err
	}
	eng, err := c.TokenBalance(ctx.Context, addr)
	if err != nil {
		return err
	}
	allowed, err := c.Allowance(ctx.Context, addr)
	if err != nil {
		return err
	}
	payouts, err := c.PayoutBalance(ctx.Context, addr)
	if err != nil {
		return err
	}
	if format != "table" {
		return writeData(ctx.App.Writer, format, balanceOut{Account: addr.Hex(), ETH: ether(eth), ENG: engAmount(eng),
			Allowance: engAmount(allowed), Payouts: engAmount(payouts)})
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Account:   %s\nETH:       %s\nENG:       %s\nAllowance: %s ENG (the Marketplace may pull this much)\nPayouts:   %s ENG credited, waiting to be withdrawn\n",
		addr.Hex(), chain.FormatETH(eth), chain.FormatENG(eng), chain.FormatENG(allowed), chain.FormatENG(payouts))
	if payouts.Sign() > 0 {
		if note := gasAdvice(ctx, c, addr, eth); note != "" {
			fmt.Fprintf(w, "Note:      %s\n", note)
		} else {
			fmt.Fprintln(w, "           withdraw them with 'enigma account withdraw'")
		}
	}
	return nil
}

func accountSend(ctx *cli.Context) error {
	to := ctx.String(sendToFlag.Name)
	if !common.IsHexAddress(to) {
		return fmt.Errorf("--to %q is not an Ethereum address", to)
	}
	if ctx.Bool(sendETHFlag.Name) && ctx.Bool(sendENGFlag.Name) {
		return errors.New("--eth and --eng: send one or the other")
	}
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	w := ctx.App.Writer
	if ctx.Bool(sendETHFlag.Name) {
		wei, err := chain.ParseETH(ctx.String(sendAmountFlag.Name))
		if err != nil {
			return fmt.Errorf("--amount: %w", err)
		}
		s := &spend{what: fmt.Sprintf("Send %s ETH to %s", chain.FormatETH(wei), common.HexToAddress(to).Hex()), from: chain.Address(key),
			ether: wei, payee: common.HexToAddress(to).Hex(), gas: 21_000}
		if ok, err := s.confirm(ctx, c); !ok || err != nil {
			return err
		}
		r, err := c.SendETH(ctx.Context, key, common.HexToAddress(to), wei)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Sent %s ETH from %s to %s (tx %s)\n", chain.FormatETH(wei), chain.Address(key).Hex(), common.HexToAddress(to).Hex(), r.TxHash.Hex())
		return nil
	}
	amount, err := parseENGFlag(ctx, sendAmountFlag.Name)
	if err != nil {
		return err
	}
	bal, err := c.TokenBalance(ctx.Context, chain.Address(key))
	if err != nil {
		return err
	}
	if bal.Cmp(amount) < 0 {
		return fmt.Errorf("%s holds %s ENG, less than the %s ENG to send; nothing was sent", chain.Address(key).Hex(), chain.FormatENG(bal), chain.FormatENG(amount))
	}
	s := &spend{what: fmt.Sprintf("Send %s ENG to %s", chain.FormatENG(amount), common.HexToAddress(to).Hex()), from: chain.Address(key),
		pays: amount, payee: common.HexToAddress(to).Hex()}
	if ok, err := s.confirm(ctx, c); !ok || err != nil {
		return err
	}
	r, err := c.TransferENG(ctx.Context, key, common.HexToAddress(to), amount)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Sent %s ENG from %s to %s (tx %s)\n", chain.FormatENG(amount), chain.Address(key).Hex(), common.HexToAddress(to).Hex(), r.TxHash.Hex())
	return nil
}

// accountWithdraw withdraws the account's credited payouts, checking first
// that it holds the gas.
func accountWithdraw(ctx *cli.Context) error {
	key, err := unlockAccount(ctx)
	if err != nil {
		return err
	}
	c, err := dialChain(ctx)
	if err != nil {
		return err
	}
	me := chain.Address(key)
	credited, err := c.PayoutBalance(ctx.Context, me)
	if err != nil {
		return err
	}
	if credited.Sign() == 0 {
		return fmt.Errorf("the Marketplace has no payouts credited to %s (nothing to withdraw; 'enigma provider earnings <name>' shows each payout account)", me.Hex())
	}
	eth, err := c.ETHBalance(ctx.Context, me)
	if err != nil {
		return err
	}
	if note := gasAdvice(ctx, c, me, eth); note != "" {
		return fmt.Errorf("%s %s", me.Hex(), note)
	}
	r, err := c.Withdraw(ctx.Context, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Withdrew %s ENG of payouts to %s (tx %s)\n", chain.FormatENG(credited), me.Hex(), r.TxHash.Hex())
	return nil
}

func openKeystore(ctx *cli.Context) (*identity.Keystore, error) {
	kdf := identity.StandardKDF
	if ctx.Bool(lightKDFFlag.Name) {
		kdf = identity.LightKDF
	}
	return identity.OpenKeystore(filepath.Join(datadir(ctx), "keystore"), kdf)
}

func accountNew(ctx *cli.Context) error {
	ks, err := openKeystore(ctx)
	if err != nil {
		return err
	}
	pw, err := readPassword(ctx, "Password for the new account", true)
	if err != nil {
		return err
	}
	addr, err := ks.New(pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Address: %s\nKeystore: %s\n", addr.Hex(), ks.Dir())
	return nil
}

func accountList(ctx *cli.Context) error {
	ks, err := openKeystore(ctx)
	if err != nil {
		return err
	}
	accts := ks.Accounts()
	if len(accts) == 0 {
		fmt.Fprintf(ctx.App.Writer, "No accounts in %s; create one with 'enigma account new'.\n", ks.Dir())
		return nil
	}
	for i, a := range accts {
		fmt.Fprintf(ctx.App.Writer, "Account #%d: %s %s\n", i, a.Address.Hex(), a.URL.Path)
	}
	return nil
}

func accountImport(ctx *cli.Context) error {
	if ctx.NArg() != 1 {
		return errors.New("usage: enigma account import <keyfile> (the file holds the private key in hex)")
	}
	blob, err := os.ReadFile(ctx.Args().First())
	if err != nil {
		return fmt.Errorf("read key file: %w", err)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(string(blob)), "0x"))
	if err != nil {
		// The error text of HexToECDSA can echo input; say only what is wrong.
		return errors.New("the key file does not hold a secp256k1 private key as 64 hex digits")
	}
	ks, err := openKeystore(ctx)
	if err != nil {
		return err
	}
	pw, err := readPassword(ctx, "Password to encrypt the imported key", true)
	if err != nil {
		return err
	}
	addr, err := ks.Import(key, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Address: %s\n", addr.Hex())
	return nil
}

func accountExportPub(ctx *cli.Context) error {
	if ctx.NArg() != 1 || !common.IsHexAddress(ctx.Args().First()) {
		return errors.New("usage: enigma account export-pub <address>")
	}
	ks, err := openKeystore(ctx)
	if err != nil {
		return err
	}
	addr := common.HexToAddress(ctx.Args().First())
	if _, err := ks.Find(addr); err != nil {
		return err
	}
	pw, err := readPassword(ctx, "Password for "+addr.Hex(), false)
	if err != nil {
		return err
	}
	key, err := ks.Unlock(addr, pw)
	if err != nil {
		return err
	}
	fmt.Fprintln(ctx.App.Writer, hexutil.Encode(crypto.FromECDSAPub(&key.PublicKey)))
	return nil
}

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
			Name:      "export-pub",
			Usage:     "print an account's public key (needs the password to read it from the encrypted key)",
			ArgsUsage: "<address>",
			Flags:     []cli.Flag{passwordFileFlag},
			Action:    accountExportPub,
		},
	},
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

package main

// What every command that reaches the chain shares: the recorded
// deployment and the Marketplace address, dialling the chain, unlocking the
// account from the keystore, and ENG amounts in flags.

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/enigma-mpc/enigma/chain"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"
)

func deploymentPath(ctx *cli.Context) string { return filepath.Join(datadir(ctx), "deployment.json") }

func saveDeployment(ctx *cli.Context, dep chain.Deployment) error {
	if err := os.MkdirAll(datadir(ctx), 0o700); err != nil {
		return fmt.Errorf("create datadir: %w", err)
	}
	b, err := json.MarshalIndent(dep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(deploymentPath(ctx), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("record the deployment: %w", err)
	}
	return nil
}

// loadDeployment reads <datadir>/deployment.json; ok is false when absent.
func loadDeployment(ctx *cli.Context) (dep chain.Deployment, ok bool, err error) {
	b, err := os.ReadFile(deploymentPath(ctx))
	if errors.Is(err, os.ErrNotExist) {
		return dep, false, nil
	}
	if err != nil {
		return dep, false, fmt.Errorf("read %s: %w", deploymentPath(ctx), err)
	}
	if err := json.Unmarshal(b, &dep); err != nil {
		return dep, false, fmt.Errorf("%s is not a deployment record: %w (delete it or pass --market.address)", deploymentPath(ctx), err)
	}
	return dep, true, nil
}

// marketAddress is --market.address, or the recorded deployment's.
func marketAddress(ctx *cli.Context) (common.Address, error) {
	if s := ctx.String(marketAddressFlag.Name); s != "" {
		if !common.IsHexAddress(s) {
			return common.Address{}, fmt.Errorf("--market.address %q is not an Ethereum address", s)
		}
		return common.HexToAddress(s), nil
	}
	dep, ok, err := loadDeployment(ctx)
	if err != nil {
		return common.Address{}, err
	}
	if !ok {
		return common.Address{}, fmt.Errorf("no Marketplace address: pass --market.address, or deploy one with 'enigma contracts deploy' (or run 'enigma contracts devchain') so %s records it", deploymentPath(ctx))
	}
	return dep.Market, nil
}

// dialChain connects to --chain.rpc and binds the Marketplace.
func dialChain(ctx *cli.Context) (*chain.Client, error) {
	market, err := marketAddress(ctx)
	if err != nil {
		return nil, err
	}
	c, err := chain.Dial(ctx.Context, ctx.String(chainRPCFlag.Name), market, ctx.Uint64(chainConfirmationsFlag.Name))
	if err != nil {
		return nil, err
	}
	if want := ctx.Uint64(chainIDFlag.Name); want != 0 && c.ChainID().Uint64() != want {
		return nil, fmt.Errorf("the endpoint %s serves chain %s, not --chain.id %d", ctx.String(chainRPCFlag.Name), c.ChainID(), want)
	}
	return c, nil
}

// unlockAccount unlocks --account (or the keystore's only account).
func unlockAccount(ctx *cli.Context) (*ecdsa.PrivateKey, error) {
	ks, err := openKeystore(ctx)
	if err != nil {
		return nil, err
	}
	addr, err := pickAccount(ctx, ks)
	if err != nil {
		return nil, err
	}
	pw, err := readPassword(ctx, "Password for "+addr.Hex(), false)
	if err != nil {
		return nil, err
	}
	return ks.Unlock(addr, pw)
}

func pickAccount(ctx *cli.Context, ks *identity.Keystore) (common.Address, error) {
	if s := ctx.String(accountFlag.Name); s != "" {
		if !common.IsHexAddress(s) {
			return common.Address{}, fmt.Errorf("--account %q is not an Ethereum address", s)
		}
		return common.HexToAddress(s), nil
	}
	accts := ks.Accounts()
	switch len(accts) {
	case 0:
		return common.Address{}, fmt.Errorf("no accounts in %s: create one with 'enigma account new' (or run 'enigma contracts devchain' for funded dev accounts)", ks.Dir())
	case 1:
		return accts[0].Address, nil
	default:
		return common.Address{}, fmt.Errorf("%d accounts in %s: choose one with --account ('enigma account list' shows them)", len(accts), ks.Dir())
	}
}

func parseENGFlag(ctx *cli.Context, name string) (*big.Int, error) {
	v, err := chain.ParseENG(ctx.String(name))
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", name, err)
	}
	return v, nil
}

func dialBackend(ctx *cli.Context) (chain.Backend, error) {
	url := ctx.String(chainRPCFlag.Name)
	ec, err := ethclient.DialContext(ctx.Context, url)
	if err != nil {
		return nil, fmt.Errorf("connect to chain at %s: %w (check --chain.rpc)", url, err)
	}
	id, err := ec.ChainID(ctx.Context)
	if err != nil {
		return nil, fmt.Errorf("read chain ID from %s: %w (is it an Ethereum JSON-RPC endpoint? check --chain.rpc)", url, err)
	}
	if want := ctx.Uint64(chainIDFlag.Name); want != 0 && id.Uint64() != want {
		return nil, fmt.Errorf("the endpoint %s serves chain %s, not --chain.id %d", url, id, want)
	}
	return ec, nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

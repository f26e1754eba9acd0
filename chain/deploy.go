package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/enigma-mpc/enigma/chain/contracts"
)

// DeployParams configure a deployment of the Marketplace (and, without an
// existing token, of a dev ENG token).
type DeployParams struct {
	// Token is an existing ERC-20 to be paid in; zero deploys a dev ENGToken
	// with InitialSupply minted to the deployer and deployer-only minting.
	Token           common.Address
	InitialSupply   *big.Int
	MinDeposit      *big.Int
	SlashAmount     *big.Int
	ChallengeWindow time.Duration
	// ValidatorSetDelay is the notice the owner must give of a new validator
	// set (every set after the first): setValidators only announces it and
	// activateValidators makes it effective this long after. Fixed at
	// deployment; whole seconds.
	ValidatorSetDelay time.Duration
}

// DefaultValidatorSetDelay is the production notice of a validator set
// change: a week, long enough for providers and subscribers to notice an
// announcement and act before it can slash anyone.
const DefaultValidatorSetDelay = 7 * 24 * time.Hour

// DefaultDeployParams are the defaults: a fresh dev token, a 100 ENG
// minimum deposit, 50 ENG per slash, one day of challenge window and the
// production validator-set delay (DefaultValidatorSetDelay; dev networks
// that rotate validators pass a shorter one).
func DefaultDeployParams() DeployParams {
	return DeployParams{
		InitialSupply:     ENG(1_000_000_000),
		MinDeposit:        ENG(100),
		SlashAmount:       ENG(50),
		ChallengeWindow:   24 * time.Hour,
		ValidatorSetDelay: DefaultValidatorSetDelay,
	}
}

// Deployment says where the contracts are.
type Deployment struct {
	ChainID  uint64         `json:"chainId"`
	Token    common.Address `json:"token"`
	Market   common.Address `json:"market"`
	Deployer common.Address `json:"deployer"`
	Block    uint64         `json:"block"` // the Marketplace's deployment block: followers start here
}

// Deploy deploys the contracts from key's account. cfg.Market is ignored.
func Deploy(ctx context.Context, cfg Config, key *ecdsa.PrivateKey, p DeployParams) (Deployment, error) {
	cfg.withDefaults()
	chainID, err := cfg.Backend.ChainID(ctx)
	if err != nil {
		return Deployment{}, fmt.Errorf("read chain ID: %w", err)
	}
	dep := Deployment{ChainID: chainID.Uint64(), Token: p.Token, Deployer: Address(key)}
	if dep.Token == (common.Address{}) {
		tok := contracts.NewENGToken()
		supply := p.InitialSupply
		if supply == nil {
			supply = new(big.Int)
		}
		r, err := deployContract(ctx, &cfg, key, chainID, contracts.ENGTokenMetaData.Bin, tok.PackConstructor(supply, true))
		if err != nil {
			return Deployment{}, fmt.Errorf("deploy ENG token: %w", err)
		}
		dep.Token = r.ContractAddress
	}
	if p.ChallengeWindow < 0 || p.ValidatorSetDelay < 0 {
		return Deployment{}, fmt.Errorf("deploy Marketplace: negative challenge window (%s) or validator-set delay (%s)", p.ChallengeWindow, p.ValidatorSetDelay)
	}
	market := contracts.NewMarketplace()
	input := market.PackConstructor(dep.Token, orZero(p.MinDeposit), orZero(p.SlashAmount),
		uint64(p.ChallengeWindow/time.Second), uint64(p.ValidatorSetDelay/time.Second))
	r, err := deployContract(ctx, &cfg, key, chainID, contracts.MarketplaceMetaData.Bin, input)
	if err != nil {
		return Deployment{}, fmt.Errorf("deploy Marketplace: %w", err)
	}
	dep.Market = r.ContractAddress
	dep.Block = r.BlockNumber.Uint64()
	cfg.Logger.Info("deployed contracts", "chain", dep.ChainID, "token", dep.Token, "market", dep.Market, "block", dep.Block)
	return dep, nil
}

func deployContract(ctx context.Context, cfg *Config, key *ecdsa.PrivateKey, chainID *big.Int, binHex string, input []byte) (*types.Receipt, error) {
	code, err := hexutil.Decode(binHex)
	if err != nil {
		return nil, fmt.Errorf("bytecode: %w", err)
	}
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	_, tx, err := bind.DeployContract(opts, code, cfg.Backend, input)
	if err != nil {
		return nil, explain("send deployment", err)
	}
	r, err := waitReceipt(ctx, cfg, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("deployment transaction %s failed (gas used %d of %d)", tx.Hash().Hex(), r.GasUsed, tx.Gas())
	}
	return r, nil
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/enigma-mpc/enigma/chain/contracts"
	"github.com/enigma-mpc/enigma/internal/clock"
)

// Backend is what the client needs from a chain connection. Both
// *ethclient.Client (any JSON-RPC endpoint) and the simulated backend's client
// satisfy it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ethereum.ChainIDReader
	ethereum.BlockNumberReader
}

// Config configures a Client. Zero fields get defaults.
type Config struct {
	Backend Backend
	// Market is the Marketplace contract address.
	Market common.Address
	// Confirmations is how many blocks must sit on top of a transaction's
	// block before a write method returns (0: included is enough).
	Confirmations uint64
	// PollInterval is how often receipts are polled (default 200ms).
	PollInterval time.Duration
	Clock        clock.Clock
	Logger       *slog.Logger
}

func (c *Config) withDefaults() {
	if c.PollInterval == 0 {
		c.PollInterval = 200 * time.Millisecond
	}
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// gasHeadroomDivisor: transactions get estimate + estimate/4 of gas limit.
const gasHeadroomDivisor = 4

// Client is a typed client of the Marketplace and its token.
type Client struct {
	cfg     Config
	backend Backend
	chainID *big.Int

	market     *contracts.Marketplace
	marketC    *bind.BoundContract
	token      *contracts.ENGToken
	tokenC     *bind.BoundContract
	tokenAddr  common.Address
	marketAddr common.Address
}

// Dial connects to a JSON-RPC endpoint (http, ws or ipc) and binds the
// Marketplace at market.
func Dial(ctx context.Context, rpcURL string, market common.Address, confirmations uint64) (*Client, error) {
	ec, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return nil, fmt.Errorf("connect to chain at %s: %w (check --chain.rpc)", rpcURL, err)
	}
	c, err := New(ctx, Config{Backend: ec, Market: market, Confirmations: confirmations})
	if err != nil {
		ec.Close()
		return nil, err
	}
	return c, nil
}

// New binds the Marketplace at cfg.Market on cfg.Backend and reads its token.
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg.withDefaults()
	if cfg.Backend == nil {
		return nil, errors.New("chain: no backend")
	}
	c := &Client{cfg: cfg, backend: cfg.Backend, marketAddr: cfg.Market}
	c.market = contracts.NewMarketplace()
	c.marketC = c.market.Instance(cfg.Backend, cfg.Market)
	c.token = contracts.NewENGToken()
	// Three independent reads in one round trip: a client far from the
	// endpoint pays its latency once.
	var (
		code                        []byte
		tokenAddr                   common.Address
		chainErr, codeErr, tokenErr error
		wg                          sync.WaitGroup
	)
	wg.Go(func() { c.chainID, chainErr = cfg.Backend.ChainID(ctx) })
	wg.Go(func() { code, codeErr = cfg.Backend.CodeAt(ctx, cfg.Market, nil) })
	wg.Go(func() {
		tokenAddr, tokenErr = bind.Call(c.marketC, &bind.CallOpts{Context: ctx}, c.market.PackToken(), c.market.UnpackToken)
	})
	wg.Wait()
	if chainErr != nil {
		return nil, fmt.Errorf("read chain ID: %w (is the endpoint an Ethereum JSON-RPC server?)", chainErr)
	}
	if codeErr != nil {
		return nil, fmt.Errorf("read code at %s: %w", cfg.Market.Hex(), codeErr)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("no contract at %s on chain %s: deploy one with 'enigma contracts deploy' or set --market.address", cfg.Market.Hex(), c.chainID)
	}
	if tokenErr != nil {
		return nil, fmt.Errorf("read the token of the Marketplace at %s: %w (is it a Marketplace?)", cfg.Market.Hex(), tokenErr)
	}
	c.tokenAddr = tokenAddr
	c.tokenC = c.token.Instance(cfg.Backend, tokenAddr)
	return c, nil
}

// ChainID is the chain's EIP-155 ID.
func (c *Client) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Market is the Marketplace address.
func (c *Client) Market() common.Address { return c.marketAddr }

// Token is the ERC-20 the Marketplace is paid in.
func (c *Client) Token() common.Address { return c.tokenAddr }

// Backend is the underlying chain connection.
func (c *Client) Backend() Backend { return c.backend }

// BlockNumber is the latest block.
func (c *Client) BlockNumber(ctx context.Context) (uint64, error) {
	n, err := c.backend.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("read block number: %w", err)
	}
	return n, nil
}

// HeadTime is the latest block's timestamp: the clock the Marketplace's
// expiries are in.
func (c *Client) HeadTime(ctx context.Context) (time.Time, error) {
	h, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("read latest block: %w", err)
	}
	return time.Unix(int64(h.Time), 0), nil
}

// transact sends calldata to contract from key's account, with estimated gas
// and EIP-1559 fees, and waits for a successful, confirmed receipt.
func (c *Client) transact(ctx context.Context, key *ecdsa.PrivateKey, contract *bind.BoundContract, what string, data []byte) (*types.Receipt, error) {
	opts := bind.NewKeyedTransactor(key, c.chainID)
	opts.Context = ctx
	to := contract.Address()
	gas, err := c.backend.EstimateGas(ctx, ethereum.CallMsg{From: opts.From, To: &to, Data: data})
	if err != nil {
		return nil, explain(what, err)
	}
	// Node estimates are the least gas that succeeded on the pending state;
	// the state the transaction meets when mined can differ (another
	// subscriber's counter, a cold slot), so leave headroom. Unused gas is
	// not charged.
	opts.GasLimit = gas + gas/gasHeadroomDivisor
	tx, err := bind.Transact(contract, opts, data)
	if err != nil {
		return nil, explain(what, err)
	}
	c.cfg.Logger.Debug("sent transaction", "what", what, "tx", tx.Hash(), "from", opts.From, "gas", tx.Gas())
	receipt, err := c.WaitReceipt(ctx, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		return receipt, c.failedReceipt(ctx, what, opts.From, tx, receipt)
	}
	return receipt, nil
}

// failedReceipt replays a failed transaction as a call on its block's parent
// state to recover the revert reason.
func (c *Client) failedReceipt(ctx context.Context, what string, from common.Address, tx *types.Transaction, r *types.Receipt) error {
	msg := ethereum.CallMsg{From: from, To: tx.To(), Gas: tx.Gas(), Value: tx.Value(), Data: tx.Data()}
	parent := new(big.Int).Sub(r.BlockNumber, big.NewInt(1))
	_, err := c.backend.CallContract(ctx, msg, parent)
	if err != nil {
		return explain(fmt.Sprintf("%s: transaction %s failed in block %s", what, tx.Hash().Hex(), r.BlockNumber), err)
	}
	return fmt.Errorf("%s: transaction %s failed in block %s (gas used %d of %d)", what, tx.Hash().Hex(), r.BlockNumber, r.GasUsed, tx.Gas())
}

// WaitReceipt polls for the receipt of hash until it is Confirmations blocks
// deep in the canonical chain, or ctx ends.
func (c *Client) WaitReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	return waitReceipt(ctx, &c.cfg, hash)
}

func waitReceipt(ctx context.Context, cfg *Config, hash common.Hash) (*types.Receipt, error) {
	for {
		receipt, err := cfg.Backend.TransactionReceipt(ctx, hash)
		switch {
		case err == nil:
			head, herr := cfg.Backend.BlockNumber(ctx)
			if herr != nil {
				return nil, fmt.Errorf("read block number: %w", herr)
			}
			if head >= receipt.BlockNumber.Uint64()+cfg.Confirmations {
				return receipt, nil
			}
		case !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress"):
			// A node still indexing transactions (geth, just after start)
			// says so instead of "not found"; both mean "ask again".
			return nil, fmt.Errorf("read receipt of %s: %w", hash.Hex(), err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for transaction %s (%d confirmations): %w", hash.Hex(), cfg.Confirmations, ctx.Err())
		case <-cfg.Clock.After(cfg.PollInterval):
		}
	}
}

// Address is the account of key.
func Address(key *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(key.PublicKey) }

func callOpts(ctx context.Context, block *big.Int) *bind.CallOpts {
	return &bind.CallOpts{Context: ctx, BlockNumber: block}
}

// blockArg turns an optional block number into the form calls take (nil = latest).
func blockArg(block uint64) *big.Int { return new(big.Int).SetUint64(block) }

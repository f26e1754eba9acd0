package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// Money an account holds and moves, and what transactions cost: the
// provider's and payout accounts' view (enigma account balance, send,
// provider earnings) and the pre-flight of a listing.

// balanceReader is what ETHBalance needs of the backend (ethclient and the
// simulated backend's client both have it).
type balanceReader interface {
	BalanceAt(ctx context.Context, account common.Address, block *big.Int) (*big.Int, error)
}

// ETHBalance is account's ether balance at the latest block, in wei.
func (c *Client) ETHBalance(ctx context.Context, account common.Address) (*big.Int, error) {
	br, ok := c.backend.(balanceReader)
	if !ok {
		return nil, errors.New("this chain connection cannot read ether balances")
	}
	v, err := br.BalanceAt(ctx, account, nil)
	if err != nil {
		return nil, fmt.Errorf("read the ether balance of %s: %w", account.Hex(), err)
	}
	return v, nil
}

// MaxFeePerGas is what a transaction sent now offers per gas at most: the
// suggested tip plus twice the latest base fee (what bind.Transact offers),
// so gas × MaxFeePerGas bounds a transaction's cost.
func (c *Client) MaxFeePerGas(ctx context.Context) (*big.Int, error) {
	tip, err := c.backend.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the gas tip: %w", err)
	}
	head, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read latest block: %w", err)
	}
	fee := new(big.Int).Set(tip)
	if head.BaseFee != nil {
		fee.Add(fee, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	}
	return fee, nil
}

// Gas bounds used when a transaction cannot be estimated yet (register
// before its deposit is approved): measured values (docs/BENCHMARKS.md,
// GasTable) with headroom for more payout shares and a longer name.
const (
	RegisterGasBound = 450_000
	ApproveGasBound  = 60_000
)

func (c *Client) estimate(ctx context.Context, from, to common.Address, data []byte, value *big.Int) (uint64, error) {
	gas, err := c.backend.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Data: data, Value: value})
	if err != nil {
		return 0, explain("estimate gas", err)
	}
	return gas + gas/gasHeadroomDivisor, nil
}

// EstimateApprove is the gas limit an approve of amount would be sent with.
func (c *Client) EstimateApprove(ctx context.Context, from common.Address, amount *big.Int) (uint64, error) {
	return c.estimate(ctx, from, c.tokenAddr, c.token.PackApprove(c.marketAddr, amount), nil)
}

// EstimateRegister is the gas limit of a register (the deposit must be
// approved already, or the estimate fails with the revert).
func (c *Client) EstimateRegister(ctx context.Context, from common.Address, p RegisterParams) (uint64, error) {
	return c.estimate(ctx, from, c.marketAddr, c.market.PackRegister(p.Name, p.Price, p.Deposit, p.MetadataHash, p.Payouts, uint64(p.TrialPeriod/time.Second)), nil)
}

// EstimateSubscribe is the gas limit of a subscribe. The Marketplace checks
// everything before it pulls the payment, so when the only thing missing is
// the allowance the estimate fails with the token's InsufficientAllowance:
// the approve is all that is missing. Any other revert means the subscribe
// would fail however much is approved.
func (c *Client) EstimateSubscribe(ctx context.Context, from common.Address, id common.Hash, periods uint64) (uint64, error) {
	return c.estimate(ctx, from, c.marketAddr, c.market.PackSubscribe(id, new(big.Int).SetUint64(periods)), nil)
}

// EstimateAddDeposit is the gas limit of an addDeposit; like
// EstimateSubscribe, InsufficientAllowance means only the approve is
// missing.
func (c *Client) EstimateAddDeposit(ctx context.Context, from common.Address, id common.Hash, amount *big.Int) (uint64, error) {
	return c.estimate(ctx, from, c.marketAddr, c.market.PackAddDeposit(id, amount), nil)
}

// EstimateSetMetadataHash is the gas limit of a setMetadataHash.
func (c *Client) EstimateSetMetadataHash(ctx context.Context, from common.Address, id, hash common.Hash) (uint64, error) {
	return c.estimate(ctx, from, c.marketAddr, c.market.PackSetMetadataHash(id, hash), nil)
}

// EstimateWithdraw is the gas limit of a withdraw of from's payouts.
func (c *Client) EstimateWithdraw(ctx context.Context, from common.Address) (uint64, error) {
	return c.estimate(ctx, from, c.marketAddr, c.market.PackWithdraw(), nil)
}

// TransferENG sends amount of the Marketplace's token from key's account.
func (c *Client) TransferENG(ctx context.Context, key *ecdsa.PrivateKey, to common.Address, amount *big.Int) (*types.Receipt, error) {
	bal, err := c.TokenBalance(ctx, Address(key))
	if err != nil {
		return nil, err
	}
	if bal.Cmp(amount) < 0 {
		return nil, &BalanceError{Account: Address(key), Balance: bal, Needed: amount}
	}
	return c.transact(ctx, key, c.tokenC, "transfer ENG", c.token.PackTransfer(to, amount))
}

// SendETH sends wei from key's account to a plain transfer (21,000 gas).
func (c *Client) SendETH(ctx context.Context, key *ecdsa.PrivateKey, to common.Address, wei *big.Int) (*types.Receipt, error) {
	from := Address(key)
	nonce, err := c.backend.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("send ether: read the nonce of %s: %w", from.Hex(), err)
	}
	tip, err := c.backend.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, fmt.Errorf("send ether: read the gas tip: %w", err)
	}
	feeCap, err := c.MaxFeePerGas(ctx)
	if err != nil {
		return nil, fmt.Errorf("send ether: %w", err)
	}
	need := new(big.Int).Add(wei, new(big.Int).Mul(feeCap, big.NewInt(int64(params.TxGas))))
	if bal, err := c.ETHBalance(ctx, from); err == nil && bal.Cmp(need) < 0 {
		return nil, fmt.Errorf("send ether: %s holds %s ETH, the transfer needs up to %s ETH with its gas: send less, or fund the account first", from.Hex(), FormatETH(bal), FormatETH(need))
	}
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: c.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: params.TxGas, To: &to, Value: wei}), types.LatestSignerForChainID(c.chainID), key)
	if err != nil {
		return nil, fmt.Errorf("send ether: %w", err)
	}
	if err := c.backend.SendTransaction(ctx, tx); err != nil {
		return nil, explain("send ether", err)
	}
	r, err := c.WaitReceipt(ctx, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("send ether: %w", err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("send ether: transaction %s failed in block %s", tx.Hash().Hex(), r.BlockNumber)
	}
	return r, nil
}

var weiPerETH = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// FormatETH renders wei as ether with up to 18 decimals, trailing zeros
// trimmed.
func FormatETH(wei *big.Int) string {
	return formatUnits(wei, weiPerETH, 18)
}

// ParseETH parses an ether amount ("0.5", "2") into wei.
func ParseETH(s string) (*big.Int, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 {
		return nil, fmt.Errorf("%q is not an ether amount (write e.g. 0.25)", s)
	}
	r.Mul(r, new(big.Rat).SetInt(weiPerETH))
	if !r.IsInt() {
		return nil, fmt.Errorf("%q has more than 18 decimals", s)
	}
	return r.Num(), nil
}

func formatUnits(v, unit *big.Int, decimals int) string {
	if v == nil {
		return "0"
	}
	neg := v.Sign() < 0
	q, r := new(big.Int).QuoRem(new(big.Int).Abs(v), unit, new(big.Int))
	s := q.String()
	if r.Sign() != 0 {
		frac := fmt.Sprintf("%0*s", decimals, r.String())
		for len(frac) > 0 && frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

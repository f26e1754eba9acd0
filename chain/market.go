package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/enigma-mpc/enigma/chain/contracts"
	"github.com/enigma-mpc/enigma/consensus/quorum"
)

// Period is one subscription period, as the Marketplace defines it.
const Period = 30 * 24 * time.Hour

// Payout is one payout share: an account and its share in basis points
// (all shares of a dataset add up to 10,000).
type Payout = contracts.MarketplacePayout

// Dataset is what the Marketplace knows about a dataset.
type Dataset = contracts.MarketplaceDatasetView

// Subscription is one subscriber's state for one dataset.
type Subscription = contracts.MarketplaceSubscription

// Rank is the public ranking metric of a dataset.
type Rank struct {
	ID                common.Hash
	ActiveSubscribers uint64   // subscribers paid for some time in the current period
	TotalPaid         *big.Int // tiebreak
	SlashCount        uint64
}

// ValidatorSet is the validator registry of one epoch.
type ValidatorSet struct {
	Epoch     uint64
	Accounts  []common.Address
	NodeKeys  [][32]byte // Ed25519 public keys
	Threshold uint16
}

// PendingValidatorSet is a validator set the owner announced for the next
// epoch: it takes effect when someone calls activateValidators at or after
// ActivatesAt.
type PendingValidatorSet struct {
	ValidatorSet
	ActivatesAt time.Time
}

// SlashGracePeriod is how long after an epoch ended its validators'
// signatures still slash (the Marketplace's SLASH_GRACE_PERIOD).
const SlashGracePeriod = 24 * time.Hour

// RegisterParams are the arguments of Marketplace.register.
type RegisterParams struct {
	Name         string
	Price        *big.Int // per period, in token base units
	Deposit      *big.Int
	MetadataHash common.Hash
	Payouts      []Payout
	TrialPeriod  time.Duration // 0: no trials
}

// ErrUnknownDataset is returned (wrapped) by reads of a dataset ID the
// Marketplace does not know.
var ErrUnknownDataset = errors.New("unknown dataset")

// ---------------------------------------------------------------- token

// TokenBalance is account's token balance.
func (c *Client) TokenBalance(ctx context.Context, account common.Address) (*big.Int, error) {
	v, err := bind.Call(c.tokenC, callOpts(ctx, nil), c.token.PackBalanceOf(account), c.token.UnpackBalanceOf)
	return v, explain("read token balance", err)
}

// Allowance is how much the Marketplace may pull from owner.
func (c *Client) Allowance(ctx context.Context, owner common.Address) (*big.Int, error) {
	v, err := bind.Call(c.tokenC, callOpts(ctx, nil), c.token.PackAllowance(owner, c.marketAddr), c.token.UnpackAllowance)
	return v, explain("read allowance", err)
}

// Approve lets the Marketplace pull amount from key's account.
func (c *Client) Approve(ctx context.Context, key *ecdsa.PrivateKey, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, key, c.tokenC, "approve", c.token.PackApprove(c.marketAddr, amount))
}

// Mint creates tokens (dev tokens only, deployer only).
func (c *Client) Mint(ctx context.Context, key *ecdsa.PrivateKey, to common.Address, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, key, c.tokenC, "mint", c.token.PackMint(to, amount))
}

// AllowanceError says an account has not approved enough for a payment.
type AllowanceError struct {
	Account           common.Address
	Allowance, Needed *big.Int
}

func (e *AllowanceError) Error() string {
	return fmt.Sprintf("account %s allows the Marketplace to spend %s ENG but this needs %s ENG: approve it first (the CLI does so unless --approve=false)",
		e.Account.Hex(), FormatENG(e.Allowance), FormatENG(e.Needed))
}

// BalanceError says an account holds too few tokens for a payment.
type BalanceError struct {
	Account         common.Address
	Balance, Needed *big.Int
}

func (e *BalanceError) Error() string {
	return fmt.Sprintf("account %s holds %s ENG but this needs %s ENG: get more ENG to this account first",
		e.Account.Hex(), FormatENG(e.Balance), FormatENG(e.Needed))
}

// CheckFunds returns a *BalanceError or *AllowanceError when account cannot
// pay amount to the Marketplace.
func (c *Client) CheckFunds(ctx context.Context, account common.Address, amount *big.Int) error {
	bal, err := c.TokenBalance(ctx, account)
	if err != nil {
		return err
	}
	if bal.Cmp(amount) < 0 {
		return &BalanceError{Account: account, Balance: bal, Needed: amount}
	}
	allowed, err := c.Allowance(ctx, account)
	if err != nil {
		return err
	}
	if allowed.Cmp(amount) < 0 {
		return &AllowanceError{Account: account, Allowance: allowed, Needed: amount}
	}
	return nil
}

// EnsureAllowance approves amount when the current allowance is lower. It
// returns the approve receipt, or nil when none was needed.
func (c *Client) EnsureAllowance(ctx context.Context, key *ecdsa.PrivateKey, amount *big.Int) (*types.Receipt, error) {
	allowed, err := c.Allowance(ctx, Address(key))
	if err != nil {
		return nil, err
	}
	if allowed.Cmp(amount) >= 0 {
		return nil, nil
	}
	return c.Approve(ctx, key, amount)
}

// ---------------------------------------------------------------- providers

// Register lists a dataset; the deposit must be approved (see
// EnsureAllowance). It returns the dataset ID.
func (c *Client) Register(ctx context.Context, key *ecdsa.PrivateKey, p RegisterParams) (common.Hash, *types.Receipt, error) {
	if p.TrialPeriod < 0 {
		return common.Hash{}, nil, fmt.Errorf("register: negative trial period %s", p.TrialPeriod)
	}
	if err := c.CheckFunds(ctx, Address(key), p.Deposit); err != nil {
		return common.Hash{}, nil, fmt.Errorf("register %s: deposit: %w", p.Name, err)
	}
	data := c.market.PackRegister(p.Name, p.Price, p.Deposit, p.MetadataHash, p.Payouts, uint64(p.TrialPeriod/time.Second))
	r, err := c.transact(ctx, key, c.marketC, "register "+p.Name, data)
	if err != nil {
		return common.Hash{}, r, err
	}
	return DatasetID(Address(key), p.Name), r, nil
}

// SetPrice changes the price of future subscriptions.
func (c *Client) SetPrice(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash, price *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "set price", c.market.PackSetPrice(id, price))
}

// SetMetadataHash records a new metadata hash.
func (c *Client) SetMetadataHash(ctx context.Context, key *ecdsa.PrivateKey, id, hash common.Hash) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "set metadata hash", c.market.PackSetMetadataHash(id, hash))
}

// SetPayouts replaces the payout shares.
func (c *Client) SetPayouts(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash, payouts []Payout) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "set payouts", c.market.PackSetPayouts(id, payouts))
}

// AddDeposit tops up the deposit; the amount must be approved.
func (c *Client) AddDeposit(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash, amount *big.Int) (*types.Receipt, error) {
	if err := c.CheckFunds(ctx, Address(key), amount); err != nil {
		return nil, fmt.Errorf("add deposit: %w", err)
	}
	return c.transact(ctx, key, c.marketC, "add deposit", c.market.PackAddDeposit(id, amount))
}

// Deactivate stops new subscriptions and trials.
func (c *Client) Deactivate(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "deactivate", c.market.PackDeactivate(id))
}

// WithdrawDeposit returns a deactivated dataset's deposit once it unlocks.
func (c *Client) WithdrawDeposit(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "withdraw deposit", c.market.PackWithdrawDeposit(id))
}

// Withdraw pays out key's accumulated payout balance.
func (c *Client) Withdraw(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "withdraw", c.market.PackWithdraw())
}

// ---------------------------------------------------------------- subscribers

// SubscriptionCost is price × periods of dataset id at the latest block.
func (c *Client) SubscriptionCost(ctx context.Context, id common.Hash, periods uint64) (*big.Int, error) {
	d, err := c.Dataset(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	return new(big.Int).Mul(d.Price, new(big.Int).SetUint64(periods)), nil
}

// Subscribe pays for periods more periods of access; the cost must be
// approved (see SubscriptionCost and EnsureAllowance).
func (c *Client) Subscribe(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash, periods uint64) (*types.Receipt, error) {
	cost, err := c.SubscriptionCost(ctx, id, periods)
	if err != nil {
		return nil, err
	}
	if err := c.CheckFunds(ctx, Address(key), cost); err != nil {
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	return c.transact(ctx, key, c.marketC, "subscribe", c.market.PackSubscribe(id, new(big.Int).SetUint64(periods)))
}

// Unsubscribe ends key's subscription now, without refund.
func (c *Client) Unsubscribe(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "unsubscribe", c.market.PackUnsubscribe(id))
}

// StartTrial starts key's one trial of dataset id.
func (c *Client) StartTrial(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "start trial", c.market.PackStartTrial(id))
}

// ClaimRefund claims key's share of the refund pool of a slash.
func (c *Client) ClaimRefund(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash, epoch uint64) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "claim refund", c.market.PackClaimRefund(id, epoch))
}

// ---------------------------------------------------------------- validators and slashing

// MinValidators and MaxValidators bound an epoch's validator set, as the
// Marketplace's MIN_VALIDATORS and MAX_VALIDATORS do: PBFT tolerates
// f = ⌊(n−1)/3⌋ faulty validators, so it needs n ≥ 4 to tolerate one.
const (
	MinValidators = 4
	MaxValidators = 64
)

// SlashThresholds is the range of slash thresholds setValidators accepts for
// n validators: [quorum.Size(n), n − f] with f = quorum.Faulty(n). At least
// the quorum ⌈(n+f+1)/2⌉, so two sets of signers share a correct validator
// (as two of the ledger's certificates do); at most n − f, so the correct
// validators alone can slash. The range is the single value 2f+1 when
// n = 3f+1.
func SlashThresholds(n int) (lo, hi int) {
	return quorum.Size(n), n - quorum.Faulty(n)
}

// CheckValidatorSet returns why setValidators would refuse n validators with
// threshold (the contract's TooFewValidators, BadValidatorSet and
// BadThreshold, explained), or nil; callers check before sending.
func CheckValidatorSet(n, threshold int) error {
	if n < MinValidators {
		return fmt.Errorf("%d validators: the Marketplace needs at least %d (PBFT tolerates f = ⌊(n−1)/3⌋ faulty validators, so one fault needs n ≥ 4)", n, MinValidators)
	}
	if n > MaxValidators {
		return fmt.Errorf("%d validators: the Marketplace takes at most %d", n, MaxValidators)
	}
	lo, hi := SlashThresholds(n)
	if threshold < lo || threshold > hi {
		return fmt.Errorf("slash threshold %d: %d validators (f = %d may be faulty) need %s signatures per slash: "+
			"at least the quorum ⌈(n+f+1)/2⌉ = %d, so any two slash quorums share a correct validator; "+
			"at most n−f = %d, so the correct validators alone can slash", threshold, n, quorum.Faulty(n), thresholdRange(lo, hi), lo, hi)
	}
	return nil
}

func thresholdRange(lo, hi int) string {
	if lo == hi {
		return fmt.Sprintf("exactly %d", lo)
	}
	return fmt.Sprintf("%d..%d", lo, hi)
}

// SetValidators sets the validator set of the next epoch (owner only). The
// first set starts epoch 1 at once; every later one is only announced (it
// replaces a pending announcement) and takes effect with ActivateValidators
// once ValidatorSetDelay has passed: see PendingValidatorSet.
func (c *Client) SetValidators(ctx context.Context, key *ecdsa.PrivateKey, accounts []common.Address, nodeKeys [][32]byte, threshold uint16) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "set validators", c.market.PackSetValidators(accounts, nodeKeys, threshold))
}

// ActivateValidators starts the next epoch with the announced validator set
// once its delay has passed. Anyone may send it; before ActivatesAt it
// reverts with ValidatorSetPending.
func (c *Client) ActivateValidators(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "activate validators", c.market.PackActivateValidators())
}

// CancelValidatorSet withdraws the announced validator set (owner only).
func (c *Client) CancelValidatorSet(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "cancel validator set", c.market.PackCancelValidatorSet())
}

// SetSlashAmount sets how much one slash takes from a deposit (owner only).
func (c *Client) SetSlashAmount(ctx context.Context, key *ecdsa.PrivateKey, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, key, c.marketC, "set slash amount", c.market.PackSetSlashAmount(amount))
}

// Slash submits validator signatures over SlashDigest (see SignSlash); they
// are sorted by signer here.
func (c *Client) Slash(ctx context.Context, key *ecdsa.PrivateKey, id, offence common.Hash, epoch uint64, sigs [][]byte) (*types.Receipt, error) {
	sorted, err := SortSlashSignatures(c.SlashDigest(id, offence, epoch), sigs)
	if err != nil {
		return nil, err
	}
	return c.transact(ctx, key, c.marketC, "slash", c.market.PackSlash(id, offence, epoch, sorted))
}

// ---------------------------------------------------------------- reads

// Dataset reads dataset id at block (nil: latest). An unknown ID gives an
// error wrapping ErrUnknownDataset.
func (c *Client) Dataset(ctx context.Context, id common.Hash, block *big.Int) (Dataset, error) {
	d, err := bind.Call(c.marketC, callOpts(ctx, block), c.market.PackGetDataset(id), c.market.UnpackGetDataset)
	if err != nil {
		err = explain("read dataset "+id.Hex(), err)
		if errors.Is(err, Revert("UnknownDataset")) {
			return Dataset{}, fmt.Errorf("dataset %s: %w (check the provider address and name with 'enigma market list')", id.Hex(), ErrUnknownDataset)
		}
		return Dataset{}, err
	}
	return d, nil
}

// DatasetFacts are the on-chain facts about a dataset at one block that the
// ledger checks metadata against.
type DatasetFacts struct {
	Block        uint64
	Exists       bool
	Owner        common.Address
	MetadataHash common.Hash
	Active       bool
	Deposit      *big.Int
}

// DatasetAt reads the facts about dataset id at block; a dataset unknown at
// that block gives Exists false and no error.
func (c *Client) DatasetAt(ctx context.Context, id common.Hash, block uint64) (DatasetFacts, error) {
	d, err := c.Dataset(ctx, id, blockArg(block))
	if errors.Is(err, ErrUnknownDataset) {
		return DatasetFacts{Block: block, Deposit: new(big.Int)}, nil
	}
	if err != nil {
		return DatasetFacts{}, err
	}
	return DatasetFacts{Block: block, Exists: true, Owner: d.Provider, MetadataHash: d.MetadataHash, Active: d.Active, Deposit: d.Deposit}, nil
}

// HasAccess reports whether user is subscribed to, or in a trial of, dataset
// id at the latest block.
func (c *Client) HasAccess(ctx context.Context, id common.Hash, user common.Address) (bool, error) {
	return c.hasAccess(ctx, id, user, nil)
}

// HasAccessAt is HasAccess at a given block.
func (c *Client) HasAccessAt(ctx context.Context, id common.Hash, user common.Address, block uint64) (bool, error) {
	return c.hasAccess(ctx, id, user, blockArg(block))
}

func (c *Client) hasAccess(ctx context.Context, id common.Hash, user common.Address, block *big.Int) (bool, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, block), c.market.PackHasAccess(id, user), c.market.UnpackHasAccess)
	return v, explain("read access", err)
}

// IsSubscribed reports whether user holds a running subscription (a trial
// does not count).
func (c *Client) IsSubscribed(ctx context.Context, id common.Hash, user common.Address) (bool, error) {
	return c.isSubscribed(ctx, id, user, nil)
}

// IsSubscribedAt is IsSubscribed at a given block.
func (c *Client) IsSubscribedAt(ctx context.Context, id common.Hash, user common.Address, block uint64) (bool, error) {
	return c.isSubscribed(ctx, id, user, blockArg(block))
}

func (c *Client) isSubscribed(ctx context.Context, id common.Hash, user common.Address, block *big.Int) (bool, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, block), c.market.PackIsSubscribed(id, user), c.market.UnpackIsSubscribed)
	return v, explain("read subscription", err)
}

// Subscription reads user's subscription record for dataset id.
func (c *Client) Subscription(ctx context.Context, id common.Hash, user common.Address) (Subscription, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackSubscription(id, user), c.market.UnpackSubscription)
	return v, explain("read subscription", err)
}

// Rank reads the ranking metric of dataset id.
func (c *Client) Rank(ctx context.Context, id common.Hash) (Rank, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackRank(id), c.market.UnpackRank)
	if err != nil {
		return Rank{}, explain("read rank", err)
	}
	return Rank{ID: id, ActiveSubscribers: v.ActiveSubscribers.Uint64(), TotalPaid: v.TotalPaid, SlashCount: v.SlashCount.Uint64()}, nil
}

// ActiveSubscribersIn is the number of subscribers paid for some time in
// period (unix time / Period) of dataset id.
func (c *Client) ActiveSubscribersIn(ctx context.Context, id common.Hash, period uint64) (uint64, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackActiveSubscribersIn(id, new(big.Int).SetUint64(period)), c.market.UnpackActiveSubscribersIn)
	if err != nil {
		return 0, explain("read active subscribers", err)
	}
	return v.Uint64(), nil
}

// DatasetIDs lists every registered dataset ID in registration order.
func (c *Client) DatasetIDs(ctx context.Context) ([]common.Hash, error) {
	n, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackDatasetCount(), c.market.UnpackDatasetCount)
	if err != nil {
		return nil, explain("read dataset count", err)
	}
	ids := make([]common.Hash, 0, n.Uint64())
	for i := uint64(0); i < n.Uint64(); i++ {
		id, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackDatasetIdAt(new(big.Int).SetUint64(i)), c.market.UnpackDatasetIdAt)
		if err != nil {
			return nil, explain("read dataset ID", err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// PayoutBalance is account's payout balance waiting for Withdraw.
func (c *Client) PayoutBalance(ctx context.Context, account common.Address) (*big.Int, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackBalances(account), c.market.UnpackBalances)
	return v, explain("read payout balance", err)
}

// MaxPeriods is the most periods one subscription may buy.
func (c *Client) MaxPeriods(ctx context.Context) (uint64, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackMAXPERIODS(), c.market.UnpackMAXPERIODS)
	if err != nil {
		return 0, explain("read MAX_PERIODS", err)
	}
	return v.Uint64(), nil
}

// Epoch is the current validator epoch (0: no validators yet).
func (c *Client) Epoch(ctx context.Context, block *big.Int) (uint64, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, block), c.market.PackEpoch(), c.market.UnpackEpoch)
	return v, explain("read epoch", err)
}

// ValidatorSet reads the validator set of epoch at block (nil: latest).
func (c *Client) ValidatorSet(ctx context.Context, epoch uint64, block *big.Int) (ValidatorSet, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, block), c.market.PackValidatorSet(epoch), c.market.UnpackValidatorSet)
	if err != nil {
		return ValidatorSet{}, explain("read validator set", err)
	}
	return ValidatorSet{Epoch: epoch, Accounts: v.Accounts, NodeKeys: v.NodeKeys, Threshold: v.Threshold}, nil
}

// PendingValidatorSet reads the announced validator set of the next epoch at
// block (nil: latest); ok is false when none is pending.
func (c *Client) PendingValidatorSet(ctx context.Context, block *big.Int) (set PendingValidatorSet, ok bool, err error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, block), c.market.PackPendingValidatorSet(), c.market.UnpackPendingValidatorSet)
	if err != nil {
		return PendingValidatorSet{}, false, explain("read pending validator set", err)
	}
	if v.ActivatesAt == 0 {
		return PendingValidatorSet{}, false, nil
	}
	return PendingValidatorSet{
		ValidatorSet: ValidatorSet{Epoch: v.NextEpoch, Accounts: v.Accounts, NodeKeys: v.NodeKeys, Threshold: v.Threshold},
		ActivatesAt:  time.Unix(int64(v.ActivatesAt), 0),
	}, true, nil
}

// ValidatorSetDelay is the notice this Marketplace requires between the
// announcement of a validator set and its activation.
func (c *Client) ValidatorSetDelay(ctx context.Context) (time.Duration, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackValidatorSetDelay(), c.market.UnpackValidatorSetDelay)
	if err != nil {
		return 0, explain("read validator-set delay", err)
	}
	return time.Duration(v) * time.Second, nil
}

// EpochEndedAt is when epoch was replaced by the next one; ok is false while
// it has not been. Its validators' slashes are accepted until
// SlashGracePeriod after that.
func (c *Client) EpochEndedAt(ctx context.Context, epoch uint64) (at time.Time, ok bool, err error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackEpochEndedAt(epoch), c.market.UnpackEpochEndedAt)
	if err != nil || v == 0 {
		return time.Time{}, false, explain("read epoch end", err)
	}
	return time.Unix(int64(v), 0), true, nil
}

// RefundPool reads the refund pool of the slash of id in epoch.
func (c *Client) RefundPool(ctx context.Context, id common.Hash, epoch uint64) (contracts.MarketplaceRefundPool, error) {
	v, err := bind.Call(c.marketC, callOpts(ctx, nil), c.market.PackRefundPool(id, epoch), c.market.UnpackRefundPool)
	return v, explain("read refund pool", err)
}

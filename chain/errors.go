package chain

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/enigma-mpc/enigma/chain/contracts"
)

// RevertError is a contract call or transaction that reverted with a known
// custom error (or Error(string) / Panic(uint256)).
type RevertError struct {
	Name string         // the custom error, e.g. "BadPeriodCount"
	Args map[string]any // its arguments by name
	Raw  []byte         // the revert data
}

func (e *RevertError) Error() string {
	var b strings.Builder
	b.WriteString("contract reverted: ")
	b.WriteString(e.Name)
	if len(e.Args) > 0 {
		b.WriteString(formatArgs(e.Args))
	}
	if hint := revertHints[e.Name]; hint != "" {
		b.WriteString(": ")
		b.WriteString(hint)
	}
	return b.String()
}

// Is lets errors.Is(err, &RevertError{Name: "X"}) match by error name.
func (e *RevertError) Is(target error) bool {
	t, ok := target.(*RevertError)
	return ok && t.Name == e.Name
}

// Revert returns a target for errors.Is matching the named custom error.
func Revert(name string) error { return &RevertError{Name: name} }

// revertHints tells the user what to do next about a custom error.
var revertHints = map[string]string{
	"UnknownDataset":        "no dataset has this ID; check the provider address and name ('enigma market list')",
	"DatasetExists":         "this account already registered a dataset with this name; pick another name or use 'enigma provider update'",
	"DatasetInactive":       "the provider deactivated this dataset; it takes no new subscriptions or trials",
	"DatasetActive":         "deactivate the dataset first ('enigma provider deactivate')",
	"BadPeriodCount":        "buy between 1 and max periods (of 30 days) in one subscription",
	"PaidTooFarAhead":       "the subscription would be paid too far ahead; buy fewer periods now and renew later",
	"NotSubscribed":         "the account has no running subscription to this dataset",
	"AlreadySubscribed":     "the account is subscribed already; a trial is for accounts that are not",
	"NoTrial":               "the provider offers no trial for this dataset",
	"TrialAlreadyUsed":      "each account gets one trial per dataset",
	"NotProvider":           "only the account that registered the dataset may change it; use --account",
	"NotOwner":              "only the Marketplace owner may do this",
	"DepositTooSmall":       "raise the deposit to at least the minimum",
	"DepositLocked":         "the deposit unlocks after every subscription and trial has ended and the challenge window has passed",
	"NothingToWithdraw":     "there is no balance to withdraw",
	"BadName":               "dataset names are 1..64 characters of a-z, 0-9, _, - and ., starting with a letter or digit",
	"TooManyPayouts":        "use at most max payout accounts",
	"ZeroPayout":            "every payout needs an account and a share above zero",
	"PayoutSharesNotTotal":  "payout shares must add up to 10000 basis points (100%)",
	"InsufficientAllowance": "approve the Marketplace to spend the amount first (the CLI does this unless --approve=false)",
	"InsufficientBalance":   "the account does not hold enough ENG",
	"TokenTransferFailed":   "the token refused the transfer; check the balance and allowance",
	"Reentrancy":            "a contract re-entered the Marketplace during a token transfer",
	"AlreadySlashed":        "this dataset was already slashed for this epoch",
	"NotEnoughSignatures":   "collect signatures from at least the epoch's threshold of validators",
	"TooFewValidators":      "an epoch needs at least min validators: PBFT tolerates f = ⌊(n−1)/3⌋ faulty ones, so tolerating one takes 4",
	"BadThreshold":          "the slash threshold must lie in [min, max]: at least the quorum ⌈(n+f+1)/2⌉, so two slash quorums share a correct validator, and at most n−f, so the correct validators alone can slash ('enigma contracts set-validators' uses the quorum unless --threshold is given)",
	"BadValidatorSet":       "give one node key per account, for at most 64 validators",
	"DuplicateValidator":    "every validator needs its own non-zero account and node key",
	"NotValidator":          "a signer is not a validator of that epoch",
	"SignersNotAscending":   "order the signatures by ascending signer address, one per validator",
	"UnknownEpoch":          "no validator set exists for that epoch (an announced set counts only once activated)",
	"NoPendingValidatorSet": "no validator set is announced; the owner announces one with 'enigma contracts set-validators'",
	"ValidatorSetPending":   "the announced validator set takes effect at activatesAt; run 'enigma contracts activate-validators' then",
	"DatasetNewerThanEpoch": "the dataset was registered after that epoch, so that epoch's validators cannot slash it; use the signatures of a later epoch",
	"EpochExpired":          "that epoch was replaced and its grace period for slashes is over; a slash now needs the signatures of a current validator set",
	"NoRefund":              "the account has no unclaimed refund for that slash",
	"NotMinter":             "only the token deployer may mint",
	"MintDisabled":          "this token was deployed without dev minting",
}

func formatArgs(args map[string]any) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, args[k])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// errorABIs are the ABIs whose custom errors a revert can carry: the
// Marketplace's own and the token's (passed on by SafeTransfer).
var errorABIs = func() []*abi.ABI {
	var out []*abi.ABI
	for _, m := range []string{contracts.MarketplaceMetaData.ABI, contracts.ENGTokenMetaData.ABI} {
		parsed, err := abi.JSON(strings.NewReader(m))
		if err != nil {
			panic("chain: generated ABI does not parse: " + err.Error())
		}
		out = append(out, &parsed)
	}
	return out
}()

// engArgs are custom-error arguments holding ENG amounts in base units,
// shown in ENG with the base units beside them.
var engArgs = map[string]bool{"deposit": true, "minimum": true, "balance": true, "needed": true, "allowance": true}

// timeArgs are custom-error arguments holding unix times, shown as dates.
var timeArgs = map[string]bool{"unlocksAt": true, "expiry": true, "latestAllowed": true, "activatesAt": true, "slashableUntil": true}

// decodeRevert decodes revert data into a *RevertError, or returns nil when
// the data is not a known error.
func decodeRevert(data []byte) *RevertError {
	if len(data) < 4 {
		return nil
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		return &RevertError{Name: "Error", Args: map[string]any{"reason": reason}, Raw: data}
	}
	for _, a := range errorABIs {
		for name, e := range a.Errors {
			if string(e.ID[:4]) != string(data[:4]) {
				continue
			}
			args := map[string]any{}
			if err := e.Inputs.UnpackIntoMap(args, data[4:]); err != nil {
				return &RevertError{Name: name, Raw: data}
			}
			for k, v := range args {
				switch v := v.(type) {
				case [32]byte:
					args[k] = hexutil.Encode(v[:])
				case *big.Int:
					args[k] = v.String()
					if engArgs[k] {
						args[k] = FormatENG(v) + " ENG (" + v.String() + " base units)"
					}
				case uint64:
					if timeArgs[k] {
						args[k] = time.Unix(int64(v), 0).UTC().Format(time.RFC3339)
					}
				}
			}
			return &RevertError{Name: name, Args: args, Raw: data}
		}
	}
	return nil
}

// revertData extracts revert data from a JSON-RPC error (eth_call or
// eth_estimateGas), if it carries any.
func revertData(err error) []byte {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return nil
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return nil
	}
	b, derr := hexutil.Decode(s)
	if derr != nil {
		return nil
	}
	return b
}

// explain turns an RPC error into a *RevertError when it carries known revert
// data, and otherwise wraps it with what was attempted.
func explain(what string, err error) error {
	if err == nil {
		return nil
	}
	if data := revertData(err); data != nil {
		if re := decodeRevert(data); re != nil {
			return fmt.Errorf("%s: %w", what, re)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

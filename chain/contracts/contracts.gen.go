// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// MarketplaceDatasetView is an auto generated low-level Go binding around an user-defined struct.
type MarketplaceDatasetView struct {
	Id            [32]byte
	Provider      common.Address
	Name          string
	Price         *big.Int
	Deposit       *big.Int
	MetadataHash  [32]byte
	TrialPeriod   uint64
	Active        bool
	CreatedAt     uint64
	AccessEnds    uint64
	DeactivatedAt uint64
	TotalPaid     *big.Int
	SlashCount    *big.Int
	Payouts       []MarketplacePayout
}

// MarketplacePayout is an auto generated low-level Go binding around an user-defined struct.
type MarketplacePayout struct {
	Account common.Address
	Bps     uint16
}

// MarketplaceRefundPool is an auto generated low-level Go binding around an user-defined struct.
type MarketplaceRefundPool struct {
	PerSubscriber *big.Int
	Period        uint32
	SlashedAt     uint64
	ClaimsLeft    uint32
}

// MarketplaceSubscription is an auto generated low-level Go binding around an user-defined struct.
type MarketplaceSubscription struct {
	Expiry       uint64
	RunStart     uint64
	FirstPeriod  uint32
	CountedUntil uint32
	TrialEnds    uint64
}

// ENGTokenMetaData contains all meta data concerning the ENGToken contract.
var ENGTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"initialSupply\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"devMint_\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"allowance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientAllowance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"MintDisabled\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotMinter\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"devMint\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minter\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "e7294b71a9a99d1fe8cf5915452e99c625",
	Bin: "0x60c060405234801561000f575f5ffd5b5060405161086138038061086183398101604081905261002e916100da565b33608081905281151560a052610044908361004b565b5050610131565b6001600160a01b0382166100725760405163d92e233d60e01b815260040160405180910390fd5b805f5f828254610082919061010c565b90915550506001600160a01b0382165f818152600160209081526040808320805486019055518481527fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef910160405180910390a35050565b5f5f604083850312156100eb575f5ffd5b8251915060208301518015158114610101575f5ffd5b809150509250929050565b8082018082111561012b57634e487b7160e01b5f52601160045260245ffd5b92915050565b60805160a05161070261015f5f395f81816101ce01526103d601525f818160f5015261039401526107025ff3fe608060405234801561000f575f5ffd5b50600436106100b1575f3560e01c806340c10f191161006e57806340c10f191461019557806370a08231146101aa5780637c69e207146101c957806395d89b41146101f0578063a9059cbb14610212578063dd62ed3e14610225575f5ffd5b806306fdde03146100b557806307546172146100f0578063095ea7b31461012f57806318160ddd1461015257806323b872dd14610168578063313ce5671461017b575b5f5ffd5b6100da60405180604001604052806006815260200165456e69676d6160d01b81525081565b6040516100e791906105aa565b60405180910390f35b6101177f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b0390911681526020016100e7565b61014261013d3660046105fa565b61024f565b60405190151581526020016100e7565b61015a5f5481565b6040519081526020016100e7565b610142610176366004610622565b6102db565b610183600881565b60405160ff90911681526020016100e7565b6101a86101a33660046105fa565b610389565b005b61015a6101b836600461065c565b60016020525f908152604090205481565b6101427f000000000000000000000000000000000000000000000000000000000000000081565b6100da60405180604001604052806003815260200162454e4760e81b81525081565b6101426102203660046105fa565b610420565b61015a61023336600461067c565b600260209081525f928352604080842090915290825290205481565b5f6001600160a01b0383166102775760405163d92e233d60e01b815260040160405180910390fd5b335f8181526002602090815260408083206001600160a01b03881680855290835292819020869055518581529192917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925910160405180910390a35060015b92915050565b6001600160a01b0383165f9081526002602090815260408083203384529091528120545f198114610373578281101561034b5760405163246fb68960e21b81526001600160a01b038616600482015233602482015260448101829052606481018490526084015b60405180910390fd5b6001600160a01b0385165f908152600260209081526040808320338452909152902083820390555b61037e858585610435565b506001949350505050565b336001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016146103d457604051631b0e18f960e11b8152336004820152602401610342565b7f0000000000000000000000000000000000000000000000000000000000000000610412576040516317efbd6b60e01b815260040160405180910390fd5b61041c828261051b565b5050565b5f61042c338484610435565b50600192915050565b6001600160a01b03821661045c5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b0383165f90815260016020526040902054818110156104ae5760405163db42144d60e01b81526001600160a01b03851660048201526024810182905260448101839052606401610342565b6001600160a01b038085165f8181526001602052604080822086860390559286168082529083902080548601905591517fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9061050d9086815260200190565b60405180910390a350505050565b6001600160a01b0382166105425760405163d92e233d60e01b815260040160405180910390fd5b805f5f82825461055291906106ad565b90915550506001600160a01b0382165f818152600160209081526040808320805486019055518481527fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef910160405180910390a35050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b03811681146105f5575f5ffd5b919050565b5f5f6040838503121561060b575f5ffd5b610614836105df565b946020939093013593505050565b5f5f5f60608486031215610634575f5ffd5b61063d846105df565b925061064b602085016105df565b929592945050506040919091013590565b5f6020828403121561066c575f5ffd5b610675826105df565b9392505050565b5f5f6040838503121561068d575f5ffd5b610696836105df565b91506106a4602084016105df565b90509250929050565b808201808211156102d557634e487b7160e01b5f52601160045260245ffdfea2646970667358221220520d025503617acbedec87ac3e0a48c28c1124f3d2fa16f136cd2fa2afbbdb5764736f6c634300081e0033",
}

// ENGToken is an auto generated Go binding around an Ethereum contract.
type ENGToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ENGToken) GetABI() abi.ABI {
	return c.abi
}

// NewENGToken creates a new instance of ENGToken.
func NewENGToken() *ENGToken {
	parsed, err := ENGTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ENGToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ENGToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint256 initialSupply, bool devMint_) returns()
func (eNGToken *ENGToken) PackConstructor(initialSupply *big.Int, devMint_ bool) []byte {
	enc, err := eNGToken.abi.Pack("", initialSupply, devMint_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (eNGToken *ENGToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := eNGToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (eNGToken *ENGToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return eNGToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (eNGToken *ENGToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := eNGToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (eNGToken *ENGToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := eNGToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (eNGToken *ENGToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return eNGToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (eNGToken *ENGToken) UnpackApprove(data []byte) (bool, error) {
	out, err := eNGToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (eNGToken *ENGToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := eNGToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (eNGToken *ENGToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return eNGToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (eNGToken *ENGToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := eNGToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (eNGToken *ENGToken) PackDecimals() []byte {
	enc, err := eNGToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (eNGToken *ENGToken) TryPackDecimals() ([]byte, error) {
	return eNGToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (eNGToken *ENGToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := eNGToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackDevMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7c69e207.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function devMint() view returns(bool)
func (eNGToken *ENGToken) PackDevMint() []byte {
	enc, err := eNGToken.abi.Pack("devMint")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDevMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7c69e207.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function devMint() view returns(bool)
func (eNGToken *ENGToken) TryPackDevMint() ([]byte, error) {
	return eNGToken.abi.Pack("devMint")
}

// UnpackDevMint is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7c69e207.
//
// Solidity: function devMint() view returns(bool)
func (eNGToken *ENGToken) UnpackDevMint(data []byte) (bool, error) {
	out, err := eNGToken.abi.Unpack("devMint", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (eNGToken *ENGToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := eNGToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (eNGToken *ENGToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return eNGToken.abi.Pack("mint", to, amount)
}

// PackMinter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07546172.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minter() view returns(address)
func (eNGToken *ENGToken) PackMinter() []byte {
	enc, err := eNGToken.abi.Pack("minter")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinter is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07546172.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minter() view returns(address)
func (eNGToken *ENGToken) TryPackMinter() ([]byte, error) {
	return eNGToken.abi.Pack("minter")
}

// UnpackMinter is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x07546172.
//
// Solidity: function minter() view returns(address)
func (eNGToken *ENGToken) UnpackMinter(data []byte) (common.Address, error) {
	out, err := eNGToken.abi.Unpack("minter", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (eNGToken *ENGToken) PackName() []byte {
	enc, err := eNGToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (eNGToken *ENGToken) TryPackName() ([]byte, error) {
	return eNGToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (eNGToken *ENGToken) UnpackName(data []byte) (string, error) {
	out, err := eNGToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (eNGToken *ENGToken) PackSymbol() []byte {
	enc, err := eNGToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (eNGToken *ENGToken) TryPackSymbol() ([]byte, error) {
	return eNGToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (eNGToken *ENGToken) UnpackSymbol(data []byte) (string, error) {
	out, err := eNGToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (eNGToken *ENGToken) PackTotalSupply() []byte {
	enc, err := eNGToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (eNGToken *ENGToken) TryPackTotalSupply() ([]byte, error) {
	return eNGToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (eNGToken *ENGToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := eNGToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (eNGToken *ENGToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := eNGToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (eNGToken *ENGToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return eNGToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (eNGToken *ENGToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := eNGToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (eNGToken *ENGToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := eNGToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (eNGToken *ENGToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return eNGToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (eNGToken *ENGToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := eNGToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// ENGTokenApproval represents a Approval event raised by the ENGToken contract.
type ENGTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const ENGTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (ENGTokenApproval) ContractEventName() string {
	return ENGTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (eNGToken *ENGToken) UnpackApprovalEvent(log *types.Log) (*ENGTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eNGToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ENGTokenApproval)
	if len(log.Data) > 0 {
		if err := eNGToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eNGToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ENGTokenTransfer represents a Transfer event raised by the ENGToken contract.
type ENGTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const ENGTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (ENGTokenTransfer) ContractEventName() string {
	return ENGTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (eNGToken *ENGToken) UnpackTransferEvent(log *types.Log) (*ENGTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eNGToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ENGTokenTransfer)
	if len(log.Data) > 0 {
		if err := eNGToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eNGToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (eNGToken *ENGToken) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], eNGToken.abi.Errors["InsufficientAllowance"].ID.Bytes()[:4]) {
		return eNGToken.UnpackInsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], eNGToken.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return eNGToken.UnpackInsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], eNGToken.abi.Errors["MintDisabled"].ID.Bytes()[:4]) {
		return eNGToken.UnpackMintDisabledError(raw[4:])
	}
	if bytes.Equal(raw[:4], eNGToken.abi.Errors["NotMinter"].ID.Bytes()[:4]) {
		return eNGToken.UnpackNotMinterError(raw[4:])
	}
	if bytes.Equal(raw[:4], eNGToken.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return eNGToken.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ENGTokenInsufficientAllowance represents a InsufficientAllowance error raised by the ENGToken contract.
type ENGTokenInsufficientAllowance struct {
	Owner     common.Address
	Spender   common.Address
	Allowance *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed)
func ENGTokenInsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0x91beda2419c8769f0c545a44607943b78700547e886f90b5189cc0e609a996c4")
}

// UnpackInsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed)
func (eNGToken *ENGToken) UnpackInsufficientAllowanceError(raw []byte) (*ENGTokenInsufficientAllowance, error) {
	out := new(ENGTokenInsufficientAllowance)
	if err := eNGToken.abi.UnpackIntoInterface(out, "InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ENGTokenInsufficientBalance represents a InsufficientBalance error raised by the ENGToken contract.
type ENGTokenInsufficientBalance struct {
	Account common.Address
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBalance(address account, uint256 balance, uint256 needed)
func ENGTokenInsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xdb42144d928cd19733b9dfeead8bc02ed403845c274e06a6eee0944fb25ca5c4")
}

// UnpackInsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBalance(address account, uint256 balance, uint256 needed)
func (eNGToken *ENGToken) UnpackInsufficientBalanceError(raw []byte) (*ENGTokenInsufficientBalance, error) {
	out := new(ENGTokenInsufficientBalance)
	if err := eNGToken.abi.UnpackIntoInterface(out, "InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ENGTokenMintDisabled represents a MintDisabled error raised by the ENGToken contract.
type ENGTokenMintDisabled struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error MintDisabled()
func ENGTokenMintDisabledErrorID() common.Hash {
	return common.HexToHash("0x17efbd6b2e8991ff29e146fea37e7ba741bd44a56a0bf256779856f0cb0bf152")
}

// UnpackMintDisabledError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error MintDisabled()
func (eNGToken *ENGToken) UnpackMintDisabledError(raw []byte) (*ENGTokenMintDisabled, error) {
	out := new(ENGTokenMintDisabled)
	if err := eNGToken.abi.UnpackIntoInterface(out, "MintDisabled", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ENGTokenNotMinter represents a NotMinter error raised by the ENGToken contract.
type ENGTokenNotMinter struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotMinter(address caller)
func ENGTokenNotMinterErrorID() common.Hash {
	return common.HexToHash("0x361c31f27e729a8322ec0a67a437cd1a685fbc0124c358ce2bac49ea8a779111")
}

// UnpackNotMinterError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotMinter(address caller)
func (eNGToken *ENGToken) UnpackNotMinterError(raw []byte) (*ENGTokenNotMinter, error) {
	out := new(ENGTokenNotMinter)
	if err := eNGToken.abi.UnpackIntoInterface(out, "NotMinter", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ENGTokenZeroAddress represents a ZeroAddress error raised by the ENGToken contract.
type ENGTokenZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func ENGTokenZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (eNGToken *ENGToken) UnpackZeroAddressError(raw []byte) (*ENGTokenZeroAddress, error) {
	out := new(ENGTokenZeroAddress)
	if err := eNGToken.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceMetaData contains all meta data concerning the Marketplace contract.
var MarketplaceMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"minDeposit_\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"slashAmount_\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"challengeWindow_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"AlreadySlashed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"AlreadySubscribed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"position\",\"type\":\"uint256\"}],\"name\":\"BadName\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"periods\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"BadPeriodCount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"},{\"internalType\":\"uint256\",\"name\":\"validators\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"min\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"BadThreshold\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"accounts\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nodeKeys\",\"type\":\"uint256\"}],\"name\":\"BadValidatorSet\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"DatasetActive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"DatasetExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"DatasetInactive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"unlocksAt\",\"type\":\"uint64\"}],\"name\":\"DepositLocked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minimum\",\"type\":\"uint256\"}],\"name\":\"DepositTooSmall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"}],\"name\":\"DuplicateValidator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"NoRefund\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"NoTrial\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotAContract\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"given\",\"type\":\"uint256\"},{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"}],\"name\":\"NotEnoughSignatures\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"NotSubscribed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"NotValidator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"latestAllowed\",\"type\":\"uint64\"}],\"name\":\"PaidTooFarAhead\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sumBps\",\"type\":\"uint256\"}],\"name\":\"PayoutSharesNotTotal\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"SignersNotAscending\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"TokenTransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"validators\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"min\",\"type\":\"uint256\"}],\"name\":\"TooFewValidators\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"count\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"TooManyPayouts\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"TrialAlreadyUsed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"max\",\"type\":\"uint64\"}],\"name\":\"TrialTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"UnknownDataset\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"UnknownEpoch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"ZeroPayout\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"depositUnlocksAt\",\"type\":\"uint64\"}],\"name\":\"DatasetDeactivated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"}],\"name\":\"DatasetRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"name\":\"DepositChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"DepositWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"}],\"name\":\"MetadataChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"MinDepositChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"indexed\":false,\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"}],\"name\":\"PayoutsChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"PriceChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"RefundClaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"SlashAmountChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"offence\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"affected\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"perSubscriber\",\"type\":\"uint256\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"periods\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"Subscribed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"trialEnds\",\"type\":\"uint64\"}],\"name\":\"TrialStarted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"Unsubscribed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"indexed\":false,\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"}],\"name\":\"ValidatorSetChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"BPS\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_NAME_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PAYOUTS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PERIODS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_TRIAL_PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_VALIDATORS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIN_VALIDATORS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"SLASH_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"period\",\"type\":\"uint256\"}],\"name\":\"activeSubscribersIn\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"}],\"name\":\"addDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balances\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"challengeWindow\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"claimRefund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentPeriod\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"datasetCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"datasetId\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"datasetIdAt\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"deactivate\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"epoch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"exists\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"getDataset\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"createdAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"accessEnds\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"deactivatedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"totalPaid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slashCount\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"}],\"internalType\":\"structMarketplace.DatasetView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"}],\"name\":\"hasAccess\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"}],\"name\":\"isSubscribed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"isValidator\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minDeposit\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"rank\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"activeSubscribers\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalPaid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slashCount\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"refundPool\",\"outputs\":[{\"components\":[{\"internalType\":\"uint128\",\"name\":\"perSubscriber\",\"type\":\"uint128\"},{\"internalType\":\"uint32\",\"name\":\"period\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"slashedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"claimsLeft\",\"type\":\"uint32\"}],\"internalType\":\"structMarketplace.RefundPool\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"deposit\",\"type\":\"uint128\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"},{\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"}],\"name\":\"register\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"}],\"name\":\"setMetadataHash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"}],\"name\":\"setMinDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"}],\"name\":\"setPayouts\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"}],\"name\":\"setPrice\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"}],\"name\":\"setSlashAmount\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"}],\"name\":\"setValidators\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"newEpoch\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"offence\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"slash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slashAmount\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"offence\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"slashDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"name\":\"slashed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"startTrial\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"trialEnds\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"periods\",\"type\":\"uint256\"}],\"name\":\"subscribe\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"}],\"name\":\"subscription\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"runStart\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"firstPeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"countedUntil\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"trialEnds\",\"type\":\"uint64\"}],\"internalType\":\"structMarketplace.Subscription\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"unsubscribe\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"validatorSet\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"withdrawDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "f942624937809812191acf2eee599a17e1",
	Bin: "0x60c060405234801561000f575f5ffd5b5060405161414938038061414983398101604081905261002e916100fb565b836001600160a01b03163b5f03610067576040516322a2d07b60e21b81526001600160a01b038516600482015260240160405180910390fd5b6001600160a01b0384166080526001600160801b03828116600160801b02908416176001556001600160401b03811660a0525f80546001600160a01b0319163390811782556040519091907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a350505050610167565b80516001600160801b03811681146100f6575f5ffd5b919050565b5f5f5f5f6080858703121561010e575f5ffd5b84516001600160a01b0381168114610124575f5ffd5b9350610132602086016100e0565b9250610140604086016100e0565b60608601519092506001600160401b038116811461015c575f5ffd5b939692955090935050565b60805160a051613f906101b95f395f81816105d501526130bd01525f81816108a001528181610ec2015281816110e9015281816117370152818161194b0152818161204f01526121c20152613f905ff3fe608060405234801561000f575f5ffd5b50600436106102b0575f3560e01c80637115ad8c1161017b578063a8e06bc3116100e4578063e05dfc201161009e578063ed942b1b11610079578063ed942b1b14610785578063f2fde38b14610875578063f8c6014614610888578063fc0c546a1461089b575f5ffd5b8063e05dfc2014610735578063eac2f0e71461075f578063ec66772314610772575f5ffd5b8063a8e06bc3146106a2578063b05a3a09146106b5578063b4d1d795146106c8578063bd2babb5146106d2578063bd6501b1146106f2578063c3037319146106c8575f5ffd5b80638802834e116101355780638802834e146105f75780638da5cb5b146106115780638db133c61461063b5780638e7d4b1d1461064e578063900cf0cf1461067c5780639fdd45841461068f575f5ffd5b80637115ad8c14610560578063714897df146105a257806377bc5779146105aa57806383177db3146105bd57806386074985146105a2578063861a1412146105d0575f5ffd5b80633a6a71621161021d57806357898108116101d757806357898108146104635780635c2af2aa146104905780635ed1f963146104b7578063668f0c16146104bf578063675cd6e21461053a5780636faa3ec31461054d575f5ffd5b80633a6a7162146103fa5780633c8935b91461040d5780633ccfd60b1461041557806341b3d1851461041d5780634dba82c6146104485780635401ab9d14610450575f5ffd5b80631d864d3d1161026e5780631d864d3d1461034c5780631e0b2fb81461035f57806322eee84c14610372578063249d39e91461038557806327e235e3146103a157806338a699a4146103c0575f5ffd5b8062c43dee146102b457806306040618146102c95780630778f0ac146102e45780630a2546401461030f5780630c4538b4146103175780631865917914610339575b5f5ffd5b6102c76102c236600461335d565b6108c2565b005b6102d1610b3e565b6040519081526020015b60405180910390f35b6102f76102f23660046133bf565b610b51565b6040516001600160401b0390911681526020016102db565b6102d1601881565b61032a6103253660046133df565b610f05565b6040516102db939291906133f8565b6102c76103473660046134a2565b610feb565b6102f761035a3660046134db565b611129565b6102d161036d3660046135d9565b61149a565b6102c7610380366004613681565b61177f565b61038e61271081565b60405161ffff90911681526020016102db565b6102d16103af3660046136ac565b60066020525f908152604090205481565b6103ea6103ce366004613681565b5f908152600260205260409020546001600160a01b0316151590565b60405190151581526020016102db565b6102c76104083660046134a2565b611835565b6003546102d1565b6102c7611890565b600154610430906001600160801b031681565b6040516001600160801b0390911681526020016102db565b6102d1600881565b6102d161045e3660046136c7565b61197f565b6103ea6104713660046136f9565b600d60209081525f928352604080842090915290825290205460ff1681565b6102d17f87f1a63d4fd0af235faf2a3d07b773b2758f0ea45c1660a38fd7106fb3382c8781565b6102d1600481565b6104d26104cd36600461371a565b6119f9565b6040516102db91905f60a0820190506001600160401b0383511682526001600160401b03602084015116602083015263ffffffff604084015116604083015263ffffffff60608401511660608301526001600160401b03608084015116608083015292915050565b6102c7610548366004613748565b611aa6565b6102f761055b366004613681565b611b27565b6103ea61056e36600461371a565b5f9182526004602090815260408084206001600160a01b03939093168452919052902054426001600160401b039091161190565b6102d1604081565b6102d16105b8366004613761565b611ce2565b6103ea6105cb36600461371a565b611cf8565b6102f77f000000000000000000000000000000000000000000000000000000000000000081565b60015461043090600160801b90046001600160801b031681565b5f54610623906001600160a01b031681565b6040516001600160a01b0390911681526020016102db565b6102c76106493660046133bf565b611d4c565b61066161065c366004613681565b611d8c565b604080519384526020840192909252908201526060016102db565b6007546102f7906001600160401b031681565b6102c761069d3660046136f9565b611de5565b6102c76106b0366004613681565b612089565b6102c76106c33660046137b1565b6121fa565b6102f762278d0081565b6106e56106e0366004613681565b61225e565b6040516102db919061386c565b6103ea61070036600461397b565b6001600160401b0382165f908152600b602090815260408083206001600160a01b038516845290915290205460ff1692915050565b6102d16107433660046133bf565b5f91825260056020908152604080842092845291905290205490565b6102d161076d366004613681565b6124bd565b6102c7610780366004613748565b6124e1565b6108206107933660046136f9565b60408051608080820183525f80835260208084018290528385018290526060938401829052958152600e86528381206001600160401b039586168252865283902083519182018452546001600160801b038116825263ffffffff600160801b8204811696830196909652600160a01b810490941692810192909252600160e01b9092049092169082015290565b6040516102db91905f6080820190506001600160801b03835116825263ffffffff60208401511660208301526001600160401b03604084015116604083015263ffffffff606084015116606083015292915050565b6102c76108833660046136ac565b61255b565b6102c7610896366004613681565b612607565b6106237f000000000000000000000000000000000000000000000000000000000000000081565b5f6108cc86612749565b90506001600160401b03841615806108f257506007546001600160401b03908116908516115b1561092057604051632938879b60e21b81526001600160401b03851660048201526024015b60405180910390fd5b5f868152600d602090815260408083206001600160401b038816845290915290205460ff1615610975576040516307b5b69560e01b8152600481018790526001600160401b0385166024820152604401610917565b6001600160401b0384165f908152600a602052604090205461ffff16808310156109bf5760405163048c6c7d60e11b81526004810184905261ffff82166024820152604401610917565b5f6109cb88888861197f565b6040517f19457468657265756d205369676e6564204d6573736167653a0a3332000000006020820152603c810191909152605c0160408051601f19818403018152919052805160209091012090505f805b85811015610afa575f610a5384898985818110610a3b57610a3b6139a5565b9050602002810190610a4d91906139b9565b85612786565b9050826001600160a01b0316816001600160a01b031611610a8a5760405163590a84f760e01b815260048101839052602401610917565b6001600160401b0389165f908152600b602090815260408083206001600160a01b038516845290915290205460ff16610af05760405163b6d652eb60e01b81526001600160a01b03821660048201526001600160401b038a166024820152604401610917565b9150600101610a1c565b505f898152600d602090815260408083206001600160401b038b1684529091529020805460ff19166001179055610b33848a8a8a612908565b505050505050505050565b5f610b4c62278d0042613a23565b905090565b5f60ff815c1615610b755760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f610b8d84612749565b8054909150600160e01b900460ff16610bbc576040516317e89c7160e21b815260048101859052602401610917565b821580610bc95750601883115b15610bf1576040516347c4211360e11b81526004810184905260186024820152604401610917565b5f8481526004602090815260408083203384529091528120904290610c1962278d0083613a36565b835490915063ffffffff600160a01b820416906001600160401b03808516911611610c9457835473ffffffffffffffffffffffff00000000000000001916600160401b6001600160401b0385160263ffffffff60801b191617600160801b63ffffffff8481169182029290921786559082161015610c945750805b610ca162278d0088613a63565b84546001600160401b03808616911611610cbb5783610cc7565b84546001600160401b03165b610cd19190613a8c565b95505f610ce262278d006018613a63565b610cec9085613a8c565b9050806001600160401b0316876001600160401b03161115610d3457604051637b9fc18160e01b81526001600160401b03808916600483015282166024820152604401610917565b5f62278d00610d4460018a613aab565b610d4e9190613a36565b610d59906001613aca565b905063ffffffff83165b8163ffffffff16811015610da7575f8b81526005602090815260408083208484529091528120805460019290610d9a908490613ae6565b9091555050600101610d63565b50855477ffffffff000000000000000000000000ffffffffffffffff1916600160a01b63ffffffff83160267ffffffffffffffff1916176001600160401b0389811691821788556002890154600160401b9004161015610e295760028701805467ffffffffffffffff60401b1916600160401b6001600160401b038b16021790555b60018701545f90610e44908b906001600160801b0316613af9565b905080886004015f828254610e599190613ae6565b90915550610e6990508882612c09565b604080518b8152602081018390526001600160401b038b1681830152905133918d917f2a0103afef3942fe291e95abbeb32708ca9b40c3d2440a5695e7881321b235d99181900360600190a3610eea6001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016333084612d19565b505f96505060ff19865c1694508593505050505d5092915050565b6001600160401b0381165f90815260086020908152604080832060098352818420600a84528285205482548451818702810187019095528085526060968796909561ffff90931692918591830182828015610f8757602002820191905f5260205f20905b81546001600160a01b03168152600190910190602001808311610f69575b5050505050925081805480602002602001604051908101604052809291908181526020018280548015610fd757602002820191905f5260205f20905b815481526020019060010190808311610fc3575b505050505091509250925092509193909250565b60ff5f5c161561100e5760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f61102683612d78565b9050816001600160801b03165f0361105157604051631f2a200560e01b815260040160405180910390fd5b818160010160108282829054906101000a90046001600160801b03166110779190613b10565b82546101009290920a6001600160801b038181021990931691831602179091556001830154604051600160801b90910490911681528491507f03a667b41adbe6fa0548cbab59bad961fdaf52f50d7f472babf50e6e3cc0bc099060200160405180910390a261111a6001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001633306001600160801b038616612d19565b505f60ff19815c16815d505050565b5f80546001600160a01b031633146111565760405163245aecd360e01b8152336004820152602401610917565b8460408111806111665750838114155b1561118e576040516341dc331960e11b81526004810182905260248101859052604401610917565b60048110156111b957604051630e43a0b360e11b815260048181018390526024820152604401610917565b5f60036111c7600184613b2f565b6111d19190613a23565b90505f60026111e08385613ae6565b6111eb906002613ae6565b6111f59190613a23565b9050808561ffff161080611215575061120e8284613b2f565b8561ffff16115b15611259578483826112278583613b2f565b604051635674887760e01b815261ffff9094166004850152602484019290925260448301526064820152608401610917565b600754611270906001600160401b03166001613a8c565b93505f5b838110156113cc575f8a8a8381811061128f5761128f6139a5565b90506020020160208101906112a491906136ac565b90505f8989848181106112b9576112b96139a5565b60200291909101359150506001600160a01b03821615806112d8575080155b8061130e57506001600160401b0387165f908152600b602090815260408083206001600160a01b038616845290915290205460ff165b8061133b57506001600160401b0387165f908152600c6020908152604080832084845290915290205460ff165b1561136b5760405163ae0a4eff60e01b81526001600160a01b038316600482015260248101829052604401610917565b6001600160401b0387165f818152600b602090815260408083206001600160a01b039096168352948152848220805460ff199081166001908117909255938352600c8252858320948352939052929092208054909216811790915501611274565b506007805467ffffffffffffffff19166001600160401b0386169081179091555f908152600860205260409020611404908a8a613215565b506001600160401b0384165f908152600960205260409020611427908888613276565b506001600160401b0384165f818152600a602052604090819020805461ffff191661ffff8916179055517f1ba1db913ec6a791629e6c64950be000f3a8e1061e86587366202307d17663a2906114869088908d908d908d908d90613b42565b60405180910390a250505095945050505050565b5f60ff815c16156114be5760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d506114d68989612db8565b3389896040516020016114eb93929190613bca565b60408051601f1981840301815291815281516020928301205f818152600290935291208054919250906001600160a01b03161561153e57604051631084f4a560e01b815260048101839052602401610917565b6001546001600160801b03908116908816108061156257506001600160801b038716155b156115975760015460405163253bf97d60e11b81526001600160801b03808a1660048301529091166024820152604401610917565b62278d006001600160401b03841611156115d85760405163154f345760e01b81526001600160401b038416600482015262278d006024820152604401610917565b805460ff60e01b196001600160401b03808616600160a01b0267ffffffffffffffff60a01b1933166001600160e01b0319909416939093179290921716600160e01b1782556001600160801b03888116600160801b02908a161760018301556002820180544290921667ffffffffffffffff19909216919091179055600381018690556005810161166a8a8c83613c85565b50611676818686612ef1565b600380546001810182555f919091527fc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b01829055604051339083907fbf090e4c03f02756462fee07791c3360a55b2580145257252a7faba35484be9f906116e8908e908e908e908e908e908c90613d3e565b60405180910390a3817fa8b076b3868a7799698819cb00d65d4a30e9a8cbd7390eb60ab2fcf5293453638686604051611722929190613d9a565b60405180910390a26117686001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001633306001600160801b038b16612d19565b505f60ff19815c16815d5098975050505050505050565b5f61178982612d78565b8054909150600160e01b900460ff166117b8576040516317e89c7160e21b815260048101839052602401610917565b805460ff60e01b1916815560028101805467ffffffffffffffff60801b1916600160801b426001600160401b031602179055817fc58d2ed88f44a932ecf518de4911cf7356dd5084a71df371362ee75c4966c0786118158361305e565b6040516001600160401b0390911681526020015b60405180910390a25050565b8061183f83612d78565b60010180546001600160801b0319166001600160801b03928316179055604051908216815282907f6007aeeeb4a07f99c2208537b6cf8bf3710752ce9e7d85b7ab294174ba80154590602001611829565b60ff5f5c16156118b35760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d50335f90815260066020526040812054908190036118f357604051636e34ee0b60e11b8152336004820152602401610917565b335f8181526006602052604080822091909155517f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5906119369084815260200190565b60405180910390a26119726001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001633836130e9565b505f60ff19815c16815d50565b604080517f87f1a63d4fd0af235faf2a3d07b773b2758f0ea45c1660a38fd7106fb3382c87602082015246918101919091523060608201526080810184905260a081018390526001600160401b03821660c08201525f9060e0015b6040516020818303038152906040528051906020012090509392505050565b6040805160a0810182525f80825260208201819052918101829052606081018290526080810191909152505f8281526004602090815260408083206001600160a01b0385168452825291829020825160a08101845290546001600160401b038082168352600160401b820481169383019390935263ffffffff600160801b8204811694830194909452600160a01b81049093166060820152600160c01b9092041660808201525b92915050565b5f546001600160a01b03163314611ad25760405163245aecd360e01b8152336004820152602401610917565b600180546001600160801b0319166001600160801b0383169081179091556040519081527fa000bf02376732aba3d876c4c1a507f71dc704bc53a9197154014ac0262fe8a6906020015b60405180910390a150565b5f5f611b3283612749565b8054909150600160e01b900460ff16611b61576040516317e89c7160e21b815260048101849052602401610917565b8054600160a01b90046001600160401b03165f03611b955760405163101332f360e31b815260048101849052602401610917565b5f83815260046020908152604080832033845290915290208054600160c01b90046001600160401b031615611be657604051631b6d799560e11b815260048101859052336024820152604401610917565b8054426001600160401b039091161115611c1c5760405163d27d19d360e01b815260048101859052336024820152604401610917565b8154611c3890600160a01b90046001600160401b031642613a8c565b81546001600160c01b0316600160c01b6001600160401b038381169182029290921784556002850154929550600160401b909204161015611c9b5760028201805467ffffffffffffffff60401b1916600160401b6001600160401b038616021790555b6040516001600160401b0384168152339085907ff83dd81d810104f153355b45c5e31e6ed3a5d49af993e02b214c1121686e5b8e9060200160405180910390a35050919050565b5f8383836040516020016119da93929190613bca565b5f8281526004602090815260408083206001600160a01b038516845290915281208054426001600160401b039091161180611d445750805442600160c01b9091046001600160401b0316115b949350505050565b80611d5683612d78565b6003015560405181815282907fca54a5f34105f3b84bb6e9f2ca5bae3a0d41a23cfd0557bcfa5d3df3db8df09790602001611829565b5f5f5f5f611d9985612749565b5f868152600560205260408120919250611db662278d0042613a23565b815260208101919091526040015f2054600482015491549096919550600160e81b900462ffffff169350915050565b60ff5f5c1615611e085760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f828152600e602090815260408083206001600160401b038086168552908352818420868552600484528285203386529093529083208254929390929091600160a01b9091041615801590611e7857508254600160e01b900463ffffffff1615155b8015611e9457508154600160401b90046001600160401b031615155b8015611ebe575082548254600160a01b9091046001600160401b03908116600160401b9092041611155b8015611ee157508254825463ffffffff600160801b928390048116929091041611155b8015611f07575081548354600160a01b90910463ffffffff908116600160801b90920416105b8015611f3d57505f858152600f602090815260408083206001600160401b0388168452825280832033845290915290205460ff16155b905080611f755760405163d90ff6ed60e01b8152600481018690526001600160401b0385166024820152336044820152606401610917565b5f858152600f602090815260408083206001600160401b038816845282528083203384529091529020805460ff1916600190811790915583548490601c90611fcc90849063ffffffff600160e01b90910416613dfd565b825463ffffffff9182166101009390930a92830291909202199091161790555082546040516001600160801b039091168082529033906001600160401b0387169088907f55aff922d066dffd12468d3a2fb5d7af211da8668d9a121374cc26ad0cef23529060200160405180910390a48015612076576120766001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001633836130e9565b505f92505050805c60ff1916815d505050565b60ff5f5c16156120ac5760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f6120c482612d78565b8054909150600160e01b900460ff16156120f457604051633380ec9b60e21b815260048101839052602401610917565b5f6120fe8261305e565b9050806001600160401b03164210156121355760405163dc52083360e01b81526001600160401b0382166004820152602401610917565b6001820154600160801b90046001600160801b03165f81900361216d57604051636e34ee0b60e11b8152336004820152602401610917565b6001830180546001600160801b03169055604051818152339085907f0c4c5d4c3bcc4e68b960f90448e78b3a2eb8ddbd45fdb5fadb203a1c3c56878b9060200160405180910390a36121e96001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001633836130e9565b505f91505060ff19815c16815d5050565b5f61220484612d78565b9050612213600682015f6132af565b61221e818484612ef1565b837fa8b076b3868a7799698819cb00d65d4a30e9a8cbd7390eb60ab2fcf5293453638484604051612250929190613d9a565b60405180910390a250505050565b6122f3604051806101c001604052805f81526020015f6001600160a01b03168152602001606081526020015f81526020015f81526020015f81526020015f6001600160401b031681526020015f151581526020015f6001600160401b031681526020015f6001600160401b031681526020015f6001600160401b031681526020015f81526020015f8152602001606081525090565b5f6122fd83612749565b83835280546001600160a01b031660208401526005810180549192509061232390613c09565b80601f016020809104026020016040519081016040528092919081815260200182805461234f90613c09565b801561239a5780601f106123715761010080835404028352916020019161239a565b820191905f5260205f20905b81548152906001019060200180831161237d57829003601f168201915b505050506040808501929092525060018201546001600160801b038082166060860152600160801b91829004166080850152600383015460a085015282546001600160401b03600160a01b8204811660c087015260ff600160e01b830416151560e08701526002850154808216610100880152600160401b8104821661012088015292909204909116610140850152600483015461016085015262ffffff600160e81b909104166101808401526006820180548251602080830282018101909452818152925f9084015b828210156124ad575f84815260209081902060408051808201909152908401546001600160a01b0381168252600160a01b900461ffff1681830152825260019092019101612464565b505050506101a083015250919050565b5f600382815481106124d1576124d16139a5565b905f5260205f2001549050919050565b5f546001600160a01b0316331461250d5760405163245aecd360e01b8152336004820152602401610917565b600180546001600160801b03908116600160801b918416918202179091556040519081527faf7af243fff5778819ea5923fd4eb707fcbaf4601fe99f3e14febb0cdcb3a57f90602001611b1c565b5f546001600160a01b031633146125875760405163245aecd360e01b8152336004820152602401610917565b6001600160a01b0381166125ae5760405163d92e233d60e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e091a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b5f8181526004602090815260408083203384529091529020805442906001600160401b0380831691161161265757604051630f5241f760e31b815260048101849052336024820152604401610917565b5f61266562278d0083613a36565b612670906001613aca565b905063ffffffff81165b8354600160a01b900463ffffffff168110156126c6575f85815260056020908152604080832084845290915281208054600192906126b9908490613b2f565b909155505060010161267a565b50825463ffffffff808316600160a01b9092041611156126fd57825463ffffffff60a01b1916600160a01b63ffffffff8316021783555b825467ffffffffffffffff19166001600160401b038316178355604051339085907f59332f9abbff096727b5f98534b0146dcab05c8a32ebce917a9fa6c66e7033a1905f90a350505050565b5f81815260026020526040902080546001600160a01b031661278157604051633c94bec560e01b815260048101839052602401610917565b919050565b5f604183146127ab5760405163a1c9731960e01b815260048101839052602401610917565b5f6127b96020828688613e19565b6127c291613e40565b90505f6127d3604060208789613e19565b6127dc91613e40565b90505f868660408181106127f2576127f26139a5565b919091013560f81c915050601b81101561281457612811601b82613e5d565b90505b7f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a082118061285557508060ff16601b1415801561285557508060ff16601c14155b156128765760405163a1c9731960e01b815260048101869052602401610917565b604080515f8152602081018083528a905260ff831691810191909152606081018490526080810183905260019060a0016020604051602081039080840390855afa1580156128c6573d5f5f3e3d5ffd5b5050604051601f1901519450506001600160a01b0384166128fd5760405163a1c9731960e01b815260048101869052602401610917565b505050949350505050565b60018085015490545f916001600160801b03600160801b918290048116919092049091161061294b576001850154600160801b90046001600160801b031661295f565b600154600160801b90046001600160801b03165b6001860180546001600160801b039283169350839260109161298a918591600160801b900416613e76565b92506101000a8154816001600160801b0302191690836001600160801b031602179055506001855f01601d8282829054906101000a900462ffffff166129d09190613e95565b92506101000a81548162ffffff021916908362ffffff1602179055505f62278d006001600160401b031642612a059190613a23565b5f86815260056020908152604080832063ffffffff851684529091528120549192508115612a3c57612a378285613a23565b612a3e565b5f5b90505f612a4b8383613af9565b612a559086613b2f565b90508015612a8a575f80546001600160a01b031681526006602052604081208054839290612a84908490613ae6565b90915550505b6040518060800160405280836001600160801b031681526020018563ffffffff168152602001426001600160401b031681526020018463ffffffff16815250600e5f8a81526020019081526020015f205f886001600160401b03166001600160401b031681526020019081526020015f205f820151815f015f6101000a8154816001600160801b0302191690836001600160801b031602179055506020820151815f0160106101000a81548163ffffffff021916908363ffffffff1602179055506040820151815f0160146101000a8154816001600160401b0302191690836001600160401b031602179055506060820151815f01601c6101000a81548163ffffffff021916908363ffffffff160217905550905050856001600160401b0316887f0cc9105733876d6ca4da00c7d7c8d2ffc07318986160bf96a7962c8cc0ee003f89888787604051612bf6949392919093845260208401929092526040830152606082015260800190565b60405180910390a3505050505050505050565b600682018160015b8254811015612cc4575f61271061ffff16848381548110612c3457612c346139a5565b5f91825260209091200154612c5490600160a01b900461ffff1687613af9565b612c5e9190613a23565b90508060065f868581548110612c7657612c766139a5565b5f9182526020808320909101546001600160a01b0316835282019290925260400181208054909190612ca9908490613ae6565b90915550612cb990508184613b2f565b925050600101612c11565b508060065f845f81548110612cdb57612cdb6139a5565b5f9182526020808320909101546001600160a01b0316835282019290925260400181208054909190612d0e908490613ae6565b909155505050505050565b6040516001600160a01b0380851660248301528316604482015260648101829052612d7290859060840160408051601f198184030181529190526020810180516001600160e01b03166323b872dd60e01b17905261313f565b50505050565b5f612d8282612749565b80549091506001600160a01b0316331461278157604051633a5187b560e01b815260048101839052336024820152604401610917565b8181801580612dc75750604081115b15612de857604051631591614760e01b815260048101829052602401610917565b5f5b81811015612eea575f838383818110612e0557612e056139a5565b909101356001600160f81b03191691505f9050606160f81b8210801590612e3a5750603d60f91b6001600160f81b0319831611155b80612e6c5750600360fc1b6001600160f81b0319831610801590612e6c5750603960f81b6001600160f81b0319831611155b80612ebd57505f83118015612ebd5750605f60f81b6001600160f81b031983161480612ea55750602d60f81b6001600160f81b03198316145b80612ebd5750601760f91b6001600160f81b03198316145b905080612ee057604051631591614760e01b815260048101849052602401610917565b5050600101612dea565b5050505050565b806008811115612f1e57604051630d5b4f5160e01b81526004810182905260086024820152604401610917565b5f805b82811015613038575f858583818110612f3c57612f3c6139a5565b612f5292602060409092020190810191506136ac565b6001600160a01b03161480612f925750848482818110612f7457612f746139a5565b9050604002016020016020810190612f8c9190613eb0565b61ffff16155b15612fb35760405163900e28cf60e01b815260048101829052602401610917565b848482818110612fc557612fc56139a5565b9050604002016020016020810190612fdd9190613eb0565b612feb9061ffff1683613ae6565b915085600601858583818110613003576130036139a5565b83546001810185555f94855260209094206040909102929092019291909101905061302e8282613ecb565b5050600101612f21565b506127108114612eea576040516316c2ceab60e11b815260048101829052602401610917565b60028101545f9081906001600160401b03600160801b82048116600160401b90920416116130a0576002830154600160801b90046001600160401b03166130b6565b6002830154600160401b90046001600160401b03165b90506130e27f000000000000000000000000000000000000000000000000000000000000000082613a8c565b9392505050565b6040516001600160a01b03831660248201526044810182905261313a90849060640160408051601f198184030181529190526020810180516001600160e01b031663a9059cbb60e01b17905261313f565b505050565b5f5f836001600160a01b0316836040516131599190613f25565b5f604051808303815f865af19150503d805f8114613192576040519150601f19603f3d011682016040523d82523d5f602084013e613197565b606091505b5091509150811580156131aa57505f8151115b156131b757805160208201fd5b8115806131ec57508051158015906131ec5750805160201415806131ec5750808060200190518101906131ea9190613f3b565b155b15612d7257604051632b596cb760e01b81526001600160a01b0385166004820152602401610917565b828054828255905f5260205f20908101928215613266579160200282015b828111156132665781546001600160a01b0319166001600160a01b03843516178255602090920191600190910190613233565b506132729291506132cd565b5090565b828054828255905f5260205f20908101928215613266579160200282015b82811115613266578235825591602001919060010190613294565b5080545f8255905f5260205f20908101906132ca91906132e1565b50565b5b80821115613272575f81556001016132ce565b5b808211156132725780546001600160b01b03191681556001016132e2565b80356001600160401b0381168114612781575f5ffd5b5f5f83601f840112613326575f5ffd5b5081356001600160401b0381111561333c575f5ffd5b6020830191508360208260051b8501011115613356575f5ffd5b9250929050565b5f5f5f5f5f60808688031215613371575f5ffd5b853594506020860135935061338860408701613300565b925060608601356001600160401b038111156133a2575f5ffd5b6133ae88828901613316565b969995985093965092949392505050565b5f5f604083850312156133d0575f5ffd5b50508035926020909101359150565b5f602082840312156133ef575f5ffd5b6130e282613300565b606080825284519082018190525f9060208601906080840190835b8181101561343a5783516001600160a01b0316835260209384019390920191600101613413565b5050838103602080860191909152865180835291810192508601905f5b81811015613475578251845260209384019390920191600101613457565b50505061ffff841660408401529050949350505050565b80356001600160801b0381168114612781575f5ffd5b5f5f604083850312156134b3575f5ffd5b823591506134c36020840161348c565b90509250929050565b61ffff811681146132ca575f5ffd5b5f5f5f5f5f606086880312156134ef575f5ffd5b85356001600160401b03811115613504575f5ffd5b61351088828901613316565b90965094505060208601356001600160401b0381111561352e575f5ffd5b61353a88828901613316565b909450925050604086013561354e816134cc565b809150509295509295909350565b5f5f83601f84011261356c575f5ffd5b5081356001600160401b03811115613582575f5ffd5b602083019150836020828501011115613356575f5ffd5b5f5f83601f8401126135a9575f5ffd5b5081356001600160401b038111156135bf575f5ffd5b6020830191508360208260061b8501011115613356575f5ffd5b5f5f5f5f5f5f5f5f60c0898b0312156135f0575f5ffd5b88356001600160401b03811115613605575f5ffd5b6136118b828c0161355c565b9099509750613624905060208a0161348c565b955061363260408a0161348c565b94506060890135935060808901356001600160401b03811115613653575f5ffd5b61365f8b828c01613599565b9094509250613672905060a08a01613300565b90509295985092959890939650565b5f60208284031215613691575f5ffd5b5035919050565b6001600160a01b03811681146132ca575f5ffd5b5f602082840312156136bc575f5ffd5b81356130e281613698565b5f5f5f606084860312156136d9575f5ffd5b83359250602084013591506136f060408501613300565b90509250925092565b5f5f6040838503121561370a575f5ffd5b823591506134c360208401613300565b5f5f6040838503121561372b575f5ffd5b82359150602083013561373d81613698565b809150509250929050565b5f60208284031215613758575f5ffd5b6130e28261348c565b5f5f5f60408486031215613773575f5ffd5b833561377e81613698565b925060208401356001600160401b03811115613798575f5ffd5b6137a48682870161355c565b9497909650939450505050565b5f5f5f604084860312156137c3575f5ffd5b8335925060208401356001600160401b038111156137df575f5ffd5b6137a486828701613599565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b5f8151808452602084019350602083015f5b8281101561386257815180516001600160a01b0316875260209081015161ffff16818801526040909601959091019060010161382b565b5093949350505050565b60208152815160208201525f602083015161389260408401826001600160a01b03169052565b5060408301516101c060608401526138ae6101e08401826137eb565b905060608401516080840152608084015160a084015260a084015160c084015260c08401516138e860e08501826001600160401b03169052565b5060e0840151801515610100850152506101008401516001600160401b038116610120850152506101208401516001600160401b038116610140850152506101408401516001600160401b038116610160850152506101608401516101808401526101808401516101a08401526101a0840151601f19848303016101c08501526139728282613819565b95945050505050565b5f5f6040838503121561398c575f5ffd5b61399583613300565b9150602083013561373d81613698565b634e487b7160e01b5f52603260045260245ffd5b5f5f8335601e198436030181126139ce575f5ffd5b8301803591506001600160401b038211156139e7575f5ffd5b602001915036819003821315613356575f5ffd5b634e487b7160e01b5f52601260045260245ffd5b634e487b7160e01b5f52601160045260245ffd5b5f82613a3157613a316139fb565b500490565b5f6001600160401b03831680613a4e57613a4e6139fb565b806001600160401b0384160491505092915050565b6001600160401b038181168382160290811690818114613a8557613a85613a0f565b5092915050565b6001600160401b038181168382160190811115611aa057611aa0613a0f565b6001600160401b038281168282160390811115611aa057611aa0613a0f565b63ffffffff8181168382160190811115611aa057611aa0613a0f565b80820180821115611aa057611aa0613a0f565b8082028115828204841417611aa057611aa0613a0f565b6001600160801b038181168382160190811115611aa057611aa0613a0f565b81810381811115611aa057611aa0613a0f565b61ffff8616815260606020820181905281018490525f8560808301825b87811015613b8f578235613b7281613698565b6001600160a01b0316825260209283019290910190600101613b5f565b5083810360408501528481526001600160fb1b03851115613bae575f5ffd5b8460051b91508186602083013701602001979650505050505050565b6bffffffffffffffffffffffff198460601b168152818360148301375f910160140190815292915050565b634e487b7160e01b5f52604160045260245ffd5b600181811c90821680613c1d57607f821691505b602082108103613c3b57634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561313a57805f5260205f20601f840160051c81016020851015613c665750805b601f840160051c820191505b81811015612eea575f8155600101613c72565b6001600160401b03831115613c9c57613c9c613bf5565b613cb083613caa8354613c09565b83613c41565b5f601f841160018114613ce1575f8515613cca5750838201355b5f19600387901b1c1916600186901b178355612eea565b5f83815260208120601f198716915b82811015613d105786850135825560209485019460019092019101613cf0565b5086821015613d2c575f1960f88860031b161c19848701351681555b505060018560011b0183555050505050565b60a081528560a0820152858760c08301375f60c08783018101919091526001600160801b03958616602083015293909416604085015260608401919091526001600160401b03166080830152601f909201601f19160101919050565b602080825281018290525f8360408301825b85811015613df3578235613dbf81613698565b6001600160a01b031682526020830135613dd8816134cc565b61ffff16602083015260409283019290910190600101613dac565b5095945050505050565b63ffffffff8281168282160390811115611aa057611aa0613a0f565b5f5f85851115613e27575f5ffd5b83861115613e33575f5ffd5b5050820193919092039150565b80356020831015611aa0575f19602084900360031b1b1692915050565b60ff8181168382160190811115611aa057611aa0613a0f565b6001600160801b038281168282160390811115611aa057611aa0613a0f565b62ffffff8181168382160190811115611aa057611aa0613a0f565b5f60208284031215613ec0575f5ffd5b81356130e2816134cc565b8135613ed681613698565b81546001600160a01b031981166001600160a01b039290921691821783556020840135613f02816134cc565b6001600160b01b03199190911690911760a09190911b61ffff60a01b1617905550565b5f82518060208501845e5f920191825250919050565b5f60208284031215613f4b575f5ffd5b815180151581146130e2575f5ffdfea2646970667358221220700da30a91ae1700439096a64ab055d9b1f55d99f2da68c7cc1ce31bfcbfed8164736f6c634300081e0033",
}

// Marketplace is an auto generated Go binding around an Ethereum contract.
type Marketplace struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Marketplace) GetABI() abi.ABI {
	return c.abi
}

// NewMarketplace creates a new instance of Marketplace.
func NewMarketplace() *Marketplace {
	parsed, err := MarketplaceMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Marketplace{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Marketplace) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address token_, uint128 minDeposit_, uint128 slashAmount_, uint64 challengeWindow_) returns()
func (marketplace *Marketplace) PackConstructor(token_ common.Address, minDeposit_ *big.Int, slashAmount_ *big.Int, challengeWindow_ uint64) []byte {
	enc, err := marketplace.abi.Pack("", token_, minDeposit_, slashAmount_, challengeWindow_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackBPS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x249d39e9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function BPS() view returns(uint16)
func (marketplace *Marketplace) PackBPS() []byte {
	enc, err := marketplace.abi.Pack("BPS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBPS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x249d39e9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function BPS() view returns(uint16)
func (marketplace *Marketplace) TryPackBPS() ([]byte, error) {
	return marketplace.abi.Pack("BPS")
}

// UnpackBPS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x249d39e9.
//
// Solidity: function BPS() view returns(uint16)
func (marketplace *Marketplace) UnpackBPS(data []byte) (uint16, error) {
	out, err := marketplace.abi.Unpack("BPS", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackMAXNAMELENGTH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x86074985.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_NAME_LENGTH() view returns(uint256)
func (marketplace *Marketplace) PackMAXNAMELENGTH() []byte {
	enc, err := marketplace.abi.Pack("MAX_NAME_LENGTH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXNAMELENGTH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x86074985.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_NAME_LENGTH() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXNAMELENGTH() ([]byte, error) {
	return marketplace.abi.Pack("MAX_NAME_LENGTH")
}

// UnpackMAXNAMELENGTH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x86074985.
//
// Solidity: function MAX_NAME_LENGTH() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXNAMELENGTH(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_NAME_LENGTH", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXPAYOUTS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4dba82c6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_PAYOUTS() view returns(uint256)
func (marketplace *Marketplace) PackMAXPAYOUTS() []byte {
	enc, err := marketplace.abi.Pack("MAX_PAYOUTS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXPAYOUTS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4dba82c6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_PAYOUTS() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXPAYOUTS() ([]byte, error) {
	return marketplace.abi.Pack("MAX_PAYOUTS")
}

// UnpackMAXPAYOUTS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4dba82c6.
//
// Solidity: function MAX_PAYOUTS() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXPAYOUTS(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_PAYOUTS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXPERIODS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0a254640.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_PERIODS() view returns(uint256)
func (marketplace *Marketplace) PackMAXPERIODS() []byte {
	enc, err := marketplace.abi.Pack("MAX_PERIODS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXPERIODS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0a254640.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_PERIODS() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXPERIODS() ([]byte, error) {
	return marketplace.abi.Pack("MAX_PERIODS")
}

// UnpackMAXPERIODS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0a254640.
//
// Solidity: function MAX_PERIODS() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXPERIODS(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_PERIODS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXTRIALPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc3037319.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_TRIAL_PERIOD() view returns(uint64)
func (marketplace *Marketplace) PackMAXTRIALPERIOD() []byte {
	enc, err := marketplace.abi.Pack("MAX_TRIAL_PERIOD")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXTRIALPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc3037319.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_TRIAL_PERIOD() view returns(uint64)
func (marketplace *Marketplace) TryPackMAXTRIALPERIOD() ([]byte, error) {
	return marketplace.abi.Pack("MAX_TRIAL_PERIOD")
}

// UnpackMAXTRIALPERIOD is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc3037319.
//
// Solidity: function MAX_TRIAL_PERIOD() view returns(uint64)
func (marketplace *Marketplace) UnpackMAXTRIALPERIOD(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("MAX_TRIAL_PERIOD", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackMAXVALIDATORS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x714897df.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_VALIDATORS() view returns(uint256)
func (marketplace *Marketplace) PackMAXVALIDATORS() []byte {
	enc, err := marketplace.abi.Pack("MAX_VALIDATORS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXVALIDATORS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x714897df.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_VALIDATORS() view returns(uint256)
func (marketplace *Marketplace) TryPackMAXVALIDATORS() ([]byte, error) {
	return marketplace.abi.Pack("MAX_VALIDATORS")
}

// UnpackMAXVALIDATORS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x714897df.
//
// Solidity: function MAX_VALIDATORS() view returns(uint256)
func (marketplace *Marketplace) UnpackMAXVALIDATORS(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MAX_VALIDATORS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMINVALIDATORS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5ed1f963.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MIN_VALIDATORS() view returns(uint256)
func (marketplace *Marketplace) PackMINVALIDATORS() []byte {
	enc, err := marketplace.abi.Pack("MIN_VALIDATORS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMINVALIDATORS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5ed1f963.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MIN_VALIDATORS() view returns(uint256)
func (marketplace *Marketplace) TryPackMINVALIDATORS() ([]byte, error) {
	return marketplace.abi.Pack("MIN_VALIDATORS")
}

// UnpackMINVALIDATORS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5ed1f963.
//
// Solidity: function MIN_VALIDATORS() view returns(uint256)
func (marketplace *Marketplace) UnpackMINVALIDATORS(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("MIN_VALIDATORS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb4d1d795.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function PERIOD() view returns(uint64)
func (marketplace *Marketplace) PackPERIOD() []byte {
	enc, err := marketplace.abi.Pack("PERIOD")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb4d1d795.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function PERIOD() view returns(uint64)
func (marketplace *Marketplace) TryPackPERIOD() ([]byte, error) {
	return marketplace.abi.Pack("PERIOD")
}

// UnpackPERIOD is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb4d1d795.
//
// Solidity: function PERIOD() view returns(uint64)
func (marketplace *Marketplace) UnpackPERIOD(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("PERIOD", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackSLASHTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c2af2aa.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function SLASH_TYPEHASH() view returns(bytes32)
func (marketplace *Marketplace) PackSLASHTYPEHASH() []byte {
	enc, err := marketplace.abi.Pack("SLASH_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSLASHTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c2af2aa.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function SLASH_TYPEHASH() view returns(bytes32)
func (marketplace *Marketplace) TryPackSLASHTYPEHASH() ([]byte, error) {
	return marketplace.abi.Pack("SLASH_TYPEHASH")
}

// UnpackSLASHTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c2af2aa.
//
// Solidity: function SLASH_TYPEHASH() view returns(bytes32)
func (marketplace *Marketplace) UnpackSLASHTYPEHASH(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("SLASH_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackActiveSubscribersIn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe05dfc20.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function activeSubscribersIn(bytes32 id, uint256 period) view returns(uint256)
func (marketplace *Marketplace) PackActiveSubscribersIn(id [32]byte, period *big.Int) []byte {
	enc, err := marketplace.abi.Pack("activeSubscribersIn", id, period)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackActiveSubscribersIn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe05dfc20.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function activeSubscribersIn(bytes32 id, uint256 period) view returns(uint256)
func (marketplace *Marketplace) TryPackActiveSubscribersIn(id [32]byte, period *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("activeSubscribersIn", id, period)
}

// UnpackActiveSubscribersIn is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe05dfc20.
//
// Solidity: function activeSubscribersIn(bytes32 id, uint256 period) view returns(uint256)
func (marketplace *Marketplace) UnpackActiveSubscribersIn(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("activeSubscribersIn", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackAddDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18659179.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addDeposit(bytes32 id, uint128 amount) returns()
func (marketplace *Marketplace) PackAddDeposit(id [32]byte, amount *big.Int) []byte {
	enc, err := marketplace.abi.Pack("addDeposit", id, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18659179.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addDeposit(bytes32 id, uint128 amount) returns()
func (marketplace *Marketplace) TryPackAddDeposit(id [32]byte, amount *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("addDeposit", id, amount)
}

// PackBalances is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27e235e3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balances(address ) view returns(uint256)
func (marketplace *Marketplace) PackBalances(arg0 common.Address) []byte {
	enc, err := marketplace.abi.Pack("balances", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalances is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x27e235e3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balances(address ) view returns(uint256)
func (marketplace *Marketplace) TryPackBalances(arg0 common.Address) ([]byte, error) {
	return marketplace.abi.Pack("balances", arg0)
}

// UnpackBalances is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x27e235e3.
//
// Solidity: function balances(address ) view returns(uint256)
func (marketplace *Marketplace) UnpackBalances(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("balances", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackChallengeWindow is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x861a1412.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function challengeWindow() view returns(uint64)
func (marketplace *Marketplace) PackChallengeWindow() []byte {
	enc, err := marketplace.abi.Pack("challengeWindow")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChallengeWindow is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x861a1412.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function challengeWindow() view returns(uint64)
func (marketplace *Marketplace) TryPackChallengeWindow() ([]byte, error) {
	return marketplace.abi.Pack("challengeWindow")
}

// UnpackChallengeWindow is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x861a1412.
//
// Solidity: function challengeWindow() view returns(uint64)
func (marketplace *Marketplace) UnpackChallengeWindow(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("challengeWindow", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackClaimRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fdd4584.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claimRefund(bytes32 id, uint64 epoch_) returns()
func (marketplace *Marketplace) PackClaimRefund(id [32]byte, epoch uint64) []byte {
	enc, err := marketplace.abi.Pack("claimRefund", id, epoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaimRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fdd4584.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claimRefund(bytes32 id, uint64 epoch_) returns()
func (marketplace *Marketplace) TryPackClaimRefund(id [32]byte, epoch uint64) ([]byte, error) {
	return marketplace.abi.Pack("claimRefund", id, epoch)
}

// PackCurrentPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06040618.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function currentPeriod() view returns(uint256)
func (marketplace *Marketplace) PackCurrentPeriod() []byte {
	enc, err := marketplace.abi.Pack("currentPeriod")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCurrentPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06040618.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function currentPeriod() view returns(uint256)
func (marketplace *Marketplace) TryPackCurrentPeriod() ([]byte, error) {
	return marketplace.abi.Pack("currentPeriod")
}

// UnpackCurrentPeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06040618.
//
// Solidity: function currentPeriod() view returns(uint256)
func (marketplace *Marketplace) UnpackCurrentPeriod(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("currentPeriod", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDatasetCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c8935b9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function datasetCount() view returns(uint256)
func (marketplace *Marketplace) PackDatasetCount() []byte {
	enc, err := marketplace.abi.Pack("datasetCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDatasetCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c8935b9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function datasetCount() view returns(uint256)
func (marketplace *Marketplace) TryPackDatasetCount() ([]byte, error) {
	return marketplace.abi.Pack("datasetCount")
}

// UnpackDatasetCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3c8935b9.
//
// Solidity: function datasetCount() view returns(uint256)
func (marketplace *Marketplace) UnpackDatasetCount(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("datasetCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDatasetId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x77bc5779.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function datasetId(address provider, string name) pure returns(bytes32)
func (marketplace *Marketplace) PackDatasetId(provider common.Address, name string) []byte {
	enc, err := marketplace.abi.Pack("datasetId", provider, name)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDatasetId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x77bc5779.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function datasetId(address provider, string name) pure returns(bytes32)
func (marketplace *Marketplace) TryPackDatasetId(provider common.Address, name string) ([]byte, error) {
	return marketplace.abi.Pack("datasetId", provider, name)
}

// UnpackDatasetId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x77bc5779.
//
// Solidity: function datasetId(address provider, string name) pure returns(bytes32)
func (marketplace *Marketplace) UnpackDatasetId(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("datasetId", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDatasetIdAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeac2f0e7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function datasetIdAt(uint256 index) view returns(bytes32)
func (marketplace *Marketplace) PackDatasetIdAt(index *big.Int) []byte {
	enc, err := marketplace.abi.Pack("datasetIdAt", index)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDatasetIdAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeac2f0e7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function datasetIdAt(uint256 index) view returns(bytes32)
func (marketplace *Marketplace) TryPackDatasetIdAt(index *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("datasetIdAt", index)
}

// UnpackDatasetIdAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xeac2f0e7.
//
// Solidity: function datasetIdAt(uint256 index) view returns(bytes32)
func (marketplace *Marketplace) UnpackDatasetIdAt(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("datasetIdAt", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDeactivate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22eee84c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deactivate(bytes32 id) returns()
func (marketplace *Marketplace) PackDeactivate(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("deactivate", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeactivate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22eee84c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deactivate(bytes32 id) returns()
func (marketplace *Marketplace) TryPackDeactivate(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("deactivate", id)
}

// PackEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x900cf0cf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epoch() view returns(uint64)
func (marketplace *Marketplace) PackEpoch() []byte {
	enc, err := marketplace.abi.Pack("epoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x900cf0cf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epoch() view returns(uint64)
func (marketplace *Marketplace) TryPackEpoch() ([]byte, error) {
	return marketplace.abi.Pack("epoch")
}

// UnpackEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x900cf0cf.
//
// Solidity: function epoch() view returns(uint64)
func (marketplace *Marketplace) UnpackEpoch(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("epoch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackExists is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38a699a4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exists(bytes32 id) view returns(bool)
func (marketplace *Marketplace) PackExists(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("exists", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExists is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38a699a4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exists(bytes32 id) view returns(bool)
func (marketplace *Marketplace) TryPackExists(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("exists", id)
}

// UnpackExists is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x38a699a4.
//
// Solidity: function exists(bytes32 id) view returns(bool)
func (marketplace *Marketplace) UnpackExists(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("exists", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackGetDataset is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd2babb5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getDataset(bytes32 id) view returns((bytes32,address,string,uint256,uint256,bytes32,uint64,bool,uint64,uint64,uint64,uint256,uint256,(address,uint16)[]) v)
func (marketplace *Marketplace) PackGetDataset(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("getDataset", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetDataset is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd2babb5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getDataset(bytes32 id) view returns((bytes32,address,string,uint256,uint256,bytes32,uint64,bool,uint64,uint64,uint64,uint256,uint256,(address,uint16)[]) v)
func (marketplace *Marketplace) TryPackGetDataset(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("getDataset", id)
}

// UnpackGetDataset is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbd2babb5.
//
// Solidity: function getDataset(bytes32 id) view returns((bytes32,address,string,uint256,uint256,bytes32,uint64,bool,uint64,uint64,uint64,uint256,uint256,(address,uint16)[]) v)
func (marketplace *Marketplace) UnpackGetDataset(data []byte) (MarketplaceDatasetView, error) {
	out, err := marketplace.abi.Unpack("getDataset", data)
	if err != nil {
		return *new(MarketplaceDatasetView), err
	}
	out0 := *abi.ConvertType(out[0], new(MarketplaceDatasetView)).(*MarketplaceDatasetView)
	return out0, nil
}

// PackHasAccess is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83177db3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasAccess(bytes32 id, address user) view returns(bool)
func (marketplace *Marketplace) PackHasAccess(id [32]byte, user common.Address) []byte {
	enc, err := marketplace.abi.Pack("hasAccess", id, user)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasAccess is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83177db3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasAccess(bytes32 id, address user) view returns(bool)
func (marketplace *Marketplace) TryPackHasAccess(id [32]byte, user common.Address) ([]byte, error) {
	return marketplace.abi.Pack("hasAccess", id, user)
}

// UnpackHasAccess is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x83177db3.
//
// Solidity: function hasAccess(bytes32 id, address user) view returns(bool)
func (marketplace *Marketplace) UnpackHasAccess(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("hasAccess", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsSubscribed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7115ad8c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isSubscribed(bytes32 id, address user) view returns(bool)
func (marketplace *Marketplace) PackIsSubscribed(id [32]byte, user common.Address) []byte {
	enc, err := marketplace.abi.Pack("isSubscribed", id, user)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsSubscribed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7115ad8c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isSubscribed(bytes32 id, address user) view returns(bool)
func (marketplace *Marketplace) TryPackIsSubscribed(id [32]byte, user common.Address) ([]byte, error) {
	return marketplace.abi.Pack("isSubscribed", id, user)
}

// UnpackIsSubscribed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7115ad8c.
//
// Solidity: function isSubscribed(bytes32 id, address user) view returns(bool)
func (marketplace *Marketplace) UnpackIsSubscribed(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("isSubscribed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsValidator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd6501b1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isValidator(uint64 epoch_, address account) view returns(bool)
func (marketplace *Marketplace) PackIsValidator(epoch uint64, account common.Address) []byte {
	enc, err := marketplace.abi.Pack("isValidator", epoch, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsValidator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd6501b1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isValidator(uint64 epoch_, address account) view returns(bool)
func (marketplace *Marketplace) TryPackIsValidator(epoch uint64, account common.Address) ([]byte, error) {
	return marketplace.abi.Pack("isValidator", epoch, account)
}

// UnpackIsValidator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbd6501b1.
//
// Solidity: function isValidator(uint64 epoch_, address account) view returns(bool)
func (marketplace *Marketplace) UnpackIsValidator(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("isValidator", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMinDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41b3d185.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minDeposit() view returns(uint128)
func (marketplace *Marketplace) PackMinDeposit() []byte {
	enc, err := marketplace.abi.Pack("minDeposit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x41b3d185.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minDeposit() view returns(uint128)
func (marketplace *Marketplace) TryPackMinDeposit() ([]byte, error) {
	return marketplace.abi.Pack("minDeposit")
}

// UnpackMinDeposit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x41b3d185.
//
// Solidity: function minDeposit() view returns(uint128)
func (marketplace *Marketplace) UnpackMinDeposit(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("minDeposit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (marketplace *Marketplace) PackOwner() []byte {
	enc, err := marketplace.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (marketplace *Marketplace) TryPackOwner() ([]byte, error) {
	return marketplace.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (marketplace *Marketplace) UnpackOwner(data []byte) (common.Address, error) {
	out, err := marketplace.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRank is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e7d4b1d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rank(bytes32 id) view returns(uint256 activeSubscribers, uint256 totalPaid, uint256 slashCount)
func (marketplace *Marketplace) PackRank(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("rank", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRank is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e7d4b1d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rank(bytes32 id) view returns(uint256 activeSubscribers, uint256 totalPaid, uint256 slashCount)
func (marketplace *Marketplace) TryPackRank(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("rank", id)
}

// RankOutput serves as a container for the return parameters of contract
// method Rank.
type RankOutput struct {
	ActiveSubscribers *big.Int
	TotalPaid         *big.Int
	SlashCount        *big.Int
}

// UnpackRank is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8e7d4b1d.
//
// Solidity: function rank(bytes32 id) view returns(uint256 activeSubscribers, uint256 totalPaid, uint256 slashCount)
func (marketplace *Marketplace) UnpackRank(data []byte) (RankOutput, error) {
	out, err := marketplace.abi.Unpack("rank", data)
	outstruct := new(RankOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.ActiveSubscribers = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.TotalPaid = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.SlashCount = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackRefundPool is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xed942b1b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refundPool(bytes32 id, uint64 epoch_) view returns((uint128,uint32,uint64,uint32))
func (marketplace *Marketplace) PackRefundPool(id [32]byte, epoch uint64) []byte {
	enc, err := marketplace.abi.Pack("refundPool", id, epoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefundPool is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xed942b1b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refundPool(bytes32 id, uint64 epoch_) view returns((uint128,uint32,uint64,uint32))
func (marketplace *Marketplace) TryPackRefundPool(id [32]byte, epoch uint64) ([]byte, error) {
	return marketplace.abi.Pack("refundPool", id, epoch)
}

// UnpackRefundPool is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xed942b1b.
//
// Solidity: function refundPool(bytes32 id, uint64 epoch_) view returns((uint128,uint32,uint64,uint32))
func (marketplace *Marketplace) UnpackRefundPool(data []byte) (MarketplaceRefundPool, error) {
	out, err := marketplace.abi.Unpack("refundPool", data)
	if err != nil {
		return *new(MarketplaceRefundPool), err
	}
	out0 := *abi.ConvertType(out[0], new(MarketplaceRefundPool)).(*MarketplaceRefundPool)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1e0b2fb8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(string name, uint128 price, uint128 deposit, bytes32 metadataHash, (address,uint16)[] payouts, uint64 trialPeriod) returns(bytes32 id)
func (marketplace *Marketplace) PackRegister(name string, price *big.Int, deposit *big.Int, metadataHash [32]byte, payouts []MarketplacePayout, trialPeriod uint64) []byte {
	enc, err := marketplace.abi.Pack("register", name, price, deposit, metadataHash, payouts, trialPeriod)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1e0b2fb8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(string name, uint128 price, uint128 deposit, bytes32 metadataHash, (address,uint16)[] payouts, uint64 trialPeriod) returns(bytes32 id)
func (marketplace *Marketplace) TryPackRegister(name string, price *big.Int, deposit *big.Int, metadataHash [32]byte, payouts []MarketplacePayout, trialPeriod uint64) ([]byte, error) {
	return marketplace.abi.Pack("register", name, price, deposit, metadataHash, payouts, trialPeriod)
}

// UnpackRegister is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1e0b2fb8.
//
// Solidity: function register(string name, uint128 price, uint128 deposit, bytes32 metadataHash, (address,uint16)[] payouts, uint64 trialPeriod) returns(bytes32 id)
func (marketplace *Marketplace) UnpackRegister(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("register", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackSetMetadataHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8db133c6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMetadataHash(bytes32 id, bytes32 metadataHash) returns()
func (marketplace *Marketplace) PackSetMetadataHash(id [32]byte, metadataHash [32]byte) []byte {
	enc, err := marketplace.abi.Pack("setMetadataHash", id, metadataHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMetadataHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8db133c6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMetadataHash(bytes32 id, bytes32 metadataHash) returns()
func (marketplace *Marketplace) TryPackSetMetadataHash(id [32]byte, metadataHash [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("setMetadataHash", id, metadataHash)
}

// PackSetMinDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x675cd6e2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMinDeposit(uint128 amount) returns()
func (marketplace *Marketplace) PackSetMinDeposit(amount *big.Int) []byte {
	enc, err := marketplace.abi.Pack("setMinDeposit", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMinDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x675cd6e2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMinDeposit(uint128 amount) returns()
func (marketplace *Marketplace) TryPackSetMinDeposit(amount *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("setMinDeposit", amount)
}

// PackSetPayouts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb05a3a09.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setPayouts(bytes32 id, (address,uint16)[] payouts) returns()
func (marketplace *Marketplace) PackSetPayouts(id [32]byte, payouts []MarketplacePayout) []byte {
	enc, err := marketplace.abi.Pack("setPayouts", id, payouts)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetPayouts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb05a3a09.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setPayouts(bytes32 id, (address,uint16)[] payouts) returns()
func (marketplace *Marketplace) TryPackSetPayouts(id [32]byte, payouts []MarketplacePayout) ([]byte, error) {
	return marketplace.abi.Pack("setPayouts", id, payouts)
}

// PackSetPrice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a6a7162.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setPrice(bytes32 id, uint128 price) returns()
func (marketplace *Marketplace) PackSetPrice(id [32]byte, price *big.Int) []byte {
	enc, err := marketplace.abi.Pack("setPrice", id, price)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetPrice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a6a7162.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setPrice(bytes32 id, uint128 price) returns()
func (marketplace *Marketplace) TryPackSetPrice(id [32]byte, price *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("setPrice", id, price)
}

// PackSetSlashAmount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec667723.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setSlashAmount(uint128 amount) returns()
func (marketplace *Marketplace) PackSetSlashAmount(amount *big.Int) []byte {
	enc, err := marketplace.abi.Pack("setSlashAmount", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetSlashAmount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec667723.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setSlashAmount(uint128 amount) returns()
func (marketplace *Marketplace) TryPackSetSlashAmount(amount *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("setSlashAmount", amount)
}

// PackSetValidators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1d864d3d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setValidators(address[] accounts, bytes32[] nodeKeys, uint16 threshold) returns(uint64 newEpoch)
func (marketplace *Marketplace) PackSetValidators(accounts []common.Address, nodeKeys [][32]byte, threshold uint16) []byte {
	enc, err := marketplace.abi.Pack("setValidators", accounts, nodeKeys, threshold)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetValidators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1d864d3d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setValidators(address[] accounts, bytes32[] nodeKeys, uint16 threshold) returns(uint64 newEpoch)
func (marketplace *Marketplace) TryPackSetValidators(accounts []common.Address, nodeKeys [][32]byte, threshold uint16) ([]byte, error) {
	return marketplace.abi.Pack("setValidators", accounts, nodeKeys, threshold)
}

// UnpackSetValidators is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1d864d3d.
//
// Solidity: function setValidators(address[] accounts, bytes32[] nodeKeys, uint16 threshold) returns(uint64 newEpoch)
func (marketplace *Marketplace) UnpackSetValidators(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("setValidators", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00c43dee.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slash(bytes32 id, bytes32 offence, uint64 epoch_, bytes[] signatures) returns()
func (marketplace *Marketplace) PackSlash(id [32]byte, offence [32]byte, epoch uint64, signatures [][]byte) []byte {
	enc, err := marketplace.abi.Pack("slash", id, offence, epoch, signatures)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00c43dee.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slash(bytes32 id, bytes32 offence, uint64 epoch_, bytes[] signatures) returns()
func (marketplace *Marketplace) TryPackSlash(id [32]byte, offence [32]byte, epoch uint64, signatures [][]byte) ([]byte, error) {
	return marketplace.abi.Pack("slash", id, offence, epoch, signatures)
}

// PackSlashAmount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8802834e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slashAmount() view returns(uint128)
func (marketplace *Marketplace) PackSlashAmount() []byte {
	enc, err := marketplace.abi.Pack("slashAmount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlashAmount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8802834e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slashAmount() view returns(uint128)
func (marketplace *Marketplace) TryPackSlashAmount() ([]byte, error) {
	return marketplace.abi.Pack("slashAmount")
}

// UnpackSlashAmount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8802834e.
//
// Solidity: function slashAmount() view returns(uint128)
func (marketplace *Marketplace) UnpackSlashAmount(data []byte) (*big.Int, error) {
	out, err := marketplace.abi.Unpack("slashAmount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSlashDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5401ab9d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slashDigest(bytes32 id, bytes32 offence, uint64 epoch_) view returns(bytes32)
func (marketplace *Marketplace) PackSlashDigest(id [32]byte, offence [32]byte, epoch uint64) []byte {
	enc, err := marketplace.abi.Pack("slashDigest", id, offence, epoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlashDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5401ab9d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slashDigest(bytes32 id, bytes32 offence, uint64 epoch_) view returns(bytes32)
func (marketplace *Marketplace) TryPackSlashDigest(id [32]byte, offence [32]byte, epoch uint64) ([]byte, error) {
	return marketplace.abi.Pack("slashDigest", id, offence, epoch)
}

// UnpackSlashDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5401ab9d.
//
// Solidity: function slashDigest(bytes32 id, bytes32 offence, uint64 epoch_) view returns(bytes32)
func (marketplace *Marketplace) UnpackSlashDigest(data []byte) ([32]byte, error) {
	out, err := marketplace.abi.Unpack("slashDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackSlashed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x57898108.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slashed(bytes32 , uint64 ) view returns(bool)
func (marketplace *Marketplace) PackSlashed(arg0 [32]byte, arg1 uint64) []byte {
	enc, err := marketplace.abi.Pack("slashed", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlashed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x57898108.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slashed(bytes32 , uint64 ) view returns(bool)
func (marketplace *Marketplace) TryPackSlashed(arg0 [32]byte, arg1 uint64) ([]byte, error) {
	return marketplace.abi.Pack("slashed", arg0, arg1)
}

// UnpackSlashed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x57898108.
//
// Solidity: function slashed(bytes32 , uint64 ) view returns(bool)
func (marketplace *Marketplace) UnpackSlashed(data []byte) (bool, error) {
	out, err := marketplace.abi.Unpack("slashed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackStartTrial is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6faa3ec3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function startTrial(bytes32 id) returns(uint64 trialEnds)
func (marketplace *Marketplace) PackStartTrial(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("startTrial", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStartTrial is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6faa3ec3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function startTrial(bytes32 id) returns(uint64 trialEnds)
func (marketplace *Marketplace) TryPackStartTrial(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("startTrial", id)
}

// UnpackStartTrial is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6faa3ec3.
//
// Solidity: function startTrial(bytes32 id) returns(uint64 trialEnds)
func (marketplace *Marketplace) UnpackStartTrial(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("startTrial", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackSubscribe is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0778f0ac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function subscribe(bytes32 id, uint256 periods) returns(uint64 expiry)
func (marketplace *Marketplace) PackSubscribe(id [32]byte, periods *big.Int) []byte {
	enc, err := marketplace.abi.Pack("subscribe", id, periods)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubscribe is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0778f0ac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function subscribe(bytes32 id, uint256 periods) returns(uint64 expiry)
func (marketplace *Marketplace) TryPackSubscribe(id [32]byte, periods *big.Int) ([]byte, error) {
	return marketplace.abi.Pack("subscribe", id, periods)
}

// UnpackSubscribe is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0778f0ac.
//
// Solidity: function subscribe(bytes32 id, uint256 periods) returns(uint64 expiry)
func (marketplace *Marketplace) UnpackSubscribe(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("subscribe", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackSubscription is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x668f0c16.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function subscription(bytes32 id, address user) view returns((uint64,uint64,uint32,uint32,uint64))
func (marketplace *Marketplace) PackSubscription(id [32]byte, user common.Address) []byte {
	enc, err := marketplace.abi.Pack("subscription", id, user)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubscription is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x668f0c16.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function subscription(bytes32 id, address user) view returns((uint64,uint64,uint32,uint32,uint64))
func (marketplace *Marketplace) TryPackSubscription(id [32]byte, user common.Address) ([]byte, error) {
	return marketplace.abi.Pack("subscription", id, user)
}

// UnpackSubscription is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x668f0c16.
//
// Solidity: function subscription(bytes32 id, address user) view returns((uint64,uint64,uint32,uint32,uint64))
func (marketplace *Marketplace) UnpackSubscription(data []byte) (MarketplaceSubscription, error) {
	out, err := marketplace.abi.Unpack("subscription", data)
	if err != nil {
		return *new(MarketplaceSubscription), err
	}
	out0 := *abi.ConvertType(out[0], new(MarketplaceSubscription)).(*MarketplaceSubscription)
	return out0, nil
}

// PackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function token() view returns(address)
func (marketplace *Marketplace) PackToken() []byte {
	enc, err := marketplace.abi.Pack("token")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function token() view returns(address)
func (marketplace *Marketplace) TryPackToken() ([]byte, error) {
	return marketplace.abi.Pack("token")
}

// UnpackToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (marketplace *Marketplace) UnpackToken(data []byte) (common.Address, error) {
	out, err := marketplace.abi.Unpack("token", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (marketplace *Marketplace) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := marketplace.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (marketplace *Marketplace) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return marketplace.abi.Pack("transferOwnership", newOwner)
}

// PackUnsubscribe is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf8c60146.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unsubscribe(bytes32 id) returns()
func (marketplace *Marketplace) PackUnsubscribe(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("unsubscribe", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnsubscribe is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf8c60146.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unsubscribe(bytes32 id) returns()
func (marketplace *Marketplace) TryPackUnsubscribe(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("unsubscribe", id)
}

// PackValidatorSet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c4538b4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function validatorSet(uint64 epoch_) view returns(address[] accounts, bytes32[] nodeKeys, uint16 threshold)
func (marketplace *Marketplace) PackValidatorSet(epoch uint64) []byte {
	enc, err := marketplace.abi.Pack("validatorSet", epoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackValidatorSet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c4538b4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function validatorSet(uint64 epoch_) view returns(address[] accounts, bytes32[] nodeKeys, uint16 threshold)
func (marketplace *Marketplace) TryPackValidatorSet(epoch uint64) ([]byte, error) {
	return marketplace.abi.Pack("validatorSet", epoch)
}

// ValidatorSetOutput serves as a container for the return parameters of contract
// method ValidatorSet.
type ValidatorSetOutput struct {
	Accounts  []common.Address
	NodeKeys  [][32]byte
	Threshold uint16
}

// UnpackValidatorSet is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0c4538b4.
//
// Solidity: function validatorSet(uint64 epoch_) view returns(address[] accounts, bytes32[] nodeKeys, uint16 threshold)
func (marketplace *Marketplace) UnpackValidatorSet(data []byte) (ValidatorSetOutput, error) {
	out, err := marketplace.abi.Unpack("validatorSet", data)
	outstruct := new(ValidatorSetOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Accounts = *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	outstruct.NodeKeys = *abi.ConvertType(out[1], new([][32]byte)).(*[][32]byte)
	outstruct.Threshold = *abi.ConvertType(out[2], new(uint16)).(*uint16)
	return *outstruct, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (marketplace *Marketplace) PackWithdraw() []byte {
	enc, err := marketplace.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (marketplace *Marketplace) TryPackWithdraw() ([]byte, error) {
	return marketplace.abi.Pack("withdraw")
}

// PackWithdrawDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8e06bc3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawDeposit(bytes32 id) returns()
func (marketplace *Marketplace) PackWithdrawDeposit(id [32]byte) []byte {
	enc, err := marketplace.abi.Pack("withdrawDeposit", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8e06bc3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawDeposit(bytes32 id) returns()
func (marketplace *Marketplace) TryPackWithdrawDeposit(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("withdrawDeposit", id)
}

// MarketplaceDatasetDeactivated represents a DatasetDeactivated event raised by the Marketplace contract.
type MarketplaceDatasetDeactivated struct {
	Id               [32]byte
	DepositUnlocksAt uint64
	Raw              *types.Log // Blockchain specific contextual infos
}

const MarketplaceDatasetDeactivatedEventName = "DatasetDeactivated"

// ContractEventName returns the user-defined event name.
func (MarketplaceDatasetDeactivated) ContractEventName() string {
	return MarketplaceDatasetDeactivatedEventName
}

// UnpackDatasetDeactivatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DatasetDeactivated(bytes32 indexed id, uint64 depositUnlocksAt)
func (marketplace *Marketplace) UnpackDatasetDeactivatedEvent(log *types.Log) (*MarketplaceDatasetDeactivated, error) {
	event := "DatasetDeactivated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceDatasetDeactivated)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceDatasetRegistered represents a DatasetRegistered event raised by the Marketplace contract.
type MarketplaceDatasetRegistered struct {
	Id           [32]byte
	Provider     common.Address
	Name         string
	Price        *big.Int
	Deposit      *big.Int
	MetadataHash [32]byte
	TrialPeriod  uint64
	Raw          *types.Log // Blockchain specific contextual infos
}

const MarketplaceDatasetRegisteredEventName = "DatasetRegistered"

// ContractEventName returns the user-defined event name.
func (MarketplaceDatasetRegistered) ContractEventName() string {
	return MarketplaceDatasetRegisteredEventName
}

// UnpackDatasetRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DatasetRegistered(bytes32 indexed id, address indexed provider, string name, uint256 price, uint256 deposit, bytes32 metadataHash, uint64 trialPeriod)
func (marketplace *Marketplace) UnpackDatasetRegisteredEvent(log *types.Log) (*MarketplaceDatasetRegistered, error) {
	event := "DatasetRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceDatasetRegistered)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceDepositChanged represents a DepositChanged event raised by the Marketplace contract.
type MarketplaceDepositChanged struct {
	Id      [32]byte
	Deposit *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const MarketplaceDepositChangedEventName = "DepositChanged"

// ContractEventName returns the user-defined event name.
func (MarketplaceDepositChanged) ContractEventName() string {
	return MarketplaceDepositChangedEventName
}

// UnpackDepositChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepositChanged(bytes32 indexed id, uint256 deposit)
func (marketplace *Marketplace) UnpackDepositChangedEvent(log *types.Log) (*MarketplaceDepositChanged, error) {
	event := "DepositChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceDepositChanged)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceDepositWithdrawn represents a DepositWithdrawn event raised by the Marketplace contract.
type MarketplaceDepositWithdrawn struct {
	Id       [32]byte
	Provider common.Address
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const MarketplaceDepositWithdrawnEventName = "DepositWithdrawn"

// ContractEventName returns the user-defined event name.
func (MarketplaceDepositWithdrawn) ContractEventName() string {
	return MarketplaceDepositWithdrawnEventName
}

// UnpackDepositWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepositWithdrawn(bytes32 indexed id, address indexed provider, uint256 amount)
func (marketplace *Marketplace) UnpackDepositWithdrawnEvent(log *types.Log) (*MarketplaceDepositWithdrawn, error) {
	event := "DepositWithdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceDepositWithdrawn)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceMetadataChanged represents a MetadataChanged event raised by the Marketplace contract.
type MarketplaceMetadataChanged struct {
	Id           [32]byte
	MetadataHash [32]byte
	Raw          *types.Log // Blockchain specific contextual infos
}

const MarketplaceMetadataChangedEventName = "MetadataChanged"

// ContractEventName returns the user-defined event name.
func (MarketplaceMetadataChanged) ContractEventName() string {
	return MarketplaceMetadataChangedEventName
}

// UnpackMetadataChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MetadataChanged(bytes32 indexed id, bytes32 metadataHash)
func (marketplace *Marketplace) UnpackMetadataChangedEvent(log *types.Log) (*MarketplaceMetadataChanged, error) {
	event := "MetadataChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceMetadataChanged)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceMinDepositChanged represents a MinDepositChanged event raised by the Marketplace contract.
type MarketplaceMinDepositChanged struct {
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const MarketplaceMinDepositChangedEventName = "MinDepositChanged"

// ContractEventName returns the user-defined event name.
func (MarketplaceMinDepositChanged) ContractEventName() string {
	return MarketplaceMinDepositChangedEventName
}

// UnpackMinDepositChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MinDepositChanged(uint256 amount)
func (marketplace *Marketplace) UnpackMinDepositChangedEvent(log *types.Log) (*MarketplaceMinDepositChanged, error) {
	event := "MinDepositChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceMinDepositChanged)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceOwnershipTransferred represents a OwnershipTransferred event raised by the Marketplace contract.
type MarketplaceOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const MarketplaceOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (MarketplaceOwnershipTransferred) ContractEventName() string {
	return MarketplaceOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (marketplace *Marketplace) UnpackOwnershipTransferredEvent(log *types.Log) (*MarketplaceOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplacePayoutsChanged represents a PayoutsChanged event raised by the Marketplace contract.
type MarketplacePayoutsChanged struct {
	Id      [32]byte
	Payouts []MarketplacePayout
	Raw     *types.Log // Blockchain specific contextual infos
}

const MarketplacePayoutsChangedEventName = "PayoutsChanged"

// ContractEventName returns the user-defined event name.
func (MarketplacePayoutsChanged) ContractEventName() string {
	return MarketplacePayoutsChangedEventName
}

// UnpackPayoutsChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PayoutsChanged(bytes32 indexed id, (address,uint16)[] payouts)
func (marketplace *Marketplace) UnpackPayoutsChangedEvent(log *types.Log) (*MarketplacePayoutsChanged, error) {
	event := "PayoutsChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplacePayoutsChanged)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplacePriceChanged represents a PriceChanged event raised by the Marketplace contract.
type MarketplacePriceChanged struct {
	Id    [32]byte
	Price *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const MarketplacePriceChangedEventName = "PriceChanged"

// ContractEventName returns the user-defined event name.
func (MarketplacePriceChanged) ContractEventName() string {
	return MarketplacePriceChangedEventName
}

// UnpackPriceChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PriceChanged(bytes32 indexed id, uint256 price)
func (marketplace *Marketplace) UnpackPriceChangedEvent(log *types.Log) (*MarketplacePriceChanged, error) {
	event := "PriceChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplacePriceChanged)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceRefundClaimed represents a RefundClaimed event raised by the Marketplace contract.
type MarketplaceRefundClaimed struct {
	Id         [32]byte
	Epoch      uint64
	Subscriber common.Address
	Amount     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const MarketplaceRefundClaimedEventName = "RefundClaimed"

// ContractEventName returns the user-defined event name.
func (MarketplaceRefundClaimed) ContractEventName() string {
	return MarketplaceRefundClaimedEventName
}

// UnpackRefundClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RefundClaimed(bytes32 indexed id, uint64 indexed epoch, address indexed subscriber, uint256 amount)
func (marketplace *Marketplace) UnpackRefundClaimedEvent(log *types.Log) (*MarketplaceRefundClaimed, error) {
	event := "RefundClaimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceRefundClaimed)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceSlashAmountChanged represents a SlashAmountChanged event raised by the Marketplace contract.
type MarketplaceSlashAmountChanged struct {
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const MarketplaceSlashAmountChangedEventName = "SlashAmountChanged"

// ContractEventName returns the user-defined event name.
func (MarketplaceSlashAmountChanged) ContractEventName() string {
	return MarketplaceSlashAmountChangedEventName
}

// UnpackSlashAmountChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SlashAmountChanged(uint256 amount)
func (marketplace *Marketplace) UnpackSlashAmountChangedEvent(log *types.Log) (*MarketplaceSlashAmountChanged, error) {
	event := "SlashAmountChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceSlashAmountChanged)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceSlashed represents a Slashed event raised by the Marketplace contract.
type MarketplaceSlashed struct {
	Id            [32]byte
	Epoch         uint64
	Offence       [32]byte
	Amount        *big.Int
	Affected      *big.Int
	PerSubscriber *big.Int
	Raw           *types.Log // Blockchain specific contextual infos
}

const MarketplaceSlashedEventName = "Slashed"

// ContractEventName returns the user-defined event name.
func (MarketplaceSlashed) ContractEventName() string {
	return MarketplaceSlashedEventName
}

// UnpackSlashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Slashed(bytes32 indexed id, uint64 indexed epoch, bytes32 offence, uint256 amount, uint256 affected, uint256 perSubscriber)
func (marketplace *Marketplace) UnpackSlashedEvent(log *types.Log) (*MarketplaceSlashed, error) {
	event := "Slashed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceSlashed)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceSubscribed represents a Subscribed event raised by the Marketplace contract.
type MarketplaceSubscribed struct {
	Id         [32]byte
	Subscriber common.Address
	Periods    *big.Int
	Paid       *big.Int
	Expiry     uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const MarketplaceSubscribedEventName = "Subscribed"

// ContractEventName returns the user-defined event name.
func (MarketplaceSubscribed) ContractEventName() string {
	return MarketplaceSubscribedEventName
}

// UnpackSubscribedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Subscribed(bytes32 indexed id, address indexed subscriber, uint256 periods, uint256 paid, uint64 expiry)
func (marketplace *Marketplace) UnpackSubscribedEvent(log *types.Log) (*MarketplaceSubscribed, error) {
	event := "Subscribed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceSubscribed)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceTrialStarted represents a TrialStarted event raised by the Marketplace contract.
type MarketplaceTrialStarted struct {
	Id         [32]byte
	Subscriber common.Address
	TrialEnds  uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const MarketplaceTrialStartedEventName = "TrialStarted"

// ContractEventName returns the user-defined event name.
func (MarketplaceTrialStarted) ContractEventName() string {
	return MarketplaceTrialStartedEventName
}

// UnpackTrialStartedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TrialStarted(bytes32 indexed id, address indexed subscriber, uint64 trialEnds)
func (marketplace *Marketplace) UnpackTrialStartedEvent(log *types.Log) (*MarketplaceTrialStarted, error) {
	event := "TrialStarted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceTrialStarted)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceUnsubscribed represents a Unsubscribed event raised by the Marketplace contract.
type MarketplaceUnsubscribed struct {
	Id         [32]byte
	Subscriber common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const MarketplaceUnsubscribedEventName = "Unsubscribed"

// ContractEventName returns the user-defined event name.
func (MarketplaceUnsubscribed) ContractEventName() string {
	return MarketplaceUnsubscribedEventName
}

// UnpackUnsubscribedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unsubscribed(bytes32 indexed id, address indexed subscriber)
func (marketplace *Marketplace) UnpackUnsubscribedEvent(log *types.Log) (*MarketplaceUnsubscribed, error) {
	event := "Unsubscribed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceUnsubscribed)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceValidatorSetChanged represents a ValidatorSetChanged event raised by the Marketplace contract.
type MarketplaceValidatorSetChanged struct {
	Epoch     uint64
	Threshold uint16
	Accounts  []common.Address
	NodeKeys  [][32]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const MarketplaceValidatorSetChangedEventName = "ValidatorSetChanged"

// ContractEventName returns the user-defined event name.
func (MarketplaceValidatorSetChanged) ContractEventName() string {
	return MarketplaceValidatorSetChangedEventName
}

// UnpackValidatorSetChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ValidatorSetChanged(uint64 indexed epoch, uint16 threshold, address[] accounts, bytes32[] nodeKeys)
func (marketplace *Marketplace) UnpackValidatorSetChangedEvent(log *types.Log) (*MarketplaceValidatorSetChanged, error) {
	event := "ValidatorSetChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceValidatorSetChanged)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// MarketplaceWithdrawn represents a Withdrawn event raised by the Marketplace contract.
type MarketplaceWithdrawn struct {
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const MarketplaceWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (MarketplaceWithdrawn) ContractEventName() string {
	return MarketplaceWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount)
func (marketplace *Marketplace) UnpackWithdrawnEvent(log *types.Log) (*MarketplaceWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceWithdrawn)
	if len(log.Data) > 0 {
		if err := marketplace.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range marketplace.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (marketplace *Marketplace) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], marketplace.abi.Errors["AlreadySlashed"].ID.Bytes()[:4]) {
		return marketplace.UnpackAlreadySlashedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["AlreadySubscribed"].ID.Bytes()[:4]) {
		return marketplace.UnpackAlreadySubscribedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["BadName"].ID.Bytes()[:4]) {
		return marketplace.UnpackBadNameError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["BadPeriodCount"].ID.Bytes()[:4]) {
		return marketplace.UnpackBadPeriodCountError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["BadSignature"].ID.Bytes()[:4]) {
		return marketplace.UnpackBadSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["BadThreshold"].ID.Bytes()[:4]) {
		return marketplace.UnpackBadThresholdError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["BadValidatorSet"].ID.Bytes()[:4]) {
		return marketplace.UnpackBadValidatorSetError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["DatasetActive"].ID.Bytes()[:4]) {
		return marketplace.UnpackDatasetActiveError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["DatasetExists"].ID.Bytes()[:4]) {
		return marketplace.UnpackDatasetExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["DatasetInactive"].ID.Bytes()[:4]) {
		return marketplace.UnpackDatasetInactiveError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["DepositLocked"].ID.Bytes()[:4]) {
		return marketplace.UnpackDepositLockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["DepositTooSmall"].ID.Bytes()[:4]) {
		return marketplace.UnpackDepositTooSmallError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["DuplicateValidator"].ID.Bytes()[:4]) {
		return marketplace.UnpackDuplicateValidatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NoRefund"].ID.Bytes()[:4]) {
		return marketplace.UnpackNoRefundError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NoTrial"].ID.Bytes()[:4]) {
		return marketplace.UnpackNoTrialError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotAContract"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotAContractError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotEnoughSignatures"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotEnoughSignaturesError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotProvider"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotSubscribed"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotSubscribedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NotValidator"].ID.Bytes()[:4]) {
		return marketplace.UnpackNotValidatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NothingToWithdraw"].ID.Bytes()[:4]) {
		return marketplace.UnpackNothingToWithdrawError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["PaidTooFarAhead"].ID.Bytes()[:4]) {
		return marketplace.UnpackPaidTooFarAheadError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["PayoutSharesNotTotal"].ID.Bytes()[:4]) {
		return marketplace.UnpackPayoutSharesNotTotalError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["Reentrancy"].ID.Bytes()[:4]) {
		return marketplace.UnpackReentrancyError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["SignersNotAscending"].ID.Bytes()[:4]) {
		return marketplace.UnpackSignersNotAscendingError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["TokenTransferFailed"].ID.Bytes()[:4]) {
		return marketplace.UnpackTokenTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["TooFewValidators"].ID.Bytes()[:4]) {
		return marketplace.UnpackTooFewValidatorsError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["TooManyPayouts"].ID.Bytes()[:4]) {
		return marketplace.UnpackTooManyPayoutsError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["TrialAlreadyUsed"].ID.Bytes()[:4]) {
		return marketplace.UnpackTrialAlreadyUsedError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["TrialTooLong"].ID.Bytes()[:4]) {
		return marketplace.UnpackTrialTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["UnknownDataset"].ID.Bytes()[:4]) {
		return marketplace.UnpackUnknownDatasetError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["UnknownEpoch"].ID.Bytes()[:4]) {
		return marketplace.UnpackUnknownEpochError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return marketplace.UnpackZeroAddressError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return marketplace.UnpackZeroAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["ZeroPayout"].ID.Bytes()[:4]) {
		return marketplace.UnpackZeroPayoutError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// MarketplaceAlreadySlashed represents a AlreadySlashed error raised by the Marketplace contract.
type MarketplaceAlreadySlashed struct {
	Id    [32]byte
	Epoch uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadySlashed(bytes32 id, uint64 epoch)
func MarketplaceAlreadySlashedErrorID() common.Hash {
	return common.HexToHash("0x07b5b6950f59dd30ac57ddf869e379d3fa166dfcae7b1f60cfd809f26e5239b9")
}

// UnpackAlreadySlashedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadySlashed(bytes32 id, uint64 epoch)
func (marketplace *Marketplace) UnpackAlreadySlashedError(raw []byte) (*MarketplaceAlreadySlashed, error) {
	out := new(MarketplaceAlreadySlashed)
	if err := marketplace.abi.UnpackIntoInterface(out, "AlreadySlashed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceAlreadySubscribed represents a AlreadySubscribed error raised by the Marketplace contract.
type MarketplaceAlreadySubscribed struct {
	Id         [32]byte
	Subscriber common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadySubscribed(bytes32 id, address subscriber)
func MarketplaceAlreadySubscribedErrorID() common.Hash {
	return common.HexToHash("0xd27d19d39d8959f6fa2d82c0bdb44284382ed002b1a6ce5d411ba8dac11bcea8")
}

// UnpackAlreadySubscribedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadySubscribed(bytes32 id, address subscriber)
func (marketplace *Marketplace) UnpackAlreadySubscribedError(raw []byte) (*MarketplaceAlreadySubscribed, error) {
	out := new(MarketplaceAlreadySubscribed)
	if err := marketplace.abi.UnpackIntoInterface(out, "AlreadySubscribed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceBadName represents a BadName error raised by the Marketplace contract.
type MarketplaceBadName struct {
	Position *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadName(uint256 position)
func MarketplaceBadNameErrorID() common.Hash {
	return common.HexToHash("0x1591614798eadb13ab1f0709de731108ff124762e5e89dc012ebe43cec40f2a8")
}

// UnpackBadNameError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadName(uint256 position)
func (marketplace *Marketplace) UnpackBadNameError(raw []byte) (*MarketplaceBadName, error) {
	out := new(MarketplaceBadName)
	if err := marketplace.abi.UnpackIntoInterface(out, "BadName", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceBadPeriodCount represents a BadPeriodCount error raised by the Marketplace contract.
type MarketplaceBadPeriodCount struct {
	Periods *big.Int
	Max     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadPeriodCount(uint256 periods, uint256 max)
func MarketplaceBadPeriodCountErrorID() common.Hash {
	return common.HexToHash("0x8f884226c1aa117283fdd4f5baf30a3722edeeb5b51a889d20caccb3a23fac50")
}

// UnpackBadPeriodCountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadPeriodCount(uint256 periods, uint256 max)
func (marketplace *Marketplace) UnpackBadPeriodCountError(raw []byte) (*MarketplaceBadPeriodCount, error) {
	out := new(MarketplaceBadPeriodCount)
	if err := marketplace.abi.UnpackIntoInterface(out, "BadPeriodCount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceBadSignature represents a BadSignature error raised by the Marketplace contract.
type MarketplaceBadSignature struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSignature(uint256 index)
func MarketplaceBadSignatureErrorID() common.Hash {
	return common.HexToHash("0xa1c973190ea39240abfd4da3039e0d94cea4d1e689acfee87f4e7dbabee0f307")
}

// UnpackBadSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSignature(uint256 index)
func (marketplace *Marketplace) UnpackBadSignatureError(raw []byte) (*MarketplaceBadSignature, error) {
	out := new(MarketplaceBadSignature)
	if err := marketplace.abi.UnpackIntoInterface(out, "BadSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceBadThreshold represents a BadThreshold error raised by the Marketplace contract.
type MarketplaceBadThreshold struct {
	Threshold  uint16
	Validators *big.Int
	Min        *big.Int
	Max        *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadThreshold(uint16 threshold, uint256 validators, uint256 min, uint256 max)
func MarketplaceBadThresholdErrorID() common.Hash {
	return common.HexToHash("0x56748877065e32aa3ab6cba91198ac60477273f4d2cd2df15ba4029118c4e13e")
}

// UnpackBadThresholdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadThreshold(uint16 threshold, uint256 validators, uint256 min, uint256 max)
func (marketplace *Marketplace) UnpackBadThresholdError(raw []byte) (*MarketplaceBadThreshold, error) {
	out := new(MarketplaceBadThreshold)
	if err := marketplace.abi.UnpackIntoInterface(out, "BadThreshold", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceBadValidatorSet represents a BadValidatorSet error raised by the Marketplace contract.
type MarketplaceBadValidatorSet struct {
	Accounts *big.Int
	NodeKeys *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadValidatorSet(uint256 accounts, uint256 nodeKeys)
func MarketplaceBadValidatorSetErrorID() common.Hash {
	return common.HexToHash("0x83b86632abf43d56fef694adb1d12425a46a2aab8db90dadb4a7164bbb7b5ec3")
}

// UnpackBadValidatorSetError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadValidatorSet(uint256 accounts, uint256 nodeKeys)
func (marketplace *Marketplace) UnpackBadValidatorSetError(raw []byte) (*MarketplaceBadValidatorSet, error) {
	out := new(MarketplaceBadValidatorSet)
	if err := marketplace.abi.UnpackIntoInterface(out, "BadValidatorSet", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceDatasetActive represents a DatasetActive error raised by the Marketplace contract.
type MarketplaceDatasetActive struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DatasetActive(bytes32 id)
func MarketplaceDatasetActiveErrorID() common.Hash {
	return common.HexToHash("0xce03b26cbafb24e401db39c706bb393f31d7953971b46f80b48f588ef332a20f")
}

// UnpackDatasetActiveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DatasetActive(bytes32 id)
func (marketplace *Marketplace) UnpackDatasetActiveError(raw []byte) (*MarketplaceDatasetActive, error) {
	out := new(MarketplaceDatasetActive)
	if err := marketplace.abi.UnpackIntoInterface(out, "DatasetActive", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceDatasetExists represents a DatasetExists error raised by the Marketplace contract.
type MarketplaceDatasetExists struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DatasetExists(bytes32 id)
func MarketplaceDatasetExistsErrorID() common.Hash {
	return common.HexToHash("0x1084f4a500122fdf2a6106b0b4fec430e6b6a3013470065022c68612f29981b3")
}

// UnpackDatasetExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DatasetExists(bytes32 id)
func (marketplace *Marketplace) UnpackDatasetExistsError(raw []byte) (*MarketplaceDatasetExists, error) {
	out := new(MarketplaceDatasetExists)
	if err := marketplace.abi.UnpackIntoInterface(out, "DatasetExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceDatasetInactive represents a DatasetInactive error raised by the Marketplace contract.
type MarketplaceDatasetInactive struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DatasetInactive(bytes32 id)
func MarketplaceDatasetInactiveErrorID() common.Hash {
	return common.HexToHash("0x5fa271c4abb545c479ba1db58682e3c3a0f432c375a6d69eff6e13d73c02bebd")
}

// UnpackDatasetInactiveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DatasetInactive(bytes32 id)
func (marketplace *Marketplace) UnpackDatasetInactiveError(raw []byte) (*MarketplaceDatasetInactive, error) {
	out := new(MarketplaceDatasetInactive)
	if err := marketplace.abi.UnpackIntoInterface(out, "DatasetInactive", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceDepositLocked represents a DepositLocked error raised by the Marketplace contract.
type MarketplaceDepositLocked struct {
	UnlocksAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositLocked(uint64 unlocksAt)
func MarketplaceDepositLockedErrorID() common.Hash {
	return common.HexToHash("0xdc5208337d5884d3a9bd45c1a994af251e7199250d5a7134afb19da5da99e37d")
}

// UnpackDepositLockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositLocked(uint64 unlocksAt)
func (marketplace *Marketplace) UnpackDepositLockedError(raw []byte) (*MarketplaceDepositLocked, error) {
	out := new(MarketplaceDepositLocked)
	if err := marketplace.abi.UnpackIntoInterface(out, "DepositLocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceDepositTooSmall represents a DepositTooSmall error raised by the Marketplace contract.
type MarketplaceDepositTooSmall struct {
	Deposit *big.Int
	Minimum *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositTooSmall(uint256 deposit, uint256 minimum)
func MarketplaceDepositTooSmallErrorID() common.Hash {
	return common.HexToHash("0x4a77f2fa62296c5cc216025004b03ed11b511d575baed7939c8b78bbe939738d")
}

// UnpackDepositTooSmallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositTooSmall(uint256 deposit, uint256 minimum)
func (marketplace *Marketplace) UnpackDepositTooSmallError(raw []byte) (*MarketplaceDepositTooSmall, error) {
	out := new(MarketplaceDepositTooSmall)
	if err := marketplace.abi.UnpackIntoInterface(out, "DepositTooSmall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceDuplicateValidator represents a DuplicateValidator error raised by the Marketplace contract.
type MarketplaceDuplicateValidator struct {
	Account common.Address
	NodeKey [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DuplicateValidator(address account, bytes32 nodeKey)
func MarketplaceDuplicateValidatorErrorID() common.Hash {
	return common.HexToHash("0xae0a4eff86381d60f1fac73a60cca18c4b50ca9b8039f4292690d30cf35fd67a")
}

// UnpackDuplicateValidatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DuplicateValidator(address account, bytes32 nodeKey)
func (marketplace *Marketplace) UnpackDuplicateValidatorError(raw []byte) (*MarketplaceDuplicateValidator, error) {
	out := new(MarketplaceDuplicateValidator)
	if err := marketplace.abi.UnpackIntoInterface(out, "DuplicateValidator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNoRefund represents a NoRefund error raised by the Marketplace contract.
type MarketplaceNoRefund struct {
	Id         [32]byte
	Epoch      uint64
	Subscriber common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoRefund(bytes32 id, uint64 epoch, address subscriber)
func MarketplaceNoRefundErrorID() common.Hash {
	return common.HexToHash("0xd90ff6ed0a2bd5ac9c7e0d285fa42f32d406d69079384b45db35c5ac91cff663")
}

// UnpackNoRefundError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoRefund(bytes32 id, uint64 epoch, address subscriber)
func (marketplace *Marketplace) UnpackNoRefundError(raw []byte) (*MarketplaceNoRefund, error) {
	out := new(MarketplaceNoRefund)
	if err := marketplace.abi.UnpackIntoInterface(out, "NoRefund", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNoTrial represents a NoTrial error raised by the Marketplace contract.
type MarketplaceNoTrial struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoTrial(bytes32 id)
func MarketplaceNoTrialErrorID() common.Hash {
	return common.HexToHash("0x80999798dcc9738ff2fee673ab3227a68b6b5b49391e048a591deb5d3816dadd")
}

// UnpackNoTrialError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoTrial(bytes32 id)
func (marketplace *Marketplace) UnpackNoTrialError(raw []byte) (*MarketplaceNoTrial, error) {
	out := new(MarketplaceNoTrial)
	if err := marketplace.abi.UnpackIntoInterface(out, "NoTrial", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotAContract represents a NotAContract error raised by the Marketplace contract.
type MarketplaceNotAContract struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAContract(address account)
func MarketplaceNotAContractErrorID() common.Hash {
	return common.HexToHash("0x8a8b41ec6b8382733436ac0321a506b0d1e41dc29c8650d1fd1ff17e726ab809")
}

// UnpackNotAContractError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAContract(address account)
func (marketplace *Marketplace) UnpackNotAContractError(raw []byte) (*MarketplaceNotAContract, error) {
	out := new(MarketplaceNotAContract)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotAContract", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotEnoughSignatures represents a NotEnoughSignatures error raised by the Marketplace contract.
type MarketplaceNotEnoughSignatures struct {
	Given     *big.Int
	Threshold uint16
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotEnoughSignatures(uint256 given, uint16 threshold)
func MarketplaceNotEnoughSignaturesErrorID() common.Hash {
	return common.HexToHash("0x0918d8fa78a3eca6bcfefa92f6f1f25e604e1df17f9417f009a136e46cfcdcec")
}

// UnpackNotEnoughSignaturesError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotEnoughSignatures(uint256 given, uint16 threshold)
func (marketplace *Marketplace) UnpackNotEnoughSignaturesError(raw []byte) (*MarketplaceNotEnoughSignatures, error) {
	out := new(MarketplaceNotEnoughSignatures)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotEnoughSignatures", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotOwner represents a NotOwner error raised by the Marketplace contract.
type MarketplaceNotOwner struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner(address caller)
func MarketplaceNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x245aecd3fabbd17d6c3c92dc7f0ab916ea8cbf6fc1862c8b56893090ac3fff4c")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner(address caller)
func (marketplace *Marketplace) UnpackNotOwnerError(raw []byte) (*MarketplaceNotOwner, error) {
	out := new(MarketplaceNotOwner)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotProvider represents a NotProvider error raised by the Marketplace contract.
type MarketplaceNotProvider struct {
	Id     [32]byte
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotProvider(bytes32 id, address caller)
func MarketplaceNotProviderErrorID() common.Hash {
	return common.HexToHash("0x3a5187b5a4f3730867e330078a2c12f14f138078f903b299635d5f28ee5e2f8c")
}

// UnpackNotProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotProvider(bytes32 id, address caller)
func (marketplace *Marketplace) UnpackNotProviderError(raw []byte) (*MarketplaceNotProvider, error) {
	out := new(MarketplaceNotProvider)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotSubscribed represents a NotSubscribed error raised by the Marketplace contract.
type MarketplaceNotSubscribed struct {
	Id         [32]byte
	Subscriber common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotSubscribed(bytes32 id, address subscriber)
func MarketplaceNotSubscribedErrorID() common.Hash {
	return common.HexToHash("0x7a920fb8289b95249e4342536a6281428ccf885c3988614744536e7b6ddf38ba")
}

// UnpackNotSubscribedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotSubscribed(bytes32 id, address subscriber)
func (marketplace *Marketplace) UnpackNotSubscribedError(raw []byte) (*MarketplaceNotSubscribed, error) {
	out := new(MarketplaceNotSubscribed)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotSubscribed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNotValidator represents a NotValidator error raised by the Marketplace contract.
type MarketplaceNotValidator struct {
	Signer common.Address
	Epoch  uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotValidator(address signer, uint64 epoch)
func MarketplaceNotValidatorErrorID() common.Hash {
	return common.HexToHash("0xb6d652eb6485c816ce7c6ce4eed3cf0de96c8a1a1eb63c3d06d3439873fe531d")
}

// UnpackNotValidatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotValidator(address signer, uint64 epoch)
func (marketplace *Marketplace) UnpackNotValidatorError(raw []byte) (*MarketplaceNotValidator, error) {
	out := new(MarketplaceNotValidator)
	if err := marketplace.abi.UnpackIntoInterface(out, "NotValidator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNothingToWithdraw represents a NothingToWithdraw error raised by the Marketplace contract.
type MarketplaceNothingToWithdraw struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToWithdraw(address account)
func MarketplaceNothingToWithdrawErrorID() common.Hash {
	return common.HexToHash("0xdc69dc16e4a8405b44139edda9a06ee66b303337358b6f4633533d65de15b7f4")
}

// UnpackNothingToWithdrawError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToWithdraw(address account)
func (marketplace *Marketplace) UnpackNothingToWithdrawError(raw []byte) (*MarketplaceNothingToWithdraw, error) {
	out := new(MarketplaceNothingToWithdraw)
	if err := marketplace.abi.UnpackIntoInterface(out, "NothingToWithdraw", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplacePaidTooFarAhead represents a PaidTooFarAhead error raised by the Marketplace contract.
type MarketplacePaidTooFarAhead struct {
	Expiry        uint64
	LatestAllowed uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PaidTooFarAhead(uint64 expiry, uint64 latestAllowed)
func MarketplacePaidTooFarAheadErrorID() common.Hash {
	return common.HexToHash("0x7b9fc181e64f8a1da58bd7eabc7120d0e362c0f72d27f633cdb9530128653e65")
}

// UnpackPaidTooFarAheadError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PaidTooFarAhead(uint64 expiry, uint64 latestAllowed)
func (marketplace *Marketplace) UnpackPaidTooFarAheadError(raw []byte) (*MarketplacePaidTooFarAhead, error) {
	out := new(MarketplacePaidTooFarAhead)
	if err := marketplace.abi.UnpackIntoInterface(out, "PaidTooFarAhead", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplacePayoutSharesNotTotal represents a PayoutSharesNotTotal error raised by the Marketplace contract.
type MarketplacePayoutSharesNotTotal struct {
	SumBps *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PayoutSharesNotTotal(uint256 sumBps)
func MarketplacePayoutSharesNotTotalErrorID() common.Hash {
	return common.HexToHash("0x2d859d56666a67d3249c210df2ec62c7c39cbeec879c429d2fab24d3674bc94a")
}

// UnpackPayoutSharesNotTotalError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PayoutSharesNotTotal(uint256 sumBps)
func (marketplace *Marketplace) UnpackPayoutSharesNotTotalError(raw []byte) (*MarketplacePayoutSharesNotTotal, error) {
	out := new(MarketplacePayoutSharesNotTotal)
	if err := marketplace.abi.UnpackIntoInterface(out, "PayoutSharesNotTotal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceReentrancy represents a Reentrancy error raised by the Marketplace contract.
type MarketplaceReentrancy struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Reentrancy()
func MarketplaceReentrancyErrorID() common.Hash {
	return common.HexToHash("0xab143c06c9772d69bbbc9f2fe74acd02f810e93b099f3d1dac8448ac9ae35991")
}

// UnpackReentrancyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Reentrancy()
func (marketplace *Marketplace) UnpackReentrancyError(raw []byte) (*MarketplaceReentrancy, error) {
	out := new(MarketplaceReentrancy)
	if err := marketplace.abi.UnpackIntoInterface(out, "Reentrancy", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceSignersNotAscending represents a SignersNotAscending error raised by the Marketplace contract.
type MarketplaceSignersNotAscending struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignersNotAscending(uint256 index)
func MarketplaceSignersNotAscendingErrorID() common.Hash {
	return common.HexToHash("0x590a84f76cadfc6716aaea24107af9134f0cd4c66edbe9af3ffe914656b566fa")
}

// UnpackSignersNotAscendingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignersNotAscending(uint256 index)
func (marketplace *Marketplace) UnpackSignersNotAscendingError(raw []byte) (*MarketplaceSignersNotAscending, error) {
	out := new(MarketplaceSignersNotAscending)
	if err := marketplace.abi.UnpackIntoInterface(out, "SignersNotAscending", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceTokenTransferFailed represents a TokenTransferFailed error raised by the Marketplace contract.
type MarketplaceTokenTransferFailed struct {
	Token common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TokenTransferFailed(address token)
func MarketplaceTokenTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x2b596cb7e9804a5202312682f04514d7f31332b7e5ffeaad4ba2ee9969d1d7d0")
}

// UnpackTokenTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TokenTransferFailed(address token)
func (marketplace *Marketplace) UnpackTokenTransferFailedError(raw []byte) (*MarketplaceTokenTransferFailed, error) {
	out := new(MarketplaceTokenTransferFailed)
	if err := marketplace.abi.UnpackIntoInterface(out, "TokenTransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceTooFewValidators represents a TooFewValidators error raised by the Marketplace contract.
type MarketplaceTooFewValidators struct {
	Validators *big.Int
	Min        *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooFewValidators(uint256 validators, uint256 min)
func MarketplaceTooFewValidatorsErrorID() common.Hash {
	return common.HexToHash("0x1c874166d519f911cb086fd00b749e49ff0f3700513070fa3e799ce7f1cb9eac")
}

// UnpackTooFewValidatorsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooFewValidators(uint256 validators, uint256 min)
func (marketplace *Marketplace) UnpackTooFewValidatorsError(raw []byte) (*MarketplaceTooFewValidators, error) {
	out := new(MarketplaceTooFewValidators)
	if err := marketplace.abi.UnpackIntoInterface(out, "TooFewValidators", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceTooManyPayouts represents a TooManyPayouts error raised by the Marketplace contract.
type MarketplaceTooManyPayouts struct {
	Count *big.Int
	Max   *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooManyPayouts(uint256 count, uint256 max)
func MarketplaceTooManyPayoutsErrorID() common.Hash {
	return common.HexToHash("0x0d5b4f51b02dda7344427a66aa09c94c973328be1929e67df8efa4139f1ecace")
}

// UnpackTooManyPayoutsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooManyPayouts(uint256 count, uint256 max)
func (marketplace *Marketplace) UnpackTooManyPayoutsError(raw []byte) (*MarketplaceTooManyPayouts, error) {
	out := new(MarketplaceTooManyPayouts)
	if err := marketplace.abi.UnpackIntoInterface(out, "TooManyPayouts", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceTrialAlreadyUsed represents a TrialAlreadyUsed error raised by the Marketplace contract.
type MarketplaceTrialAlreadyUsed struct {
	Id         [32]byte
	Subscriber common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TrialAlreadyUsed(bytes32 id, address subscriber)
func MarketplaceTrialAlreadyUsedErrorID() common.Hash {
	return common.HexToHash("0x36daf32a434c14ded71c411610f9b61bba91f3c61118d35fea550895a82c6582")
}

// UnpackTrialAlreadyUsedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TrialAlreadyUsed(bytes32 id, address subscriber)
func (marketplace *Marketplace) UnpackTrialAlreadyUsedError(raw []byte) (*MarketplaceTrialAlreadyUsed, error) {
	out := new(MarketplaceTrialAlreadyUsed)
	if err := marketplace.abi.UnpackIntoInterface(out, "TrialAlreadyUsed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceTrialTooLong represents a TrialTooLong error raised by the Marketplace contract.
type MarketplaceTrialTooLong struct {
	TrialPeriod uint64
	Max         uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TrialTooLong(uint64 trialPeriod, uint64 max)
func MarketplaceTrialTooLongErrorID() common.Hash {
	return common.HexToHash("0x154f3457acbf6d44055d296cf7f7f021093354261719842e56764529b7432e04")
}

// UnpackTrialTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TrialTooLong(uint64 trialPeriod, uint64 max)
func (marketplace *Marketplace) UnpackTrialTooLongError(raw []byte) (*MarketplaceTrialTooLong, error) {
	out := new(MarketplaceTrialTooLong)
	if err := marketplace.abi.UnpackIntoInterface(out, "TrialTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceUnknownDataset represents a UnknownDataset error raised by the Marketplace contract.
type MarketplaceUnknownDataset struct {
	Id [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownDataset(bytes32 id)
func MarketplaceUnknownDatasetErrorID() common.Hash {
	return common.HexToHash("0x3c94bec56bc1266c49e043be972e8684667e27b756b79b02c3a2c97f738ed9d7")
}

// UnpackUnknownDatasetError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownDataset(bytes32 id)
func (marketplace *Marketplace) UnpackUnknownDatasetError(raw []byte) (*MarketplaceUnknownDataset, error) {
	out := new(MarketplaceUnknownDataset)
	if err := marketplace.abi.UnpackIntoInterface(out, "UnknownDataset", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceUnknownEpoch represents a UnknownEpoch error raised by the Marketplace contract.
type MarketplaceUnknownEpoch struct {
	Epoch uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownEpoch(uint64 epoch)
func MarketplaceUnknownEpochErrorID() common.Hash {
	return common.HexToHash("0xa4e21e6c8f881eff51b5764f98a67304231c1cb1ba8af636f941098552d2bd6c")
}

// UnpackUnknownEpochError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownEpoch(uint64 epoch)
func (marketplace *Marketplace) UnpackUnknownEpochError(raw []byte) (*MarketplaceUnknownEpoch, error) {
	out := new(MarketplaceUnknownEpoch)
	if err := marketplace.abi.UnpackIntoInterface(out, "UnknownEpoch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceZeroAddress represents a ZeroAddress error raised by the Marketplace contract.
type MarketplaceZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func MarketplaceZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (marketplace *Marketplace) UnpackZeroAddressError(raw []byte) (*MarketplaceZeroAddress, error) {
	out := new(MarketplaceZeroAddress)
	if err := marketplace.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceZeroAmount represents a ZeroAmount error raised by the Marketplace contract.
type MarketplaceZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func MarketplaceZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (marketplace *Marketplace) UnpackZeroAmountError(raw []byte) (*MarketplaceZeroAmount, error) {
	out := new(MarketplaceZeroAmount)
	if err := marketplace.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceZeroPayout represents a ZeroPayout error raised by the Marketplace contract.
type MarketplaceZeroPayout struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroPayout(uint256 index)
func MarketplaceZeroPayoutErrorID() common.Hash {
	return common.HexToHash("0x900e28cf6012d1da51e9009cd8bece518d08b10a79fe4157f8d58fbbe494c68d")
}

// UnpackZeroPayoutError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroPayout(uint256 index)
func (marketplace *Marketplace) UnpackZeroPayoutError(raw []byte) (*MarketplaceZeroPayout, error) {
	out := new(MarketplaceZeroPayout)
	if err := marketplace.abi.UnpackIntoInterface(out, "ZeroPayout", raw); err != nil {
		return nil, err
	}
	return out, nil
}

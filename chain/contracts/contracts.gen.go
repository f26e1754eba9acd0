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
	Id              [32]byte
	Provider        common.Address
	Name            string
	Price           *big.Int
	Deposit         *big.Int
	MetadataHash    [32]byte
	TrialPeriod     uint64
	Active          bool
	CreatedAt       uint64
	RegisteredEpoch uint64
	AccessEnds      uint64
	DeactivatedAt   uint64
	TotalPaid       *big.Int
	SlashCount      *big.Int
	Payouts         []MarketplacePayout
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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"minDeposit_\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"slashAmount_\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"challengeWindow_\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validatorSetDelay_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"AlreadySlashed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"AlreadySubscribed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"position\",\"type\":\"uint256\"}],\"name\":\"BadName\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"periods\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"BadPeriodCount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"},{\"internalType\":\"uint256\",\"name\":\"validators\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"min\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"BadThreshold\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"accounts\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nodeKeys\",\"type\":\"uint256\"}],\"name\":\"BadValidatorSet\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"DatasetActive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"DatasetExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"DatasetInactive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"registeredEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"DatasetNewerThanEpoch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"unlocksAt\",\"type\":\"uint64\"}],\"name\":\"DepositLocked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minimum\",\"type\":\"uint256\"}],\"name\":\"DepositTooSmall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"}],\"name\":\"DuplicateValidator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"slashableUntil\",\"type\":\"uint64\"}],\"name\":\"EpochExpired\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoPendingValidatorSet\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"NoRefund\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"NoTrial\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotAContract\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"given\",\"type\":\"uint256\"},{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"}],\"name\":\"NotEnoughSignatures\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"NotSubscribed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"NotValidator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"latestAllowed\",\"type\":\"uint64\"}],\"name\":\"PaidTooFarAhead\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sumBps\",\"type\":\"uint256\"}],\"name\":\"PayoutSharesNotTotal\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"SignersNotAscending\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"TokenTransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"validators\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"min\",\"type\":\"uint256\"}],\"name\":\"TooFewValidators\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"count\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"TooManyPayouts\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"TrialAlreadyUsed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"max\",\"type\":\"uint64\"}],\"name\":\"TrialTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"UnknownDataset\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"UnknownEpoch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"nextEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"activatesAt\",\"type\":\"uint64\"}],\"name\":\"ValidatorSetPending\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"ZeroPayout\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"depositUnlocksAt\",\"type\":\"uint64\"}],\"name\":\"DatasetDeactivated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"}],\"name\":\"DatasetRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"name\":\"DepositChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"DepositWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"}],\"name\":\"MetadataChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"MinDepositChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"indexed\":false,\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"}],\"name\":\"PayoutsChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"PriceChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"RefundClaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"SlashAmountChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"offence\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"affected\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"perSubscriber\",\"type\":\"uint256\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"periods\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"Subscribed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"trialEnds\",\"type\":\"uint64\"}],\"name\":\"TrialStarted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"subscriber\",\"type\":\"address\"}],\"name\":\"Unsubscribed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"nextEpoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"activatesAt\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"indexed\":false,\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"}],\"name\":\"ValidatorSetAnnounced\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"nextEpoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"activatesAt\",\"type\":\"uint64\"}],\"name\":\"ValidatorSetCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"indexed\":false,\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"}],\"name\":\"ValidatorSetChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"BPS\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_NAME_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PAYOUTS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PERIODS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_TRIAL_PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_VALIDATORS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIN_VALIDATORS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"SLASH_GRACE_PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"SLASH_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"activateValidators\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"newEpoch\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"period\",\"type\":\"uint256\"}],\"name\":\"activeSubscribersIn\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"}],\"name\":\"addDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balances\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"cancelValidatorSet\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"challengeWindow\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"claimRefund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentPeriod\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"datasetCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"datasetId\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"datasetIdAt\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"deactivate\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"epoch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"name\":\"epochEndedAt\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"exists\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"getDataset\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"createdAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"registeredEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"accessEnds\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"deactivatedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"totalPaid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slashCount\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"}],\"internalType\":\"structMarketplace.DatasetView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"}],\"name\":\"hasAccess\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"}],\"name\":\"isSubscribed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"isValidator\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minDeposit\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingValidatorSet\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"nextEpoch\",\"type\":\"uint64\"},{\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"activatesAt\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"rank\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"activeSubscribers\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalPaid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slashCount\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"refundPool\",\"outputs\":[{\"components\":[{\"internalType\":\"uint128\",\"name\":\"perSubscriber\",\"type\":\"uint128\"},{\"internalType\":\"uint32\",\"name\":\"period\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"slashedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"claimsLeft\",\"type\":\"uint32\"}],\"internalType\":\"structMarketplace.RefundPool\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"deposit\",\"type\":\"uint128\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"},{\"internalType\":\"uint64\",\"name\":\"trialPeriod\",\"type\":\"uint64\"}],\"name\":\"register\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"}],\"name\":\"setMetadataHash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"}],\"name\":\"setMinDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"internalType\":\"structMarketplace.Payout[]\",\"name\":\"payouts\",\"type\":\"tuple[]\"}],\"name\":\"setPayouts\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"price\",\"type\":\"uint128\"}],\"name\":\"setPrice\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint128\",\"name\":\"amount\",\"type\":\"uint128\"}],\"name\":\"setSlashAmount\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"}],\"name\":\"setValidators\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"nextEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"activatesAt\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"offence\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"slash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slashAmount\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"offence\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"slashDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"name\":\"slashed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"startTrial\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"trialEnds\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"periods\",\"type\":\"uint256\"}],\"name\":\"subscribe\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"}],\"name\":\"subscription\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"runStart\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"firstPeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"countedUntil\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"trialEnds\",\"type\":\"uint64\"}],\"internalType\":\"structMarketplace.Subscription\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"unsubscribe\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch_\",\"type\":\"uint64\"}],\"name\":\"validatorSet\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"accounts\",\"type\":\"address[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"nodeKeys\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint16\",\"name\":\"threshold\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"validatorSetDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"withdrawDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "f942624937809812191acf2eee599a17e1",
	Bin: "0x60e060405234801561000f575f5ffd5b50604051614b33380380614b3383398101604081905261002e91610118565b846001600160a01b03163b5f03610067576040516322a2d07b60e21b81526001600160a01b038616600482015260240160405180910390fd5b6001600160a01b0385166080526001600160801b03838116600160801b02908516176001556001600160401b0380831660a052811660c0525f80546001600160a01b0319163390811782556040519091907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a35050505050610186565b80516001600160801b03811681146100fd575f5ffd5b919050565b80516001600160401b03811681146100fd575f5ffd5b5f5f5f5f5f60a0868803121561012c575f5ffd5b85516001600160a01b0381168114610142575f5ffd5b9450610150602087016100e7565b935061015e604087016100e7565b925061016c60608701610102565b915061017a60808701610102565b90509295509295909350565b60805160a05160c05161494b6101e85f395f818161075801526116f101525f818161069901526138e001525f81816109ae015281816110c00152818161130a01528181611a6401528181611dca015281816124ce0152612641015261494b5ff3fe608060405234801561000f575f5ffd5b506004361061034c575f3560e01c806377bc5779116101c9578063b4d1d795116100fe578063e657c04e1161009e578063ed942b1b11610079578063ed942b1b14610893578063f2fde38b14610983578063f8c6014614610996578063fc0c546a146109a9575f5ffd5b8063e657c04e14610854578063eac2f0e71461086d578063ec66772314610880575f5ffd5b8063c3037319116100d9578063c3037319146107bb578063ccdfa793146107f8578063e05dfc2014610802578063e24c65f41461082c575f5ffd5b8063b4d1d795146107bb578063bd2babb5146107c5578063bd6501b1146107e5575f5ffd5b80638e7d4b1d116101695780639fdd4584116101445780639fdd45841461077a578063a8e06bc31461078d578063b05a3a09146107a0578063b3cfeb40146107b3575f5ffd5b80638e7d4b1d14610712578063900cf0cf14610740578063994d022314610753575f5ffd5b8063861a1412116101a4578063861a1412146106945780638802834e146106bb5780638da5cb5b146106d55780638db133c6146106ff575f5ffd5b806377bc57791461066e57806383177db3146106815780638607498514610666575f5ffd5b80633a6a71621161029f5780635c2af2aa1161023f578063675cd6e21161021a578063675cd6e2146105fe5780636faa3ec3146106115780637115ad8c14610624578063714897df14610666575f5ffd5b80635c2af2aa146105545780635ed1f9631461057b578063668f0c1614610583575f5ffd5b806341b3d1851161027a57806341b3d185146104e15780634dba82c61461050c5780635401ab9d146105145780635789810814610527575f5ffd5b80633a6a7162146104be5780633c8935b9146104d15780633ccfd60b146104d9575f5ffd5b80631d864d3d1161030a578063249d39e9116102e5578063249d39e91461044157806327e235e31461045d57806328ee51481461047c57806338a699a414610484575f5ffd5b80631d864d3d146103e85780631e0b2fb81461041b57806322eee84c1461042e575f5ffd5b8062c43dee1461035057806306040618146103655780630778f0ac146103805780630a254640146103ab5780630c4538b4146103b357806318659179146103d5575b5f5ffd5b61036361035e366004613b90565b6109d0565b005b61036d610d3c565b6040519081526020015b60405180910390f35b61039361038e366004613bf2565b610d4f565b6040516001600160401b039091168152602001610377565b61036d601881565b6103c66103c1366004613c12565b611103565b60405161037793929190613c9e565b6103636103e3366004613ced565b61120c565b6103fb6103f6366004613d26565b61134a565b604080516001600160401b03938416815292909116602083015201610377565b61036d610429366004613e24565b611798565b61036361043c366004613ecc565b611aac565b61044a61271081565b60405161ffff9091168152602001610377565b61036d61046b366004613ef7565b60066020525f908152604090205481565b610393611b62565b6104ae610492366004613ecc565b5f908152600260205260409020546001600160a01b0316151590565b6040519015158152602001610377565b6103636104cc366004613ced565b611cb4565b60035461036d565b610363611d0f565b6001546104f4906001600160801b031681565b6040516001600160801b039091168152602001610377565b61036d600881565b61036d610522366004613f12565b611dfe565b6104ae610535366004613f44565b600e60209081525f928352604080842090915290825290205460ff1681565b61036d7f87f1a63d4fd0af235faf2a3d07b773b2758f0ea45c1660a38fd7106fb3382c8781565b61036d600481565b610596610591366004613f65565b611e78565b60405161037791905f60a0820190506001600160401b0383511682526001600160401b03602084015116602083015263ffffffff604084015116604083015263ffffffff60608401511660608301526001600160401b03608084015116608083015292915050565b61036361060c366004613f93565b611f25565b61039361061f366004613ecc565b611fa6565b6104ae610632366004613f65565b5f9182526004602090815260408084206001600160a01b03939093168452919052902054426001600160401b039091161190565b61036d604081565b61036d61067c366004613fac565b612161565b6104ae61068f366004613f65565b612177565b6103937f000000000000000000000000000000000000000000000000000000000000000081565b6001546104f490600160801b90046001600160801b031681565b5f546106e7906001600160a01b031681565b6040516001600160a01b039091168152602001610377565b61036361070d366004613bf2565b6121cb565b610725610720366004613ecc565b61220b565b60408051938452602084019290925290820152606001610377565b600754610393906001600160401b031681565b6103937f000000000000000000000000000000000000000000000000000000000000000081565b610363610788366004613f44565b612264565b61036361079b366004613ecc565b612508565b6103636107ae366004613ffc565b612679565b6103636126dd565b61039362278d0081565b6107d86107d3366004613ecc565b61275d565b60405161037791906140ad565b6104ae6107f33660046141d3565b6129ad565b6103936201518081565b61036d610810366004613bf2565b5f91825260056020908152604080842092845291905290205490565b61039361083a366004613c12565b60086020525f90815260409020546001600160401b031681565b61085c612a00565b6040516103779594939291906141fd565b61036d61087b366004613ecc565b612b45565b61036361088e366004613f93565b612b69565b61092e6108a1366004613f44565b60408051608080820183525f80835260208084018290528385018290526060938401829052958152600f86528381206001600160401b039586168252865283902083519182018452546001600160801b038116825263ffffffff600160801b8204811696830196909652600160a01b810490941692810192909252600160e01b9092049092169082015290565b60405161037791905f6080820190506001600160801b03835116825263ffffffff60208401511660208301526001600160401b03604084015116604083015263ffffffff606084015116606083015292915050565b610363610991366004613ef7565b612be3565b6103636109a4366004613ecc565b612c8f565b6106e77f000000000000000000000000000000000000000000000000000000000000000081565b5f6109da86612dd1565b6007549091506001600160401b039081169085161580610a0b5750806001600160401b0316856001600160401b0316115b15610a3957604051632938879b60e21b81526001600160401b03861660048201526024015b60405180910390fd5b60028201546001600160401b03808716600160c01b909204161115610a98576002820154604051637d32e75f60e11b8152600481018990526001600160401b03600160c01b909204821660248201529086166044820152606401610a30565b806001600160401b0316856001600160401b03161015610b1d576001600160401b038086165f908152600860205260408120549091610adc9162015180911661426a565b9050806001600160401b0316421115610b1b57604051634af7e13960e11b81526001600160401b03808816600483015282166024820152604401610a30565b505b5f878152600e602090815260408083206001600160401b038916845290915290205460ff1615610b72576040516307b5b69560e01b8152600481018890526001600160401b0386166024820152604401610a30565b6001600160401b0385165f908152600b602052604090205461ffff1680841015610bbc5760405163048c6c7d60e11b81526004810185905261ffff82166024820152604401610a30565b5f610bc8898989611dfe565b6040517f19457468657265756d205369676e6564204d6573736167653a0a3332000000006020820152603c810191909152605c0160408051601f19818403018152919052805160209091012090505f805b86811015610cf7575f610c50848a8a85818110610c3857610c38614289565b9050602002810190610c4a919061429d565b85612e0e565b9050826001600160a01b0316816001600160a01b031611610c875760405163590a84f760e01b815260048101839052602401610a30565b6001600160401b038a165f908152600c602090815260408083206001600160a01b038516845290915290205460ff16610ced5760405163b6d652eb60e01b81526001600160a01b03821660048201526001600160401b038b166024820152604401610a30565b9150600101610c19565b505f8a8152600e602090815260408083206001600160401b038c1684529091529020805460ff19166001179055610d30858b8b8b612f90565b50505050505050505050565b5f610d4a62278d00426142f3565b905090565b5f60ff815c1615610d735760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f610d8b84612dd1565b8054909150600160e01b900460ff16610dba576040516317e89c7160e21b815260048101859052602401610a30565b821580610dc75750601883115b15610def576040516347c4211360e11b81526004810184905260186024820152604401610a30565b5f8481526004602090815260408083203384529091528120904290610e1762278d0083614306565b835490915063ffffffff600160a01b820416906001600160401b03808516911611610e9257835473ffffffffffffffffffffffff00000000000000001916600160401b6001600160401b0385160263ffffffff60801b191617600160801b63ffffffff8481169182029290921786559082161015610e925750805b610e9f62278d0088614333565b84546001600160401b03808616911611610eb95783610ec5565b84546001600160401b03165b610ecf919061426a565b95505f610ee062278d006018614333565b610eea908561426a565b9050806001600160401b0316876001600160401b03161115610f3257604051637b9fc18160e01b81526001600160401b03808916600483015282166024820152604401610a30565b5f62278d00610f4260018a61435c565b610f4c9190614306565b610f5790600161437b565b905063ffffffff83165b8163ffffffff16811015610fa5575f8b81526005602090815260408083208484529091528120805460019290610f98908490614397565b9091555050600101610f61565b50855477ffffffff000000000000000000000000ffffffffffffffff1916600160a01b63ffffffff83160267ffffffffffffffff1916176001600160401b0389811691821788556002890154600160401b90041610156110275760028701805467ffffffffffffffff60401b1916600160401b6001600160401b038b16021790555b60018701545f90611042908b906001600160801b03166143aa565b905080886004015f8282546110579190614397565b9091555061106790508882613291565b604080518b8152602081018390526001600160401b038b1681830152905133918d917f2a0103afef3942fe291e95abbeb32708ca9b40c3d2440a5695e7881321b235d99181900360600190a36110e86001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163330846133a1565b505f96505060ff19865c1694508593505050505d5092915050565b60075460609081905f906001600160401b03908116908516111561112857505f611205565b6001600160401b0384165f908152600960209081526040808320600a8352818420600b84529382902054815483518186028101860190945280845291949361ffff909116929185918301828280156111a757602002820191905f5260205f20905b81546001600160a01b03168152600190910190602001808311611189575b50505050509250818054806020026020016040519081016040528092919081815260200182805480156111f757602002820191905f5260205f20905b8154815260200190600101908083116111e3575b505050505091509250925092505b9193909250565b60ff5f5c161561122f5760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f61124783613400565b9050816001600160801b03165f0361127257604051631f2a200560e01b815260040160405180910390fd5b818160010160108282829054906101000a90046001600160801b031661129891906143c1565b82546101009290920a6001600160801b038181021990931691831602179091556001830154604051600160801b90910490911681528491507f03a667b41adbe6fa0548cbab59bad961fdaf52f50d7f472babf50e6e3cc0bc099060200160405180910390a261133b6001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001633306001600160801b0386166133a1565b505f60ff19815c16815d505050565b5f805481906001600160a01b031633146113795760405163245aecd360e01b8152336004820152602401610a30565b8560408111806113895750848114155b156113b1576040516341dc331960e11b81526004810182905260248101869052604401610a30565b60048110156113dc57604051630e43a0b360e11b815260048181018390526024820152604401610a30565b5f60036113ea6001846143e0565b6113f491906142f3565b90505f60026114038385614397565b61140e906002614397565b61141891906142f3565b9050808661ffff161080611438575061143182846143e0565b8661ffff16115b1561147c5785838261144a85836143e0565b604051635674887760e01b815261ffff9094166004850152602484019290925260448301526064820152608401610a30565b600754611493906001600160401b0316600161426a565b600754909550600160401b90046001600160401b0316156114b7576114b785613440565b5f5b83811015611611575f8b8b838181106114d4576114d4614289565b90506020020160208101906114e99190613ef7565b90505f8a8a848181106114fe576114fe614289565b60200291909101359150506001600160a01b038216158061151d575080155b8061155357506001600160401b0388165f908152600c602090815260408083206001600160a01b038616845290915290205460ff165b8061158057506001600160401b0388165f908152600d6020908152604080832084845290915290205460ff165b156115b05760405163ae0a4eff60e01b81526001600160a01b038316600482015260248101829052604401610a30565b6001600160401b0388165f818152600c602090815260408083206001600160a01b039096168352948152848220805460ff199081166001908117909255938352600d82528583209483529390529290922080549092168117909155016114b9565b506001600160401b0385165f908152600960205260409020611634908b8b613a31565b506001600160401b0385165f908152600a60205260409020611657908989613a92565b506001600160401b0385165f818152600b60205260409020805461ffff191661ffff89161790556001036116ec576007805467ffffffffffffffff19166001600160401b0387169081179091556040514295507f1ba1db913ec6a791629e6c64950be000f3a8e1061e86587366202307d17663a2906116df9089908e908e908e908e90614461565b60405180910390a261178b565b6117167f00000000000000000000000000000000000000000000000000000000000000004261426a565b935083600760086101000a8154816001600160401b0302191690836001600160401b03160217905550846001600160401b03167f439fd97084693268ce5b94485841d1e8ac0312b2dc486422a0175c4c5c3ded8785888d8d8d8d6040516117829695949392919061449d565b60405180910390a25b5050509550959350505050565b5f60ff815c16156117bc5760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d506117d489896135db565b3389896040516020016117e9939291906144e9565b60408051601f1981840301815291815281516020928301205f818152600290935291208054919250906001600160a01b03161561183c57604051631084f4a560e01b815260048101839052602401610a30565b6001546001600160801b03908116908816108061186057506001600160801b038716155b156118955760015460405163253bf97d60e11b81526001600160801b03808a1660048301529091166024820152604401610a30565b62278d006001600160401b03841611156118d65760405163154f345760e01b81526001600160401b038416600482015262278d006024820152604401610a30565b805460ff60e01b196001600160401b03808616600160a01b0267ffffffffffffffff60a01b1933166001600160e01b0319909416939093179290921716600160e01b1782556001600160801b03888116600160801b02908a1617600183015560028201805442831667ffffffffffffffff19821681178355600754600160c01b94169390930277ffffffffffffffffffffffffffffffff000000000000000090911690921791909117905560038101869055600581016119978a8c836145a4565b506119a3818686613714565b600380546001810182555f919091527fc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b01829055604051339083907fbf090e4c03f02756462fee07791c3360a55b2580145257252a7faba35484be9f90611a15908e908e908e908e908e908c9061465d565b60405180910390a3817fa8b076b3868a7799698819cb00d65d4a30e9a8cbd7390eb60ab2fcf5293453638686604051611a4f9291906146b9565b60405180910390a2611a956001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001633306001600160801b038b166133a1565b505f60ff19815c16815d5098975050505050505050565b5f611ab682613400565b8054909150600160e01b900460ff16611ae5576040516317e89c7160e21b815260048101839052602401610a30565b805460ff60e01b1916815560028101805467ffffffffffffffff60801b1916600160801b426001600160401b031602179055817fc58d2ed88f44a932ecf518de4911cf7356dd5084a71df371362ee75c4966c078611b4283613881565b6040516001600160401b0390911681526020015b60405180910390a25050565b6007545f906001600160401b03600160401b8204811691611b859116600161426a565b9150806001600160401b03165f03611bb0576040516339377f0760e21b815260040160405180910390fd5b806001600160401b0316421015611bed57604051634836566f60e01b81526001600160401b03808416600483015282166024820152604401610a30565b6007805467ffffffffffffffff60401b191690554260085f611c1060018661435c565b6001600160401b03908116825260208083019390935260409182015f908120805495831667ffffffffffffffff1996871617905560078054928816929095168217909455808452600b83528184205460098452828520600a90945293829020915190937f1ba1db913ec6a791629e6c64950be000f3a8e1061e86587366202307d17663a293611ca89361ffff9092169290919061471c565b60405180910390a25090565b80611cbe83613400565b60010180546001600160801b0319166001600160801b03928316179055604051908216815282907f6007aeeeb4a07f99c2208537b6cf8bf3710752ce9e7d85b7ab294174ba80154590602001611b56565b60ff5f5c1615611d325760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d50335f9081526006602052604081205490819003611d7257604051636e34ee0b60e11b8152336004820152602401610a30565b335f8181526006602052604080822091909155517f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d590611db59084815260200190565b60405180910390a2611df16001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163383613905565b505f60ff19815c16815d50565b604080517f87f1a63d4fd0af235faf2a3d07b773b2758f0ea45c1660a38fd7106fb3382c87602082015246918101919091523060608201526080810184905260a081018390526001600160401b03821660c08201525f9060e0015b6040516020818303038152906040528051906020012090509392505050565b6040805160a0810182525f80825260208201819052918101829052606081018290526080810191909152505f8281526004602090815260408083206001600160a01b0385168452825291829020825160a08101845290546001600160401b038082168352600160401b820481169383019390935263ffffffff600160801b8204811694830194909452600160a01b81049093166060820152600160c01b9092041660808201525b92915050565b5f546001600160a01b03163314611f515760405163245aecd360e01b8152336004820152602401610a30565b600180546001600160801b0319166001600160801b0383169081179091556040519081527fa000bf02376732aba3d876c4c1a507f71dc704bc53a9197154014ac0262fe8a6906020015b60405180910390a150565b5f5f611fb183612dd1565b8054909150600160e01b900460ff16611fe0576040516317e89c7160e21b815260048101849052602401610a30565b8054600160a01b90046001600160401b03165f036120145760405163101332f360e31b815260048101849052602401610a30565b5f83815260046020908152604080832033845290915290208054600160c01b90046001600160401b03161561206557604051631b6d799560e11b815260048101859052336024820152604401610a30565b8054426001600160401b03909116111561209b5760405163d27d19d360e01b815260048101859052336024820152604401610a30565b81546120b790600160a01b90046001600160401b03164261426a565b81546001600160c01b0316600160c01b6001600160401b038381169182029290921784556002850154929550600160401b90920416101561211a5760028201805467ffffffffffffffff60401b1916600160401b6001600160401b038616021790555b6040516001600160401b0384168152339085907ff83dd81d810104f153355b45c5e31e6ed3a5d49af993e02b214c1121686e5b8e9060200160405180910390a35050919050565b5f838383604051602001611e59939291906144e9565b5f8281526004602090815260408083206001600160a01b038516845290915281208054426001600160401b0390911611806121c35750805442600160c01b9091046001600160401b0316115b949350505050565b806121d583613400565b6003015560405181815282907fca54a5f34105f3b84bb6e9f2ca5bae3a0d41a23cfd0557bcfa5d3df3db8df09790602001611b56565b5f5f5f5f61221885612dd1565b5f86815260056020526040812091925061223562278d00426142f3565b815260208101919091526040015f2054600482015491549096919550600160e81b900462ffffff169350915050565b60ff5f5c16156122875760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f828152600f602090815260408083206001600160401b038086168552908352818420868552600484528285203386529093529083208254929390929091600160a01b90910416158015906122f757508254600160e01b900463ffffffff1615155b801561231357508154600160401b90046001600160401b031615155b801561233d575082548254600160a01b9091046001600160401b03908116600160401b9092041611155b801561236057508254825463ffffffff600160801b928390048116929091041611155b8015612386575081548354600160a01b90910463ffffffff908116600160801b90920416105b80156123bc57505f8581526010602090815260408083206001600160401b0388168452825280832033845290915290205460ff16155b9050806123f45760405163d90ff6ed60e01b8152600481018690526001600160401b0385166024820152336044820152606401610a30565b5f8581526010602090815260408083206001600160401b038816845282528083203384529091529020805460ff1916600190811790915583548490601c9061244b90849063ffffffff600160e01b909104166147b8565b825463ffffffff9182166101009390930a92830291909202199091161790555082546040516001600160801b039091168082529033906001600160401b0387169088907f55aff922d066dffd12468d3a2fb5d7af211da8668d9a121374cc26ad0cef23529060200160405180910390a480156124f5576124f56001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163383613905565b505f92505050805c60ff1916815d505050565b60ff5f5c161561252b5760405163558a1e0360e11b815260040160405180910390fd5b60015f805c60ff19168217905d505f61254382613400565b8054909150600160e01b900460ff161561257357604051633380ec9b60e21b815260048101839052602401610a30565b5f61257d82613881565b9050806001600160401b03164210156125b45760405163dc52083360e01b81526001600160401b0382166004820152602401610a30565b6001820154600160801b90046001600160801b03165f8190036125ec57604051636e34ee0b60e11b8152336004820152602401610a30565b6001830180546001600160801b03169055604051818152339085907f0c4c5d4c3bcc4e68b960f90448e78b3a2eb8ddbd45fdb5fadb203a1c3c56878b9060200160405180910390a36126686001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163383613905565b505f91505060ff19815c16815d5050565b5f61268384613400565b9050612692600682015f613acb565b61269d818484613714565b837fa8b076b3868a7799698819cb00d65d4a30e9a8cbd7390eb60ab2fcf52934536384846040516126cf9291906146b9565b60405180910390a250505050565b5f546001600160a01b031633146127095760405163245aecd360e01b8152336004820152602401610a30565b600754600160401b90046001600160401b03165f0361273b576040516339377f0760e21b815260040160405180910390fd5b60075461275b90612756906001600160401b0316600161426a565b613440565b565b604080516101e0810182525f8082526020820181905260609282018390528282018190526080820181905260a0820181905260c0820181905260e08201819052610100820181905261012082018190526101408201819052610160820181905261018082018190526101a08201526101c08101919091525f6127de83612dd1565b83835280546001600160a01b031660208401526005810180549192509061280490614528565b80601f016020809104026020016040519081016040528092919081815260200182805461283090614528565b801561287b5780601f106128525761010080835404028352916020019161287b565b820191905f5260205f20905b81548152906001019060200180831161285e57829003601f168201915b505050506040808501929092525060018201546001600160801b038082166060860152600160801b91829004166080850152600383015460a085015282546001600160401b03600160a01b8204811660c087015260ff600160e01b830416151560e08701526002850154808216610100880152600160c01b81048216610120880152600160401b8104821661014088015292909204909116610160850152600483015461018085015262ffffff600160e81b909104166101a08401526006820180548251602080830282018101909452818152925f9084015b8282101561299d575f84815260209081902060408051808201909152908401546001600160a01b0381168252600160a01b900461ffff1681830152825260019092019101612954565b505050506101c083015250919050565b6007545f906001600160401b03908116908416118015906129f957506001600160401b0383165f908152600c602090815260408083206001600160a01b038616845290915290205460ff165b9392505050565b6007545f90606090819083908190612a22906001600160401b0316600161426a565b600754909550600160401b90046001600160401b031690508015612b3e576001600160401b0385165f9081526009602090815260409182902080548351818402810184019094528084529091830182828015612aa557602002820191905f5260205f20905b81546001600160a01b03168152600190910190602001808311612a87575b50505050509350600a5f866001600160401b03166001600160401b031681526020019081526020015f20805480602002602001604051908101604052809291908181526020018280548015612b1757602002820191905f5260205f20905b815481526020019060010190808311612b03575b505050506001600160401b0387165f908152600b60205260409020549194505061ffff1691505b9091929394565b5f60038281548110612b5957612b59614289565b905f5260205f2001549050919050565b5f546001600160a01b03163314612b955760405163245aecd360e01b8152336004820152602401610a30565b600180546001600160801b03908116600160801b918416918202179091556040519081527faf7af243fff5778819ea5923fd4eb707fcbaf4601fe99f3e14febb0cdcb3a57f90602001611f9b565b5f546001600160a01b03163314612c0f5760405163245aecd360e01b8152336004820152602401610a30565b6001600160a01b038116612c365760405163d92e233d60e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e091a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b5f8181526004602090815260408083203384529091529020805442906001600160401b03808316911611612cdf57604051630f5241f760e31b815260048101849052336024820152604401610a30565b5f612ced62278d0083614306565b612cf890600161437b565b905063ffffffff81165b8354600160a01b900463ffffffff16811015612d4e575f8581526005602090815260408083208484529091528120805460019290612d419084906143e0565b9091555050600101612d02565b50825463ffffffff808316600160a01b909204161115612d8557825463ffffffff60a01b1916600160a01b63ffffffff8316021783555b825467ffffffffffffffff19166001600160401b038316178355604051339085907f59332f9abbff096727b5f98534b0146dcab05c8a32ebce917a9fa6c66e7033a1905f90a350505050565b5f81815260026020526040902080546001600160a01b0316612e0957604051633c94bec560e01b815260048101839052602401610a30565b919050565b5f60418314612e335760405163a1c9731960e01b815260048101839052602401610a30565b5f612e4160208286886147d4565b612e4a916147fb565b90505f612e5b6040602087896147d4565b612e64916147fb565b90505f86866040818110612e7a57612e7a614289565b919091013560f81c915050601b811015612e9c57612e99601b82614818565b90505b7f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0821180612edd57508060ff16601b14158015612edd57508060ff16601c14155b15612efe5760405163a1c9731960e01b815260048101869052602401610a30565b604080515f8152602081018083528a905260ff831691810191909152606081018490526080810183905260019060a0016020604051602081039080840390855afa158015612f4e573d5f5f3e3d5ffd5b5050604051601f1901519450506001600160a01b038416612f855760405163a1c9731960e01b815260048101869052602401610a30565b505050949350505050565b60018085015490545f916001600160801b03600160801b9182900481169190920490911610612fd3576001850154600160801b90046001600160801b0316612fe7565b600154600160801b90046001600160801b03165b6001860180546001600160801b0392831693508392601091613012918591600160801b900416614831565b92506101000a8154816001600160801b0302191690836001600160801b031602179055506001855f01601d8282829054906101000a900462ffffff166130589190614850565b92506101000a81548162ffffff021916908362ffffff1602179055505f62278d006001600160401b03164261308d91906142f3565b5f86815260056020908152604080832063ffffffff8516845290915281205491925081156130c4576130bf82856142f3565b6130c6565b5f5b90505f6130d383836143aa565b6130dd90866143e0565b90508015613112575f80546001600160a01b03168152600660205260408120805483929061310c908490614397565b90915550505b6040518060800160405280836001600160801b031681526020018563ffffffff168152602001426001600160401b031681526020018463ffffffff16815250600f5f8a81526020019081526020015f205f886001600160401b03166001600160401b031681526020019081526020015f205f820151815f015f6101000a8154816001600160801b0302191690836001600160801b031602179055506020820151815f0160106101000a81548163ffffffff021916908363ffffffff1602179055506040820151815f0160146101000a8154816001600160401b0302191690836001600160401b031602179055506060820151815f01601c6101000a81548163ffffffff021916908363ffffffff160217905550905050856001600160401b0316887f0cc9105733876d6ca4da00c7d7c8d2ffc07318986160bf96a7962c8cc0ee003f8988878760405161327e949392919093845260208401929092526040830152606082015260800190565b60405180910390a3505050505050505050565b600682018160015b825481101561334c575f61271061ffff168483815481106132bc576132bc614289565b5f918252602090912001546132dc90600160a01b900461ffff16876143aa565b6132e691906142f3565b90508060065f8685815481106132fe576132fe614289565b5f9182526020808320909101546001600160a01b0316835282019290925260400181208054909190613331908490614397565b90915550613341905081846143e0565b925050600101613299565b508060065f845f8154811061336357613363614289565b5f9182526020808320909101546001600160a01b0316835282019290925260400181208054909190613396908490614397565b909155505050505050565b6040516001600160a01b03808516602483015283166044820152606481018290526133fa90859060840160408051601f198184030181529190526020810180516001600160e01b03166323b872dd60e01b17905261395b565b50505050565b5f61340a82612dd1565b80549091506001600160a01b03163314612e0957604051633a5187b560e01b815260048101839052336024820152604401610a30565b6001600160401b0381165f908152600960209081526040808320600a909252822090915b825481101561351d576001600160401b0384165f908152600c60205260408120845490919085908490811061349b5761349b614289565b5f9182526020808320909101546001600160a01b031683528281019390935260409182018120805460ff191690556001600160401b0387168152600d909252812083549091908490849081106134f3576134f3614289565b5f91825260208083209091015483528201929092526040019020805460ff19169055600101613464565b506001600160401b0383165f90815260096020526040812061353e91613ae9565b6001600160401b0383165f908152600a6020526040812061355e91613ae9565b6001600160401b038381165f818152600b6020908152604091829020805461ffff191690556007549151600160401b909204909316815290917fa1cc66c871c07ffd2bcb7ba36f527334e0ea477a08e4b72817bcfa4a61ab4c67910160405180910390a250506007805467ffffffffffffffff60401b1916905550565b81818015806135ea5750604081115b1561360b57604051631591614760e01b815260048101829052602401610a30565b5f5b8181101561370d575f83838381811061362857613628614289565b909101356001600160f81b03191691505f9050606160f81b821080159061365d5750603d60f91b6001600160f81b0319831611155b8061368f5750600360fc1b6001600160f81b031983161080159061368f5750603960f81b6001600160f81b0319831611155b806136e057505f831180156136e05750605f60f81b6001600160f81b0319831614806136c85750602d60f81b6001600160f81b03198316145b806136e05750601760f91b6001600160f81b03198316145b90508061370357604051631591614760e01b815260048101849052602401610a30565b505060010161360d565b5050505050565b80600881111561374157604051630d5b4f5160e01b81526004810182905260086024820152604401610a30565b5f805b8281101561385b575f85858381811061375f5761375f614289565b6137759260206040909202019081019150613ef7565b6001600160a01b031614806137b5575084848281811061379757613797614289565b90506040020160200160208101906137af919061486b565b61ffff16155b156137d65760405163900e28cf60e01b815260048101829052602401610a30565b8484828181106137e8576137e8614289565b9050604002016020016020810190613800919061486b565b61380e9061ffff1683614397565b91508560060185858381811061382657613826614289565b83546001810185555f9485526020909420604090910292909201929190910190506138518282614886565b5050600101613744565b50612710811461370d576040516316c2ceab60e11b815260048101829052602401610a30565b60028101545f9081906001600160401b03600160801b82048116600160401b90920416116138c3576002830154600160801b90046001600160401b03166138d9565b6002830154600160401b90046001600160401b03165b90506129f97f00000000000000000000000000000000000000000000000000000000000000008261426a565b6040516001600160a01b03831660248201526044810182905261395690849060640160408051601f198184030181529190526020810180516001600160e01b031663a9059cbb60e01b17905261395b565b505050565b5f5f836001600160a01b03168360405161397591906148e0565b5f604051808303815f865af19150503d805f81146139ae576040519150601f19603f3d011682016040523d82523d5f602084013e6139b3565b606091505b5091509150811580156139c657505f8151115b156139d357805160208201fd5b811580613a085750805115801590613a08575080516020141580613a08575080806020019051810190613a0691906148f6565b155b156133fa57604051632b596cb760e01b81526001600160a01b0385166004820152602401610a30565b828054828255905f5260205f20908101928215613a82579160200282015b82811115613a825781546001600160a01b0319166001600160a01b03843516178255602090920191600190910190613a4f565b50613a8e929150613b00565b5090565b828054828255905f5260205f20908101928215613a82579160200282015b82811115613a82578235825591602001919060010190613ab0565b5080545f8255905f5260205f2090810190613ae69190613b14565b50565b5080545f8255905f5260205f2090810190613ae691905b5b80821115613a8e575f8155600101613b01565b5b80821115613a8e5780546001600160b01b0319168155600101613b15565b80356001600160401b0381168114612e09575f5ffd5b5f5f83601f840112613b59575f5ffd5b5081356001600160401b03811115613b6f575f5ffd5b6020830191508360208260051b8501011115613b89575f5ffd5b9250929050565b5f5f5f5f5f60808688031215613ba4575f5ffd5b8535945060208601359350613bbb60408701613b33565b925060608601356001600160401b03811115613bd5575f5ffd5b613be188828901613b49565b969995985093965092949392505050565b5f5f60408385031215613c03575f5ffd5b50508035926020909101359150565b5f60208284031215613c22575f5ffd5b6129f982613b33565b5f8151808452602084019350602083015f5b82811015613c645781516001600160a01b0316865260209586019590910190600101613c3d565b5093949350505050565b5f8151808452602084019350602083015f5b82811015613c64578151865260209586019590910190600101613c80565b606081525f613cb06060830186613c2b565b8281036020840152613cc28186613c6e565b91505061ffff83166040830152949350505050565b80356001600160801b0381168114612e09575f5ffd5b5f5f60408385031215613cfe575f5ffd5b82359150613d0e60208401613cd7565b90509250929050565b61ffff81168114613ae6575f5ffd5b5f5f5f5f5f60608688031215613d3a575f5ffd5b85356001600160401b03811115613d4f575f5ffd5b613d5b88828901613b49565b90965094505060208601356001600160401b03811115613d79575f5ffd5b613d8588828901613b49565b9094509250506040860135613d9981613d17565b809150509295509295909350565b5f5f83601f840112613db7575f5ffd5b5081356001600160401b03811115613dcd575f5ffd5b602083019150836020828501011115613b89575f5ffd5b5f5f83601f840112613df4575f5ffd5b5081356001600160401b03811115613e0a575f5ffd5b6020830191508360208260061b8501011115613b89575f5ffd5b5f5f5f5f5f5f5f5f60c0898b031215613e3b575f5ffd5b88356001600160401b03811115613e50575f5ffd5b613e5c8b828c01613da7565b9099509750613e6f905060208a01613cd7565b9550613e7d60408a01613cd7565b94506060890135935060808901356001600160401b03811115613e9e575f5ffd5b613eaa8b828c01613de4565b9094509250613ebd905060a08a01613b33565b90509295985092959890939650565b5f60208284031215613edc575f5ffd5b5035919050565b6001600160a01b0381168114613ae6575f5ffd5b5f60208284031215613f07575f5ffd5b81356129f981613ee3565b5f5f5f60608486031215613f24575f5ffd5b8335925060208401359150613f3b60408501613b33565b90509250925092565b5f5f60408385031215613f55575f5ffd5b82359150613d0e60208401613b33565b5f5f60408385031215613f76575f5ffd5b823591506020830135613f8881613ee3565b809150509250929050565b5f60208284031215613fa3575f5ffd5b6129f982613cd7565b5f5f5f60408486031215613fbe575f5ffd5b8335613fc981613ee3565b925060208401356001600160401b03811115613fe3575f5ffd5b613fef86828701613da7565b9497909650939450505050565b5f5f5f6040848603121561400e575f5ffd5b8335925060208401356001600160401b0381111561402a575f5ffd5b613fef86828701613de4565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b5f8151808452602084019350602083015f5b82811015613c6457815180516001600160a01b0316875260209081015161ffff168188015260409096019590910190600101614076565b60208152815160208201525f60208301516140d360408401826001600160a01b03169052565b5060408301516101e060608401526140ef610200840182614036565b905060608401516080840152608084015160a084015260a084015160c084015260c084015161412960e08501826001600160401b03169052565b5060e0840151801515610100850152506101008401516001600160401b038116610120850152506101208401516001600160401b038116610140850152506101408401516001600160401b038116610160850152506101608401516001600160401b038116610180850152506101808401516101a08401526101a08401516101c08401526101c0840151601f19848303016101e08501526141ca8282614064565b95945050505050565b5f5f604083850312156141e4575f5ffd5b6141ed83613b33565b91506020830135613f8881613ee3565b6001600160401b038616815260a060208201525f61421e60a0830187613c2b565b82810360408401526142308187613c6e565b91505061ffff841660608301526001600160401b03831660808301529695505050505050565b634e487b7160e01b5f52601160045260245ffd5b6001600160401b038181168382160190811115611f1f57611f1f614256565b634e487b7160e01b5f52603260045260245ffd5b5f5f8335601e198436030181126142b2575f5ffd5b8301803591506001600160401b038211156142cb575f5ffd5b602001915036819003821315613b89575f5ffd5b634e487b7160e01b5f52601260045260245ffd5b5f82614301576143016142df565b500490565b5f6001600160401b0383168061431e5761431e6142df565b806001600160401b0384160491505092915050565b6001600160401b03818116838216029081169081811461435557614355614256565b5092915050565b6001600160401b038281168282160390811115611f1f57611f1f614256565b63ffffffff8181168382160190811115611f1f57611f1f614256565b80820180821115611f1f57611f1f614256565b8082028115828204841417611f1f57611f1f614256565b6001600160801b038181168382160190811115611f1f57611f1f614256565b81810381811115611f1f57611f1f614256565b8183526020830192505f815f5b84811015613c6457813561441381613ee3565b6001600160a01b031686526020958601959190910190600101614400565b8183525f6001600160fb1b03831115614448575f5ffd5b8260051b80836020870137939093016020019392505050565b61ffff86168152606060208201525f61447e6060830186886143f3565b8281036040840152614491818587614431565b98975050505050505050565b6001600160401b038716815261ffff86166020820152608060408201525f6144c96080830186886143f3565b82810360608401526144dc818587614431565b9998505050505050505050565b6bffffffffffffffffffffffff198460601b168152818360148301375f910160140190815292915050565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061453c57607f821691505b60208210810361455a57634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561395657805f5260205f20601f840160051c810160208510156145855750805b601f840160051c820191505b8181101561370d575f8155600101614591565b6001600160401b038311156145bb576145bb614514565b6145cf836145c98354614528565b83614560565b5f601f841160018114614600575f85156145e95750838201355b5f19600387901b1c1916600186901b17835561370d565b5f83815260208120601f198716915b8281101561462f578685013582556020948501946001909201910161460f565b508682101561464b575f1960f88860031b161c19848701351681555b505060018560011b0183555050505050565b60a081528560a0820152858760c08301375f60c08783018101919091526001600160801b03958616602083015293909416604085015260608401919091526001600160401b03166080830152601f909201601f19160101919050565b602080825281018290525f8360408301825b858110156147125782356146de81613ee3565b6001600160a01b0316825260208301356146f781613d17565b61ffff166020830152604092830192909101906001016146cb565b5095945050505050565b5f6060820161ffff8616835260606020840152808554808352608085019150865f5260205f2092505f5b8181101561476d5783546001600160a01b0316835260019384019360209093019201614746565b5050838103604085015284548082525f86815260208082209301935090815b818110156147aa57835485526020909401936001938401930161478c565b509298975050505050505050565b63ffffffff8281168282160390811115611f1f57611f1f614256565b5f5f858511156147e2575f5ffd5b838611156147ee575f5ffd5b5050820193919092039150565b80356020831015611f1f575f19602084900360031b1b1692915050565b60ff8181168382160190811115611f1f57611f1f614256565b6001600160801b038281168282160390811115611f1f57611f1f614256565b62ffffff8181168382160190811115611f1f57611f1f614256565b5f6020828403121561487b575f5ffd5b81356129f981613d17565b813561489181613ee3565b81546001600160a01b031981166001600160a01b0392909216918217835560208401356148bd81613d17565b6001600160b01b03199190911690911760a09190911b61ffff60a01b1617905550565b5f82518060208501845e5f920191825250919050565b5f60208284031215614906575f5ffd5b815180151581146129f9575f5ffdfea26469706673582212206a6406d23fb3c32e0ea03bc896715072a8bfb002afa82800bda8a4b64ce24a0164736f6c634300081e0033",
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
// Solidity: constructor(address token_, uint128 minDeposit_, uint128 slashAmount_, uint64 challengeWindow_, uint64 validatorSetDelay_) returns()
func (marketplace *Marketplace) PackConstructor(token_ common.Address, minDeposit_ *big.Int, slashAmount_ *big.Int, challengeWindow_ uint64, validatorSetDelay_ uint64) []byte {
	enc, err := marketplace.abi.Pack("", token_, minDeposit_, slashAmount_, challengeWindow_, validatorSetDelay_)
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

// PackSLASHGRACEPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xccdfa793.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function SLASH_GRACE_PERIOD() view returns(uint64)
func (marketplace *Marketplace) PackSLASHGRACEPERIOD() []byte {
	enc, err := marketplace.abi.Pack("SLASH_GRACE_PERIOD")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSLASHGRACEPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xccdfa793.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function SLASH_GRACE_PERIOD() view returns(uint64)
func (marketplace *Marketplace) TryPackSLASHGRACEPERIOD() ([]byte, error) {
	return marketplace.abi.Pack("SLASH_GRACE_PERIOD")
}

// UnpackSLASHGRACEPERIOD is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xccdfa793.
//
// Solidity: function SLASH_GRACE_PERIOD() view returns(uint64)
func (marketplace *Marketplace) UnpackSLASHGRACEPERIOD(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("SLASH_GRACE_PERIOD", data)
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

// PackActivateValidators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x28ee5148.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function activateValidators() returns(uint64 newEpoch)
func (marketplace *Marketplace) PackActivateValidators() []byte {
	enc, err := marketplace.abi.Pack("activateValidators")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackActivateValidators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x28ee5148.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function activateValidators() returns(uint64 newEpoch)
func (marketplace *Marketplace) TryPackActivateValidators() ([]byte, error) {
	return marketplace.abi.Pack("activateValidators")
}

// UnpackActivateValidators is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x28ee5148.
//
// Solidity: function activateValidators() returns(uint64 newEpoch)
func (marketplace *Marketplace) UnpackActivateValidators(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("activateValidators", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
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

// PackCancelValidatorSet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3cfeb40.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cancelValidatorSet() returns()
func (marketplace *Marketplace) PackCancelValidatorSet() []byte {
	enc, err := marketplace.abi.Pack("cancelValidatorSet")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCancelValidatorSet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3cfeb40.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cancelValidatorSet() returns()
func (marketplace *Marketplace) TryPackCancelValidatorSet() ([]byte, error) {
	return marketplace.abi.Pack("cancelValidatorSet")
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

// PackEpochEndedAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe24c65f4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epochEndedAt(uint64 ) view returns(uint64)
func (marketplace *Marketplace) PackEpochEndedAt(arg0 uint64) []byte {
	enc, err := marketplace.abi.Pack("epochEndedAt", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpochEndedAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe24c65f4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epochEndedAt(uint64 ) view returns(uint64)
func (marketplace *Marketplace) TryPackEpochEndedAt(arg0 uint64) ([]byte, error) {
	return marketplace.abi.Pack("epochEndedAt", arg0)
}

// UnpackEpochEndedAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe24c65f4.
//
// Solidity: function epochEndedAt(uint64 ) view returns(uint64)
func (marketplace *Marketplace) UnpackEpochEndedAt(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("epochEndedAt", data)
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
// Solidity: function getDataset(bytes32 id) view returns((bytes32,address,string,uint256,uint256,bytes32,uint64,bool,uint64,uint64,uint64,uint64,uint256,uint256,(address,uint16)[]) v)
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
// Solidity: function getDataset(bytes32 id) view returns((bytes32,address,string,uint256,uint256,bytes32,uint64,bool,uint64,uint64,uint64,uint64,uint256,uint256,(address,uint16)[]) v)
func (marketplace *Marketplace) TryPackGetDataset(id [32]byte) ([]byte, error) {
	return marketplace.abi.Pack("getDataset", id)
}

// UnpackGetDataset is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbd2babb5.
//
// Solidity: function getDataset(bytes32 id) view returns((bytes32,address,string,uint256,uint256,bytes32,uint64,bool,uint64,uint64,uint64,uint64,uint256,uint256,(address,uint16)[]) v)
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

// PackPendingValidatorSet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe657c04e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingValidatorSet() view returns(uint64 nextEpoch, address[] accounts, bytes32[] nodeKeys, uint16 threshold, uint64 activatesAt)
func (marketplace *Marketplace) PackPendingValidatorSet() []byte {
	enc, err := marketplace.abi.Pack("pendingValidatorSet")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingValidatorSet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe657c04e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingValidatorSet() view returns(uint64 nextEpoch, address[] accounts, bytes32[] nodeKeys, uint16 threshold, uint64 activatesAt)
func (marketplace *Marketplace) TryPackPendingValidatorSet() ([]byte, error) {
	return marketplace.abi.Pack("pendingValidatorSet")
}

// PendingValidatorSetOutput serves as a container for the return parameters of contract
// method PendingValidatorSet.
type PendingValidatorSetOutput struct {
	NextEpoch   uint64
	Accounts    []common.Address
	NodeKeys    [][32]byte
	Threshold   uint16
	ActivatesAt uint64
}

// UnpackPendingValidatorSet is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe657c04e.
//
// Solidity: function pendingValidatorSet() view returns(uint64 nextEpoch, address[] accounts, bytes32[] nodeKeys, uint16 threshold, uint64 activatesAt)
func (marketplace *Marketplace) UnpackPendingValidatorSet(data []byte) (PendingValidatorSetOutput, error) {
	out, err := marketplace.abi.Unpack("pendingValidatorSet", data)
	outstruct := new(PendingValidatorSetOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.NextEpoch = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.Accounts = *abi.ConvertType(out[1], new([]common.Address)).(*[]common.Address)
	outstruct.NodeKeys = *abi.ConvertType(out[2], new([][32]byte)).(*[][32]byte)
	outstruct.Threshold = *abi.ConvertType(out[3], new(uint16)).(*uint16)
	outstruct.ActivatesAt = *abi.ConvertType(out[4], new(uint64)).(*uint64)
	return *outstruct, nil
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
// Solidity: function setValidators(address[] accounts, bytes32[] nodeKeys, uint16 threshold) returns(uint64 nextEpoch, uint64 activatesAt)
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
// Solidity: function setValidators(address[] accounts, bytes32[] nodeKeys, uint16 threshold) returns(uint64 nextEpoch, uint64 activatesAt)
func (marketplace *Marketplace) TryPackSetValidators(accounts []common.Address, nodeKeys [][32]byte, threshold uint16) ([]byte, error) {
	return marketplace.abi.Pack("setValidators", accounts, nodeKeys, threshold)
}

// SetValidatorsOutput serves as a container for the return parameters of contract
// method SetValidators.
type SetValidatorsOutput struct {
	NextEpoch   uint64
	ActivatesAt uint64
}

// UnpackSetValidators is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1d864d3d.
//
// Solidity: function setValidators(address[] accounts, bytes32[] nodeKeys, uint16 threshold) returns(uint64 nextEpoch, uint64 activatesAt)
func (marketplace *Marketplace) UnpackSetValidators(data []byte) (SetValidatorsOutput, error) {
	out, err := marketplace.abi.Unpack("setValidators", data)
	outstruct := new(SetValidatorsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.NextEpoch = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.ActivatesAt = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	return *outstruct, nil
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

// PackValidatorSetDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x994d0223.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function validatorSetDelay() view returns(uint64)
func (marketplace *Marketplace) PackValidatorSetDelay() []byte {
	enc, err := marketplace.abi.Pack("validatorSetDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackValidatorSetDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x994d0223.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function validatorSetDelay() view returns(uint64)
func (marketplace *Marketplace) TryPackValidatorSetDelay() ([]byte, error) {
	return marketplace.abi.Pack("validatorSetDelay")
}

// UnpackValidatorSetDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x994d0223.
//
// Solidity: function validatorSetDelay() view returns(uint64)
func (marketplace *Marketplace) UnpackValidatorSetDelay(data []byte) (uint64, error) {
	out, err := marketplace.abi.Unpack("validatorSetDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
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

// MarketplaceValidatorSetAnnounced represents a ValidatorSetAnnounced event raised by the Marketplace contract.
type MarketplaceValidatorSetAnnounced struct {
	NextEpoch   uint64
	ActivatesAt uint64
	Threshold   uint16
	Accounts    []common.Address
	NodeKeys    [][32]byte
	Raw         *types.Log // Blockchain specific contextual infos
}

const MarketplaceValidatorSetAnnouncedEventName = "ValidatorSetAnnounced"

// ContractEventName returns the user-defined event name.
func (MarketplaceValidatorSetAnnounced) ContractEventName() string {
	return MarketplaceValidatorSetAnnouncedEventName
}

// UnpackValidatorSetAnnouncedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ValidatorSetAnnounced(uint64 indexed nextEpoch, uint64 activatesAt, uint16 threshold, address[] accounts, bytes32[] nodeKeys)
func (marketplace *Marketplace) UnpackValidatorSetAnnouncedEvent(log *types.Log) (*MarketplaceValidatorSetAnnounced, error) {
	event := "ValidatorSetAnnounced"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceValidatorSetAnnounced)
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

// MarketplaceValidatorSetCancelled represents a ValidatorSetCancelled event raised by the Marketplace contract.
type MarketplaceValidatorSetCancelled struct {
	NextEpoch   uint64
	ActivatesAt uint64
	Raw         *types.Log // Blockchain specific contextual infos
}

const MarketplaceValidatorSetCancelledEventName = "ValidatorSetCancelled"

// ContractEventName returns the user-defined event name.
func (MarketplaceValidatorSetCancelled) ContractEventName() string {
	return MarketplaceValidatorSetCancelledEventName
}

// UnpackValidatorSetCancelledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ValidatorSetCancelled(uint64 indexed nextEpoch, uint64 activatesAt)
func (marketplace *Marketplace) UnpackValidatorSetCancelledEvent(log *types.Log) (*MarketplaceValidatorSetCancelled, error) {
	event := "ValidatorSetCancelled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != marketplace.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MarketplaceValidatorSetCancelled)
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
	if bytes.Equal(raw[:4], marketplace.abi.Errors["DatasetNewerThanEpoch"].ID.Bytes()[:4]) {
		return marketplace.UnpackDatasetNewerThanEpochError(raw[4:])
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
	if bytes.Equal(raw[:4], marketplace.abi.Errors["EpochExpired"].ID.Bytes()[:4]) {
		return marketplace.UnpackEpochExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], marketplace.abi.Errors["NoPendingValidatorSet"].ID.Bytes()[:4]) {
		return marketplace.UnpackNoPendingValidatorSetError(raw[4:])
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
	if bytes.Equal(raw[:4], marketplace.abi.Errors["ValidatorSetPending"].ID.Bytes()[:4]) {
		return marketplace.UnpackValidatorSetPendingError(raw[4:])
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

// MarketplaceDatasetNewerThanEpoch represents a DatasetNewerThanEpoch error raised by the Marketplace contract.
type MarketplaceDatasetNewerThanEpoch struct {
	Id              [32]byte
	RegisteredEpoch uint64
	Epoch           uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DatasetNewerThanEpoch(bytes32 id, uint64 registeredEpoch, uint64 epoch)
func MarketplaceDatasetNewerThanEpochErrorID() common.Hash {
	return common.HexToHash("0xfa65cebe44abb5fa6bea80edc576d61c0a910d837cc7eac55f69049d6a7e9a45")
}

// UnpackDatasetNewerThanEpochError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DatasetNewerThanEpoch(bytes32 id, uint64 registeredEpoch, uint64 epoch)
func (marketplace *Marketplace) UnpackDatasetNewerThanEpochError(raw []byte) (*MarketplaceDatasetNewerThanEpoch, error) {
	out := new(MarketplaceDatasetNewerThanEpoch)
	if err := marketplace.abi.UnpackIntoInterface(out, "DatasetNewerThanEpoch", raw); err != nil {
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

// MarketplaceEpochExpired represents a EpochExpired error raised by the Marketplace contract.
type MarketplaceEpochExpired struct {
	Epoch          uint64
	SlashableUntil uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EpochExpired(uint64 epoch, uint64 slashableUntil)
func MarketplaceEpochExpiredErrorID() common.Hash {
	return common.HexToHash("0x95efc2721880a16bb01f030e324cd7662c0b66a6f58d05a6b3d83bf03f0ed8c0")
}

// UnpackEpochExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EpochExpired(uint64 epoch, uint64 slashableUntil)
func (marketplace *Marketplace) UnpackEpochExpiredError(raw []byte) (*MarketplaceEpochExpired, error) {
	out := new(MarketplaceEpochExpired)
	if err := marketplace.abi.UnpackIntoInterface(out, "EpochExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// MarketplaceNoPendingValidatorSet represents a NoPendingValidatorSet error raised by the Marketplace contract.
type MarketplaceNoPendingValidatorSet struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoPendingValidatorSet()
func MarketplaceNoPendingValidatorSetErrorID() common.Hash {
	return common.HexToHash("0xe4ddfc1c90529c3ca1f48d18cc45d1182c4666511226ceac8a955e693af1e1c6")
}

// UnpackNoPendingValidatorSetError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoPendingValidatorSet()
func (marketplace *Marketplace) UnpackNoPendingValidatorSetError(raw []byte) (*MarketplaceNoPendingValidatorSet, error) {
	out := new(MarketplaceNoPendingValidatorSet)
	if err := marketplace.abi.UnpackIntoInterface(out, "NoPendingValidatorSet", raw); err != nil {
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

// MarketplaceValidatorSetPending represents a ValidatorSetPending error raised by the Marketplace contract.
type MarketplaceValidatorSetPending struct {
	NextEpoch   uint64
	ActivatesAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ValidatorSetPending(uint64 nextEpoch, uint64 activatesAt)
func MarketplaceValidatorSetPendingErrorID() common.Hash {
	return common.HexToHash("0x4836566f68887c0e5c1f292173a46fc39e297790408cc12021817d7c34314dea")
}

// UnpackValidatorSetPendingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ValidatorSetPending(uint64 nextEpoch, uint64 activatesAt)
func (marketplace *Marketplace) UnpackValidatorSetPendingError(raw []byte) (*MarketplaceValidatorSetPending, error) {
	out := new(MarketplaceValidatorSetPending)
	if err := marketplace.abi.UnpackIntoInterface(out, "ValidatorSetPending", raw); err != nil {
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

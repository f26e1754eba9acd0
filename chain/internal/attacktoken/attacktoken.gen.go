// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package attacktoken

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

// MaliciousTokenMetaData contains all meta data concerning the MaliciousToken contract.
var MaliciousTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"target_\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"payload_\",\"type\":\"bytes\"}],\"name\":\"arm\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"armed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"execute\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastReentryOk\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastReentryResult\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"payload\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reentryAttempts\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"returnFalse\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bool\",\"name\":\"v\",\"type\":\"bool\"}],\"name\":\"setReturnFalse\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"target\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "391a0d726eaf7fc845bd9a68ef124211e1",
	Bin: "0x6080604052348015600e575f5ffd5b50610aa98061001c5f395ff3fe608060405234801561000f575f5ffd5b50600436106100fb575f3560e01c80639be091ce11610093578063d047442811610063578063d0474428146101ff578063d4b8399214610227578063dd62ed3e14610252578063debbfc771461027c575f5ffd5b80639be091ce146101ce578063a8745cd2146101db578063a878f858146101e4578063a9059cbb146101ec575f5ffd5b80632f411093116100ce5780632f4110931461016c5780633522bfd01461017957806340c10f191461018e57806370a08231146101a1575f5ffd5b8063095ea7b3146100ff5780631cff79cd1461012757806323b872dd1461014757806329c147661461015a575b5f5ffd5b61011261010d36600461062f565b610284565b60405190151581526020015b60405180910390f35b61013a610135366004610657565b6102b1565b60405161011e91906106d5565b61011261015536600461070a565b61032a565b60045461011290610100900460ff1681565b6004546101129060ff1681565b61018c610187366004610657565b6103e3565b005b61018c61019c36600461062f565b61041e565b6101c06101af366004610744565b5f6020819052908152604090205481565b60405190815260200161011e565b6006546101129060ff1681565b6101c060055481565b61013a61044e565b6101126101fa36600461062f565b6104da565b61018c61020d36600461075d565b600480549115156101000261ff0019909216919091179055565b60025461023a906001600160a01b031681565b6040516001600160a01b03909116815260200161011e565b6101c061026036600461077c565b600160209081525f928352604080842090915290825290205481565b61013a610552565b335f9081526001602081815260408084206001600160a01b03871685529091529091208290555b92915050565b60605f5f856001600160a01b031685856040516102cf9291906107ad565b5f604051808303815f865af19150503d805f8114610308576040519150601f19603f3d011682016040523d82523d5f602084013e61030d565b606091505b50915091508161031f57805160208201fd5b9150505b9392505050565b5f61033361055f565b600454610100900460ff161561034a57505f610323565b6001600160a01b0384165f9081526001602090815260408083203384529091528120805484929061037c9084906107d0565b90915550506001600160a01b0384165f90815260208190526040812080548492906103a89084906107d0565b90915550506001600160a01b0383165f90815260208190526040812080548492906103d49084906107e3565b90915550600195945050505050565b600280546001600160a01b0319166001600160a01b038516179055600361040b82848361088d565b50506004805460ff191660011790555050565b6001600160a01b0382165f90815260208190526040812080548392906104459084906107e3565b90915550505050565b6003805461045b9061080a565b80601f01602080910402602001604051908101604052809291908181526020018280546104879061080a565b80156104d25780601f106104a9576101008083540402835291602001916104d2565b820191905f5260205f20905b8154815290600101906020018083116104b557829003601f168201915b505050505081565b5f6104e361055f565b600454610100900460ff16156104fa57505f6102ab565b335f90815260208190526040812080548492906105189084906107d0565b90915550506001600160a01b0383165f90815260208190526040812080548492906105449084906107e3565b909155506001949350505050565b6007805461045b9061080a565b60045460ff1661056b57565b6004805460ff1916905560058054600191905f9061058a9084906107e3565b90915550506002546040515f9182916001600160a01b03909116906105b190600390610947565b5f604051808303815f865af19150503d805f81146105ea576040519150601f19603f3d011682016040523d82523d5f602084013e6105ef565b606091505b506006805460ff19168315151790559092509050600761060f82826109b8565b505050565b80356001600160a01b038116811461062a575f5ffd5b919050565b5f5f60408385031215610640575f5ffd5b61064983610614565b946020939093013593505050565b5f5f5f60408486031215610669575f5ffd5b61067284610614565b9250602084013567ffffffffffffffff81111561068d575f5ffd5b8401601f8101861361069d575f5ffd5b803567ffffffffffffffff8111156106b3575f5ffd5b8660208284010111156106c4575f5ffd5b939660209190910195509293505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f5f5f6060848603121561071c575f5ffd5b61072584610614565b925061073360208501610614565b929592945050506040919091013590565b5f60208284031215610754575f5ffd5b61032382610614565b5f6020828403121561076d575f5ffd5b81358015158114610323575f5ffd5b5f5f6040838503121561078d575f5ffd5b61079683610614565b91506107a460208401610614565b90509250929050565b818382375f9101908152919050565b634e487b7160e01b5f52601160045260245ffd5b818103818111156102ab576102ab6107bc565b808201808211156102ab576102ab6107bc565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061081e57607f821691505b60208210810361083c57634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561060f57805f5260205f20601f840160051c810160208510156108675750805b601f840160051c820191505b81811015610886575f8155600101610873565b5050505050565b67ffffffffffffffff8311156108a5576108a56107f6565b6108b9836108b3835461080a565b83610842565b5f601f8411600181146108ea575f85156108d35750838201355b5f19600387901b1c1916600186901b178355610886565b5f83815260208120601f198716915b8281101561091957868501358255602094850194600190920191016108f9565b5086821015610935575f1960f88860031b161c19848701351681555b505060018560011b0183555050505050565b5f5f83546109548161080a565b60018216801561096b5760018114610980576109ad565b60ff19831686528115158202860193506109ad565b865f5260205f205f5b838110156109a557815488820152600190910190602001610989565b505081860193505b509195945050505050565b815167ffffffffffffffff8111156109d2576109d26107f6565b6109e6816109e0845461080a565b84610842565b6020601f821160018114610a18575f8315610a015750848201515b5f19600385901b1c1916600184901b178455610886565b5f84815260208120601f198516915b82811015610a475787850151825560209485019460019092019101610a27565b5084821015610a6457868401515f19600387901b60f8161c191681555b50505050600190811b0190555056fea2646970667358221220e3fbc64c7c7f2e66bff5dcd9ee02d9acb5c7a338505ceaf7f05838d0994d2a5c64736f6c634300081e0033",
}

// MaliciousToken is an auto generated Go binding around an Ethereum contract.
type MaliciousToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *MaliciousToken) GetABI() abi.ABI {
	return c.abi
}

// NewMaliciousToken creates a new instance of MaliciousToken.
func NewMaliciousToken() *MaliciousToken {
	parsed, err := MaliciousTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &MaliciousToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *MaliciousToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (maliciousToken *MaliciousToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := maliciousToken.abi.Pack("allowance", arg0, arg1)
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
func (maliciousToken *MaliciousToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return maliciousToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (maliciousToken *MaliciousToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := maliciousToken.abi.Unpack("allowance", data)
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
func (maliciousToken *MaliciousToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := maliciousToken.abi.Pack("approve", spender, amount)
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
func (maliciousToken *MaliciousToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return maliciousToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (maliciousToken *MaliciousToken) UnpackApprove(data []byte) (bool, error) {
	out, err := maliciousToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3522bfd0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function arm(address target_, bytes payload_) returns()
func (maliciousToken *MaliciousToken) PackArm(target common.Address, payload []byte) []byte {
	enc, err := maliciousToken.abi.Pack("arm", target, payload)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3522bfd0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function arm(address target_, bytes payload_) returns()
func (maliciousToken *MaliciousToken) TryPackArm(target common.Address, payload []byte) ([]byte, error) {
	return maliciousToken.abi.Pack("arm", target, payload)
}

// PackArmed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f411093.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function armed() view returns(bool)
func (maliciousToken *MaliciousToken) PackArmed() []byte {
	enc, err := maliciousToken.abi.Pack("armed")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArmed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f411093.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function armed() view returns(bool)
func (maliciousToken *MaliciousToken) TryPackArmed() ([]byte, error) {
	return maliciousToken.abi.Pack("armed")
}

// UnpackArmed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2f411093.
//
// Solidity: function armed() view returns(bool)
func (maliciousToken *MaliciousToken) UnpackArmed(data []byte) (bool, error) {
	out, err := maliciousToken.abi.Unpack("armed", data)
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
func (maliciousToken *MaliciousToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := maliciousToken.abi.Pack("balanceOf", arg0)
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
func (maliciousToken *MaliciousToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return maliciousToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (maliciousToken *MaliciousToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := maliciousToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackExecute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1cff79cd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function execute(address to, bytes data) returns(bytes)
func (maliciousToken *MaliciousToken) PackExecute(to common.Address, data []byte) []byte {
	enc, err := maliciousToken.abi.Pack("execute", to, data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExecute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1cff79cd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function execute(address to, bytes data) returns(bytes)
func (maliciousToken *MaliciousToken) TryPackExecute(to common.Address, data []byte) ([]byte, error) {
	return maliciousToken.abi.Pack("execute", to, data)
}

// UnpackExecute is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1cff79cd.
//
// Solidity: function execute(address to, bytes data) returns(bytes)
func (maliciousToken *MaliciousToken) UnpackExecute(data []byte) ([]byte, error) {
	out, err := maliciousToken.abi.Unpack("execute", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackLastReentryOk is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9be091ce.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lastReentryOk() view returns(bool)
func (maliciousToken *MaliciousToken) PackLastReentryOk() []byte {
	enc, err := maliciousToken.abi.Pack("lastReentryOk")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLastReentryOk is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9be091ce.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lastReentryOk() view returns(bool)
func (maliciousToken *MaliciousToken) TryPackLastReentryOk() ([]byte, error) {
	return maliciousToken.abi.Pack("lastReentryOk")
}

// UnpackLastReentryOk is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9be091ce.
//
// Solidity: function lastReentryOk() view returns(bool)
func (maliciousToken *MaliciousToken) UnpackLastReentryOk(data []byte) (bool, error) {
	out, err := maliciousToken.abi.Unpack("lastReentryOk", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLastReentryResult is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdebbfc77.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lastReentryResult() view returns(bytes)
func (maliciousToken *MaliciousToken) PackLastReentryResult() []byte {
	enc, err := maliciousToken.abi.Pack("lastReentryResult")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLastReentryResult is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdebbfc77.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lastReentryResult() view returns(bytes)
func (maliciousToken *MaliciousToken) TryPackLastReentryResult() ([]byte, error) {
	return maliciousToken.abi.Pack("lastReentryResult")
}

// UnpackLastReentryResult is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdebbfc77.
//
// Solidity: function lastReentryResult() view returns(bytes)
func (maliciousToken *MaliciousToken) UnpackLastReentryResult(data []byte) ([]byte, error) {
	out, err := maliciousToken.abi.Unpack("lastReentryResult", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (maliciousToken *MaliciousToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := maliciousToken.abi.Pack("mint", to, amount)
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
func (maliciousToken *MaliciousToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return maliciousToken.abi.Pack("mint", to, amount)
}

// PackPayload is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa878f858.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function payload() view returns(bytes)
func (maliciousToken *MaliciousToken) PackPayload() []byte {
	enc, err := maliciousToken.abi.Pack("payload")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPayload is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa878f858.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function payload() view returns(bytes)
func (maliciousToken *MaliciousToken) TryPackPayload() ([]byte, error) {
	return maliciousToken.abi.Pack("payload")
}

// UnpackPayload is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa878f858.
//
// Solidity: function payload() view returns(bytes)
func (maliciousToken *MaliciousToken) UnpackPayload(data []byte) ([]byte, error) {
	out, err := maliciousToken.abi.Unpack("payload", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackReentryAttempts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8745cd2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reentryAttempts() view returns(uint256)
func (maliciousToken *MaliciousToken) PackReentryAttempts() []byte {
	enc, err := maliciousToken.abi.Pack("reentryAttempts")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReentryAttempts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8745cd2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reentryAttempts() view returns(uint256)
func (maliciousToken *MaliciousToken) TryPackReentryAttempts() ([]byte, error) {
	return maliciousToken.abi.Pack("reentryAttempts")
}

// UnpackReentryAttempts is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa8745cd2.
//
// Solidity: function reentryAttempts() view returns(uint256)
func (maliciousToken *MaliciousToken) UnpackReentryAttempts(data []byte) (*big.Int, error) {
	out, err := maliciousToken.abi.Unpack("reentryAttempts", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackReturnFalse is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x29c14766.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function returnFalse() view returns(bool)
func (maliciousToken *MaliciousToken) PackReturnFalse() []byte {
	enc, err := maliciousToken.abi.Pack("returnFalse")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReturnFalse is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x29c14766.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function returnFalse() view returns(bool)
func (maliciousToken *MaliciousToken) TryPackReturnFalse() ([]byte, error) {
	return maliciousToken.abi.Pack("returnFalse")
}

// UnpackReturnFalse is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x29c14766.
//
// Solidity: function returnFalse() view returns(bool)
func (maliciousToken *MaliciousToken) UnpackReturnFalse(data []byte) (bool, error) {
	out, err := maliciousToken.abi.Unpack("returnFalse", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackSetReturnFalse is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0474428.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setReturnFalse(bool v) returns()
func (maliciousToken *MaliciousToken) PackSetReturnFalse(v bool) []byte {
	enc, err := maliciousToken.abi.Pack("setReturnFalse", v)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetReturnFalse is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0474428.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setReturnFalse(bool v) returns()
func (maliciousToken *MaliciousToken) TryPackSetReturnFalse(v bool) ([]byte, error) {
	return maliciousToken.abi.Pack("setReturnFalse", v)
}

// PackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function target() view returns(address)
func (maliciousToken *MaliciousToken) PackTarget() []byte {
	enc, err := maliciousToken.abi.Pack("target")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function target() view returns(address)
func (maliciousToken *MaliciousToken) TryPackTarget() ([]byte, error) {
	return maliciousToken.abi.Pack("target")
}

// UnpackTarget is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd4b83992.
//
// Solidity: function target() view returns(address)
func (maliciousToken *MaliciousToken) UnpackTarget(data []byte) (common.Address, error) {
	out, err := maliciousToken.abi.Unpack("target", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (maliciousToken *MaliciousToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := maliciousToken.abi.Pack("transfer", to, amount)
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
func (maliciousToken *MaliciousToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return maliciousToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (maliciousToken *MaliciousToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := maliciousToken.abi.Unpack("transfer", data)
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
func (maliciousToken *MaliciousToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := maliciousToken.abi.Pack("transferFrom", from, to, amount)
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
func (maliciousToken *MaliciousToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return maliciousToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (maliciousToken *MaliciousToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := maliciousToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

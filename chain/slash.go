package chain

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/chain/contracts"
	"github.com/enigma-mpc/enigma/signing"
)

// SlashTypeHash is the Marketplace's SLASH_TYPEHASH.
var SlashTypeHash = crypto.Keccak256Hash([]byte("enigma/marketplace/slash/v1(bytes32 id,bytes32 offence,uint64 epoch)"))

// OffencePersistenceOffline is the offence code for "the dataset's
// persistence nodes were offline in the epoch".
var OffencePersistenceOffline = crypto.Keccak256Hash([]byte("enigma/offence/persistence-offline"))

var slashArgs = func() abi.Arguments {
	b32, _ := abi.NewType("bytes32", "", nil)
	u256, _ := abi.NewType("uint256", "", nil)
	addr, _ := abi.NewType("address", "", nil)
	u64, _ := abi.NewType("uint64", "", nil)
	return abi.Arguments{{Type: b32}, {Type: u256}, {Type: addr}, {Type: b32}, {Type: b32}, {Type: u64}}
}()

// SlashDigest is what validators sign to attest an offence of dataset id in
// epoch, bound to chainID and the Marketplace at market — the Go twin of
// Marketplace.slashDigest.
func SlashDigest(chainID *big.Int, market common.Address, id, offence common.Hash, epoch uint64) common.Hash {
	enc, err := slashArgs.Pack(SlashTypeHash, chainID, market, id, offence, epoch)
	if err != nil {
		panic("chain: packing fixed slash arguments: " + err.Error()) // static types; cannot fail
	}
	return crypto.Keccak256Hash(enc)
}

// SlashDigest is SlashDigest for this client's chain and Marketplace.
func (c *Client) SlashDigest(id, offence common.Hash, epoch uint64) common.Hash {
	return SlashDigest(c.chainID, c.marketAddr, id, offence, epoch)
}

// SignSlash signs a slash digest as a validator: an EIP-191 personal-sign of
// the 32 digest bytes, [R || S || V] with V in {27, 28}.
func SignSlash(key *ecdsa.PrivateKey, digest common.Hash) ([]byte, error) {
	sig, err := crypto.Sign(signing.AccountHash(digest), key)
	if err != nil {
		return nil, fmt.Errorf("sign slash attestation: %w", err)
	}
	sig[64] += 27
	return sig, nil
}

// SortSlashSignatures orders signatures by ascending signer, as the contract
// requires, and rejects ones that do not recover.
func SortSlashSignatures(digest common.Hash, sigs [][]byte) ([][]byte, error) {
	type signed struct {
		signer common.Address
		sig    []byte
	}
	list := make([]signed, 0, len(sigs))
	for i, s := range sigs {
		signer, err := signing.RecoverAccountDigest(digest, s)
		if err != nil {
			return nil, fmt.Errorf("slash signature %d: %w", i, err)
		}
		list = append(list, signed{signer, s})
	}
	sort.Slice(list, func(i, j int) bool { return bytes.Compare(list[i].signer[:], list[j].signer[:]) < 0 })
	out := make([][]byte, len(list))
	for i, s := range list {
		out[i] = s.sig
	}
	return out, nil
}

// DatasetID is keccak256(abi.encodePacked(provider, name)), the
// Marketplace's dataset ID (the same as dataset.Path.ID).
func DatasetID(provider common.Address, name string) common.Hash {
	return crypto.Keccak256Hash(provider.Bytes(), []byte(name))
}

// SlashSigners reads the slash transaction tx and returns the accounts
// whose signatures in it authorised the slash (recovered against the slash
// digest of the arguments it carries), in the order it carries them. Only a
// direct call of Marketplace.slash can be read this way.
func (c *Client) SlashSigners(ctx context.Context, tx common.Hash) ([]common.Address, error) {
	reader, ok := c.backend.(ethereum.TransactionReader)
	if !ok {
		return nil, errors.New("the chain backend cannot read transactions")
	}
	t, _, err := reader.TransactionByHash(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("read slash transaction %s: %w", tx.Hex(), err)
	}
	parsed, err := contracts.MarketplaceMetaData.ParseABI()
	if err != nil {
		return nil, err
	}
	method := parsed.Methods["slash"]
	input := t.Data()
	if t.To() == nil || *t.To() != c.marketAddr || len(input) < 4 || !bytes.Equal(input[:4], method.ID) {
		return nil, fmt.Errorf("transaction %s is not a direct call of the Marketplace's slash", tx.Hex())
	}
	args, err := method.Inputs.Unpack(input[4:])
	if err != nil || len(args) != 4 {
		return nil, fmt.Errorf("decode slash call %s: %v", tx.Hex(), err)
	}
	id, _ := args[0].([32]byte)
	offence, _ := args[1].([32]byte)
	epoch, _ := args[2].(uint64)
	sigs, _ := args[3].([][]byte)
	digest := c.SlashDigest(id, offence, epoch)
	signers := make([]common.Address, 0, len(sigs))
	for i, s := range sigs {
		a, err := signing.RecoverAccountDigest(digest, s)
		if err != nil {
			return nil, fmt.Errorf("slash %s, signature %d: %w", tx.Hex(), i, err)
		}
		signers = append(signers, a)
	}
	return signers, nil
}

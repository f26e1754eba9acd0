package ledger

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/enigma-mpc/enigma/signing"
)

// signerMemoSize bounds the signer memo: enough for the requests between a
// request's pre-ordering check and its execution.
const signerMemoSize = 4096

// signerMemo remembers recovered metadata signers. Recovery is a pure
// function of (digest, signature), so a remembered answer is the answer:
// the memo saves the second secp256k1 recovery when a replica checks a
// request before ordering (CheckRequest) and again in Apply, and never
// changes a result. Oldest entries are forgotten first.
type signerMemo struct {
	signers map[common.Hash]common.Address
	ring    []common.Hash
	next    int
}

func newSignerMemo(size int) *signerMemo {
	return &signerMemo{signers: make(map[common.Hash]common.Address, size), ring: make([]common.Hash, size)}
}

// recover returns the signer of sm on chainID.
func (sm *signerMemo) recover(chainID uint64, s *SignedMetadata) (common.Address, error) {
	digest, err := signing.Digest(MetadataDomain, chainID, &s.Metadata)
	if err != nil {
		return common.Address{}, err
	}
	key := crypto.Keccak256Hash(digest[:], s.Signature)
	if a, ok := sm.signers[key]; ok {
		return a, nil
	}
	a, err := signing.RecoverAccountDigest(digest, s.Signature)
	if err != nil {
		return common.Address{}, err
	}
	delete(sm.signers, sm.ring[sm.next])
	sm.ring[sm.next] = key
	sm.next = (sm.next + 1) % len(sm.ring)
	sm.signers[key] = a
	return a, nil
}

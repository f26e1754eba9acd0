package colcrypt

import (
	"fmt"
	"io"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/query/seal"
)

// grantInfo is the HPKE info string of key grants; the associated data is
// the dataset ID, so a grant for one dataset never opens as another's.
var grantInfo = []byte("enigma/colcrypt/grant/v1")

// SealGrant seals a dataset's column keys to a subscriber's HPKE public key.
// The provider publishes the result; only the subscriber can open it.
func SealGrant(rnd io.Reader, keys *Keys, datasetID common.Hash, subscriberPub []byte) ([]byte, error) {
	b, err := keys.MarshalBinary()
	if err != nil {
		return nil, err
	}
	box, err := seal.Seal(rnd, subscriberPub, grantInfo, datasetID[:], b)
	if err != nil {
		return nil, fmt.Errorf("seal column-key grant: %w", err)
	}
	return box, nil
}

// OpenGrant opens a grant made by SealGrant for the same dataset.
func OpenGrant(priv *seal.PrivateKey, datasetID common.Hash, grant []byte) (*Keys, error) {
	b, err := seal.Open(priv, grantInfo, datasetID[:], grant)
	if err != nil {
		return nil, fmt.Errorf("open column-key grant for dataset %s: %w (was it sealed to this key, for this dataset?)", datasetID.Hex(), err)
	}
	k := &Keys{}
	if err := k.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return k, nil
}

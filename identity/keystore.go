package identity

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
)

// Keystore is the encrypted account store under a datadir.
type Keystore struct {
	ks  *keystore.KeyStore
	dir string
}

// KDF strength for newly written keys.
type KDF int

const (
	// StandardKDF is go-ethereum's default scrypt cost: use it for real keys.
	StandardKDF KDF = iota
	// LightKDF is cheap scrypt, for dev chains and tests only.
	LightKDF
)

// OpenKeystore opens (creating if needed) the keystore in dir.
func OpenKeystore(dir string, kdf KDF) (*Keystore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create keystore directory: %w", err)
	}
	n, p := keystore.StandardScryptN, keystore.StandardScryptP
	if kdf == LightKDF {
		n, p = keystore.LightScryptN, keystore.LightScryptP
	}
	return &Keystore{ks: keystore.NewKeyStore(dir, n, p), dir: dir}, nil
}

// Dir returns the keystore directory.
func (k *Keystore) Dir() string { return k.dir }

// New creates an account encrypted with password.
func (k *Keystore) New(password string) (common.Address, error) {
	if password == "" {
		return common.Address{}, errors.New("refusing an empty password: an account needs one to be encrypted")
	}
	acct, err := k.ks.NewAccount(password)
	if err != nil {
		return common.Address{}, fmt.Errorf("create account: %w", err)
	}
	return acct.Address, nil
}

// Import stores an existing private key encrypted with password.
func (k *Keystore) Import(key *ecdsa.PrivateKey, password string) (common.Address, error) {
	if password == "" {
		return common.Address{}, errors.New("refusing an empty password: an account needs one to be encrypted")
	}
	acct, err := k.ks.ImportECDSA(key, password)
	if errors.Is(err, keystore.ErrAccountAlreadyExists) {
		return common.Address{}, fmt.Errorf("account %s is already in the keystore", acct.Address.Hex())
	}
	if err != nil {
		return common.Address{}, fmt.Errorf("import account: %w", err)
	}
	return acct.Address, nil
}

// Accounts lists the stored accounts, sorted by file name (creation order).
func (k *Keystore) Accounts() []accounts.Account { return k.ks.Accounts() }

// Find returns the stored account with address addr.
func (k *Keystore) Find(addr common.Address) (accounts.Account, error) {
	acct, err := k.ks.Find(accounts.Account{Address: addr})
	if err != nil {
		return accounts.Account{}, fmt.Errorf("account %s is not in %s: run 'enigma account list' to see the accounts you have", addr.Hex(), k.dir)
	}
	return acct, nil
}

// ErrWrongPassword is returned when a key file does not decrypt.
var ErrWrongPassword = errors.New("wrong password")

// Unlock decrypts the key of addr for signing. The caller must not keep,
// print or log the key.
func (k *Keystore) Unlock(addr common.Address, password string) (*ecdsa.PrivateKey, error) {
	acct, err := k.Find(addr)
	if err != nil {
		return nil, err
	}
	blob, err := os.ReadFile(acct.URL.Path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	key, err := keystore.DecryptKey(blob, password)
	if errors.Is(err, keystore.ErrDecrypt) {
		return nil, fmt.Errorf("%w for account %s", ErrWrongPassword, addr.Hex())
	}
	if err != nil {
		return nil, fmt.Errorf("decrypt key file %s: %w", filepath.Base(acct.URL.Path), err)
	}
	return key.PrivateKey, nil
}

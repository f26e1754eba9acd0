package chain

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
)

// call is bind.Call at the latest block, failing the test on error.
func call[T any](t *testing.T, e *env, c *bind.BoundContract, data []byte, unpack func([]byte) (T, error)) T {
	t.Helper()
	v, err := bind.Call(c, callOpts(e.ctx, nil), data, unpack)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMarketplaceViews(t *testing.T) {
	e := newEnv(t)
	m, mc := e.c.market, e.c.marketC
	id := e.register("weather")
	if got := call(t, e, mc, m.PackDatasetId(Address(e.prov), "weather"), m.UnpackDatasetId); common.Hash(got) != id {
		t.Fatalf("datasetId %x, Go %s", got, id)
	}
	if !call(t, e, mc, m.PackExists(id), m.UnpackExists) || call(t, e, mc, m.PackExists(common.Hash{1}), m.UnpackExists) {
		t.Fatal("exists is wrong")
	}
	period := call(t, e, mc, m.PackCurrentPeriod(), m.UnpackCurrentPeriod)
	if want := e.now() / uint64(Period/time.Second); period.Uint64() != want {
		t.Fatalf("current period %s, want %d", period, want)
	}
	if got := call(t, e, mc, m.PackToken(), m.UnpackToken); got != e.c.Token() {
		t.Fatalf("token %s", got)
	}
	epoch, vals := e.validators(4, 3)
	if !call(t, e, mc, m.PackIsValidator(epoch, Address(vals[0])), m.UnpackIsValidator) ||
		call(t, e, mc, m.PackIsValidator(epoch, Address(e.owner)), m.UnpackIsValidator) ||
		call(t, e, mc, m.PackIsValidator(epoch+1, Address(vals[0])), m.UnpackIsValidator) {
		t.Fatal("isValidator is wrong")
	}
	if call(t, e, mc, m.PackSlashed(id, epoch), m.UnpackSlashed) {
		t.Fatal("slashed before any slash")
	}
	sigs := signAll(t, e.c.SlashDigest(id, OffencePersistenceOffline, epoch), vals[:3])
	if _, err := e.c.Slash(e.ctx, e.owner, id, OffencePersistenceOffline, epoch, sigs); err != nil {
		t.Fatal(err)
	}
	if !call(t, e, mc, m.PackSlashed(id, epoch), m.UnpackSlashed) {
		t.Fatal("not marked slashed")
	}
	if got := call(t, e, mc, m.PackMAXPERIODS(), m.UnpackMAXPERIODS); got.Cmp(big.NewInt(24)) != 0 {
		t.Fatalf("MAX_PERIODS %s", got)
	}
	if got := call(t, e, mc, m.PackMINVALIDATORS(), m.UnpackMINVALIDATORS); got.Cmp(big.NewInt(MinValidators)) != 0 {
		t.Fatalf("MIN_VALIDATORS %s, Go MinValidators %d", got, MinValidators)
	}
	if got := call(t, e, mc, m.PackMAXVALIDATORS(), m.UnpackMAXVALIDATORS); got.Cmp(big.NewInt(MaxValidators)) != 0 {
		t.Fatalf("MAX_VALIDATORS %s, Go MaxValidators %d", got, MaxValidators)
	}
}

func TestTokenEdges(t *testing.T) {
	e := newEnv(t)
	tok, tc := e.c.token, e.c.tokenC
	if d := call(t, e, tc, tok.PackDecimals(), tok.UnpackDecimals); d != TokenDecimals {
		t.Fatalf("decimals %d", d)
	}
	send := func(data []byte) error {
		_, err := e.c.transact(e.ctx, e.subs[0], tc, "token", data)
		return err
	}
	wantRevert(t, send(tok.PackApprove(common.Address{}, ENG(1))), "ZeroAddress")
	wantRevert(t, send(tok.PackTransfer(common.Address{}, ENG(1))), "ZeroAddress")
	wantRevert(t, send(tok.PackTransfer(Address(e.subs[1]), ENG(2_000_000))), "InsufficientBalance")
	before := e.balance(Address(e.subs[1]))
	if err := send(tok.PackTransfer(Address(e.subs[1]), ENG(3))); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(e.balance(Address(e.subs[1])), before); got.Cmp(ENG(3)) != 0 {
		t.Fatalf("transferred %s", FormatENG(got))
	}
	// An unlimited approval is not decremented.
	if err := send(tok.PackApprove(Address(e.subs[1]), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)))); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.transact(e.ctx, e.subs[1], tc, "transferFrom", tok.PackTransferFrom(Address(e.subs[0]), Address(e.subs[1]), ENG(1))); err != nil {
		t.Fatal(err)
	}
	left := call(t, e, tc, tok.PackAllowance(Address(e.subs[0]), Address(e.subs[1])), tok.UnpackAllowance)
	if left.BitLen() != 256 {
		t.Fatalf("unlimited allowance decreased to %s", left)
	}
}

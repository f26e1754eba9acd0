package chain

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/enigma-mpc/enigma/dataset"
)

// gethBinary builds geth from the module proxy at the go-ethereum version in
// go.mod, once, into the user cache (~/.cache/enigma/geth-<version>/geth).
func gethBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the geth integration test builds geth with the go tool, which is not on PATH: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-m", "-f", "{{.Version}}", "github.com/ethereum/go-ethereum").Output()
	if err != nil {
		t.Fatalf("find the go-ethereum version in go.mod: %v", err)
	}
	version := strings.TrimSpace(string(out))
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("no user cache directory for the geth build: %v", err)
	}
	bin := filepath.Join(cache, "enigma", "geth-"+version, "geth")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := bin + ".tmp" + strconv.Itoa(os.Getpid())
	t.Logf("building geth %s into %s (cached for later runs)", version, bin)
	cmd := exec.Command(goTool, "build", "-o", tmp, "github.com/ethereum/go-ethereum/cmd/geth")
	var buildOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buildOut, &buildOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("build geth: %v\n%s", err, buildOut.String())
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// lockedBuffer collects a child's output from its copying goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startGethDev runs geth --dev on 127.0.0.1 with DevKey(0) as its funded
// developer account and returns its HTTP JSON-RPC URL.
func startGethDev(t *testing.T) string {
	t.Helper()
	bin := gethBinary(t)
	dir := t.TempDir()
	ks := keystore.NewKeyStore(filepath.Join(dir, "keystore"), keystore.LightScryptN, keystore.LightScryptP)
	if _, err := ks.ImportECDSA(DevKey(0), "pw"); err != nil {
		t.Fatal(err)
	}
	pwFile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwFile, []byte("pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	httpPort := freePort(t)
	cmd := exec.Command(bin, "--dev", "--datadir", dir, "--password", pwFile,
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(httpPort), "--http.api", "eth,net,web3",
		"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(freePort(t)),
		"--port", "0", "--nodiscover", "--maxpeers", "0", "--ipcdisable", "--verbosity", "2")
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start geth: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("geth output:\n%s", logs.String())
		}
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	deadline := time.Now().Add(60 * time.Second)
	for {
		ec, err := ethclient.Dial(url)
		if err == nil {
			_, err = ec.ChainID(context.Background())
			ec.Close()
			if err == nil {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("geth did not serve JSON-RPC at %s within 60s: %v\n%s", url, err, logs.String())
		}
		if cmd.ProcessState != nil {
			t.Fatalf("geth exited: %s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestGethDevIntegration deploys, registers, subscribes and checks access
// over JSON-RPC against a real geth --dev node.
func TestGethDevIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs geth; skipped with -short")
	}
	url := startGethDev(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ec, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	cfg := Config{Backend: ec, PollInterval: 20 * time.Millisecond, Logger: quietLogger}
	deployer, provider, subscriber := DevKey(0), DevKey(1), DevKey(2)

	dep, err := Deploy(ctx, cfg, deployer, DefaultDeployParams())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Market = dep.Market
	c, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if id := c.ChainID().Uint64(); id != 1337 {
		t.Fatalf("geth --dev chain ID %d", id)
	}
	// Fund the provider and subscriber with ether (from the developer
	// account) and ENG (minted by the deployer).
	for _, k := range []*ecdsa.PrivateKey{provider, subscriber} {
		fundEther(t, ctx, c, deployer, Address(k))
		if _, err := c.Mint(ctx, deployer, Address(k), ENG(1_000)); err != nil {
			t.Fatal(err)
		}
	}
	p := RegisterParams{Name: "weather", Price: ENG(10), Deposit: ENG(150), MetadataHash: common.HexToHash("0x77"),
		Payouts: []Payout{{Account: Address(provider), Bps: 10_000}}, TrialPeriod: time.Hour}
	if _, err := c.Approve(ctx, provider, p.Deposit); err != nil {
		t.Fatal(err)
	}
	id, _, err := c.Register(ctx, provider, p)
	if err != nil {
		t.Fatal(err)
	}
	if id != (dataset.Path{Provider: Address(provider), Name: "weather"}).ID() {
		t.Fatal("dataset ID differs from dataset.Path.ID")
	}
	if ok, err := c.HasAccess(ctx, id, Address(subscriber)); err != nil || ok {
		t.Fatalf("access before subscribing: %v, %v", ok, err)
	}
	if _, err := c.Approve(ctx, subscriber, ENG(20)); err != nil {
		t.Fatal(err)
	}
	r, err := c.Subscribe(ctx, subscriber, id, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != types.DynamicFeeTxType {
		t.Fatalf("subscribe sent as tx type %d, want EIP-1559", r.Type)
	}
	if ok, err := c.HasAccess(ctx, id, Address(subscriber)); err != nil || !ok {
		t.Fatalf("access after subscribing: %v, %v", ok, err)
	}
	_, err = c.Subscribe(ctx, subscriber, id, 0)
	wantRevert(t, err, "BadPeriodCount")
	rank, err := c.Rank(ctx, id)
	if err != nil || rank.ActiveSubscribers != 1 || rank.TotalPaid.Cmp(ENG(20)) != 0 {
		t.Fatalf("rank %+v, %v", rank, err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("geth bound %s", url)
	}
}

func fundEther(t *testing.T, ctx context.Context, c *Client, from *ecdsa.PrivateKey, to common.Address) {
	t.Helper()
	ec := c.Backend()
	nonce, err := ec.PendingNonceAt(ctx, Address(from))
	if err != nil {
		t.Fatal(err)
	}
	tip, err := ec.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := ec.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: c.ChainID(), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: params.TxGas,
		To: &to, Value: new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether))})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(c.ChainID()), from)
	if err != nil {
		t.Fatal(err)
	}
	if err := ec.SendTransaction(ctx, signed); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitReceipt(ctx, signed.Hash()); err != nil {
		t.Fatal(err)
	}
}

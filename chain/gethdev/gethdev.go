// Package gethdev runs a real `geth --dev` node on 127.0.0.1 for
// integration tests: geth is built once from the Go module proxy, at the
// go-ethereum version this module requires, into the user cache
// (~/.cache/enigma/geth-<version>/geth), and started with a funded
// developer account whose key the caller chooses.
package gethdev

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
)

// Binary returns the path of the cached geth, building it first if needed.
func Binary() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("building geth needs the go tool on PATH: %w", err)
	}
	out, err := exec.Command(goTool, "list", "-m", "-f", "{{.Version}}", "github.com/ethereum/go-ethereum").Output()
	if err != nil {
		return "", fmt.Errorf("find the go-ethereum version in go.mod: %w", err)
	}
	version := strings.TrimSpace(string(out))
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory for the geth build: %w", err)
	}
	bin := filepath.Join(cache, "enigma", "geth-"+version, "geth")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	tmp := bin + ".tmp" + strconv.Itoa(os.Getpid())
	cmd := exec.Command(goTool, "build", "-o", tmp, "github.com/ethereum/go-ethereum/cmd/geth")
	var buildOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buildOut, &buildOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build geth: %w\n%s", err, buildOut.String())
	}
	return bin, os.Rename(tmp, bin)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Process is a running geth --dev.
type Process struct {
	URL  string
	cmd  *exec.Cmd
	logs *lockedBuffer
	done chan struct{}
}

// Start runs geth --dev with dir as its data directory and dev as the
// funded developer account, and waits until JSON-RPC answers.
func Start(ctx context.Context, dir string, dev *ecdsa.PrivateKey) (*Process, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	ks := keystore.NewKeyStore(filepath.Join(dir, "keystore"), keystore.LightScryptN, keystore.LightScryptP)
	if _, err := ks.ImportECDSA(dev, "pw"); err != nil {
		return nil, fmt.Errorf("import the developer key: %w", err)
	}
	pwFile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwFile, []byte("pw\n"), 0o600); err != nil {
		return nil, err
	}
	httpPort, err := FreePort()
	if err != nil {
		return nil, err
	}
	authPort, err := FreePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--dev", "--datadir", dir, "--password", pwFile,
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(httpPort), "--http.api", "eth,net,web3",
		"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(authPort),
		"--port", "0", "--nodiscover", "--maxpeers", "0", "--ipcdisable", "--verbosity", "2")
	n := &Process{URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort), cmd: cmd, logs: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = n.logs, n.logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start geth: %w", err)
	}
	go func() { cmd.Wait(); close(n.done) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ec, err := ethclient.DialContext(ctx, n.URL)
		if err == nil {
			_, err = ec.ChainID(ctx)
			ec.Close()
			if err == nil {
				return n, nil
			}
		}
		select {
		case <-n.done:
			return nil, fmt.Errorf("geth exited:\n%s", n.logs.String())
		default:
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, errors.Join(fmt.Errorf("geth did not serve JSON-RPC at %s within 60s: %w\n%s", n.URL, err, n.logs.String()), n.Stop())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Logs returns what geth printed.
func (n *Process) Logs() string { return n.logs.String() }

// Stop interrupts geth and waits for it, killing it after 20 seconds.
func (n *Process) Stop() error {
	n.cmd.Process.Signal(os.Interrupt)
	select {
	case <-n.done:
	case <-time.After(20 * time.Second):
		n.cmd.Process.Kill()
		<-n.done
	}
	return nil
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

// Fund sends wei from a funded account to another and waits for the
// receipt (dev accounts need ether for gas).
func Fund(ctx context.Context, ec *ethclient.Client, from *ecdsa.PrivateKey, to common.Address, wei *big.Int) error {
	chainID, err := ec.ChainID(ctx)
	if err != nil {
		return err
	}
	nonce, err := ec.PendingNonceAt(ctx, crypto.PubkeyToAddress(from.PublicKey))
	if err != nil {
		return err
	}
	tip, err := ec.SuggestGasTipCap(ctx)
	if err != nil {
		return err
	}
	head, err := ec.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: params.TxGas, To: &to, Value: wei}), types.LatestSignerForChainID(chainID), from)
	if err != nil {
		return err
	}
	if err := ec.SendTransaction(ctx, tx); err != nil {
		return err
	}
	for {
		if r, err := ec.TransactionReceipt(ctx, tx.Hash()); err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return fmt.Errorf("funding transaction %s failed", tx.Hash().Hex())
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

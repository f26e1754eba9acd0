package chain

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestDevChainRefusesATakenPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = StartDevChain(context.Background(), DevChainConfig{HTTPAddr: l.Addr().String(), Logger: quietLogger})
	if err == nil || !strings.Contains(err.Error(), "cannot listen") {
		t.Fatalf("want a clear error for a taken port, got %v", err)
	}
}

func TestDevChainServesHTTP(t *testing.T) {
	ctx := context.Background()
	dc, err := StartDevChain(ctx, DevChainConfig{HTTPAddr: "127.0.0.1:0", Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	c, err := Dial(ctx, dc.URL(), dc.Deployment.Market, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A transaction sent over HTTP is mined by the dev chain's miner loop.
	if _, err := c.Approve(ctx, dc.Keys[1], ENG(1)); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Allowance(ctx, Address(dc.Keys[1])); err != nil || got.Cmp(ENG(1)) != 0 {
		t.Fatalf("allowance over HTTP: %v, %v", got, err)
	}
}

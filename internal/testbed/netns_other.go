//go:build !linux

package testbed

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
)

// The testbed needs Linux network namespaces; elsewhere every entry point
// says so.

func unavailable() error {
	return fmt.Errorf("%w: network namespaces are Linux only (this is %s)", ErrUnavailable, runtime.GOOS)
}

// Available says whether this machine can run a testbed: not on this OS.
func Available() error                             { return unavailable() }
func addNamespace(string) error                    { return unavailable() }
func openTUN(string, netip.Addr) (*os.File, error) { return nil, unavailable() }
func processesIn(string) ([]int, error)            { return nil, unavailable() }
func removeNamespace(string) error                 { return unavailable() }
func dialIn(context.Context, string, string, string) (net.Conn, error) {
	return nil, unavailable()
}
func namespacesOf(int) ([]string, error) { return nil, nil }
func removeStale() ([]string, error)     { return nil, nil }
func nodeCommand(ctx context.Context, ns, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, name, args...)
}

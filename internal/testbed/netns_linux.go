package testbed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// netnsDir is where `ip netns` keeps the namespaces it names.
const netnsDir = "/run/netns"

// tunName is the name of every node's link inside its namespace.
const tunName = "tb0"

// Available says whether this machine can run a testbed: root with the
// capabilities namespaces need, the ip command (iproute2) and the TUN
// device. The error wraps ErrUnavailable.
func Available() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: network namespaces need root (run as root, or in CI)", ErrUnavailable)
	}
	if missing := missingCapabilities(); len(missing) > 0 {
		return fmt.Errorf("%w: root without %s (a container started without --cap-add NET_ADMIN,SYS_ADMIN, or --privileged)", ErrUnavailable, strings.Join(missing, " and "))
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("%w: the ip command is missing (apt-get install -y iproute2)", ErrUnavailable)
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		return fmt.Errorf("%w: no TUN device: %v", ErrUnavailable, err)
	}
	return nil
}

// Capabilities the testbed needs: NET_ADMIN makes namespaces and TUN
// devices, SYS_ADMIN enters them (setns) and lets `ip netns` mount them.
const (
	capNetAdmin = 12
	capSysAdmin = 21
)

// missingCapabilities names the capabilities this process lacks (from
// /proc/self/status; none if it cannot tell, and the first `ip netns add`
// says what is wrong).
func missingCapabilities() []string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(status), "\n") {
		hexCaps, ok := strings.CutPrefix(line, "CapEff:")
		if !ok {
			continue
		}
		caps, err := strconv.ParseUint(strings.TrimSpace(hexCaps), 16, 64)
		if err != nil {
			return nil
		}
		var missing []string
		if caps&(1<<capNetAdmin) == 0 {
			missing = append(missing, "CAP_NET_ADMIN")
		}
		if caps&(1<<capSysAdmin) == 0 {
			missing = append(missing, "CAP_SYS_ADMIN")
		}
		return missing
	}
	return nil
}

// ip runs the ip command (iproute2) with args.
func ip(args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.Command("ip", args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return nil
}

// addNamespace creates the namespace ns with its loopback up.
func addNamespace(ns string) error {
	if err := ip("netns", "add", ns); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return ip("-n", ns, "link", "set", "lo", "up")
}

// openTUN creates the TUN device tunName inside namespace ns, gives it
// addr/16 and brings it up. The device lives as long as the returned file.
func openTUN(ns string, addr netip.Addr) (*os.File, error) {
	f, err := inNamespace(ns, openTUNHere)
	if err != nil {
		return nil, fmt.Errorf("%w: TUN device in %s: %w", ErrUnavailable, ns, err)
	}
	if err := ip("-n", ns, "addr", "add", addr.String()+"/16", "dev", tunName); err != nil {
		f.Close()
		return nil, err
	}
	if err := ip("-n", ns, "link", "set", tunName, "up"); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// dialIn connects to addr as a process inside namespace ns would: the
// socket is made by a thread that entered ns, and a socket belongs to the
// namespace it was made in for its whole life. The testbed reads its
// nodes' metrics this way (on each namespace's own 127.0.0.1), without
// giving the host an address on the emulated network.
func dialIn(ctx context.Context, ns, network, addr string) (net.Conn, error) {
	return inNamespace(ns, func() (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	})
}

// inNamespace runs fn on a thread of its own inside namespace ns. The
// thread enters ns, runs fn, and moves back; only then is it unlocked. If
// it cannot move back, it stays locked, and the Go runtime ends it with
// the goroutine: no other goroutine ever runs in ns. (It may be the main
// thread, whose namespace is the process's for `ip netns pids`: it must
// not stay in ns.)
func inNamespace[T any](ns string, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	got := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		var r result
		r.v, r.err = enterAndRun(ns, fn)
		got <- r
	}()
	r := <-got
	return r.v, r.err
}

// enterAndRun is inNamespace's work on its locked thread.
func enterAndRun[T any](ns string, fn func() (T, error)) (v T, err error) {
	home, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
	if err != nil {
		return v, err
	}
	defer home.Close()
	target, err := os.Open(filepath.Join(netnsDir, ns))
	if err != nil {
		return v, err
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		return v, fmt.Errorf("enter the namespace: %w", err)
	}
	v, fnErr := fn()
	if err := unix.Setns(int(home.Fd()), unix.CLONE_NEWNET); err != nil {
		if c, ok := any(v).(io.Closer); ok && fnErr == nil {
			c.Close()
		}
		var zero T
		return zero, fmt.Errorf("return from the namespace: %w", err)
	}
	runtime.UnlockOSThread()
	return v, fnErr
}

// openTUNHere opens a TUN device named tunName in the thread's namespace.
func openTUNHere() (*os.File, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	ifr, err := unix.NewIfreq(tunName)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("TUNSETIFF: %w", err)
	}
	return os.NewFile(uintptr(fd), "tun:"+tunName), nil
}

// processesIn lists the processes inside namespace ns.
func processesIn(ns string) ([]int, error) {
	out, err := exec.Command("ip", "netns", "pids", ns).Output()
	if err != nil {
		return nil, fmt.Errorf("list the processes in %s: %w", ns, err)
	}
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// removeNamespace kills every process inside ns (all started by the
// testbed: the namespace is its own), then deletes it.
func removeNamespace(ns string) error {
	pids, err := processesIn(ns)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	return errors.Join(err, ip("netns", "del", ns))
}

var ownNamespace = regexp.MustCompile(`^etb([0-9]+)-`)

// namespacesOf lists the testbed namespaces of process pid (0: of any).
func namespacesOf(pid int) ([]string, error) {
	entries, err := os.ReadDir(netnsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		m := ownNamespace.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if owner, _ := strconv.Atoi(m[1]); pid == 0 || owner == pid {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// removeStale deletes the namespaces of testbed runs whose process is gone
// (killed before it could clean up) and returns their names.
func removeStale() ([]string, error) {
	all, err := namespacesOf(0)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, ns := range all {
		owner, _ := strconv.Atoi(ownNamespace.FindStringSubmatch(ns)[1])
		if syscall.Kill(owner, 0) == syscall.ESRCH {
			if err := removeNamespace(ns); err != nil {
				errs = append(errs, err)
				continue
			}
			removed = append(removed, ns)
		}
	}
	return removed, errors.Join(errs...)
}

// nodeCommand runs name with args inside namespace ns; the process is
// killed if the testbed dies.
func nodeCommand(ctx context.Context, ns, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, name}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

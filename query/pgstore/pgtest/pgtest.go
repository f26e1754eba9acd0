// Package pgtest runs a throwaway PostgreSQL cluster for tests: initdb
// into a temporary directory, a server on a free 127.0.0.1 port (and a
// unix socket in that directory), stopped and removed when the test ends.
// It needs Debian's postgresql package (.ci/run installs it); without its
// binaries a test is skipped with a message saying so, and fails under CI.
package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Cluster is a running test server.
type Cluster struct {
	dir, data, bin string
	port           int
	asUser         string // run the binaries as this user (initdb refuses root)
	t              testing.TB
}

// DSN is the connection string of the cluster's database "enigma" as its
// superuser "enigma".
func (c *Cluster) DSN() string {
	return fmt.Sprintf("postgres://enigma@127.0.0.1:%d/enigma?sslmode=disable", c.port)
}

// binDir finds initdb: on PATH, or in Debian's /usr/lib/postgresql/N/bin.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		return "", fmt.Errorf("no initdb on PATH or in /usr/lib/postgresql/*/bin: install Debian's postgresql package (apt-get install -y postgresql)")
	}
	return filepath.Dir(dirs[len(dirs)-1]), nil
}

// Start starts a cluster for t and registers its removal.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL tests: %v", err)
		}
		t.Skipf("PostgreSQL tests skipped: %v", err)
	}
	// t.TempDir's parents are 0700 root's; the server may run as another
	// user, so the cluster gets a directory of its own.
	dir, err := os.MkdirTemp("", "enigma-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{dir: dir, data: filepath.Join(dir, "data"), bin: bin, t: t}
	t.Cleanup(func() {
		c.Stop()
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		c.asUser = "postgres"
		u, err := user.Lookup(c.asUser)
		if err != nil {
			t.Fatalf("PostgreSQL refuses to run as root and there is no user %q to run it as (Debian's postgresql package creates it): %v", c.asUser, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	c.run("initdb", "-D", c.data, "-U", "enigma", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	c.Start()
	c.run("createdb", "-h", c.dir, "-p", strconv.Itoa(c.port), "-U", "enigma", "enigma")
	return c
}

// Start starts the stopped server again, on the same port when it is
// still free.
func (c *Cluster) Start() {
	c.t.Helper()
	if c.port == 0 {
		c.port = freePort(c.t)
	}
	opts := fmt.Sprintf("-h 127.0.0.1 -p %d -k %s -F -c max_connections=50", c.port, c.dir)
	c.run("pg_ctl", "-D", c.data, "-o", opts, "-l", filepath.Join(c.dir, "log"), "-w", "start")
}

// Stop stops the server at once (immediate shutdown: connections are cut
// as in a crash).
func (c *Cluster) Stop() {
	if _, err := os.Stat(filepath.Join(c.data, "postmaster.pid")); err != nil {
		return
	}
	c.runQuiet("pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop")
}

func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	if c.asUser != "" {
		return exec.Command("runuser", append([]string{"-u", c.asUser, "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (c *Cluster) run(name string, args ...string) {
	c.t.Helper()
	cmd := c.command(name, args...)
	cmd.Dir = c.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		c.t.Fatalf("%s %s: %v\n%s\nserver log:\n%s", name, strings.Join(args, " "), err, out, log)
	}
}

func (c *Cluster) runQuiet(name string, args ...string) {
	cmd := c.command(name, args...)
	cmd.Dir = c.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		c.t.Logf("%s: %v\n%s", name, err, out)
	}
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

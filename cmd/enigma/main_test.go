package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMain lets the test binary act as the enigma command when
// ENIGMA_TEST_MAIN is set, so tests can check exit codes and stderr of real
// invocations without building a second binary.
func TestMain(m *testing.M) {
	if os.Getenv("ENIGMA_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startEnigma starts the command in a subprocess: its stdout is the
// returned pipe, its stderr collects in the returned buffer.
func startEnigma(t *testing.T, env []string, args ...string) (*exec.Cmd, io.ReadCloser, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "ENIGMA_TEST_MAIN=1"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout, stderr
}

// runEnigma runs the command in a subprocess and returns stdout, stderr and
// the exit code.
func runEnigma(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "ENIGMA_TEST_MAIN=1"), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("run enigma: %v", err)
	}
	return stdout.String(), stderr.String(), code
}

func TestAccountNewListAndWrongPassword(t *testing.T) {
	dir := t.TempDir()
	env := []string{"ENIGMA_DATADIR=" + dir, "ENIGMA_PASSWORD=s3cret"}
	out, errOut, code := runEnigma(t, env, "account", "new", "--lightkdf")
	if code != 0 {
		t.Fatalf("account new: exit %d: %s", code, errOut)
	}
	addr := regexp.MustCompile(`0x[0-9a-fA-F]{40}`).FindString(out)
	if addr == "" {
		t.Fatalf("account new printed no address: %q", out)
	}
	out, _, code = runEnigma(t, env, "account", "list")
	if code != 0 || !strings.Contains(out, addr) {
		t.Fatalf("account list (exit %d) does not show %s: %q", code, addr, out)
	}
	out, errOut, code = runEnigma(t, []string{"ENIGMA_DATADIR=" + dir, "ENIGMA_PASSWORD=wrong"}, "account", "export-pub", addr)
	if code != 1 {
		t.Fatalf("wrong password: exit %d, want 1", code)
	}
	if !strings.Contains(errOut, "wrong password") || strings.Contains(errOut, "goroutine") || out != "" {
		t.Fatalf("wrong password: want a one-line error, got stdout %q stderr %q", out, errOut)
	}
	out, _, code = runEnigma(t, env, "account", "export-pub", addr)
	if code != 0 || !regexp.MustCompile(`^0x04[0-9a-f]{128}\n$`).MatchString(out) {
		t.Fatalf("export-pub: exit %d, output %q", code, out)
	}
}

func TestAccountImportNeverEchoesKey(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.hex")
	const key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"ENIGMA_DATADIR=" + dir, "ENIGMA_PASSWORD=pw", "ENIGMA_LIGHTKDF=true"}
	out, errOut, code := runEnigma(t, env, "account", "import", keyFile)
	if code != 0 || !strings.Contains(out, "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23") {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if strings.Contains(out+errOut, key) {
		t.Fatal("import printed the private key")
	}
	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runEnigma(t, env, "account", "import", keyFile)
	if code != 1 || strings.Contains(errOut, "not a key") {
		t.Fatalf("bad key file: exit %d, stderr %q", code, errOut)
	}
}

func TestNodeKeyNewShow(t *testing.T) {
	dir := t.TempDir()
	env := []string{"ENIGMA_DATADIR=" + dir}
	out, errOut, code := runEnigma(t, env, "node", "key", "new")
	if code != 0 {
		t.Fatalf("node key new: exit %d: %s", code, errOut)
	}
	id := regexp.MustCompile(`[0-9a-f]{64}`).FindString(out)
	info, err := os.Stat(filepath.Join(dir, "nodekey"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("node key file: %v, mode %v", err, info.Mode())
	}
	out, _, code = runEnigma(t, env, "node", "key", "show")
	if code != 0 || !strings.Contains(out, id) {
		t.Fatalf("node key show (exit %d) lacks ID %s: %q", code, id, out)
	}
	if _, _, code = runEnigma(t, env, "node", "key", "new"); code != 1 {
		t.Fatalf("second node key new: exit %d, want 1 (no overwrite)", code)
	}
}

func TestBadGlobalFlagsFailCleanly(t *testing.T) {
	for _, args := range [][]string{
		{"--log.level", "loud", "account", "list"},
		{"--log.format", "xml", "account", "list"},
	} {
		_, errOut, code := runEnigma(t, []string{"ENIGMA_DATADIR=" + t.TempDir()}, args...)
		if code != 1 || !strings.HasPrefix(errOut, "error: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestNodeInitWritesConfigAndKey(t *testing.T) {
	dir := t.TempDir()
	env := []string{"ENIGMA_DATADIR=" + dir}
	out, errOut, code := runEnigma(t, env, "node", "init", "--roles", "validator,persistence", "--listen", "127.0.0.1:31000", "--http.addr", "127.0.0.1:31080")
	if code != 0 {
		t.Fatalf("node init: exit %d: %s", code, errOut)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"validator"`, `"persistence"`, `"overlay"`, `127.0.0.1:31000`, "[http]", `addr = "127.0.0.1:31080"`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config lacks %s:\n%s", want, cfg)
		}
	}
	if !strings.Contains(out, "Node ID: ") {
		t.Errorf("node init output %q", out)
	}
	if _, _, code := runEnigma(t, env, "node", "init", "--roles", "miner"); code != 1 {
		t.Errorf("unknown role: exit %d, want 1", code)
	}
}

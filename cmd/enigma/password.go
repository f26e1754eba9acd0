package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// passwordEnv holds an account password for scripts; it is read, never logged.
const passwordEnv = "ENIGMA_PASSWORD"

// readPassword takes the password from ENIGMA_PASSWORD, --password-file, or a
// prompt on the terminal, in that order. With confirm, a prompted password is
// asked twice.
func readPassword(ctx *cli.Context, prompt string, confirm bool) (string, error) {
	if pw, ok := os.LookupEnv(passwordEnv); ok {
		return pw, nil
	}
	if path := ctx.Path(passwordFileFlag.Name); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("--password-file: %w", err)
		}
		defer f.Close()
		line, err := bufio.NewReader(f).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("--password-file %s is empty", path)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("no password given: use --password-file or set " + passwordEnv + " (no terminal to prompt on)")
	}
	fmt.Fprint(os.Stderr, prompt+": ")
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if confirm {
		fmt.Fprint(os.Stderr, "Repeat password: ")
		again, err := term.ReadPassword(fd)
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(again) != string(pw) {
			return "", errors.New("the passwords do not match")
		}
	}
	return string(pw), nil
}

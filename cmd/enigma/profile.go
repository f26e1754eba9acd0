package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/node"
)

// profileFile is the client profile's name inside the datadir.
const profileFile = "client.toml"

// clientProfile is <datadir>/client.toml: the settings every command of a
// client (or a devnet's terminals) shares, so that they are configured once.
// Each field is one flag's value; a command reads the profile first, then
// the environment, then its flags, the later winning.
type clientProfile struct {
	Chain struct {
		RPC           string  `toml:"rpc,omitempty"`
		ID            uint64  `toml:"id,omitempty"`
		Confirmations *uint64 `toml:"confirmations,omitempty"`
		Market        string  `toml:"market,omitempty"`
	} `toml:"chain"`
	Overlay struct {
		Bootstrap     []string `toml:"bootstrap,omitempty"`
		PuzzleStatic  *int     `toml:"puzzle_static,omitempty"`
		PuzzleDynamic *int     `toml:"puzzle_dynamic,omitempty"`
	} `toml:"overlay"`
	Account struct {
		Default      string `toml:"default,omitempty"`
		PasswordFile string `toml:"password_file,omitempty"`
	} `toml:"account"`
}

// profileSetting ties a flag to its place in the profile.
type profileSetting struct {
	flag cli.Flag
	get  func(*clientProfile) []string
	set  func(*clientProfile, *cli.Context) error
}

func optional[T any](v *T, format func(T) string) []string {
	if v == nil {
		return nil
	}
	return []string{format(*v)}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// profileSettings lists the flags a profile holds, in the order
// 'enigma config show' prints them.
var profileSettings = []profileSetting{
	{chainRPCFlag, func(p *clientProfile) []string { return nonEmpty(p.Chain.RPC) },
		func(p *clientProfile, ctx *cli.Context) error {
			p.Chain.RPC = ctx.String(chainRPCFlag.Name)
			return nil
		}},
	{chainIDFlag, func(p *clientProfile) []string {
		if p.Chain.ID == 0 {
			return nil
		}
		return []string{strconv.FormatUint(p.Chain.ID, 10)}
	}, func(p *clientProfile, ctx *cli.Context) error { p.Chain.ID = ctx.Uint64(chainIDFlag.Name); return nil }},
	{chainConfirmationsFlag, func(p *clientProfile) []string {
		return optional(p.Chain.Confirmations, func(v uint64) string { return strconv.FormatUint(v, 10) })
	}, func(p *clientProfile, ctx *cli.Context) error {
		v := ctx.Uint64(chainConfirmationsFlag.Name)
		p.Chain.Confirmations = &v
		return nil
	}},
	{marketAddressFlag, func(p *clientProfile) []string { return nonEmpty(p.Chain.Market) },
		func(p *clientProfile, ctx *cli.Context) error {
			a, err := marketAddress(ctx)
			p.Chain.Market = a.Hex()
			return err
		}},
	{bootstrapFlag, func(p *clientProfile) []string { return p.Overlay.Bootstrap },
		func(p *clientProfile, ctx *cli.Context) error {
			peers, err := parseBootstrap(ctx)
			p.Overlay.Bootstrap = nil
			for _, peer := range peers {
				p.Overlay.Bootstrap = append(p.Overlay.Bootstrap, peer.String())
			}
			return err
		}},
	{puzzleStaticFlag, func(p *clientProfile) []string { return optional(p.Overlay.PuzzleStatic, strconv.Itoa) },
		func(p *clientProfile, ctx *cli.Context) error {
			v := ctx.Int(puzzleStaticFlag.Name)
			p.Overlay.PuzzleStatic = &v
			return nil
		}},
	{puzzleDynamicFlag, func(p *clientProfile) []string { return optional(p.Overlay.PuzzleDynamic, strconv.Itoa) },
		func(p *clientProfile, ctx *cli.Context) error {
			v := ctx.Int(puzzleDynamicFlag.Name)
			p.Overlay.PuzzleDynamic = &v
			return nil
		}},
	{accountFlag, func(p *clientProfile) []string { return nonEmpty(p.Account.Default) },
		func(p *clientProfile, ctx *cli.Context) error {
			p.Account.Default = ctx.String(accountFlag.Name)
			return nil
		}},
	{passwordFileFlag, func(p *clientProfile) []string { return nonEmpty(p.Account.PasswordFile) },
		func(p *clientProfile, ctx *cli.Context) error {
			abs, err := filepath.Abs(ctx.Path(passwordFileFlag.Name))
			p.Account.PasswordFile = abs
			return err
		}},
}

func profilePath(dir string) string { return filepath.Join(dir, profileFile) }

// loadProfile reads <dir>/client.toml; a missing file is an empty profile.
// Unknown keys are an error, so a typo does not silently fall back.
func loadProfile(dir string) (*clientProfile, error) {
	var p clientProfile
	md, err := toml.DecodeFile(profilePath(dir), &p)
	if errors.Is(err, fs.ErrNotExist) {
		return &p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w (fix it, or rewrite it with 'enigma config set')", profilePath(dir), err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return nil, fmt.Errorf("%s: unknown setting %q ('enigma config set --help' lists the settings)", profilePath(dir), undecoded[0].String())
	}
	return &p, nil
}

// writeProfile replaces <dir>/client.toml (0600, in a 0700 datadir).
func writeProfile(dir string, p *clientProfile) error {
	if err := node.PrepareDatadir(dir, nil); err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("# enigma client profile: every command run with this datadir reads it first;\n" +
		"# ENIGMA_* environment variables and flags override it. 'enigma config set' rewrites it.\n")
	if err := toml.NewEncoder(&buf).Encode(p); err != nil {
		return fmt.Errorf("encode the profile: %w", err)
	}
	tmp := profilePath(dir) + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), node.FileMode); err != nil {
		return fmt.Errorf("write the profile: %w", err)
	}
	return os.Rename(tmp, profilePath(dir))
}

// applyProfile fills the flags of ctx's command that neither the command
// line nor the environment set from the profile in --datadir.
func applyProfile(ctx *cli.Context) error {
	dir := datadir(ctx)
	p, err := loadProfile(dir)
	if err != nil {
		return err
	}
	for _, s := range profileSettings {
		name := s.flag.Names()[0]
		if !slices.ContainsFunc(ctx.Command.Flags, func(f cli.Flag) bool { return f.Names()[0] == name }) || ctx.IsSet(name) {
			continue
		}
		for _, v := range s.get(p) {
			if err := ctx.Set(name, v); err != nil {
				return fmt.Errorf("%s: %s = %q: %w", profilePath(dir), name, v, err)
			}
		}
	}
	return nil
}

// hiddenFromEnv says which flags get no environment variable: hidden
// fault injection must not be switched on by a stray variable.
func hiddenFromEnv(f cli.Flag) bool {
	v := reflect.ValueOf(f).Elem().FieldByName("Hidden")
	return v.IsValid() && v.Bool()
}

// scopedEnv names the flags whose meaning differs between the commands
// that have them: there each command reads its own variable,
// ENIGMA_<COMMAND>_<FLAG> (account send --to → ENIGMA_ACCOUNT_SEND_TO), so
// a variable set for one command cannot change what another does — a
// send's recipient becoming a mint's, a send's ether amount a deposit's
// ENG, a key file a grant is written over, a devnet's worker count a
// listing's worker IDs. The commands listed keep the plain variable (the
// flag's home: ENIGMA_LISTEN is the node's listen address). Flags of one
// name and one meaning (--format, --dataset, --timeout, --json, …) share
// their variable. TestFlagsOfOneNameShareAVariableOnlyWhenTheyMeanTheSame
// keeps it so.
var scopedEnv = map[string][]string{
	"to":          nil,
	"amount":      nil,
	"out":         nil,
	"dir":         nil,
	"workers":     nil,
	"persistence": nil,
	"validators":  nil,
	"listen":      {"node init", "node run"},
	// An address to listen on: two processes cannot share it.
	"metrics.addr": {"node init", "node run"},
}

// withEnv returns a copy of f that reads env.
func withEnv(f cli.Flag, env []string) cli.Flag {
	v := reflect.ValueOf(f).Elem()
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	c.Elem().FieldByName("EnvVars").Set(reflect.ValueOf(env))
	return c.Interface().(cli.Flag)
}

// setupCommands gives every flag of every command its ENIGMA_… environment
// variable (named after the flag) unless it has one, and makes every
// command but 'config' read the client profile before it runs. 'node run'
// with a config.toml reads that instead: the node's own configuration
// outranks a client profile that shares its datadir.
func setupCommands(path string, cmds []*cli.Command) {
	for _, c := range cmds {
		full := strings.TrimSpace(path + " " + c.Name)
		// A flag list may be shared by several commands: a scoped flag is
		// replaced in this command's own copy of it.
		c.Flags = slices.Clone(c.Flags)
		for i, f := range c.Flags {
			if hiddenFromEnv(f) {
				continue
			}
			name := f.Names()[0]
			if keep, scoped := scopedEnv[name]; scoped && !slices.Contains(keep, full) {
				c.Flags[i] = withEnv(f, envName(strings.ReplaceAll(full, " ", ".")+"."+name))
				continue
			}
			env := reflect.ValueOf(f).Elem().FieldByName("EnvVars")
			if env.IsValid() && env.Len() == 0 {
				env.Set(reflect.ValueOf(envName(name)))
			}
		}
		if c.Action != nil && full != "config" && !strings.HasPrefix(full, "config ") {
			action := c.Action
			c.Action = func(ctx *cli.Context) error {
				if full == "node run" {
					if _, err := os.Stat(filepath.Join(datadir(ctx), node.ConfigFile)); err == nil {
						return action(ctx)
					}
				}
				if err := applyProfile(ctx); err != nil {
					return err
				}
				return action(ctx)
			}
		}
		setupCommands(full, c.Subcommands)
	}
}

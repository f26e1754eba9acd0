package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/devnet"
)

var configCommand = &cli.Command{
	Name:  "config",
	Usage: "the client profile, <datadir>/client.toml: chain, bootstrap, default account, puzzles — configured once",
	Description: "Every command run with this --datadir reads the profile first, then ENIGMA_… environment\n" +
		"variables, then its flags (the later wins). 'enigma devnet' writes one, so another terminal\n" +
		"needs only ENIGMA_DATADIR=<devnet dir>. 'enigma node run' reads the node's config.toml instead\n" +
		"when there is one.",
	Subcommands: []*cli.Command{
		{
			Name:  "set",
			Usage: "write the given settings into the profile (others are kept)",
			Description: "Only the flags given change: 'enigma config set --chain.rpc http://host:8545' keeps the\n" +
				"bootstrap and the account already recorded. --market.address defaults to the recorded\n" +
				"deployment's; --password-file is stored as an absolute path.",
			Flags: func() []cli.Flag {
				var fs []cli.Flag
				for _, s := range profileSettings {
					fs = append(fs, s.flag)
				}
				return fs
			}(),
			Action: configSet,
		},
		{
			Name:   "show",
			Usage:  "print the profile's settings and the flag each one stands for",
			Action: configShow,
		},
	},
	Action: configShow,
}

func configSet(ctx *cli.Context) error {
	dir := datadir(ctx)
	p, err := loadProfile(dir)
	if err != nil {
		return err
	}
	changed := 0
	for _, s := range profileSettings {
		if !ctx.IsSet(s.flag.Names()[0]) {
			continue
		}
		if err := s.set(p, ctx); err != nil {
			return err
		}
		changed++
	}
	if changed == 0 {
		return fmt.Errorf("nothing to set: give at least one of the flags 'enigma config set --help' lists")
	}
	if err := writeProfile(dir, p); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Wrote %d setting(s) to %s\n", changed, profilePath(dir))
	return printProfile(ctx, p)
}

func configShow(ctx *cli.Context) error {
	p, err := loadProfile(datadir(ctx))
	if err != nil {
		return err
	}
	return printProfile(ctx, p)
}

func printProfile(ctx *cli.Context, p *clientProfile) error {
	w := ctx.App.Writer
	fmt.Fprintf(w, "Profile %s:\n", profilePath(datadir(ctx)))
	empty := true
	for _, s := range profileSettings {
		if v := s.get(p); len(v) > 0 {
			fmt.Fprintf(w, "  --%-20s %s\n", s.flag.Names()[0], strings.Join(v, ","))
			empty = false
		}
	}
	if empty {
		fmt.Fprintln(w, "  (empty: 'enigma config set --chain.rpc … --bootstrap …' writes one)")
	}
	return nil
}

// version and commit are the release and the source revision; make build
// sets them with -ldflags "-X main.version=… -X main.commit=…".
var version, commit = "dev", ""

// buildCommit is the revision make build recorded, else the one Go
// recorded in the binary (go build with VCS stamping), if any.
func buildCommit() string {
	if commit != "" {
		return commit
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	revision, dirty := "unknown", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty {
		revision += " (modified)"
	}
	return revision
}

// printVersion is --version: the release, the commit, and the contracts
// this datadir knows (profile, recorded deployment, devnet).
func printVersion(ctx *cli.Context) {
	w := ctx.App.Writer
	fmt.Fprintf(w, "enigma %s\ncommit: %s\n", version, buildCommit())
	dir := datadir(ctx)
	if p, err := loadProfile(dir); err == nil && p.Chain.Market != "" {
		fmt.Fprintf(w, "marketplace (profile %s): %s\n", profilePath(dir), p.Chain.Market)
	}
	if dep, ok, err := loadDeployment(ctx); err == nil && ok {
		fmt.Fprintf(w, "marketplace (deployment.json): %s\ntoken (deployment.json): %s\n", dep.Market.Hex(), dep.Token.Hex())
	}
	if info, err := devnet.LoadInfo(dir); err == nil {
		fmt.Fprintf(w, "devnet chain: %s (chain ID %d)\n", info.RPC, info.ChainID)
	}
}

var completionCommand = &cli.Command{
	Name:      "completion",
	Usage:     "print the shell completion script for bash or zsh",
	ArgsUsage: "bash|zsh",
	Description: "bash: source <(enigma completion bash)   (or save it under /etc/bash_completion.d/enigma)\n" +
		"zsh:  source <(enigma completion zsh)    (or save it as _enigma in a directory of $fpath)",
	Action: func(ctx *cli.Context) error {
		shell, err := oneArg(ctx, "enigma completion bash|zsh")
		if err != nil {
			return err
		}
		switch shell {
		case "bash":
			fmt.Fprint(ctx.App.Writer, bashCompletion)
		case "zsh":
			fmt.Fprint(ctx.App.Writer, zshCompletion)
		default:
			return fmt.Errorf("no completion for %q: use bash or zsh", shell)
		}
		return nil
	},
}

// The scripts ask the binary itself (urfave/cli's --generate-bash-completion)
// for the commands and flags that fit the words typed so far.
const bashCompletion = `# bash completion for enigma
_enigma_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" words
  if [[ "$cur" == -* ]]; then
    words=$("${COMP_WORDS[@]:0:$COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    words=$("${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o bashdefault -o default -F _enigma_complete enigma
`

const zshCompletion = `#compdef enigma
# zsh completion for enigma
_enigma() {
  local -a candidates
  local cur="${words[CURRENT]}"
  if [[ "$cur" == -* ]]; then
    candidates=("${(@f)$(_CLI_ZSH_AUTOCOMPLETE_HACK=1 ${words[1,CURRENT-1]} "$cur" --generate-bash-completion 2>/dev/null)}")
  else
    candidates=("${(@f)$(_CLI_ZSH_AUTOCOMPLETE_HACK=1 ${words[1,CURRENT-1]} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${candidates[1]}" == "" ]]; then
    _files
  else
    _describe 'enigma' candidates
  fi
}
compdef _enigma enigma
`

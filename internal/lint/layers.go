package lint

import (
	"bufio"
	"fmt"
	"os/exec"
	"slices"
	"strings"
)

// Module is the import path of the project's module.
const Module = "github.com/enigma-mpc/enigma"

// ParseLayers reads the "## Layers" table of docs/ARCHITECTURE.md: rows
// "| <n> <name> | `pkg`, `pkg` … |", lowest layer first. It returns each
// package's layer index.
func ParseLayers(markdown string) (map[string]int, error) {
	layers := make(map[string]int)
	in := false
	sc := bufio.NewScanner(strings.NewReader(markdown))
	row := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## Layers"
			continue
		}
		if !in || !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| layer") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			return nil, fmt.Errorf("layers table: malformed row %q", line)
		}
		for _, p := range strings.Split(cells[2], ",") {
			p = strings.Trim(strings.TrimSpace(p), "`")
			if p == "" {
				continue
			}
			if prev, dup := layers[p]; dup {
				return nil, fmt.Errorf("layers table: %s is in layers %d and %d", p, prev, row)
			}
			layers[p] = row
		}
		row++
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("no \"## Layers\" table found")
	}
	return layers, nil
}

// Package is one package of the module: its path relative to the module
// root, the module packages it imports directly, and every package it
// depends on (Go's transitive Deps).
type Package struct {
	Path    string
	Imports []string
	Deps    []string
}

// ListModule lists the module's packages with `go list`, run in dir.
func ListModule(dir string, patterns ...string) (map[string]Package, error) {
	args := append([]string{"list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("go list: %w: %s", err, ee.Stderr)
		}
		return nil, fmt.Errorf("go list: %w", err)
	}
	pkgs := make(map[string]Package)
	for line := range strings.Lines(string(out)) {
		parts := strings.Split(strings.TrimSpace(line), "|")
		if len(parts) != 3 {
			continue
		}
		p := Package{Path: rel(parts[0])}
		for _, imp := range strings.Fields(parts[1]) {
			if r := rel(imp); r != imp {
				p.Imports = append(p.Imports, r)
			}
		}
		p.Deps = strings.Fields(parts[2])
		pkgs[p.Path] = p
	}
	return pkgs, nil
}

// ListDeps lists the packages matching patterns and every package they
// depend on, the module's and others', with `go list -deps`, run in dir. A
// module package's path is relative to the module root; Imports holds every
// direct import, so a chain of imports can be traced into third parties'
// code.
func ListDeps(dir string, patterns ...string) (map[string]Package, error) {
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("go list -deps: %w: %s", err, ee.Stderr)
		}
		return nil, fmt.Errorf("go list -deps: %w", err)
	}
	pkgs := make(map[string]Package)
	for line := range strings.Lines(string(out)) {
		parts := strings.Split(strings.TrimSpace(line), "|")
		if len(parts) != 3 {
			continue
		}
		p := Package{Path: rel(parts[0]), Deps: strings.Fields(parts[2])}
		for _, imp := range strings.Fields(parts[1]) {
			p.Imports = append(p.Imports, rel(imp))
		}
		pkgs[p.Path] = p
	}
	return pkgs, nil
}

// CheckAvoids reports every package of avoid that lib depends on, directly
// or through others, with the chain of imports that brings it. An entry is
// a module package's path relative to the module root, or any import path;
// one ending in "/..." also covers every package below it. pkgs must hold
// lib's dependencies and their imports (ListDeps).
func CheckAvoids(lib string, avoid []string, pkgs map[string]Package) []string {
	p, ok := pkgs[lib]
	if !ok {
		return []string{fmt.Sprintf("%s is not among the packages listed", lib)}
	}
	var bad []string
	for _, a := range avoid {
		tree, isTree := strings.CutSuffix(a, "/...")
		// Of the packages a covers, name the one nearest to lib.
		best, chain := "", ""
		for _, dep := range p.Deps {
			r := rel(dep)
			if r != a && !(isTree && (r == tree || strings.HasPrefix(r, tree+"/"))) {
				continue
			}
			if c := via(lib, r, pkgs); best == "" || strings.Count(c, "→") < strings.Count(chain, "→") {
				best, chain = r, c
			}
		}
		if best != "" {
			bad = append(bad, fmt.Sprintf("%s depends on %s, which it must not link (%s)", lib, best, chain))
		}
	}
	return bad
}

// rel strips the module prefix from a module package's path and leaves any
// other path as it is.
func rel(path string) string {
	if r, ok := strings.CutPrefix(path, Module+"/"); ok {
		return r
	}
	return path
}

// CheckLayers reports every package missing from layers and every import
// of a module package in a higher layer than its importer's.
func CheckLayers(layers map[string]int, pkgs map[string]Package) []string {
	var bad []string
	for _, path := range sortedKeys(pkgs) {
		l, ok := layers[path]
		if !ok {
			bad = append(bad, fmt.Sprintf("%s is in no layer of docs/ARCHITECTURE.md's table: add it where its imports allow", path))
			continue
		}
		for _, imp := range pkgs[path].Imports {
			if li, ok := layers[imp]; ok && li > l {
				bad = append(bad, fmt.Sprintf("%s (layer %d) imports %s (layer %d): imports must point down", path, l, imp, li))
			}
		}
	}
	return bad
}

// CheckReach reports, for each core, every module package it depends on,
// directly or through others, that is neither a core nor one of leaves:
// such a package may read the clock or the disk, or bring a third party's
// code (a parser, say) into what the core decides.
func CheckReach(cores, leaves []string, pkgs map[string]Package) []string {
	var bad []string
	for _, core := range cores {
		p, ok := pkgs[core]
		if !ok {
			bad = append(bad, fmt.Sprintf("core %s is not a package of the module", core))
			continue
		}
		for _, dep := range p.Deps {
			r := rel(dep)
			if r == dep || slices.Contains(cores, r) || slices.Contains(leaves, r) {
				continue
			}
			bad = append(bad, fmt.Sprintf("core %s depends on %s, which is not pure (%s)", core, r, via(core, r, pkgs)))
		}
	}
	return bad
}

// via names a chain of direct imports from one package to another.
func via(from, to string, pkgs map[string]Package) string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			chain := []string{to}
			for p := prev[to]; p != ""; p = prev[p] {
				chain = append(chain, p)
			}
			slices.Reverse(chain)
			return strings.Join(chain, " → ")
		}
		for _, imp := range pkgs[cur].Imports {
			if _, seen := prev[imp]; !seen {
				prev[imp] = cur
				queue = append(queue, imp)
			}
		}
	}
	return "through a package outside the listing"
}

func sortedKeys(m map[string]Package) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Package lint checks that protocol cores stay pure: no clock, no global or
// OS randomness, no sockets, no files, no goroutines; that imports point
// down docs/ARCHITECTURE.md's layers; and that shells taking a clock.Clock
// read no wall clock outside an allow-list with reasons (CheckWallClock).
// The rules live in code (not only in a linter config) so a test can show
// each checker failing on a fixture and `go test ./...` enforces them
// everywhere.
package lint

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ForbiddenImports are the packages a pure core must not import, directly.
// A prefix ending in "/" forbids the whole subtree.
var ForbiddenImports = []string{
	"time", "math/rand", "math/rand/v2", "crypto/rand",
	"net", "net/", "os", "os/", "syscall", "io/ioutil",
}

// Violation is one breach of the purity rules.
type Violation struct {
	Pos    token.Position
	Reason string
}

func (v Violation) String() string { return fmt.Sprintf("%s: %s", v.Pos, v.Reason) }

// CheckDir checks the non-test Go files of the package in dir.
func CheckDir(dir string) ([]Violation, error) {
	fset, files, err := parsePackage(dir, "core package", "fix the list of core packages")
	if err != nil {
		return nil, err
	}
	var out []Violation
	for _, f := range files {
		out = append(out, checkFile(fset, f.ast)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos.String() < out[j].Pos.String() })
	return out, nil
}

// parsedFile is one non-test Go file of a package, with its name in dir.
type parsedFile struct {
	name string
	ast  *ast.File
}

// parsePackage parses the non-test Go files of the package in dir; kind
// names the package in errors, and fix says what to do when it has none.
func parsePackage(dir, kind, fix string) (*token.FileSet, []parsedFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s %s: %w", kind, dir, err)
	}
	fset := token.NewFileSet()
	var files []parsedFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, fmt.Errorf("parse %s: %w", name, err)
		}
		files = append(files, parsedFile{name, f})
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s %s has no Go files: %s", kind, dir, fix)
	}
	return fset, files, nil
}

func checkFile(fset *token.FileSet, f *ast.File) []Violation {
	var out []Violation
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if forbidden(path) {
			out = append(out, Violation{fset.Position(imp.Pos()), fmt.Sprintf("imports %q: cores take time as ticks or arguments, randomness from an injected *randsrc.Rand, and do no I/O", path)})
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if g, ok := n.(*ast.GoStmt); ok {
			out = append(out, Violation{fset.Position(g.Pos()), "starts a goroutine: cores hand work back to their shell instead"})
		}
		return true
	})
	return out
}

func forbidden(path string) bool {
	for _, f := range ForbiddenImports {
		if path == f || (strings.HasSuffix(f, "/") && strings.HasPrefix(path, f)) {
			return true
		}
	}
	return false
}

package slt

import (
	"fmt"
	"strings"
)

// ddl reads the statements the runner interprets itself (CREATE, INSERT,
// DELETE, UPDATE, DROP): words, names and parenthesised lists; the
// expressions inside are left to the engine's parser.
type ddl struct {
	s string
	i int
}

func (p *ddl) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// words consumes the keywords if they come next (case-insensitive).
func (p *ddl) words(ws ...string) bool {
	save := p.i
	for _, w := range ws {
		p.skipSpace()
		j := p.i
		for j < len(p.s) && isWordByte(p.s[j]) {
			j++
		}
		if !strings.EqualFold(p.s[p.i:j], w) {
			p.i = save
			return false
		}
		p.i = j
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// ident reads a name, bare or quoted with "…", `…` or […].
func (p *ddl) ident() string {
	p.skipSpace()
	if p.i >= len(p.s) {
		return ""
	}
	switch c := p.s[p.i]; c {
	case '"', '`', '[':
		end := byte(c)
		if c == '[' {
			end = ']'
		}
		j := strings.IndexByte(p.s[p.i+1:], end)
		if j < 0 {
			return ""
		}
		name := p.s[p.i+1 : p.i+1+j]
		p.i += j + 2
		return name
	}
	j := p.i
	for j < len(p.s) && isWordByte(p.s[j]) {
		j++
	}
	name := p.s[p.i:j]
	p.i = j
	return name
}

func (p *ddl) peekPunct(c byte) bool {
	p.skipSpace()
	return p.i < len(p.s) && p.s[p.i] == c
}

func (p *ddl) punct(c byte) bool {
	if p.peekPunct(c) {
		p.i++
		return true
	}
	return false
}

// skipParens skips a parenthesised size such as (40) or (10,2).
func (p *ddl) skipParens() {
	if !p.peekPunct('(') {
		return
	}
	if j := strings.IndexByte(p.s[p.i:], ')'); j >= 0 {
		p.i += j + 1
	}
}

// columnList reads (a, b DESC, …), dropping ASC/DESC and sizes.
func (p *ddl) columnList() ([]string, error) {
	if !p.punct('(') {
		return nil, fmt.Errorf("%w: expected a column list in %q", errUnsupported, p.s)
	}
	var cols []string
	for {
		c := p.ident()
		if c == "" {
			return nil, fmt.Errorf("%w: column list in %q", errUnsupported, p.s)
		}
		p.skipParens()
		if !p.words("ASC") {
			p.words("DESC")
		}
		cols = append(cols, c)
		if p.punct(',') {
			continue
		}
		if !p.punct(')') {
			return nil, fmt.Errorf("%w: column list in %q", errUnsupported, p.s)
		}
		return cols, nil
	}
}

func (p *ddl) end() bool {
	p.skipSpace()
	return p.i == len(p.s)
}

func (p *ddl) rest() string {
	p.skipSpace()
	r := p.s[p.i:]
	p.i = len(p.s)
	return r
}

// splitTuples splits "(a, b), (c, d)" into "a, b" and "c, d".
func splitTuples(s string) ([]string, error) {
	var out []string
	s = strings.TrimSpace(s)
	for s != "" {
		if s[0] != '(' {
			return nil, fmt.Errorf("%w: VALUES list %q", errUnsupported, s)
		}
		end, err := closing(s, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, s[1:end])
		s = strings.TrimSpace(s[end+1:])
		if strings.HasPrefix(s, ",") {
			s = strings.TrimSpace(s[1:])
		} else if s != "" {
			return nil, fmt.Errorf("%w: after a VALUES tuple: %q", errUnsupported, s)
		}
	}
	return out, nil
}

// closing finds the parenthesis that closes the one at s[open], skipping
// quoted text.
func closing(s string, open int) (int, error) {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '\'', '"':
			q := s[i]
			i++
			for i < len(s) && s[i] != q {
				i++
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unbalanced parentheses in %q", s)
}

// splitTopLevel splits s at sep outside parentheses and quotes.
func splitTopLevel(s string, sep byte) ([]string, error) {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"':
			i++
			for i < len(s) && s[i] != c {
				i++
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced parentheses in %q", s)
	}
	return append(out, s[start:]), nil
}

// indexKeyword finds a keyword outside parentheses and quotes.
func indexKeyword(s, kw string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"':
			i++
			for i < len(s) && s[i] != c {
				i++
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && (i == 0 || !isWordByte(s[i-1])) && strings.HasPrefix(strings.ToUpper(s[i:]), kw) &&
			(i+len(kw) == len(s) || !isWordByte(s[i+len(kw)])):
			return i
		}
	}
	return -1
}

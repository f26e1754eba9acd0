package script

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// files.read(path) -> string
func (r *run) filesRead(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "path", &name); err != nil {
		return nil, err
	}
	if err := r.checkLocal(name); err != nil {
		return nil, err
	}
	info, err := r.root.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %q is not a regular file", b.Name(), name)
	}
	f, err := r.root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, r.remainingInput()+1))
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", b.Name(), name, err)
	}
	if err := r.addInput(int64(len(data))); err != nil {
		return nil, err
	}
	return r.afterBuiltin(starlark.String(data), nil)
}

// files.list(dir=".") -> sorted list of names
func (r *run) filesList(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	dir := "."
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "dir?", &dir); err != nil {
		return nil, err
	}
	if err := r.checkLocal(dir); err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(r.root.FS(), filepath.ToSlash(filepath.Clean(dir)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	names := make([]starlark.Value, 0, len(entries))
	for _, e := range entries {
		names = append(names, starlark.String(e.Name()))
	}
	return starlark.NewList(names), nil
}

func (r *run) checkLocal(name string) error {
	if r.root == nil {
		return errors.New("this worker gives the script no job directory to read")
	}
	if !filepath.IsLocal(name) {
		return fmt.Errorf("path %q leaves the job directory: use a relative path without .. segments", name)
	}
	return nil
}

// csv.parse(text, header=True, delimiter=",")
func (r *run) csvParse(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var text string
	header := true
	delimiter := ","
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "text", &text, "header?", &header, "delimiter?", &delimiter); err != nil {
		return nil, err
	}
	delim := []rune(delimiter)
	if len(delim) != 1 {
		return nil, fmt.Errorf("%s: delimiter must be one character, got %q", b.Name(), delimiter)
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim[0]
	var names []string
	var out []starlark.Value
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.Name(), err)
		}
		if header && names == nil {
			names = rec
			continue
		}
		if header {
			d := starlark.NewDict(len(names))
			for i, name := range names {
				if err := d.SetKey(starlark.String(name), starlark.String(rec[i])); err != nil {
					return nil, err
				}
			}
			out = append(out, d)
			continue
		}
		cells := make([]starlark.Value, len(rec))
		for i, c := range rec {
			cells[i] = starlark.String(c)
		}
		out = append(out, starlark.NewList(cells))
	}
	return r.afterBuiltin(starlark.NewList(out), nil)
}

// http.get(url, headers={}) -> struct(status, body, headers)
func (r *run) httpGet(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var rawURL string
	var headers *starlark.Dict
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "url", &rawURL, "headers?", &headers); err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	if err := r.allow.check(u); err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	r.httpRequests++
	if r.httpRequests > r.cfg.Limits.MaxHTTPRequests {
		return nil, &LimitError{Limit: LimitHTTPRequests, Max: fmt.Sprint(r.cfg.Limits.MaxHTTPRequests)}
	}
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.Limits.HTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	if headers != nil {
		for _, item := range headers.Items() {
			k, ok1 := starlark.AsString(item[0])
			v, ok2 := starlark.AsString(item[1])
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("%s: headers must map strings to strings", b.Name())
			}
			req.Header.Set(k, v)
		}
	}
	resp, err := r.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	defer resp.Body.Close()
	capBytes := min(r.cfg.Limits.MaxResponseBytes, r.remainingInput())
	body, err := io.ReadAll(io.LimitReader(resp.Body, capBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the body: %w", b.Name(), u.Redacted(), err)
	}
	if int64(len(body)) > r.cfg.Limits.MaxResponseBytes {
		return nil, &LimitError{Limit: LimitResponseSize, Max: fmt.Sprintf("%d bytes", r.cfg.Limits.MaxResponseBytes)}
	}
	if err := r.addInput(int64(len(body))); err != nil {
		return nil, err
	}
	hdrs := starlark.NewDict(len(resp.Header))
	keys := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := hdrs.SetKey(starlark.String(strings.ToLower(k)), starlark.String(resp.Header.Get(k))); err != nil {
			return nil, err
		}
	}
	return r.afterBuiltin(starlarkstruct.FromStringDict(starlark.String("response"), starlark.StringDict{
		"status":  starlark.MakeInt(resp.StatusCode),
		"body":    starlark.String(body),
		"headers": hdrs,
	}), nil)
}

// allowList holds the operator's URL prefixes.
type allowList []*url.URL

func parseAllowList(entries []string) (allowList, error) {
	var out allowList
	for _, e := range entries {
		u, err := url.Parse(e)
		if err != nil {
			return nil, fmt.Errorf("http allow-list entry %q: %w", e, err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("http allow-list entry %q: want an http(s)://host[:port]/path prefix without user, query or fragment", e)
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		out = append(out, u)
	}
	return out, nil
}

// check reports whether u may be fetched: same scheme and host:port as an
// entry and a clean path under the entry's path.
func (a allowList) check(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("URL %q: only http and https can be fetched", u.Redacted())
	}
	if u.User != nil {
		return fmt.Errorf("URL %q: credentials in URLs are not allowed", u.Redacted())
	}
	p := u.Path
	if p == "" {
		p = "/"
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("URL %q: the path must not contain . or .. segments", u.Redacted())
		}
	}
	for _, e := range a {
		if u.Scheme == e.Scheme && strings.EqualFold(u.Host, e.Host) &&
			(strings.HasPrefix(p, e.Path) || p+"/" == e.Path) {
			return nil
		}
	}
	return fmt.Errorf("URL %q is not on the worker's http allow-list; ask the worker operator to allow it", u.Redacted())
}

// Timestamp string forms the worker accepts, all read as UTC unless they
// carry an offset.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", time.DateOnly}

// parseTimestamp returns microseconds since the Unix epoch.
func parseTimestamp(s string) (int64, error) {
	for _, layout := range timestampLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UnixMicro(), nil
		}
	}
	return 0, fmt.Errorf("timestamp %q: use RFC 3339 (2024-05-01T00:00:00Z), 2024-05-01 00:00:00 or 2024-05-01", s)
}

// timestamp.parse(s) -> int microseconds
func timestampParse(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "s", &s); err != nil {
		return nil, err
	}
	us, err := parseTimestamp(s)
	if err != nil {
		return nil, err
	}
	return starlark.MakeInt64(us), nil
}

// timestamp.format(us) -> RFC 3339 string
func timestampFormat(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var us int64
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "us", &us); err != nil {
		return nil, err
	}
	return starlark.String(time.UnixMicro(us).UTC().Format(time.RFC3339Nano)), nil
}

// CheckAllowList reports whether every entry is a valid allow-list prefix,
// so a node can refuse a bad configuration at startup.
func CheckAllowList(entries []string) error {
	_, err := parseAllowList(entries)
	return err
}
